// The cluster directory: its answer (GET /api/v1/directory), its filters in
// the URL and in the API's query, and its map points.
import { api, query, type Region } from './api'

/** One cluster as the directory lists it. */
export interface DirectoryRow {
  id: string
  name: string
  name_en: string | null
  region: string
  region_name: string | null
  region_name_en: string | null
  country: string | null
  sectors: string[]
  founded: string | null
  stage: string
  stage_period: string | null
  eccp: 'pass' | 'fail' | 'unknown'
  members: number
}

export interface Directory {
  total: number
  limit: number
  offset: number
  as_of: string
  rows: DirectoryRow[]
  map: { region: string; clusters: number }[]
  countries: string[]
  sectors: string[]
  note: string
}

/** The lifecycle stages the directory filters by, in order, and `none`. */
export const STAGES = ['emergence', 'growth', 'sustainment', 'decline', 'renewal', 'undetermined', 'none'] as const

/** The sorts the page offers (the API takes these and a few more). */
export const SORTS = ['name', 'country', 'region', 'founded', 'members'] as const

export interface DirectoryFilters {
  q: string
  country: string
  region: string
  sector: string
  programme: string
  stage: string
  eccp: '' | 'true' | 'false'
  sort: string
  order: '' | 'desc'
}

export const NO_FILTERS: DirectoryFilters = {
  q: '',
  country: '',
  region: '',
  sector: '',
  programme: '',
  stage: '',
  eccp: '',
  sort: '',
  order: '',
}

/** The page sizes the directory offers; above the first, the table scrolls virtually. */
export const SIZES = [20, 100, 500] as const
export const DEFAULT_SIZE = SIZES[0]

/** The filters as a route's query (empty ones and the defaults left out) and back. */
export function filtersToQuery(f: DirectoryFilters, page: number, size: number = DEFAULT_SIZE): Record<string, string> {
  const q: Record<string, string> = {}
  for (const k of Object.keys(NO_FILTERS) as (keyof DirectoryFilters)[]) if (f[k]) q[k] = f[k]
  if (page > 1) q.page = String(page)
  if (size !== DEFAULT_SIZE) q.size = String(size)
  return q
}

export function filtersFromQuery(q: Record<string, unknown>): { filters: DirectoryFilters; page: number; size: number } {
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string) : '')
  const page = Math.max(1, Math.floor(Number(s('page')) || 1))
  const asked = Number(s('size'))
  const size = (SIZES as readonly number[]).includes(asked) ? asked : DEFAULT_SIZE
  const eccp = s('eccp')
  return {
    filters: {
      q: s('q'),
      country: s('country'),
      region: s('region'),
      sector: s('sector'),
      programme: s('programme'),
      stage: s('stage'),
      eccp: eccp === 'true' || eccp === 'false' ? eccp : '',
      sort: (SORTS as readonly string[]).includes(s('sort')) ? s('sort') : '',
      order: s('order') === 'desc' ? 'desc' : '',
    },
    page,
    size,
  }
}

/**
 * The API's query of a page: every filter is the server's. Names sort in the
 * chosen language (`name_en` in English).
 */
export function directoryParams(f: DirectoryFilters, page: number, size: number, lang: 'zh' | 'en') {
  const sort = !f.sort || f.sort === 'name' ? (lang === 'en' ? 'name_en' : 'name') : f.sort
  return {
    q: f.q,
    country: f.country,
    region: f.region,
    sector: f.sector,
    programme: f.programme,
    stage: f.stage,
    eccp: f.eccp,
    sort,
    order: f.order,
    limit: size,
    offset: (page - 1) * size,
  }
}

export function directory(params: Record<string, string | number>): Promise<Directory> {
  return api<Directory>(`/directory${query(params)}`)
}

export interface RegionPoint {
  region: Region
  clusters: number
  lon: number
  lat: number
}

/**
 * The matching clusters counted at their region's centroid: the region's own
 * coordinates or those of the nearest region above it that has them. Counts
 * of regions without any are returned apart (`unplaced`).
 */
export function regionPoints(counts: Directory['map'], regions: Map<string, Region>): { points: RegionPoint[]; unplaced: number } {
  const points: RegionPoint[] = []
  let unplaced = 0
  for (const { region, clusters } of counts) {
    const own = regions.get(region)
    let r = own
    const seen = new Set<string>()
    while (r && (r.lat == null || r.lon == null) && r.parent && !seen.has(r.id)) {
      seen.add(r.id)
      r = regions.get(r.parent)
    }
    if (own && r && r.lat != null && r.lon != null) points.push({ region: own, clusters, lon: r.lon, lat: r.lat })
    else unplaced += clusters
  }
  return { points, unplaced }
}

/** A map symbol's size for a count: 10 px for one cluster, growing with the square root, at most 40. */
export function symbolSize(clusters: number): number {
  return Math.min(40, Math.round(10 + 4 * (Math.sqrt(Math.max(1, clusters)) - 1)))
}
