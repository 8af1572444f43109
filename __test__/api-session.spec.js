'use strict'
// session module: partitions, fromPath, defaultSession, storage location, lazy storage,
// session-created, app paths, and a partition locked by another process.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { app, session, Session } = require('..')
const { tempDir, startApp } = require('./helpers')

const userData = tempDir()
const created = []
app.on('session-created', (ses) => created.push(ses))
app.setPath('userData', userData)

describe('session module', () => {
  describe('session.defaultSession', () => {
    it('returns the default session, persistent at userData', () => {
      assert.equal(session.defaultSession, session.fromPartition(''))
      assert.equal(session.defaultSession.storagePath, userData)
      assert.equal(session.defaultSession.getStoragePath(), userData)
      assert.equal(session.defaultSession.isPersistent(), true)
    })
  })

  describe('session.fromPartition(partition, options)', () => {
    it('returns the existing session for the same partition', () => {
      assert.equal(session.fromPartition('test'), session.fromPartition('test'))
      assert.notEqual(session.fromPartition('test'), session.fromPartition('test2'))
    })

    it('keeps persist: partitions under userData/Partitions', () => {
      const ses = session.fromPartition('persist:work')
      assert.equal(ses.storagePath, path.join(userData, 'Partitions', 'work'))
      assert.equal(ses.isPersistent(), true)
    })

    it('makes partition names safe for the file system', () => {
      assert.equal(session.fromPartition('persist:a/b c').storagePath, path.join(userData, 'Partitions', 'a%2Fb%20c'))
      assert.equal(session.fromPartition('persist:..').storagePath, path.join(userData, 'Partitions', '%2E%2E'))
    })

    it('keeps other partitions in memory', () => {
      const ses = session.fromPartition('in-memory')
      assert.equal(ses.storagePath, null)
      assert.equal(ses.getStoragePath(), null)
      assert.equal(ses.isPersistent(), false)
    })

    it('emits session-created once per new session', () => {
      const before = created.length
      const ses = session.fromPartition('brand-new')
      session.fromPartition('brand-new')
      assert.equal(created.length, before + 1)
      assert.equal(created.at(-1), ses)
      assert.ok(ses instanceof Session)
    })

    it('throws TypeErrors for bad arguments', () => {
      assert.throws(() => session.fromPartition(42), {
        name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 42'
      })
      assert.throws(() => session.fromPartition('x', 'opts'), {
        name: 'TypeError', message: 'Error processing argument at index 1, conversion failure from opts'
      })
      assert.throws(() => session.fromPartition('x', { persistSessionCookies: 'yes' }), {
        name: 'TypeError', message: 'options.persistSessionCookies must be a boolean, got yes'
      })
    })

    it('refuses a persist: partition without a name', () => {
      assert.throws(() => session.fromPartition('persist:'), {
        message: "The partition 'persist:' has no name after the prefix"
      })
    })
  })

  describe('session.fromPath(path)', () => {
    it('returns a persistent session at an absolute path', () => {
      const dir = tempDir()
      const ses = session.fromPath(dir)
      assert.equal(ses.storagePath, dir)
      assert.equal(ses.isPersistent(), true)
      assert.equal(session.fromPath(dir), ses)
    })

    it('returns the same session as the partition living there', () => {
      assert.equal(session.fromPath(path.join(userData, 'Partitions', 'work')), session.fromPartition('persist:work'))
    })

    it('throws for relative, empty and non-string paths', () => {
      assert.throws(() => session.fromPath('relative/dir'), { name: 'TypeError', message: 'An absolute path was not provided' })
      assert.throws(() => session.fromPath(''), { name: 'TypeError', message: 'An empty path was specified' })
      assert.throws(() => session.fromPath(null), {
        name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from null'
      })
    })
  })

  describe('Session', () => {
    it('cannot be constructed with new', () => {
      assert.throws(() => new Session(), { message: "Session objects cannot be created with 'new'" })
    })

    it('opens storage lazily, on first use', async () => {
      const ses = session.fromPartition('persist:lazy')
      assert.equal(fs.existsSync(ses.storagePath), false)
      assert.deepEqual(await ses.cookies.get({}), [])
      assert.equal(fs.existsSync(path.join(ses.storagePath, 'Store')), true)
    })
  })

  describe('app paths', () => {
    it('reports userData and sessionData', () => {
      assert.equal(app.getPath('userData'), userData)
      assert.equal(app.getPath('sessionData'), userData)
    })

    it('throws for unknown names and relative paths', () => {
      assert.throws(() => app.getPath('bogus'), { message: "Failed to get 'bogus' path" })
      assert.throws(() => app.setPath('userData', 'relative'), { message: 'Path must be absolute' })
      assert.throws(() => app.setPath(1, '/x'), {
        name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 1'
      })
    })
  })

  describe('a partition in use by another process', () => {
    let other
    before(async () => {
      other = startApp(userData, 'persist:shared')
      assert.deepEqual(await other.next(), { ready: true })
      assert.deepEqual(await other.request({
        op: 'set', arg: { url: 'https://example.com', name: 'kept', value: '1', expirationDate: 4102444800 }
      }), { ok: 'ok' })
    })
    after(() => other.child.kill())

    it('fails with a clear error, harms nothing, and opens once released', async () => {
      const ses = session.fromPartition('persist:shared')
      const where = path.join(userData, 'Partitions', 'shared')
      await assert.rejects(ses.cookies.get({}), {
        message: `Failed to open the storage of partition 'persist:shared' at ${where}: it is in use by another process (its lock is held)`,
        code: 'ERR_STORAGE_OPEN_FAILED'
      })
      assert.deepEqual((await other.request({ op: 'get', arg: {} })).ok.map((c) => c.name), ['kept'])
      other.child.stdin.end()
      assert.deepEqual(await other.exited, { code: 0, signal: null })
      const cookies = await ses.cookies.get({})
      assert.deepEqual(cookies.map((c) => [c.name, c.value]), [['kept', '1']])
    })
  })
})
