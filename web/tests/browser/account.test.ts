// A password without an admin, in a real browser on the demo register: the
// forgotten-password page, the invitation link of a mail (the path the
// server writes into it: /accept?token=…) through to signing in with the
// password set there, and a reset link that no longer works.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { LANGS, axe, close, demoLogin, launch, shot } from './harness'

const base = inject('baseUrl')
const skip = inject('skip')

/** An invitation as the admin makes it through the API: the new account's token. */
async function invite(email: string): Promise<string> {
  const { email: admin, password } = demoLogin('admin')
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin, password }),
  })
  expect(login.status).toBe(200)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { csrf_token } = (await login.json()) as { csrf_token: string }
  const made = await fetch(`${base}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token },
    body: JSON.stringify({ email, role: 'member', language: 'en' }),
  })
  const body = (await made.json()) as { invitation_token?: string }
  expect(made.status, JSON.stringify(body)).toBe(201)
  return body.invitation_token!
}

describe.skipIf(!!skip)('passwords without an admin, in Chromium', () => {
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    context = await launch()
    page = await context.newPage()
  })
  afterAll(async () => {
    if (context) await close(context)
  })

  it('the sign-in page leads to the forgotten-password page, which answers the same for any address', async () => {
    for (const lang of LANGS) {
      await page.goto(`${base}/${lang}/signin`)
      await page.click('[data-test="forgot"]')
      await page.waitForURL(`${base}/${lang}/forgot`)
      expect(await page.textContent('h1')).toBe(lang === 'en' ? 'Forgot your password?' : '忘记密码？')
      expect(await axe(page)).toEqual([])
      await shot(page, `forgot-${lang}`)
    }
    // A known and an unknown address get the same answer (the server's words).
    const answers: string[] = []
    for (const email of ['member@weaver.demo', 'nobody-here@example.org']) {
      await page.goto(`${base}/en/forgot`)
      await page.fill('input[name="email"]', email)
      await page.click('form button[type="submit"]')
      await page.waitForSelector('[data-test="done"]')
      answers.push((await page.textContent('[data-test="done"]'))!.trim())
    }
    expect(answers[0].length).toBeGreaterThan(20)
    expect(answers[1]).toBe(answers[0])
  })

  it('an invitation link sets the first password, each problem shown at its field, and the account signs in', async () => {
    const email = `invited-${Date.now()}@example.org`
    const token = await invite(email)
    // The link as the mail has it: no language, the token in the query.
    await page.goto(`${base}/accept?token=${encodeURIComponent(token)}`)
    await page.waitForURL(/\/(zh|en)\/accept\?token=/)
    await page.goto(page.url().replace(/\/zh\/accept/, '/en/accept'))
    await page.waitForSelector('input[name="password"]')
    expect(await page.textContent('h1')).toBe('Accept your invitation')
    // Too short, then two that differ: refused at the field, nothing sent.
    await page.fill('input[name="password"]', 'short')
    await page.fill('input[name="again"]', 'short')
    await page.click('form button[type="submit"]')
    expect(await page.textContent('[data-test="password-error"]')).toBe('A password needs at least 10 characters.')
    await page.fill('input[name="password"]', 'a-long-enough-secret')
    await page.fill('input[name="again"]', 'a-long-enough-secreT')
    await page.click('form button[type="submit"]')
    expect(await page.textContent('[data-test="password-error"]')).toBe('')
    expect(await page.textContent('[data-test="again-error"]')).toBe('The two passwords differ.')
    expect(await axe(page)).toEqual([])
    await shot(page, 'accept-en')
    await page.fill('input[name="again"]', 'a-long-enough-secret')
    await page.click('form button[type="submit"]')
    await page.waitForSelector('[data-test="done"]')
    // The link works once.
    await page.goto(`${base}/en/accept?token=${encodeURIComponent(token)}`)
    await page.fill('input[name="password"]', 'another-long-secret')
    await page.fill('input[name="again"]', 'another-long-secret')
    await page.click('form button[type="submit"]')
    await page.waitForSelector('[role="alert"]')
    expect(await page.textContent('[role="alert"]')).toContain('this link is no longer valid')
    // The password set through the link signs in.
    await page.goto(`${base}/en/signin`)
    await page.fill('input[name="email"]', email)
    await page.fill('input[name="password"]', 'a-long-enough-secret')
    await page.click('form button[type="submit"]')
    await page.waitForURL(`${base}/en/start`)
    expect(await page.textContent('[data-test="whoami"]')).toContain(email)
  })

  it('a reset link without a token, or with one that does not work, says so', async () => {
    await page.goto(`${base}/zh/reset`)
    await page.waitForSelector('[data-test="no-token"]')
    expect(await axe(page)).toEqual([])
    await page.goto(`${base}/zh/reset?token=not-a-real-token`)
    await page.fill('input[name="password"]', 'a-long-enough-secret')
    await page.fill('input[name="again"]', 'a-long-enough-secret')
    await page.click('form button[type="submit"]')
    await page.waitForSelector('[role="alert"]')
    expect(await page.textContent('[role="alert"]')).toContain('该链接已失效')
    await page.click('[data-test="ask-again"]')
    await page.waitForURL(`${base}/zh/forgot`)
    await page.goBack()
    await page.waitForSelector('input[name="password"]')
    expect(await axe(page)).toEqual([])
    await shot(page, 'reset-zh')
  })
})
