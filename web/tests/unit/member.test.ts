import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src/lib/api'
import { answerProblem, changes, formOf, otherEnd, problemsByField, sortAsked, type AskedTie, type Campaign } from '../../src/lib/member'

const campaign = (id: string, deadline: string): Campaign => ({ id, name: id, period: '2025', deadline, status: 'open', clusters: [], indicators: [] })
const tie = (row: number, c: Campaign, confirmed: boolean | null): AskedTie => ({
  row_id: row,
  source: 'a',
  target: 'b',
  kind: 'contract',
  start: null,
  org: 'a',
  confirmed,
  note: null,
  other_name: null,
  other_name_en: null,
  campaign: c,
})

describe('the member workspace', () => {
  it('names the other end of a tie from either side', () => {
    expect(otherEnd({ source: 'a', target: 'b', org: 'a' })).toBe('b')
    expect(otherEnd({ source: 'a', target: 'b', org: 'b' })).toBe('a')
  })

  it('lists the unanswered ties first, then by deadline, campaign and row', () => {
    const early = campaign('c1', '2025-03-01')
    const late = campaign('c2', '2025-06-01')
    const got = sortAsked([tie(3, late, null), tie(1, early, true), tie(2, late, null), tie(5, early, null)])
    expect(got.map((t) => `${t.campaign.id}/${t.row_id}`)).toEqual(['c1/5', 'c2/2', 'c2/3', 'c1/1'])
  })

  it('asks for a note to dispute, not to confirm', () => {
    expect(answerProblem(false, '  ')).toBe('noteNeeded')
    expect(answerProblem(false, 'ended in 2022')).toBeNull()
    expect(answerProblem(true, '')).toBeNull()
  })

  it('sends only the columns that changed, an emptied one as null, employees as a number', () => {
    const before = formOf({ name: '鞍钢', name_en: null, website: 'https://a.example', employees: 120, founded: '1990' })
    expect(before.employees).toBe('120')
    expect(before.name_en).toBe('')
    const after = { ...before, name_en: ' Ansteel ', website: '', employees: '150' }
    expect(changes(before, after)).toEqual({ name_en: 'Ansteel', website: null, employees: 150 })
    // A value that is not a whole number goes as typed: the API names the problem at its field.
    expect(changes(before, { ...before, employees: '12a' })).toEqual({ employees: '12a' })
    expect(changes(before, { ...before })).toEqual({})
  })

  it('puts each refused column’s problems at its field, and a refusal without columns in general', () => {
    const refused = new ApiError(422, 'invalid', 'the row was refused', [
      { column: 'employees', message: 'must be a whole number' },
      { column: 'employees', message: 'must be 0 or more' },
      { column: 'founded', message: 'is not a date' },
    ])
    expect(problemsByField(refused)).toEqual({
      fields: { employees: 'must be a whole number; must be 0 or more', founded: 'is not a date' },
      general: '',
    })
    expect(problemsByField(new ApiError(403, 'forbidden', 'a member may only update its own organization'))).toEqual({
      fields: {},
      general: 'a member may only update its own organization',
    })
  })
})
