// Monitoring campaigns and the officer's workspace: the API's answers as
// types, and the logic of the pages apart from them (unit-tested).
import { watch } from 'vue'
import { ApiError, api, send as sendApi } from './api'

/** A campaign (`GET /campaigns/{id}`'s `campaign`). */
export interface Campaign {
  id: string
  name: string
  period: string
  deadline: string
  status: 'open' | 'closed'
  created_by: string
  created_at: string
  closed_at: string | null
  published_at: string | null
  indicators: string[]
  clusters: string[]
}

/** One cluster's line of the status board. */
export interface ClusterStatus {
  cluster: string
  state: 'submitted' | 'missing' | 'overdue'
  present: number
  expected: number
  missing: string[]
  ties: number
  ties_confirmed: number
  ties_disputed: number
}

export interface Board {
  campaign: Campaign
  status: ClusterStatus[]
}

/** `POST /campaigns/{id}/remind`: who was reminded, who could not be reached and why. */
export interface Reach {
  reminders: { to: string; cluster: string }[]
  unreached: { cluster: string; to?: string; reason: string; detail: string }[]
}

/** A result kept when the campaign closed (`GET /campaigns/{id}/results`). */
export interface KeptResult {
  cluster: string
  kind: 'network' | 'status' | 'evaluation' | string
  computed_at: string
  result: Record<string, unknown> | null
}

/** An indicator of the register (its checks are the ones a submission is held to). */
export interface Indicator {
  id: string
  name: string
  name_en: string | null
  unit: string | null
  dimension?: string | null
  min_value?: number | null
  max_value?: number | null
  integer_only?: boolean | number | null
  jump_factor?: number | null
}

export interface Observation {
  cluster: string
  indicator: string
  period: string
  value: number
}

/** A league table (`GET /evaluation/index`), as the caller may see it. */
export interface League {
  population: { kind: string; id: string | null; clusters: number }
  period: string
  currency: string
  method: string
  view: 'full' | 'own' | 'published'
  published_at: string | null
  of: number
  clusters: {
    cluster: string
    score: number | null
    rank: number | null
    coverage: number
    missing: { indicator: string; reason: string; detail: string }[]
  }[]
  others: { n: number; min: number; q1: number; median: number; q3: number; max: number } | null
  rates: { currency: string; year: number; per_eur: number; source: string }[]
  notices: string[]
}

import type { Problem } from './api'
export type { Problem }

/** An answer of the API that is not 2xx, with its problems (each at its row and column). */
export const Refusal = ApiError
export type Refusal = ApiError

/**
 * A write to the API (JSON, or the bytes of a file) whose refusal keeps the
 * API's `problems`, so that the pages show each at its field, row and column.
 */
export function send<T>(path: string, method: string, body?: unknown, bytes?: Blob): Promise<T> {
  return sendApi<T>(path, { method, body: bytes ?? (body === undefined ? undefined : JSON.stringify(body)) })
}

const enc = encodeURIComponent

export const board = (id: string) => api<Board>(`/campaigns/${enc(id)}`)
export const campaigns = () => api<{ campaigns: Campaign[] }>('/campaigns').then((a) => a.campaigns)
export const results = (id: string) => api<{ results: KeptResult[] }>(`/campaigns/${enc(id)}/results`).then((a) => a.results)
export const remind = (id: string) => send<Reach>(`/campaigns/${enc(id)}/remind`, 'POST')
export const close = (id: string) => send<Board>(`/campaigns/${enc(id)}/close`, 'POST')
export const publish = (id: string) => send<{ campaign: Campaign }>(`/campaigns/${enc(id)}/publish`, 'POST')
export const templateUrl = (id: string) => `/api/v1/campaigns/${enc(id)}/template`

/** The fields of the form that opens a campaign. */
export interface NewCampaign {
  id: string
  name: string
  period: string
  deadline: string
  indicators: string[]
  clusters: string[]
}
export type CampaignField = keyof NewCampaign

/** A period as the API takes it: a year (2024), a quarter (2024-Q3) or a month (2024-07). */
export function isPeriod(p: string): boolean {
  return /^\d{4}$/.test(p) || /^\d{4}-Q[1-4]$/.test(p) || /^\d{4}-(0[1-9]|1[0-2])$/.test(p)
}

/** Whether `d` is a real calendar day written YYYY-MM-DD. */
export function isDay(d: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return false
  const x = new Date(`${d}T00:00:00Z`)
  return !Number.isNaN(x.getTime()) && x.toISOString().slice(0, 10) === d
}

/**
 * What is wrong with a new campaign before it is sent, by the API's rules
 * (the same messages' keys the page shows at each field): empty or missing
 * values, a period or deadline the API would refuse, a deadline before today.
 */
export function campaignProblems(c: NewCampaign, today: string): Partial<Record<CampaignField, string>> {
  const p: Partial<Record<CampaignField, string>> = {}
  if (!c.id.trim()) p.id = 'required'
  else if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(c.id.trim())) p.id = 'idChars'
  if (!c.name.trim()) p.name = 'required'
  if (!c.period.trim()) p.period = 'required'
  else if (!isPeriod(c.period.trim())) p.period = 'period'
  if (!c.deadline) p.deadline = 'required'
  else if (!isDay(c.deadline)) p.deadline = 'day'
  else if (c.deadline < today) p.deadline = 'past'
  if (!c.indicators.length) p.indicators = 'indicators'
  if (!c.clusters.length) p.clusters = 'clusters'
  return p
}

const CAMPAIGN_FIELDS: CampaignField[] = ['id', 'name', 'period', 'deadline', 'indicators', 'clusters']

/**
 * The field of the campaign form a refusal of `POST /campaigns` without
 * problems is about: the API's 403 names the cluster the officer may not
 * ask, its 409 the id already taken, a 400 of the request's text the value
 * it refuses. (Its 422 gives each problem's field itself: `campaignRefusal`.)
 */
export function campaignField(e: { status: number; message: string; problems?: Problem[] }): CampaignField | null {
  const col = e.problems?.find((p) => p.column)?.column
  if (col && (CAMPAIGN_FIELDS as string[]).includes(col)) return col as CampaignField
  const m = e.message
  if (e.status === 409 || /already a campaign/.test(m)) return 'id'
  if (e.status === 403 && /^cluster '/.test(m)) return 'clusters'
  const named = CAMPAIGN_FIELDS.find((f) => new RegExp(`^${f}\\b`).test(m))
  return named ?? null
}

/**
 * A refusal of `POST /campaigns` as the form shows it: each of the 422's
 * problems at its field (several at one field joined), and what names no
 * field as the form's general message.
 */
export function campaignRefusal(e: { status: number; message: string; problems?: Problem[] }): {
  fields: Partial<Record<CampaignField, string>>
  general: string
} {
  const fields: Partial<Record<CampaignField, string>> = {}
  const rest: string[] = []
  for (const p of e.problems ?? []) {
    const f = p.column && (CAMPAIGN_FIELDS as string[]).includes(p.column) ? (p.column as CampaignField) : null
    if (f) fields[f] = fields[f] ? `${fields[f]}; ${p.message}` : p.message
    else rest.push(p.message)
  }
  if (!e.problems?.length) {
    const f = campaignField(e)
    if (f) fields[f] = e.message
    else rest.push(e.message)
  }
  return { fields, general: rest.join('; ') }
}

/** The granularity of a period: `year`, `quarter` or `month`. */
export function granularity(p: string): 'year' | 'quarter' | 'month' {
  return p.includes('Q') ? 'quarter' : p.length === 7 ? 'month' : 'year'
}

/**
 * The cluster's last value of each indicator before `period`, of the same
 * granularity (as the API's jump check and template compare them): the
 * "last period" shown beside each field of the answering form.
 */
export function lastValues(obs: Observation[], period: string): Map<string, { period: string; value: number }> {
  const g = granularity(period)
  const out = new Map<string, { period: string; value: number }>()
  for (const o of obs) {
    if (o.period >= period || granularity(o.period) !== g) continue
    const had = out.get(o.indicator)
    if (!had || o.period > had.period) out.set(o.indicator, { period: o.period, value: o.value })
  }
  return out
}

/** Keys of `values` sorted as the API reads a submission (its object's keys, by bytes). */
export function submissionOrder(indicators: string[]): string[] {
  return [...indicators].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The problems of a refused submission, per indicator: the API numbers the
 * rows of `values` in its key order ({@link submissionOrder}); `jump` says a
 * value is only to be confirmed (sent again with `confirm`).
 */
export function submissionProblems(
  problems: Problem[],
  sent: string[],
): Map<string, { message: string; jump: boolean }> {
  const out = new Map<string, { message: string; jump: boolean }>()
  for (const p of problems) {
    const ind = p.row ? sent[p.row - 1] : sent.find((i) => p.message.includes(`${i}:`))
    if (!ind) continue
    const jump = /jump to confirm|confirm: true/.test(p.message)
    const had = out.get(ind)
    out.set(ind, { message: had ? `${had.message}; ${p.message}` : p.message, jump: (had?.jump ?? true) && jump })
  }
  return out
}

/** The board's lines counted by state. */
export function stateCounts(lines: ClusterStatus[]): Record<ClusterStatus['state'], number> {
  const out = { submitted: 0, missing: 0, overdue: 0 }
  for (const l of lines) out[l.state] += 1
  return out
}

/** Parses a value typed in a form (a comma as decimal point too); null if it is no number. */
export function parseValue(s: string): number | null {
  const t = s.trim().replace(/\s/g, '').replace(/,(?=\d+$)/, '.')
  if (!t || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null
  const n = Number(t)
  return Number.isFinite(n) ? n : null
}

/** The frozen results by cluster: its status line, evaluation and network summary. */
export function frozenByCluster(rs: KeptResult[]) {
  const out = new Map<string, { evaluation?: Record<string, unknown>; status?: Record<string, unknown>; network?: Record<string, unknown>; at: string }>()
  for (const r of rs) {
    const e = out.get(r.cluster) ?? { at: r.computed_at }
    if (r.result && (r.kind === 'evaluation' || r.kind === 'status' || r.kind === 'network')) e[r.kind] = r.result
    out.set(r.cluster, e)
  }
  return out
}

/** Resolves once the session is known (the pages ask who is signed in before they choose what to show). */
export function sessionReady(s: { loaded: boolean }): Promise<void> {
  if (s.loaded) return Promise.resolve()
  return new Promise((ok) => {
    const stop = watch(
      () => s.loaded,
      (l) => {
        if (l) {
          stop()
          ok()
        }
      },
    )
  })
}

/** A value of an observation in the language's convention, with the decimals it has (up to 6). */
export function formatValue(n: number, lang: 'zh' | 'en'): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 6 }).format(n)
}
