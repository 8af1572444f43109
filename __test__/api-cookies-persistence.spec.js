'use strict'
// Persistent partitions across processes: flushStore then SIGKILL loses nothing, changes
// reach disk within a second without any call, session cookies stay behind unless the
// partition asks otherwise, and expired or removed cookies do not come back.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const { setTimeout: delay } = require('node:timers/promises')
const { tempDir, startApp } = require('./helpers')

const url = 'https://example.com/app'
const FAR = Math.floor(Date.now() / 1000) + 86400

async function started (userData, partition, options) {
  const app = startApp(userData, partition, options)
  assert.deepEqual(await app.next(), { ready: true })
  return app
}

async function kill (app) {
  app.child.kill('SIGKILL')
  assert.deepEqual(await app.exited, { code: null, signal: 'SIGKILL' })
}

async function cookiesIn (userData, partition, options) {
  const app = await started(userData, partition, options)
  const { ok } = await app.request({ op: 'get', arg: {} })
  app.child.stdin.end()
  await app.exited
  return ok
}

describe('persistent cookies', () => {
  it('survive SIGKILL after flushStore()', async () => {
    const userData = tempDir()
    const app = await started(userData, 'persist:jar')
    for (let i = 0; i < 50; i++) {
      assert.deepEqual(await app.request({ op: 'set', arg: { url, name: `c${i}`, value: `v${i}`, expirationDate: FAR } }), { ok: 'ok' })
    }
    assert.deepEqual(await app.request({ op: 'set', arg: { url, name: 'c0', value: 'changed', expirationDate: FAR, httpOnly: true, secure: true, sameSite: 'strict' } }), { ok: 'ok' })
    assert.deepEqual(await app.request({ op: 'flush' }), { ok: 'ok' })
    await kill(app)
    const cookies = await cookiesIn(userData, 'persist:jar')
    assert.equal(cookies.length, 50)
    assert.deepEqual(cookies.find((c) => c.name === 'c0'), {
      name: 'c0',
      value: 'changed',
      domain: 'example.com',
      hostOnly: true,
      path: '/',
      secure: true,
      httpOnly: true,
      session: false,
      expirationDate: FAR,
      sameSite: 'strict'
    })
    assert.deepEqual(cookies.map((c) => c.name).sort(), Array.from({ length: 50 }, (_, i) => `c${i}`).sort())
  })

  it('reach disk within one second without any call', async () => {
    const userData = tempDir()
    const app = await started(userData, 'persist:jar')
    assert.deepEqual(await app.request({ op: 'set', arg: { url, name: 'unflushed', value: '1', expirationDate: FAR } }), { ok: 'ok' })
    await delay(1000) // the durability promise under test is "within one second"
    await kill(app)
    assert.deepEqual((await cookiesIn(userData, 'persist:jar')).map((c) => c.name), ['unflushed'])
  })

  it('survive a normal exit without any call', async () => {
    const userData = tempDir()
    const app = await started(userData, 'persist:jar')
    assert.deepEqual(await app.request({ op: 'set', arg: { url, name: 'exit', value: '1', expirationDate: FAR } }), { ok: 'ok' })
    app.child.stdin.end()
    assert.deepEqual(await app.exited, { code: 0, signal: null })
    assert.deepEqual((await cookiesIn(userData, 'persist:jar')).map((c) => c.name), ['exit'])
  })

  it('leave session and removed cookies behind, keeping unexpired ones', async () => {
    const userData = tempDir()
    const app = await started(userData, 'persist:jar')
    const now = Math.floor(Date.now() / 1000)
    await app.request({ op: 'set', arg: { url, name: 'session', value: '1' } })
    await app.request({ op: 'set', arg: { url, name: 'kept', value: '1', expirationDate: FAR } })
    await app.request({ op: 'set', arg: { url, name: 'gone', value: '1', expirationDate: FAR } })
    await app.request({ op: 'remove', arg: { url, name: 'gone' } })
    await app.request({ op: 'set', arg: { url, name: 'brief', value: '1', expirationDate: now + 2 } })
    await app.request({ op: 'flush' })
    await kill(app)
    assert.deepEqual((await cookiesIn(userData, 'persist:jar')).map((c) => c.name).sort(), ['brief', 'kept'])
  })

  it('keep session cookies when the partition asks for it', async () => {
    const userData = tempDir()
    const app = await started(userData, 'persist:jar', { persistSessionCookies: true })
    await app.request({ op: 'set', arg: { url, name: 'session', value: '1' } })
    await app.request({ op: 'flush' })
    await kill(app)
    const [cookie] = await cookiesIn(userData, 'persist:jar', { persistSessionCookies: true })
    assert.deepEqual([cookie.name, cookie.session], ['session', true])
    assert.deepEqual(await cookiesIn(userData, 'persist:jar'), [])
  })

  it('are kept per partition and for the default session', async () => {
    const userData = tempDir()
    const a = await started(userData, 'persist:a')
    const d = await started(userData, '')
    await a.request({ op: 'set', arg: { url, name: 'in-a', value: '1', expirationDate: FAR } })
    await d.request({ op: 'set', arg: { url, name: 'in-default', value: '1', expirationDate: FAR } })
    await a.request({ op: 'flush' })
    await d.request({ op: 'flush' })
    await kill(a)
    await kill(d)
    assert.deepEqual((await cookiesIn(userData, 'persist:a')).map((c) => c.name), ['in-a'])
    assert.deepEqual((await cookiesIn(userData, '')).map((c) => c.name), ['in-default'])
    assert.deepEqual(await cookiesIn(userData, 'in-memory'), [])
  })
})
