import type { Lang } from '../i18n'

/** A row's name in the chosen language: English where it has one and English is chosen. */
export function nameIn(row: { name: string; name_en?: string | null }, lang: Lang): string {
  return lang === 'en' && row.name_en ? row.name_en : row.name
}

/** The name in the other language, if the row has one that differs. */
export function otherName(row: { name: string; name_en?: string | null }, lang: Lang): string | null {
  const other = lang === 'en' ? row.name : row.name_en
  return other && other !== nameIn(row, lang) ? other : null
}

/** A whole number in the language's convention (1,234 / 1,234; zh groups the same). */
export function formatNumber(n: number, lang: Lang, digits = 0): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(n)
}

/** An ISO date of the register (YYYY, YYYY-MM or YYYY-MM-DD) in the language. */
export function formatDate(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—'
  const [y, m, d] = iso.split('-').map(Number)
  if (!y) return iso
  if (lang === 'zh') return d ? `${y}年${m}月${d}日` : m ? `${y}年${m}月` : `${y}年`
  const date = new Date(Date.UTC(y, (m || 1) - 1, d || 1))
  const opts: Intl.DateTimeFormatOptions = d
    ? { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }
    : m
      ? { year: 'numeric', month: 'long', timeZone: 'UTC' }
      : { year: 'numeric', timeZone: 'UTC' }
  return new Intl.DateTimeFormat('en-GB', opts).format(date)
}

/** The sectors of a cluster (`C31;C33`) as a list. */
export function sectorList(sectors: string | null | undefined): string[] {
  return (sectors ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
}

/** Text made safe to put in HTML (chart tooltips are HTML). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** An amount of money in the language's convention (¥2,403,000 / €1,000); the number alone without a currency. */
export function formatMoney(amount: number, currency: string | null | undefined, lang: Lang): string {
  const locale = lang === 'zh' ? 'zh-CN' : 'en'
  if (!currency || !/^[A-Z]{3}$/.test(currency)) return formatNumber(amount, lang)
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount)
}
