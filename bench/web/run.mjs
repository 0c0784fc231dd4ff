// The web UI's speed figures (issue 19): Debian's Chromium driven by
// playwright-core (from web/node_modules; never a downloaded browser)
// against `weaver serve` — the demo register for the home page and a
// cluster profile, a register of 10,000 clusters (gen.py) for the
// directory. Prints one line per figure and a Markdown table.
//
// Usage (from the repository root, after `cd web && npm ci && npm run build`
// and `cargo build -p weaver`, which embeds the UI):
//   node bench/web/run.mjs [RUNS]
// WEAVER_BIN picks the binary (default target/debug/weaver: the figures say
// which); WEAVER_CHROMIUM the browser (default /usr/bin/chromium).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const require = createRequire(join(ROOT, 'web/package.json'))
const { chromium } = require('playwright-core')
const BIN = process.env.WEAVER_BIN ?? join(ROOT, 'target/debug/weaver')
const CHROMIUM = process.env.WEAVER_CHROMIUM ?? '/usr/bin/chromium'
const RUNS = Number(process.argv[2] ?? 5)
const ANSHAN = 'demo-cn-anshan-steel'

const freePort = () =>
  new Promise((ok, fail) => {
    const s = createServer()
    s.on('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port
      s.close(() => ok(port))
    })
  })

function run(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 1 << 26 })
  if (r.status !== 0) throw new Error(`weaver ${args.join(' ')}: ${r.stderr}`)
}

async function serve(db) {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const proc = spawn(BIN, ['--db', db, 'serve', '--addr', `127.0.0.1:${port}`], { stdio: ['ignore', 'ignore', 'ignore'] })
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { base, proc }
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  proc.kill()
  throw new Error('weaver serve did not start')
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** A fresh browser context: no cache, 1,366 × 900. */
async function fresh(browser) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } })
  const page = await context.newPage()
  await (await context.newCDPSession(page)).send('Network.setCacheDisabled', { cacheDisabled: true })
  return { context, page }
}

/** Milliseconds from the start of `goto` until `ready` resolves on the page. */
async function timed(page, url, ready) {
  const t0 = performance.now()
  await page.goto(url, { waitUntil: 'commit' })
  await ready()
  return performance.now() - t0
}

const figures = []
function record(name, xs, unit = 'ms') {
  const m = median(xs)
  figures.push({ name, runs: xs.length, median: m, min: Math.min(...xs), max: Math.max(...xs), unit })
  console.log(`${name}: median ${m.toFixed(0)} ${unit} (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, ${xs.length} runs)`)
}

async function main() {
  if (!existsSync(BIN)) throw new Error(`no ${BIN}: cargo build -p weaver`)
  const dir = mkdtempSync(join(tmpdir(), 'weaver-bench-web-'))
  const servers = []
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic'] })
  try {
    console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; binary ${BIN}`)
    // The demo register.
    const demoDb = `sqlite://${join(dir, 'demo.db')}`
    run(['--db', demoDb, 'demo', '--no-serve'])
    const demo = await serve(demoDb)
    servers.push(demo.proc)
    // The register of 10,000 clusters.
    const pkg = join(dir, 'pkg')
    const gen = spawnSync('python3', [join(ROOT, 'bench/web/gen.py'), pkg, '10000'], { encoding: 'utf8' })
    if (gen.status !== 0) throw new Error(gen.stderr)
    console.log(gen.stdout.trim())
    const bigDb = `sqlite://${join(dir, 'big.db')}`
    run(['--db', bigDb, 'import', pkg])
    const big = await serve(bigDb)
    servers.push(big.proc)

    // JavaScript of the first route (home), as it travels (gzipped).
    {
      const { context, page } = await fresh(browser)
      const js = []
      page.on('requestfinished', async (r) => {
        if (!r.url().endsWith('.js')) return
        const s = await r.sizes()
        js.push({ url: r.url(), bytes: s.responseBodySize })
      })
      await page.goto(`${demo.base}/en/`)
      await page.waitForSelector('figure.chart canvas')
      await page.waitForTimeout(300)
      const all = js.reduce((n, f) => n + f.bytes, 0)
      const chart = js.filter((f) => /\/(MapChart|installCanvasRenderer)-/.test(f.url)).reduce((n, f) => n + f.bytes, 0)
      figures.push({ name: 'home: JavaScript transferred (gzipped), all / before the map’s chunks', text: `${(all / 1024).toFixed(0)} kB / ${((all - chart) / 1024).toFixed(0)} kB in ${js.length} files` })
      console.log(`first route JS: ${(all / 1024).toFixed(0)} kB in ${js.length} files, ${((all - chart) / 1024).toFixed(0)} kB before the map’s chunks`)
      await context.close()
    }

    // The directory's first question since the register changed (here: since
    // it was imported): every cluster's row is made, then kept for the
    // questions after it (per register version, date and reader's rights).
    {
      const t0 = performance.now()
      const r = await fetch(`${big.base}/api/v1/directory?limit=20`)
      await r.json()
      const ms = performance.now() - t0
      figures.push({ name: 'GET /directory (10,000 clusters), the first question after a change (rows made and kept)', text: `${ms.toFixed(0)} ms` })
      console.log(`directory, first question after a change: ${ms.toFixed(0)} ms`)
    }
    const home = []
    const homeMap = []
    const profile = []
    const dirFirst = []
    const dirFilter = []
    const dirPage = []
    const dirScroll = []
    const dirApi = []
    for (let i = 0; i < RUNS; i++) {
      const { context, page } = await fresh(browser)
      // Home: the key figures, then the map drawn.
      home.push(await timed(page, `${demo.base}/en/`, () => page.waitForSelector('[data-test="fig-clusters"]')))
      await page.goto('about:blank')
      homeMap.push(await timed(page, `${demo.base}/en/`, () => page.waitForSelector('figure.chart canvas')))
      // A cluster profile: its name and its chart.
      profile.push(
        await timed(page, `${demo.base}/en/clusters/${ANSHAN}`, async () => {
          await page.waitForSelector('h1')
          await page.waitForSelector('figure.chart canvas')
        }),
      )
      // The directory of 10,000 clusters: the first page with its total.
      dirFirst.push(
        await timed(page, `${big.base}/en/clusters`, () =>
          page.waitForFunction(() => document.querySelector('[data-test="total"]')?.getAttribute('data-total') === '10000' && document.querySelectorAll('tbody tr').length === 20),
        ),
      )
      // A filter change in the page (search, submitted): until the new total shows.
      {
        const t0 = performance.now()
        await page.fill('input[name="q"]', '00042')
        await page.click('[data-test="apply"]')
        await page.waitForFunction(() => document.querySelector('[data-test="total"]')?.getAttribute('data-total') === '1')
        dirFilter.push(performance.now() - t0)
      }
      // Another page of a filtered list (country), by the pager.
      await page.goto(`${big.base}/en/clusters?country=DE`)
      await page.waitForFunction(() => Number(document.querySelector('[data-test="total"]')?.getAttribute('data-total')) > 20)
      {
        const first = await page.textContent('tbody tr td')
        const t0 = performance.now()
        await page.locator('.n-pagination-item--button').last().click()
        await page.waitForFunction((f) => document.querySelector('tbody tr td')?.textContent !== f, first)
        dirPage.push(performance.now() - t0)
      }
      // Scrolling the page (table, then the map) in 40 steps: mean frame time.
      dirScroll.push(
        await page.evaluate(async () => {
          const frames = []
          let last = performance.now()
          for (let s = 0; s < 40; s++) {
            window.scrollBy(0, 60)
            await new Promise((r) => requestAnimationFrame(() => r(null)))
            const now = performance.now()
            frames.push(now - last)
            last = now
          }
          return frames.reduce((a, b) => a + b, 0) / frames.length
        }),
      )
      await context.close()
      // The directory's API alone (one page, every cluster read and filtered).
      const t0 = performance.now()
      const r = await fetch(`${big.base}/api/v1/directory?limit=20&sort=name_en&country=CN,DE&stage=growth,none`)
      await r.json()
      dirApi.push(performance.now() - t0)
    }
    record('home (demo): navigation → key figures', home)
    record('home (demo): navigation → map drawn', homeMap)
    record('cluster profile (demo): navigation → name and chart', profile)
    record('directory (10,000 clusters): navigation → first page and total', dirFirst)
    record('directory (10,000 clusters): search submitted → new total', dirFilter)
    record('directory (10,000 clusters): next page of a country', dirPage)
    record('directory (10,000 clusters): scrolling, mean frame time', dirScroll)
    record('GET /directory (10,000 clusters, 2 filters), fetch alone', dirApi)
    console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`)
    console.log('\n| figure | runs | median | min | max |\n|---|---|---|---|---|')
    for (const f of figures) {
      if (f.text) console.log(`| ${f.name} | 1 | ${f.text} | | |`)
      else console.log(`| ${f.name} | ${f.runs} | ${f.median.toFixed(0)} ${f.unit} | ${f.min.toFixed(0)} | ${f.max.toFixed(0)} |`)
    }
  } finally {
    await browser.close()
    for (const p of servers) p.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
