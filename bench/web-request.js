'use strict'
// webRequest overhead on ses.fetch, 64 concurrent GETs of 1 KiB over keep-alive, against
// the same session with no listener, in one run (interleaved rounds, medians):
//  - one onBeforeSendHeaders listener that edits a header on every request;
//  - one listener whose filter matches nothing (nothing should cross to JS).
// And a custom protocol handler serving a 64 MiB stream (1 MiB pieces from a ReadableStream)
// against the same 64 MiB over loopback HTTP.
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
  // Protocol stream against loopback HTTP, 64 MiB each.
  const MIB64 = 64 * 1048576
  const piece = new Uint8Array(1048576).fill(7)
  const streamSes = session.fromPartition('bench-protocol')
  streamSes.protocol.handle('bench', () => {
    let left = 64
    return new Response(new ReadableStream({
      pull (controller) {
        if (left-- > 0) controller.enqueue(piece.slice())
        else controller.close()
      }
    }))
  })
  const readAll = async (url) => {
    const start = now()
    let n = 0
    for await (const chunk of (await streamSes.fetch(url)).body) n += chunk.length
    if (n !== MIB64) throw new Error(`short stream ${n}`)
    return now() - start
  }
  const stream = { 'custom protocol, 64 MiB': [], 'loopback HTTP, 64 MiB': [] }
  await readAll('bench://x/')
  await readAll(`http://127.0.0.1:${port}/stream64`)
  for (let round = 0; round < ROUNDS; round++) {
    stream['custom protocol, 64 MiB'].push(await readAll('bench://x/'))
    stream['loopback HTTP, 64 MiB'].push(await readAll(`http://127.0.0.1:${port}/stream64`))
  }
  child.kill()
  const streamTable = Object.entries(stream).map(([name, t]) => ({
    setup: name,
    'median ms': median(t).toFixed(0),
    'MiB/s': Math.round(64 / (median(t) / 1000))
  }))
  console.table(streamTable)
  const protocolRatio = (median(stream['loopback HTTP, 64 MiB']) / median(stream['custom protocol, 64 MiB'])).toFixed(2) + 'x'
  console.log(`custom protocol vs loopback HTTP: ${protocolRatio} (target >= 0.5x)`)
  const base = median(times['no listener'])
  const table = Object.entries(times).map(([name, t]) => ({
    setup: name,
    'median ms': median(t).toFixed(0),
    'req/s': Math.round(REQUESTS / (median(t) / 1000)),
    'vs no listener': (base / median(t)).toFixed(2) + 'x'
  }))
  console.table(table)
  const out = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, requests: REQUESTS, concurrency: CONCURRENCY, table, stream: streamTable, protocolRatio }
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true })
  fs.writeFileSync(path.join(__dirname, 'results', 'web-request.json'), JSON.stringify(out, null, 2) + '\n')
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
