'use strict'
// HTTP client benchmarks, every client in the same run against the same server (a separate
// process, bench/http-server.js):
//  - 20,000 GETs of 1 KiB over keep-alive, sequential and 64 concurrent: ses.fetch,
//    net.request, undici.request, undici.fetch, Node's global fetch, node:http with a
//    keep-alive agent, got and axios;
//  - a 256 MiB streamed body: ses.fetch, net.request, undici.request, node:http, each in a
//    process of its own (bench/stream-client.js: in one process the clients slowed each
//    other, in ways that favoured whichever ran first), six downloads after three warm-ups.
// Rounds are interleaved (every client once per round) and each figure is the median.
// Prints a table with ratios and writes bench/results/http.json.
const fs = require('node:fs')
const path = require('node:path')
const http = require('node:http')
const { spawn, execFileSync } = require('node:child_process')
const undici = require('undici')
const axios = require('axios')
const { session, net } = require('..')

const ROUNDS = Number(process.env.ROUNDS || 3)
const REQUESTS = Number(process.env.REQUESTS || 20000)
const CONCURRENCY = 64
const STREAM_SIZE = 256 * 1024 * 1024

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const now = () => Number(process.hrtime.bigint()) / 1e6

function startServer () {
  const child = spawn(process.execPath, [path.join(__dirname, 'http-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ child, port: Number(String(d).trim()) })))
}

// Each client: get(url) -> Promise<number of body bytes read>.
function makeClients (base, got) {
  const ses = session.fromPartition('bench-http')
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const dispatcher = new undici.Agent({ connections: CONCURRENCY })
  const gotClient = got.extend({ agent: { http: agent }, retry: { limit: 0 } })
  const axiosClient = axios.create({ httpAgent: agent, responseType: 'arraybuffer' })
  const readStream = (stream) => new Promise((resolve, reject) => {
    let n = 0
    stream.on('data', (c) => { n += c.length })
    stream.on('end', () => resolve(n))
    stream.on('error', reject)
  })
  return {
    'ses.fetch': async (url) => (await ses.fetch(url)).arrayBuffer().then((b) => b.byteLength),
    'net.request': (url) => new Promise((resolve, reject) => {
      const req = net.request({ url, session: ses })
      req.on('response', (res) => readStream(res).then(resolve, reject))
      req.on('error', reject)
      req.end()
    }),
    'undici.request': async (url) => {
      const { body } = await undici.request(url, { dispatcher })
      return readStream(body)
    },
    'undici.fetch': async (url) => (await undici.fetch(url, { dispatcher })).arrayBuffer().then((b) => b.byteLength),
    'global fetch': async (url) => (await fetch(url)).arrayBuffer().then((b) => b.byteLength),
    'node:http': (url) => new Promise((resolve, reject) => {
      http.get(url, { agent }, (res) => readStream(res).then(resolve, reject)).on('error', reject)
    }),
    got: async (url) => (await gotClient(url, { responseType: 'buffer' })).body.length,
    axios: async (url) => (await axiosClient.get(url)).data.byteLength
  }
}

async function sequential (get, url) {
  const start = now()
  for (let i = 0; i < REQUESTS; i++) {
    if ((await get(url)) !== 1024) throw new Error('short body')
  }
  return now() - start
}

async function concurrent (get, url) {
  let next = 0
  const start = now()
  const worker = async () => {
    while (next < REQUESTS) {
      next++
      if ((await get(url)) !== 1024) throw new Error('short body')
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return now() - start
}

async function main () {
  const { child, port } = await startServer()
  const base = `http://127.0.0.1:${port}`
  const { default: got } = await import('got')
  const clients = makeClients(base, got)
  // ONLY=name,name limits the run to some clients (for profiling); the table needs all.
  const only = process.env.ONLY ? new Set(process.env.ONLY.split(',')) : null
  const pick = (names) => (only ? names.filter((n) => only.has(n)) : names)
  const small = pick(['ses.fetch', 'net.request', 'undici.request', 'undici.fetch', 'global fetch', 'node:http', 'got', 'axios'])
  const streamers = pick(['ses.fetch (stream)', 'net.request', 'undici.request', 'node:http'])
  const results = { sequential: {}, concurrent: {}, stream: {} }
  for (const name of small) {
    results.sequential[name] = []
    results.concurrent[name] = []
    await sequential(clients[name], `${base}/1k`) // warm-up: connections, JIT
  }
  for (const name of streamers) results.stream[name] = []
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of small) {
      results.sequential[name].push(await sequential(clients[name], `${base}/1k`))
      results.concurrent[name].push(await concurrent(clients[name], `${base}/1k`))
    }
    for (const name of streamers) {
      const client = name === 'ses.fetch (stream)' ? 'ses.fetch' : name
      const out = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'stream-client.js'), client, 'direct', `${base}/stream`, '0', '6']).toString())
      if (out.bytes !== STREAM_SIZE) throw new Error(`${name}: short stream ${out.bytes}`)
      results.stream[name].push(...out.times)
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`)
  }
  child.kill()

  const table = []
  const summary = {}
  for (const [mode, byClient] of Object.entries(results)) {
    summary[mode] = {}
    for (const [name, times] of Object.entries(byClient)) {
      const ms = median(times)
      summary[mode][name] = ms
      const rate = mode === 'stream' ? `${(STREAM_SIZE / 1048576 / (ms / 1000)).toFixed(0)} MiB/s` : `${Math.round(REQUESTS / (ms / 1000))} req/s`
      table.push({ mode, client: name, 'median ms': ms.toFixed(0), rate })
    }
  }
  const ratio = (mode, a, b) => (summary[mode][a] && summary[mode][b] ? (summary[mode][b] / summary[mode][a]).toFixed(2) + 'x' : '-')
  console.table(table)
  const ratios = {
    'ses.fetch vs undici.fetch, 64 concurrent (target >= 1.5x)': ratio('concurrent', 'ses.fetch', 'undici.fetch'),
    'ses.fetch vs global fetch, 64 concurrent (target >= 2x)': ratio('concurrent', 'ses.fetch', 'global fetch'),
    'net.request vs node:http, 64 concurrent (target >= 1x)': ratio('concurrent', 'net.request', 'node:http'),
    'net.request vs node:http, sequential': ratio('sequential', 'net.request', 'node:http'),
    'ses.fetch vs undici.fetch, sequential': ratio('sequential', 'ses.fetch', 'undici.fetch'),
    'ses.fetch stream vs undici.request, 256 MiB (target >= 1x)': ratio('stream', 'ses.fetch (stream)', 'undici.request'),
    'net.request stream vs undici.request, 256 MiB': ratio('stream', 'net.request', 'undici.request')
  }
  console.table(ratios)
  const out = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, requests: REQUESTS, concurrency: CONCURRENCY, medianMs: summary, ratios }
  if (only) return
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true })
  fs.writeFileSync(path.join(__dirname, 'results', 'http.json'), JSON.stringify(out, null, 2) + '\n')
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
