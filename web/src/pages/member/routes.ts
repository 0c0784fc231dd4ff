import type { RouteRecordRaw } from 'vue-router'

// The member organization's workspace (issue 20 §2): one page per organization the account speaks for.
const routes: RouteRecordRaw[] = [
  { path: 'work/organizations/:id', name: 'member-workspace', component: () => import('./MemberPage.vue') },
]
export default routes
