// The admin's workspace in a real browser on the demo register: accounts
// (invite a NEW account, assign it a scope by name, disable it, remove it),
// the audit log (undo a change to a row the test made itself, and the
// API's refusal of an undo), the mail outbox (the invitation listed), and
// the page others get. The demo accounts are never changed.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { LANGS, axe, close, demoLogin, launch, shot, signIn, switchLanguage } from './harness'

const base = inject('baseUrl')
const skip = inject('skip')

/** A session of the demo admin through the API, for setting up and checking. */
async function adminApi() {
  const { email, password } = demoLogin('admin')
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  expect(login.status).toBe(200)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { csrf_token } = (await login.json()) as { csrf_token: string }
  return async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: r.status, body: (r.status === 204 ? null : await r.json()) as T }
  }
}

interface UserRow { id: number; email: string; role: string; disabled: boolean }

describe.skipIf(!!skip)("the admin's workspace, in Chromium", () => {
  let context: BrowserContext
  let page: Page
  let call: Awaited<ReturnType<typeof adminApi>>
  const email = `acct20-invited-${Date.now()}@example.org`

  beforeAll(async () => {
    call = await adminApi()
    context = await launch()
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    page = await context.newPage()
    await signIn(page, base, 'admin', 'en')
  })
  afterAll(async () => {
    if (context) await close(context)
  })

  it('the start page leads the admin to the accounts, which lists every account with its role and state', async () => {
    await page.click('[data-test="to-admin"]')
    await page.waitForURL(`${base}/en/work/admin`)
    await page.waitForSelector('table[data-test="accounts"] tbody tr')
    const { body } = await call<{ users: UserRow[] }>('GET', '/users')
    expect(await page.textContent('[data-test="count"]')).toBe(`${body.users.length} accounts`)
    for (const role of ['admin', 'officer', 'manager', 'member'] as const) {
      const row = page.locator(`tr[data-email="${role}@weaver.demo"]`)
      expect(await row.locator('[data-col="state"]').getAttribute('data-state')).toBe('active')
    }
    expect(await page.textContent('tr[data-email="manager@weaver.demo"] [data-col="role"]')).toBe('Cluster manager')
    // The demo manager's cluster is shown by its name, not its id.
    const manager = (await call<{ assignments: { kind: string; ref: string }[] }>('GET', `/users/${body.users.find((u) => u.email === 'manager@weaver.demo')!.id}`)).body
    const cluster = manager.assignments.find((a) => a.kind === 'cluster')
    if (cluster) {
      const c = (await call<{ name: string; name_en: string | null }>('GET', `/clusters/${cluster.ref}`)).body
      expect(await page.textContent('tr[data-email="manager@weaver.demo"] [data-col="scopes"]')).toContain(c.name_en ?? c.name)
    }
    expect(await axe(page)).toEqual([])
    await shot(page, 'admin-accounts-en')
    await switchLanguage(page, 'zh')
    await page.waitForSelector('table[data-test="accounts"] tbody tr')
    expect(await page.textContent('h1')).toBe('账户')
    expect(await page.textContent('tr[data-email="manager@weaver.demo"] [data-col="role"]')).toBe('集群管理者')
    expect(await axe(page)).toEqual([])
    await shot(page, 'admin-accounts-zh')
    await page.setViewportSize({ width: 768, height: 1000 })
    await shot(page, 'admin-accounts-zh-768')
    await page.setViewportSize({ width: 1366, height: 900 })
  })

  it('invites a new account (the problem of a bad address at its field, the input kept), which the outbox lists', async () => {
    await page.goto(`${base}/en/work/admin`)
    await page.waitForSelector('table[data-test="accounts"]')
    await page.fill('form[data-test="invite"] input[name="email"]', 'not-an-address')
    await page.fill('form[data-test="invite"] input[name="name"]', 'Acct Twenty')
    await page.selectOption('form[data-test="invite"] select[name="role"]', 'manager')
    await page.click('form[data-test="invite"] button[type="submit"]')
    await page.waitForFunction(() => document.querySelector('[data-test="email-error"]')?.textContent?.includes('not an e-mail address'))
    expect(await page.inputValue('form[data-test="invite"] input[name="name"]')).toBe('Acct Twenty')
    await page.fill('form[data-test="invite"] input[name="email"]', email)
    await page.click('form[data-test="invite"] button[type="submit"]')
    await page.waitForSelector('[data-test="invited"]')
    expect(await page.textContent('[data-test="email-error"]')).toBe('')
    // The demo server has no mail settings: the page says so and gives the link.
    expect(await page.textContent('[data-test="invite-note"]')).toContain('no mail settings')
    expect(await page.textContent('[data-test="invite-link"]')).toMatch(/\/accept\?token=/)
    const row = page.locator(`tr[data-email="${email}"]`)
    await row.waitFor()
    expect(await row.locator('[data-col="state"]').getAttribute('data-state')).toBe('invited')
    expect(await row.locator('[data-col="role"]').textContent()).toBe('Cluster manager')
    expect(await axe(page)).toEqual([])

    for (const lang of LANGS) {
      await page.goto(`${base}/${lang}/work/admin/outbox`)
      await page.waitForSelector('table[data-test="outbox"]')
      const mail = page.locator(`tr[data-recipient="${email}"]`)
      expect(await mail.getAttribute('data-kind')).toBe('invitation')
      expect(await mail.getAttribute('data-status')).toBe('queued')
      expect(await page.getAttribute('[data-test="mail-state"]', 'data-configured')).toBe('false')
      expect(await axe(page)).toEqual([])
      await shot(page, `admin-outbox-${lang}`)
    }
    // Resend: queued again, said so.
    await page.locator(`tr[data-recipient="${email}"] [data-test="resend"]`).click()
    await page.waitForSelector('.n-message')
    expect(await page.textContent('.n-message')).toMatch(/Message #\d+ is queued again/)
    // The state filter is kept in the URL.
    await page.click('[data-test="counts"] a[data-status="queued"]')
    await page.waitForURL(/status=queued/)
    await page.waitForSelector(`tr[data-recipient="${email}"]`)
    expect(await page.locator('table[data-test="outbox"] tbody tr:not([data-status="queued"])').count()).toBe(0)
  })

  it('assigns the new account a cluster chosen by name, changes its language, sends it a reset link, disables it and removes it', async () => {
    const { body: clusters } = await call<{ rows: { id: string; name: string; name_en: string | null }[] }>('GET', '/clusters?limit=1&sort=id')
    const cluster = clusters.rows[0]
    const shown = cluster.name_en ?? cluster.name
    await page.goto(`${base}/en/work/admin`)
    const row = page.locator(`tr[data-email="${email}"]`)
    await row.locator('[data-test="manage"]').click()
    const panel = page.locator('[data-test="panel"]')
    await panel.waitFor()
    expect(await panel.locator('select[name="scope-kind"]').inputValue()).toBe('cluster')
    // Assign without choosing: said at the field.
    await panel.locator('[data-test="assign-button"]').click()
    expect(await panel.locator('[data-test="scope-error"]').textContent()).toBe('Choose a row from the search first.')
    await panel.locator('[data-test="scope-search"]').click()
    await page.keyboard.type(shown.split(' ')[0])
    await page.locator('.n-base-select-option', { hasText: `(${cluster.id})` }).click()
    await panel.locator('[data-test="assign-button"]').click()
    await panel.locator('[data-test="panel-scopes"]').waitFor()
    expect(await panel.locator('[data-test="panel-scopes"]').textContent()).toContain(shown)
    expect(await row.locator('[data-col="scopes"]').textContent()).toContain(shown)
    const id = (await call<{ users: UserRow[] }>('GET', '/users')).body.users.find((u) => u.email === email)!.id
    expect((await call<{ assignments: { kind: string; ref: string }[] }>('GET', `/users/${id}`)).body.assignments).toEqual([
      { kind: 'cluster', ref: cluster.id },
    ])
    expect(await axe(page)).toEqual([])
    await shot(page, 'admin-manage-en')

    // Its language changed, and a reset link sent (listed in the outbox).
    await panel.locator('select[name="edit-language"]').selectOption('zh')
    await panel.locator('[data-test="save"]').click()
    await page.waitForFunction(() => document.querySelector('[data-test="notice"]')?.textContent === 'Saved.')
    expect((await call<{ user: UserRow & { language: string } }>('GET', `/users/${id}`)).body.user.language).toBe('zh')
    await panel.locator('[data-test="reset"]').click()
    await page.waitForFunction(() => document.querySelector('[data-test="notice"]')?.textContent?.startsWith('A password-reset link'))
    const mails = (await call<{ messages: { recipient: string; kind: string }[] }>('GET', '/outbox')).body.messages
    expect(mails.filter((m) => m.recipient === email).map((m) => m.kind).sort()).toEqual(['invitation', 'password_reset'])

    await panel.locator('[data-test="toggle-disabled"]').click()
    await page.waitForFunction(
      (e) => document.querySelector(`tr[data-email="${e}"] [data-col="state"]`)?.getAttribute('data-state') === 'disabled',
      email,
    )
    expect((await call<UserRow & { user: UserRow }>('GET', `/users/${id}`)).body.user.disabled).toBe(true)
    expect(await panel.locator('[data-test="toggle-disabled"]').textContent()).toContain('Enable the account')

    await panel.locator('[data-test="erase"]').click()
    const confirm = page.locator('[data-test="erase-confirm"]')
    expect(await confirm.textContent()).toContain(`Remove ${email} for good?`)
    expect(await confirm.textContent()).toContain('assignments (1)')
    await confirm.locator('[data-test="erase-yes"]').click()
    await row.waitFor({ state: 'detached' })
    expect((await call('GET', `/users/${id}`)).status).toBe(404)
  })

  it('undoes a change from the audit log, and shows the refusal of an undo that is not possible', async () => {
    const org = `acct20-org-${Date.now()}`
    expect((await call('POST', '/organizations', { id: org, name: '测试机构', name_en: 'Acct20 Test Org', actor_type: 'enterprise' })).status).toBe(201)
    expect((await call('PATCH', `/organizations/${org}`, { name_en: 'Acct20 Renamed Org' })).status).toBe(200)

    await page.goto(`${base}/en/work/admin/audit`)
    await page.waitForSelector('table[data-test="audit"]')
    expect(await axe(page)).toEqual([])
    await shot(page, 'admin-audit-en')
    await page.selectOption('select[name="table"]', 'organizations')
    await page.fill('input[name="key"]', org)
    await page.click('form[data-test="audit-filters"] button[type="submit"]')
    await page.waitForURL(/table=organizations/)
    const update = page.locator(`tr[data-key="${org}"][data-action="update"]`)
    await update.waitFor()
    expect(await page.locator('table[data-test="audit"] tbody tr').count()).toBe(2)
    expect(await update.locator('[data-column="name_en"]').textContent()).toContain('Acct20 Test Org → Acct20 Renamed Org')
    // Undoing the creation first is refused (the row changed since): the
    // page shows the API's reason at the entry, and nothing changes.
    const create = page.locator(`tr[data-key="${org}"][data-action="create"]`)
    await create.locator('[data-test="undo"]').click()
    await create.locator('[data-test="undo-yes"]').click()
    await create.locator('[data-test="refusal"]').waitFor()
    expect(await create.locator('[data-test="refusal"]').textContent()).toContain('has changed since')
    expect((await call<{ name_en: string }>('GET', `/organizations/${org}`)).body.name_en).toBe('Acct20 Renamed Org')

    await update.locator('[data-test="undo"]').click()
    expect(await update.locator('[data-test="undo-confirm"]').textContent()).toContain(`organizations / ${org}`)
    await update.locator('[data-test="undo-yes"]').click()
    await update.locator('[data-test="undone-by"]').waitFor()
    expect((await call<{ name_en: string }>('GET', `/organizations/${org}`)).body.name_en).toBe('Acct20 Test Org')
    // The undo is an entry of its own.
    expect(await page.locator(`tr[data-key="${org}"][data-action="undo"]`).count()).toBe(1)

    await switchLanguage(page, 'zh')
    await page.waitForSelector('table[data-test="audit"]')
    expect(await page.textContent('h1')).toBe('审计日志')
    expect(await page.locator(`tr[data-key="${org}"][data-action="update"] [data-test="undone-by"]`).textContent()).toMatch(/已由第 \d+ 条撤销/)
    expect(await axe(page)).toEqual([])
    await shot(page, 'admin-audit-zh')
  })

  it('tells anyone not an admin that the workspace is not for their role', async () => {
    const other = await launch()
    try {
      const p = await other.newPage()
      await signIn(p, base, 'member', 'en')
      expect(await p.locator('[data-test="admin-block"]').count()).toBe(0)
      for (const path of ['work/admin', 'work/admin/audit', 'work/admin/outbox']) {
        await p.goto(`${base}/en/${path}`)
        await p.waitForSelector('[data-test="not-for-role"]')
        expect(await p.textContent('[data-test="not-for-role"] h1')).toBe('Not for your role')
        expect(await p.locator('table').count()).toBe(0)
      }
      expect(await axe(p)).toEqual([])
      await shot(p, 'admin-not-for-role-en')
      await switchLanguage(p, 'zh')
      await p.waitForSelector('[data-test="not-for-role"]')
      expect(await p.textContent('[data-test="not-for-role"] h1')).toBe('您的角色无权访问')
      await shot(p, 'admin-not-for-role-zh')
    } finally {
      await close(other)
    }
  })
})
