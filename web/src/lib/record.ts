// The one-call profiles of a cluster and an organization
// (`GET /clusters/{id}/profile`, `GET /organizations/{id}/profile`) and the
// pages' logic over them, apart from the pages so that it is unit-tested.
import type { Cluster, Governance, Membership, Organization, Participation, Programme, ProgrammeCluster, Region } from './api'
import type { ProfileCounts } from './portal'

export interface Fired { rule: string; classification: string; stage: string; reason_en: string; reason_zh: string }
export interface StageRow {
  cluster: string
  period: string
  granularity: string
  lifecycle_stage: string
  policy_stage: string
  fired: Fired[]
}

export interface ProjectSummary {
  id: string
  title: string
  start_year: number | null
  end_year: number | null
  status: string | null
  participants: number
  by_role: Record<string, number>
}

export interface FundingShare { year: number; source_type: string; currency: string | null; amount: number; rows: number }

export interface IndicatorValue {
  indicator: string
  name: string
  name_en: string | null
  unit: string | null
  period: string
  value: number
  currency: string | null
}

type Named = { org_name: string | null; org_name_en: string | null }

export interface ClusterProfile {
  cluster: Cluster
  region: Region | null
  programmes: (ProgrammeCluster & { programme_name: string | null; programme_name_en: string | null })[]
  member_counts: ProfileCounts
  memberships: (Membership & Named)[]
  governance: (Governance & Named)[]
  projects: ProjectSummary[]
  funding_mix: FundingShare[]
  indicators: IndicatorValue[]
  lifecycle: { rules: string; current: StageRow | null; stages: StageRow[] }
  eccp: EccpCheck
}

/** The ECCP profile criteria checked on a cluster's profile (its current members, management FTE, English website). */
export interface EccpCheck {
  ruleset: { id: string; name: string; version: string }
  profile: { members: number; member_types: string[]; management_fte: number | null; website_en: boolean | null }
  criteria: { id: string; field: string; op: string; value: number; actual: number | null; outcome: 'pass' | 'fail' | 'unknown' }[]
  eligible: 'pass' | 'fail' | 'unknown'
  note: string
}

type ClusterNamed = { cluster_name: string | null; cluster_name_en: string | null }

export interface OrganizationProfile {
  organization: Organization
  region: Region | null
  memberships: (Membership & ClusterNamed)[]
  governance: (Governance & ClusterNamed)[]
  participations: (Participation & {
    project_title: string | null
    project_cluster: string | null
    project_start: string | null
    project_end: string | null
    project_currency: string | null
    project_cluster_name: string | null
    project_cluster_name_en: string | null
  })[]
  ties: {
    source: string
    target: string
    kind: string
    start: string | null
    end: string | null
    other: string
    other_name: string | null
    other_name_en: string | null
  }[]
}

export type { Programme }

/** A record's name in `lang` from its embedded `name` / `name_en` pair (the Chinese one when there is no English). */
export function embeddedName(name: string | null, nameEn: string | null, lang: 'zh' | 'en', fallback: string): string {
  if (lang === 'en' && nameEn) return nameEn
  return name ?? nameEn ?? fallback
}

/**
 * The funding mix as the series of a chart stacked by funder type: the
 * years (every year from the first to the last), and for each currency and
 * funder type the amount per year (0 where none). Amounts in different
 * currencies are never added up: each currency is a stack of its own.
 */
export function fundingSeries(mix: FundingShare[]): {
  years: number[]
  series: { currency: string; sourceType: string; amounts: number[] }[]
} {
  if (!mix.length) return { years: [], series: [] }
  const first = Math.min(...mix.map((m) => m.year))
  const last = Math.max(...mix.map((m) => m.year))
  const years = Array.from({ length: last - first + 1 }, (_, i) => first + i)
  const keyed = new Map<string, { currency: string; sourceType: string; amounts: number[] }>()
  for (const m of mix) {
    const currency = m.currency ?? ''
    const key = `${currency}\u0000${m.source_type}`
    let s = keyed.get(key)
    if (!s) {
      s = { currency, sourceType: m.source_type, amounts: years.map(() => 0) }
      keyed.set(key, s)
    }
    s.amounts[m.year - first] += m.amount
  }
  const series = [...keyed.values()].sort(
    (a, b) => a.currency.localeCompare(b.currency) || a.sourceType.localeCompare(b.sourceType),
  )
  return { years, series }
}
