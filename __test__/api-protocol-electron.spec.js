'use strict'
// Protocols where Electron's own spec/api-protocol-spec.ts pins the behaviour: URL
// canonicalisation of standard and non-standard custom schemes, request bodies reaching
// protocol.handle handlers, bypassCustomProtocolHandlers, and the legacy register* family's
// answers as url_loader_factory.cc gives them.
const { describe, it, after, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const { protocol, net } = require('..')

// As Electron's test setup: 'app' is a standard scheme.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true } }])

describe('custom scheme URLs (Electron: api-protocol-spec "protocol.handle")', () => {
  after(() => {
    protocol.unhandle('test-scheme')
    protocol.unhandle('app')
  })

  it('accepts urls with no hostname in non-standard schemes', async () => {
    protocol.handle('test-scheme', (req) => new Response(req.url))
    assert.equal(await (await net.fetch('test-scheme://foo/')).text(), 'test-scheme://foo/')
    assert.equal(await (await net.fetch('test-scheme:///foo')).text(), 'test-scheme:///foo')
    assert.equal(await (await net.fetch('test-scheme://')).text(), 'test-scheme://')
  })

  it('accepts urls with a port-like component in non-standard schemes', async () => {
    assert.equal(await (await net.fetch('test-scheme://foo/:30')).text(), 'test-scheme://foo/:30')
  })

  it('normalizes urls in standard schemes', async () => {
    protocol.handle('app', (req) => new Response(req.url))
    assert.equal(await (await net.fetch('app://foo')).text(), 'app://foo/')
    assert.equal(await (await net.fetch('app:///foo')).text(), 'app://foo/')
    // 'app' has the default scheme type, 'host': no port.
    assert.equal(await (await net.fetch('app://foo:1234')).text(), 'app://foo/')
    await assert.rejects(net.fetch('app://'), { message: 'net::ERR_INVALID_URL', code: 'ERR_INVALID_URL' })
  })

  it('normalizes http urls', async () => {
    protocol.handle('http', (req) => new Response(req.url))
    try {
      assert.equal(await (await net.fetch('http://foo')).text(), 'http://foo/')
    } finally {
      protocol.unhandle('http')
    }
  })
})

describe('request bodies and bypassing handlers (Electron: api-protocol-spec "protocol.handle")', () => {
  const http = require('node:http')
  afterEach(() => {
    for (const scheme of ['test-scheme', 'http']) if (protocol.isProtocolHandled(scheme)) protocol.unhandle(scheme)
  })

  it('can receive simple request body', async () => {
    protocol.handle('test-scheme', (req) => new Response(req.body))
    const body = await (await net.fetch('test-scheme://foo/', { method: 'POST', body: 'foobar' })).text()
    assert.equal(body, 'foobar')
  })

  it('can receive stream request body', async () => {
    protocol.handle('test-scheme', (req) => new Response(req.body))
    const text = 'a'.repeat(100 * 1024) + 'b'.repeat(100 * 1024)
    const chunks = [text.slice(0, 70000), text.slice(70000, 150000), text.slice(150000)]
    const stream = new ReadableStream({
      pull (controller) {
        if (chunks.length) controller.enqueue(new TextEncoder().encode(chunks.shift()))
        else controller.close()
      }
    })
    const body = await (await net.fetch('test-scheme://foo/', { method: 'POST', body: stream, duplex: 'half' })).text()
    assert.equal(body, text)
  })

  it("receives a chunked net.request body, a handler's 307 replaying it", async () => {
    protocol.handle('http', async (req) => {
      if (req.url.endsWith('/first')) return new Response(null, { status: 307, headers: { Location: '/second' } })
      return new Response(`${req.method} ${req.url} ${await req.text()}`)
    })
    const req = net.request({ url: 'http://intercepted.test/first', method: 'PUT' })
    req.chunkedEncoding = true
    req.write('one,')
    req.end('two')
    const text = await new Promise((resolve, reject) => {
      req.on('response', (res) => {
        let b = ''
        res.on('data', (d) => { b += d })
        res.on('end', () => resolve(b))
      })
      req.on('error', reject)
    })
    assert.equal(text, 'PUT http://intercepted.test/second one,two')
  })

  const withServer = async (fn) => {
    const server = http.createServer((req, res) => res.end('default'))
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      await fn(`http://127.0.0.1:${server.address().port}/`)
    } finally {
      server.close()
    }
  }

  it('can bypass intercepeted protocol handlers', async () => {
    protocol.handle('http', () => new Response('custom'))
    try {
      await withServer(async (url) => {
        assert.equal(await (await net.fetch(url)).text(), 'custom')
        assert.equal(await (await net.fetch(url, { bypassCustomProtocolHandlers: true })).text(), 'default')
      })
    } finally {
      protocol.unhandle('http')
    }
  })

  it('can bypass intercepted protocol handlers with net.request', async () => {
    protocol.handle('http', () => new Response('custom'))
    try {
      await withServer(async (url) => {
        const request = net.request({ method: 'GET', url, bypassCustomProtocolHandlers: true })
        const { statusCode, body } = await new Promise((resolve, reject) => {
          request.on('response', (res) => {
            let b = ''
            res.on('data', (d) => { b += d })
            res.on('end', () => resolve({ statusCode: res.statusCode, body: b }))
          })
          request.on('error', reject)
          request.end()
        })
        assert.equal(statusCode, 200)
        assert.equal(body, 'default')
      })
    } finally {
      protocol.unhandle('http')
    }
    assert.throws(() => net.request({ url: 'http://a.test/', bypassCustomProtocolHandlers: 1 }), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'bypassCustomProtocolHandlers must be a boolean'
    })
  })

  it('bypassing custom protocol handlers also bypasses new protocols', async () => {
    protocol.handle('app', () => new Response('custom'))
    try {
      await assert.rejects(net.fetch('app://foo/', { bypassCustomProtocolHandlers: true }), { message: 'net::ERR_UNKNOWN_URL_SCHEME' })
    } finally {
      protocol.unhandle('app')
    }
  })
})

describe('the legacy register* answers (Electron: api-protocol-spec "protocol.register*Protocol", url_loader_factory.cc)', () => {
  const fs = require('node:fs')
  const os = require('node:os')
  const path = require('node:path')
  const { Readable } = require('node:stream')
  const text = 'valar morghulis'
  const registered = []
  const register = (kind, handler) => {
    const scheme = `legacy-${registered.length}`
    registered.push(scheme)
    protocol[`register${kind}Protocol`](scheme, handler)
    return `${scheme}://fake-host/`
  }
  after(() => { for (const scheme of registered) protocol.unregisterProtocol(scheme) })

  it('string, buffer and file responses carry Access-Control-Allow-Origin: *', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hs-legacy-')), 'page.txt')
    fs.writeFileSync(file, text)
    for (const url of [
      register('String', (request, callback) => callback(text)),
      register('Buffer', (request, callback) => callback(Buffer.from(text))),
      register('File', (request, callback) => callback(file))
    ]) {
      const res = await net.fetch(url)
      assert.equal(res.headers.get('access-control-allow-origin'), '*', url)
      assert.equal(await res.text(), text)
    }
  })

  it('registerStreamProtocol: a Readable, { data, headers } with arrays as separate lines, and a 204 with data null', async () => {
    const stream = (...chunks) => Readable.from(chunks.map((c) => Buffer.from(c)))
    let res = await net.fetch(register('Stream', (request, callback) => callback(stream('valar ', 'morghulis'))))
    assert.equal(res.status, 200)
    assert.equal(await res.text(), text)
    res = await net.fetch(register('Stream', (request, callback) => callback({ data: stream(text), headers: { 'x-electron': ['a', 'b'], header2: 'value3' } })))
    assert.equal(res.headers.get('x-electron'), 'a, b')
    assert.equal(res.headers.get('header2'), 'value3')
    assert.equal(res.headers.get('access-control-allow-origin'), null)
    assert.equal(await res.text(), text)
    res = await net.fetch(register('Stream', (request, callback) => callback({ statusCode: 204, data: null })))
    assert.equal(res.status, 204)
    assert.equal(await res.text(), '')
  })

  it('a callback called with nothing fails with net::ERR_NOT_IMPLEMENTED; { error: N } with that error', async () => {
    await assert.rejects(net.fetch(register('String', (request, callback) => callback())), { message: 'net::ERR_NOT_IMPLEMENTED', code: 'ERR_NOT_IMPLEMENTED' })
    await assert.rejects(net.fetch(register('Buffer', (request, callback) => callback({ error: -6 }))), { message: 'net::ERR_FILE_NOT_FOUND' })
    await assert.rejects(net.fetch(register('Stream', (request, callback) => callback('not an object'))), { message: 'net::ERR_NOT_IMPLEMENTED' })
  })

  it('answers of the wrong type fail with a net:: error', async () => {
    const cases = [
      ['Buffer', 'a string to a buffer protocol (not an object)', text, 'net::ERR_NOT_IMPLEMENTED'],
      ['Buffer', '{ data } of a string to a buffer protocol', { data: text }, 'net::ERR_FAILED'],
      ['String', 'a function to a string protocol', () => {}, 'net::ERR_FAILED'],
      ['File', 'a missing file', '/no/such/file/anywhere', 'net::ERR_FILE_NOT_FOUND'],
      ['File', 'a Date to a file protocol', new Date(), 'net::ERR_FAILED'],
      ['Http', '{ url: "url" } to an http protocol', { url: 'url' }, 'net::ERR_FAILED'],
      ['Stream', 'a non-stream as data', { data: 42 }, 'net::ERR_FAILED']
    ]
    for (const [kind, what, answer, message] of cases) {
      await assert.rejects(net.fetch(register(kind, (request, callback) => callback(answer))), { message }, what)
    }
  })

  it('a redirect answer is followed whatever the kind', async () => {
    const target = register('String', (request, callback) => callback('arrived'))
    const res = await net.fetch(register('Buffer', (request, callback) => callback({ statusCode: 302, headers: { Location: target } })))
    assert.equal(await res.text(), 'arrived')
    assert.equal(res.redirected, true)
  })
})

describe('protocol.registerSource (Electron 45: docs/api/protocol.md, ProtocolSource)', () => {
  const fs = require('node:fs')
  const os = require('node:os')
  const path = require('node:path')
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-source-'))
  const site = path.join(base, 'site')
  const assets = path.join(base, 'assets')
  fs.mkdirSync(path.join(site, 'docs'), { recursive: true })
  fs.mkdirSync(assets)
  fs.writeFileSync(path.join(site, 'index.html'), '<h1>home</h1>')
  fs.writeFileSync(path.join(site, 'docs', 'index.html'), '<h1>docs</h1>')
  fs.writeFileSync(path.join(site, 'digits.txt'), '0123456789')
  fs.writeFileSync(path.join(site, 'a b.css'), 'body{}')
  fs.writeFileSync(path.join(assets, 'app.js'), 'run()')
  fs.writeFileSync(path.join(base, 'secret.txt'), 'secret')
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(site, 'link.txt'))
  const source = {
    routes: [
      { source: { type: 'directory', root: site, headers: { 'X-Site': '1', 'Content-Type': 'overridden/by-loader' } } },
      { match: { path: '/assets' }, source: { type: 'directory', root: assets } },
      { match: { host: 'special' }, source: { type: 'directory', root: assets, index: '' } }
    ]
  }
  after(() => { if (protocol.isProtocolHandled('src')) protocol.unhandle('src') })

  it('serves routes by host, then the longest path prefix, with index, Content-Type and Range as file: has them', async () => {
    protocol.registerSource('src', source)
    assert.equal(protocol.isProtocolHandled('src'), true)
    let res = await net.fetch('src://app/')
    assert.equal(await res.text(), '<h1>home</h1>')
    assert.equal(res.headers.get('content-type'), 'text/html')
    assert.equal(res.headers.get('x-site'), '1')
    assert.equal(await (await net.fetch('src://app/docs/')).text(), '<h1>docs</h1>')
    res = await net.fetch('src://app/assets/app.js')
    assert.equal(res.headers.get('content-type'), 'text/javascript')
    assert.equal(await res.text(), 'run()')
    assert.equal(await (await net.fetch('src://special/app.js')).text(), 'run()')
    assert.equal(await (await net.fetch('src://app/a%20b.css')).text(), 'body{}')
    res = await net.fetch('src://app/digits.txt', { headers: { Range: 'bytes=2-4' } })
    assert.equal(res.status, 206)
    assert.equal(res.headers.get('content-range'), 'bytes 2-4/10')
    assert.equal(await res.text(), '234')
    assert.equal((await net.fetch('src://app/digits.txt', { method: 'HEAD' })).status, 200)
  })

  it('fails with net::ERR_FILE_NOT_FOUND outside root, for missing files, no index, and methods other than GET/HEAD', async () => {
    for (const [url, init] of [
      ['src://app/../secret.txt'],
      ['src://app/%2e%2e/secret.txt'],
      ['src://app/link.txt'],
      ['src://app/missing.html'],
      ['src://special/'],
      ['src://app/digits.txt', { method: 'POST', body: 'x' }]
    ]) {
      await assert.rejects(net.fetch(url, init), { message: 'net::ERR_FILE_NOT_FOUND', code: 'ERR_FILE_NOT_FOUND' }, url)
    }
  })

  it('getSource returns the source, unhandle removes it, and a scheme has a handler or a source', async () => {
    assert.deepEqual(protocol.getSource('src'), source)
    assert.equal(protocol.getSource('none'), null)
    assert.throws(() => protocol.handle('src', () => new Response('x')), { message: 'Failed to register protocol: src' })
    assert.throws(() => protocol.registerSource('src', source), { message: 'Failed to register protocol: src' })
    protocol.unhandle('src')
    assert.equal(protocol.isProtocolHandled('src'), false)
    assert.equal(protocol.getSource('src'), null)
    await assert.rejects(net.fetch('src://app/'), { message: 'net::ERR_UNKNOWN_URL_SCHEME' })
  })

  it('webRequest listeners apply to source requests as to any other', async () => {
    const { session } = require('..')
    const ses = session.fromPartition('source-web-request')
    ses.protocol.registerSource('src', source)
    const seen = []
    ses.webRequest.onCompleted((details) => seen.push(`${details.statusCode} ${details.url}`))
    await (await ses.fetch('src://app/digits.txt')).text()
    assert.deepEqual(seen, ['200 src://app/digits.txt'])
  })

  it('refuses a malformed source with a TypeError, registering nothing', () => {
    const bad = [
      [undefined, 'source.routes must be an array'],
      [{ routes: [{ source: { type: 'file', root: site } }] }, "source.routes[0].source.type must be 'directory'"],
      [{ routes: [{ source: { type: 'directory', root: 'relative' } }] }, 'source.routes[0].source.root must be an absolute path'],
      [{ routes: [{ match: { path: 'x' }, source: { type: 'directory', root: site } }] }, "source.routes[0].match.path must start with '/'"],
      [{ routes: [{ source: { type: 'directory', root: site, headers: { 'X-A': 1 } } }] }, "source.routes[0].source.headers['X-A'] must be a string"]
    ]
    for (const [value, message] of bad) {
      assert.throws(() => protocol.registerSource('bad-src', value), { name: 'TypeError', message })
    }
    assert.equal(protocol.isProtocolHandled('bad-src'), false)
  })
})
