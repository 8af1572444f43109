'use strict'
// The session's network settings: user agent, host resolution and its cache, the
// connection pool, command-line host rules and net's online state.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { session, app, net } = require('..')
const { httpServer, useTestHostRules, TEST_HOST_RULES } = require('./fixtures/servers')

let server
before(async () => {
  useTestHostRules()
  server = await httpServer((req, res) => {
    res.setHeader('x-remote-port', String(req.socket.remotePort))
    res.end(JSON.stringify(req.headers))
  })
})
after(() => server.close())

describe('ses.setUserAgent', () => {
  it('applies the user agent and Accept-Language to every request', async () => {
    const ses = session.fromPartition('net-ua')
    assert.match(ses.getUserAgent(), /^Mozilla\/5\.0 .* headless-session\/\d+\.\d+\.\d+ Safari\/537\.36$/)
    ses.setUserAgent('MyAgent/1.0', 'en-US,fr,de')
    assert.equal(ses.getUserAgent(), 'MyAgent/1.0')
    const headers = await (await ses.fetch(`${server.url}/`)).json()
    assert.equal(headers['user-agent'], 'MyAgent/1.0')
    assert.equal(headers['accept-language'], 'en-US,fr;q=0.9,de;q=0.8')
    // A request's own User-Agent wins.
    const own = await (await ses.fetch(`${server.url}/`, { headers: { 'User-Agent': 'Mine' } })).json()
    assert.equal(own['user-agent'], 'Mine')
    // Other sessions keep theirs.
    const other = await (await session.fromPartition('net-ua-other').fetch(`${server.url}/`)).json()
    assert.notEqual(other['user-agent'], 'MyAgent/1.0')
    assert.throws(() => ses.setUserAgent(5), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 5' })
  })
})

describe('host resolution', () => {
  it('resolveHost answers with endpoints, after the host resolver rules', async () => {
    const ses = session.fromPartition('net-dns')
    const local = await ses.resolveHost('localhost')
    assert.ok(local.endpoints.some((e) => e.address === '127.0.0.1' && e.family === 'ipv4'))
    const v4 = await ses.resolveHost('localhost', { queryType: 'A' })
    assert.ok(v4.endpoints.every((e) => e.family === 'ipv4'))
    assert.deepEqual(await ses.resolveHost('api.example.test'), { endpoints: [{ address: '127.0.0.1', family: 'ipv4' }] })
    assert.deepEqual(await net.resolveHost('www.other.test'), { endpoints: [{ address: '127.0.0.1', family: 'ipv4' }] })
    await assert.rejects(ses.resolveHost('missing.test'), { message: 'net::ERR_NAME_NOT_RESOLVED', code: 'ERR_NAME_NOT_RESOLVED' })
    assert.throws(() => ses.resolveHost(1), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 1' })
  })

  it('clearHostResolverCache resolves, also in callback style', async () => {
    const ses = session.fromPartition('net-dns-clear')
    assert.equal(await ses.clearHostResolverCache(), undefined)
    await new Promise((resolve) => ses.clearHostResolverCache(resolve))
  })

  it('app.commandLine keeps switches', () => {
    assert.equal(app.commandLine.hasSwitch('host-resolver-rules'), true)
    assert.equal(app.commandLine.getSwitchValue('host-resolver-rules'), TEST_HOST_RULES)
    app.commandLine.appendSwitch('some-flag')
    assert.equal(app.commandLine.getSwitchValue('some-flag'), '')
    app.commandLine.removeSwitch('some-flag')
    assert.equal(app.commandLine.hasSwitch('some-flag'), false)
  })
})

describe('connections', () => {
  it('reuses a keep-alive connection, and closeAllConnections drops it', async () => {
    const ses = session.fromPartition('net-pool')
    const before = server.connections
    const a = await ses.fetch(`${server.url}/`)
    await a.text()
    const b = await ses.fetch(`${server.url}/`)
    await b.text()
    assert.equal(a.headers.get('x-remote-port'), b.headers.get('x-remote-port'))
    assert.equal(server.connections - before, 1)
    await ses.closeAllConnections()
    const c = await ses.fetch(`${server.url}/`)
    await c.text()
    assert.notEqual(c.headers.get('x-remote-port'), a.headers.get('x-remote-port'))
    assert.equal(server.connections - before, 2)
  })

  it('closeAllConnections fails the requests in flight with net::ERR_ABORTED', async () => {
    const ses = session.fromPartition('net-close-inflight')
    const stalled = await httpServer((req, res) => {
      if (req.url === '/partial') {
        res.writeHead(200)
        res.write('some')
      }
    })
    const waiting = ses.fetch(`${stalled.url}/never`)
    // Handled at once: under load the rejection can arrive before the assertion below.
    waiting.catch(() => {})
    const streaming = await ses.fetch(`${stalled.url}/partial`)
    const reader = streaming.body.getReader()
    assert.equal(new TextDecoder().decode((await reader.read()).value), 'some')
    const pendingRead = reader.read()
    pendingRead.catch(() => {})
    await ses.closeAllConnections()
    await assert.rejects(waiting, { message: 'net::ERR_ABORTED', code: 'ERR_ABORTED' })
    await assert.rejects(pendingRead, { message: 'net::ERR_ABORTED' })
    // Other sessions are untouched, and this one works again.
    assert.equal((await ses.fetch(`${server.url}/`)).status, 200)
    await stalled.close()
  })

  it('sessions do not share connections', async () => {
    const one = await session.fromPartition('net-pool-1').fetch(`${server.url}/`)
    await one.text()
    const two = await session.fromPartition('net-pool-2').fetch(`${server.url}/`)
    await two.text()
    assert.notEqual(one.headers.get('x-remote-port'), two.headers.get('x-remote-port'))
  })

  it('keeps Node alive for a request in flight, and lets it exit afterwards', async () => {
    const { execFile } = require('node:child_process')
    const path = require('node:path')
    const slow = await httpServer((req, res) => setTimeout(() => res.end('late'), 300))
    const started = Date.now()
    const out = await new Promise((resolve, reject) => {
      execFile(process.execPath, [path.join(__dirname, 'fixtures', 'fetch-once.js'), `${slow.url}/`], { timeout: 5000 },
        (error, stdout) => (error ? reject(error) : resolve(stdout)))
    })
    await slow.close()
    assert.deepEqual(JSON.parse(out), { status: 200, body: 'late' })
    // It exited by itself well before the 5 s kill timeout (a kept connection would hold it).
    assert.ok(Date.now() - started < 4000)
  })

  it('net.isOnline() and net.online agree', () => {
    assert.equal(typeof net.isOnline(), 'boolean')
    assert.equal(net.online, net.isOnline())
  })
})
