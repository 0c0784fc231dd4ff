import type { RouteRecordRaw } from 'vue-router'

// The account page of every signed-in user.
export default [
  { path: 'account', name: 'account', component: () => import('./AccountPage.vue') },
] satisfies RouteRecordRaw[]
