'use strict'
// The Response ses.fetch resolves with holds a body that arrived whole as bytes until a
// stream is asked for (lib/session-response.js). Each case runs the same steps on it and on
// a Response built by Node from the same bytes (Fetch's Body mixin, as undici implements it)
// and asserts the same outcome: values, errors, bodyUsed, the body's state; plus url and
// redirected, which clones keep.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { session } = require('..')
const { httpServer } = require('./fixtures/servers')

const payload = '\uFEFF{"greeting":"héllo"}'
let server
before(async () => {
  server = await httpServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { Location: '/json' })
      return res.end()
    }
    if (req.url === '/large') {
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      return res.end('z'.repeat(4 << 20))
    }
    if (req.url === '/form') {
      res.writeHead(200, { 'Content-Type': 'application/x-www-form-urlencoded' })
      return res.end('a=1&b=two')
    }
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' })
    res.end(payload)
  })
})
after(() => server.close())

const ses = session.fromPartition('fetch-response')

// The outcome of `steps(response)`: its value, or its error's class and message.
async function outcome (steps, response) {
  try {
    const value = await steps(response)
    return { value: value instanceof ArrayBuffer ? [...new Uint8Array(value)] : value }
  } catch (error) {
    return { error: `${error.constructor.name}: ${error.message}` }
  }
}

async function same (steps, path = '/json') {
  const ours = await ses.fetch(server.url + path)
  const bytes = Buffer.from(await (await ses.fetch(server.url + path)).arrayBuffer())
  const node = new Response(bytes, { status: ours.status, headers: ours.headers })
  const [a, b] = [await outcome(steps, ours), await outcome(steps, node)]
  assert.deepEqual(a, b)
  return a
}

const streamState = (r) => ({ locked: r.body.locked, used: r.bodyUsed })
const readAll = async (stream) => {
  const chunks = []
  for await (const chunk of stream) chunks.push(Buffer.from(chunk))
  return Buffer.concat(chunks).toString('utf8')
}

describe('the Response of ses.fetch behaves as Fetch\'s Body mixin does (a Response built from the same bytes)', () => {
  it('text() strips the BOM; a second read rejects with "Body is unusable"; body is then locked and bodyUsed true', async () => {
    const result = await same(async (r) => {
      const before = r.bodyUsed
      const text = await r.text()
      const again = await r.text().catch((e) => `${e.constructor.name}: ${e.message}`)
      return { before, text, again, after: streamState(r) }
    })
    assert.deepEqual(result.value, {
      before: false,
      text: '{"greeting":"héllo"}',
      again: 'TypeError: Body is unusable: Body has already been read',
      after: { locked: true, used: true }
    })
  })

  it('json(), arrayBuffer() (a buffer of its own), and blob() with the Content-Type', async () => {
    assert.deepEqual((await same((r) => r.json())).value, { greeting: 'héllo' })
    const buffer = await same((r) => r.arrayBuffer())
    assert.equal(buffer.value.length, Buffer.byteLength(payload))
    const blob = await same(async (r) => { const b = await r.blob(); return [b.type, b.size, await b.text()] })
    assert.deepEqual(blob.value, ['application/json;charset=utf-8', Buffer.byteLength(payload), payload.slice(1)])
    const form = await same(async (r) => [...(await r.formData()).entries()], '/form')
    assert.deepEqual(form.value, [['a', '1'], ['b', 'two']])
    assert.deepEqual((await same((r) => r.json(), '/form')).error, 'SyntaxError: Unexpected token \'a\', "a=1&b=two" is not valid JSON')
  })

  it('the body as a stream gives the bytes; reading it leaves text() unusable; a locked body refuses text()', async () => {
    const streamed = await same(async (r) => {
      const text = await readAll(r.body)
      const after = await r.text().catch((e) => e.message)
      return { text, after, state: streamState(r) }
    })
    assert.deepEqual(streamed.value, {
      text: payload,
      after: 'Body is unusable: Body has already been read',
      state: { locked: false, used: true }
    })
    const locked = await same(async (r) => { r.body.getReader(); return r.arrayBuffer() })
    assert.equal(locked.error, 'TypeError: Body is unusable: Body has already been read')
  })

  it('clone() before a read gives two readable bodies; after a read it throws; clones keep url and redirected', async () => {
    const result = await same(async (r) => {
      const copy = r.clone()
      return [await r.text(), await copy.text(), copy.status, copy.headers.get('content-type')]
    })
    assert.deepEqual(result.value, ['{"greeting":"héllo"}', '{"greeting":"héllo"}', 200, 'application/json; charset=utf-8'])
    const late = await same(async (r) => { await r.text(); return r.clone() })
    assert.equal(late.error, 'TypeError: Response.clone: Body has already been consumed.')
    const viaStream = await same(async (r) => {
      assert.ok(r.body)
      const copy = r.clone()
      return [await readAll(r.body), await copy.text()]
    })
    assert.deepEqual(viaStream.value, [payload, '{"greeting":"héllo"}'])

    const redirected = await ses.fetch(`${server.url}/redirect`)
    const copy = redirected.clone()
    assert.ok(copy instanceof Response)
    assert.deepEqual([redirected.url, redirected.redirected], [`${server.url}/json`, true])
    assert.deepEqual([copy.url, copy.redirected], [`${server.url}/json`, true])
    assert.deepEqual(await copy.json(), { greeting: 'héllo' })
    // A body that streams in (4 MiB): the same, through Node's own stream.
    const large = await ses.fetch(`${server.url}/large`)
    const largeCopy = large.clone()
    assert.deepEqual([largeCopy.url, largeCopy.redirected], [`${server.url}/large`, false])
    assert.deepEqual([(await large.text()).length, (await largeCopy.arrayBuffer()).byteLength], [4 << 20, 4 << 20])
    assert.equal(await large.text().catch((e) => e.message), 'Body is unusable: Body has already been read')
  })
})
