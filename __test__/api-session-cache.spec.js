'use strict'
// The HTTP cache (Chromium's HttpCache, RFC 9111 where Chromium is silent), against a
// loopback origin that counts its hits: freshness, no-store, revalidation with ETag and a
// 304, Vary, invalidation by unsafe methods, fromCache in webRequest, cookies not replayed,
// getCacheSize/clearCache, and { cache: false }.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { app, session, net } = require('..')
const { httpServer, collect } = require('./fixtures/servers')
const { tempDir } = require('./helpers')

app.setPath('userData', tempDir())

let server
const hits = new Map()
const conditionals = []
let version = 1
// 24 MiB that is not one byte repeated: larger than what the disk store reads whole.
const big = Buffer.alloc(24 << 20, 'headless-session large cache entry ')
before(async () => {
  server = await httpServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    hits.set(path, (hits.get(path) ?? 0) + 1)
    if (path.startsWith('/fresh')) {
      res.setHeader('Cache-Control', 'max-age=3600')
    } else if (path.startsWith('/no-store')) {
      res.setHeader('Cache-Control', 'no-store')
    } else if (path.startsWith('/etag')) {
      conditionals.push(req.headers['if-none-match'] ?? null)
      res.setHeader('Cache-Control', 'no-cache')
      res.setHeader('ETag', '"v1"')
      if (req.headers['if-none-match'] === '"v1"') {
        res.statusCode = 304
        res.setHeader('X-Refreshed', String(hits.get(path)))
        return res.end()
      }
      res.setHeader('X-Refreshed', 'no')
    } else if (path.startsWith('/vary')) {
      res.setHeader('Cache-Control', 'max-age=3600')
      res.setHeader('Vary', 'X-Lang')
      return res.end(`lang ${req.headers['x-lang']}`)
    } else if (path.startsWith('/cookie')) {
      res.setHeader('Cache-Control', 'max-age=3600')
      res.setHeader('Set-Cookie', `n=${hits.get(path)}`)
    } else if (path.startsWith('/status/')) {
      res.statusCode = Number(path.split('/')[2])
      res.setHeader('Cache-Control', 'max-age=3600')
    } else if (path.startsWith('/swr')) {
      res.setHeader('Cache-Control', 'max-age=1, stale-while-revalidate=60')
    } else if (path.startsWith('/moved')) {
      res.writeHead(301, { Location: '/fresh/target' })
      return res.end()
    } else if (path.startsWith('/found-fresh')) {
      res.writeHead(302, { Location: '/fresh/target', 'Cache-Control': 'max-age=60' })
      return res.end()
    } else if (path.startsWith('/found')) {
      res.writeHead(302, { Location: '/fresh/target' })
      return res.end()
    } else if (path.startsWith('/sized/')) {
      res.setHeader('Cache-Control', 'max-age=3600')
      return res.end('x'.repeat(Number(path.split('/')[2])))
    } else if (path.startsWith('/big')) {
      res.setHeader('Cache-Control', 'max-age=3600')
      return res.end(big)
    } else if (path.startsWith('/versioned')) {
      res.setHeader('Cache-Control', 'max-age=3600')
      return res.end(`v${version}`)
    }
    res.end(`${req.method} ${path} #${hits.get(path)}`)
  })
})
after(() => server.close())

const text = async (ses, path, init) => (await ses.fetch(server.url + path, init)).text()

describe('HTTP cache (Chromium HttpCache)', () => {
  it('serves a fresh response (max-age) from the cache: the origin is hit once, Age is set, fromCache in webRequest', async () => {
    const ses = session.fromPartition('cache-fresh')
    const completed = []
    ses.webRequest.onCompleted((details) => completed.push(details.fromCache))
    assert.equal(await text(ses, '/fresh/a'), 'GET /fresh/a #1')
    const again = await ses.fetch(server.url + '/fresh/a')
    assert.equal(await again.text(), 'GET /fresh/a #1')
    assert.equal(again.headers.get('age'), '0')
    assert.equal(again.headers.get('cache-control'), 'max-age=3600')
    assert.equal(hits.get('/fresh/a'), 1)
    assert.deepEqual(completed, [false, true])
  })

  it('a HEAD is answered by a fresh GET entry, without a body', async () => {
    const ses = session.fromPartition('cache-head')
    assert.equal(await text(ses, '/fresh/head'), 'GET /fresh/head #1')
    const head = await ses.fetch(server.url + '/fresh/head', { method: 'HEAD' })
    assert.equal(head.status, 200)
    assert.equal(head.headers.get('content-length'), '18')
    assert.equal(await head.text(), '')
    assert.equal(hits.get('/fresh/head'), 1)
  })

  it('stores any status with explicit freshness (a 400, a 503), as Chromium does', async () => {
    const ses = session.fromPartition('cache-status')
    for (const status of [400, 503]) {
      for (let i = 0; i < 2; i++) {
        const res = await ses.fetch(`${server.url}/status/${status}`)
        assert.equal(res.status, status)
        assert.equal(await res.text(), `GET /status/${status} #1`)
      }
    }
  })

  it('net.request reads the same cache', async () => {
    const ses = session.fromPartition('cache-net-request')
    await text(ses, '/fresh/net')
    const body = await new Promise((resolve, reject) => {
      const req = net.request({ url: server.url + '/fresh/net', session: ses })
      req.on('response', (res) => collect(res).then(resolve, reject))
      req.on('error', reject)
      req.end()
    })
    assert.equal(body, 'GET /fresh/net #1')
    assert.equal(hits.get('/fresh/net'), 1)
  })

  it('never stores no-store', async () => {
    const ses = session.fromPartition('cache-no-store')
    assert.equal(await text(ses, '/no-store/a'), 'GET /no-store/a #1')
    assert.equal(await text(ses, '/no-store/a'), 'GET /no-store/a #2')
  })

  it('revalidates no-cache with If-None-Match; a 304 serves the stored body with refreshed headers', async () => {
    const ses = session.fromPartition('cache-etag')
    const completed = []
    ses.webRequest.onCompleted((details) => completed.push(details.fromCache))
    conditionals.length = 0
    const first = await ses.fetch(server.url + '/etag/a')
    assert.equal(await first.text(), 'GET /etag/a #1')
    const second = await ses.fetch(server.url + '/etag/a')
    assert.equal(second.status, 200)
    assert.equal(await second.text(), 'GET /etag/a #1')
    assert.equal(second.headers.get('x-refreshed'), '2')
    assert.deepEqual(conditionals, [null, '"v1"'])
    assert.equal(hits.get('/etag/a'), 2)
    assert.deepEqual(completed, [false, true])
  })

  it('matches Vary on the stored request header values', async () => {
    const ses = session.fromPartition('cache-vary')
    assert.equal(await text(ses, '/vary/a', { headers: { 'X-Lang': 'en' } }), 'lang en')
    assert.equal(await text(ses, '/vary/a', { headers: { 'X-Lang': 'fr' } }), 'lang fr')
    assert.equal(hits.get('/vary/a'), 2)
  })

  it('a successful POST invalidates the stored GET of its URL', async () => {
    const ses = session.fromPartition('cache-invalidate')
    await text(ses, '/fresh/post')
    await text(ses, '/fresh/post', { method: 'POST', body: 'x' })
    assert.equal(await text(ses, '/fresh/post'), 'GET /fresh/post #3')
    assert.equal(hits.get('/fresh/post'), 3)
  })

  it('does not replay Set-Cookie from the cache (Chromium persists responses without cookies)', async () => {
    const ses = session.fromPartition('cache-cookie')
    const first = await ses.fetch(server.url + '/cookie/a', { credentials: 'include' })
    assert.equal(first.headers.get('set-cookie'), 'n=1')
    await first.text()
    await ses.cookies.remove(server.url + '/cookie/a', 'n')
    const second = await ses.fetch(server.url + '/cookie/a', { credentials: 'include' })
    assert.equal(second.headers.get('set-cookie'), null)
    await second.text()
    assert.deepEqual(await ses.cookies.get({}), [])
    assert.equal(hits.get('/cookie/a'), 1)
  })

  it('getCacheSize counts what is stored; clearCache empties it and the network is asked again', async () => {
    const ses = session.fromPartition('cache-clear')
    assert.equal(await ses.getCacheSize(), 0)
    version = 1
    assert.equal(await text(ses, '/versioned'), 'v1')
    const size = await ses.getCacheSize()
    assert.ok(size > 0, `size ${size}`)
    version = 2
    assert.equal(await text(ses, '/versioned'), 'v1')
    await ses.clearCache()
    assert.equal(await ses.getCacheSize(), 0)
    assert.equal(await text(ses, '/versioned'), 'v2')
    const viaCallback = await new Promise((resolve) => ses.getCacheSize((n) => resolve(n)))
    assert.ok(viaCallback > 0)
    await new Promise((resolve) => ses.clearCache(resolve))
    assert.equal(await ses.getCacheSize(), 0)
  })

  it('fromPartition(p, { cache: false }) never reads or writes a cache', async () => {
    const ses = session.fromPartition('cache-off', { cache: false })
    assert.equal(await text(ses, '/fresh/off'), 'GET /fresh/off #1')
    assert.equal(await text(ses, '/fresh/off'), 'GET /fresh/off #2')
    assert.equal(await ses.getCacheSize(), 0)
  })
})

describe("Fetch's cache modes and net.request's cache option (Chromium's load flags)", () => {
  const run = async (ses, path, cache) => (await ses.fetch(server.url + path, { cache, mode: cache === 'only-if-cached' ? 'same-origin' : undefined })).text()

  it('no-store neither reads nor writes; reload writes without reading', async () => {
    const ses = session.fromPartition('cache-modes-store')
    assert.equal(await run(ses, '/fresh/m1', 'no-store'), 'GET /fresh/m1 #1')
    assert.equal(await run(ses, '/fresh/m1', 'default'), 'GET /fresh/m1 #2')
    assert.equal(await run(ses, '/fresh/m1', 'no-store'), 'GET /fresh/m1 #3')
    assert.equal(await run(ses, '/fresh/m1', 'reload'), 'GET /fresh/m1 #4')
    assert.equal(await run(ses, '/fresh/m1', 'default'), 'GET /fresh/m1 #4')
  })

  it('no-cache revalidates even a fresh response; a 304 keeps the stored body', async () => {
    const ses = session.fromPartition('cache-modes-no-cache')
    conditionals.length = 0
    assert.equal(await run(ses, '/etag/m', 'default'), 'GET /etag/m #1')
    assert.equal(await run(ses, '/etag/m', 'no-cache'), 'GET /etag/m #1')
    assert.deepEqual(conditionals, [null, '"v1"'])
  })

  it('force-cache serves a stale response without asking; only-if-cached too, and fails a miss with net::ERR_CACHE_MISS', async () => {
    const ses = session.fromPartition('cache-modes-force')
    assert.equal(await run(ses, '/etag/f', 'default'), 'GET /etag/f #1')
    assert.equal(await run(ses, '/etag/f', 'force-cache'), 'GET /etag/f #1')
    assert.equal(await run(ses, '/etag/f', 'only-if-cached'), 'GET /etag/f #1')
    assert.equal(hits.get('/etag/f'), 1)
    await assert.rejects(run(ses, '/etag/never-fetched', 'only-if-cached'), { message: 'net::ERR_CACHE_MISS', code: 'ERR_CACHE_MISS' })
    assert.equal(hits.get('/etag/never-fetched'), undefined)
    await assert.rejects(ses.fetch(server.url + '/x', { cache: 'only-if-cached' }), { name: 'TypeError' })
  })

  it("net.request takes Electron's cache option with the same values", async () => {
    const ses = session.fromPartition('cache-modes-net')
    const get = (cache) => new Promise((resolve, reject) => {
      const req = net.request({ url: server.url + '/fresh/n', session: ses, cache })
      req.on('response', (res) => collect(res).then(resolve, reject))
      req.on('error', reject)
      req.end()
    })
    assert.equal(await get('default'), 'GET /fresh/n #1')
    assert.equal(await get('force-cache'), 'GET /fresh/n #1')
    assert.equal(await get('reload'), 'GET /fresh/n #2')
    assert.throws(() => net.request({ url: server.url, cache: 'sometimes' }), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: 'cache must be one of default, no-store, reload, no-cache, force-cache or only-if-cached'
    })
  })
})

describe('the disk cache of persistent partitions', () => {
  const fs = require('node:fs')
  const path = require('node:path')
  const { execFile } = require('node:child_process')
  const { promisify } = require('node:util')
  const root = path.join(__dirname, '..')

  // Fetches `url` in `persist:disk` under `userData` in a fresh process; its body.
  const fetchInProcess = async (userData, url) => {
    const script = `
      const { app, session } = require(${JSON.stringify(root)})
      app.setPath('userData', ${JSON.stringify(userData)})
      session.fromPartition('persist:disk').fetch(${JSON.stringify(url)}).then((r) => r.text()).then((t) => console.log(t))`
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 })
    return stdout.trim()
  }

  it('keeps responses across restarts; a damaged entry is refetched, never an error', async () => {
    const userData = tempDir()
    const url = server.url + '/fresh/disk'
    assert.equal(await fetchInProcess(userData, url), 'GET /fresh/disk #1')
    assert.equal(await fetchInProcess(userData, url), 'GET /fresh/disk #1')
    assert.equal(hits.get('/fresh/disk'), 1)
    const cacheDir = path.join(userData, 'Partitions', 'disk', 'Cache')
    const entries = fs.readdirSync(cacheDir).filter((f) => f.endsWith('.entry'))
    assert.equal(entries.length, 1)
    const file = path.join(cacheDir, entries[0])
    const data = fs.readFileSync(file)
    data[data.length - 40] ^= 0xff
    fs.writeFileSync(file, data)
    fs.writeFileSync(path.join(cacheDir, 'killed-mid-write.123.tmp'), 'partial')
    assert.equal(await fetchInProcess(userData, url), 'GET /fresh/disk #2')
    assert.equal(await fetchInProcess(userData, url), 'GET /fresh/disk #2')
    assert.equal(fs.existsSync(path.join(cacheDir, 'killed-mid-write.123.tmp')), false)
  })

  it('what was stored just before a normal exit is there after it (the exit waits for the cache\'s commits)', async () => {
    const userData = tempDir()
    const urls = Array.from({ length: 8 }, (_, i) => `${server.url}/fresh/exit-${i}`)
    const script = `
      const { app, session } = require(${JSON.stringify(root)})
      app.setPath('userData', ${JSON.stringify(userData)})
      const ses = session.fromPartition('persist:disk')
      Promise.all(${JSON.stringify(urls)}.map((u) => ses.fetch(u).then((r) => r.text()))).then((t) => { console.log(t.join(',')); process.exit(0) })`
    const run = async () => (await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 })).stdout.trim()
    const first = await run()
    assert.equal(await run(), first)
    assert.deepEqual(urls.map((u) => hits.get(new URL(u).pathname)), urls.map(() => 1))
  })

  it('streams a large entry (24 MiB) from disk byte for byte; a flipped byte in it is refetched', async () => {
    const { createHash } = require('node:crypto')
    const digest = async (response) => {
      const hash = createHash('sha256')
      for await (const chunk of response.body) hash.update(chunk)
      return hash.digest('hex')
    }
    const expected = createHash('sha256').update(big).digest('hex')
    app.commandLine.appendSwitch('disk-cache-size', String(512 << 20))
    try {
      const userData = tempDir()
      app.setPath('userData', userData)
      const ses = session.fromPartition('persist:disk-large')
      const url = server.url + '/big/streamed'
      assert.equal(await digest(await ses.fetch(url)), expected)
      const cached = await ses.fetch(url)
      assert.equal(cached.headers.get('content-length'), String(big.length))
      assert.equal(await digest(cached), expected)
      assert.equal(hits.get('/big/streamed'), 1)
      const cacheDir = path.join(userData, 'Partitions', 'disk-large', 'Cache')
      const [entry] = fs.readdirSync(cacheDir).filter((f) => f.endsWith('.entry'))
      const fd = fs.openSync(path.join(cacheDir, entry), 'r+')
      fs.writeSync(fd, Buffer.from('X'), 0, 1, 12 << 20)
      fs.closeSync(fd)
      assert.equal(await digest(await ses.fetch(url)), expected)
      assert.equal(hits.get('/big/streamed'), 2)
    } finally {
      app.commandLine.removeSwitch('disk-cache-size')
    }
  })

  it('getCacheSize and clearCache work on the disk store', async () => {
    const ses = session.fromPartition('persist:disk-clear')
    assert.equal(await text(ses, '/fresh/disk-clear'), 'GET /fresh/disk-clear #1')
    assert.ok(await ses.getCacheSize() > 0)
    assert.equal(await text(ses, '/fresh/disk-clear'), 'GET /fresh/disk-clear #1')
    await ses.clearCache()
    assert.equal(await ses.getCacheSize(), 0)
    assert.equal(await text(ses, '/fresh/disk-clear'), 'GET /fresh/disk-clear #2')
  })
})

describe("the size limit (Chromium's disk-cache-size switch)", () => {
  it('keeps no body over an eighth of the limit, and stays within the limit, least recently used out first', async () => {
    app.commandLine.appendSwitch('disk-cache-size', '8192')
    try {
      const ses = session.fromPartition('cache-sized')
      const get = async (size) => (await ses.fetch(`${server.url}/sized/${size}`)).text()
      await get(2000)
      await get(2000)
      assert.equal(hits.get('/sized/2000'), 2)
      await get(500)
      await get(500)
      assert.equal(hits.get('/sized/500'), 1)
      for (let i = 0; i < 20; i++) await get(600 + i)
      const size = await ses.getCacheSize()
      assert.ok(size <= 8192 && size > 4096, `size ${size}`)
      await get(500)
      assert.equal(hits.get('/sized/500'), 2)
    } finally {
      app.commandLine.removeSwitch('disk-cache-size')
    }
  })
})

describe('clearing storage (Electron: ses.clearStorageData, ses.clearData)', () => {
  const cookieAt = (url, name) => ({ url, name, value: '1', expirationDate: 4102444800 })
  const names = async (ses) => (await ses.cookies.get({})).map((c) => `${c.domain} ${c.name}`).sort()

  it('clearData: cookies at the registrable-domain level of origins, the cache by origin; excludeOrigins keeps them', async () => {
    const ses = session.fromPartition('clear-data')
    await ses.cookies.set(cookieAt('https://a.example.com', 'a'))
    await ses.cookies.set(cookieAt('https://b.example.com', 'b'))
    await ses.cookies.set(cookieAt('https://other.test', 'o'))
    await ses.clearData({ dataTypes: ['cookies'], origins: ['https://really.specific.example.com'] })
    assert.deepEqual(await names(ses), ['other.test o'])
    await ses.cookies.set(cookieAt('https://a.example.com', 'a'))
    await ses.clearData({ dataTypes: ['cookies'], excludeOrigins: ['https://other.test'] })
    assert.deepEqual(await names(ses), ['other.test o'])
    await text(ses, '/fresh/clear-data')
    await ses.clearData({ dataTypes: ['cache'], origins: ['https://elsewhere.test'] })
    assert.equal(await text(ses, '/fresh/clear-data'), 'GET /fresh/clear-data #1')
    await ses.clearData({ dataTypes: ['cache'], origins: [server.url] })
    assert.equal(await text(ses, '/fresh/clear-data'), 'GET /fresh/clear-data #2')
    await Promise.all([ses.clearData(), ses.clearData({ dataTypes: ['localStorage', 'indexedDB'] })])
    assert.deepEqual(await names(ses), [])
    assert.equal(await ses.getCacheSize(), 0)
  })

  it("clearData refuses both origins and excludeOrigins, and opaque origins, with Electron's TypeErrors", () => {
    const ses = session.fromPartition('clear-data-bad')
    assert.throws(() => ses.clearData({ origins: ['https://a.test'], excludeOrigins: ['https://b.test'] }), {
      name: 'TypeError', message: "Cannot provide both 'origins' and 'excludeOrigins'"
    })
    assert.throws(() => ses.clearData({ origins: ['not a url'] }), { name: 'TypeError', message: "Invalid origin: 'not a url'" })
    assert.throws(() => ses.clearData({ dataTypes: 'cookies' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
  })

  it('clearStorageData: cookies for an origin or all, other storages accepted, the callback form too', async () => {
    const ses = session.fromPartition('clear-storage')
    await ses.cookies.set(cookieAt('https://a.example.com', 'a'))
    await ses.cookies.set(cookieAt('https://other.test', 'o'))
    await ses.clearStorageData({ origin: 'https://www.example.com', storages: ['cookies', 'localstorage'] })
    assert.deepEqual(await names(ses), ['other.test o'])
    await ses.clearStorageData({ storages: ['indexdb', 'websql', 'serviceworkers'] })
    assert.deepEqual(await names(ses), ['other.test o'])
    await text(ses, '/fresh/clear-storage')
    await new Promise((resolve) => ses.clearStorageData(resolve))
    assert.deepEqual(await names(ses), [])
    assert.equal(await text(ses, '/fresh/clear-storage'), 'GET /fresh/clear-storage #2')
    assert.throws(() => ses.clearStorageData({ storages: 'cookies' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
    assert.equal(await ses.clearCodeCaches({ urls: [] }), undefined)
  })
})

describe('cached redirects (Chromium HttpCache)', () => {
  it('a 301, and a 302 with freshness, are followed from the cache without the network; a plain 302 is not', async () => {
    const ses = session.fromPartition('cache-redirects')
    const redirects = []
    ses.webRequest.onBeforeRedirect((details) => redirects.push(`${new URL(details.url).pathname} ${details.statusCode} ${details.fromCache}`))
    for (let i = 0; i < 2; i++) {
      for (const p of ['/moved', '/found-fresh', '/found']) assert.equal(await text(ses, p), 'GET /fresh/target #1')
    }
    assert.deepEqual([hits.get('/moved'), hits.get('/found-fresh'), hits.get('/found')], [1, 1, 2])
    assert.deepEqual(redirects, [
      '/moved 301 false', '/found-fresh 302 false', '/found 302 false',
      '/moved 301 true', '/found-fresh 302 true', '/found 302 false'
    ])
  })
})

describe('stale-while-revalidate (RFC 5861, as Chromium serves it)', () => {
  it('serves the stale response at once and revalidates in the background; the next request gets the new one', async () => {
    const ses = session.fromPartition('cache-swr')
    assert.equal(await text(ses, '/swr/a'), 'GET /swr/a #1')
    await new Promise((resolve) => setTimeout(resolve, 1100))
    assert.equal(await text(ses, '/swr/a'), 'GET /swr/a #1')
    for (let i = 0; i < 50 && hits.get('/swr/a') < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.equal(hits.get('/swr/a'), 2)
    assert.equal(await text(ses, '/swr/a'), 'GET /swr/a #2')
    assert.equal(hits.get('/swr/a'), 2)
  })
})
