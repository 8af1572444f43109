'use strict'
// Cookie benchmarks, against tough-cookie in the same run:
//  - set: 10,000 cookies over 1,000 domains (ses.cookies.set vs CookieJar.setCookie)
//  - get: cookies for 10,000 URLs (ses.cookies.get({ url }) vs CookieJar.getCookies)
//  - reload: a persistent partition of 100,000 cookies opened in a fresh process (first
//    cookies.get), against tough-cookie's CookieJar.deserialize of the same number.
// Each figure is the median of several interleaved rounds. Prints a table of ratios and
// writes bench/results/cookies.json.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const { CookieJar } = require('tough-cookie')
const { app, session } = require('..')

const ROUNDS = Number(process.env.ROUNDS || 5)
const COOKIES = 10000
const DOMAINS = 1000
const RELOAD_COOKIES = 100000

const url = (i) => `https://www.site${i % DOMAINS}.com/p/${i % 7}`
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const now = () => Number(process.hrtime.bigint()) / 1e6

async function time (fn) {
  const start = now()
  await fn()
  return now() - start
}

let partitionCounter = 0
async function ourSet () {
  const { cookies } = session.fromPartition(`bench-${++partitionCounter}`)
  await cookies.get({}) // open storage outside the timed loop
  const ms = await time(async () => {
    for (let i = 0; i < COOKIES; i++) {
      await cookies.set({ url: url(i), name: `c${i}`, value: `v${i}`, path: '/' })
    }
  })
  return { ms, cookies }
}

async function toughSet () {
  const jar = new CookieJar()
  const ms = await time(async () => {
    for (let i = 0; i < COOKIES; i++) {
      await jar.setCookie(`c${i}=v${i}; Path=/`, url(i))
    }
  })
  return { ms, jar }
}

async function ourGet (cookies) {
  let found = 0
  const ms = await time(async () => {
    for (let i = 0; i < COOKIES; i++) found += (await cookies.get({ url: url(i) })).length
  })
  return { ms, found }
}

async function toughGet (jar) {
  let found = 0
  const ms = await time(async () => {
    for (let i = 0; i < COOKIES; i++) found += (await jar.getCookies(url(i))).length
  })
  return { ms, found }
}

// Fills a persistent partition with RELOAD_COOKIES cookies (100 per site) and flushes it.
async function fillPersistent (userData) {
  const child = `
    const { app, session } = require(${JSON.stringify(path.join(__dirname, '..'))})
    app.setPath('userData', ${JSON.stringify(userData)})
    const { cookies } = session.fromPartition('persist:big')
    ;(async () => {
      const expirationDate = Date.now() / 1000 + 86400 * 30
      for (let i = 0; i < ${RELOAD_COOKIES}; i++) {
        await cookies.set({ url: 'https://www.site' + (i % 1000) + '.com/', name: 'c' + i, value: 'value-' + i, expirationDate })
      }
      await cookies.flushStore()
    })()`
  execFileSync(process.execPath, ['-e', child], { stdio: 'inherit' })
}

// Opens the partition in a fresh process and reports the time to the first answer.
function reloadOnce (userData) {
  const child = `
    const { app, session } = require(${JSON.stringify(path.join(__dirname, '..'))})
    app.setPath('userData', ${JSON.stringify(userData)})
    const start = process.hrtime.bigint()
    const { cookies } = session.fromPartition('persist:big')
    cookies.get({ url: 'https://www.site1.com/' }).then((list) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6
      process.stdout.write(JSON.stringify({ ms, found: list.length }))
    })`
  return JSON.parse(execFileSync(process.execPath, ['-e', child]).toString())
}

function toughReloadOnce (serialized) {
  const start = now()
  try {
    const jar = CookieJar.deserializeSync(serialized)
    const ms = now() - start
    return { ms, found: jar.getCookiesSync('https://www.site1.com/').length }
  } catch (error) {
    return { ms: NaN, error: error.message }
  }
}

async function main () {
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-bench-'))
  app.setPath('userData', userData)
  const samples = { set: [], toughSet: [], get: [], toughGet: [], reload: [], toughReload: [] }
  for (let round = 0; round < ROUNDS; round++) {
    const ours = await ourSet()
    const theirs = await toughSet()
    samples.set.push(ours.ms)
    samples.toughSet.push(theirs.ms)
    const g = await ourGet(ours.cookies)
    const tg = await toughGet(theirs.jar)
    if (g.found !== tg.found) throw new Error(`get mismatch: ${g.found} vs ${tg.found}`)
    samples.get.push(g.ms)
    samples.toughGet.push(tg.ms)
  }

  await fillPersistent(userData)
  const bigJar = new CookieJar()
  const expires = new Date(Date.now() + 86400e3 * 30).toUTCString()
  for (let i = 0; i < RELOAD_COOKIES; i++) {
    bigJar.setCookieSync(`c${i}=value-${i}; Expires=${expires}`, `https://www.site${i % 1000}.com/`)
  }
  const serialized = bigJar.serializeSync()
  for (let round = 0; round < ROUNDS; round++) {
    const r = reloadOnce(userData)
    if (r.found !== 100) throw new Error(`reload found ${r.found} cookies for one site, expected 100`)
    samples.reload.push(r.ms)
    const t = toughReloadOnce(serialized)
    if (t.error) console.log(`tough-cookie could not deserialize ${RELOAD_COOKIES} cookies: ${t.error}`)
    samples.toughReload.push(t.ms)
  }

  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]))
  const rows = [
    ['cookies.set x10,000 (1,000 domains)', m.set, m.toughSet],
    ['cookies.get({url}) x10,000', m.get, m.toughGet],
    ['reload 100,000 persistent cookies', m.reload, m.toughReload]
  ]
  console.log(`\nnode ${process.version}, ${os.cpus().length} cores, median of ${ROUNDS} rounds\n`)
  console.log('| benchmark | headless-session | tough-cookie | speed-up |')
  console.log('|---|---:|---:|---:|')
  for (const [name, ours, theirs] of rows) {
    const peer = Number.isNaN(theirs) ? 'fails' : `${theirs.toFixed(1)} ms`
    const ratio = Number.isNaN(theirs) ? 'n/a' : `${(theirs / ours).toFixed(2)}x`
    console.log(`| ${name} | ${ours.toFixed(1)} ms | ${peer} | ${ratio} |`)
  }
  const out = path.join(__dirname, 'results')
  fs.mkdirSync(out, { recursive: true })
  fs.writeFileSync(path.join(out, 'cookies.json'), JSON.stringify({
    node: process.version, rounds: ROUNDS, medians_ms: m, samples_ms: samples, date: new Date().toISOString()
  }, null, 2) + '\n')
  fs.rmSync(userData, { recursive: true, force: true })
}

main().catch((error) => { console.error(error); process.exit(1) })
