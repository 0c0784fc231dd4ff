// The cluster manager's workspace in a real browser on the demo register:
// the manager signs in, visits every page of its cluster's workspace and
// submits each form, seeing the change stored (re-read from the API) and
// shown, a bad value refused at its field with the input kept, and a bad
// package refused at its row. Only rows this test creates are written (a
// new organization, its membership, seat and package row); the cluster's
// own row is changed and given back as it was.
import { crc32 } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { axe, chartPoints, close, launch, shot, signIn, switchLanguage } from './harness'

const base = inject('baseUrl')
const skip = inject('skip')

const ANSHAN = { id: 'demo-cn-anshan-steel', zh: '鞍山钢铁深加工产业集群（合成示例）', en: 'Anshan Steel Processing Cluster (synthetic demo)' }
const WORK = `work/clusters/${ANSHAN.id}`
// An organization of this run only (the demo's rows stay as other files expect them).
const ORG = { id: `mgr20-browser-${Date.now().toString(36)}`, name: '鞍山测试精密锻造有限公司', name_en: 'Anshan Test Precision Forging Co.' }

/** A .zip holding the files given, stored (no compression): a data package of CSV files. */
function zip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8')
    const fname = Buffer.from(name, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(fname.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(fname.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, fname, data)
    centrals.push(central, fname)
    offset += 30 + fname.length + data.length
  }
  const dir = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(Object.keys(files).length, 8)
  end.writeUInt16LE(Object.keys(files).length, 10)
  end.writeUInt32LE(dir.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, dir, end])
}

describe.skipIf(!!skip)('the cluster manager’s workspace, in Chromium', () => {
  let context: BrowserContext
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    context = await launch()
    page = await context.newPage()
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.stack ?? e}`))
    await signIn(page, base, 'manager', 'en')
  })
  afterAll(async () => {
    if (context) await close(context)
  })

  /** The API's answer to a GET as the signed-in manager (the page's session). */
  const read = <T = any>(path: string): Promise<T> =>
    page.evaluate(async (p) => (await fetch(`/api/v1${p}`, { headers: { accept: 'application/json' } })).json(), path)
  /** The text of a field's message (Naive UI's feedback under the field). */
  const feedback = async (form: string, field: string) => {
    // The message as an error (a hint shown before fades out as it comes).
    const sel = `[data-test="${form}"] [data-test="field-${field}"] .n-form-item-feedback--error`
    await page.waitForSelector(sel)
    return ((await page.textContent(sel)) ?? '').trim()
  }
  /** Chooses an option of a Naive UI select in a form's field. */
  async function choose(form: string, field: string, option: string, search?: string) {
    const sel = `[data-test="${form}"] [data-test="field-${field}"]`
    await page.click(`${sel} .n-base-selection`)
    if (search) await page.keyboard.type(search)
    // The open menu's option (a menu opened before stays in the page, hidden).
    await page.locator('.n-base-select-option', { hasText: option }).filter({ visible: true }).first().click()
  }
  async function both(name: string, ready: string) {
    expect(await axe(page)).toEqual([])
    await shot(page, `manage-${name}-${new URL(page.url()).pathname.slice(1, 3)}`)
    const other = page.url().includes('/en/') ? 'zh' : 'en'
    await switchLanguage(page, other)
    await page.waitForSelector(ready)
    expect(await axe(page)).toEqual([])
    await shot(page, `manage-${name}-${other}`)
  }

  it('the start page links the workspace; the dashboard shows members over time, governance, network and campaigns as the API has them', async () => {
    await page.goto(`${base}/en/start`)
    await page.click(`[data-test="workspace-${ANSHAN.id}"]`)
    await page.waitForURL(`${base}/en/${WORK}`)
    await page.waitForSelector('[data-test="dash-members"]')
    expect(await page.textContent('[data-test="manage-cluster-name"]')).toBe(ANSHAN.en)
    const today = new Date().toISOString().slice(0, 10)
    const current = await read<{ rows: { org: string }[] }>(`/memberships?cluster=${ANSHAN.id}&valid_at=${today}&limit=1000`)
    const orgs = new Set(current.rows.map((m) => m.org)).size
    expect(orgs).toBeGreaterThan(0)
    expect(await page.textContent('[data-test="dash-members"]')).toContain(`${orgs.toLocaleString('en')} current members (${current.rows.length.toLocaleString('en')} memberships)`)
    // One bar per year, from the first membership's year through this one.
    expect(await chartPoints(page, '[data-test="dash-members"]')).toBeGreaterThan(1)
    expect(await page.locator('[data-test="dash-members"] figure.chart canvas').count()).toBe(2)
    const net = await read<{ summary: { nodes: number; edges: number } }>(`/clusters/${ANSHAN.id}/network`)
    expect(Number((await page.textContent('[data-test="net-nodes"]'))!.replace(/\D/g, ''))).toBe(net.summary.nodes)
    expect(Number((await page.textContent('[data-test="net-edges"]'))!.replace(/\D/g, ''))).toBe(net.summary.edges)
    const seats = await read<{ total: number }>(`/governance?cluster=${ANSHAN.id}&valid_at=${today}`)
    expect(await page.textContent('[data-test="dash-governance"]')).toContain(`${seats.total} seats held now`)
    const { campaigns } = await read<{ campaigns: { id: string; status: string; clusters: string[] }[] }>('/campaigns')
    const open = campaigns.filter((c) => c.status === 'open' && c.clusters.includes(ANSHAN.id))
    expect(await page.locator('[data-test="dash-campaigns"] li').count()).toBe(open.length)
    for (const c of open) expect(await page.getAttribute(`[data-test="dash-campaigns"] a[href="/en/campaigns/${c.id}"]`, 'href')).toBeTruthy()
    await both('dashboard', '[data-test="dash-members"] figure.chart canvas')
    expect(await page.textContent('[data-test="dash-members"]')).toContain(`当前成员 ${orgs} 个`)
  })

  it('adds an organization: a bad value refused at its field with the input kept, then stored', async () => {
    await page.goto(`${base}/en/${WORK}/organizations`)
    await page.waitForSelector('[data-test="add-org"]')
    // Nothing typed: each required field says so, nothing is sent.
    await page.click('[data-test="add-org-submit"]')
    expect(await feedback('add-org', 'id')).toBe('Required.')
    await page.fill('[data-test="add-org"] input[name="id"]', ORG.id)
    await page.fill('[data-test="add-org"] input[name="name"]', ORG.name)
    await page.fill('[data-test="add-org"] input[name="name_en"]', ORG.name_en)
    await choose('add-org', 'actor_type', 'Enterprise')
    await page.fill('[data-test="add-org"] input[name="employees"]', 'many')
    await page.fill('[data-test="add-org"] input[name="country"]', 'CN')
    await page.click('[data-test="add-org-submit"]')
    await page.waitForSelector('[data-test="add-org"] [data-test="field-employees"] .n-form-item-feedback--error')
    expect(await feedback('add-org', 'employees')).toMatch(/many/)
    expect(await page.inputValue('[data-test="add-org"] input[name="name"]')).toBe(ORG.name)
    expect((await read(`/organizations/${ORG.id}`)).error?.status).toBe(404)
    expect(await axe(page)).toEqual([])
    await shot(page, 'manage-organizations-refused-en')
    await page.fill('[data-test="add-org"] input[name="employees"]', '120')
    await page.click('[data-test="add-org-submit"]')
    await page.waitForSelector('[data-test="added-orgs"]')
    expect(await page.textContent('[data-test="added-orgs"]')).toContain(ORG.name_en)
    const stored = await read(`/organizations/${ORG.id}`)
    expect([stored.name, stored.name_en, stored.actor_type, stored.employees, stored.country]).toEqual([ORG.name, ORG.name_en, 'enterprise', 120, 'CN'])
    // The form is empty again for the next one.
    expect(await page.inputValue('[data-test="add-org"] input[name="id"]')).toBe('')
    await both('organizations', '[data-test="added-orgs"]')
    expect(await page.textContent('[data-test="added-orgs"]')).toContain(ORG.name)
  })

  it('makes it a member, changes its tier from a day keeping the history, and ends the membership', async () => {
    await page.click('[data-test="make-member"]')
    await page.waitForURL((u) => u.pathname === `/zh/${WORK}/members` && u.search === `?org=${ORG.id}`)
    await switchLanguage(page, 'en')
    await page.waitForSelector('[data-test="add-member"]')
    await choose('add-member', 'tier', 'Partner')
    await page.fill('[data-test="add-member"] input[name="since"]', '2020-13-45')
    await page.click('[data-test="add-member-submit"]')
    await page.waitForSelector('[data-test="add-member"] [data-test="field-since"] .n-form-item-feedback--error')
    expect(await feedback('add-member', 'since')).toMatch(/2020-13-45/)
    const mine = () => read<{ rows: { row_id: number; tier: string; since: string | null; until: string | null }[] }>(`/memberships?cluster=${ANSHAN.id}&org=${ORG.id}&sort=since`)
    expect((await mine()).rows).toEqual([])
    await page.fill('[data-test="add-member"] input[name="since"]', '2020-01-01')
    await page.click('[data-test="add-member-submit"]')
    const row = `[data-test="memberships"] tr[data-org="${ORG.id}"]`
    await page.waitForSelector(row)
    expect(await page.textContent(`${row} [data-test="tier"]`)).toBe('Partner')
    expect((await mine()).rows.map((m) => [m.tier, m.since, m.until])).toEqual([['partner', '2020-01-01', null]])
    expect(await axe(page)).toEqual([])
    await shot(page, 'manage-members-en')

    // A new tier from a day before the membership began: refused at the day.
    await page.click(`${row} [data-test="change-tier"]`)
    await choose('change-tier-form', 'tier', 'Core')
    await page.fill('[data-test="change-tier-form"] input[name="on"]', '2019-06-01')
    await page.click('[data-test="change-tier-form-submit"]')
    await page.waitForSelector('[data-test="change-tier-form"] [data-test="field-on"] .n-form-item-feedback--error')
    expect(await feedback('change-tier-form', 'on')).toContain('began 2020-01-01')
    await page.fill('[data-test="change-tier-form"] input[name="on"]', '2024-01-01')
    await page.click('[data-test="change-tier-form-submit"]')
    await page.waitForSelector(`${row}[data-state="current"] >> text=Core`)
    expect((await mine()).rows.map((m) => [m.tier, m.since, m.until])).toEqual([
      ['partner', '2020-01-01', '2023-12-31'],
      ['core', '2024-01-01', null],
    ])

    // Ended on a day: the row stays, as history.
    await page.click(`${row}[data-state="current"] [data-test="end"]`)
    await page.fill('[data-test="end-form"] input[name="until"]', '2025-06-30')
    await page.click('[data-test="end-form-submit"]')
    await page.waitForSelector(`${row}`, { state: 'detached' })
    expect((await mine()).rows.map((m) => [m.tier, m.since, m.until])).toEqual([
      ['partner', '2020-01-01', '2023-12-31'],
      ['core', '2024-01-01', '2025-06-30'],
    ])
    await page.click('[data-test="toggle-ended"]')
    expect(await page.locator(`${row}[data-state="ended"]`).count()).toBe(2)
    await both('members', '[data-test="memberships"]')
    // At 768 px the page does not scroll sideways.
    await page.setViewportSize({ width: 768, height: 900 })
    await page.waitForTimeout(200)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    await shot(page, 'manage-members-zh-768')
    await page.setViewportSize({ width: 1366, height: 900 })
  })

  it('edits the cluster’s row: a bad number refused at its field, a change stored, then given back', async () => {
    const before = await read<Record<string, unknown>>(`/clusters/${ANSHAN.id}`)
    await page.goto(`${base}/en/${WORK}/edit`)
    await page.waitForSelector('[data-test="edit-cluster"]')
    expect(await page.inputValue('[data-test="edit-cluster"] input[name="name"]')).toBe(before.name)
    const marker = `Edited in the browser test ${ORG.id}.`
    await page.fill('[data-test="edit-cluster"] textarea[name="description"]', marker)
    await page.fill('[data-test="edit-cluster"] input[name="management_fte"]', '-3')
    await page.click('[data-test="edit-cluster-submit"]')
    await page.waitForSelector('[data-test="edit-cluster"] [data-test="field-management_fte"] .n-form-item-feedback--error')
    expect(await feedback('edit-cluster', 'management_fte')).toMatch(/-3/)
    expect(await page.inputValue('[data-test="edit-cluster"] textarea[name="description"]')).toBe(marker)
    expect((await read(`/clusters/${ANSHAN.id}`)).description).toBe(before.description)
    expect(await axe(page)).toEqual([])
    await shot(page, 'manage-cluster-refused-en')
    await page.fill('[data-test="edit-cluster"] input[name="management_fte"]', String(before.management_fte ?? ''))
    await page.click('[data-test="edit-cluster-submit"]')
    await page.waitForSelector('[data-test="edit-cluster"] [data-test="saved"]')
    const after = await read<Record<string, unknown>>(`/clusters/${ANSHAN.id}`)
    expect(after.description).toBe(marker)
    expect({ ...after, description: before.description }).toEqual(before)
    await both('cluster', '[data-test="edit-cluster"]')
    // Given back as it was (the other files read the demo's cluster).
    await page.fill('[data-test="edit-cluster"] textarea[name="description"]', String(before.description ?? ''))
    await page.click('[data-test="edit-cluster-submit"]')
    await page.waitForSelector('[data-test="edit-cluster"] [data-test="saved"]')
    expect(await read(`/clusters/${ANSHAN.id}`)).toEqual(before)
  })

  it('adds a governance seat and ends it', async () => {
    await page.goto(`${base}/en/${WORK}/governance`)
    await page.waitForSelector('[data-test="add-seat"]')
    await choose('add-seat', 'body', 'Working group')
    await choose('add-seat', 'org', ORG.name_en, ORG.name_en.slice(0, 12))
    await choose('add-seat', 'role', 'Member')
    await page.fill('[data-test="add-seat"] input[name="since"]', 'yesterday')
    await page.click('[data-test="add-seat-submit"]')
    await page.waitForSelector('[data-test="add-seat"] [data-test="field-since"] .n-form-item-feedback--error')
    expect(await feedback('add-seat', 'since')).toMatch(/yesterday/)
    await page.fill('[data-test="add-seat"] input[name="since"]', '2024-01-01')
    await page.click('[data-test="add-seat-submit"]')
    const seat = `[data-test="seats"] tr[data-org="${ORG.id}"]`
    await page.waitForSelector(seat)
    expect(await page.textContent(seat)).toContain('Working group')
    const seats = () => read<{ rows: { body: string; role: string; since: string; until: string | null }[] }>(`/governance?cluster=${ANSHAN.id}&org=${ORG.id}`)
    expect((await seats()).rows.map((s) => [s.body, s.role, s.since, s.until])).toEqual([['working_group', 'member', '2024-01-01', null]])
    await both('governance', '[data-test="seats"]')
    await switchLanguage(page, 'en')
    await page.click(`${seat} [data-test="end-seat"]`)
    await page.fill('[data-test="end-seat-form"] input[name="until"]', '2025-06-30')
    await page.click('[data-test="end-seat-form-submit"]')
    await page.waitForSelector(seat, { state: 'detached' })
    expect((await seats()).rows.map((s) => s.until)).toEqual(['2025-06-30'])
  })

  it('adds a project, a participant and funding, each refused at its field first', async () => {
    const project = `${ORG.id}-p1`
    await page.goto(`${base}/en/${WORK}/projects`)
    await page.waitForSelector('[data-test="add-project"]')
    await page.fill('[data-test="add-project"] input[name="id"]', project)
    await page.fill('[data-test="add-project"] input[name="title"]', 'Browser test forging line')
    await page.fill('[data-test="add-project"] input[name="start"]', '2025-03-01')
    await page.fill('[data-test="add-project"] input[name="budget"]', 'lots')
    await page.fill('[data-test="add-project"] input[name="currency"]', 'CNY')
    await choose('add-project', 'status', 'Ongoing')
    await page.click('[data-test="add-project-submit"]')
    await page.waitForSelector('[data-test="add-project"] [data-test="field-budget"] .n-form-item-feedback--error')
    expect(await feedback('add-project', 'budget')).toMatch(/lots/)
    expect(await page.inputValue('[data-test="add-project"] input[name="title"]')).toBe('Browser test forging line')
    await page.fill('[data-test="add-project"] input[name="budget"]', '500000')
    await page.click('[data-test="add-project-submit"]')
    await page.waitForSelector(`[data-test="projects"] tr[data-project="${project}"]`)
    const stored = await read(`/projects/${project}`)
    expect([stored.title, stored.cluster, stored.budget, stored.currency, stored.status]).toEqual(['Browser test forging line', ANSHAN.id, 500000, 'CNY', 'ongoing'])

    await choose('add-part', 'project', `(${project})`, project)
    await choose('add-part', 'org', ORG.name_en, ORG.name_en.slice(0, 12))
    await choose('add-part', 'role', 'Coordinator')
    await page.fill('[data-test="add-part"] input[name="contribution"]', '-5')
    await page.click('[data-test="add-part-submit"]')
    await page.waitForSelector('[data-test="add-part"] [data-test="field-contribution"] .n-form-item-feedback--error')
    await page.fill('[data-test="add-part"] input[name="contribution"]', '100000')
    await page.click('[data-test="add-part-submit"]')
    await page.waitForSelector(`[data-test="projects"] tr[data-project="${project}"] [data-test="participants"] >> text=${ORG.name_en}`)
    const parts = await read<{ rows: { org: string; role: string; contribution: number }[] }>(`/participations?project=${project}`)
    expect(parts.rows.map((x) => [x.org, x.role, x.contribution])).toEqual([[ORG.id, 'coordinator', 100000]])

    await choose('add-funding', 'recipient', `(${project})`, project)
    await choose('add-funding', 'source_type', 'Own funds')
    await page.fill('[data-test="add-funding"] input[name="amount"]', '1000')
    await page.fill('[data-test="add-funding"] input[name="currency"]', 'CNY')
    await page.fill('[data-test="add-funding"] input[name="year"]', '20x5')
    await page.click('[data-test="add-funding-submit"]')
    await page.waitForSelector('[data-test="add-funding"] [data-test="field-year"] .n-form-item-feedback--error')
    expect(await feedback('add-funding', 'year')).toMatch(/20x5/)
    await page.fill('[data-test="add-funding"] input[name="year"]', '2025')
    await page.click('[data-test="add-funding-submit"]')
    await page.waitForSelector(`[data-test="funding"] tr[data-recipient="${project}"]`)
    const funds = await read<{ rows: { source_type: string; amount: number; year: number }[] }>(`/funding?recipient=${project}`)
    expect(funds.rows.map((f) => [f.source_type, f.amount, Number(f.year)])).toEqual([['own', 1000, 2025]])
    await both('projects', `[data-test="projects"] tr[data-project="${project}"]`)
  })

  it('adds a tie of the new member and ends it', async () => {
    const office = { id: 'demo-org-001302', en: 'Anshan Cluster Development Centre (synthetic)' }
    await page.goto(`${base}/en/${WORK}/ties?org=${ORG.id}`)
    await page.waitForSelector('[data-test="add-tie"]')
    await choose('add-tie', 'target', office.en, 'Anshan Cluster Dev')
    await choose('add-tie', 'kind', 'Contract')
    await page.fill('[data-test="add-tie"] input[name="start"]', '2025-08-01')
    await page.fill('[data-test="add-tie"] input[name="weight"]', '0')
    await page.click('[data-test="add-tie-submit"]')
    await page.waitForSelector('[data-test="add-tie"] [data-test="field-weight"] .n-form-item-feedback--error')
    await page.fill('[data-test="add-tie"] input[name="weight"]', '2')
    await page.click('[data-test="add-tie-submit"]')
    const tie = `[data-test="ties"] tr[data-target="${office.id}"]`
    await page.waitForSelector(tie)
    const mine = () => read<{ rows: { target: string; kind: string; start: string; end: string | null; weight: number }[] }>(`/ties?source=${ORG.id}`)
    expect((await mine()).rows.map((x) => [x.target, x.kind, x.start, x.end, x.weight])).toEqual([[office.id, 'contract', '2025-08-01', null, 2]])
    await both('ties', tie)
    await page.click(`${tie} [data-test="end-tie"]`)
    await page.fill('[data-test="end-tie-form"] input[name="end"]', '2025-12-31')
    await page.click('[data-test="end-tie-form-submit"]')
    await page.waitForSelector(`${tie} >> text=2025年12月31日`)
    expect((await mine()).rows.map((x) => x.end)).toEqual(['2025-12-31'])
  })

  it('uploads a package: a bad one refused with the error at its row, a good one previewed, then imported', async () => {
    await page.goto(`${base}/zh/${WORK}/package`)
    await page.waitForSelector('#package-file')
    await both('package', '#package-file')
    const bad = zip({ 'memberships.csv': `cluster,org,tier,since,until\n${ANSHAN.id},${ORG.id},gold,2025-07-01,\n` })
    await page.setInputFiles('#package-file', { name: 'bad.zip', mimeType: 'application/zip', buffer: bad })
    await page.click('[data-test="dry-run"]')
    await page.waitForSelector('[data-test="package-problems"]')
    expect(await page.textContent('[data-test="package-problems"] tbody tr')).toContain('memberships.csv')
    expect(await page.textContent('[data-test="problem-row"]')).toBe('2')
    expect(await page.textContent('[data-test="problem-column"]')).toBe('tier')
    expect(await page.textContent('[data-test="package-problems"] tbody tr')).toContain('gold')
    expect(await axe(page)).toEqual([])
    await shot(page, 'manage-package-refused-en')

    const count = async () => (await read<{ total: number }>(`/memberships?cluster=${ANSHAN.id}&org=${ORG.id}`)).total
    const good = zip({ 'memberships.csv': `cluster,org,tier,since,until\n${ANSHAN.id},${ORG.id},associate,2025-07-01,\n` })
    await page.setInputFiles('#package-file', { name: 'good.zip', mimeType: 'application/zip', buffer: good })
    await page.click('[data-test="dry-run"]')
    await page.waitForSelector('[data-test="package-preview"]')
    expect(await page.textContent('[data-test="package-preview"] tr[data-table="memberships"] [data-test="added"]')).toBe('1')
    expect(await count()).toBe(2)
    expect(await axe(page)).toEqual([])
    await shot(page, 'manage-package-preview-en')
    await page.click('[data-test="import"]')
    await page.waitForSelector('[data-test="package-imported"]')
    expect(await page.textContent('[data-test="package-imported"]')).toContain('Rows added or changed: 1.')
    expect(await count()).toBe(3)
    // And the members page shows it (re-read from the API).
    await page.goto(`${base}/en/${WORK}/members`)
    await page.waitForSelector(`[data-test="memberships"] tr[data-org="${ORG.id}"][data-state="current"]`)
    expect(await page.textContent(`[data-test="memberships"] tr[data-org="${ORG.id}"] [data-test="tier"]`)).toBe('Associate')
  })

  it('offers nothing for a cluster the manager does not manage', async () => {
    const { rows } = await read<{ rows: { id: string }[] }>('/clusters?limit=5&sort=id')
    const other = rows.find((c) => c.id !== ANSHAN.id)!.id
    await page.goto(`${base}/en/work/clusters/${other}/members`)
    await page.waitForSelector('[data-test="not-yours"]')
    expect(await page.locator('form').count()).toBe(0)
    expect(errors).toEqual([])
  })
})
