'use strict'
// webRequest overhead on ses.fetch, 64 concurrent GETs of 1 KiB over keep-alive, against
// the same session with no listener, in one run (interleaved rounds, medians):
//  - one onBeforeSendHeaders listener that edits a header on every request;
//  - one listener whose filter matches nothing (nothing should cross to JS).
// Server: bench/http-server.js in its own process. Writes bench/results/web-request.json.
const fs = require('node:fs')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { session } = require('..')

const ROUNDS = Number(process.env.ROUNDS || 5)
const REQUESTS = Number(process.env.REQUESTS || 20000)
const CONCURRENCY = 64
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const now = () => Number(process.hrtime.bigint()) / 1e6

async function run (ses, url) {
  let next = 0
  const start = now()
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < REQUESTS) {
      next++
      const body = await (await ses.fetch(url)).arrayBuffer()
      if (body.byteLength !== 1024) throw new Error('short body')
    }
  }))
  return now() - start
}

async function main () {
  const child = spawn(process.execPath, [path.join(__dirname, 'http-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))))
  const url = `http://127.0.0.1:${port}/1k`
  const setups = {
    'no listener': session.fromPartition('bench-wr-none'),
    'onBeforeSendHeaders editing a header': session.fromPartition('bench-wr-edit'),
    'listener whose filter matches nothing': session.fromPartition('bench-wr-miss')
  }
  setups['onBeforeSendHeaders editing a header'].webRequest.onBeforeSendHeaders((details, callback) => {
    details.requestHeaders['X-Bench'] = '1'
    callback({ requestHeaders: details.requestHeaders })
  })
  setups['listener whose filter matches nothing'].webRequest.onBeforeSendHeaders({ urls: ['*://nothing.invalid/*'] }, (details, callback) => callback({}))
  const times = Object.fromEntries(Object.keys(setups).map((k) => [k, []]))
  for (const ses of Object.values(setups)) await run(ses, url) // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, ses] of Object.entries(setups)) times[name].push(await run(ses, url))
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`)
  }
  child.kill()
  const base = median(times['no listener'])
  const table = Object.entries(times).map(([name, t]) => ({
    setup: name,
    'median ms': median(t).toFixed(0),
    'req/s': Math.round(REQUESTS / (median(t) / 1000)),
    'vs no listener': (base / median(t)).toFixed(2) + 'x'
  }))
  console.table(table)
  const out = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, requests: REQUESTS, concurrency: CONCURRENCY, table }
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true })
  fs.writeFileSync(path.join(__dirname, 'results', 'web-request.json'), JSON.stringify(out, null, 2) + '\n')
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
