'use strict'
// ses.fetch and net.fetch: WHATWG fetch over the session's stack, against loopback servers.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const { net, session } = require('..')
const { httpServer, rawServer, useTestHostRules, sendEcho } = require('./fixtures/servers')

let server
let raw
before(async () => {
  useTestHostRules()
  server = await httpServer(async (req, res) => {
    const u = new URL(req.url, 'http://x')
    const p = u.pathname
    if (p === '/echo') {
      await sendEcho(req, res, { 'x-dup': ['1', '2'] })
    } else if (p === '/redirect') {
      res.writeHead(302, { location: '/echo', 'set-cookie': 'r=1' })
      res.end()
    } else if (p === '/to-data') {
      res.writeHead(301, { location: 'data:text/plain,x' })
      res.end()
    } else if (p === '/loop') {
      res.writeHead(307, { location: '/loop' })
      res.end()
    } else if (p === '/basic') {
      if (req.headers.authorization === 'Basic ' + Buffer.from('u s:p@ss').toString('base64')) res.end('welcome')
      else { res.writeHead(401, { 'www-authenticate': 'Basic realm="f"' }); res.end('denied') }
    } else if (p === '/digest') {
      const auth = req.headers.authorization ?? ''
      if (auth.startsWith('Digest ')) {
        const params = Object.fromEntries([...auth.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,]*))/g)].map((m) => [m[1], m[2] ?? m[3]]))
        const md5 = (s) => crypto.createHash('md5').update(s).digest('hex')
        const ha1 = md5(`${params.username}:dr:secret`)
        const ha2 = md5(`${req.method}:${params.uri}`)
        const expected = md5(`${ha1}:${params.nonce}:${params.nc}:${params.cnonce}:auth:${ha2}`)
        if (params.response === expected && params.nonce === 'n0nce' && params.opaque === 'op') return res.end('digest ok ' + params.username)
      }
      res.writeHead(401, { 'www-authenticate': 'Digest realm="dr", nonce="n0nce", qop="auth", opaque="op", algorithm=MD5' })
      res.end('no')
    } else if (p === '/big') {
      const size = Number(u.searchParams.get('size'))
      const block = crypto.createHash('sha256').update('seed').digest()
      const buf = Buffer.alloc(size)
      for (let i = 0; i < size; i += 32) block.copy(buf, i)
      res.setHeader('content-length', size)
      res.end(buf)
    } else if (p === '/never') {
      // never answers
    } else if (p === '/slow-body') {
      res.writeHead(200)
      res.write('first')
    } else if (p === '/no-content') {
      res.writeHead(204)
      res.end()
    } else {
      res.end('hello ' + p)
    }
  })
  raw = await rawServer((socket, text) => {
    socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\npart\r\n')
  })
})
after(async () => {
  await server.close()
  await raw.close()
})

describe('ses.fetch', () => {
  it('returns a Node Response with status, headers, url and body', async () => {
    const ses = session.fromPartition('fetch-basic')
    const res = await ses.fetch(`${server.url}/echo?x=1`)
    assert.ok(res instanceof Response)
    assert.equal(res.status, 200)
    assert.equal(res.ok, true)
    assert.equal(res.statusText, 'OK')
    assert.equal(res.url, `${server.url}/echo?x=1`)
    assert.equal(res.redirected, false)
    assert.equal(res.headers.get('content-type'), 'application/json')
    assert.equal(res.headers.get('x-dup'), '1, 2')
    const body = await res.json()
    assert.equal(body.method, 'GET')
    assert.equal(body.headers['sec-fetch-mode'], 'no-cors')
  })

  it('sends string, JSON and streamed bodies', async () => {
    const ses = session.fromPartition('fetch-bodies')
    let echo = await (await ses.fetch(`${server.url}/echo`, { method: 'POST', body: 'plain' })).json()
    assert.equal(echo.body, 'plain')
    assert.equal(echo.headers['content-type'], 'text/plain;charset=UTF-8')
    assert.equal(echo.headers['content-length'], '5')
    echo = await (await ses.fetch(`${server.url}/echo`, { method: 'PUT', body: JSON.stringify({ a: 1 }), headers: { 'Content-Type': 'application/json' } })).json()
    assert.equal(echo.method, 'PUT')
    assert.deepEqual(JSON.parse(echo.body), { a: 1 })
    const stream = new ReadableStream({
      start (c) {
        c.enqueue(new TextEncoder().encode('chunk1-'))
        c.enqueue(new TextEncoder().encode('chunk2'))
        c.close()
      }
    })
    echo = await (await ses.fetch(`${server.url}/echo`, { method: 'POST', body: stream, duplex: 'half' })).json()
    assert.equal(echo.body, 'chunk1-chunk2')
    assert.equal(echo.headers['transfer-encoding'], 'chunked')
  })

  it('takes a Request object as input', async () => {
    const ses = session.fromPartition('fetch-request-object')
    const req = new Request(`${server.url}/echo`, { method: 'PATCH', body: 'from a Request', headers: { 'X-Req': '1' } })
    const echo = await (await ses.fetch(req)).json()
    assert.equal(echo.method, 'PATCH')
    assert.equal(echo.body, 'from a Request')
    assert.equal(echo.headers['x-req'], '1')
  })

  it('streams a large body intact', async () => {
    const size = 8 * 1024 * 1024 + 32
    const res = await session.fromPartition('fetch-big').fetch(`${server.url}/big?size=${size}`)
    const hash = crypto.createHash('sha256')
    let total = 0
    for await (const chunk of res.body) {
      total += chunk.length
      hash.update(chunk)
    }
    assert.equal(total, size)
    const block = crypto.createHash('sha256').update('seed').digest()
    const expected = crypto.createHash('sha256')
    for (let i = 0; i < size; i += 32) expected.update(block)
    assert.equal(hash.digest('hex'), expected.digest('hex'))
  })

  it('follows redirects, storing cookies on the way, and reports redirected', async () => {
    const ses = session.fromPartition('fetch-redirect')
    const res = await ses.fetch(`${server.url}/redirect`)
    assert.equal(res.redirected, true)
    assert.equal(res.url, `${server.url}/echo`)
    assert.equal((await res.json()).headers.cookie, 'r=1')
  })

  it('omits cookies with credentials omit', async () => {
    const ses = session.fromPartition('fetch-omit')
    await ses.cookies.set({ url: server.url, name: 'k', value: 'v' })
    let echo = await (await ses.fetch(`${server.url}/echo`, { credentials: 'omit' })).json()
    assert.equal(echo.headers.cookie, undefined)
    echo = await (await ses.fetch(`${server.url}/echo`)).json()
    assert.equal(echo.headers.cookie, 'k=v')
  })

  it("redirect 'error' rejects, 'manual' rejects with Electron's 'Redirect was cancelled'", async () => {
    const ses = session.fromPartition('fetch-redirect-modes')
    await assert.rejects(ses.fetch(`${server.url}/redirect`, { redirect: 'error' }), { message: "Attempted to redirect, but redirect policy was 'error'" })
    await assert.rejects(ses.fetch(`${server.url}/redirect`, { redirect: 'manual' }), { message: 'Redirect was cancelled', code: 'ERR_ABORTED' })
  })

  it('rejects with Chromium\'s errors and a code', async () => {
    const ses = session.fromPartition('fetch-errors')
    await assert.rejects(ses.fetch(`${server.url}/to-data`), { message: 'net::ERR_UNSAFE_REDIRECT', code: 'ERR_UNSAFE_REDIRECT' })
    await assert.rejects(ses.fetch(`${server.url}/loop`), { message: 'net::ERR_TOO_MANY_REDIRECTS', code: 'ERR_TOO_MANY_REDIRECTS' })
    await assert.rejects(ses.fetch('http://missing.test/'), { message: 'net::ERR_NAME_NOT_RESOLVED', code: 'ERR_NAME_NOT_RESOLVED' })
    await assert.rejects(ses.fetch('ftp://127.0.0.1/'), { message: 'net::ERR_UNKNOWN_URL_SCHEME' })
    const res = await ses.fetch(`${raw.url}/`)
    await assert.rejects(res.text(), { message: 'net::ERR_INCOMPLETE_CHUNKED_ENCODING', code: 'ERR_INCOMPLETE_CHUNKED_ENCODING' })
    // What arrived before the connection broke is read before the error, as in Chromium.
    const reader = (await ses.fetch(`${raw.url}/`)).body.getReader()
    assert.equal(Buffer.from((await reader.read()).value).toString(), 'part')
    await assert.rejects(reader.read(), { message: 'net::ERR_INCOMPLETE_CHUNKED_ENCODING' })
    await assert.rejects(ses.fetch('not a url'), { name: 'TypeError' })
  })

  it('delivers a 401 (no login prompt), and refuses URL credentials as WHATWG Request does', async () => {
    const ses = session.fromPartition('fetch-auth')
    const res = await ses.fetch(`${server.url}/basic`)
    assert.equal(res.status, 401)
    assert.equal(res.headers.get('www-authenticate'), 'Basic realm="f"')
    assert.equal(await res.text(), 'denied')
    await assert.rejects(ses.fetch(`http://u:p@127.0.0.1:${server.port}/basic`), { name: 'TypeError' })
  })

  it('answers from the session auth cache that net.request filled', async () => {
    const ses = session.fromPartition('fetch-auth-cache')
    const viaRequest = await new Promise((resolve, reject) => {
      const req = net.request({ url: `http://dave:secret@127.0.0.1:${server.port}/digest`, session: ses })
      req.on('response', (r) => { let t = ''; r.on('data', (d) => { t += d }); r.on('end', () => resolve(t)) })
      req.on('error', reject)
      req.end()
    })
    assert.equal(viaRequest, 'digest ok dave')
    assert.equal(await (await ses.fetch(`${server.url}/digest`)).text(), 'digest ok dave')
    await ses.clearAuthCache()
    assert.equal((await ses.fetch(`${server.url}/digest`)).status, 401)
  })

  it('aborts before, while waiting for the head, and during the body', async () => {
    const ses = session.fromPartition('fetch-abort')
    const before = AbortSignal.abort(new Error('early'))
    await assert.rejects(ses.fetch(`${server.url}/echo`, { signal: before }), { message: 'early' })
    const controller = new AbortController()
    const pending = ses.fetch(`${server.url}/never`, { signal: controller.signal })
    setTimeout(() => controller.abort(), 20)
    await assert.rejects(pending, { name: 'AbortError' })
    const c2 = new AbortController()
    const res = await ses.fetch(`${server.url}/slow-body`, { signal: c2.signal })
    const reader = res.body.getReader()
    assert.equal(new TextDecoder().decode((await reader.read()).value), 'first')
    c2.abort()
    await assert.rejects(reader.read(), { name: 'AbortError' })
  })

  it('gives null bodies for HEAD and 204, accepts bypassCustomProtocolHandlers', async () => {
    const ses = session.fromPartition('fetch-null')
    let res = await ses.fetch(`${server.url}/echo`, { method: 'HEAD' })
    assert.equal(res.body, null)
    res = await ses.fetch(`${server.url}/no-content`, { bypassCustomProtocolHandlers: true })
    assert.equal(res.status, 204)
    assert.equal(res.body, null)
  })

  it('cancels a request whose body was dropped unread once it is collected', async () => {
    const v8 = require('node:v8')
    const vm = require('node:vm')
    v8.setFlagsFromString('--expose-gc')
    const gc = vm.runInNewContext('gc')
    let closed
    const socketClosed = new Promise((resolve) => { closed = resolve })
    const endless = await httpServer((req, res) => {
      req.socket.on('close', closed)
      res.writeHead(200)
      const timer = setInterval(() => res.write('x'.repeat(1024)), 5)
      res.on('close', () => clearInterval(timer))
    })
    await (async () => {
      const res = await session.fromPartition('fetch-dropped').fetch(`${endless.url}/`)
      assert.equal(res.status, 200)
    })()
    let done = false
    socketClosed.then(() => { done = true })
    for (let i = 0; i < 50 && !done; i++) {
      gc()
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    assert.equal(done, true)
    await endless.close()
  })

  it('net.fetch uses the default session', async () => {
    await session.defaultSession.cookies.set({ url: server.url, name: 'def', value: '1' })
    const echo = await (await net.fetch(`${server.url}/echo`)).json()
    assert.equal(echo.headers.cookie, 'def=1')
    await session.defaultSession.cookies.remove(server.url, 'def')
  })
})
