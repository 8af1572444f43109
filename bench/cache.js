'use strict'
// The HTTP cache, in one run against its peers (interleaved rounds, medians):
//  - cache hits at 64 concurrent: ses.fetch answering from its cache against undici's fetch
//    through interceptors.cache with its MemoryCacheStore answering the same hits;
//  - the cost of the cache stage on misses: ses.fetch with the cache against a
//    { cache: false } session, on 1 KiB responses that are stored but never fresh (/1k) and
//    on no-store ones;
//  - reopening a persistent partition whose cache holds 10,000 entries: time from a fresh
//    process's first fetch to its cached answer;
//  - what storing and looking up cost in the core alone (examples/cache_store_cost.rs).
// Server: bench/http-server.js in its own process. Writes bench/results/cache.json.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, execFileSync } = require('node:child_process')
const undici = require('undici')
const { session } = require('..')

const ROUNDS = Number(process.env.ROUNDS || 5)
const REQUESTS = Number(process.env.REQUESTS || 20000)
const ENTRIES = Number(process.env.ENTRIES || 10000)
const CONCURRENCY = 64
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const now = () => Number(process.hrtime.bigint()) / 1e6

async function run (fetchFn, url) {
  let next = 0
  const start = now()
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      next++
      const body = await (await fetchFn(url)).arrayBuffer()
      if (body.byteLength !== 1024) throw new Error('short body')
    }
  }))
  return REQUESTS / ((now() - start) / 1000)
}

// Fills a persistent partition with ENTRIES cached responses, then times a fresh process
// from its first fetch to the cached answer (the cache's index is built on first use).
function reopenTime (port) {
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-bench-cache-'))
  const root = JSON.stringify(path.join(__dirname, '..'))
  const setup = `
    const { app, session } = require(${root})
    app.setPath('userData', ${JSON.stringify(userData)})
    const ses = session.fromPartition('persist:bench')
    ;(async () => {
      let next = 0
      await Promise.all(Array.from({ length: 64 }, async () => {
        while (next < ${ENTRIES}) { const i = next++; await (await ses.fetch('http://127.0.0.1:${port}/cached1k?i=' + i)).arrayBuffer() }
      }))
      console.log(await ses.getCacheSize())
    })()`
  execFileSync(process.execPath, ['-e', setup], { stdio: ['ignore', 'pipe', 'inherit'] })
  const probe = `
    const { app, session } = require(${root})
    app.setPath('userData', ${JSON.stringify(userData)})
    const start = process.hrtime.bigint()
    const ses = session.fromPartition('persist:bench')
    ses.webRequest.onCompleted((d) => { if (!d.fromCache) throw new Error('not from the cache') })
    ses.fetch('http://127.0.0.1:${port}/cached1k?i=7').then((r) => r.arrayBuffer()).then(() => {
      console.log(Number(process.hrtime.bigint() - start) / 1e6)
    })`
  const times = []
  for (let i = 0; i < 3; i++) times.push(Number(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim()))
  fs.rmSync(userData, { recursive: true, force: true })
  return median(times)
}

async function main () {
  const child = spawn(process.execPath, [path.join(__dirname, 'http-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))))
  const base = `http://127.0.0.1:${port}`
  const cached = session.fromPartition('bench-cache')
  const uncached = session.fromPartition('bench-cache-off', { cache: false })
  const undiciCache = new undici.Agent({ connections: 64 }).compose(undici.interceptors.cache({ store: new undici.cacheStores.MemoryCacheStore() }))
  const peers = {
    'ses.fetch hit': () => run((u) => cached.fetch(u), `${base}/cached1k`),
    'undici.fetch + interceptors.cache hit': () => run((u) => undici.fetch(u, { dispatcher: undiciCache }), `${base}/cached1k`),
    'ses.fetch miss (stored, never fresh)': () => run((u) => cached.fetch(u), `${base}/1k`),
    'ses.fetch { cache: false } (same)': () => run((u) => uncached.fetch(u), `${base}/1k`),
    'ses.fetch miss (no-store)': () => run((u) => cached.fetch(u), `${base}/nostore1k`),
    'ses.fetch { cache: false } (no-store)': () => run((u) => uncached.fetch(u), `${base}/nostore1k`)
  }
  const rates = Object.fromEntries(Object.keys(peers).map((k) => [k, []]))
  for (const bench of Object.values(peers)) await bench() // warm-up (and fills the caches)
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, bench] of Object.entries(peers)) rates[name].push(await bench())
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`)
  }
  const result = Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, Math.round(median(v))]))
  const reopenMs = reopenTime(port)
  child.kill()
  // The median of each round's ratio: both sides of a round ran back to back, so a slow
  // moment of the machine weighs on both.
  const ratio = (a, b) => `${median(rates[a].map((x, i) => x / rates[b][i])).toFixed(2)}x`
  const storeCost = execFileSync('cargo', ['run', '--quiet', '--release', '--no-default-features', '--example', 'cache_store_cost'], { cwd: path.join(__dirname, '..'), encoding: 'utf8' }).trim()
  const summary = {
    'cache hit: ses.fetch vs undici interceptors.cache, 64 concurrent (target >= 3x)': ratio('ses.fetch hit', 'undici.fetch + interceptors.cache hit'),
    'miss cost: with cache vs { cache: false }, stored never fresh (target >= 0.95x)': ratio('ses.fetch miss (stored, never fresh)', 'ses.fetch { cache: false } (same)'),
    'miss cost: with cache vs { cache: false }, no-store (target >= 0.95x)': ratio('ses.fetch miss (no-store)', 'ses.fetch { cache: false } (no-store)'),
    [`reopen with ${ENTRIES} entries: first cached answer (target < 100 ms)`]: `${reopenMs.toFixed(1)} ms`,
    'the core alone (examples/cache_store_cost.rs)': storeCost.replace(/\n/g, '; ')
  }
  console.table(Object.fromEntries(Object.entries(result).map(([k, v]) => [k, `${v} req/s`])))
  console.table(summary)
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true })
  fs.writeFileSync(path.join(__dirname, 'results', 'cache.json'), JSON.stringify({ date: new Date().toISOString(), rates: result, summary }, null, 2) + '\n')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
