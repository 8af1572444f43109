'use strict'
// ses.protocol: handle with Request/Response, the legacy register*/intercept* family, the
// built-in file: handler with Range, per-session isolation and webRequest on handled schemes.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const crypto = require('node:crypto')
const { Readable } = require('node:stream')
const { pathToFileURL } = require('node:url')
const { session, protocol, net } = require('..')
const { httpServer, sendEcho } = require('./fixtures/servers')
const { tempDir } = require('./helpers')

let server
let dir
before(async () => {
  server = await httpServer((req, res) => {
    if (req.url === '/echo') return sendEcho(req, res)
    res.end('from the network')
  })
  dir = tempDir()
  fs.writeFileSync(path.join(dir, 'digits.txt'), '0123456789')
  fs.writeFileSync(path.join(dir, 'page.html'), '<p>hi</p>')
})
after(() => server.close())

describe('protocol.handle', () => {
  it('serves a custom scheme with Request in and Response out', async () => {
    const ses = session.fromPartition('proto-handle')
    const seen = []
    ses.protocol.handle('app', async (req) => {
      seen.push({ url: req.url, method: req.method, body: req.body ? await req.text() : null, custom: req.headers.get('x-custom') })
      return new Response('served', { status: 201, statusText: 'Made', headers: { 'X-App': 'yes', 'Content-Type': 'text/x-app' } })
    })
    const res = await ses.fetch('app://bundle/index.html?q=1', { method: 'POST', body: 'upload', headers: { 'X-Custom': 'c' } })
    assert.equal(res.status, 201)
    assert.equal(res.statusText, 'Made')
    assert.equal(res.headers.get('x-app'), 'yes')
    assert.equal(res.headers.get('content-type'), 'text/x-app')
    assert.equal(await res.text(), 'served')
    assert.deepEqual(seen, [{ url: 'app://bundle/index.html?q=1', method: 'POST', body: 'upload', custom: 'c' }])
    assert.equal(ses.protocol.isProtocolHandled('app'), true)
    assert.equal(ses.protocol.isProtocolRegistered('app'), true)
    ses.protocol.unhandle('app')
    assert.equal(ses.protocol.isProtocolHandled('app'), false)
    await assert.rejects(ses.fetch('app://bundle/'), { message: 'net::ERR_UNKNOWN_URL_SCHEME', code: 'ERR_UNKNOWN_URL_SCHEME' })
  })

  it('maps bad answers to Electron\'s errors and refuses double registration', async () => {
    const ses = session.fromPartition('proto-errors')
    ses.protocol.handle('err', () => Response.error())
    ses.protocol.handle('bad', () => 'not a response')
    ses.protocol.handle('throws', () => { throw new Error('boom') })
    await assert.rejects(ses.fetch('err://x/'), { message: 'net::ERR_FAILED' })
    await assert.rejects(ses.fetch('bad://x/'), { message: 'net::ERR_UNEXPECTED' })
    const originalError = console.error
    console.error = () => {}
    try {
      await assert.rejects(ses.fetch('throws://x/'), { message: 'net::ERR_UNEXPECTED' })
    } finally {
      console.error = originalError
    }
    assert.throws(() => ses.protocol.handle('err', () => {}), { message: 'Failed to register protocol: err' })
    assert.throws(() => ses.protocol.unhandle('never'), { message: 'Failed to unhandle protocol: never' })
    assert.throws(() => ses.protocol.handle(5, () => {}), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 5' })
  })

  it('intercepts http, and bypassCustomProtocolHandlers reaches the network', async () => {
    const ses = session.fromPartition('proto-intercept')
    ses.protocol.handle('http', (req) => new Response(`intercepted ${new URL(req.url).pathname}`))
    assert.equal(await (await ses.fetch(`${server.url}/x`)).text(), 'intercepted /x')
    assert.equal(await (await ses.fetch(`${server.url}/x`, { bypassCustomProtocolHandlers: true })).text(), 'from the network')
    assert.equal(ses.protocol.isProtocolIntercepted('http'), true)
    // Another session is untouched.
    assert.equal(await (await session.fromPartition('proto-intercept-other').fetch(`${server.url}/x`)).text(), 'from the network')
    ses.protocol.unhandle('http')
    assert.equal(await (await ses.fetch(`${server.url}/x`)).text(), 'from the network')
  })

  it('streams a large handler body intact, and follows a handler redirect', async () => {
    const ses = session.fromPartition('proto-stream')
    const chunk = crypto.randomBytes(256 * 1024)
    const count = 32
    ses.protocol.handle('blob', () => new Response(new ReadableStream({
      start (c) { this.n = 0 },
      pull (c) {
        if (this.n++ < count) c.enqueue(new Uint8Array(chunk))
        else c.close()
      }
    })))
    const body = Buffer.from(await (await ses.fetch('blob://x/')).arrayBuffer())
    assert.equal(body.length, chunk.length * count)
    assert.ok(body.subarray(chunk.length * 7, chunk.length * 8).equals(chunk))
    ses.protocol.handle('jump', () => new Response(null, { status: 302, headers: { Location: `${server.url}/echo` } }))
    const res = await ses.fetch('jump://x/')
    assert.equal(res.url, `${server.url}/echo`)
    assert.equal((await res.json()).method, 'GET')
  })

  it('fires webRequest events for handled schemes', async () => {
    const ses = session.fromPartition('proto-webrequest')
    const events = []
    ses.protocol.handle('app', () => new Response('ok'))
    ses.webRequest.onBeforeRequest({ urls: ['app:*'] }, (details, callback) => { events.push(['before', details.url]); callback({}) })
    ses.webRequest.onCompleted((details) => events.push(['completed', details.statusCode]))
    await (await ses.fetch('app://x/y')).text()
    await new Promise((resolve) => setTimeout(resolve, 10))
    assert.deepEqual(events, [['before', 'app://x/y'], ['completed', 200]])
  })

  it('the protocol module acts on the default session', async () => {
    protocol.handle('defaultapp', () => new Response('default'))
    assert.equal(await (await net.fetch('defaultapp://x')).text(), 'default')
    assert.equal(session.defaultSession.protocol.isProtocolHandled('defaultapp'), true)
    protocol.unhandle('defaultapp')
    assert.throws(() => session.defaultSession.webRequest.onBeforeRequest({ urls: ['std://host/*'] }, () => {}), { message: 'Invalid url pattern std://host/*: Wrong scheme type.' })
    protocol.registerSchemesAsPrivileged([{ scheme: 'std', privileges: { standard: true } }])
    assert.deepEqual(protocol.getStandardSchemes(), ['std'])
    // A standard scheme takes `scheme://host/path` patterns.
    session.defaultSession.webRequest.onBeforeRequest({ urls: ['std://host/*'] }, (details, callback) => callback({}))
    session.defaultSession.webRequest.onBeforeRequest(null)
  })
})

describe('legacy protocol family', () => {
  it('registerStringProtocol / Buffer: return values, completion callback and shapes', async () => {
    const ses = session.fromPartition('proto-legacy')
    assert.equal(ses.protocol.registerStringProtocol('str', (request, callback) => callback({ data: `s ${request.method} ${request.url}`, mimeType: 'text/html', charset: 'utf-8' })), true)
    const completion = await new Promise((resolve) => ses.protocol.registerStringProtocol('str', () => {}, resolve))
    assert.equal(completion.message, 'The scheme has been registered')
    assert.equal(ses.protocol.registerBufferProtocol('buf', (request, callback) => callback(Buffer.from('raw bytes'))), true)
    let res = await ses.fetch('str://a/b')
    // Electron's ToResponseHead adds Content-Type from mimeType alone (the charset stays in
    // the loader's head, which net.fetch does not show).
    assert.equal(res.headers.get('content-type'), 'text/html')
    assert.equal(res.headers.get('access-control-allow-origin'), '*')
    assert.equal(await res.text(), 's GET str://a/b')
    res = await ses.fetch('buf://a/')
    assert.equal(await res.text(), 'raw bytes')
    assert.equal(ses.protocol.isProtocolRegistered('buf'), true)
    assert.equal(ses.protocol.unregisterProtocol('buf'), true)
    assert.equal(ses.protocol.unregisterProtocol('buf'), false)
    await assert.rejects(ses.fetch('buf://a/'), { message: 'net::ERR_UNKNOWN_URL_SCHEME' })
  })

  it('registerFileProtocol, registerHttpProtocol, registerStreamProtocol and {error}', async () => {
    const ses = session.fromPartition('proto-legacy-kinds')
    ses.protocol.registerFileProtocol('files', (request, callback) => callback({ path: path.join(dir, new URL(request.url).pathname) }))
    ses.protocol.registerHttpProtocol('proxy', (request, callback) => callback({ url: `${server.url}/echo`, method: 'POST', uploadData: { contentType: 'text/plain', data: 'via http' } }))
    ses.protocol.registerStreamProtocol('stream', (request, callback) => callback({ statusCode: 203, headers: { 'X-S': '1' }, data: Readable.from([Buffer.from('a'), 'skipped: not a Buffer', Buffer.from('bc')]) }))
    ses.protocol.registerBufferProtocol('missing', (request, callback) => callback({ error: -6 }))
    let res = await ses.fetch('files://x/digits.txt', { headers: { Range: 'bytes=3-5' } })
    assert.equal(res.status, 206)
    assert.equal(await res.text(), '345')
    res = await ses.fetch('proxy://x/')
    const echo = await res.json()
    assert.equal(echo.method, 'POST')
    assert.equal(echo.body, 'via http')
    res = await ses.fetch('stream://x/')
    assert.equal(res.status, 203)
    assert.equal(res.headers.get('x-s'), '1')
    assert.equal(await res.text(), 'abc')
    await assert.rejects(ses.fetch('missing://x/'), { message: 'net::ERR_FILE_NOT_FOUND' })
  })

  it('intercept* family with isProtocolIntercepted and uninterceptProtocol', async () => {
    const ses = session.fromPartition('proto-legacy-intercept')
    assert.equal(ses.protocol.interceptStringProtocol('http', (request, callback) => callback('intercepted string')), true)
    assert.equal(ses.protocol.interceptStringProtocol('http', () => {}), false)
    assert.equal(ses.protocol.isProtocolIntercepted('http'), true)
    assert.equal(await (await ses.fetch(`${server.url}/`)).text(), 'intercepted string')
    assert.equal(ses.protocol.uninterceptProtocol('http'), true)
    assert.equal(ses.protocol.uninterceptProtocol('http'), false)
    assert.equal(await (await ses.fetch(`${server.url}/`)).text(), 'from the network')
  })
})

describe('file:', () => {
  it('serves files with a content type and Range support', async () => {
    const ses = session.fromPartition('proto-file')
    const digits = pathToFileURL(path.join(dir, 'digits.txt')).href
    let res = await ses.fetch(digits)
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'text/plain')
    assert.equal(res.headers.get('content-length'), '10')
    assert.equal(res.headers.get('accept-ranges'), 'bytes')
    assert.equal(await res.text(), '0123456789')
    res = await ses.fetch(digits, { headers: { Range: 'bytes=-3' } })
    assert.equal(res.status, 206)
    assert.equal(res.headers.get('content-range'), 'bytes 7-9/10')
    assert.equal(await res.text(), '789')
    res = await ses.fetch(digits, { headers: { Range: 'bytes=20-' } })
    assert.equal(res.status, 416)
    assert.equal(res.headers.get('content-range'), 'bytes */10')
    res = await ses.fetch(pathToFileURL(path.join(dir, 'page.html')).href)
    assert.equal(res.headers.get('content-type'), 'text/html')
    await assert.rejects(ses.fetch(pathToFileURL(path.join(dir, 'nope.txt')).href), { message: 'net::ERR_FILE_NOT_FOUND' })
  })

  it('fires webRequest events for file: too', async () => {
    const ses = session.fromPartition('proto-file-webrequest')
    const events = []
    ses.webRequest.onBeforeRequest({ urls: ['file:///*'] }, (details, callback) => { events.push(['before', details.url]); callback({}) })
    ses.webRequest.onCompleted({ urls: ['file:///*'] }, (details) => events.push(['completed', details.statusCode, details.error]))
    const url = pathToFileURL(path.join(dir, 'digits.txt')).href
    await (await ses.fetch(url)).text()
    await new Promise((resolve) => setTimeout(resolve, 10))
    assert.deepEqual(events, [['before', url], ['completed', 200, 'net::OK']])
  })

  it('serves data: URLs', async () => {
    const ses = session.fromPartition('proto-data')
    let res = await ses.fetch('data:text/html;base64,' + Buffer.from('<b>hi</b>').toString('base64'))
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'text/html')
    assert.equal(await res.text(), '<b>hi</b>')
    res = await ses.fetch('data:,Hello%2C%20World!')
    assert.equal(res.headers.get('content-type'), 'text/plain;charset=US-ASCII')
    assert.equal(await res.text(), 'Hello, World!')
    await assert.rejects(ses.fetch('data:;base64,!!!'), { message: 'net::ERR_INVALID_URL' })
    await assert.rejects(ses.fetch('data:,x', { method: 'POST', body: 'y' }), { message: 'net::ERR_METHOD_NOT_SUPPORTED' })
  })

  it('net.request refuses non-http schemes as Electron does', () => {
    assert.throws(() => net.request('file:///etc/hostname'), { message: 'ClientRequest only supports http: and https: protocols' })
  })
})
