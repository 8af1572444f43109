'use strict'
//! Lazy storage for a session: the first operation opens storage off the JS thread; once
//! open, operations run synchronously and answer with a settled Promise. Operations issued
//! while opening run in call order after it.

const native = require('./native')

// A normal exit flushes what sled's background thread has not written yet (it flushes every
// 200 ms); process-wide sessions are never dropped, so nothing else would.
let exitHookInstalled = false
function flushOnExit () {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    try {
      native.flushAllStorage()
    } catch (error) {
      process.emitWarning(`headless-session: flushing storage at exit failed: ${error.message}`)
    }
  })
}

class StorageGate {
  #native
  #open = false
  #opening = null
  #queued = 0
  #asked = false

  constructor (nativeSession) {
    this.#native = nativeSession
  }

  // Runs `operation` (synchronous native work) once storage is open; returns a Promise of
  // its result, rejected with what it throws (native errors carry their code).
  run (operation) {
    this.#asked = true
    if (this.#open && this.#queued === 0) {
      try {
        return Promise.resolve(operation())
      } catch (error) {
        return Promise.reject(error)
      }
    }
    this.#queued++
    return this.#whenOpen().then(
      () => {
        this.#queued--
        return operation()
      },
      (error) => {
        this.#queued--
        throw error
      }
    )
  }

  // True once storage has opened.
  get isOpen () {
    return this.#open
  }

  // True once any operation was asked for (whether or not storage could open for it).
  get wasAsked () {
    return this.#asked
  }

  #whenOpen () {
    if (this.#opening === null) {
      this.#opening = this.#native.open().then(
        () => {
          this.#open = true
          if (this.#native.isPersistent()) flushOnExit()
        },
        (error) => {
          this.#opening = null // a later call tries again
          throw error
        }
      )
    }
    return this.#opening
  }
}

module.exports = { StorageGate, flushOnExit }
