// A password without an admin, in a real browser on the demo register: the
// forgotten-password page, the invitation link of a mail (the path the
// server writes into it: /accept?token=…) through to signing in with the
// password set there, and a reset link that no longer works. The account
// page of an account the test makes: settings, tokens, export, erasure.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { readFileSync } from 'node:fs'
import { LANGS, axe, close, demoLogin, launch, shot, switchLanguage } from './harness'

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

/** A new account with a password, made by the admin through the API (never a demo account). */
async function makeAccount(email: string, password: string): Promise<void> {
  const { email: admin, password: adminPassword } = demoLogin('admin')
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: admin, password: adminPassword }),
  })
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { csrf_token } = (await login.json()) as { csrf_token: string }
  const made = await fetch(`${base}/api/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token },
    body: JSON.stringify({ email, password, role: 'member', language: 'en' }),
  })
  expect(made.status).toBe(201)
}

describe.skipIf(!!skip)('the account page, in Chromium', () => {
  let context: BrowserContext
  let page: Page
  const email = `acct20-self-${Date.now()}@example.org`
  const password = 'a-long-enough-secret'

  beforeAll(async () => {
    await makeAccount(email, password)
    context = await launch()
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    page = await context.newPage()
    await page.goto(`${base}/en/signin`)
    await page.fill('input[name="email"]', email)
    await page.fill('input[name="password"]', password)
    await page.click('form button[type="submit"]')
    await page.waitForURL(`${base}/en/start`)
  })
  afterAll(async () => {
    if (context) await close(context)
  })

  /** The API as the signed-in page (its cookie), e.g. GET /auth/me. */
  const me = () =>
    page.evaluate(async () => (await (await fetch('/api/v1/auth/me')).json()) as { user: { email: string; digest: boolean; language: string } })

  it('is reached from the start page and the header, and says who you are in both languages', async () => {
    await page.click('[data-test="to-account"]')
    await page.waitForURL(`${base}/en/account`)
    await page.waitForSelector('[data-test="account-who"]')
    expect(await page.textContent('h1')).toBe('Your account')
    expect(await page.textContent('[data-test="email"]')).toBe(email)
    expect(await page.textContent('[data-test="role"]')).toBe('Member organization')
    expect(await page.textContent('[data-test="no-tokens"]')).toBe('You have no API tokens.')
    expect(await axe(page)).toEqual([])
    await shot(page, 'account-en')
    await switchLanguage(page, 'zh')
    await page.waitForSelector('[data-test="account-who"]')
    expect(await page.textContent('h1')).toBe('我的账户')
    expect(await page.textContent('[data-test="role"]')).toBe('成员机构')
    expect(await axe(page)).toEqual([])
    await shot(page, 'account-zh')
    // The header's e-mail address is the way there from any page.
    await page.goto(`${base}/en/clusters`)
    await page.click('header [data-test="who"]')
    await page.waitForURL(`${base}/en/account`)
    await page.setViewportSize({ width: 768, height: 1000 })
    await page.waitForSelector('[data-test="account-who"]')
    await shot(page, 'account-en-768')
    await page.setViewportSize({ width: 1366, height: 900 })
  })

  it('changes the language and digest of your messages', async () => {
    await page.goto(`${base}/en/account`)
    await page.waitForSelector('form[data-test="settings"]')
    expect((await me()).user.digest).toBe(false)
    await page.click('[data-test="digest"]')
    await page.click('[data-test="language"]')
    await page.click('.n-base-select-option:has-text("中文")')
    await page.click('form[data-test="settings"] button[type="submit"]')
    await page.waitForSelector('.n-message')
    const after = (await me()).user
    expect(after.digest).toBe(true)
    expect(after.language).toBe('zh')
  })

  it('makes a token, shown once, that works until it is revoked', async () => {
    await page.goto(`${base}/en/account`)
    await page.waitForSelector('form[data-test="make-token"]')
    // No name: said at the field, nothing made.
    await page.click('form[data-test="make-token"] button[type="submit"]')
    expect(await page.textContent('[data-test="token-error"]')).toBe('Give the token a name: what it is for.')
    await page.fill('input[name="token-name"]', 'acct20 report script')
    await page.click('form[data-test="make-token"] button[type="submit"]')
    await page.waitForSelector('[data-test="made"]')
    const secret = (await page.textContent('[data-test="secret"]'))!.trim()
    expect(secret).toMatch(/^wvr_/)
    expect(await page.textContent('[data-test="made"]')).toContain('shown only this once')
    await page.click('[data-test="copy"]')
    await page.waitForFunction(() => document.querySelector('[data-test="made"] [role="status"]')?.textContent?.trim())
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    const row = page.locator('tr[data-token="acct20 report script"]')
    await row.waitFor()
    expect(await row.textContent()).toContain('never')
    expect(await axe(page)).toEqual([])
    await shot(page, 'account-token-en')
    const asToken = () => fetch(`${base}/api/v1/auth/me`, { headers: { authorization: `Bearer ${secret}` } })
    expect((await asToken()).status).toBe(200)
    // Listed again after a reload, the secret no longer shown.
    await page.reload()
    await row.waitFor()
    expect(await page.locator('[data-test="made"]').count()).toBe(0)
    await row.locator('[data-test="revoke"]').click()
    expect(await row.textContent()).toContain('Programs using it stop working at once.')
    await row.locator('[data-test="revoke-yes"]').click()
    await row.waitFor({ state: 'detached' })
    await page.waitForSelector('[data-test="no-tokens"]')
    expect((await asToken()).status).toBe(401)
  })

  it('exports your data as a JSON file', async () => {
    await page.goto(`${base}/en/account`)
    await page.waitForSelector('[data-test="export-button"]')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="export-button"]')])
    expect(download.suggestedFilename()).toMatch(/^weaver-account-acct20-self-\d+_example.org-\d{4}-\d\d-\d\d\.json$/)
    const file = await download.path()
    const data = JSON.parse(readFileSync(file, 'utf8')) as { user: { email: string; digest: boolean }; api_tokens: unknown[] }
    expect(data.user.email).toBe(email)
    expect(data.user.digest).toBe(true)
    expect(data.api_tokens).toEqual([])
    expect(await page.textContent('[data-test="exported"]')).toContain(download.suggestedFilename())
  })

  it('erases your account after a confirmation that names what is lost, then you are signed out', async () => {
    await page.goto(`${base}/en/account`)
    await page.click('[data-test="erase-start"]')
    const confirm = page.locator('[data-test="erase-confirm"]')
    expect(await confirm.locator('h3').textContent()).toBe(`Erase ${email} for good?`)
    expect(await confirm.locator('[data-test="erase-lost"]').textContent()).toContain('you can no longer sign in')
    expect(await axe(page)).toEqual([])
    await shot(page, 'account-erase-en')
    await page.fill('input[name="erase-email"]', 'someone-else@example.org')
    await confirm.locator('[data-test="erase-yes"]').click()
    expect(await page.textContent('[data-test="erase-error"]')).toBe(`Type ${email} exactly.`)
    expect(await page.inputValue('input[name="erase-email"]')).toBe('someone-else@example.org')
    await page.fill('input[name="erase-email"]', email)
    await confirm.locator('[data-test="erase-yes"]').click()
    await page.waitForURL((u) => u.pathname === '/en' || u.pathname === '/en/')
    await page.waitForSelector('header a.signin')
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
    expect(login.status).toBe(401)
  })
})
