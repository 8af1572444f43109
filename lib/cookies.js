'use strict'
//! `ses.cookies`: Electron's Cookies class (get, set, remove, flushStore, 'changed').

const { EventEmitter } = require('node:events')
const { conversionError, checkField } = require('./errors')
const { checkCallback, withCallback } = require('./callbacks')
const { decodeCookies } = require('./cookie-wire')

const kChanged = 'changed'

class Cookies extends EventEmitter {
  #native
  #gate
  #flush

  constructor (nativeCookies, gate, flush) {
    super()
    this.#native = nativeCookies
    this.#gate = gate
    this.#flush = flush
    // Changes cross from Rust only while someone listens.
    this.on('newListener', (event) => {
      if (event === kChanged && this.listenerCount(kChanged) === 0) {
        this.#native.setChangeListener((json) => this.#emitChange(json))
      }
    })
    this.on('removeListener', (event) => {
      if (event === kChanged && this.listenerCount(kChanged) === 0) {
        this.#native.setChangeListener(null)
      }
    })
  }

  #emitChange (json) {
    const { cookie, cause, removed } = JSON.parse(json)
    this.#emit(cookie, cause, removed)
  }

  #emit (cookie, cause, removed) {
    this.emit(kChanged, { sender: this, preventDefault () {}, defaultPrevented: false }, cookie, cause, removed)
  }

  // Runs a native cookie call through the storage gate, then emits the changes it made
  // (asynchronously, as Electron does; setImmediate keeps the loop alive until they are out).
  #call (operation) {
    return this.#gate.run(() => {
      const result = operation()
      if (this.listenerCount(kChanged) > 0) {
        const changes = this.#native.takeChanges()
        if (changes !== null) {
          setImmediate(() => {
            for (const { cookie, cause, removed } of JSON.parse(changes)) this.#emit(cookie, cause, removed)
          })
        }
      }
      return result
    })
  }

  // get(filter[, callback(error, cookies)]) -> Promise<Cookie[]>
  get (filter, callback) {
    if (typeof filter !== 'object' || filter === null) throw conversionError(0, filter)
    checkCallback(1, callback)
    const url = checkField(filter, 'filter', 'url', 'string')
    const name = checkField(filter, 'filter', 'name', 'string')
    const domain = checkField(filter, 'filter', 'domain', 'string')
    const path = checkField(filter, 'filter', 'path', 'string')
    const secure = checkField(filter, 'filter', 'secure', 'boolean')
    const session = checkField(filter, 'filter', 'session', 'boolean')
    const httpOnly = checkField(filter, 'filter', 'httpOnly', 'boolean')
    const promise = this.#call(() =>
      decodeCookies(this.#native.get(url, name, domain, path, secure, session, httpOnly)))
    return withCallback(promise, callback, (cookies) => callback(null, cookies), (error) => callback(error, []))
  }

  // set(details[, callback(error)]) -> Promise<void>
  set (details, callback) {
    if (typeof details !== 'object' || details === null) throw conversionError(0, details)
    checkCallback(1, callback)
    const url = checkField(details, 'details', 'url', 'string')
    const name = checkField(details, 'details', 'name', 'string')
    const value = checkField(details, 'details', 'value', 'string')
    const domain = checkField(details, 'details', 'domain', 'string')
    const path = checkField(details, 'details', 'path', 'string')
    const secure = checkField(details, 'details', 'secure', 'boolean')
    const httpOnly = checkField(details, 'details', 'httpOnly', 'boolean')
    const expirationDate = checkField(details, 'details', 'expirationDate', 'number')
    const sameSite = checkField(details, 'details', 'sameSite', 'string')
    const creationDate = checkField(details, 'details', 'creationDate', 'number')
    const lastAccessDate = checkField(details, 'details', 'lastAccessDate', 'number')
    const promise = this.#call(() => {
      const texts = `${name ?? ''}\0${value ?? ''}\0${domain ?? ''}\0${path ?? ''}`
      this.#native.set(url, texts, secure, httpOnly, expirationDate, sameSite, creationDate, lastAccessDate)
    })
    return withCallback(promise, callback, () => callback(null), (error) => callback(error))
  }

  // remove(url, name[, callback()]) -> Promise<void>
  remove (url, name, callback) {
    if (typeof url !== 'string') throw conversionError(0, url)
    if (typeof name !== 'string') throw conversionError(1, name)
    checkCallback(2, callback)
    const promise = this.#call(() => { this.#native.remove(url, name) })
    return withCallback(promise, callback, () => callback(), () => callback())
  }

  // flushStore([callback()]) -> Promise<void>: durable on disk when it resolves.
  flushStore (callback) {
    checkCallback(0, callback)
    const promise = this.#flush()
    return withCallback(promise, callback, () => callback(), () => callback())
  }
}

module.exports = { Cookies }
