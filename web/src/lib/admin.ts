// The admin's workspace: accounts (/users), the audit log (/audit) and the
// mail outbox (/outbox), with the logic of its pages apart so that it is
// unit-tested.
import { api, query, row, rows } from './api'
import type { AccountInfo, PersonalData } from './account'
import { nameIn } from './names'
import { watch } from 'vue'
import type { Lang } from '../i18n'
import { session } from './session'

export type Role = 'admin' | 'officer' | 'manager' | 'member'
export const ROLES: Role[] = ['admin', 'officer', 'manager', 'member']
export type ScopeKind = 'cluster' | 'programme' | 'organization'
export const SCOPE_KINDS: ScopeKind[] = ['cluster', 'programme', 'organization']
/** The register table a scope of a kind names. */
export const SCOPE_TABLE: Record<ScopeKind, string> = {
  cluster: 'clusters',
  programme: 'programmes',
  organization: 'organizations',
}
/** The kind of scope a role is usually given (a manager a cluster…). */
export const ROLE_SCOPE: Record<Role, ScopeKind | null> = {
  admin: null,
  officer: 'programme',
  manager: 'cluster',
  member: 'organization',
}

export interface CreatedUser {
  user: AccountInfo
  invitation_token?: string
  note?: string
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  table: string
  key: string
  before: Record<string, unknown> | null
  after: Record<string, unknown> | null
  undone_by: number | null
}

export interface OutboxEntry {
  id: number
  recipient: string
  user_id: number | null
  kind: string
  language: string
  subject: string
  status: string
  attempts: number
  last_error: string | null
  next_attempt_at: string
  created_at: string
  sent_at: string | null
}

export interface OutboxAnswer {
  mail_configured: boolean
  counts: { status: string; count: number }[]
  messages: OutboxEntry[]
}

export const OUTBOX_STATUSES = ['queued', 'sending', 'sent', 'failed', 'given_up'] as const

/** Runs `f` once the session is known to be an admin's (at once if it is already). */
export function whenAdmin(f: () => unknown): void {
  watch(
    () => session.loaded && session.user?.role === 'admin',
    (ok) => {
      if (ok) f()
    },
    { immediate: true },
  )
}

// ------------------------------------------------------------------ accounts

/** An account as `GET /users` lists it: with its assignments (clusters, programmes, organizations). */
export type ListedAccount = AccountInfo & { assignments: PersonalData['assignments'] }
/** Every account with its assignments, in one request. */
export const users = async () => (await api<{ users: ListedAccount[] }>('/users')).users
export const account = (id: number) => api<PersonalData>(`/users/${id}`)
export const invite = (u: { email: string; name?: string; role: Role; language: string }) =>
  api<CreatedUser>('/users', { method: 'POST', body: JSON.stringify(u) })
export const changeUser = (id: number, change: { role?: Role; language?: string; disabled?: boolean }) =>
  api<PersonalData>(`/users/${id}`, { method: 'PATCH', body: JSON.stringify(change) })
export const removeUser = (id: number) => api<void>(`/users/${id}`, { method: 'DELETE' })
export const assign = (id: number, kind: ScopeKind, ref: string) =>
  api<PersonalData>(`/users/${id}/scopes`, { method: 'POST', body: JSON.stringify({ kind, ref }) })
export const unassign = (id: number, kind: ScopeKind, ref: string) =>
  api<void>(`/users/${id}/scopes/${kind}/${encodeURIComponent(ref)}`, { method: 'DELETE' })
export const sendReset = (id: number) => api<{ reset_token: string }>(`/users/${id}/reset`, { method: 'POST' })

/** The state of an account: disabled, invited (no password yet) or active. */
export function accountState(u: Pick<AccountInfo, 'disabled' | 'has_password'>): 'disabled' | 'invited' | 'active' {
  if (u.disabled) return 'disabled'
  return u.has_password ? 'active' : 'invited'
}

/** A register row with a name (a cluster, programme or organization). */
export type Named = { id: string; name: string; name_en?: string | null }

/** The register rows named by scopes, by `kind:id` (those the admin reads; an id without a row is left out). */
export async function scopeNames(scopes: { kind: ScopeKind; ref: string }[]): Promise<Map<string, Named>> {
  const out = new Map<string, Named>()
  const unique = [...new Set(scopes.map((s) => `${s.kind}:${s.ref}`))]
  await Promise.all(
    unique.map(async (k) => {
      const [kind, ...rest] = k.split(':')
      const r = await row<Named>(SCOPE_TABLE[kind as ScopeKind], rest.join(':'))
      if (r) out.set(k, r)
    }),
  )
  return out
}

/** A scope as shown: its row's name in the language, or its id when the row is gone. */
export function scopeLabel(names: Map<string, Named>, kind: ScopeKind, ref: string, lang: Lang): string {
  const r = names.get(`${kind}:${ref}`)
  return r ? nameIn(r, lang) : ref
}

/** Up to 20 rows of a scope's table whose name holds `text`, as options of a select. */
export async function searchScope(kind: ScopeKind, text: string, lang: Lang): Promise<{ label: string; value: string }[]> {
  const page = await rows<Named>(SCOPE_TABLE[kind], { q: text.trim() || undefined, limit: 20, sort: lang === 'en' ? 'name_en' : 'name' })
  return page.rows.map((r) => ({ label: `${nameIn(r, lang)} (${r.id})`, value: r.id }))
}

// ------------------------------------------------------------------ audit

export const AUDIT_PAGE = 25

export const auditLog = (f: { table?: string; key?: string; offset: number }) =>
  api<{ entries: AuditEntry[] }>(
    `/audit${query({ table: f.table, key: f.key, limit: AUDIT_PAGE + 1, offset: f.offset })}`,
  )
export const undo = (id: number) => api<{ undone: number; entry: number }>(`/audit/${id}/undo`, { method: 'POST' })
/** The register's tables (the audit log's filter offers them, and the accounts table). */
export const tables = async () => ['users', ...(await api<{ tables: { name: string }[] }>('/tables')).tables.map((t) => t.name)]

/** The columns an entry changed, each with its value before and after (create: every column; delete: every column). */
export function changes(e: Pick<AuditEntry, 'before' | 'after'>): { column: string; before: unknown; after: unknown }[] {
  const before = e.before ?? {}
  const after = e.after ?? {}
  const cols = [...new Set([...Object.keys(before), ...Object.keys(after)])]
  return cols
    .filter((c) => JSON.stringify(before[c] ?? null) !== JSON.stringify(after[c] ?? null))
    .map((c) => ({ column: c, before: before[c] ?? null, after: after[c] ?? null }))
}

/** A value of a row as shown in the log: text as is, nothing as "—". */
export function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  return typeof v === 'string' ? v : JSON.stringify(v)
}

/** Whether the log's page can offer "undo" for an entry (the API decides: it may still refuse). */
export function undoable(e: Pick<AuditEntry, 'action' | 'undone_by' | 'before' | 'after'>): boolean {
  return e.undone_by === null && e.action !== 'undo' && (e.before !== null || e.after !== null)
}

// ------------------------------------------------------------------ outbox

export const OUTBOX_PAGE = 25

export const outbox = (f: { status?: string; offset: number }) =>
  api<OutboxAnswer>(`/outbox${query({ status: f.status, limit: OUTBOX_PAGE + 1, offset: f.offset })}`)
export const resend = (id: number) => api<OutboxEntry>(`/outbox/${id}/resend`, { method: 'POST' })
