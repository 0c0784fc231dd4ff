// The API under /api/v1, as the signed-in user (session cookie) or the public.

/** One problem of a refused row or package, at its place (the API's 422 `problems`). */
export interface Problem {
  file?: string | null
  row?: number | null
  column?: string | null
  message: string
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public problems: Problem[] = [],
  ) {
    super(message)
  }
}

export interface Page<T> {
  rows: T[]
  total: number
  limit: number
  offset: number
}

export interface Cluster {
  id: string
  name: string
  name_en: string | null
  region: string | null
  country: string | null
  sectors: string | null
  form: string | null
  founded: string | null
  manager_org: string | null
  management_fte: number | null
  website: string | null
  description: string | null
  source?: string | null
}

export interface Region {
  id: string
  name: string
  name_en: string | null
  level: string
  parent: string | null
  country: string
  lat: number | null
  lon: number | null
}

export interface Programme {
  id: string
  name: string
  name_en: string | null
  agency: string | null
  level: string | null
  start?: string | null
  end?: string | null
}

export interface ProgrammeCluster {
  programme: string
  cluster: string
  since: string | null
  until: string | null
}

export interface Organization {
  id: string
  name: string
  name_en: string | null
  actor_type: string
  country?: string | null
  region?: string | null
  size?: string | null
  employees?: number | null
  founded?: string | null
  website?: string | null
}

export interface Project {
  id: string
  title: string
  cluster: string | null
  field: string | null
  status: string | null
  start: string | null
  end: string | null
  budget: number | null
  currency: string | null
}

export interface Participation {
  project: string
  org: string
  role: string
  contribution: number | null
}

export interface Membership {
  cluster: string
  org: string
  tier: string
  since: string | null
  until: string | null
}

export interface Governance {
  cluster: string
  body: string
  org: string
  role: string
  since: string | null
  until: string | null
}

export interface User {
  id: number
  email: string
  name: string | null
  role: 'admin' | 'officer' | 'manager' | 'member'
  language: string
  clusters: string[]
  programmes: string[]
  organizations: string[]
  readable_clusters: string[]
}

/** The fetch the module uses (replaced in unit tests). */
export let fetcher: typeof fetch = (...args) => fetch(...args)
export function setFetcher(f: typeof fetch): void {
  fetcher = f
}

let csrf: string | null = null
export function setCsrf(token: string | null): void {
  csrf = token
}

/** A query string from the values given (empty ones left out). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** A request to the API (a JSON body as text); a refusal throws an {@link ApiError} with the API's problems. */
export function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  return send<T>(path, init)
}

/** A page of a table's rows. */
export function rows<T>(table: string, params: Record<string, string | number | undefined | null> = {}) {
  return api<Page<T>>(`/${table}${query(params)}`)
}

/** Every row of a table that matches (pages of 1,000 until the total). */
export async function allRows<T>(
  table: string,
  params: Record<string, string | number | undefined | null> = {},
): Promise<T[]> {
  const out: T[] = []
  for (;;) {
    const page = await rows<T>(table, { ...params, limit: 1000, offset: out.length })
    out.push(...page.rows)
    if (page.rows.length === 0 || out.length >= page.total) return out
  }
}

/**
 * Every row of `table` whose `column` is one of `values` that the caller may
 * read, asked with the lists' multi-value filter (`column=a,b,…`) in batches
 * of 100 values, so that a page never asks one request per value.
 */
export async function allRowsIn<T>(
  table: string,
  column: string,
  values: readonly string[],
  params: Record<string, string | number | undefined | null> = {},
): Promise<T[]> {
  const unique = [...new Set(values)].filter((v) => v !== '')
  const out: T[] = []
  for (let i = 0; i < unique.length; i += 100) {
    out.push(...(await allRows<T>(table, { ...params, [column]: unique.slice(i, i + 100).join(',') })))
  }
  return out
}

/** The row of `table` keyed `id`, or null when there is none the caller may read. */
export async function row<T>(table: string, id: string): Promise<T | null> {
  try {
    return await api<T>(`/${table}/${encodeURIComponent(id)}`)
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null
    throw e
  }
}

/** A refusal with the problems the API named ({@link ApiError} keeps them; the name the forms use). */
export const ProblemError = ApiError
export type ProblemError = ApiError

/**
 * A request to the API as the signed-in user (its CSRF token on writes): a
 * body given as text is JSON, any other (a file) is sent as it is, as
 * `application/octet-stream`; a refusal throws an {@link ApiError} with the
 * problems the API named (forms show each at its field).
 */
export async function send<T>(path: string, init: RequestInit): Promise<T> {
  const headers = new Headers(init.headers)
  headers.set('accept', 'application/json')
  if (typeof init.body === 'string') headers.set('content-type', 'application/json')
  else if (init.body != null && !headers.has('content-type')) headers.set('content-type', 'application/octet-stream')
  if (csrf && init.method && init.method !== 'GET') headers.set('x-csrf-token', csrf)
  const resp = await fetcher(`/api/v1${path}`, { ...init, headers, credentials: 'same-origin' })
  if (resp.status === 204) return undefined as T
  const body = await resp.json().catch(() => null)
  if (!resp.ok) {
    const e = body?.error
    throw new ApiError(resp.status, e?.code ?? 'error', e?.message ?? `HTTP ${resp.status}`, Array.isArray(e?.problems) ? e.problems : [])
  }
  return body as T
}
