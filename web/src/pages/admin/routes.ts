import type { RouteRecordRaw } from 'vue-router'

// The admin's workspace: accounts, the audit log, the mail outbox.
export default [
  { path: 'work/admin', name: 'admin-accounts', component: () => import('./AccountsPage.vue') },
  { path: 'work/admin/audit', name: 'admin-audit', component: () => import('./AuditPage.vue') },
  { path: 'work/admin/outbox', name: 'admin-outbox', component: () => import('./OutboxPage.vue') },
] satisfies RouteRecordRaw[]
