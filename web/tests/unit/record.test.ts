import { describe, expect, it } from 'vitest'
import { embeddedName, fundingSeries } from '../../src/lib/record'
import { indexVocabulary, labelIn } from '../../src/lib/vocabulary'

describe('the funding mix as a stacked chart', () => {
  it('gives every year from the first to the last, 0 where a funder type has none', () => {
    const s = fundingSeries([
      { year: 2021, source_type: 'central_gov', currency: 'CNY', amount: 100, rows: 1 },
      { year: 2023, source_type: 'central_gov', currency: 'CNY', amount: 300, rows: 2 },
      { year: 2023, source_type: 'local_gov', currency: 'CNY', amount: 50, rows: 1 },
    ])
    expect(s.years).toEqual([2021, 2022, 2023])
    expect(s.series).toEqual([
      { currency: 'CNY', sourceType: 'central_gov', amounts: [100, 0, 300] },
      { currency: 'CNY', sourceType: 'local_gov', amounts: [0, 0, 50] },
    ])
  })

  it('never adds amounts of different currencies', () => {
    const s = fundingSeries([
      { year: 2024, source_type: 'supranational', currency: 'EUR', amount: 7, rows: 1 },
      { year: 2024, source_type: 'supranational', currency: 'CNY', amount: 70, rows: 1 },
      { year: 2024, source_type: 'own', currency: null, amount: 1, rows: 1 },
    ])
    expect(s.series.map((x) => [x.currency, x.sourceType, x.amounts])).toEqual([
      ['', 'own', [1]],
      ['CNY', 'supranational', [70]],
      ['EUR', 'supranational', [7]],
    ])
  })

  it('is empty without funding', () => {
    expect(fundingSeries([])).toEqual({ years: [], series: [] })
  })
})

describe('names embedded in a profile', () => {
  it('take the English name in English when there is one, else the Chinese, else the fallback', () => {
    expect(embeddedName('苏州大学', 'Soochow University', 'en', 'x')).toBe('Soochow University')
    expect(embeddedName('苏州大学', 'Soochow University', 'zh', 'x')).toBe('苏州大学')
    expect(embeddedName('苏州大学', null, 'en', 'x')).toBe('苏州大学')
    expect(embeddedName(null, null, 'en', 'hidden')).toBe('hidden')
  })
})

describe('labels from the vocabulary', () => {
  const labels = indexVocabulary([
    { name: 'tier', description: 'the tier of a membership', values: [{ value: 'core', zh: '核心成员', en: 'Core member' }] },
  ])
  it('give the label in the language, the value when it has none, a dash for no value', () => {
    expect(labelIn(labels, 'tier', 'core', 'zh')).toBe('核心成员')
    expect(labelIn(labels, 'tier', 'core', 'en')).toBe('Core member')
    expect(labelIn(labels, 'tier', 'galactic', 'en')).toBe('galactic')
    expect(labelIn(labels, 'body', 'board', 'en')).toBe('board')
    expect(labelIn(labels, 'tier', null, 'en')).toBe('—')
  })
})
