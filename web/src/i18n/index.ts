import { createI18n } from 'vue-i18n'
import en from './en'
import zh from './zh'

/** The languages of the UI, as they appear in the URL (`/zh/…`, `/en/…`). */
export const LANGS = ['zh', 'en'] as const
export type Lang = (typeof LANGS)[number]

export const messages = { zh, en }

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
