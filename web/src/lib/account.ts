// The account page's API and logic (GET/PATCH/DELETE /auth/me, /auth/me/export,
// /auth/tokens), apart from the page so that it is unit-tested.
import { ApiError, api, type User } from './api'
import type { Lang } from '../i18n'

/** An account as /auth/me and /users/{id} show it: the register's columns of it. */
export interface AccountInfo extends Omit<User, 'clusters' | 'programmes' | 'organizations' | 'readable_clusters'> {
  disabled: boolean
  created_at: string
  has_password: boolean
  digest: boolean
  clusters?: string[]
  programmes?: string[]
  organizations?: string[]
  readable_clusters?: string[]
}

export interface TokenInfo {
  id: number
  name: string
  created_at: string
  last_used: string | null
}

export interface CreatedToken {
  id: number
  name: string
  token: string
  note: string
}

export interface PersonalData {
  user: AccountInfo
  assignments: { kind: 'cluster' | 'programme' | 'organization'; ref: string }[]
  api_tokens: TokenInfo[]
}

export const me = () => api<{ user: AccountInfo; csrf_token?: string }>('/auth/me')
export const changeMe = (change: { language?: string; digest?: boolean }) =>
  api<{ user: AccountInfo }>('/auth/me', { method: 'PATCH', body: JSON.stringify(change) })
export const tokens = async () => (await api<{ api_tokens: TokenInfo[] }>('/auth/tokens')).api_tokens
export const makeToken = (name: string) =>
  api<CreatedToken>('/auth/tokens', { method: 'POST', body: JSON.stringify({ name }) })
export const revokeToken = (id: number) => api<void>(`/auth/tokens/${id}`, { method: 'DELETE' })
export const exportMe = () => api<PersonalData>('/auth/me/export')
export const eraseMe = () => api<void>('/auth/me', { method: 'DELETE' })

/**
 * The field of a form an API error is about: the first of `fields` its
 * message names (the API's 400s say "name …", "'x' is not an e-mail
 * address"…), else `fallback` (the form's main field). `aliases` maps words
 * of a message to a field ("e-mail" → email).
 */
export function fieldOf(
  error: unknown,
  fields: string[],
  fallback: string,
  aliases: Record<string, string> = {},
): string {
  const msg = error instanceof Error ? error.message.toLowerCase() : ''
  for (const f of fields) {
    if (new RegExp(`(^|[^a-z_])${f.toLowerCase()}([^a-z_]|$)`).test(msg)) return f
  }
  for (const [word, f] of Object.entries(aliases)) {
    if (msg.includes(word.toLowerCase())) return f
  }
  return fallback
}

/** Whether an error is the API refusing the request (as opposed to the network failing). */
export function refused(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status >= 400 && error.status < 500
}

/** A timestamp of the API (RFC 3339 or `YYYY-MM-DD HH:MM:SS`, UTC) in the language, to the minute. */
export function formatTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—'
  const norm = /[zZ]|[+-]\d\d:?\d\d$/.test(iso) ? iso.replace(' ', 'T') : `${iso.replace(' ', 'T')}Z`
  const d = new Date(norm)
  if (Number.isNaN(d.getTime())) return iso
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(d)
}

/** The name of the file an export is saved as: weaver-account-<email>-<date>.json. */
export function exportFileName(email: string, now: Date = new Date()): string {
  const safe = email.replace(/[^A-Za-z0-9._-]+/g, '_')
  return `weaver-account-${safe}-${now.toISOString().slice(0, 10)}.json`
}

/** Saves `data` as a JSON file the browser downloads. */
export function download(data: unknown, fileName: string): void {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
