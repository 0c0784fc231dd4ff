import { afterEach, describe, expect, it, vi } from 'vitest'
import { allRowsIn } from '../../src/lib/api'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('rows read by a list of values', () => {
  it('asks in batches of 100 values with the multi-value filter, each value once, never one request per value', async () => {
    const asked: URL[] = []
    vi.stubGlobal('fetch', async (input: string) => {
      const url = new URL(input, 'http://weaver.test')
      asked.push(url)
      const ids = (url.searchParams.get('id') ?? '').split(',')
      // The API answers the rows it has: here every id but "gone".
      const rows = ids.filter((i) => i !== 'gone').map((id) => ({ id }))
      return new Response(JSON.stringify({ rows, total: rows.length, limit: 1000, offset: 0 }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      })
    })
    const ids = Array.from({ length: 250 }, (_, i) => `o${i}`)
    const got = await allRowsIn<{ id: string }>('organizations', 'id', [...ids, 'o7', 'gone', ''])
    expect(asked.map((u) => u.pathname)).toEqual(['/api/v1/organizations', '/api/v1/organizations', '/api/v1/organizations'])
    expect(asked.map((u) => u.searchParams.get('id')!.split(',').length)).toEqual([100, 100, 51])
    expect(got.map((r) => r.id).sort()).toEqual([...ids].sort())
    expect(await allRowsIn('organizations', 'id', [])).toEqual([])
    expect(asked.length).toBe(3)
  })
})
