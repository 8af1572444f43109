'use strict'
// How the HTTP cache reads the headers of responses and requests, each case one of the
// httpwg cache tests (named in the titles) that Chrome or undici pass: 304s whatever their
// validators, Age and Date, Expires formats, Cache-Control parsing, fields left out of
// stored heads, ranges served from a complete response, what a cache mode sends, the
// request's own Cache-Control, and Vary mismatches revalidated.
const { describe, it, before, after, beforeEach } = require('node:test')
const assert = require('node:assert/strict')
const { session, net } = require('..')
const { httpServer } = require('./fixtures/servers')

// Each test sets `answer(req, res, n)` for its path; the server counts hits per path and
// records the requests.
let server
const routes = new Map()
const hits = new Map()
const seen = new Map()
before(async () => {
  server = await httpServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    const n = (hits.get(path) ?? 0) + 1
    hits.set(path, n)
    seen.set(path, [...(seen.get(path) ?? []), req.headers])
    routes.get(path)(req, res, n)
  })
})
after(() => server.close())

let ses
let id = 0
beforeEach(() => { ses = session.fromPartition(`cache-headers-${++id}`) })

// A path answered by `answer`, unique to the test.
const route = (answer) => {
  const path = `/r${++id}`
  routes.set(path, answer)
  return server.url + path
}
const get = async (url, init) => {
  const response = await ses.fetch(url, init)
  return { status: response.status, headers: response.headers, text: await response.text() }
}
const hitsOf = (url) => hits.get(new URL(url).pathname)
const requestsOf = (url) => seen.get(new URL(url).pathname)
const httpDate = (offsetSeconds) => new Date(Date.now() + offsetSeconds * 1000).toUTCString()

describe('304 Not Modified (Chromium HttpCache; cache-tests 304-etag-update-*, cc-resp-no-cache-revalidate)', () => {
  it('a 304 without validators still serves the stored body; a new ETag or Content-MD5 in it is not taken, other headers are (cache-tests 304-etag-update-response-*)', async () => {
    const url = route((req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'Cache-Control': 'no-cache', ETag: '"v1"', 'Content-MD5': 'first', 'X-Note': 'first', 'Content-Type': 'text/plain', 'X-Frame-Options': 'deny' })
        return res.end('stored body')
      }
      res.writeHead(304, { ETag: '"v2"', 'Content-MD5': 'second', 'X-Note': 'second', 'Content-Type': 'text/plain;charset=utf-8', 'X-Frame-Options': 'sameorigin' })
      res.end()
    })
    await get(url)
    const second = await get(url)
    assert.deepEqual([second.status, second.text], [200, 'stored body'])
    assert.equal(requestsOf(url)[1]['if-none-match'], '"v1"')
    assert.equal(second.headers.get('etag'), '"v1"')
    assert.equal(second.headers.get('content-md5'), 'first')
    assert.equal(second.headers.get('x-note'), 'second')
    // RFC 9111 section 3.2 (and the httpwg tests) update these; Chromium would keep them.
    assert.equal(second.headers.get('content-type'), 'text/plain;charset=utf-8')
    assert.equal(second.headers.get('x-frame-options'), 'sameorigin')
    const bare = route((req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'Cache-Control': 'no-cache', ETag: '"abcd"' })
        return res.end('kept')
      }
      res.writeHead(304)
      res.end()
    })
    await get(bare)
    assert.deepEqual(await get(bare).then((r) => [r.status, r.text]), [200, 'kept'])
    assert.equal(hitsOf(bare), 2)
  })
})

describe('Age and Date (RFC 9111 section 4.2.3; cache-tests age-parse-*, freshness-max-age-date)', () => {
  for (const [title, ages] of [
    ['a non-numeric Age', ['abc']],
    ['a negative Age', ['-7200']],
    ['a float Age', ['7200.0']],
    ['an Age with a parameter', ['7200;foo=bar']],
    ['an Age list "0, 0"', ['0, 0']],
    ['two Age lines', ['0', '0']]
  ]) {
    it(`${title} is not trusted: the response is stale`, async () => {
      const url = route((req, res) => {
        res.setHeader('Cache-Control', 'max-age=3600')
        res.setHeader('Age', ages)
        res.end('x')
      })
      await get(url)
      await get(url)
      assert.equal(hitsOf(url), 2)
    })
  }

  it('a Date two hours old gives an apparent age past max-age=3600: stale; a plain Age: 10 stays fresh, served with Age', async () => {
    const old = route((req, res) => {
      res.writeHead(200, { 'Cache-Control': 'max-age=3600', Date: httpDate(-7200) })
      res.end('x')
    })
    await get(old)
    await get(old)
    assert.equal(hitsOf(old), 2)
    const aged = route((req, res) => {
      res.writeHead(200, { 'Cache-Control': 'max-age=3600', Age: '10' })
      res.end('x')
    })
    await get(aged)
    const cached = await get(aged)
    assert.equal(hitsOf(aged), 1)
    assert.ok(['10', '11'].includes(cached.headers.get('age')), cached.headers.get('age'))
  })
})

describe('Expires in the formats browsers accept (cache-tests freshness-expires-*)', () => {
  for (const expires of [
    'Thu 18 Aug 2050 02:01:18 GMT',
    'Thursday, 18-Aug-50 02:01:18 GMT',
    'Thu Aug  8 02:01:18 2050',
    'Thu, 18 Aug 2050 2:01:18 GMT',
    'Thu, 18 Aug 2050 02.01.18 GMT',
    'Thu, 18 Aug 2050 02:01:18 UTC',
    'Sun 21 Nov 2286 04:46:39 GMT'
  ]) {
    it(`"${expires}" is a date in the future: fresh`, async () => {
      const url = route((req, res) => {
        res.writeHead(200, { Expires: expires, Date: httpDate(0) })
        res.end('x')
      })
      await get(url)
      await get(url)
      assert.equal(hitsOf(url), 1)
    })
  }

  it('an Expires of "0" is in the past: stale', async () => {
    const url = route((req, res) => {
      res.writeHead(200, { Expires: '0', Date: httpDate(0) })
      res.end('x')
    })
    await get(url)
    await get(url)
    assert.equal(hitsOf(url), 2)
  })
})

describe('Cache-Control parsing (cache-tests freshness-max-age-*, cc-resp-no-cache-case-insensitive)', () => {
  for (const [value, expectedHits] of [
    ['max-age=3600a', 1],
    ['max-age=3600.5', 1],
    ['MaX-aGe=3600', 1],
    ['extension="max-age=1, x", max-age=3600', 1],
    ['max-age =3600', 2],
    ['max-age= 3600', 2],
    ["max-age='3600'", 2],
    ['max-age=10000, No-CaChE', 2]
  ]) {
    it(`Cache-Control: ${value} → the origin is asked ${expectedHits === 1 ? 'once' : 'again'}`, async () => {
      const url = route((req, res) => {
        res.writeHead(200, { 'Cache-Control': value })
        res.end('x')
      })
      await get(url)
      await get(url)
      assert.equal(hitsOf(url), expectedHits)
    })
  }
})

describe('what a stored head leaves out (RFC 9111 sections 3.1 and 5.2.2.4; cache-tests headers-omit-*)', () => {
  it('fields named by no-cache="…" and by Connection are not served from the cache; the response is', async () => {
    const url = route((req, res) => {
      res.setHeader('Cache-Control', ['no-cache="X-Secret, X-Other"', 'max-age=3600'])
      res.setHeader('X-Secret', '1')
      res.setHeader('X-Other', '2')
      res.setHeader('X-Hop', '3')
      res.setHeader('X-Kept', '4')
      res.setHeader('Connection', 'X-Hop')
      res.end('x')
    })
    const first = await get(url)
    assert.equal(first.headers.get('x-secret'), '1')
    const cached = await get(url)
    assert.equal(hitsOf(url), 1)
    assert.deepEqual(
      ['x-secret', 'x-other', 'x-hop', 'x-kept'].map((name) => cached.headers.get(name)),
      [null, null, null, '4']
    )
  })
})

describe('heuristic freshness (RFC 9111 section 4.2.2; cache-tests heuristic-599-cached, pragma-response-no-cache-heuristic)', () => {
  it('a 599 marked public with a Last-Modified a day old is heuristically fresh; without public it is not stored', async () => {
    const lastModified = httpDate(-86400)
    const publicUrl = route((req, res) => {
      res.writeHead(599, { 'Cache-Control': 'public', 'Last-Modified': lastModified, Date: httpDate(0) })
      res.end('x')
    })
    await get(publicUrl)
    assert.equal((await get(publicUrl)).status, 599)
    assert.equal(hitsOf(publicUrl), 1)
    const plain = route((req, res) => {
      res.writeHead(599, { 'Last-Modified': lastModified, Date: httpDate(0) })
      res.end('x')
    })
    await get(plain)
    await get(plain)
    assert.equal(hitsOf(plain), 2)
  })

  it('must-understand keeps a status the cache does not know out of it (RFC 9111 section 5.2.2.3; cache-tests status-599-must-understand)', async () => {
    const url = route((req, res) => {
      res.writeHead(599, { 'Cache-Control': 'max-age=3600, must-understand' })
      res.end('x')
    })
    await get(url)
    await get(url)
    assert.equal(hitsOf(url), 2)
  })

  it('Pragma: no-cache in a response means nothing (RFC 9111 section 5.4): heuristic freshness still applies', async () => {
    const url = route((req, res) => {
      res.writeHead(200, { Pragma: 'no-cache', 'Last-Modified': httpDate(-10000), Date: httpDate(0) })
      res.end('x')
    })
    await get(url)
    await get(url)
    assert.equal(hitsOf(url), 1)
  })
})

describe('ranges from a complete stored response (Chromium HttpCache; cache-tests partial-store-complete-reuse-partial*)', () => {
  it('bytes=0-1, bytes=1- and bytes=-2 are 206s from the cache with Content-Range and the stored headers; two ranges go to the network', async () => {
    const url = route((req, res) => {
      if (req.headers.range) {
        res.writeHead(200, { 'X-From': 'origin' })
        return res.end('origin ignored the range')
      }
      res.writeHead(200, { 'Cache-Control': 'max-age=3600', 'X-Stored': 'yes' })
      res.end('01234567890')
    })
    await get(url)
    const expected = [
      ['bytes=0-1', '01', 'bytes 0-1/11'],
      ['bytes=1-', '1234567890', 'bytes 1-10/11'],
      ['bytes=-2', '90', 'bytes 9-10/11']
    ]
    for (const [range, text, contentRange] of expected) {
      const partial = await get(url, { headers: { Range: range } })
      assert.deepEqual(
        [partial.status, partial.text, partial.headers.get('content-range'), partial.headers.get('content-length'), partial.headers.get('x-stored')],
        [206, text, contentRange, String(text.length), 'yes']
      )
    }
    assert.equal(hitsOf(url), 1)
    const several = await get(url, { headers: { Range: 'bytes=0-1,3-4' } })
    assert.deepEqual([several.status, several.text], [200, 'origin ignored the range'])
    assert.equal(hitsOf(url), 2)
  })
})

describe("what a request's cache mode and Cache-Control do (Fetch; Chromium's load flags; cache-tests ccreq-*)", () => {
  const stored = () => route((req, res) => {
    res.writeHead(200, { 'Cache-Control': 'max-age=3600', ETag: '"e"' })
    res.end('x')
  })

  it('no-cache sends Cache-Control: max-age=0; no-store and reload send Pragma and Cache-Control no-cache', async () => {
    const url = stored()
    await get(url, { cache: 'no-cache' })
    await get(url, { cache: 'no-store' })
    await get(url, { cache: 'reload' })
    const sent = requestsOf(url).map((h) => [h['cache-control'], h.pragma])
    assert.deepEqual(sent, [['max-age=0', undefined], ['no-cache', 'no-cache'], ['no-cache', 'no-cache']])
  })

  it('a request that carries its own If-None-Match gets the origin\'s answer (Fetch: mode becomes no-store)', async () => {
    const url = route((req, res) => {
      if (req.headers['if-none-match'] === '"e"') {
        res.writeHead(304, { ETag: '"e"' })
        return res.end()
      }
      res.writeHead(200, { 'Cache-Control': 'max-age=3600', ETag: '"e"' })
      res.end('x')
    })
    await get(url)
    const conditional = await get(url, { headers: { 'If-None-Match': '"e"' } })
    assert.equal(conditional.status, 304)
    assert.equal(hitsOf(url), 2)
  })

  it('Cache-Control: no-store on the request neither reads nor writes; only-if-cached answers a miss with a 504', async () => {
    const url = stored()
    await get(url)
    await get(url, { headers: { 'Cache-Control': 'no-store' } })
    assert.equal(hitsOf(url), 2)
    const fresh = stored()
    await get(fresh, { headers: { 'Cache-Control': 'no-store' } })
    await get(fresh)
    assert.equal(hitsOf(fresh), 2)
    const missing = stored()
    const miss = await get(missing, { headers: { 'Cache-Control': 'only-if-cached' } })
    assert.deepEqual([miss.status, miss.text, hitsOf(missing)], [504, '', undefined])
    await get(missing)
    const hit = await get(missing, { headers: { 'Cache-Control': 'only-if-cached' } })
    assert.deepEqual([hit.status, hitsOf(missing)], [200, 1])
  })

  it('net.request with Cache-Control: only-if-cached gets the same 504', async () => {
    const url = stored()
    const status = await new Promise((resolve, reject) => {
      const request = net.request({ url, session: ses })
      request.setHeader('Cache-Control', 'only-if-cached')
      request.on('response', (response) => { response.on('data', () => {}); response.on('end', () => resolve(response.statusCode)) })
      request.on('error', reject)
      request.end()
    })
    assert.equal(status, 504)
  })
})

describe('Vary mismatches (Chromium HttpCache; cache-tests conditional-etag-vary-headers-mismatch)', () => {
  it('a stored response for other Vary values is revalidated with its ETag; a 304 serves it for the new values', async () => {
    const url = route((req, res, n) => {
      if (req.headers['if-none-match'] === '"one"') {
        res.writeHead(304, { ETag: '"one"', 'Cache-Control': 'max-age=3600', Vary: 'X-Lang' })
        return res.end()
      }
      res.writeHead(200, { 'Cache-Control': 'max-age=3600', ETag: '"one"', Vary: 'X-Lang' })
      res.end(`body ${n}`)
    })
    await get(url, { headers: { 'X-Lang': 'en' } })
    const other = await get(url, { headers: { 'X-Lang': 'fr' } })
    assert.deepEqual([other.status, other.text], [200, 'body 1'])
    assert.equal(requestsOf(url)[1]['if-none-match'], '"one"')
    await get(url, { headers: { 'X-Lang': 'fr' } })
    assert.equal(hitsOf(url), 2)
  })
})
