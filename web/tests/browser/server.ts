// Global setup of the browser tests: a demo register in a temporary folder,
// served by the debug `weaver` binary (WEAVER_BIN to use another) on a free
// port, stopped at the end. Skipped (and said so) when there is no Chromium,
// unless WEAVER_REQUIRE_BROWSER=1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'
import { CHROMIUM } from './harness'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    skip: string
  }
}

const ROOT = resolve(__dirname, '../../..')

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer()
    s.on('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => ok(port))
    })
  })
}

let server: ChildProcess | null = null
let dir = ''

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM)) {
    if (process.env.WEAVER_REQUIRE_BROWSER === '1') {
      throw new Error(`${CHROMIUM} is missing and WEAVER_REQUIRE_BROWSER=1: apt-get install -y chromium`)
    }
    console.log(`SKIPPED the browser tests: no ${CHROMIUM} (apt-get install -y chromium)`)
    project.provide('skip', `no ${CHROMIUM}`)
    project.provide('baseUrl', '')
    return
  }
  const bin = process.env.WEAVER_BIN ?? join(ROOT, 'target/debug/weaver')
  if (!existsSync(bin)) throw new Error(`no weaver binary at ${bin}: run cargo build -p weaver (or set WEAVER_BIN)`)
  dir = mkdtempSync(join(tmpdir(), 'weaver-browser-'))
  const db = `sqlite://${join(dir, 'weaver.db')}`
  const made = spawnSync(bin, ['--db', db, 'demo', '--no-serve'], { encoding: 'utf8' })
  if (made.status !== 0) {
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`weaver demo failed: ${made.stderr}`)
  }
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  server = spawn(bin, ['--db', db, 'serve', '--addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  server.stderr?.on('data', (b) => (log = (log + b).slice(-4000)))
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) break
    } catch {
      // not listening yet
    }
    if (i > 300 || server.exitCode !== null) {
      await teardown()
      throw new Error(`weaver serve did not start: ${log}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  const home = await (await fetch(`${base}/`)).text()
  if (!home.includes('id="app"')) {
    await teardown()
    throw new Error(`${bin} serves no built UI at /; build it: (cd web && npm run build) && cargo build -p weaver`)
  }
  project.provide('baseUrl', base)
  project.provide('skip', '')
  return teardown
}

async function teardown() {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise((r) => server?.once('exit', r))
  }
  if (dir) rmSync(dir, { recursive: true, force: true })
}
