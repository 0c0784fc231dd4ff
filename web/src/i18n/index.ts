import { createI18n } from 'vue-i18n'
import enBase from './en'
import zhBase from './zh'

/** The languages of the UI, as they appear in the URL (`/zh/…`, `/en/…`). */
export const LANGS = ['zh', 'en'] as const
export type Lang = (typeof LANGS)[number]

type Tree = { [k: string]: string | Tree }

/**
 * The messages of one area of the UI (a workspace, the account pages…), in
 * `areas/<area>.ts`: `export default { en: { <area>: {…} }, zh: { <area>: {…} } }`.
 * Each area adds top-level keys of its own; two areas (or an area and the
 * base files) giving the same top-level key is an error at start.
 */
export interface AreaMessages {
  en: Tree
  zh: Tree
}

// The areas' messages are loaded with the first page that is not the home
// page (`loadAreas`, awaited by the router), so that the first route carries
// only the base messages: the workspaces' texts are most of the messages.
const areaFiles = import.meta.glob<AreaMessages>('./areas/*.ts', { import: 'default' })

/** The base messages with every area's keys added (a top-level key given twice throws). */
export function merged(base: { en: Tree; zh: Tree }, parts: Record<string, AreaMessages>): { en: Tree; zh: Tree } {
  const out = { en: { ...base.en }, zh: { ...base.zh } }
  for (const [file, part] of Object.entries(parts)) {
    for (const lang of ['en', 'zh'] as const) {
      for (const [k, v] of Object.entries(part[lang] ?? {})) {
        if (k in out[lang]) throw new Error(`${file}: the message key '${k}' (${lang}) is already given elsewhere`)
        out[lang][k] = v
      }
    }
  }
  return out
}

/** Every message of every area and the base files, read now (for tests and tools). */
export async function allMessages(): Promise<{ en: Tree; zh: Tree }> {
  const parts = Object.fromEntries(
    await Promise.all(Object.entries(areaFiles).map(async ([file, load]) => [file, await load()] as const)),
  )
  return merged({ en: enBase as Tree, zh: zhBase as Tree }, parts)
}

/** The base messages (the shell's and the home page's). */
export const messages = { zh: zhBase, en: enBase }

let areasLoaded: Promise<void> | null = null

/**
 * Adds every area's messages to the UI's, once (later calls share the first
 * one's promise; a failed load is tried again on the next call).
 */
export function loadAreas(): Promise<void> {
  areasLoaded ??= allMessages().then(
    (all) => {
      i18n.global.setLocaleMessage('en', all.en as typeof enBase)
      i18n.global.setLocaleMessage('zh', all.zh as typeof zhBase)
    },
    (e) => {
      areasLoaded = null
      throw e
    },
  )
  return areasLoaded
}

/** The BCP 47 tag of a language of the URL (numbers, dates, `<html lang>`). */
export function locale(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en'
}

export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && (LANGS as readonly string[]).includes(x)
}

export const i18n = createI18n({
  legacy: false,
  locale: 'zh',
  fallbackLocale: 'zh',
  // A missing key is a bug (the unit tests look for them); never show a key silently.
  missingWarn: true,
  fallbackWarn: false,
  messages,
})
