'use strict'
// Network emulation (Electron's ses.enableNetworkEmulation / disableNetworkEmulation, which
// drive Chromium DevTools' throttling) against a loopback server: offline before any
// socket, latency to the response head, download and upload throughputs shared by a
// session's requests and applied to running ones, other sessions untouched, bad input.
// Timings are asserted with tolerances wide enough not to flake on a busy 2-core machine;
// bench/emulation.js measures the accuracy.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { session, net } = require('..')
const { httpServer } = require('./fixtures/servers')

let server
let connections = 0
before(async () => {
  server = await httpServer((req, res) => {
    const url = new URL(req.url, 'http://x')
    if (req.method === 'POST') {
      let size = 0
      req.on('data', (chunk) => { size += chunk.length })
      req.on('end', () => res.end(String(size)))
      return
    }
    if (url.pathname === '/cached') {
      res.writeHead(200, { 'Cache-Control': 'max-age=3600' })
      return res.end('stored')
    }
    const size = Number(url.searchParams.get('size') ?? 2)
    res.writeHead(200, { 'Content-Length': size })
    res.end(Buffer.alloc(size, 'z'))
  })
  server.server.on('connection', () => { connections++ })
})
after(() => server.close())

const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9
const timed = async (work) => {
  const start = process.hrtime.bigint()
  const value = await work()
  return { value, took: seconds(start) }
}
const download = async (ses, size) => (await (await ses.fetch(`${server.url}/data?size=${size}&r=${Math.random()}`)).arrayBuffer()).byteLength

describe('enableNetworkEmulation: offline (Chromium: net::ERR_INTERNET_DISCONNECTED)', () => {
  it('fails fetch, net.request and webRequest with ERR_INTERNET_DISCONNECTED before any socket; fresh cache hits still answer; disable restores', async () => {
    const ses = session.fromPartition('emulation-offline')
    assert.equal(await (await ses.fetch(`${server.url}/cached`)).text(), 'stored')
    const errors = []
    ses.webRequest.onErrorOccurred((details) => errors.push(details.error))
    ses.enableNetworkEmulation({ offline: true })
    const before = connections
    await assert.rejects(ses.fetch(`${server.url}/data`), { message: 'net::ERR_INTERNET_DISCONNECTED', code: 'ERR_INTERNET_DISCONNECTED' })
    const netError = await new Promise((resolve) => {
      const request = net.request({ url: `${server.url}/data`, session: ses })
      request.on('error', resolve)
      request.on('response', () => resolve(null))
      request.end()
    })
    assert.equal(netError.message, 'net::ERR_INTERNET_DISCONNECTED')
    assert.deepEqual(errors, ['net::ERR_INTERNET_DISCONNECTED', 'net::ERR_INTERNET_DISCONNECTED'])
    assert.equal(connections, before)
    // Below the HTTP cache, as DevTools' throttling is: a fresh stored response answers.
    assert.equal(await (await ses.fetch(`${server.url}/cached`)).text(), 'stored')
    ses.disableNetworkEmulation()
    assert.equal(await download(ses, 5), 5)
  })
})

describe('enableNetworkEmulation: latency and throughput', () => {
  it('holds each response head for the latency (ms) after its request went out', async () => {
    const ses = session.fromPartition('emulation-latency')
    await download(ses, 2) // a connection to reuse
    ses.enableNetworkEmulation({ latency: 300 })
    const { took } = await timed(() => download(ses, 2))
    assert.ok(took >= 0.299 && took < 0.45, `took ${took}s`)
    ses.disableNetworkEmulation()
    const after = await timed(() => download(ses, 2))
    assert.ok(after.took < 0.2, `took ${after.took}s`)
  })

  it('downloads at downloadThroughput (bytes/s), shared by concurrent requests; another session runs at full speed', async () => {
    const ses = session.fromPartition('emulation-download')
    const other = session.fromPartition('emulation-download-other')
    ses.enableNetworkEmulation({ downloadThroughput: 40000 })
    const [one, two, unthrottled] = await Promise.all([
      timed(() => download(ses, 30000)),
      timed(() => download(ses, 30000)),
      timed(() => download(other, 60000))
    ])
    assert.deepEqual([one.value, two.value, unthrottled.value], [30000, 30000, 60000])
    // 60,000 bytes (and two heads) at 40,000 B/s: 1.5 s for the two together.
    const both = Math.max(one.took, two.took)
    assert.ok(both >= 1.35 && both < 2.0, `took ${both}s`)
    assert.ok(unthrottled.took < 0.5, `other session took ${unthrottled.took}s`)
    ses.disableNetworkEmulation()
  })

  it('uploads at uploadThroughput (bytes/s)', async () => {
    const ses = session.fromPartition('emulation-upload')
    ses.enableNetworkEmulation({ uploadThroughput: 40000 })
    const { value, took } = await timed(async () => (await ses.fetch(`${server.url}/upload`, { method: 'POST', body: Buffer.alloc(40000, 'u') })).text())
    assert.equal(value, '40000')
    assert.ok(took >= 0.9 && took < 1.5, `took ${took}s`)
    ses.disableNetworkEmulation()
  })

  it('a change applies to a request already running', async () => {
    const ses = session.fromPartition('emulation-change')
    ses.enableNetworkEmulation({ downloadThroughput: 10000 })
    const running = timed(() => download(ses, 100000)) // 10 s at this rate
    await new Promise((resolve) => setTimeout(resolve, 500))
    ses.disableNetworkEmulation()
    const { value, took } = await running
    assert.equal(value, 100000)
    assert.ok(took < 1.5, `took ${took}s`)
  })
})

describe('enableNetworkEmulation: bad input and presets', () => {
  it('refuses negative and non-number values with a TypeError and applies nothing', async () => {
    const ses = session.fromPartition('emulation-bad')
    ses.enableNetworkEmulation({ latency: 250 })
    assert.throws(() => ses.enableNetworkEmulation({ latency: -1 }), { name: 'TypeError', code: 'ERR_OUT_OF_RANGE', message: 'options.latency must not be negative, got -1' })
    assert.throws(() => ses.enableNetworkEmulation({ offline: true, downloadThroughput: 'fast' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'options.downloadThroughput must be a finite number, got fast' })
    assert.throws(() => ses.enableNetworkEmulation({ uploadThroughput: NaN }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => ses.enableNetworkEmulation({ offline: 'yes' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'options.offline must be a boolean, got yes' })
    assert.throws(() => ses.enableNetworkEmulation(), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
    // The refused calls changed nothing: the latency set before holds, and not offline.
    const { took } = await timed(() => download(ses, 2))
    assert.ok(took >= 0.249, `took ${took}s`)
    ses.disableNetworkEmulation()
  })

  it("session.networkPresets has Chrome DevTools' profiles, usable as they are", async () => {
    assert.deepEqual(session.networkPresets.slow3G, { offline: false, latency: 2000, downloadThroughput: 50000, uploadThroughput: 50000 })
    assert.deepEqual(session.networkPresets.fast3G, { offline: false, latency: 562.5, downloadThroughput: 180000, uploadThroughput: 84375 })
    assert.deepEqual(session.networkPresets.fast4G, { offline: false, latency: 165, downloadThroughput: 1012500, uploadThroughput: 168750 })
    assert.deepEqual(session.networkPresets.offline, { offline: true, latency: 0, downloadThroughput: 0, uploadThroughput: 0 })
    assert.ok(Object.isFrozen(session.networkPresets) && Object.isFrozen(session.networkPresets.slow3G))
    const ses = session.fromPartition('emulation-preset')
    ses.enableNetworkEmulation(session.networkPresets.offline)
    await assert.rejects(ses.fetch(`${server.url}/data`), { code: 'ERR_INTERNET_DISCONNECTED' })
    ses.disableNetworkEmulation()
  })
})
