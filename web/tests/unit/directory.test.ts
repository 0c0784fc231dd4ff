import { describe, expect, it } from 'vitest'
import type { Region } from '../../src/lib/api'
import { NO_FILTERS, directoryParams, filtersFromQuery, filtersToQuery, regionPoints, symbolSize } from '../../src/lib/directory'

const region = (id: string, parent: string | null, lat: number | null, lon: number | null): Region => ({
  id,
  name: `地区${id}`,
  name_en: `Region ${id}`,
  level: 'x',
  parent,
  country: 'CN',
  lat,
  lon,
})

describe('directory filters', () => {
  it('round-trip through the URL; bad pages, sorts and switches read as none', () => {
    const f = { ...NO_FILTERS, q: 'nano', country: 'CN', programme: 'p1', stage: 'growth', eccp: 'true' as const, sort: 'members', order: 'desc' as const }
    expect(filtersToQuery(f, 3)).toEqual({ q: 'nano', country: 'CN', programme: 'p1', stage: 'growth', eccp: 'true', sort: 'members', order: 'desc', page: '3' })
    expect(filtersFromQuery(filtersToQuery(f, 3))).toEqual({ filters: f, page: 3, size: 20 })
    expect(filtersFromQuery(filtersToQuery(f, 2, 500))).toEqual({ filters: f, page: 2, size: 500 })
    expect(filtersToQuery(NO_FILTERS, 1, 20)).toEqual({})
    // A size the page does not offer is its default.
    expect(filtersFromQuery({ size: '7' }).size).toBe(20)
    expect(filtersFromQuery({ size: '100000' }).size).toBe(20)
    expect(filtersFromQuery({ page: '-4' }).page).toBe(1)
    expect(filtersFromQuery({ page: 'x', country: ['a'], eccp: 'maybe', sort: 'secret', order: 'up' })).toEqual({ filters: NO_FILTERS, page: 1, size: 20 })
  })

  it('ask the server for every filter, a page as limit and offset, names sorted in the language', () => {
    const f = { ...NO_FILTERS, region: 'R1', sector: 'C26', eccp: 'false' as const }
    expect(directoryParams(f, 3, 20, 'en')).toEqual({
      q: '',
      country: '',
      region: 'R1',
      sector: 'C26',
      programme: '',
      stage: '',
      eccp: 'false',
      sort: 'name_en',
      order: '',
      limit: 20,
      offset: 40,
    })
    expect(directoryParams(f, 1, 20, 'zh').sort).toBe('name')
    expect(directoryParams({ ...f, sort: 'founded', order: 'desc' }, 1, 20, 'en')).toMatchObject({ sort: 'founded', order: 'desc', offset: 0 })
  })
})

describe('directory map', () => {
  it('places each region’s count at its centroid or the nearest one above it, and counts the rest apart', () => {
    const regions = new Map(
      [region('CN', null, 35, 105), region('R1', 'CN', 31, 120), region('R2', 'CN', null, null), region('X', null, null, null)].map((r) => [r.id, r]),
    )
    const { points, unplaced } = regionPoints(
      [
        { region: 'R1', clusters: 3 },
        { region: 'R2', clusters: 2 },
        { region: 'X', clusters: 4 },
        { region: 'gone', clusters: 1 },
      ],
      regions,
    )
    expect(points.map((p) => [p.region.id, p.clusters, p.lon, p.lat])).toEqual([
      ['R1', 3, 120, 31],
      ['R2', 2, 105, 35],
    ])
    expect(unplaced).toBe(5)
  })

  it('sizes symbols by the square root of the count, within bounds', () => {
    expect(symbolSize(1)).toBe(10)
    expect(symbolSize(4)).toBe(14)
    expect(symbolSize(0)).toBe(10)
    expect(symbolSize(10_000)).toBe(40)
  })
})
