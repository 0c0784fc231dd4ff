// The member organization's workspace: its ties to confirm in the open
// campaigns, the edits a member may make to its organization, and the
// export of what the workspace shows.
import { ApiError, api } from './api'

/** A campaign as GET /campaigns lists it. */
export interface Campaign {
  id: string
  name: string
  period: string
  deadline: string
  status: string
  clusters: string[]
  indicators: string[]
}

/** A tie the campaign asks the member to confirm (GET /campaigns/{id}/ties). */
export interface TieToConfirm {
  row_id: number
  source: string
  target: string
  kind: string
  start: string | null
  org: string
  confirmed: boolean | null
  note: string | null
  /** The other end's name, when the member reads that organization. */
  other_name: string | null
  other_name_en: string | null
}

/** A tie to confirm with the campaign that asks it. */
export interface AskedTie extends TieToConfirm {
  campaign: Campaign
}

/** The other end of a tie, seen from the member's organization. */
export function otherEnd(t: Pick<TieToConfirm, 'source' | 'target' | 'org'>): string {
  return t.source === t.org ? t.target : t.source
}

/** The ties every open campaign asks the caller to confirm, the unanswered first, then by campaign and row. */
export async function tiesToConfirm(campaigns: Campaign[]): Promise<AskedTie[]> {
  const open = campaigns.filter((c) => c.status === 'open')
  const lists = await Promise.all(
    open.map(async (c) => (await api<{ ties: TieToConfirm[] }>(`/campaigns/${encodeURIComponent(c.id)}/ties`)).ties.map((t) => ({ ...t, campaign: c }))),
  )
  return sortAsked(lists.flat())
}

export function sortAsked(ties: AskedTie[]): AskedTie[] {
  return [...ties].sort(
    (a, b) =>
      Number(a.confirmed !== null) - Number(b.confirmed !== null) ||
      a.campaign.deadline.localeCompare(b.campaign.deadline) ||
      a.campaign.id.localeCompare(b.campaign.id) ||
      a.row_id - b.row_id,
  )
}

/** What the UI refuses before asking the server: a dispute says what is wrong. */
export function answerProblem(confirmed: boolean, note: string): 'noteNeeded' | null {
  return !confirmed && !note.trim() ? 'noteNeeded' : null
}

/** Confirms or disputes a tie in a campaign (the one request for it, on every page). */
export function answerTie(campaign: string, row: number, confirmed: boolean, note: string) {
  return api<TieToConfirm>(`/campaigns/${encodeURIComponent(campaign)}/ties/${row}`, {
    method: 'POST',
    body: JSON.stringify({ confirmed, note: note.trim() || null }),
  })
}

/** The columns of its organization a member edits here, in the form's order. */
export const EDITABLE = ['name', 'name_en', 'website', 'employees', 'founded', 'industry', 'identifiers'] as const
export type Editable = (typeof EDITABLE)[number]

/** The form's text values of an organization's row. */
export function formOf(org: Record<string, unknown>): Record<Editable, string> {
  const out = {} as Record<Editable, string>
  for (const k of EDITABLE) out[k] = org[k] === null || org[k] === undefined ? '' : String(org[k])
  return out
}

/**
 * The change a form makes to a row: only the columns that differ, an emptied
 * one as null, employees as a number when it is one (the API says what is
 * wrong otherwise: its message is shown at the field).
 */
export function changes(before: Record<Editable, string>, after: Record<Editable, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const k of EDITABLE) {
    const a = after[k].trim()
    if (a === before[k].trim()) continue
    if (a === '') out[k] = null
    else if (k === 'employees' && /^\d+$/.test(a)) out[k] = Number(a)
    else out[k] = a
  }
  return out
}

/** A refusal's problems by column (422 `problems`), and the message with no column. */
export function problemsByField(e: unknown): { fields: Record<string, string>; general: string } {
  if (e instanceof ApiError) {
    const fields: Record<string, string> = {}
    for (const p of e.problems) if (p.column) fields[p.column] = fields[p.column] ? `${fields[p.column]}; ${p.message}` : p.message
    const general = Object.keys(fields).length ? '' : e.message
    return { fields, general }
  }
  return { fields: {}, general: (e as Error).message }
}

/** A file the browser saves: `name`, holding `data` as indented JSON. */
export function downloadJson(name: string, data: unknown): void {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 1000)
}
