import { reactive } from 'vue'
import { ApiError, api, setCsrf, type User } from './api'

/** Who is signed in (null: the public), known once `load` has run. */
export const session = reactive<{ user: User | null; loaded: boolean }>({ user: null, loaded: false })

interface Me {
  user: User
  csrf_token: string
}

export async function loadSession(): Promise<void> {
  try {
    const me = await api<Me>('/auth/me')
    session.user = me.user
    setCsrf(me.csrf_token)
  } catch (e) {
    if (!(e instanceof ApiError && (e.status === 401 || e.status === 403))) throw e
    session.user = null
    setCsrf(null)
  } finally {
    session.loaded = true
  }
}

export async function signIn(email: string, password: string): Promise<User> {
  const me = await api<Me>('/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) })
  session.user = me.user
  setCsrf(me.csrf_token)
  return me.user
}

export async function signOut(): Promise<void> {
  await api('/auth/logout', { method: 'POST' })
  session.user = null
  setCsrf(null)
}
