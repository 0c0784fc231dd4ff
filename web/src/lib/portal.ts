// The portal's logic apart from the pages, so that it is unit-tested.
import type { Cluster, Membership, Organization, ProgrammeCluster, Region } from './api'

/** The actor types in the order of 政产学研金介用. */
export const ACTOR_TYPES = ['government', 'enterprise', 'university', 'research', 'finance', 'intermediary', 'user'] as const
export const TIERS = ['core', 'partner', 'regional', 'associate'] as const

export interface MapPoint {
  id: string
  cluster: Cluster
  region: Region
  lon: number
  lat: number
}

/**
 * Each cluster at its region's centroid: the region's own coordinates, or
 * those of the nearest region above it that has them. Clusters with none are
 * returned apart (`unplaced`), never drawn at a made-up place.
 */
export function clusterPoints(clusters: Cluster[], regions: Region[]): { points: MapPoint[]; unplaced: Cluster[] } {
  const byId = new Map(regions.map((r) => [r.id, r]))
  const points: MapPoint[] = []
  const unplaced: Cluster[] = []
  for (const c of clusters) {
    let r = c.region ? byId.get(c.region) : undefined
    const own = r
    const seen = new Set<string>()
    while (r && (r.lat == null || r.lon == null) && r.parent && !seen.has(r.id)) {
      seen.add(r.id)
      r = byId.get(r.parent)
    }
    if (own && r && r.lat != null && r.lon != null) {
      points.push({ id: c.id, cluster: c, region: own, lon: r.lon, lat: r.lat })
    } else {
      unplaced.push(c)
    }
  }
  return { points, unplaced }
}

/** How many of `items` have each value of `key`, in the order of `order` (then the others, sorted). */
export function countBy<T>(items: T[], key: (t: T) => string, order: readonly string[] = []): [string, number][] {
  const counts = new Map<string, number>()
  for (const it of items) counts.set(key(it), (counts.get(key(it)) ?? 0) + 1)
  const known = order.filter((k) => counts.has(k)).map((k) => [k, counts.get(k)!] as [string, number])
  const rest = [...counts.entries()].filter(([k]) => !order.includes(k)).sort(([a], [b]) => a.localeCompare(b))
  return [...known, ...rest]
}

/**
 * The members of a cluster counted by actor type (政产学研金介用) and tier.
 * An organization counts once per actor type however many memberships it
 * has; each membership counts for its tier.
 */
export function memberCounts(memberships: Membership[], orgs: Map<string, Organization>) {
  const members = [...new Set(memberships.map((m) => m.org))]
  const typed = members.map((id) => orgs.get(id)?.actor_type ?? 'unknown')
  return {
    members: members.length,
    byActor: countBy(typed, (t) => t, ACTOR_TYPES),
    byTier: countBy(memberships, (m) => m.tier, TIERS),
  }
}

/** The counts of `GET /clusters/{id}/profile`: every current membership, whatever its visibility. */
export interface ProfileCounts {
  counted_as_of: string
  members: number
  memberships: number
  by_actor_type: Record<string, number>
  by_tier: Record<string, number>
}

/** The profile's counts in the shape of {@link memberCounts}, the types and tiers with none left out. */
export function profileCounts(c: ProfileCounts) {
  const nonZero = (m: Record<string, number>, order: readonly string[]) =>
    countBy(
      Object.entries(m).flatMap(([k, n]) => Array<string>(n).fill(k)),
      (k) => k,
      order,
    )
  return {
    members: c.members,
    byActor: nonZero(c.by_actor_type, ACTOR_TYPES),
    byTier: nonZero(c.by_tier, TIERS),
  }
}

/** Today as YYYY-MM-DD (UTC), for `valid_at`. */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}

export interface FeatureCollection {
  type: 'FeatureCollection'
  features: { type: 'Feature'; geometry: { type: string; coordinates: unknown } | null; properties: Record<string, unknown> }[]
}

/** Every [lon, lat] of a GeoJSON geometry's coordinates, however nested. */
function positions(coords: unknown, out: [number, number][] = []): [number, number][] {
  if (Array.isArray(coords)) {
    if (typeof coords[0] === 'number' && typeof coords[1] === 'number') out.push([coords[0], coords[1]])
    else for (const c of coords) positions(c, out)
  }
  return out
}

/**
 * The regions near the clusters: the features with a point within `pad`
 * degrees of the points' extent, so that the map spans the clusters, not a
 * far-off region of the same country (an overseas département).
 */
export function featuresNear(geo: FeatureCollection, points: { lon: number; lat: number }[], pad = 4): FeatureCollection {
  if (!points.length) return geo
  const lons = points.map((p) => p.lon)
  const lats = points.map((p) => p.lat)
  const [w, e, s, n] = [Math.min(...lons) - pad, Math.max(...lons) + pad, Math.min(...lats) - pad, Math.max(...lats) + pad]
  return {
    ...geo,
    features: geo.features.filter((f) => positions(f.geometry?.coordinates).some(([x, y]) => x >= w && x <= e && y >= s && y <= n)),
  }
}

/** The year of a register date (`2020`, `2020-06`, `2020-06-01`), or null. */
export function yearOf(iso: string | null | undefined): number | null {
  const y = Number((iso ?? '').slice(0, 4))
  return /^\d{4}/.test(iso ?? '') && y > 0 ? y : null
}

/**
 * How many clusters a programme funds in each year, from the first year a
 * link starts through `last` (a link still open counts through `last`; one
 * ending in a year counts in it). A cluster with two links in one year counts
 * once. Links without a start are left out (`undated`), never placed at a
 * made-up year.
 */
export function fundedPerYear(
  links: ProgrammeCluster[],
  last: number,
): { years: { year: number; count: number }[]; undated: number } {
  const dated = links
    .map((l) => ({ cluster: l.cluster, from: yearOf(l.since), to: yearOf(l.until) ?? last }))
    .filter((l): l is { cluster: string; from: number; to: number } => l.from !== null)
  const undated = links.length - dated.length
  if (!dated.length) return { years: [], undated }
  const first = Math.min(...dated.map((l) => l.from))
  const end = Math.max(last, ...dated.map((l) => l.to))
  const years: { year: number; count: number }[] = []
  for (let y = first; y <= end; y++) {
    const clusters = new Set(dated.filter((l) => l.from <= y && y <= l.to).map((l) => l.cluster))
    years.push({ year: y, count: clusters.size })
  }
  return { years, undated }
}

/** The server's rule for a password (crates/weaver-server/src/auth.rs: at least 10 characters). */
export const MIN_PASSWORD_CHARS = 10

/** What is wrong with a new password by the server's rule, or null: `empty` or `short`. */
export function passwordProblem(password: string): 'empty' | 'short' | null {
  if (!password) return 'empty'
  // Characters as the server counts them (Unicode scalar values), not UTF-16 units.
  if ([...password].length < MIN_PASSWORD_CHARS) return 'short'
  return null
}

/**
 * The geo component both maps (the home page's and the directory's) draw the
 * register's regions with: the boundaries registered under `map`, named in
 * the language, pannable and zoomable, not highlighted, no tooltip of their
 * own (the points have theirs).
 */
export function regionsGeo(map: string, lang: 'zh' | 'en') {
  return {
    map,
    roam: true,
    nameProperty: lang === 'en' ? 'name_en' : 'name',
    itemStyle: { areaColor: '#e8efe9', borderColor: '#9bb5a3' },
    emphasis: { disabled: true },
    tooltip: { show: false },
  }
}
