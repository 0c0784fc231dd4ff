import { describe, expect, it } from 'vitest'
import {
  campaignField,
  campaignRefusal,
  campaignProblems,
  formatValue,
  frozenByCluster,
  isDay,
  isPeriod,
  lastValues,
  parseValue,
  stateCounts,
  submissionOrder,
  submissionProblems,
  type ClusterStatus,
} from '../../src/lib/campaigns'

describe('opening a campaign', () => {
  const ok = { id: 'ah-2025', name: 'Anhui 2025', period: '2025', deadline: '2026-12-31', indicators: ['rd_intensity'], clusters: ['c1'] }

  it('takes the periods and days the API takes', () => {
    expect(['2025', '2025-Q3', '2025-07'].map(isPeriod)).toEqual([true, true, true])
    expect(['25', '2025-Q5', '2025-13', '2025-7', ''].map(isPeriod)).toEqual([false, false, false, false, false])
    expect(isDay('2026-02-28')).toBe(true)
    expect(isDay('2026-02-30')).toBe(false)
    expect(isDay('31.12.2026')).toBe(false)
  })

  it('finds each problem at its field before sending', () => {
    expect(campaignProblems(ok, '2026-12-07')).toEqual({})
    expect(campaignProblems({ ...ok, id: ' ', name: '', period: '2025-Q7', deadline: '2026-12-06', indicators: [], clusters: [] }, '2026-12-07')).toEqual({
      id: 'required',
      name: 'required',
      period: 'period',
      deadline: 'past',
      indicators: 'indicators',
      clusters: 'clusters',
    })
    expect(campaignProblems({ ...ok, id: 'a b', deadline: '2026-13-01' }, '2026-12-07')).toEqual({ id: 'idChars', deadline: 'day' })
    // Today is not in the past.
    expect(campaignProblems({ ...ok, deadline: '2026-12-07' }, '2026-12-07')).toEqual({})
  })

  it('places the API’s refusals at their field', () => {
    const problem = (column: string) => ({ status: 422, message: 'row refused', problems: [{ column, message: 'x' }] })
    expect(campaignField(problem('deadline'))).toBe('deadline')
    expect(campaignField({ status: 403, message: "cluster 'x' is not funded by a programme of yours" })).toBe('clusters')
    expect(campaignField({ status: 409, message: "there is already a campaign 'ah-2025'" })).toBe('id')
    expect(campaignField({ status: 400, message: 'name holds a control character (U+0007)' })).toBe('name')
    expect(campaignField({ status: 500, message: 'the server could not complete the request' })).toBe(null)
  })

  it('puts each of the API’s 422 problems at its field, all at once', () => {
    const at = (column: string | null, message: string) => ({ file: 'campaign', row: null, column, message })
    const r = campaignRefusal({
      status: 422,
      message: 'the request was refused',
      problems: [
        at('period', "period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '2025-Q7'"),
        at('indicators', "'nope' is not the id of any row of indicators"),
        at('indicators', "'gone' is not the id of any row of indicators"),
        at(null, 'something else'),
      ],
    })
    expect(r.fields).toEqual({
      period: "period must be a year (2024), a quarter (2024-Q3) or a month (2024-07), not '2025-Q7'",
      indicators: "'nope' is not the id of any row of indicators; 'gone' is not the id of any row of indicators",
    })
    expect(r.general).toBe('something else')
    // Without problems: the field the status and message name, or the general message.
    expect(campaignRefusal({ status: 409, message: "there is already a campaign 'ah-2025'" })).toEqual({ fields: { id: "there is already a campaign 'ah-2025'" }, general: '' })
    expect(campaignRefusal({ status: 500, message: 'the server could not complete the request' })).toEqual({ fields: {}, general: 'the server could not complete the request' })
  })
})

describe('answering a campaign', () => {
  const obs = [
    { cluster: 'c', indicator: 'a', period: '2023', value: 1 },
    { cluster: 'c', indicator: 'a', period: '2024', value: 2 },
    { cluster: 'c', indicator: 'a', period: '2025', value: 9 },
    { cluster: 'c', indicator: 'a', period: '2024-Q4', value: 7 },
    { cluster: 'c', indicator: 'b', period: '2021', value: 5 },
  ]

  it('shows the last value before the period, of the same granularity', () => {
    const y = lastValues(obs, '2025')
    expect(y.get('a')).toEqual({ period: '2024', value: 2 })
    expect(y.get('b')).toEqual({ period: '2021', value: 5 })
    expect(lastValues(obs, '2025-Q1').get('a')).toEqual({ period: '2024-Q4', value: 7 })
    expect(lastValues(obs, '2020').size).toBe(0)
  })

  it('shows a last value with the decimals it has', () => {
    expect(formatValue(0, 'en')).toBe('0')
    expect(formatValue(0.3125, 'en')).toBe('0.3125')
    expect(formatValue(230487, 'en')).toBe('230,487')
    expect(formatValue(230487.5, 'zh')).toBe('230,487.5')
  })

  it('reads numbers as people type them, and refuses what is not one', () => {
    expect(['12', ' 0.35 ', '0,35', '-3', '1e3', '.5'].map(parseValue)).toEqual([12, 0.35, 0.35, -3, 1000, 0.5])
    expect(['', 'abc', '1.2.3', '12 apples', 'NaN', 'Infinity'].map(parseValue)).toEqual([null, null, null, null, null, null])
  })

  it('places each refused value at its indicator, in the order the API numbers them', () => {
    const sent = submissionOrder(['smart_factory_share', 'co_patent_share', 'leading_firms'])
    expect(sent).toEqual(['co_patent_share', 'leading_firms', 'smart_factory_share'])
    const got = submissionProblems(
      [
        { file: 'submission', row: 1, column: 'value', message: "co_patent_share: 1.5 is above the indicator's maximum 1" },
        {
          file: 'submission',
          row: 3,
          column: 'value',
          message: 'c1: smart_factory_share: 0.9 is more than 3 times 0.1 in 2024 (×9, a jump to confirm); if it is right, submit again with confirm: true',
        },
      ],
      sent,
    )
    expect(got.get('co_patent_share')).toEqual({ message: "co_patent_share: 1.5 is above the indicator's maximum 1", jump: false })
    expect(got.get('smart_factory_share')?.jump).toBe(true)
    expect(got.has('leading_firms')).toBe(false)
  })
})

describe('the board and the results', () => {
  it('counts the lines by state', () => {
    const line = (state: ClusterStatus['state']): ClusterStatus => ({
      cluster: state,
      state,
      present: 0,
      expected: 1,
      missing: [],
      ties: 0,
      ties_confirmed: 0,
      ties_disputed: 0,
    })
    expect(stateCounts([line('submitted'), line('missing'), line('missing'), line('overdue')])).toEqual({ submitted: 1, missing: 2, overdue: 1 })
  })

  it('groups the kept results by cluster', () => {
    const at = '2026-12-07T10:00:00Z'
    const m = frozenByCluster([
      { cluster: 'c1', kind: 'evaluation', computed_at: at, result: { score: 50, rank: 1 } },
      { cluster: 'c1', kind: 'status', computed_at: at, result: { state: 'submitted' } },
      { cluster: 'c2', kind: 'network', computed_at: at, result: { summary: { nodes: 3 } } },
    ])
    expect([...m.keys()]).toEqual(['c1', 'c2'])
    expect(m.get('c1')?.evaluation?.rank).toBe(1)
    expect(m.get('c1')?.status?.state).toBe('submitted')
    expect(m.get('c2')?.network).toEqual({ summary: { nodes: 3 } })
  })
})
