// A monitoring campaign from opening to frozen results, in a real browser on
// the demo register: the officer's programme workspace (roster, campaigns,
// league table), opening a campaign (problems at their fields), the manager
// answering by form (a refused value at its field first), the member's view,
// and the officer reminding, closing and publishing. Only the campaign this
// file opens (and its period's observations, which no other test reads) is
// changed.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { BrowserContext, Page } from 'playwright-core'
import { axe, close, launch, shot, signIn, switchLanguage } from './harness'

const base = inject('baseUrl')
const skip = inject('skip')

// The demo officer's programme: the national one that funds the demo manager's cluster.
const PROGRAMME = 'demo-cn-amc'
const ANSHAN = { id: 'demo-cn-anshan-steel', en: 'Anshan Steel Processing Cluster (synthetic demo)' }
const CAMPAIGN = 'e2e-campaign-2025'
const PERIOD = '2025'
const INDICATORS = ['co_patent_share', 'leading_firms']

/** A day `days` from now, as YYYY-MM-DD (a deadline the API takes). */
function dayFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
}

/** A GET of the API as the page's signed-in account. */
async function apiGet<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (p) => {
    const r = await fetch(`/api/v1${p}`, { headers: { accept: 'application/json' } })
    return r.json()
  }, path) as Promise<T>
}

/**
 * axe and a screenshot of the page in one language, then the other (through
 * the header's switch; the page is shown afresh, so `again` brings it back
 * to the state to shoot).
 */
async function bothLanguages(page: Page, name: string, ready: string, again?: () => Promise<void>): Promise<void> {
  for (const lang of ['en', 'zh'] as const) {
    if (!page.url().includes(`/${lang}/`)) {
      await switchLanguage(page, lang)
      if (again) await again()
    }
    await page.waitForSelector(ready)
    expect(await axe(page), `${name} in ${lang}`).toEqual([])
    await shot(page, `${name}-${lang}`)
  }
}

/** Whether the page scrolls sideways (it should not at 768 px). */
const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1)

describe.skipIf(!!skip)('monitoring campaigns, in Chromium', () => {
  let officer: BrowserContext
  let op: Page
  let other = ''

  // The demo's officer (programme demo-cn-amc) funds the demo manager's
  // cluster (Anshan's steel cluster): the officer asks, the manager answers.
  beforeAll(async () => {
    officer = await launch()
    op = await officer.newPage()
  })
  afterAll(async () => {
    if (officer) await close(officer)
  })

  it('the officer reaches its programme’s workspace: the roster with stages and scores, and the league table', async () => {
    await signIn(op, base, 'officer', 'en')
    await op.click(`[data-test="workspace-link"][href="/en/work/programmes/${PROGRAMME}"]`)
    await op.waitForURL(`${base}/en/work/programmes/${PROGRAMME}`)
    await op.waitForSelector('[data-test="roster"] tbody tr')
    await op.waitForSelector('[data-test="league"] tbody tr')
    const roster = await op.$$eval('[data-test="roster"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-cluster')))
    expect(roster).toContain(ANSHAN.id)
    // The league table: real rows, ranked with a score, and the roster's scores from it.
    const league = await op.$$eval('[data-test="league"] tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())),
    )
    expect(league.length).toBeGreaterThan(0)
    expect(league[0][0]).toBe('1')
    expect(Number(league[0][2])).toBeGreaterThan(0)
    expect(await op.textContent('[data-test="league-about"]')).toMatch(/ranked in 2024/)
    const score = await op.textContent(`[data-test="roster"] tr[data-cluster="${ANSHAN.id}"] [data-test="score"]`)
    expect(score).toMatch(/^\d/)
    await bothLanguages(op, 'officer-workspace', '[data-test="league"] tbody tr')
    // At 768 px the page does not scroll sideways (its tables scroll in their cards).
    await op.setViewportSize({ width: 768, height: 900 })
    expect(await scrollsSideways(op)).toBe(false)
    await shot(op, 'officer-workspace-zh-768')
    await op.setViewportSize({ width: 1366, height: 900 })
  })

  it('the officer opens a campaign: each problem at its field first, then on the board', async () => {
    await switchLanguage(op, 'en')
    await op.click('[data-test="open-campaign"]')
    await op.waitForURL(`${base}/en/work/campaigns/new?programme=${PROGRAMME}`)
    await op.waitForSelector('[data-test="new-campaign"] input[name="clusters"]')
    // Sent empty, with a deadline in the past and a period that is none.
    await op.fill('#c-period', '2025-Q7')
    await op.fill('#c-deadline', '2020-01-31')
    await op.click('[data-test="open"]')
    expect(await op.textContent('[data-field="name"]')).toBe('Fill this in.')
    expect(await op.textContent('[data-field="id"]')).toBe('Fill this in.')
    expect(await op.textContent('[data-field="period"]')).toMatch(/a year \(2025\), a quarter/)
    expect(await op.textContent('[data-field="deadline"]')).toMatch(/in the past/)
    expect(await op.textContent('[data-field="indicators"]')).toBe('Choose at least one indicator.')
    expect(await op.inputValue('#c-period')).toBe('2025-Q7')
    await bothLanguages(op, 'campaign-new', '[data-field="indicators"]', () => op.click('[data-test="open"]'))
    await switchLanguage(op, 'en')

    await op.fill('#c-name', 'Anhui bases, 2025 (browser test)')
    await op.fill('#c-id', CAMPAIGN)
    await op.fill('#c-period', PERIOD)
    await op.fill('#c-deadline', dayFromNow(30))
    for (const i of INDICATORS) await op.check(`input[name="indicators"][value="${i}"]`)
    // The manager's cluster and one other of the roster (which has no manager account).
    const ids = await op.$$eval('input[name="clusters"]', (xs) => xs.map((x) => (x as HTMLInputElement).value))
    expect(ids).toContain(ANSHAN.id)
    other = ids.find((x) => x !== ANSHAN.id)!
    for (const x of ids) if (x !== ANSHAN.id && x !== other) await op.uncheck(`input[name="clusters"][value="${x}"]`)
    await op.click('[data-test="open"]')
    await op.waitForURL(`${base}/en/campaigns/${CAMPAIGN}`)
    await op.waitForSelector('[data-test="board"]')
    const lines = await op.$$eval('[data-test="board"] tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-cluster'), tr.getAttribute('data-state')]))
    expect(lines).toEqual(expect.arrayContaining([[ANSHAN.id, 'missing'], [other, 'missing']]))
    expect(lines).toHaveLength(2)
    expect(await op.textContent('[data-test="counts"]')).toBe('0 submitted · 2 missing · 0 overdue')

    // The same identifier again: the API's refusal at its field, the input kept.
    await op.goto(`${base}/en/work/campaigns/new?programme=${PROGRAMME}`)
    await op.waitForSelector('input[name="clusters"]')
    await op.fill('#c-name', 'Twice')
    await op.fill('#c-id', CAMPAIGN)
    await op.fill('#c-period', PERIOD)
    await op.fill('#c-deadline', dayFromNow(30))
    await op.check(`input[name="indicators"][value="${INDICATORS[0]}"]`)
    await op.click('[data-test="open"]')
    await op.waitForFunction(() => !!document.querySelector('[data-field="id"]')?.textContent)
    expect(await op.textContent('[data-field="id"]')).toMatch(/already a campaign/)
    expect(await op.inputValue('#c-name')).toBe('Twice')
  })

  it('the manager answers by form: a value out of range refused at its field, then the board shows it submitted', async () => {
    const ctx = await launch()
    try {
      const page = await ctx.newPage()
      await signIn(page, base, 'manager', 'en')
      await page.click('[data-test="campaigns-link"]')
      await page.waitForURL(`${base}/en/work/campaigns`)
      await page.waitForSelector('[data-test="open-campaigns"]')
      expect(await page.textContent('[data-test="open-campaigns"]')).toContain('Anhui bases, 2025 (browser test)')
      await bothLanguages(page, 'campaigns-list', '[data-test="open-campaigns"]')
      await switchLanguage(page, 'en')
      await page.click(`a[href="/en/campaigns/${CAMPAIGN}"]`)
      await page.waitForURL(`${base}/en/campaigns/${CAMPAIGN}`)
      const form = `form[data-test="answer"][data-cluster="${ANSHAN.id}"]`
      await page.waitForSelector(form)
      // The manager's board: its own cluster only.
      const lines = await page.$$eval('[data-test="board"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-cluster')))
      expect(lines).toEqual([ANSHAN.id])
      // Each field with its unit and the last period's value, as the API has it.
      const last = await apiGet<{ rows: { indicator: string; value: number }[] }>(
        page,
        `/observations?cluster=${ANSHAN.id}&period=2024&limit=100`,
      )
      const lastOf = (i: string) => last.rows.find((r) => r.indicator === i)!.value
      expect(await page.textContent(`#h-${ANSHAN.id}-co_patent_share`)).toMatch(/^\s*Last period \(2024\): /)
      expect(await page.textContent(`${form} label[for="v-${ANSHAN.id}-co_patent_share"]`)).toMatch(/\(share/)

      const refused = async () => {
        await page.waitForSelector(form)
        await page.fill(`#v-${ANSHAN.id}-co_patent_share`, '1.5')
        await page.fill(`#v-${ANSHAN.id}-leading_firms`, String(lastOf('leading_firms')))
        await page.click(`${form} [data-test="submit-answer"]`)
        await page.waitForFunction(() => !!document.querySelector('[data-field="co_patent_share"]')?.textContent)
      }
      await refused()
      expect(await page.textContent(`${form} [data-field="co_patent_share"]`)).toMatch(/1\.5/)
      expect(await page.getAttribute(`#v-${ANSHAN.id}-co_patent_share`, 'aria-invalid')).toBe('true')
      expect(await page.inputValue(`#v-${ANSHAN.id}-co_patent_share`)).toBe('1.5')
      // Nothing was stored: the board still says missing.
      expect(await page.getAttribute(`[data-test="board"] tr[data-cluster="${ANSHAN.id}"]`, 'data-state')).toBe('missing')
      await bothLanguages(page, 'campaign-answer', form, refused)
      await switchLanguage(page, 'en')
      await refused()

      // The template downloads; a file that is none is refused with the API's reason, nothing stored.
      const template = await page.evaluate(async (href) => {
        const r = await fetch(href)
        return { status: r.status, type: r.headers.get('content-type') }
      }, (await page.getAttribute('[data-test="template"]', 'href'))!)
      expect(template).toEqual({ status: 200, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
      await page.setInputFiles('#upload-file', { name: 'answers.xlsx', mimeType: 'text/plain', buffer: Buffer.from('not a workbook') })
      await page.click('[data-test="send-file"]')
      await page.waitForSelector('[data-test="upload-error"]')
      expect(await page.textContent('[data-test="upload-error"]')).toMatch(/\.xlsx template/)
      // The template sent back unfilled: each empty value refused at its row and column.
      const bytes = await page.evaluate(async (href) => [...new Uint8Array(await (await fetch(href)).arrayBuffer())], (await page.getAttribute('[data-test="template"]', 'href'))!)
      await page.setInputFiles('#upload-file', { name: `campaign-${CAMPAIGN}.xlsx`, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) })
      await page.click('[data-test="send-file"]')
      await page.waitForSelector('[data-test="upload-problems"] tbody tr')
      const rows = await page.$$eval('[data-test="upload-problems"] tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())))
      expect(rows).toEqual([
        ['2', 'value', 'value is required here'],
        ['3', 'value', 'value is required here'],
      ])
      expect(await page.getAttribute(`[data-test="board"] tr[data-cluster="${ANSHAN.id}"]`, 'data-state')).toBe('missing')

      // A value that jumps from the last period (beyond the factor 3) is held back until confirmed.
      const before = lastOf('co_patent_share')
      const jump = before * 3.2 <= 1 ? before * 3.2 : before / 3.2
      await page.fill(`#v-${ANSHAN.id}-co_patent_share`, String(Number(jump.toFixed(4))))
      await page.click(`${form} [data-test="submit-answer"]`)
      await page.waitForSelector(`${form} [data-test="jump"]`)
      expect(await page.textContent(`${form} [data-field="co_patent_share"]`)).toMatch(/jump to confirm/)
      expect(await page.getAttribute(`[data-test="board"] tr[data-cluster="${ANSHAN.id}"]`, 'data-state')).toBe('missing')
      await page.click(`${form} [data-test="confirm-jump"]`)
      await page.waitForSelector(`${form} [data-test="saved"]`)
      expect(await page.textContent(`${form} [data-test="saved"]`)).toBe('Saved: 2 added, 0 changed.')
      await page.waitForSelector(`[data-test="board"] tr[data-cluster="${ANSHAN.id}"][data-state="submitted"]`)
    } finally {
      await close(ctx)
    }
  })

  it('a member of the cluster opens the campaign from its mail: the ties it is asked to confirm', async () => {
    const ctx = await launch()
    try {
      const page = await ctx.newPage()
      await signIn(page, base, 'member', 'en')
      // The mail's link has no language: the page opens in the preferred one.
      await page.goto(`${base}/campaigns/${CAMPAIGN}`)
      await page.waitForURL(new RegExp(`/(zh|en)/campaigns/${CAMPAIGN}$`))
      await page.waitForSelector('[data-test="campaign-name"]')
      expect(await page.textContent('[data-test="campaign-name"]')).toBe('Anhui bases, 2025 (browser test)')
      if (!page.url().includes('/en/')) await switchLanguage(page, 'en')
      expect(await page.textContent('[data-test="no-board"]')).toMatch(/ties of your organization/)
      // It confirms one tie of its organization and disputes another, with a
      // note (the list is its workspace's: a dispute opens a note first).
      await page.waitForSelector('[data-test="ties"] li.tie')
      const ties = page.locator('[data-test="ties"] li.tie')
      expect(await ties.count()).toBeGreaterThan(1)
      // The other ends by name (the API embeds the names the member reads), not by id.
      const names = await ties.locator('.who').allTextContents()
      expect(names.some((n) => n.trim() && !/^demo-org-\d+$/.test(n.trim())), names.join(' | ')).toBe(true)
      await ties.nth(0).locator('[data-test="confirm"]').click()
      await ties.nth(0).locator('[data-test="state"]', { hasText: 'Confirmed' }).waitFor()
      await ties.nth(1).locator('[data-test="dispute"]').click()
      await ties.nth(1).locator('textarea').fill('the contract ended in 2023')
      await ties.nth(1).locator('[data-test="send-dispute"]').click()
      await ties.nth(1).locator('[data-test="state"]', { hasText: 'Disputed' }).waitFor()
      await bothLanguages(page, 'campaign-member', '[data-test="campaign-name"]')
    } finally {
      await close(ctx)
    }
  })

  it('the officer reminds (who was not reached and why), closes after confirming, sees the frozen results, publishes', async () => {
    await op.goto(`${base}/en/campaigns/${CAMPAIGN}`)
    await op.waitForSelector(`[data-test="board"] tr[data-cluster="${ANSHAN.id}"][data-state="submitted"]`)
    expect(await op.getAttribute(`[data-test="board"] tr[data-cluster="${other}"]`, 'data-state')).toBe('missing')
    expect(await op.textContent('[data-test="counts"]')).toBe('1 submitted · 1 missing · 0 overdue')
    // The member's answers count on its cluster's line.
    expect(await op.textContent(`[data-test="board"] tr[data-cluster="${ANSHAN.id}"] [data-test="tie-counts"]`)).toMatch(/^1 \/ 1 \/ \d+$/)
    await bothLanguages(op, 'campaign-board', '[data-test="board"]')
    await switchLanguage(op, 'en')

    await op.click('[data-test="remind"]')
    await op.waitForSelector('[data-test="reach"]')
    expect(await op.textContent('[data-test="unreached"]')).toContain('the cluster has no manager account')

    await op.click('[data-test="close"]')
    await op.waitForSelector('[data-test="close-confirm"]')
    expect(await op.textContent('[data-test="close-confirm"]')).toMatch(/1 clusters have not submitted everything/)
    // Cancelling leaves it open.
    await op.click('[data-test="close-no"]')
    expect(await op.getAttribute('[data-test="status"]', 'data-status')).toBe('open')
    await op.click('[data-test="close"]')
    await op.click('[data-test="close-yes"]')
    await op.waitForSelector('[data-test="status"][data-status="closed"]')
    await op.waitForSelector('[data-test="results"] tbody tr')
    const results = await op.$$eval('[data-test="results"] tbody tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-cluster'), tr.querySelector('td')!.textContent!.trim()]),
    )
    expect(results).toEqual(expect.arrayContaining([[ANSHAN.id, 'Submitted'], [other, 'Missing']]))
    expect(await op.$('[data-test="remind"]')).toBeNull()

    await op.click('[data-test="publish"]')
    await op.waitForFunction(() => document.querySelector('[data-test="status"]')?.textContent?.includes('published'))
    await bothLanguages(op, 'campaign-closed', '[data-test="results"]')
    // At 768 px the campaign page does not scroll sideways (the board and results scroll in their cards).
    await op.setViewportSize({ width: 768, height: 900 })
    expect(await scrollsSideways(op)).toBe(false)
    await shot(op, 'campaign-closed-zh-768')
    await op.setViewportSize({ width: 1366, height: 900 })
  })
})
