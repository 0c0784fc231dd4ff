import type { RouteRecordRaw } from 'vue-router'

// The programme officer's workspace: one page per programme.
export default [
  {
    path: 'work/programmes/:id',
    name: 'officer-programme',
    component: () => import('./ProgrammeWorkspace.vue'),
  },
] satisfies RouteRecordRaw[]
