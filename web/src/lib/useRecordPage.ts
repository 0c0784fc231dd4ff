// The load / error / not-found scaffolding of a record's page (a cluster,
// an organization, a programme): one load per record id, again when the
// route's id changes.
import { ref, watch, type Ref } from 'vue'
import { ApiError } from './api'

export interface RecordPage<T> {
  loading: Ref<boolean>
  /** No such record, or the caller may not read it (the API says 404 for both). */
  missing: Ref<boolean>
  /** The problem's message, when the load failed otherwise. */
  error: Ref<string>
  data: Ref<T | null>
}

/**
 * Loads the record `id` names with `load` (null or a 404: missing), now and
 * whenever `id` changes; an answer for an id no longer asked for is dropped.
 */
export function useRecordPage<T>(id: Ref<string>, load: (id: string) => Promise<T | null>): RecordPage<T> {
  const loading = ref(true)
  const missing = ref(false)
  const error = ref('')
  const data = ref<T | null>(null) as Ref<T | null>
  let asked = ''
  async function run(which: string) {
    asked = which
    loading.value = true
    missing.value = false
    error.value = ''
    try {
      const v = await load(which)
      if (asked !== which) return
      data.value = v
      missing.value = v == null
    } catch (e) {
      if (asked !== which) return
      data.value = null
      if (e instanceof ApiError && e.status === 404) missing.value = true
      else error.value = (e as Error).message
    } finally {
      if (asked === which) loading.value = false
    }
  }
  watch(id, (v) => void run(v), { immediate: true })
  return { loading, missing, error, data }
}
