'use strict'
//! `ses.cookies`: Electron's Cookies class (get, set, remove, flushStore, 'changed').

const { EventEmitter } = require('node:events')
const { CookieArg } = require('./native')
const { conversionError, fieldTypeError } = require('./errors')
const { checkCallback, withCallback } = require('./callbacks')
const { decodeCookies } = require('./cookie-wire')

// Field checks, one per type: each reads its property by name at its own call site (a
// shared keyed read of several names is megamorphic, and costs more than the cookie work).
function text (owner, field, value) {
  if (value !== undefined && typeof value !== 'string') throw fieldTypeError(owner, field, 'a string', value)
  return value
}
function flag (owner, field, value) {
  if (value !== undefined && typeof value !== 'boolean') throw fieldTypeError(owner, field, 'a boolean', value)
  return value
}
function number (owner, field, value) {
  if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) throw fieldTypeError(owner, field, 'a finite number', value)
  return value
}

// A boolean option as two CookieArg bits: given, and its value.
function bits (value, given, set) {
  return value === undefined ? 0 : value ? given | set : given
}

const kChanged = 'changed'

class Cookies extends EventEmitter {
  #native
  #raw
  #gate
  #flush

  constructor (nativeCookies, gate, flush) {
    super()
    this.#native = nativeCookies
    this.#raw = nativeCookies.rawCalls()
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
    const url = text('filter', 'url', filter.url)
    const name = text('filter', 'name', filter.name)
    const domain = text('filter', 'domain', filter.domain)
    const path = text('filter', 'path', filter.path)
    const flags = bits(flag('filter', 'secure', filter.secure), CookieArg.SecureGiven, CookieArg.Secure) |
      bits(flag('filter', 'session', filter.session), CookieArg.SessionGiven, CookieArg.Session) |
      bits(flag('filter', 'httpOnly', filter.httpOnly), CookieArg.HttpOnlyGiven, CookieArg.HttpOnly)
    const raw = this.#raw
    const promise = this.#call(() => decodeCookies(raw.get(url, name, domain, path, flags)))
    return withCallback(promise, callback, (cookies) => callback(null, cookies), (error) => callback(error, []))
  }

  // set(details[, callback(error)]) -> Promise<void>
  set (details, callback) {
    if (typeof details !== 'object' || details === null) throw conversionError(0, details)
    checkCallback(1, callback)
    const url = text('details', 'url', details.url)
    const name = text('details', 'name', details.name)
    const value = text('details', 'value', details.value)
    const domain = text('details', 'domain', details.domain)
    const path = text('details', 'path', details.path)
    const flags = bits(flag('details', 'secure', details.secure), CookieArg.SecureGiven, CookieArg.Secure) |
      bits(flag('details', 'httpOnly', details.httpOnly), CookieArg.HttpOnlyGiven, CookieArg.HttpOnly)
    const expirationDate = number('details', 'expirationDate', details.expirationDate)
    const sameSite = text('details', 'sameSite', details.sameSite)
    const creationDate = number('details', 'creationDate', details.creationDate)
    const lastAccessDate = number('details', 'lastAccessDate', details.lastAccessDate)
    const texts = `${name ?? ''}\0${value ?? ''}\0${domain ?? ''}\0${path ?? ''}`
    const raw = this.#raw
    const promise = this.#call(() => {
      raw.set(url, texts, flags, sameSite, expirationDate, creationDate, lastAccessDate)
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
