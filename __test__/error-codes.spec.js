'use strict'
// Every error of every API has a stable `code`: Chromium's `ERR_…` name for network
// failures (message `net::ERR_…`, as Electron rejects), the core's own codes for cookies,
// storage and rules (set natively), Node's codes for argument and state errors of the JS
// face. Messages stay Electron's.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { app, session, net, Session } = require('..')
const { httpServer, useTestHostRules } = require('./fixtures/servers')
const { deadPort } = require('./fixtures/proxies')

let server
let dead
before(async () => {
  useTestHostRules()
  server = await httpServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/' })
      return res.end()
    }
    res.end('ok')
  })
  dead = await deadPort()
})
after(() => server.close())

function requestError (options) {
  return new Promise((resolve) => {
    const req = net.request(options)
    req.on('response', () => resolve(null))
    req.on('error', resolve)
    req.end()
  })
}

describe('network failures carry Chromium\'s name as code (Electron: net::ERR_* rejections)', () => {
  it('ses.fetch and net.fetch reject with message net::ERR_… and code ERR_…', async () => {
    const ses = session.fromPartition('codes-fetch')
    await assert.rejects(ses.fetch(`http://127.0.0.1:${dead}/`), {
      name: 'Error', message: 'net::ERR_CONNECTION_REFUSED', code: 'ERR_CONNECTION_REFUSED'
    })
    await assert.rejects(net.fetch('http://missing.test/'), {
      message: 'net::ERR_NAME_NOT_RESOLVED', code: 'ERR_NAME_NOT_RESOLVED'
    })
    await assert.rejects(ses.fetch('ftp://127.0.0.1/'), {
      message: 'net::ERR_UNKNOWN_URL_SCHEME', code: 'ERR_UNKNOWN_URL_SCHEME'
    })
  })

  it('net.request emits error with the code; an aborted fetch stays an AbortError', async () => {
    const error = await requestError(`http://127.0.0.1:${dead}/`)
    assert.equal(error.message, 'net::ERR_CONNECTION_REFUSED')
    assert.equal(error.code, 'ERR_CONNECTION_REFUSED')
    const controller = new AbortController()
    const pending = net.fetch(`${server.url}/`, { signal: controller.signal })
    controller.abort()
    await assert.rejects(pending, { name: 'AbortError' })
  })

  it('a webRequest cancel and a listener that throws keep their messages, with codes', async () => {
    const ses = session.fromPartition('codes-web-request')
    ses.webRequest.onBeforeRequest((details, callback) => callback({ cancel: true }))
    await assert.rejects(ses.fetch(`${server.url}/`), {
      message: 'net::ERR_BLOCKED_BY_CLIENT', code: 'ERR_BLOCKED_BY_CLIENT'
    })
    ses.webRequest.onBeforeRequest(() => { throw new Error('boom') })
    await assert.rejects(ses.fetch(`${server.url}/`), {
      message: 'webRequest.onBeforeRequest listener threw: boom', code: 'ERR_FAILED'
    })
    ses.webRequest.onBeforeRequest(null)
  })

  it('resolveHost rejects with the code', async () => {
    await assert.rejects(session.fromPartition('codes-dns').resolveHost('missing.test'), {
      message: 'net::ERR_NAME_NOT_RESOLVED', code: 'ERR_NAME_NOT_RESOLVED'
    })
  })

  it('redirect policies: error is ERR_FAILED (Chromium fails the load), a cancelled redirect ERR_ABORTED', async () => {
    await assert.rejects(net.fetch(`${server.url}/redirect`, { redirect: 'error' }), {
      message: 'Attempted to redirect, but redirect policy was \'error\'', code: 'ERR_FAILED'
    })
    const refused = await requestError({ url: `${server.url}/redirect`, redirect: 'error' })
    assert.equal(refused.code, 'ERR_FAILED')
    const cancelled = await new Promise((resolve) => {
      const req = net.request({ url: `${server.url}/redirect`, redirect: 'manual' })
      req.on('redirect', () => {})
      req.on('error', resolve)
      req.end()
    })
    assert.deepEqual([cancelled.message, cancelled.code], ['Redirect was cancelled', 'ERR_ABORTED'])
  })
})

describe('errors of the core\'s own carry its codes, set natively', () => {
  it('cookies.set rejects a refused cookie with Electron\'s message and ERR_COOKIE_REJECTED', async () => {
    const ses = session.fromPartition('codes-cookies')
    await assert.rejects(ses.cookies.set({ url: 'https://a.test', name: 'x', value: '1', domain: 'b.test' }), {
      name: 'Error', code: 'ERR_COOKIE_REJECTED', message: /^Failed to set cookie - /
    })
  })

  it('rules that do not parse throw ERR_INVALID_ARGUMENT and change nothing', async () => {
    const ses = session.fromPartition('codes-rules')
    await assert.rejects(ses.setProxy({ proxyRules: 'http://127.0.0.1:notaport' }), {
      code: 'ERR_INVALID_ARGUMENT', message: "Invalid proxy server 'http://127.0.0.1:notaport'"
    })
    assert.throws(() => ses.allowNTLMCredentialsForDomains('a.test, [bad'), { name: 'Error', code: 'ERR_INVALID_ARGUMENT' })
    assert.throws(() => ses.webRequest.onBeforeRequest({ urls: ['no-scheme'] }, () => {}), {
      name: 'TypeError', code: 'ERR_INVALID_ARGUMENT'
    })
  })

  it('protocol handlers that fail report a code', async () => {
    const ses = session.fromPartition('codes-protocol')
    ses.protocol.handle('bad', () => 'not a response')
    ses.protocol.handle('err', () => Response.error())
    await assert.rejects(ses.fetch('bad://x/'), { code: 'ERR_UNEXPECTED', message: 'net::ERR_UNEXPECTED' })
    await assert.rejects(ses.fetch('err://x/'), { code: 'ERR_FAILED', message: 'net::ERR_FAILED' })
  })
})

describe('argument and state errors of the JS face carry Node\'s codes', () => {
  it('wrong types are TypeErrors with ERR_INVALID_ARG_TYPE, Electron\'s messages kept', () => {
    const ses = session.fromPartition('codes-args')
    assert.throws(() => ses.setUserAgent(1), {
      name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'Error processing argument at index 0, conversion failure from 1'
    })
    assert.throws(() => ses.webRequest.onBeforeRequest(1), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => ses.setSSLConfig({ disabledCipherSuites: 'x' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => session.fromPath('relative'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' })
    assert.throws(() => app.setPath('userData', 'relative'), { message: 'Path must be absolute', code: 'ERR_INVALID_ARG_VALUE' })
    assert.throws(() => app.getPath('bogus'), { code: 'ERR_INVALID_ARG_VALUE' })
    assert.throws(() => new Session(), { code: 'ERR_ILLEGAL_CONSTRUCTOR' })
  })

  it('setUserAgent refuses a value no request could send, at once, and keeps the old one', async () => {
    const ses = session.fromPartition('codes-user-agent')
    ses.setUserAgent('Good/1.0')
    assert.throws(() => ses.setUserAgent('Bad\r\nX-Injected: 1'), {
      name: 'TypeError', code: 'ERR_INVALID_CHAR', message: 'The user agent contains a CR, LF or NUL character'
    })
    assert.throws(() => ses.setUserAgent('Fine', 'en\n'), { name: 'TypeError', code: 'ERR_INVALID_CHAR' })
    assert.equal(ses.getUserAgent(), 'Good/1.0')
    assert.equal((await ses.fetch(`${server.url}/`)).status, 200)
  })

  it('a partition name the core refuses throws its words and code, no napi status words', () => {
    assert.throws(() => session.fromPartition('persist:'), (error) => {
      assert.equal(error.message, "The partition 'persist:' has no name after the prefix")
      assert.equal(error.code, 'ERR_INVALID_ARGUMENT')
      return true
    })
  })

  it('fetch inputs Node\'s Request refuses keep its TypeErrors, with a code', async () => {
    const ses = session.fromPartition('codes-fetch-input')
    await assert.rejects(ses.fetch('::bad'), { name: 'TypeError', message: 'Failed to parse URL from ::bad', code: 'ERR_INVALID_URL' })
    await assert.rejects(ses.fetch(`${server.url}/`, { method: 'GET ' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' })
  })

  it('ClientRequest header and state errors', () => {
    const req = net.request(`${server.url}/`)
    assert.throws(() => req.setHeader('bad name', 'x'), { message: "Invalid header name: 'bad name'", code: 'ERR_INVALID_HTTP_TOKEN' })
    assert.throws(() => req.setHeader('x-a', 'a\nb'), { code: 'ERR_INVALID_CHAR' })
    assert.throws(() => req.setHeader('x-a'), { code: 'ERR_MISSING_ARGS' })
    assert.throws(() => req.setHeader('Content-Length', '1'), { code: 'ERR_INVALID_ARG_VALUE' })
    assert.throws(() => req.followRedirect(), { code: 'ERR_INVALID_STATE' })
    assert.throws(() => net.request('ftp://x/'), { code: 'ERR_INVALID_PROTOCOL' })
    assert.throws(() => net.request({ url: `${server.url}/`, redirect: 'sometimes' }), { code: 'ERR_INVALID_ARG_VALUE' })
    req.abort()
  })

  it('protocol registration state errors are ERR_INVALID_STATE', () => {
    const ses = session.fromPartition('codes-protocol-state')
    ses.protocol.handle('twice', () => new Response('x'))
    assert.throws(() => ses.protocol.handle('twice', () => new Response('y')), {
      message: 'Failed to register protocol: twice', code: 'ERR_INVALID_STATE'
    })
    assert.throws(() => ses.protocol.unhandle('never'), { message: 'Failed to unhandle protocol: never', code: 'ERR_INVALID_STATE' })
  })
})
