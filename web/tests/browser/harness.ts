// The browser tests' harness, for every page of the UI (later issues add
// theirs): Debian's Chromium headless through playwright-core, axe-core in
// each page, screenshots in test-results/screenshots/, sign-in as a demo role.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM = process.env.WEAVER_CHROMIUM ?? '/usr/bin/chromium'
/** Where the screenshots go (git-ignored), named in the tests' output. */
export const SHOTS = resolve(__dirname, '../../test-results/screenshots')

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export type Role = 'admin' | 'officer' | 'manager' | 'member'
export const LANGS = ['zh', 'en'] as const
export type Lang = (typeof LANGS)[number]

const profiles = new WeakMap<BrowserContext, string>()

/** A fresh browser (its own profile folder): never a downloaded one. */
export async function launch(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'weaver-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  context.setDefaultTimeout(15_000)
  profiles.set(context, profile)
  return context
}

/** Closes a browser of `launch` and removes its profile folder. */
export async function close(context: BrowserContext): Promise<void> {
  await context.close()
  const profile = profiles.get(context)
  if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
}

/** The serious and critical axe-core violations of the page as it is, as readable lines. */
export async function axe(page: Page): Promise<string[]> {
  // The page as it settles: no request in flight (a table that is loading
  // is dimmed by its mask, which is no state to judge contrast in).
  await page.waitForLoadState('networkidle')
  // …and no transition under way (a message fading in has, for a moment,
  // the contrast of its half-way colours); endless ones (spinners) aside.
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
  )
  await page.addScriptTag({ content: AXE })
  const result = await page.evaluate(async () => {
    // @ts-expect-error axe is the injected global
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    return r.violations.map((v: { id: string; impact: string; help: string; nodes: { target: string[] }[] }) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }))
  })
  return result
    .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
    .map((v: { id: string; impact: string; help: string; targets: string[] }) => `${v.impact} ${v.id}: ${v.help} at ${v.targets.join(', ')}`)
}

/** Saves a full-page screenshot as NAME.png under SHOTS; returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SHOTS, { recursive: true })
  const path = join(SHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/** Switches the language with the header's switch (as a person would). */
export async function switchLanguage(page: Page, to: Lang): Promise<void> {
  await page.click(`header .langs a[data-lang="${to}"]`)
  await page.waitForURL((u) => u.pathname.startsWith(`/${to}/`) || u.pathname === `/${to}`)
  await page.waitForFunction((l) => document.documentElement.lang === (l === 'zh' ? 'zh-CN' : 'en'), to)
}

/** The demo account of a role (README: weaver-demo-ROLE-42). */
export function demoLogin(role: Role): { email: string; password: string } {
  return { email: `${role}@weaver.demo`, password: `weaver-demo-${role}-42` }
}

/** Signs in on the sign-in page as a demo role; ends on the start page. */
export async function signIn(page: Page, base: string, role: Role, lang: Lang = 'en'): Promise<void> {
  const { email, password } = demoLogin(role)
  await page.goto(`${base}/${lang}/signin`)
  await page.fill('input[name="email"]', email)
  await page.fill('input[name="password"]', password)
  await page.click('form button[type="submit"]')
  await page.waitForURL(`${base}/${lang}/start`)
  await page.waitForSelector('[data-test="whoami"]')
}

/** The number a chart says it draws (its data-points), once it is drawn on a canvas. */
export async function chartPoints(page: Page, within = 'main'): Promise<number> {
  const fig = page.locator(`${within} figure.chart`).first()
  await fig.locator('canvas').first().waitFor()
  return Number(await fig.getAttribute('data-points'))
}
