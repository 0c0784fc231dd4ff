import type { RouteRecordRaw } from 'vue-router'

// Monitoring campaigns: the list of one's campaigns, opening one, and the
// campaign page the mails link to (/campaigns/{id}).
export default [
  { path: 'work/campaigns', name: 'campaigns', component: () => import('./CampaignsPage.vue') },
  { path: 'work/campaigns/new', name: 'campaign-new', component: () => import('./NewCampaignPage.vue') },
  { path: 'campaigns/:id', name: 'campaign', component: () => import('./CampaignPage.vue') },
] satisfies RouteRecordRaw[]
