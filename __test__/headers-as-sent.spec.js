'use strict'
// Response headers as the server sent them (Electron: spec/api-net-spec.ts "IncomingMessage
// API", spec/api-web-request-spec.ts "webRequest.onHeadersReceived"): rawHeaders keeps the
// server's names, order and repeats; webRequest's responseHeaders keys keep the server's
// case; a listener's responseHeaders replace the whole set; raw UTF-8 values reach
// webRequest decoded and fetch as their bytes.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { session, net } = require('..')
const { httpServer, rawServer, collect } = require('./fixtures/servers')

function request (options) {
  return new Promise((resolve, reject) => {
    const req = net.request(options)
    req.on('response', (res) => collect(res).then((text) => resolve({ res, text }), reject))
    req.on('error', reject)
    req.end()
  })
}

const disposition = 'attachment; filename=aa中aa.txt'

let server
let raw
before(async () => {
  server = await httpServer((req, res) => {
    if (req.url === '/custom') {
      res.setHeader('Some-Custom-Header-Name', 'Some-Customer-Header-Value')
    } else if (req.url === '/tuples') {
      for (const [name, value] of customHeaders) res.setHeader(name, value)
    } else if (req.url === '/contentDisposition') {
      res.writeHead(200, ['content-disposition', Buffer.from(disposition).toString('binary')])
    } else if (req.url === '/csp') {
      res.setHeader('Content-Security-Policy', "default-src 'none'")
    } else {
      res.setHeader('Custom', ['Header'])
    }
    res.end(req.url)
  })
  // Interleaved repeats and a 100 Continue before the head, which hyper's header map cannot
  // tell apart from grouped ones.
  raw = await rawServer((socket) => {
    socket.end('HTTP/1.1 100 Continue\r\nX-Informational: 1\r\n\r\n' +
      'HTTP/1.1 200 OK\r\nX-A: 1\r\nx-b: 2\r\nX-A: 3\r\nCONTENT-LENGTH: 2\r\n\r\nok')
  })
})
after(() => {
  server.close()
  raw.close()
})

const customHeaders = [
  ['HEADER-KEY-ONE', 'header-value-one'],
  ['set-cookie', 'chocolate-chip'],
  ['header-key-two', 'header-value-two'],
  ['referrer-policy', ['first-text', 'second-text']],
  ['HEADER-KEY-THREE', 'header-value-three'],
  ['last-modified', ['first-text', 'second-text']],
  ['header-key-four', 'header-value-four']
]

describe('IncomingMessage headers as sent (Electron: api-net-spec "IncomingMessage API")', () => {
  it('response object should implement the IncomingMessage API: rawHeaders keep the name as sent', async () => {
    const { res } = await request(`${server.url}/custom`)
    assert.equal(res.headers['some-custom-header-name'], 'Some-Customer-Header-Value')
    assert.equal(res.rawHeaders[0], 'Some-Custom-Header-Name')
    assert.equal(res.rawHeaders[1], 'Some-Customer-Header-Value')
  })

  it('should be able to receive headers with the same name in order and case (rawHeaders)', async () => {
    const { res } = await request(`${server.url}/tuples`)
    const expected = customHeaders.flatMap(([name, value]) => [value].flat().flatMap((v) => [name, v]))
    assert.deepEqual(res.rawHeaders.slice(0, expected.length), expected)
    assert.equal(res.headers['referrer-policy'], 'first-text, second-text')
    assert.equal(res.headers['last-modified'], 'first-text')
    assert.deepEqual(res.headers['set-cookie'], ['chocolate-chip'])
  })

  it('keeps interleaved repeats in the order sent and skips a 100 Continue head', async () => {
    const { res, text } = await request(raw.url)
    assert.equal(text, 'ok')
    assert.deepEqual(res.rawHeaders, ['X-A', '1', 'x-b', '2', 'X-A', '3', 'CONTENT-LENGTH', '2'])
    assert.deepEqual(res.headers, { 'x-a': '1, 3', 'x-b': '2', 'content-length': '2' })
  })

  it('keeps the case on a kept-alive connection, request after request', async () => {
    const ses = session.fromPartition('headers-as-sent-keepalive')
    for (const path of ['/custom', '/other', '/custom']) {
      const { res } = await request({ url: `${server.url}${path}`, session: ses })
      assert.equal(res.rawHeaders[0], path === '/custom' ? 'Some-Custom-Header-Name' : 'Custom')
    }
  })
})

describe('webRequest responseHeaders as sent (Electron: api-web-request-spec onHeadersReceived)', () => {
  it('receives details object: responseHeaders.Custom is ["Header"]', async () => {
    const ses = session.fromPartition('headers-as-sent-details')
    const seen = []
    ses.webRequest.onHeadersReceived((details, callback) => {
      seen.push(details.responseHeaders.Custom, details.responseHeaders.custom)
      callback({})
    })
    const response = await ses.fetch(server.url + '/')
    assert.equal(response.headers.get('custom'), 'Header')
    assert.deepEqual(seen, [['Header'], undefined])
  })

  it('can change the response header: responseHeaders replace the whole set', async () => {
    const ses = session.fromPartition('headers-as-sent-change')
    ses.webRequest.onHeadersReceived((details, callback) => {
      const responseHeaders = details.responseHeaders
      responseHeaders.Custom = ['Changed']
      callback({ responseHeaders })
    })
    const { res } = await request({ url: server.url + '/', session: ses })
    assert.equal(res.headers.custom, 'Changed')
    assert.deepEqual(res.rawHeaders.filter((_, i) => i % 2 === 0 && res.rawHeaders[i].toLowerCase() === 'custom'), ['Custom'])
  })

  it('a spread of responseHeaders plus Content-Security-Policy leaves one CSP header', async () => {
    const ses = session.fromPartition('headers-as-sent-csp')
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': ["default-src 'self'"] } })
    })
    const response = await ses.fetch(`${server.url}/csp`)
    assert.equal(response.headers.get('content-security-policy'), "default-src 'self'")
  })

  it('a statusLine without responseHeaders is ignored; with them it replaces the status', async () => {
    const ses = session.fromPartition('headers-as-sent-status')
    let answer = { statusLine: 'HTTP/1.1 404 Not Found' }
    ses.webRequest.onHeadersReceived((details, callback) => callback(answer))
    assert.equal((await ses.fetch(server.url + '/')).status, 200)
    answer = { statusLine: 'HTTP/1.1 404 Not Found', responseHeaders: { Custom: ['Header'] } }
    const response = await ses.fetch(server.url + '/')
    assert.equal(response.status, 404)
    assert.equal(response.headers.get('custom'), 'Header')
  })

  it('does not change content-disposition header by default: raw UTF-8 reaches webRequest decoded, fetch as its bytes', async () => {
    const ses = session.fromPartition('headers-as-sent-utf8')
    const seen = []
    ses.webRequest.onHeadersReceived((details, callback) => {
      seen.push(details.responseHeaders['content-disposition'])
      callback({})
    })
    const response = await ses.fetch(`${server.url}/contentDisposition`)
    assert.deepEqual(seen, [[disposition]])
    assert.equal(response.headers.get('content-disposition'), Buffer.from(disposition).toString('binary'))
    assert.equal(await response.text(), '/contentDisposition')
    const { res } = await request({ url: `${server.url}/contentDisposition`, session: ses })
    assert.equal(res.headers['content-disposition'], disposition)
  })
})
