import type { RouteRecordRaw } from 'vue-router'

// The cluster manager's workspace (issue 20 §1), one cluster at a time.
export default [
  { path: 'work/clusters/:id', name: 'manage-dashboard', component: () => import('./DashboardPage.vue') },
  { path: 'work/clusters/:id/edit', name: 'manage-cluster', component: () => import('./ClusterEditPage.vue') },
  { path: 'work/clusters/:id/members', name: 'manage-members', component: () => import('./MembersPage.vue') },
  { path: 'work/clusters/:id/organizations', name: 'manage-organizations', component: () => import('./OrganizationsPage.vue') },
  { path: 'work/clusters/:id/governance', name: 'manage-governance', component: () => import('./GovernancePage.vue') },
  { path: 'work/clusters/:id/projects', name: 'manage-projects', component: () => import('./ProjectsPage.vue') },
  { path: 'work/clusters/:id/ties', name: 'manage-ties', component: () => import('./TiesPage.vue') },
  { path: 'work/clusters/:id/package', name: 'manage-package', component: () => import('./PackagePage.vue') },
] satisfies RouteRecordRaw[]
