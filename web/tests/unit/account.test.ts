import { describe, expect, it } from 'vitest'
import { ApiError } from '../../src/lib/api'
import { exportFileName, fieldOf, formatTime, refused } from '../../src/lib/account'
import { accountState, cell, changes, undoable } from '../../src/lib/admin'

describe('the field an API error is about', () => {
  const err = (m: string) => new ApiError(400, 'invalid', m)
  it('is the first field the message names, as a word', () => {
    expect(fieldOf(err('name holds a control character (U+0007)'), ['email', 'name'], 'email')).toBe('name')
    expect(fieldOf(err('language must be zh or en, not fr'), ['role', 'language'], 'role')).toBe('language')
    // "username" is not "name".
    expect(fieldOf(err('username is taken'), ['name'], 'email')).toBe('email')
  })
  it('is found through the words of an alias, else the fallback', () => {
    expect(fieldOf(err("'x@' is not an e-mail address"), ['name'], 'role', { 'e-mail': 'email' })).toBe('email')
    expect(fieldOf(err('there is already an account for a@b.c'), ['name'], 'x', { 'account for': 'email' })).toBe('email')
    expect(fieldOf(new Error('network down'), ['name'], 'fallback')).toBe('fallback')
    expect(fieldOf('not an error', ['name'], 'fallback')).toBe('fallback')
  })
  it('tells a refusal from a failure', () => {
    expect(refused(err('x'))).toBe(true)
    expect(refused(new ApiError(500, 'internal', 'x'))).toBe(false)
    expect(refused(new Error('x'))).toBe(false)
  })
})

describe('times and files', () => {
  it('shows an RFC 3339 time in each language, in UTC', () => {
    expect(formatTime('2026-11-28T20:15:00Z', 'en')).toMatch(/28 Nov 2026.*20:15.*UTC/)
    expect(formatTime('2026-11-28T20:15:00Z', 'zh')).toMatch(/2026年11月28日.*20:15/)
    // Without a zone the API's times are UTC.
    expect(formatTime('2026-11-28 20:15:00', 'en')).toBe(formatTime('2026-11-28T20:15:00Z', 'en'))
    expect(formatTime(null, 'en')).toBe('—')
    expect(formatTime('yesterday', 'en')).toBe('yesterday')
  })
  it('names an export after the account and the day', () => {
    expect(exportFileName('Li.Wei+x@example.org', new Date('2026-12-07T10:00:00Z'))).toBe(
      'weaver-account-Li.Wei_x_example.org-2026-12-07.json',
    )
  })
})

describe('accounts and the audit log', () => {
  it('gives an account its state', () => {
    expect(accountState({ disabled: true, has_password: true })).toBe('disabled')
    expect(accountState({ disabled: false, has_password: false })).toBe('invited')
    expect(accountState({ disabled: false, has_password: true })).toBe('active')
  })
  it('lists the columns a change changed, with before and after', () => {
    const e = { before: { id: 'c1', name: 'Old', website: null, n: 1 }, after: { id: 'c1', name: 'New', website: 'x', n: 1 } }
    expect(changes(e)).toEqual([
      { column: 'name', before: 'Old', after: 'New' },
      { column: 'website', before: null, after: 'x' },
    ])
    expect(changes({ before: null, after: { id: 'a' } })).toEqual([{ column: 'id', before: null, after: 'a' }])
  })
  it('shows a value as text', () => {
    expect(cell(null)).toBe('—')
    expect(cell('')).toBe('—')
    expect(cell('x')).toBe('x')
    expect(cell(12)).toBe('12')
  })
  it('offers undo for a change to a row not yet undone, not for account events', () => {
    expect(undoable({ action: 'update', undone_by: null, before: {}, after: {} })).toBe(true)
    expect(undoable({ action: 'update', undone_by: 9, before: {}, after: {} })).toBe(false)
    expect(undoable({ action: 'undo', undone_by: null, before: {}, after: {} })).toBe(false)
    expect(undoable({ action: 'invitation_sent', undone_by: null, before: null, after: null })).toBe(false)
  })
})
