'use strict'
//! Electron's Session class and the `session` namespace (fromPartition, fromPath,
//! defaultSession). One JS object per native session, whatever the route to it.

const { EventEmitter } = require('node:events')
const path = require('node:path')
const native = require('./native')
const { app } = require('./app')
const { Cookies } = require('./cookies')
const { StorageGate } = require('./storage-gate')
const { conversionError, checkField, plainError } = require('./errors')

const kConstruct = Symbol('construct')
const sessionsById = new Map()

class Session extends EventEmitter {
  #native
  #gate
  #cookies = null

  constructor (token, nativeSession) {
    if (token !== kConstruct) throw new Error("Session objects cannot be created with 'new'")
    super()
    this.#native = nativeSession
    this.#gate = new StorageGate(nativeSession)
  }

  get cookies () {
    if (this.#cookies === null) {
      this.#cookies = new Cookies(this.#native.cookies(), this.#gate, () => this.#flush())
    }
    return this.#cookies
  }

  // Durable on disk when it resolves; a session whose storage never opened has nothing to write.
  #flush () {
    if (!this.#gate.isOpen) return Promise.resolve()
    return this.#native.flush().then(() => undefined, (error) => { throw plainError(error) })
  }

  get storagePath () {
    return this.#native.storagePath
  }

  getStoragePath () {
    return this.#native.storagePath
  }

  isPersistent () {
    return this.#native.isPersistent()
  }

  // flushStorageData(): writes everything pending to disk (Electron's is fire-and-forget).
  flushStorageData () {
    this.#flush().catch(() => {})
  }
}

function wrap (nativeSession) {
  let ses = sessionsById.get(nativeSession.id)
  if (ses === undefined) {
    ses = new Session(kConstruct, nativeSession)
    sessionsById.set(nativeSession.id, ses)
    app.emit('session-created', ses)
  }
  return ses
}

function readOptions (options, index) {
  if (options === undefined) return { persistSessionCookies: false }
  if (typeof options !== 'object' || options === null) throw conversionError(index, options)
  checkField(options, 'options', 'cache', 'boolean')
  const persistSessionCookies = checkField(options, 'options', 'persistSessionCookies', 'boolean') ?? false
  return { persistSessionCookies }
}

function fromPartition (partition, options) {
  if (typeof partition !== 'string') throw conversionError(0, partition)
  const { persistSessionCookies } = readOptions(options, 1)
  return wrap(native.sessionFromPartition(partition, persistSessionCookies))
}

function fromPath (dir, options) {
  if (typeof dir !== 'string') throw conversionError(0, dir)
  if (dir === '') throw new TypeError('An empty path was specified')
  if (!path.isAbsolute(dir)) throw new TypeError('An absolute path was not provided')
  const { persistSessionCookies } = readOptions(options, 1)
  return wrap(native.sessionFromPath(dir, persistSessionCookies))
}

const session = {
  fromPartition,
  fromPath,
  get defaultSession () {
    return fromPartition('')
  }
}

module.exports = { Session, session }
