'use strict'
// ses.cookies: get/set/remove/flushStore with Electron's objects, filters, rules, messages,
// change events and the Electron 1.x callback forms.
const { describe, it, beforeEach } = require('node:test')
const assert = require('node:assert/strict')
const { once } = require('node:events')
const { app, session } = require('..')
const { tempDir } = require('./helpers')

app.setPath('userData', tempDir())

let counter = 0
const fresh = () => session.fromPartition(`cookies-${++counter}`)
const FAR = 4102444800 // 2100-01-01, beyond the 400-day cap
const fail = (sentence, reasons) => `Failed to set cookie - ${sentence}${reasons}, DO_NOT_WARN, NO_EXEMPTION`

describe('ses.cookies', () => {
  let cookies
  beforeEach(() => { cookies = fresh().cookies })

  describe('set() and get()', () => {
    it('stores a persistent cookie and returns Electron\'s object', async () => {
      const creationDate = Math.floor(Date.now() / 1000)
      const expirationDate = creationDate + 120.5
      await cookies.set({ url: 'https://example.com/a/b', name: '1', value: '1', expirationDate, creationDate })
      assert.deepEqual(await cookies.get({ url: 'https://example.com/a/c' }), [{
        name: '1',
        value: '1',
        domain: 'example.com',
        hostOnly: true,
        path: '/a',
        secure: false,
        httpOnly: false,
        session: false,
        expirationDate,
        sameSite: 'lax'
      }])
    })

    it('stores a session cookie without expirationDate', async () => {
      await cookies.set({ url: 'http://127.0.0.1:8080', name: '2', value: '2' })
      const [c] = await cookies.get({ url: 'http://127.0.0.1:8080' })
      assert.equal(c.session, true)
      assert.equal('expirationDate' in c, false)
      assert.equal(c.domain, '127.0.0.1')
    })

    it('sets cookies without a name', async () => {
      await cookies.set({ url: 'https://example.com', value: '3' })
      const [c] = await cookies.get({ url: 'https://example.com' })
      assert.equal(c.name, '')
      assert.equal(c.value, '3')
    })

    for (const sameSite of ['unspecified', 'no_restriction', 'lax', 'strict']) {
      it(`sets cookies with sameSite=${sameSite}`, async () => {
        await cookies.set({ url: 'https://example.com', value: 'v', sameSite })
        const [c] = await cookies.get({ url: 'https://example.com' })
        assert.equal(c.sameSite, sameSite)
        assert.equal(c.secure, sameSite === 'no_restriction')
      })
    }

    it('makes domain cookies with a leading dot and hostOnly false', async () => {
      await cookies.set({ url: 'https://a.example.com', name: 'd', value: '1', domain: 'Example.com' })
      const [c] = await cookies.get({ url: 'https://b.example.com/' })
      assert.equal(c.domain, '.example.com')
      assert.equal(c.hostOnly, false)
    })

    it('caps expiry at 400 days after creation', async () => {
      const creationDate = 1800000000
      await cookies.set({ url: 'https://example.com', name: 'cap', value: '1', creationDate, expirationDate: FAR })
      const [c] = await cookies.get({ name: 'cap' })
      assert.equal(c.expirationDate, creationDate + 400 * 86400)
    })

    it('overwrites previous cookies and removes them', async () => {
      for (const value of ['No', 'Yes']) {
        await cookies.set({ url: 'https://example.com', name: 'DidOverwrite', value })
        const list = await cookies.get({ url: 'https://example.com' })
        assert.deepEqual(list.map((c) => [c.name, c.value]), [['DidOverwrite', value]])
      }
      await cookies.remove('https://example.com', 'DidOverwrite')
      assert.deepEqual(await cookies.get({}), [])
    })

    it('drops a cookie set already expired', async () => {
      await cookies.set({ url: 'https://example.com', name: 'x', value: '1' })
      await cookies.set({ url: 'https://example.com', name: 'x', value: '1', expirationDate: 1 })
      assert.deepEqual(await cookies.get({}), [])
    })

    it('carries long and non-ASCII texts intact (values to the 4096-byte limit, long URLs)', async () => {
      const url = `https://example.com/${'p'.repeat(3000)}/page`
      const value = 'v'.repeat(4090) + 'é'
      await cookies.set({ url, name: 'ü', value })
      const [cookie] = await cookies.get({ url, name: 'ü' })
      assert.deepEqual([cookie.name, cookie.value, cookie.path], ['ü', value, `/${'p'.repeat(3000)}`])
      assert.deepEqual(await cookies.get({ url: 'https://example.com/', name: 'ü' }), [])
      await assert.rejects(cookies.set({ url, name: 'a\u0000b', value: 'v' }), {
        code: 'ERR_COOKIE_REJECTED', message: fail('The cookie contains ASCII control characters', 'EXCLUDE_DISALLOWED_CHARACTER')
      })
    })

    it('keeps partitions apart', async () => {
      const other = fresh().cookies
      await cookies.set({ url: 'https://example.com', name: 'mine', value: '1' })
      assert.deepEqual(await other.get({}), [])
    })
  })

  describe('get() by URL', () => {
    beforeEach(async () => {
      await cookies.set({ url: 'https://example.com/', name: 'root', value: '1' })
      await cookies.set({ url: 'https://a.example.com/x/', name: 'deep', value: '2', domain: '.example.com', path: '/x', secure: true })
      await cookies.set({ url: 'https://a.example.com/', name: 'host', value: '3', httpOnly: true })
      await cookies.set({ url: 'https://other.com/', name: 'other', value: '4' })
    })

    it('returns what a request would carry, longest path first', async () => {
      const names = async (url) => (await cookies.get({ url })).map((c) => c.name)
      assert.deepEqual(await names('https://a.example.com/x/y'), ['deep', 'host'])
      assert.deepEqual(await names('https://example.com/x'), ['deep', 'root'])
      assert.deepEqual(await names('http://example.com/x'), ['root'])
      assert.deepEqual(await names('https://example.com/xy'), ['root'])
      assert.deepEqual(await names('https://sub.other.com/'), [])
      assert.deepEqual(await names('not a url'), [])
    })

    it('applies the other filter fields after the URL', async () => {
      const pick = async (filter) => (await cookies.get(filter)).map((c) => c.name).sort()
      assert.deepEqual(await pick({ url: 'https://a.example.com/x', httpOnly: true }), ['host'])
      assert.deepEqual(await pick({ secure: true }), ['deep'])
      assert.deepEqual(await pick({ secure: false, path: '/' }), ['host', 'other', 'root'])
      assert.deepEqual(await pick({ session: true, name: 'other' }), ['other'])
      assert.deepEqual(await pick({ session: false }), [])
    })
  })

  describe('domain filter', () => {
    const cases = [
      ['exact domain', { url: 'http://example.com', domain: 'example.com' }, 'example.com', true],
      ['subdomain filter of a domain cookie', { url: 'http://sub.example.com', domain: '.example.com' }, 'sub.example.com', true],
      ['unrelated domain', { url: 'http://example.com', domain: 'example.com' }, 'other.com', false],
      ['leading dot in both', { url: 'http://example.com', domain: '.example.com' }, '.example.com', true],
      ['case-insensitive', { url: 'http://example.com', domain: 'Example.com' }, 'EXAMPLE.com', true],
      ['IP address', { url: 'http://127.0.0.1', domain: '127.0.0.1' }, '127.0.0.1', true],
      ['different IP address', { url: 'http://127.0.0.1', domain: '127.0.0.1' }, '127.0.0.2', false],
      ['host-only cookie, parent filter', { url: 'http://a.example.com' }, 'example.com', false],
      ['suffix that is not a subdomain', { url: 'http://example.com', domain: 'example.com' }, 'otherexample.com', false]
    ]
    for (const [title, details, domain, expected] of cases) {
      it(`${expected ? 'matches' : 'does not match'}: ${title}`, async () => {
        await cookies.set({ name: 'c', value: 'v', ...details })
        assert.equal((await cookies.get({ domain })).length, expected ? 1 : 0)
      })
    }
  })

  describe('refusals', () => {
    const cases = [
      ['a missing url', { name: 'a', value: 'b' }, "Missing required option 'url'"],
      ['an empty url', { url: '', name: 'a', value: 'b' }, fail('The cookie was set with an invalid Domain attribute.', 'EXCLUDE_INVALID_DOMAIN')],
      ['an invalid url', { url: 'asdf', name: 'a', value: 'b' }, fail('The cookie was set with an invalid Domain attribute.', 'EXCLUDE_INVALID_DOMAIN')],
      ['a garbage sameSite', { url: 'https://example.com', value: 'v', sameSite: 'garbage' }, "Failed to convert 'garbage' to an appropriate cookie same site value"],
      ['a ; in the value', { url: 'https://example.com', name: 'BadCookie', value: 'test;test' }, fail('The cookie contains ASCII control characters', 'EXCLUDE_DISALLOWED_CHARACTER')],
      ['a control character in the name', { url: 'https://example.com', name: 'a\u0001', value: 'v' }, fail('The cookie contains ASCII control characters', 'EXCLUDE_DISALLOWED_CHARACTER')],
      ['an = in the name', { url: 'https://example.com', name: 'a=b', value: 'v' }, fail('The cookie contains ASCII control characters', 'EXCLUDE_DISALLOWED_CHARACTER')],
      ['no name and no value', { url: 'https://example.com' }, fail('The cookie contains no content or only whitespace.', 'EXCLUDE_NO_COOKIE_CONTENT')],
      ['another site\'s domain', { url: 'https://electronjs.org', domain: 'wssss.com', name: 'a', value: 'b' }, fail('The cookie was set with an invalid Domain attribute.', 'EXCLUDE_INVALID_DOMAIN')],
      ['a public suffix domain', { url: 'https://example.com', domain: 'com', name: 'a', value: 'b' }, fail('The cookie was set with an invalid Domain attribute.', 'EXCLUDE_INVALID_DOMAIN')],
      ['a private registry suffix', { url: 'https://me.github.io', domain: 'github.io', name: 'a', value: 'b' }, fail('The cookie was set with an invalid Domain attribute.', 'EXCLUDE_INVALID_DOMAIN')],
      ['a subdomain of the host', { url: 'https://example.com', domain: 'a.example.com', name: 'a', value: 'b' }, fail('The cookie was set with an invalid Domain attribute.', 'EXCLUDE_INVALID_DOMAIN')],
      ['a relative path', { url: 'https://example.com', path: 'x', name: 'a', value: 'b' }, fail('The cookie was malformed and could not be stored', 'EXCLUDE_FAILURE_TO_STORE')],
      ['Secure from http', { url: 'http://example.com', secure: true, name: 'a', value: 'b' }, fail('The cookie was Secure, but the URL was not allowed to access Secure cookies.', 'EXCLUDE_SECURE_ONLY')],
      ['__Secure- without Secure', { url: 'https://example.com', name: '__Secure-a', value: 'b' }, fail('The cookie was set with an invalid __Host- or __Secure- prefix.', 'EXCLUDE_INVALID_PREFIX')],
      ['__Host- with a Domain', { url: 'https://example.com', name: '__Host-a', value: 'b', secure: true, domain: 'example.com' }, fail('The cookie was set with an invalid __Host- or __Secure- prefix.', 'EXCLUDE_INVALID_PREFIX')],
      ['__host- (any case) off the root path', { url: 'https://example.com', name: '__host-a', value: 'b', secure: true, path: '/x' }, fail('The cookie was set with an invalid __Host- or __Secure- prefix.', 'EXCLUDE_INVALID_PREFIX')],
      ['a hidden prefix in a nameless cookie', { url: 'https://example.com', value: '__Host-a=b' }, fail('The cookie was set with an invalid __Host- or __Secure- prefix.', 'EXCLUDE_INVALID_PREFIX')],
      ['more than 4096 bytes', { url: 'https://example.com', name: 'n', value: 'v'.repeat(4096) }, fail('The cookie exceeded the name/value pair size limit.', 'EXCLUDE_NAME_VALUE_PAIR_EXCEEDS_MAX_SIZE')],
      ['a scheme without cookies', { url: 'foo://example.com', name: 'a', value: 'b' }, fail('Attempted to set a cookie from a scheme that does not support cookies.', 'EXCLUDE_NONCOOKIEABLE_SCHEME')],
      ['SameSite=None without Secure', { url: 'https://example.com', name: 'a', value: 'b', sameSite: 'no_restriction', secure: false }, fail('The cookie specified SameSite=None, but it was not Secure.', 'EXCLUDE_SAMESITE_NONE_INSECURE')]
    ]
    for (const [title, details, message] of cases) {
      it(`rejects ${title}`, async () => {
        await assert.rejects(cookies.set(details), (error) => {
          assert.equal(error.constructor, Error)
          assert.equal(error.message, message)
          return true
        })
        assert.deepEqual(await cookies.get({}), [])
      })
    }

    it('accepts exactly 4096 bytes of name and value', async () => {
      await cookies.set({ url: 'https://example.com', name: 'n', value: 'v'.repeat(4095) })
      assert.equal((await cookies.get({}))[0].value.length, 4095)
    })

    it('refuses to shadow a Secure cookie from an insecure origin, keeping the original', async () => {
      await cookies.set({ url: 'https://example.com', name: 's', value: 'secure', secure: true })
      await assert.rejects(cookies.set({ url: 'http://example.com', name: 's', value: 'plain' }), {
        message: fail('The cookie would have overwritten a Secure cookie, and was not allowed to do so.', 'EXCLUDE_OVERWRITE_SECURE')
      })
      assert.deepEqual((await cookies.get({})).map((c) => c.value), ['secure'])
    })

    it('refuses to overwrite an HttpOnly cookie with a non-HttpOnly one', async () => {
      await cookies.set({ url: 'https://example.com', name: 'h', value: '1', httpOnly: true })
      await assert.rejects(cookies.set({ url: 'https://example.com', name: 'h', value: '2' }), {
        message: fail('The cookie would have overwritten an HttpOnly cookie, and was not allowed to do so.', 'EXCLUDE_OVERWRITE_HTTP_ONLY')
      })
      await cookies.set({ url: 'https://example.com', name: 'h', value: '3', httpOnly: true })
      assert.deepEqual((await cookies.get({})).map((c) => c.value), ['3'])
    })
  })

  describe('bad argument types', () => {
    it('throws TypeErrors synchronously', () => {
      const conversion = (index, from) => ({ name: 'TypeError', message: `Error processing argument at index ${index}, conversion failure from ${from}` })
      assert.throws(() => cookies.get(), conversion(0, 'undefined'))
      assert.throws(() => cookies.get(42), conversion(0, '42'))
      assert.throws(() => cookies.set(null), conversion(0, 'null'))
      assert.throws(() => cookies.set({ url: 'https://example.com' }, 'cb'), conversion(1, 'cb'))
      assert.throws(() => cookies.remove(1, 'x'), conversion(0, '1'))
      assert.throws(() => cookies.remove('https://example.com', {}), conversion(1, '#<Object>'))
      assert.throws(() => cookies.flushStore(5), conversion(0, '5'))
      assert.throws(() => cookies.set({ url: 7 }), { name: 'TypeError', message: 'details.url must be a string, got 7' })
      assert.throws(() => cookies.set({ url: 'https://example.com', expirationDate: NaN }), {
        name: 'TypeError', message: 'details.expirationDate must be a finite number, got NaN'
      })
      assert.throws(() => cookies.set({ url: 'https://example.com', secure: 'yes' }), {
        name: 'TypeError', message: 'details.secure must be a boolean, got yes'
      })
      assert.throws(() => cookies.get({ domain: ['a'] }), { name: 'TypeError', message: 'filter.domain must be a string, got #<Array>' })
    })
  })

  describe('changed event', () => {
    // Resolves when a change for the cookie called `name` is emitted.
    const changeOf = (c, name) => new Promise((resolve) => {
      c.on('changed', function listener (event, cookie, ...rest) {
        if (cookie.name !== name) return
        c.off('changed', listener)
        resolve([event, cookie, ...rest])
      })
    })
    const record = (c) => {
      const events = []
      c.on('changed', (event, cookie, cause, removed) => events.push([cookie.name, cookie.value, cause, removed]))
      return events
    }

    it('emits inserted, then explicit on removal', async () => {
      const changed = once(cookies, 'changed')
      await cookies.set({ url: 'https://example.com', name: 'foo', value: 'bar' })
      const [event, cookie, cause, removed] = await changed
      assert.equal(event.sender, cookies)
      assert.deepEqual(cookie, {
        name: 'foo', value: 'bar', domain: 'example.com', hostOnly: true, path: '/', secure: false, httpOnly: false, session: true, sameSite: 'lax'
      })
      assert.equal(cause, 'inserted')
      assert.equal(removed, false)
      const removal = once(cookies, 'changed')
      await cookies.remove('https://example.com', 'foo')
      const [, removedCookie, removeCause, removeRemoved] = await removal
      assert.deepEqual([removedCookie.name, removeCause, removeRemoved], ['foo', 'explicit', true])
    })

    it('reports overwrites in Chromium\'s order with Electron\'s causes', async () => {
      const events = record(cookies)
      const url = 'https://example.com'
      await cookies.set({ url, name: 'a', value: '1' })
      await cookies.set({ url, name: 'a', value: '2' })
      await cookies.set({ url, name: 'a', value: '2' })
      await cookies.set({ url, name: 'a', value: '2', httpOnly: true })
      await cookies.set({ url, name: 'a', value: '3', httpOnly: true, expirationDate: 1 })
      const done = changeOf(cookies, 'end')
      await cookies.set({ url, name: 'end', value: '1' })
      await done
      assert.deepEqual(events, [
        ['a', '1', 'inserted', false],
        ['a', '1', 'overwrite', true],
        ['a', '2', 'inserted', false],
        ['a', '2', 'overwrite', true],
        ['a', '2', 'inserted-no-change-overwrite', false],
        ['a', '2', 'overwrite', true],
        ['a', '2', 'inserted-no-value-change-overwrite', false],
        ['a', '2', 'expired-overwrite', true],
        ['end', '1', 'inserted', false]
      ])
    })

    it('evicts a site beyond 180 cookies down to 150, least recently used first', async () => {
      const events = record(cookies)
      for (let i = 0; i < 181; i++) {
        await cookies.set({ url: 'https://example.com', name: `c${i}`, value: 'v' })
      }
      const marker = changeOf(cookies, 'marker')
      await cookies.set({ url: 'https://other.com', name: 'marker', value: 'v' })
      await marker
      const evicted = events.filter((e) => e[2] === 'evicted')
      assert.equal(evicted.length, 31)
      assert.deepEqual(evicted.slice(0, 2), [['c0', 'v', 'evicted', true], ['c1', 'v', 'evicted', true]])
      assert.equal((await cookies.get({ domain: 'example.com' })).length, 150)
    })

    it('stops emitting once the last listener is gone', async () => {
      const seen = []
      const listener = (e, cookie) => seen.push(cookie.name)
      cookies.on('changed', listener)
      cookies.off('changed', listener)
      await cookies.set({ url: 'https://example.com', name: 'quiet', value: '1' })
      const probe = record(cookies)
      const changed = changeOf(cookies, 'loud')
      await cookies.set({ url: 'https://example.com', name: 'loud', value: '1' })
      await changed
      assert.deepEqual(seen, [])
      assert.deepEqual(probe.map((e) => e[0]), ['loud'])
    })
  })

  describe('Electron 1.x callbacks', () => {
    it('calls back with the old signatures and still returns Promises', async () => {
      const url = 'https://example.com'
      const setResult = await new Promise((resolve) => {
        const p = cookies.set({ url, name: 'cb', value: '1' }, (error) => resolve({ error, p }))
      })
      assert.equal(setResult.error, null)
      assert.ok(setResult.p instanceof Promise)
      const [error, list] = await new Promise((resolve) => cookies.get({ url }, (...args) => resolve(args)))
      assert.equal(error, null)
      assert.deepEqual(list.map((c) => c.name), ['cb'])
      const failure = await new Promise((resolve) => cookies.set({ url: 'asdf', name: 'x', value: 'y' }, resolve))
      assert.equal(failure.message, fail('The cookie was set with an invalid Domain attribute.', 'EXCLUDE_INVALID_DOMAIN'))
      const removeArgs = await new Promise((resolve) => cookies.remove(url, 'cb', (...args) => resolve(args)))
      assert.deepEqual(removeArgs, [])
      const flushArgs = await new Promise((resolve) => cookies.flushStore((...args) => resolve(args)))
      assert.deepEqual(flushArgs, [])
      assert.deepEqual(await cookies.get({}), [])
    })
  })
})
