// The cluster manager's workspace: its types and the logic apart from the
// pages (unit-tested in tests/unit/manage.test.ts).
import type { Problem } from './api'
import { ACTOR_TYPES, TIERS, countBy } from './portal'

/** A membership as the rows API answers it (with its `row_id`, the key of PATCH and DELETE). */
export interface MembershipRow {
  row_id: number
  cluster: string
  org: string
  tier: string
  since: string | null
  until: string | null
  visibility?: string | null
  source?: string | null
}

/** A governance seat as the rows API answers it. */
export interface SeatRow {
  row_id: number
  cluster: string
  body: string
  org: string
  role: string | null
  note: string | null
  since: string | null
  until: string | null
}

export interface ProjectRow {
  id: string
  title: string
  cluster: string | null
  start: string | null
  end: string | null
  budget: number | null
  currency: string | null
  field: string | null
  status: string | null
}

export interface FundingRow {
  row_id: number
  recipient: string
  source_type: string
  programme: string | null
  amount: number
  currency: string | null
  year: number | string
}

/** `GET /campaigns`' campaigns (crates/weaver-store/src/campaigns.rs). */
export interface Campaign {
  id: string
  name: string
  period: string
  deadline: string
  status: string
  indicators: string[]
  clusters: string[]
}

/** The summary of `GET /clusters/{id}/network` the dashboard shows. */
export interface NetworkSummary {
  nodes: number
  edges: number
  density: number
  components: number
  giant_size: number
  average_clustering: number | null
}

/** The last day of a register date (`2020` → 2020-12-31, `2020-06` → 2020-06-30, a day itself). */
export function lastDay(iso: string): string {
  if (/^\d{4}$/.test(iso)) return `${iso}-12-31`
  if (/^\d{4}-\d{2}$/.test(iso)) {
    const [y, m] = iso.split('-').map(Number)
    const d = new Date(Date.UTC(y, m, 0)).getUTCDate()
    return `${iso}-${String(d).padStart(2, '0')}`
  }
  return iso
}

/** The first day of a register date (`2020` → 2020-01-01, `2020-06` → 2020-06-01, a day itself). */
export function firstDay(iso: string): string {
  if (/^\d{4}$/.test(iso)) return `${iso}-01-01`
  if (/^\d{4}-\d{2}$/.test(iso)) return `${iso}-01`
  return iso
}

/**
 * Whether a row with `since` and `until` is valid on `day` (YYYY-MM-DD), as
 * the API's `valid_at` reads it: both ends inclusive, a year or month
 * covering all its days, an empty end open.
 */
export function validOn(r: { since: string | null; until: string | null }, day: string): boolean {
  return (!r.since || firstDay(r.since) <= day) && (!r.until || lastDay(r.until) >= day)
}

export interface MembersYear {
  year: number
  /** Memberships valid on 31 December, by tier (in the order of TIERS). */
  byTier: Record<string, number>
  /** Organizations with a membership valid on 31 December, by actor type. */
  byActor: Record<string, number>
}

/**
 * The members at each year end, from the first year a membership begins
 * through `last`: the memberships valid on 31 December counted by tier, and
 * their organizations (each once) by actor type (`unknown` for one not read).
 * Memberships without a start are counted from the first dated year.
 */
export function membersOverTime(
  memberships: { org: string; tier: string; since: string | null; until: string | null }[],
  actorOf: (org: string) => string | undefined,
  last: number,
): MembersYear[] {
  const years = memberships.map((m) => Number((m.since ?? '').slice(0, 4))).filter((y) => y > 0)
  if (!memberships.length) return []
  const first = years.length ? Math.min(...years) : last
  const out: MembersYear[] = []
  for (let y = Math.min(first, last); y <= last; y++) {
    const valid = memberships.filter((m) => validOn(m, `${y}-12-31`))
    const orgs = [...new Set(valid.map((m) => m.org))]
    out.push({
      year: y,
      byTier: Object.fromEntries(countBy(valid, (m) => m.tier, TIERS)),
      byActor: Object.fromEntries(countBy(orgs, (o) => actorOf(o) ?? 'unknown', ACTOR_TYPES)),
    })
  }
  return out
}

/** The keys (tiers, actor types) present in any year, in the given order, then the others. */
export function seriesKeys(years: MembersYear[], pick: 'byTier' | 'byActor', order: readonly string[]): string[] {
  const seen = new Set(years.flatMap((y) => Object.keys(y[pick])))
  return [...order.filter((k) => seen.has(k)), ...[...seen].filter((k) => !order.includes(k)).sort()]
}

/**
 * The problems of a refusal placed at the form's fields: those naming a
 * column the form has go to that field, the rest (a conflict, a column the
 * form does not show) to the form as a whole.
 */
export function placeProblems(
  problems: Problem[],
  fields: string[],
  fallback: string,
): { byField: Record<string, string>; general: string[] } {
  const byField: Record<string, string> = {}
  const general: string[] = []
  for (const p of problems) {
    if (p.column && fields.includes(p.column)) byField[p.column] = byField[p.column] ? `${byField[p.column]} ${p.message}` : p.message
    else general.push(p.column ? `${p.column}: ${p.message}` : p.message)
  }
  if (!problems.length) {
    // A 400 names its parameter first (`on: '2024-13-01' is not a valid date`).
    const named = /^(\w+): (.+)$/s.exec(fallback)
    if (named && fields.includes(named[1])) byField[named[1]] = named[2]
    else general.push(fallback)
  }
  return { byField, general }
}

/**
 * A form's values as the body of a write: trimmed text; empty ones left out
 * of a new row (`null` in a change, which clears the field); numbers sent as
 * numbers when they are numbers (otherwise as typed, for the API to name).
 * A change sends only the fields that differ from `before`.
 */
export function rowBody(
  values: Record<string, string>,
  numeric: string[],
  before: Record<string, unknown> | null = null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, raw] of Object.entries(values)) {
    const v = (raw ?? '').trim()
    let value: unknown = v === '' ? null : v
    if (v !== '' && numeric.includes(k) && /^-?\d+(\.\d+)?$/.test(v)) value = Number(v)
    if (before) {
      const old = before[k] ?? null
      if (String(old ?? '') === String(value ?? '')) continue
      out[k] = value
    } else if (value !== null) {
      out[k] = value
    }
  }
  return out
}

/** The day before a YYYY-MM-DD day (the end of a row closed when the next begins). */
export function dayBefore(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10)
}

/** Campaigns still open for one of the clusters, soonest deadline first. */
export function openCampaigns(campaigns: Campaign[], cluster: string): Campaign[] {
  return campaigns
    .filter((c) => c.status === 'open' && c.clusters.includes(cluster))
    .sort((a, b) => a.deadline.localeCompare(b.deadline))
}

/** A problem of a refused package as one line of its table: file, row, column, message. */
export function problemRows(problems: Problem[]): { file: string; row: string; column: string; message: string }[] {
  return problems.map((p) => ({ file: p.file ?? '—', row: p.row == null ? '—' : String(p.row), column: p.column ?? '—', message: p.message }))
}
