// The organizations a page names (the manager's pages, the dashboard): read
// in batches by id (`GET /organizations?id=a,b,…`), never one request per
// organization, kept for the page's life, and named in the chosen language.
import { computed, ref, type Ref } from 'vue'
import { allRowsIn, type Organization } from './api'
import { nameIn } from './names'
import type { Lang } from '../i18n'

export function useOrgNames(lang: Ref<Lang>) {
  const orgs = ref(new Map<string, Organization>())
  /** Reads the organizations of `ids` not read yet (those the caller may not read stay unnamed). */
  async function add(ids: Iterable<string>): Promise<void> {
    const missing = [...new Set(ids)].filter((o) => o && !orgs.value.has(o))
    for (const o of await allRowsIn<Organization>('organizations', 'id', missing)) orgs.value.set(o.id, o)
  }
  /** An organization's name in the language, its id when it is not read. */
  const orgName = (o: string) => {
    const org = orgs.value.get(o)
    return org ? nameIn(org, lang.value) : o
  }
  /** The organizations read, as the forms' choices (name and id). */
  const known = computed(() => [...orgs.value.values()].map((o) => ({ value: o.id, label: `${nameIn(o, lang.value)} (${o.id})` })))
  return { orgs, add, orgName, known }
}
