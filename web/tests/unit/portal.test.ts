import { describe, expect, it } from 'vitest'
import type { Cluster, Membership, Organization, Region } from '../../src/lib/api'
import { escapeHtml, formatDate, formatMoney, formatNumber, nameIn, otherName, sectorList } from '../../src/lib/names'
import { clusterPoints, featuresNear, fundedPerYear, memberCounts, passwordProblem, profileCounts, yearOf } from '../../src/lib/portal'
import { mapPool } from '../../src/lib/pool'
import { query } from '../../src/lib/api'

const cluster = (id: string, region: string | null, sectors = 'C26'): Cluster => ({
  id,
  name: `集群${id}`,
  name_en: `Cluster ${id}`,
  region,
  country: 'CN',
  sectors,
  form: null,
  founded: null,
  manager_org: null,
  management_fte: null,
  website: null,
  description: null,
})
const region = (id: string, parent: string | null, lat: number | null, lon: number | null): Region => ({
  id,
  name: id,
  name_en: null,
  level: 'x',
  parent,
  country: 'CN',
  lat,
  lon,
})

describe('clusterPoints', () => {
  it('puts each cluster at its region’s centroid, or the nearest parent’s, and never at a made-up place', () => {
    const regions = [region('P', null, 30, 120), region('C', 'P', null, null), region('D', null, 10, 20), region('X', null, null, null)]
    const { points, unplaced } = clusterPoints(
      [cluster('a', 'D'), cluster('b', 'C'), cluster('c', 'X'), cluster('d', null), cluster('e', 'nowhere')],
      regions,
    )
    expect(points.map((p) => [p.id, p.lon, p.lat, p.region.id])).toEqual([
      ['a', 20, 10, 'D'],
      ['b', 120, 30, 'C'],
    ])
    expect(unplaced.map((c) => c.id)).toEqual(['c', 'd', 'e'])
  })

  it('stops on a cycle of parents', () => {
    const { points, unplaced } = clusterPoints([cluster('a', 'A')], [region('A', 'B', null, null), region('B', 'A', null, null)])
    expect([points.length, unplaced.length]).toEqual([0, 1])
  })
})

describe('featuresNear', () => {
  it('keeps the regions within the clusters’ extent and leaves far-off ones out', () => {
    const square = (id: string, x: number, y: number) => ({
      type: 'Feature' as const,
      properties: { id },
      geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] },
    })
    const multi = {
      type: 'Feature' as const,
      properties: { id: 'm' },
      geometry: { type: 'MultiPolygon', coordinates: [[[[-60, 14], [-59, 14], [-59, 15], [-60, 14]]], [[[3, 45], [4, 45], [4, 46], [3, 45]]]] },
    }
    const geo = { type: 'FeatureCollection' as const, features: [square('paris', 2, 48), square('reunion', 55, -21), multi, { type: 'Feature' as const, properties: { id: 'none' }, geometry: null }] }
    const kept = featuresNear(geo, [{ lon: 2.3, lat: 48.8 }, { lon: 5.4, lat: 43.3 }]).features.map((f) => f.properties.id)
    expect(kept).toEqual(['paris', 'm'])
    expect(featuresNear(geo, []).features.length).toBe(4)
  })
})

describe('memberCounts', () => {
  it('counts organizations by actor type in 政产学研金介用 order and memberships by tier', () => {
    const orgs = new Map<string, Organization>(
      [
        ['o1', 'enterprise'],
        ['o2', 'university'],
        ['o3', 'government'],
        ['o4', 'enterprise'],
      ].map(([id, t]) => [id, { id, name: id, name_en: null, actor_type: t }]),
    )
    const m = (org: string, tier: string): Membership => ({ cluster: 'c', org, tier, since: null, until: null })
    const c = memberCounts([m('o1', 'core'), m('o2', 'associate'), m('o3', 'core'), m('o4', 'partner'), m('o1', 'associate')], orgs)
    expect(c.members).toBe(4)
    expect(c.byActor).toEqual([
      ['government', 1],
      ['enterprise', 2],
      ['university', 1],
    ])
    expect(c.byTier).toEqual([
      ['core', 2],
      ['partner', 1],
      ['associate', 2],
    ])
  })
})

describe('API queries', () => {
  it('leave empty parameters out of the API query', () => {
    expect(query({ q: '', country: 'CN', limit: 20, offset: 0, sector: undefined })).toBe('?country=CN&limit=20&offset=0')
    expect(query({})).toBe('')
  })
})

describe('names, numbers and dates', () => {
  it('pick the name of the chosen language, falling back to the name', () => {
    const c = cluster('x', null)
    expect(nameIn(c, 'en')).toBe('Cluster x')
    expect(nameIn(c, 'zh')).toBe('集群x')
    expect(otherName(c, 'zh')).toBe('Cluster x')
    expect(nameIn({ name: '只有中文', name_en: null }, 'en')).toBe('只有中文')
    expect(otherName({ name: '只有中文', name_en: null }, 'en')).toBeNull()
  })

  it('localise numbers and the register’s partial dates', () => {
    expect(formatNumber(12345, 'en')).toBe('12,345')
    expect(formatNumber(8, 'zh', 1)).toBe('8.0')
    expect(formatDate('2000-11-01', 'zh')).toBe('2000年11月1日')
    expect(formatDate('2000-11', 'zh')).toBe('2000年11月')
    expect(formatDate('2017', 'zh')).toBe('2017年')
    expect(formatDate('2000-11-01', 'en')).toBe('1 November 2000')
    expect(formatDate('2000-11', 'en')).toBe('November 2000')
    expect(formatDate(null, 'en')).toBe('—')
    expect(sectorList(' C31; C33;;')).toEqual(['C31', 'C33'])
  })

  it('escape the register’s text for HTML tooltips', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;')
  })
})

describe('mapPool', () => {
  it('runs at most n at a time and keeps the order', async () => {
    let running = 0
    let most = 0
    const out = await mapPool([1, 2, 3, 4, 5, 6, 7], 3, async (x) => {
      running++
      most = Math.max(most, running)
      await new Promise((r) => setTimeout(r, 1))
      running--
      return x * 2
    })
    expect(out).toEqual([2, 4, 6, 8, 10, 12, 14])
    expect(most).toBe(3)
  })
})

describe('the programme page', () => {
  const link = (cluster: string, since: string | null, until: string | null = null) => ({ programme: 'p', cluster, since, until })

  it('reads the year of a register date, and nothing of a missing or malformed one', () => {
    expect([yearOf('2020'), yearOf('2020-06'), yearOf('2020-06-01')]).toEqual([2020, 2020, 2020])
    expect([yearOf(null), yearOf(''), yearOf('n/a')]).toEqual([null, null, null])
  })

  it('counts the clusters funded in each year: open links through the last year, ended ones through their end', () => {
    const { years, undated } = fundedPerYear([link('a', '2014', '2016'), link('b', '2015'), link('c', '2016-06-01', '2016-12-31')], 2018)
    expect(years).toEqual([
      { year: 2014, count: 1 },
      { year: 2015, count: 2 },
      { year: 2016, count: 3 },
      { year: 2017, count: 1 },
      { year: 2018, count: 1 },
    ])
    expect(undated).toBe(0)
  })

  it('counts a cluster with two links in a year once, and leaves undated links out, saying how many', () => {
    const { years, undated } = fundedPerYear([link('a', '2019', '2020'), link('a', '2020'), link('b', null)], 2020)
    expect(years).toEqual([
      { year: 2019, count: 1 },
      { year: 2020, count: 1 },
    ])
    expect(undated).toBe(1)
    expect(fundedPerYear([link('b', null)], 2020)).toEqual({ years: [], undated: 1 })
  })

  it('formats money in the language, and a bare number without a currency', () => {
    expect(formatMoney(2403000, 'CNY', 'en')).toBe('CN¥2,403,000')
    expect(formatMoney(2403000, 'CNY', 'zh')).toBe('¥2,403,000')
    expect(formatMoney(1234, null, 'en')).toBe('1,234')
  })
})

describe('profileCounts', () => {
  it('keeps the API’s counts, drops the types and tiers with none, orders them as 政产学研金介用', () => {
    const c = profileCounts({
      counted_as_of: '2026-12-07',
      members: 5,
      memberships: 6,
      by_actor_type: { enterprise: 3, university: 0, government: 1, research: 1, finance: 0, intermediary: 0, user: 0 },
      by_tier: { associate: 0, partner: 4, regional: 0, core: 2 },
    })
    expect(c.members).toBe(5)
    expect(c.byActor).toEqual([
      ['government', 1],
      ['enterprise', 3],
      ['research', 1],
    ])
    expect(c.byTier).toEqual([
      ['core', 2],
      ['partner', 4],
    ])
  })
})

describe('passwordProblem', () => {
  it('follows the server: at least 10 characters, counted as characters, not UTF-16 units', () => {
    expect(passwordProblem('')).toBe('empty')
    expect(passwordProblem('123456789')).toBe('short')
    expect(passwordProblem('1234567890')).toBeNull()
    // Nine characters, 18 UTF-16 units: still short, as the server counts.
    expect(passwordProblem('😀😀😀😀😀😀😀😀😀')).toBe('short')
    expect(passwordProblem('密码密码密码密码密码')).toBeNull()
  })
})
