// The member organization's workspace in a real browser on the demo
// register: an admin opens a campaign (through the API) that asks the demo
// member's organization to confirm its ties; the member finds the workspace
// from its start page, disputes one tie (a note first refused at its field),
// confirms another, sees both answers kept after a reload, edits its
// organization (a bad value refused at its field, then a good one stored),
// downloads its data; an account that does not speak for the organization
// sees no form. Only the test's own campaign and the website it sets (put
// back at the end) are changed.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { LANGS, axe, close, demoLogin, launch, shot, signIn, type Role } from './harness'

const base = inject('baseUrl')
const skip = inject('skip')

/** A signed-in API session of a demo role (cookie + CSRF token). */
async function session(role: Role) {
  const { email, password } = demoLogin(role)
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  expect(login.status).toBe(200)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { csrf_token } = (await login.json()) as { csrf_token: string }
  return async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    const text = await r.text()
    return { status: r.status, body: text ? JSON.parse(text) : null }
  }
}

describe.skipIf(!!skip)('the member organization’s workspace, in Chromium', () => {
  let context: BrowserContext
  let page: Page
  let org = ''
  let orgName = ''
  let website: string | null = null
  const campaign = `member-ties-${Date.now()}`

  beforeAll(async () => {
    const admin = await session('admin')
    const member = await session('member')
    const me = await member('/auth/me')
    org = me.body.user.organizations[0]
    expect(org, 'the demo member speaks for an organization').toBeTruthy()
    const o = await admin(`/organizations/${org}`)
    orgName = o.body.name_en ?? o.body.name
    website = o.body.website
    const cluster = (await admin(`/memberships?org=${org}&limit=1`)).body.rows[0].cluster
    const indicator = (await admin('/indicators?limit=1')).body.rows[0].id
    const opened = await admin('/campaigns', {
      method: 'POST',
      body: { id: campaign, name: 'Ties check (browser test)', period: '2019', deadline: '2099-12-31', indicators: [indicator], clusters: [cluster] },
    })
    expect(opened.status, JSON.stringify(opened.body)).toBe(201)
    const ties = await member(`/campaigns/${campaign}/ties`)
    expect(ties.body.ties.length, 'the campaign asks the member about at least two ties').toBeGreaterThanOrEqual(2)
    context = await launch()
    page = await context.newPage()
  })
  afterAll(async () => {
    if (org) await (await session('admin'))(`/organizations/${org}`, { method: 'PATCH', body: { website } })
    if (context) await close(context)
  })

  it('leads from the start page to the workspace, with memberships and the ties to answer', async () => {
    await signIn(page, base, 'member', 'en')
    await page.click('[data-test="member-workspace"]')
    await page.waitForURL(`${base}/en/work/organizations/${org}`)
    await page.waitForSelector('[data-test="org-name"]')
    expect(await page.textContent('[data-test="org-name"]')).toBe(orgName)
    expect(await page.locator('[data-test="memberships"] tbody tr').count()).toBeGreaterThan(0)
    expect(await page.textContent('[data-test="ties-open"]')).toMatch(/^\d+ ties still to answer$/)
    for (const lang of LANGS) {
      await page.goto(`${base}/${lang}/work/organizations/${org}`)
      await page.waitForSelector('[data-test="org-form"]')
      expect(await page.locator('li.tie').count()).toBeGreaterThanOrEqual(2)
      expect(await axe(page)).toEqual([])
      await shot(page, `member-workspace-${lang}`)
    }
  })

  it('disputes a tie only with a note, confirms another, and keeps both answers', async () => {
    await page.goto(`${base}/en/work/organizations/${org}`)
    const first = page.locator('li.tie').first()
    const firstId = await first.getAttribute('data-test')
    await first.locator('[data-test="dispute"]').click()
    await first.locator('[data-test="send-dispute"]').click()
    expect(await first.locator('[data-test="note-error"]').textContent()).toBe('Say what is wrong with the tie to dispute it.')
    await first.locator('textarea').fill('The contract ended in 2022.')
    await first.locator('[data-test="send-dispute"]').click()
    const disputed = page.locator(`[data-test="${firstId}"]`)
    await disputed.locator('[data-test="state"]', { hasText: 'Disputed' }).waitFor()
    // The unanswered come first: the next one is now first.
    const second = page.locator('li.tie').first()
    const secondId = await second.getAttribute('data-test')
    expect(secondId).not.toBe(firstId)
    await second.locator('[data-test="confirm"]').click()
    await page.locator(`[data-test="${secondId}"] [data-test="state"]`, { hasText: 'Confirmed' }).waitFor()
    // Stored: a reload reads them back from the server.
    await page.reload()
    await page.waitForSelector('li.tie')
    expect(await page.textContent(`[data-test="${firstId}"] [data-test="state"]`)).toBe('Disputed')
    expect(await page.textContent(`[data-test="${firstId}"]`)).toContain('Your note: The contract ended in 2022.')
    expect(await page.textContent(`[data-test="${secondId}"] [data-test="state"]`)).toBe('Confirmed')
    const stored = (await (await session('member'))(`/campaigns/${campaign}/ties`)).body.ties as { row_id: number; confirmed: boolean | null }[]
    expect(stored.find((t) => `tie-${t.row_id}` === firstId)?.confirmed).toBe(false)
    expect(stored.find((t) => `tie-${t.row_id}` === secondId)?.confirmed).toBe(true)
  })

  it('edits the organization: a bad value refused at its field with the input kept, a good one stored', async () => {
    await page.goto(`${base}/en/work/organizations/${org}`)
    await page.waitForSelector('[data-test="org-form"]')
    await page.fill('input[name="employees"]', 'many')
    await page.fill('input[name="website"]', 'https://example.org/weaver-member-test')
    await page.click('[data-test="save"]')
    const feedback = page.locator('[data-test="field-employees"] .n-form-item-feedback')
    await feedback.waitFor()
    expect((await feedback.textContent())!.length).toBeGreaterThan(5)
    expect(await page.inputValue('input[name="employees"]')).toBe('many')
    expect(await page.inputValue('input[name="website"]')).toBe('https://example.org/weaver-member-test')
    // Nothing was stored.
    const admin = await session('admin')
    expect((await admin(`/organizations/${org}`)).body.website).toBe(website)
    await page.fill('input[name="employees"]', (await admin(`/organizations/${org}`)).body.employees?.toString() ?? '')
    await page.click('[data-test="save"]')
    await page.waitForFunction(() => !document.querySelector('[data-test="field-employees"] .n-form-item-feedback')?.textContent)
    await expect.poll(async () => (await admin(`/organizations/${org}`)).body.website).toBe('https://example.org/weaver-member-test')
  })

  it('downloads what the page shows as JSON', async () => {
    await page.goto(`${base}/zh/work/organizations/${org}`)
    await page.waitForSelector('[data-test="export"]')
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test="export"]')])
    const data = JSON.parse(readFileSync((await download.path())!, 'utf8'))
    expect(data.organization.id).toBe(org)
    expect(data.memberships.length).toBeGreaterThan(0)
    expect(data.ties_asked.some((t: { campaign: string }) => t.campaign === campaign)).toBe(true)
  })

  it('shows another role the organization without a form', async () => {
    const other = await launch()
    try {
      const p = await other.newPage()
      await signIn(p, base, 'manager', 'en')
      await p.goto(`${base}/en/work/organizations/${org}`)
      await p.waitForSelector('[data-test="not-yours"]')
      expect(await p.locator('[data-test="org-form"]').count()).toBe(0)
      expect(await p.locator('[data-test="confirm"]').count()).toBe(0)
      expect(await axe(p)).toEqual([])
    } finally {
      await close(other)
    }
  })
})
