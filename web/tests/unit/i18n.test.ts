import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { allMessages, i18n, loadAreas, merged } from '../../src/i18n'

type Tree = { [k: string]: string | Tree }

// Every message: the base files' and every area's (src/i18n/areas/*.ts).
const every = await allMessages()
const en = every.en
const zh = every.zh
// The UI's own instance, with the areas as the router adds them.
await loadAreas()

/** Every leaf key of a message tree, dotted. */
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)))
}

function has(tree: Tree, key: string): boolean {
  let node: string | Tree | undefined = tree
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || !(part in node)) return false
    node = node[part]
  }
  return true
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : /\.(vue|ts)$/.test(f) ? [p] : []
  })
}

/** Named `{placeholders}` of a message. */
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('translations', () => {
  it('refuse an area that gives a top-level key already given', () => {
    const base = { en: { app: { name: 'Weaver' } }, zh: { app: { name: '织网' } } }
    expect(() => merged(base, { './areas/x.ts': { en: { app: { x: 'x' } }, zh: {} } })).toThrow(/'app'/)
    const ok = merged(base, { './areas/y.ts': { en: { y: { a: 'A' } }, zh: { y: { a: '甲' } } } })
    expect(ok.en).toEqual({ app: { name: 'Weaver' }, y: { a: 'A' } })
  })

  it('have the same keys in Chinese and English', () => {
    const missingInZh = keys(en).filter((k) => !has(zh, k))
    const missingInEn = keys(zh).filter((k) => !has(en, k))
    expect({ missingInZh, missingInEn }).toEqual({ missingInZh: [], missingInEn: [] })
  })

  it('have the same placeholders in both languages and no empty message', () => {
    const bad = keys(en).filter((k) => {
      const get = (t: Tree) => k.split('.').reduce<string | Tree>((n, p) => (n as Tree)[p], t) as string
      return placeholders(get(en)).join() !== placeholders(get(zh)).join() || !get(en).trim() || !get(zh).trim()
    })
    expect(bad).toEqual([])
  })

  it('hold every key the source asks for with t(…) in both languages', () => {
    const src = join(__dirname, '../../src')
    const used = new Set<string>()
    for (const f of files(src)) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(40)
    const missing = [...used].filter((k) => !has(en, k) || !has(zh, k))
    expect(missing).toEqual([])
  })

  it('compile in both languages: every message renders with its placeholders filled', () => {
    const bad: string[] = []
    for (const lang of ['zh', 'en'] as const) {
      i18n.global.locale.value = lang
      for (const k of keys(lang === 'en' ? en : zh)) {
        const raw = k.split('.').reduce<string | Tree>((n, p) => (n as Tree)[p], lang === 'en' ? en : zh) as string
        const params = Object.fromEntries(placeholders(raw).map((p) => [p, `<${p}>`]))
        try {
          const out = i18n.global.t(k, params)
          const expected = raw.replace(/\{(\w+)\}/g, (_, p) => `<${p}>`)
          if (out !== expected) bad.push(`${lang} ${k}: ${out}`)
        } catch (e) {
          bad.push(`${lang} ${k}: ${e}`)
        }
      }
    }
    expect(bad).toEqual([])
  })

  it('name every value of the register’s enums the pages label', () => {
    const actor = ['government', 'enterprise', 'university', 'research', 'finance', 'intermediary', 'user']
    for (const a of actor) expect([has(en, `actor.${a}`), has(zh, `actor.${a}`)]).toEqual([true, true])
    for (const r of ['admin', 'officer', 'manager', 'member']) expect(has(zh, `roles.${r}`) && has(en, `roles.${r}`)).toBe(true)
  })

  it('label every value of the Rust enums the pages show (read from weaver-core’s enums.rs)', () => {
    const src = readFileSync(join(__dirname, '../../../crates/weaver-core/src/enums.rs'), 'utf8')
    /** The string values of the enum `name` in enums.rs (`Large => "large"`). */
    const values = (name: string) => {
      const body = src.split(new RegExp(`\\n    ${name} \\{`))[1]?.split(/\n    \}/)[0] ?? ''
      return [...body.matchAll(/=> "([^"]+)"/g)].map((m) => m[1])
    }
    const groups: [string, string][] = [
      ['ActorType', 'actor'],
      ['SizeClass', 'size'],
      ['Tier', 'tier'],
      ['Body', 'body'],
      ['GovernanceRole', 'govRole'],
      ['ParticipationRole', 'partRole'],
      ['ClusterForm', 'form'],
      ['ProgrammeLevel', 'level'],
    ]
    const missing: string[] = []
    for (const [name, group] of groups) {
      const vs = values(name)
      expect(vs.length, `${name} in enums.rs`).toBeGreaterThan(1)
      for (const v of vs) for (const [lang, tree] of [['en', en], ['zh', zh]] as const) if (!has(tree, `${group}.${v}`)) missing.push(`${lang}: ${group}.${v}`)
    }
    expect(missing).toEqual([])
  })
})
