import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { isLang, loadAreas } from './i18n'

// The pages of each area (a workspace, the account pages…) are listed in
// `pages/<area>/routes.ts` (`export default [ { path: 'work/…', name, component } ]`,
// paths relative to the language), and placed with the others, before the
// page that says there is no page.
const areaRoutes = Object.values(
  import.meta.glob<RouteRecordRaw[]>('./pages/*/routes.ts', { eager: true, import: 'default' }),
).flat()

// Every page is under its language: /zh/… and /en/… . The pages are loaded
// when first visited (each its own chunk).
const routes: RouteRecordRaw[] = [
  { path: '/', redirect: () => ({ path: `/${preferredLang()}/` }) },
  {
    path: '/:lang(zh|en)',
    children: [
      { path: '', name: 'home', component: () => import('./pages/HomePage.vue') },
      { path: 'clusters', name: 'clusters', component: () => import('./pages/DirectoryPage.vue') },
      { path: 'clusters/:id', name: 'cluster', component: () => import('./pages/ClusterPage.vue') },
      { path: 'organizations/:id', name: 'organization', component: () => import('./pages/OrganizationPage.vue') },
      { path: 'programmes/:id', name: 'programme', component: () => import('./pages/ProgrammePage.vue') },
      { path: 'signin', name: 'signin', component: () => import('./pages/SignInPage.vue') },
      { path: 'start', name: 'start', component: () => import('./pages/StartPage.vue') },
      { path: 'forgot', name: 'forgot', component: () => import('./pages/PasswordPage.vue') },
      { path: 'reset', name: 'reset', component: () => import('./pages/PasswordPage.vue') },
      { path: 'accept', name: 'accept', component: () => import('./pages/PasswordPage.vue') },
      ...areaRoutes,
      { path: ':rest(.*)*', name: 'missing', component: () => import('./pages/MissingPage.vue') },
    ],
  },
  // A path without a language: the same path in the preferred one.
  { path: '/:rest(.*)*', redirect: (to) => ({ path: `/${preferredLang()}${to.path}`, query: to.query }) },
]

/** The language of the browser, if it is one of ours; Chinese otherwise. */
function preferredLang(): string {
  const nav = typeof navigator === 'undefined' ? '' : navigator.language
  const l = nav.slice(0, 2)
  return isLang(l) ? l : 'zh'
}

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
})

// Every page but the home page may use an area's messages: they are loaded
// while the page's own chunk loads (started before the route's components are
// resolved, awaited after), so the first route never waits for them.
router.beforeEach((to) => {
  if (to.name !== 'home') void loadAreas().catch(() => undefined)
})
router.beforeResolve(async (to) => {
  if (to.name !== 'home') await loadAreas()
})
