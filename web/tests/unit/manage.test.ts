// The manager's workspace logic (src/lib/manage.ts).
import { describe, expect, it } from 'vitest'
import { dayBefore, firstDay, lastDay, membersOverTime, openCampaigns, placeProblems, problemRows, rowBody, seriesKeys, validOn } from '../../src/lib/manage'

describe('validity as the API reads it', () => {
  it('takes a year or a month as all its days, both ends inclusive, an empty end open', () => {
    expect(lastDay('2020')).toBe('2020-12-31')
    expect(lastDay('2024-02')).toBe('2024-02-29')
    expect(lastDay('2023-02')).toBe('2023-02-28')
    expect(firstDay('2020-06')).toBe('2020-06-01')
    expect(firstDay('2020')).toBe('2020-01-01')
    expect(validOn({ since: '2020-06', until: '2021' }, '2020-06-01')).toBe(true)
    expect(validOn({ since: '2020-06', until: '2021' }, '2020-05-31')).toBe(false)
    expect(validOn({ since: '2020-06', until: '2021' }, '2021-12-31')).toBe(true)
    expect(validOn({ since: null, until: null }, '1999-01-01')).toBe(true)
    expect(dayBefore('2024-03-01')).toBe('2024-02-29')
    expect(dayBefore('2025-01-01')).toBe('2024-12-31')
  })
})

describe('members over time', () => {
  const actor = (o: string) => ({ a: 'enterprise', b: 'university', c: 'enterprise' })[o]
  it('counts the memberships valid on each 31 December by tier and their organizations once by actor type', () => {
    const years = membersOverTime(
      [
        { org: 'a', tier: 'core', since: '2020-03-01', until: '2021-06-30' },
        // a's tier changed: the history is two rows.
        { org: 'a', tier: 'partner', since: '2021-07-01', until: null },
        { org: 'b', tier: 'partner', since: '2021', until: '2022-12-31' },
        { org: 'c', tier: 'core', since: '2022-12-31', until: null },
        { org: 'x', tier: 'associate', since: null, until: null },
      ],
      actor,
      2023,
    )
    expect(years.map((y) => y.year)).toEqual([2020, 2021, 2022, 2023])
    expect(years[0].byTier).toEqual({ core: 1, associate: 1 })
    expect(years[1].byTier).toEqual({ partner: 2, associate: 1 })
    expect(years[2].byTier).toEqual({ core: 1, partner: 2, associate: 1 })
    expect(years[2].byActor).toEqual({ enterprise: 2, university: 1, unknown: 1 })
    expect(years[3].byActor).toEqual({ enterprise: 2, unknown: 1 })
    expect(seriesKeys(years, 'byTier', ['core', 'partner', 'regional', 'associate'])).toEqual(['core', 'partner', 'associate'])
    expect(membersOverTime([], actor, 2023)).toEqual([])
  })
})

describe('a refusal placed at the fields', () => {
  it('puts a problem at the column it names, the others and a 400 naming no field above the button', () => {
    const p = placeProblems(
      [
        { file: 'memberships', row: 2, column: 'tier', message: "'gold' is not one of: core, partner" },
        { file: 'memberships', row: 2, column: 'visibility', message: 'bad' },
      ],
      ['org', 'tier'],
      'refused',
    )
    expect(p).toEqual({ byField: { tier: "'gold' is not one of: core, partner" }, general: ['visibility: bad'] })
    expect(placeProblems([], ['on'], "on: '2024-13-01' is not a valid date; expected YYYY-MM-DD")).toEqual({
      byField: { on: "'2024-13-01' is not a valid date; expected YYYY-MM-DD" },
      general: [],
    })
    expect(placeProblems([], ['on'], 'memberships already holds this row')).toEqual({ byField: {}, general: ['memberships already holds this row'] })
  })
  it('lists a package’s problems by file, row and column', () => {
    expect(problemRows([{ file: 'memberships.csv', row: 3, column: null, message: 'not yours' }])).toEqual([
      { file: 'memberships.csv', row: '3', column: '—', message: 'not yours' },
    ])
  })
})

describe('a form as the body of a write', () => {
  it('leaves empty fields out of a new row and sends numbers as numbers', () => {
    expect(rowBody({ id: ' x ', name: 'X', size: '', employees: '12' }, ['employees'])).toEqual({ id: 'x', name: 'X', employees: 12 })
    expect(rowBody({ employees: 'many' }, ['employees'])).toEqual({ employees: 'many' })
  })
  it('sends only what changed, a cleared field as null', () => {
    expect(rowBody({ name: 'A', website: '', management_fte: '2.5' }, ['management_fte'], { name: 'A', website: 'a.org', management_fte: 2.5 })).toEqual({ website: null })
  })
})

describe('open campaigns', () => {
  it('keeps the open ones of the cluster, soonest deadline first', () => {
    const c = (id: string, status: string, deadline: string, clusters: string[]) => ({ id, name: id, period: '2025', deadline, status, indicators: [], clusters })
    expect(
      openCampaigns([c('a', 'open', '2026-03-01', ['k']), c('b', 'closed', '2026-01-01', ['k']), c('d', 'open', '2026-02-01', ['k']), c('e', 'open', '2026-01-01', ['z'])], 'k').map((x) => x.id),
    ).toEqual(['d', 'a'])
  })
})
