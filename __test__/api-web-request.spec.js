'use strict'
// ses.webRequest against loopback servers: every event and its details, every decision,
// filters, ordering across redirects, both request kinds, listener errors, composition,
// and a 10,000-request stress run with blocking listeners.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { session, net } = require('..')
const native = require('../lib/native')
const { httpServer, collect, useTestHostRules, sendEcho } = require('./fixtures/servers')

let server
before(async () => {
  useTestHostRules()
  server = await httpServer(async (req, res) => {
    const p = new URL(req.url, 'http://x').pathname
    if (p === '/echo') return sendEcho(req, res)
    if (p === '/redirect') {
      res.writeHead(302, { Location: '/echo' })
      return res.end()
    }
    if (p === '/never') return
    res.setHeader('X-Multi', ['a', 'b'])
    res.end('hello ' + p)
  })
})
after(() => server.close())

const nextTurn = () => new Promise((resolve) => setTimeout(resolve, 10))
const allEvents = ['onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders', 'onHeadersReceived',
  'onResponseStarted', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred']

// Records every event of `ses` as [event, details].
function recordAll (ses) {
  const log = []
  for (const event of allEvents) {
    if (['onBeforeRequest', 'onBeforeSendHeaders', 'onHeadersReceived'].includes(event)) {
      ses.webRequest[event]((details, callback) => { log.push([event, details]); callback({}) })
    } else {
      ses.webRequest[event]((details) => log.push([event, details]))
    }
  }
  return log
}

function clearAll (ses) {
  for (const event of allEvents) ses.webRequest[event](null)
}

function netRequest (options, body) {
  return new Promise((resolve, reject) => {
    const req = net.request(options)
    req.on('response', (res) => collect(res).then((text) => resolve({ res, text }), reject))
    req.on('error', reject)
    req.end(body)
  })
}

describe('webRequest events', () => {
  it('fire in order with Electron\'s details', async () => {
    const ses = session.fromPartition('wr-order')
    const log = recordAll(ses)
    const res = await ses.fetch(`${server.url}/plain`, { headers: { Referer: 'http://ref.test/' } })
    assert.equal(await res.text(), 'hello /plain')
    await nextTurn()
    assert.deepEqual(log.map(([e]) => e), ['onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders',
      'onHeadersReceived', 'onResponseStarted', 'onCompleted'])
    const [[, before], [, sendHeaders]] = log
    assert.deepEqual(Object.keys(before).sort(), ['id', 'method', 'referrer', 'resourceType', 'timestamp', 'url'])
    assert.equal(before.url, `${server.url}/plain`)
    assert.equal(before.method, 'GET')
    assert.equal(before.resourceType, 'other')
    assert.equal(before.referrer, 'http://ref.test/')
    assert.equal(typeof before.timestamp, 'number')
    assert.ok(Math.abs(before.timestamp - Date.now()) < 5000)
    assert.equal(sendHeaders.requestHeaders['User-Agent'], ses.getUserAgent())
    assert.equal(sendHeaders.requestHeaders.referer, 'http://ref.test/')
    const completed = log.at(-1)[1]
    assert.equal(completed.statusCode, 200)
    assert.equal(completed.statusLine, 'HTTP/1.1 200 OK')
    assert.deepEqual(completed.responseHeaders['X-Multi'], ['a', 'b'])
    assert.equal(completed.fromCache, false)
    assert.equal(completed.error, 'net::OK')
    assert.ok(log.every(([, d]) => d.id === before.id))
    clearAll(ses)
  })

  it('give each request of a session the next id, and report uploadData', async () => {
    const ses = session.fromPartition('wr-ids')
    const seen = []
    ses.webRequest.onBeforeRequest((details, callback) => { seen.push(details); callback({}) })
    await (await ses.fetch(`${server.url}/a`)).text()
    await (await ses.fetch(`${server.url}/echo`, { method: 'POST', body: 'payload' })).text()
    assert.equal(seen[1].id, seen[0].id + 1)
    assert.equal(seen[1].method, 'POST')
    assert.ok(Buffer.isBuffer(seen[1].uploadData[0].bytes))
    assert.equal(seen[1].uploadData[0].bytes.toString(), 'payload')
    assert.equal(seen[0].uploadData, undefined)
  })

  it('follow a redirect hop by hop with the same id', async () => {
    const ses = session.fromPartition('wr-redirect')
    const log = recordAll(ses)
    await (await ses.fetch(`${server.url}/redirect`)).text()
    await nextTurn()
    assert.deepEqual(log.map(([e, d]) => `${e} ${new URL(d.url).pathname}`), [
      'onBeforeRequest /redirect', 'onBeforeSendHeaders /redirect', 'onSendHeaders /redirect',
      'onHeadersReceived /redirect', 'onBeforeRedirect /redirect',
      'onBeforeRequest /echo', 'onBeforeSendHeaders /echo', 'onSendHeaders /echo',
      'onHeadersReceived /echo', 'onResponseStarted /echo', 'onCompleted /echo'
    ])
    const redirect = log.find(([e]) => e === 'onBeforeRedirect')[1]
    assert.equal(redirect.redirectURL, `${server.url}/echo`)
    assert.equal(redirect.statusCode, 302)
    assert.equal(redirect.statusLine, 'HTTP/1.1 302 Found')
    assert.deepEqual(redirect.responseHeaders.Location, ['/echo'])
    assert.equal(redirect.ip, '127.0.0.1')
    assert.equal(new Set(log.map(([, d]) => d.id)).size, 1)
    clearAll(ses)
  })

  it('fire for net.request too, and onErrorOccurred on failures', async () => {
    const ses = session.fromPartition('wr-net')
    const log = recordAll(ses)
    const { text } = await netRequest({ url: `${server.url}/n`, session: ses })
    assert.equal(text, 'hello /n')
    await assert.rejects(netRequest({ url: 'http://missing.test/', session: ses }), { message: 'net::ERR_NAME_NOT_RESOLVED' })
    await nextTurn()
    assert.deepEqual(log.map(([e]) => e), ['onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders',
      'onHeadersReceived', 'onResponseStarted', 'onCompleted',
      'onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders', 'onErrorOccurred'])
    const failed = log.at(-1)[1]
    assert.equal(failed.error, 'net::ERR_NAME_NOT_RESOLVED')
    assert.equal(failed.fromCache, false)
    clearAll(ses)
  })
})

describe('webRequest decisions', () => {
  it('cancel fails with net::ERR_BLOCKED_BY_CLIENT and reports onErrorOccurred', async () => {
    const ses = session.fromPartition('wr-cancel')
    const errors = []
    ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: true }))
    ses.webRequest.onErrorOccurred((details) => errors.push(details.error))
    await assert.rejects(ses.fetch(`${server.url}/x`), { message: 'net::ERR_BLOCKED_BY_CLIENT', code: 'ERR_BLOCKED_BY_CLIENT' })
    await assert.rejects(netRequest({ url: `${server.url}/x`, session: ses }), { message: 'net::ERR_BLOCKED_BY_CLIENT' })
    ses.webRequest.onBeforeRequest(null)
    ses.webRequest.onBeforeSendHeaders((details, callback) => callback({ cancel: true }))
    await assert.rejects(ses.fetch(`${server.url}/x`), { message: 'net::ERR_BLOCKED_BY_CLIENT' })
    ses.webRequest.onBeforeSendHeaders(null)
    ses.webRequest.onHeadersReceived((details, callback) => callback({ cancel: true }))
    await assert.rejects(ses.fetch(`${server.url}/x`), { message: 'net::ERR_BLOCKED_BY_CLIENT' })
    await nextTurn()
    assert.deepEqual(errors, Array(4).fill('net::ERR_BLOCKED_BY_CLIENT'))
    clearAll(ses)
  })

  it('redirectURL makes an internal 307 seen by onBeforeRedirect', async () => {
    const ses = session.fromPartition('wr-redirect-url')
    const redirects = []
    ses.webRequest.onBeforeRequest({ urls: ['*://*/from'] }, (details, callback) => callback({ redirectURL: `${server.url}/echo` }))
    ses.webRequest.onBeforeRedirect((details) => redirects.push(details))
    const res = await ses.fetch(`${server.url}/from`, { method: 'POST', body: 'kept' })
    const echo = await res.json()
    assert.equal(res.url, `${server.url}/echo`)
    assert.equal(echo.method, 'POST')
    assert.equal(echo.body, 'kept')
    await nextTurn()
    assert.equal(redirects.length, 1)
    assert.equal(redirects[0].statusCode, 307)
    assert.equal(redirects[0].statusLine, 'HTTP/1.1 307 Internal Redirect')
    assert.equal(redirects[0].redirectURL, `${server.url}/echo`)
    clearAll(ses)
  })

  it('requestHeaders replace the whole set; invalid names are dropped', async () => {
    const ses = session.fromPartition('wr-request-headers')
    ses.webRequest.onBeforeSendHeaders((details, callback) => {
      callback({ requestHeaders: { 'X-Only': 'one', 'Bad Name': 'x', 'User-Agent': 'Hooked' } })
    })
    const echo = await (await ses.fetch(`${server.url}/echo`, { headers: { 'X-Gone': 'y' } })).json()
    assert.equal(echo.headers['x-only'], 'one')
    assert.equal(echo.headers['user-agent'], 'Hooked')
    assert.equal(echo.headers['x-gone'], undefined)
    assert.equal(echo.headers['accept-encoding'], undefined)
    clearAll(ses)
  })

  it('responseHeaders and statusLine replace the response head', async () => {
    const ses = session.fromPartition('wr-response-headers')
    ses.webRequest.onHeadersReceived((details, callback) => {
      assert.equal(details.statusLine, 'HTTP/1.1 200 OK')
      callback({ responseHeaders: { ...details.responseHeaders, 'X-Hooked': ['1', '2'] }, statusLine: 'HTTP/1.1 404 Not Found' })
    })
    const res = await ses.fetch(`${server.url}/x`)
    assert.equal(res.status, 404)
    assert.equal(res.statusText, 'Not Found')
    assert.equal(res.headers.get('x-hooked'), '1, 2')
    const { res: message } = await netRequest({ url: `${server.url}/x`, session: ses })
    assert.equal(message.statusCode, 404)
    assert.equal(message.headers['x-hooked'], '1, 2')
    clearAll(ses)
  })

  it('takes async listeners, ignores a second callback, and fails on a throw naming the event', async () => {
    const ses = session.fromPartition('wr-async')
    ses.webRequest.onBeforeRequest(async () => ({ cancel: true }))
    await assert.rejects(ses.fetch(`${server.url}/x`), { message: 'net::ERR_BLOCKED_BY_CLIENT' })
    ses.webRequest.onBeforeRequest((details, callback) => {
      callback({})
      callback({ cancel: true })
    })
    assert.equal((await ses.fetch(`${server.url}/x`)).status, 200)
    ses.webRequest.onBeforeSendHeaders(() => { throw new Error('boom') })
    await assert.rejects(ses.fetch(`${server.url}/x`), { message: 'webRequest.onBeforeSendHeaders listener threw: boom' })
    clearAll(ses)
    assert.equal((await ses.fetch(`${server.url}/x`)).status, 200)
  })

  it('an aborted request makes a late answer a no-op and leaves nothing parked', async () => {
    const ses = session.fromPartition('wr-late')
    let late
    ses.webRequest.onBeforeRequest((details, callback) => { late = callback })
    const controller = new AbortController()
    const pending = ses.fetch(`${server.url}/x`, { signal: controller.signal })
    while (late === undefined) await nextTurn()
    controller.abort()
    await assert.rejects(pending, { name: 'AbortError' })
    late({ cancel: true })
    await nextTurn()
    assert.equal(native.netPendingHooks(), 0)
    clearAll(ses)
  })
})

describe('webRequest filters and registration', () => {
  it('match urls, excludeUrls (which win) and types in Rust', async () => {
    const ses = session.fromPartition('wr-filters')
    const seen = []
    ses.webRequest.onBeforeRequest({ urls: ['*://*.example.test/*'], excludeUrls: ['*://skip.example.test/*'] }, (details, callback) => {
      seen.push(new URL(details.url).hostname)
      callback({})
    })
    for (const host of ['a.example.test', 'skip.example.test', 'other.test']) {
      await (await ses.fetch(`http://${host}:${server.port}/`)).text()
    }
    assert.deepEqual(seen, ['a.example.test'])
    ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'], types: ['image'] }, (details, callback) => {
      seen.push('image')
      callback({})
    })
    await (await ses.fetch(`${server.url}/`)).text()
    assert.deepEqual(seen, ['a.example.test'])
    clearAll(ses)
  })

  it('refuses invalid patterns with Electron\'s message and keeps the old listener', async () => {
    const ses = session.fromPartition('wr-invalid')
    let calls = 0
    ses.webRequest.onBeforeRequest((details, callback) => { calls++; callback({}) })
    assert.throws(() => ses.webRequest.onBeforeRequest({ urls: ['*://*x.com/'] }, () => {}), { name: 'TypeError', message: 'Invalid url pattern *://*x.com/: Invalid host wildcard.' })
    assert.throws(() => ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'], excludeUrls: ['nope'] }, () => {}), { name: 'TypeError', message: 'Invalid url pattern nope: Missing scheme separator.' })
    assert.throws(() => ses.webRequest.onBeforeRequest('x'), { name: 'TypeError', message: 'Must pass null or a Function' })
    // web_request.cc's SetListener: urls required, known types only, a listener or null.
    assert.throws(() => ses.webRequest.onBeforeRequest({ excludeUrls: [] }, () => {}), { name: 'TypeError', message: "Parameter 'filter' must have property 'urls'." })
    assert.throws(() => ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'], types: ['image', 'other'] }, () => {}), { name: 'TypeError', message: 'Invalid type other' })
    assert.throws(() => ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }), { name: 'TypeError', message: 'Must pass null or a Function' })
    assert.throws(() => ses.webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, 'not a function'), { name: 'TypeError', message: 'Must pass null or a Function' })
    assert.throws(() => ses.webRequest.onBeforeRequest(), { name: 'TypeError', message: 'Must pass null or a Function' })
    await (await ses.fetch(`${server.url}/`)).text()
    assert.equal(calls, 1)
    clearAll(ses)
  })

  it("a pattern ending in /* also matches the path without it (Chromium's URLPattern::MatchesPath)", async () => {
    const ses = session.fromPartition('wr-path-rule')
    const seen = []
    ses.webRequest.onBeforeRequest({ urls: [`${server.url}/example/*`] }, (details, callback) => {
      seen.push(new URL(details.url).pathname)
      callback({})
    })
    for (const p of ['/example', '/example/x', '/exampl', '/examples']) await (await ses.fetch(server.url + p)).text()
    assert.deepEqual(seen, ['/example', '/example/x'])
    clearAll(ses)
  })

  it('an empty urls list matches every URL, with Electron\'s deprecation warning', async () => {
    const ses = session.fromPartition('wr-empty-urls')
    const warnings = []
    const onWarning = (w) => warnings.push(`${w.name}: ${w.message}`)
    process.on('warning', onWarning)
    let calls = 0
    ses.webRequest.onBeforeRequest({ urls: [] }, (details, callback) => { calls++; callback({}) })
    await (await ses.fetch(`${server.url}/`)).text()
    await new Promise((resolve) => setImmediate(resolve))
    process.off('warning', onWarning)
    assert.equal(calls, 1)
    assert.deepEqual(warnings, ["DeprecationWarning: The urls array in WebRequestFilter is empty, which is deprecated. Please use '<all_urls>' to match all URLs."])
    clearAll(ses)
  })

  it('replaces the on* listener, removes it with null, and keeps sessions apart', async () => {
    const ses = session.fromPartition('wr-replace')
    const other = session.fromPartition('wr-replace-other')
    const calls = []
    ses.webRequest.onBeforeRequest((d, cb) => { calls.push('first'); cb({}) })
    ses.webRequest.onBeforeRequest((d, cb) => { calls.push('second'); cb({}) })
    await (await ses.fetch(`${server.url}/`)).text()
    await (await other.fetch(`${server.url}/`)).text()
    ses.webRequest.onBeforeRequest(null)
    await (await ses.fetch(`${server.url}/`)).text()
    assert.deepEqual(calls, ['second'])
  })

  it('composes added listeners after the on* listener; cancel ends the chain', async () => {
    const ses = session.fromPartition('wr-compose')
    const order = []
    ses.webRequest.onBeforeSendHeaders((details, callback) => {
      order.push('on')
      callback({ requestHeaders: { ...details.requestHeaders, 'X-One': '1' } })
    })
    const removeA = ses.webRequest.addListener('onBeforeSendHeaders', { urls: ['<all_urls>'] }, (details, callback) => {
      order.push(`a saw ${details.requestHeaders['X-One']}`)
      callback({ requestHeaders: { ...details.requestHeaders, 'X-Two': '2' } })
    })
    const removeB = ses.webRequest.addListener('onBeforeSendHeaders', { urls: ['*://*/blocked'] }, (details, callback) => {
      order.push('b')
      callback({ cancel: true })
    })
    ses.webRequest.addListener('onBeforeSendHeaders', (details, callback) => { order.push('c'); callback({}) })
    const echo = await (await ses.fetch(`${server.url}/echo`)).json()
    assert.equal(echo.headers['x-one'], '1')
    assert.equal(echo.headers['x-two'], '2')
    assert.deepEqual(order, ['on', 'a saw 1', 'c'])
    order.length = 0
    await assert.rejects(ses.fetch(`${server.url}/blocked`), { message: 'net::ERR_BLOCKED_BY_CLIENT' })
    assert.deepEqual(order, ['on', 'a saw 1', 'b'])
    removeA()
    removeB()
    removeA()
    order.length = 0
    await (await ses.fetch(`${server.url}/blocked`)).text()
    assert.deepEqual(order, ['on', 'c'])
    assert.throws(() => ses.webRequest.addListener('onNothing', () => {}), { name: 'TypeError', message: "Unknown webRequest event 'onNothing'" })
    clearAll(ses)
  })
})

describe('webRequest under load', () => {
  it('10,000 requests through blocking listeners finish with nothing parked', async () => {
    const ses = session.fromPartition('wr-stress')
    let seen = 0
    ses.webRequest.onBeforeRequest((details, callback) => { seen++; callback({}) })
    ses.webRequest.onBeforeSendHeaders(async (details) => ({ requestHeaders: { ...details.requestHeaders, 'X-N': '1' } }))
    const total = 10000
    let next = 0
    let ok = 0
    await Promise.all(Array.from({ length: 64 }, async () => {
      while (next < total) {
        next++
        const res = await ses.fetch(`${server.url}/s`)
        if ((await res.text()) === 'hello /s') ok++
      }
    }))
    assert.equal(ok, total)
    assert.equal(seen, total)
    assert.equal(native.netPendingHooks(), 0)
    clearAll(ses)
  })
})
