// The register's enum labels, from one source: `GET /api/v1/vocabulary`
// (every vocabulary's values with their Chinese and English labels),
// loaded once per page load and shared by every page.
import { ref } from 'vue'
import { api } from './api'
import type { Lang } from '../i18n'

export interface Term { value: string; zh: string; en: string }
export interface Vocabulary { name: string; description: string; values: Term[] }

/** The vocabulary groups the API serves (`actor_type`, `tier`, …). */
export type Group =
  | 'actor_type' | 'size_class' | 'tier' | 'body' | 'governance_role' | 'participation_role'
  | 'source_type' | 'tie_kind' | 'direction' | 'visibility' | 'cluster_form' | 'programme_level'
  | 'role' | 'lifecycle_stage' | 'policy_stage'

/** Labels by group and value. */
export type Labels = Map<string, Map<string, Term>>

/** The answer as a lookup. */
export function indexVocabulary(vocabularies: Vocabulary[]): Labels {
  return new Map(vocabularies.map((v) => [v.name, new Map(v.values.map((t) => [t.value, t]))]))
}

/** The label of `value` in `group` in `lang`; the value itself when the vocabulary has none (or is not loaded). */
export function labelIn(labels: Labels, group: Group, value: string | null | undefined, lang: Lang): string {
  if (value == null || value === '') return '—'
  const t = labels.get(group)?.get(value)
  return t ? t[lang] : value
}

const loaded = ref<Labels>(new Map())
let pending: Promise<void> | null = null

/** Loads the vocabulary once (later calls share the first request; a failed one is retried next time). */
export function loadVocabulary(): Promise<void> {
  pending ??= api<{ vocabularies: Vocabulary[] }>('/vocabulary')
    .then((v) => {
      loaded.value = indexVocabulary(v.vocabularies)
    })
    .catch((e) => {
      pending = null
      throw e
    })
  return pending
}

/** `label(group, value, lang)` over the loaded vocabulary (reactive: re-renders once it arrives). */
export function useVocabulary() {
  return {
    ready: loadVocabulary,
    label: (group: Group, value: string | null | undefined, lang: Lang) => labelIn(loaded.value, group, value, lang),
  }
}
