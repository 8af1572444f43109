'use strict'
// Throughput through a loopback HTTP proxy against direct, same session settings otherwise:
// a 64 MiB body and 20,000 GETs of 1 KiB at 64 concurrent, interleaved rounds, medians. The
// proxy is examples/bench_proxy.rs in its own process (a Node relay, bench/proxy-server.js,
// is used when cargo is not there). The 64 MiB downloads run in a process per client and
// route (bench/stream-client.js), so that no client shares a heap with another; the same body
// through the same proxy is measured for undici (ProxyAgent, absolute-form) and curl (when
// installed) in the same run: on a small machine the relay's own copying takes a share of
// the CPU that no client gets back, and their ratios show how much. Also runs the core resolution microbenchmark
// (examples/proxy_resolve.rs). Writes bench/results/proxy.json.
const fs = require('node:fs')
const path = require('node:path')
const { spawn, execFileSync } = require('node:child_process')
const { session } = require('..')

const ROUNDS = Number(process.env.ROUNDS || 5)
const REQUESTS = Number(process.env.REQUESTS || 20000)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const now = () => Number(process.hrtime.bigint()) / 1e6

function start (script) {
  const child = spawn(process.execPath, [path.join(__dirname, script)], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ child, port: Number(String(d).trim()) })))
}

function startRustProxy () {
  const root = path.join(__dirname, '..')
  execFileSync('cargo', ['build', '--quiet', '--release', '--no-default-features', '--example', 'bench_proxy'], { cwd: root })
  const child = spawn(path.join(root, 'target', 'release', 'examples', 'bench_proxy'), [], { stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve) => child.stdout.once('data', (d) => resolve({ child, port: Number(String(d).trim()) })))
}

// The 64 MiB download times of one client and route, from a process of its own.
function streamTimes (client, route, originPort, proxyPort, rounds) {
  const host = client === 'ses.fetch' ? 'origin.bench' : '127.0.0.1'
  const url = `http://${host}:${originPort}/stream64`
  const out = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'stream-client.js'), client, route, url, proxyPort, rounds]).toString())
  if (out.bytes !== 64 * 1048576) throw new Error(`${client}: short body`)
  return out.times
}

// curl's own timing of a download to /dev/null (ms), or null without curl.
function curlStream (url, proxyPort) {
  const args = ['-s', '-o', '/dev/null', '-w', '%{time_total}', '--noproxy', '']
  if (proxyPort) args.push('-x', `http://127.0.0.1:${proxyPort}`)
  try {
    return Number(execFileSync('curl', [...args, url]).toString()) * 1000
  } catch {
    return null
  }
}

async function small (ses, url) {
  let next = 0
  const t = now()
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next < REQUESTS) {
      next++
      await (await ses.fetch(url)).arrayBuffer()
    }
  }))
  return now() - t
}

async function main () {
  const origin = await start('http-server.js')
  let proxy
  try {
    proxy = await startRustProxy()
  } catch {
    proxy = await start('proxy-server.js')
  }
  // A name, not 127.0.0.1, so that the implicit loopback bypass does not apply.
  require('..').app.commandLine.appendSwitch('host-resolver-rules', 'MAP origin.bench 127.0.0.1')
  const direct = session.fromPartition('bench-proxy-direct')
  const viaProxy = session.fromPartition('bench-proxy-via')
  await viaProxy.setProxy({ proxyRules: `127.0.0.1:${proxy.port}` })
  const base = `http://origin.bench:${origin.port}`
  const times = { 'direct, 64 MiB': [], 'via proxy, 64 MiB': [], 'direct, 1 KiB x64': [], 'via proxy, 1 KiB x64': [] }
  const peers = { 'undici direct': [], 'undici via proxy': [], 'curl direct': [], 'curl via proxy': [] }
  // curl resolves names itself: it asks for 127.0.0.1 (the proxy maps .bench names).
  const plain = `http://127.0.0.1:${origin.port}/stream64`
  for (let round = 0; round < ROUNDS; round++) {
    times['direct, 64 MiB'].push(...streamTimes('ses.fetch', 'direct', origin.port, proxy.port, 6))
    times['via proxy, 64 MiB'].push(...streamTimes('ses.fetch', 'proxy', origin.port, proxy.port, 6))
    peers['undici direct'].push(...streamTimes('undici.request', 'direct', origin.port, proxy.port, 6))
    peers['undici via proxy'].push(...streamTimes('undici.request', 'proxy', origin.port, proxy.port, 6))
    peers['curl direct'].push(curlStream(plain))
    peers['curl via proxy'].push(curlStream(plain, proxy.port))
    times['direct, 1 KiB x64'].push(await small(direct, `${base}/1k`))
    times['via proxy, 1 KiB x64'].push(await small(viaProxy, `${base}/1k`))
  }
  origin.child.kill()
  proxy.child.kill()
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]))
  const table = [
    { case: '64 MiB body', direct: `${Math.round(64 / (m['direct, 64 MiB'] / 1000))} MiB/s`, 'via proxy': `${Math.round(64 / (m['via proxy, 64 MiB'] / 1000))} MiB/s`, ratio: (m['direct, 64 MiB'] / m['via proxy, 64 MiB']).toFixed(2) + 'x' },
    { case: '1 KiB GETs, 64 concurrent', direct: `${Math.round(REQUESTS / (m['direct, 1 KiB x64'] / 1000))} req/s`, 'via proxy': `${Math.round(REQUESTS / (m['via proxy, 1 KiB x64'] / 1000))} req/s`, ratio: (m['direct, 1 KiB x64'] / m['via proxy, 1 KiB x64']).toFixed(2) + 'x' }
  ]
  const p = Object.fromEntries(Object.entries(peers).map(([k, v]) => [k, v.includes(null) ? null : median(v)]))
  const mibs = (ms) => `${Math.round(64 / (ms / 1000))} MiB/s`
  for (const name of ['undici', 'curl']) {
    if (p[`${name} direct`] === null) continue
    table.push({ case: `64 MiB body, ${name}`, direct: mibs(p[`${name} direct`]), 'via proxy': mibs(p[`${name} via proxy`]), ratio: (p[`${name} direct`] / p[`${name} via proxy`]).toFixed(2) + 'x' })
  }
  console.table(table)
  let core = null
  try {
    core = JSON.parse(execFileSync('cargo', ['run', '--quiet', '--release', '--no-default-features', '--example', 'proxy_resolve'], { cwd: path.join(__dirname, '..') }).toString())
    console.log(core)
  } catch (error) {
    console.error('core microbenchmark skipped:', error.message)
  }
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true })
  fs.writeFileSync(path.join(__dirname, 'results', 'proxy.json'), JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds: ROUNDS, requests: REQUESTS, table, core }, null, 2) + '\n')
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
