'use strict'
// net.request and net.fetch where Electron's own spec/api-net-spec.ts pins the behaviour:
// credentials 'omit', Sec-Fetch-Site, abort() in a 'redirect' listener, upload progress and
// the priority header. Each test names the Electron test it follows.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { session, net } = require('..')
const { httpServer, httpsServer, http2Server, collect, useTestHostRules } = require('./fixtures/servers')
const { makeCA } = require('./fixtures/certs')

function response (req) {
  return new Promise((resolve, reject) => {
    req.on('response', (res) => collect(res).then((text) => resolve({ res, text }), reject))
    req.on('error', reject)
  })
}

let server
const seen = []
before(async () => {
  server = await httpServer((req, res) => {
    seen.push({ url: req.url, headers: req.headers })
    if (req.url === '/redirect') {
      res.writeHead(302, { Location: '/200' })
      return res.end()
    }
    if (req.url.startsWith('/auth')) {
      if (!req.headers.authorization) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="Foo"' })
        return res.end('unauthenticated')
      }
      return res.end(`ok ${Buffer.from(req.headers.authorization.slice(6), 'base64')}`)
    }
    res.end(req.url)
  })
})
after(() => server.close())

describe("credentials: 'omit' (Electron: api-net-spec 'authentication when {\"credentials\":\"omit\"}')", () => {
  it('should not emit the login event when 401: the 401 arrives with its WWW-Authenticate', async () => {
    const req = net.request({ method: 'GET', url: `${server.url}/auth/omit`, credentials: 'omit' })
    req.on('login', () => assert.fail('unexpected login event'))
    req.end()
    const { res, text } = await response(req)
    assert.equal(res.statusCode, 401)
    assert.equal(res.headers['www-authenticate'], 'Basic realm="Foo"')
    assert.equal(text, 'unauthenticated')
  })

  it('sends neither URL credentials nor ones the session cached', async () => {
    const ses = session.fromPartition('net-omit-cache')
    const url = new URL(`${server.url}/auth/cached`)
    // The session learns credentials for the realm (the auth cache, pre-emptive below /auth/).
    const learn = net.request({ url: url.href, session: ses })
    learn.on('login', (info, callback) => callback('user', 'pass'))
    learn.end()
    assert.equal((await response(learn)).text, 'ok user:pass')
    url.username = 'u'
    url.password = 'p'
    const omitted = net.request({ url: url.href, session: ses, credentials: 'omit' })
    omitted.end()
    assert.equal((await response(omitted)).res.statusCode, 401)
    const fetched = await ses.fetch(`${server.url}/auth/cached`, { credentials: 'omit' })
    assert.equal(fetched.status, 401)
    assert.equal(fetched.headers.get('www-authenticate'), 'Basic realm="Foo"')
    // Without 'omit' the cache answers again.
    assert.equal(await (await ses.fetch(`${server.url}/auth/cached`, { credentials: 'include' })).text(), 'ok user:pass')
  })
})

describe('Sec-Fetch-Site (Electron: api-net-spec "should set sec-fetch-site ...")', () => {
  const siteOf = async (options, setup) => {
    seen.length = 0
    const req = net.request(options)
    if (setup) setup(req)
    req.end()
    await response(req)
    return seen.map((s) => s.headers['sec-fetch-site'])
  }

  it('should set sec-fetch-site to same-origin for request from same origin', async () => {
    assert.deepEqual(await siteOf({ url: `${server.url}/a`, origin: server.url }), ['same-origin'])
  })

  it('should set sec-fetch-site to same-origin for request with the same origin header', async () => {
    assert.deepEqual(await siteOf({ url: `${server.url}/a` }, (req) => req.setHeader('Origin', server.url)), ['same-origin'])
  })

  it('should set sec-fetch-site to cross-site for request from other origin', async () => {
    assert.deepEqual(await siteOf({ url: `${server.url}/a`, origin: 'https://not-exists.com' }), ['cross-site'])
  })

  it('none without an origin; same-site for another port of the same host (Chromium: SchemefulSite)', async () => {
    assert.deepEqual(await siteOf({ url: `${server.url}/a` }), ['none'])
    assert.deepEqual(await siteOf({ url: `${server.url}/a`, origin: 'http://127.0.0.1:1' }), ['same-site'])
  })

  it('fetch with an Origin header relates it too', async () => {
    seen.length = 0
    await (await net.fetch(`${server.url}/f`, { headers: { Origin: 'https://elsewhere.test' } })).text()
    await (await net.fetch(`${server.url}/f`, { headers: { Origin: server.url } })).text()
    assert.deepEqual(seen.map((s) => s.headers['sec-fetch-site']), ['cross-site', 'same-origin'])
  })
})

describe('redirect listeners (Electron: api-net-spec "should not follow redirect when request is canceled in redirect handler")', () => {
  it('abort() in a redirect listener: abort, no response or error, the next hop never asked', async () => {
    seen.length = 0
    const req = net.request({ url: `${server.url}/redirect` })
    req.end()
    const events = []
    req.on('redirect', (status, method, url) => {
      events.push(`redirect ${status} ${method} ${new URL(url).pathname}`)
      req.abort()
    })
    req.on('error', (e) => events.push(`error ${e.message}`))
    req.on('response', () => events.push('response'))
    req.on('abort', () => events.push('abort'))
    // ClientRequest is a Writable with autoDestroy, as Electron's: 'close' may come as soon
    // as the (empty) body is out, so its place is not asserted.
    let closed = false
    req.on('close', () => { closed = true })
    await new Promise((resolve) => req.on('abort', resolve))
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.deepEqual(events, ['redirect 302 GET /200', 'abort'])
    assert.equal(closed, true)
    assert.deepEqual(seen.map((s) => s.url), ['/redirect'])
  })

  it('follows after the listener returns, and reports the hop once', async () => {
    seen.length = 0
    const req = net.request({ url: `${server.url}/redirect` })
    const redirects = []
    req.on('redirect', (status, method, url, headers) => redirects.push([status, url, headers.location]))
    req.end()
    const { res, text } = await response(req)
    assert.equal(res.statusCode, 200)
    assert.equal(text, '/200')
    assert.deepEqual(redirects, [[302, `${server.url}/200`, ['/200']]])
    assert.deepEqual(seen.map((s) => s.url), ['/redirect', '/200'])
  })
})

describe('upload progress (Electron: api-net-spec "should report upload progress")', () => {
  it('should report upload progress: getUploadProgress() is the last report', async () => {
    const req = net.request({ url: `${server.url}/upload`, method: 'POST' })
    assert.deepEqual(req.getUploadProgress(), { active: false, started: false, current: 0, total: 0 })
    req.end(Buffer.from('hello'))
    const [position, total] = await new Promise((resolve) => req.once('upload-progress', (...args) => resolve(args)))
    assert.deepEqual([position, total], [5, 5])
    assert.deepEqual(req.getUploadProgress(), { active: true, started: true, current: position, total })
    await response(req)
  })

  it('reports a large body piece by piece as it goes out (64 KiB at most between reports)', async () => {
    const req = net.request({ url: `${server.url}/upload`, method: 'POST' })
    const reports = []
    req.on('upload-progress', (position, total) => reports.push([position, total]))
    req.end(Buffer.alloc(200 * 1024, 1))
    await response(req)
    const total = 200 * 1024
    assert.deepEqual(reports, [[65536, total], [131072, total], [196608, total], [total, total]])
  })
})

describe('priority (Electron: api-net-spec "should set priority to <name>/<incremental> if requested")', () => {
  let h2
  let h1
  const trusting = () => {
    const ses = session.fromPartition(`net-priority-${Math.random()}`)
    ses.setCertificateVerifyProc((request, callback) => callback(0))
    return ses
  }
  before(async () => {
    useTestHostRules()
    const ca = makeCA()
    const echo = (req, res) => res.end(JSON.stringify({ version: req.httpVersion, priority: req.headers.priority }))
    h2 = await http2Server(echo, ca.issue(['example.test']))
    h1 = await httpsServer(echo, ca.issue(['example.test']))
  })
  after(async () => Promise.all([h2.close(), h1.close()]))

  const urgencies = { throttled: 'u=5', idle: 'u=4', lowest: '', low: 'u=2', medium: 'u=1', highest: 'u=0' }
  for (const [priorityName, urgency] of Object.entries(urgencies)) {
    for (const priorityIncremental of [true, false]) {
      it(`should set priority to ${priorityName}/${priorityIncremental} if requested`, async () => {
        const req = net.request({ url: `https://example.test:${h2.port}/get`, session: trusting(), priority: priorityName, priorityIncremental })
        req.end()
        const data = JSON.parse((await response(req)).text)
        let expected = urgency
        if (priorityIncremental) expected = expected ? expected + ', i' : 'i'
        assert.equal(data.version, '2.0')
        assert.equal(data.priority, expected === '' ? undefined : expected)
      })
    }
  }

  it('sends IDLE (u=4) by default over HTTP/2, none to an origin that answered over HTTP/1.1', async () => {
    const ses = trusting()
    const get = async (server) => {
      const req = net.request({ url: `https://example.test:${server.port}/`, session: ses })
      req.end()
      return JSON.parse((await response(req)).text)
    }
    assert.deepEqual(await get(h2), { version: '2.0', priority: 'u=4' })
    await get(h1)
    assert.deepEqual(await get(h1), { version: '1.1' })
  })

  it('refuses a priority that is not one of Electron\'s names, and a non-boolean priorityIncremental', () => {
    assert.throws(() => net.request({ url: server.url, priority: 'urgent' }), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: 'priority must be one of throttled, idle, lowest, low, medium or highest'
    })
    assert.throws(() => net.request({ url: server.url, priorityIncremental: 'yes' }), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'priorityIncremental must be a boolean'
    })
  })
})

describe("cookie prefixes over https (Chromium's IsCookiePrefixValid for a Set-Cookie line)", () => {
  let tlsServer
  before(async () => {
    useTestHostRules()
    const ca = makeCA()
    tlsServer = await httpsServer((req, res) => {
      res.setHeader('Set-Cookie', ['__Host-nopath=1; Secure', '__Host-deep=1; Secure; Path=/x', '__Host-root=1; Secure; Path=/', '__Secure-s=1; Secure'])
      res.end('ok')
    }, ca.issue(['example.test']))
  })
  after(() => tlsServer.close())

  it('a __Host- cookie without Path=/ is refused over https too', async () => {
    const ses = session.fromPartition('cookie-host-prefix')
    ses.setCertificateVerifyProc((request, callback) => callback(0))
    await (await ses.fetch(`https://example.test:${tlsServer.port}/`, { credentials: 'include' })).text()
    const names = (await ses.cookies.get({})).map((c) => c.name).sort()
    assert.deepEqual(names, ['__Host-root', '__Secure-s'])
  })
})
