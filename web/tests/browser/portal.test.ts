// The public portal and sign-in, in a real browser on the demo register:
// each page anonymously with real content, in both languages, axe-clean,
// screenshotted; then each demo role signs in and reaches its start page.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { LANGS, SHOTS, axe, chartPoints, close, launch, shot, signIn, switchLanguage, type Role } from './harness'

const base = inject('baseUrl')
const skip = inject('skip')

// Names of the demo (crates/weaver/src/demo): a cluster in both languages.
const ANSHAN = { id: 'demo-cn-anshan-steel', zh: '鞍山钢铁深加工产业集群（合成示例）', en: 'Anshan Steel Processing Cluster (synthetic demo)' }

describe.skipIf(!!skip)('the web UI in Chromium', () => {
  let context: BrowserContext
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    context = await launch()
    page = await context.newPage()
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.stack ?? e}`))
    console.log(`screenshots in ${SHOTS}`)
  })
  afterAll(async () => {
    if (context) await close(context)
  })

  /** A whole number shown on the page at `selector` (12,345 → 12345). */
  const numberAt = async (selector: string) => Number((await page.textContent(selector))!.replace(/[^\d]/g, ''))

  it('home: key figures, the clusters on the map, both languages, no serious axe violation', async () => {
    await page.goto(`${base}/zh/`)
    await page.waitForSelector('[data-test="fig-clusters"]')
    expect(await page.textContent('h1')).toBe('以网络方式运营产业集群')
    expect(await numberAt('[data-test="fig-clusters"]')).toBe(32)
    expect(await numberAt('[data-test="fig-organizations"]')).toBeGreaterThan(0)
    expect(await numberAt('[data-test="fig-programmes"]')).toBeGreaterThan(0)
    expect(await chartPoints(page)).toBe(32)
    expect(await axe(page)).toEqual([])
    await shot(page, 'home-zh')
    await switchLanguage(page, 'en')
    expect(new URL(page.url()).pathname).toMatch(/^\/en\/?$/)
    expect(await page.textContent('h1')).toBe('Industrial clusters, run as networks')
    await page.waitForSelector('[data-test="fig-clusters"]')
    expect(await chartPoints(page)).toBe(32)
    expect(await axe(page)).toEqual([])
    await shot(page, 'home-en')
  })

  it('the first route’s JavaScript travels gzipped, within 300 kB before the chart chunk', async () => {
    const p = await context.newPage()
    // As on a first visit: nothing from the browser's cache.
    await (await context.newCDPSession(p)).send('Network.setCacheDisabled', { cacheDisabled: true })
    const js: { url: string; bytes: number; gzip: boolean }[] = []
    p.on('response', async (r) => {
      if (!r.url().endsWith('.js')) return
      const h = await r.allHeaders()
      js.push({ url: r.url(), bytes: Number(h['content-length'] ?? 0), gzip: h['content-encoding'] === 'gzip' })
    })
    await p.goto(`${base}/en/`)
    await p.waitForSelector('figure.chart canvas')
    expect(js.length).toBeGreaterThan(1)
    expect(js.filter((f) => !f.gzip)).toEqual([])
    const chart = js.filter((f) => /\/EChart-/.test(f.url)).reduce((n, f) => n + f.bytes, 0)
    const all = js.reduce((n, f) => n + f.bytes, 0)
    console.log(`first route: ${(all / 1024).toFixed(0)} kB of gzipped JavaScript, ${((all - chart) / 1024).toFixed(0)} kB before the chart chunk`)
    expect(all - chart).toBeLessThanOrEqual(300 * 1024)
    await p.close()
  })

  it('the root goes to a language, and a path without one to the same page in it', async () => {
    await page.goto(`${base}/`)
    await page.waitForURL(/\/(zh|en)\/$/)
    await page.goto(`${base}/clusters?country=DE`)
    await page.waitForURL(/\/(zh|en)\/clusters\?country=DE$/)
  })

  it('directory: server-side pages, filters by country, sector and programme, names in the language', async () => {
    await page.goto(`${base}/en/clusters`)
    await page.waitForSelector(`text=${ANSHAN.en}`)
    expect(Number(await page.getAttribute('[data-test="total"]', 'data-total'))).toBe(32)
    expect(await page.locator('tbody tr').count()).toBe(20)
    expect(await axe(page)).toEqual([])
    await shot(page, 'directory-en')
    // Page 2 holds the 12 others, asked of the API with offset=20.
    const asked: string[] = []
    page.on('request', (r) => r.url().includes('/api/v1/clusters?') && asked.push(r.url()))
    await page.goto(`${base}/en/clusters?page=2`)
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 12)
    expect(asked.some((u) => u.includes('offset=20') && u.includes('limit=20'))).toBe(true)
    // Country: Germany's 9.
    await page.goto(`${base}/en/clusters?country=DE`)
    await page.waitForFunction(() => document.querySelector('[data-test="total"]')?.getAttribute('data-total') === '9')
    const countries = await page.locator('tbody tr td:nth-child(2)').allTextContents()
    expect(new Set(countries)).toEqual(new Set(['Germany']))
    // Sector: every row has it.
    await page.goto(`${base}/en/clusters?sector=C26`)
    await page.waitForSelector('tbody tr td:nth-child(4)')
    const sectors = await page.locator('tbody tr td:nth-child(4)').allTextContents()
    expect(sectors.length).toBeGreaterThan(0)
    for (const s of sectors) expect(s.split(', ')).toContain('C26')
    // Programme: the demo's Anhui programme funds Hefei's AI cluster.
    await page.goto(`${base}/en/clusters?programme=demo-cn-ah`)
    await page.waitForSelector('text=Hefei')
    expect(Number(await page.getAttribute('[data-test="total"]', 'data-total'))).toBeGreaterThan(0)
    // The same directory in Chinese, names in Chinese.
    await page.goto(`${base}/en/clusters`)
    await page.waitForSelector(`text=${ANSHAN.en}`)
    await switchLanguage(page, 'zh')
    await page.waitForSelector('tbody tr >> text=（合成示例）')
    expect(await page.textContent('h1')).toBe('集群名录')
    expect(await page.textContent('tbody')).not.toContain('(synthetic demo)')
    expect(await axe(page)).toEqual([])
    await shot(page, 'directory-zh')
  })

  it('cluster profile: both names, facts, programmes, a chart with data; public memberships only', async () => {
    await page.goto(`${base}/en/clusters`)
    await page.click(`text=${ANSHAN.en}`)
    await page.waitForURL(`${base}/en/clusters/${ANSHAN.id}`)
    await page.waitForSelector('[data-test="cluster-name"]')
    expect(await page.textContent('[data-test="cluster-name"]')).toBe(ANSHAN.en)
    expect((await page.textContent('[data-test="other-name"]'))!.trim()).toBe(ANSHAN.zh)
    expect(await page.textContent('main')).toContain('Anshan')
    expect(await page.locator('[data-test="programmes"] li').count()).toBeGreaterThan(0)
    expect(await chartPoints(page)).toBe(2)
    // The public counts the public memberships alone, and is told so.
    await page.waitForSelector('[data-test="members"]')
    expect(await page.textContent('[data-test="members"]')).toMatch(/\d+ current public memberships/)
    expect(await page.isVisible('[data-test="members-public-only"]')).toBe(true)
    expect(await axe(page)).toEqual([])
    await shot(page, 'cluster-en')
    await switchLanguage(page, 'zh')
    await page.waitForSelector('[data-test="cluster-name"]')
    expect(await page.textContent('[data-test="cluster-name"]')).toBe(ANSHAN.zh)
    expect(await chartPoints(page)).toBe(2)
    expect(await axe(page)).toEqual([])
    await shot(page, 'cluster-zh')
  })

  it('an unknown cluster and an unknown page say so', async () => {
    await page.goto(`${base}/en/clusters/no-such-cluster`)
    await page.waitForSelector('text=No cluster no-such-cluster that you may read.')
    await page.goto(`${base}/zh/no/such/page`)
    await page.waitForSelector('text=此地址没有页面。')
  })

  it('sign-in page in both languages; a wrong password is refused with the reason', async () => {
    for (const lang of LANGS) {
      await page.goto(`${base}/${lang}/signin`)
      await page.waitForSelector('input[name="email"]')
      expect(await axe(page)).toEqual([])
      await shot(page, `signin-${lang}`)
    }
    await page.fill('input[name="email"]', 'manager@weaver.demo')
    await page.fill('input[name="password"]', 'not-the-password')
    await page.click('form button[type="submit"]')
    await page.waitForSelector('[role="alert"]')
    expect(page.url()).toBe(`${base}/en/signin`)
  })

  it('the manager signs in, sees who and what it is, reads its cluster’s members and lifecycle, signs out', async () => {
    await signIn(page, base, 'manager', 'en')
    expect(await page.textContent('[data-test="whoami"]')).toContain('manager@weaver.demo')
    expect(await page.getAttribute('[data-test="role"]', 'data-role')).toBe('manager')
    expect(await page.textContent('[data-test="role"]')).toContain('Cluster manager')
    expect(await axe(page)).toEqual([])
    await shot(page, 'start-manager-en')
    await switchLanguage(page, 'zh')
    expect(await page.textContent('[data-test="role"]')).toContain('集群管理者')
    expect(await axe(page)).toEqual([])
    await shot(page, 'start-manager-zh')
    await page.click(`text=${ANSHAN.zh}`)
    await page.waitForSelector('[data-test="members"]')
    expect(await page.textContent('[data-test="members"]')).toMatch(/当前成员 \d+ 个/)
    expect(await page.isVisible('[data-test="members-public-only"]')).toBe(false)
    expect(await page.textContent('[data-test="members"]')).toContain('产（企业）')
    await page.waitForSelector('[data-test="lifecycle"]')
    expect(await page.textContent('[data-test="lifecycle"]')).toContain('生命周期阶段')
    expect(await axe(page)).toEqual([])
    await shot(page, 'cluster-manager-zh')
    await page.click('header button:has-text("退出登录")')
    await page.waitForSelector('header a.signin')
    await page.goto(`${base}/zh/start`)
    await page.waitForSelector('text=您尚未登录。')
  })

  it('every page fits a 768 px tablet: no sideways scrolling, content shown', async () => {
    const tablet = await context.newPage()
    await tablet.setViewportSize({ width: 768, height: 1024 })
    for (const [path, ready] of [
      ['/zh/', '[data-test="fig-clusters"]'],
      ['/en/clusters', 'tbody tr'],
      [`/zh/clusters/${ANSHAN.id}`, 'figure.chart canvas'],
      ['/en/signin', 'input[name="email"]'],
    ] as const) {
      await tablet.goto(`${base}${path}`)
      await tablet.waitForSelector(ready)
      const [scroll, width] = await tablet.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth])
      expect(scroll, `${path} is ${scroll} px wide at ${width} px`).toBeLessThanOrEqual(width)
      await shot(tablet, `tablet${path.replace(/\//g, '-').replace(/-$/, '')}`)
    }
    await tablet.close()
  })

  it('every demo role reaches its start page', async () => {
    for (const role of ['admin', 'officer', 'member'] as Role[]) {
      await signIn(page, base, role, 'en')
      expect(await page.getAttribute('[data-test="role"]', 'data-role')).toBe(role)
      await shot(page, `start-${role}-en`)
      await page.click('header button:has-text("Sign out")')
      await page.waitForSelector('header a.signin')
    }
    expect(errors).toEqual([])
  })
})
