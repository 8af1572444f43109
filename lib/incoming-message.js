'use strict'
//! Electron's IncomingMessage: a Readable over a native response body, with Electron's
//! header folding rules. A body that arrived with the head is pushed without a crossing.

const { Readable } = require('node:stream')
const { headerRecord } = require('./url-loader')
const { codedError } = require('./errors')

// Headers Node (and Electron) keep only the first value of.
const discardableDuplicateHeaders = new Set([
  'content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization',
  'proxy-authorization', 'if-modified-since', 'if-unmodified-since', 'from', 'location',
  'max-forwards', 'retry-after', 'etag', 'last-modified', 'server', 'age', 'expires'
])

class IncomingMessage extends Readable {
  #head
  #loader
  #pending
  #done
  #reading = false

  constructor (head, loader) {
    super()
    this.#head = head
    this.#loader = loader
    this.#pending = head.body ?? null
    this.#done = head.done
    loader.onData = (chunk) => {
      this.#reading = false
      if (chunk === null) {
        this.#done = true
        this.push(null)
      } else if (this.push(chunk)) {
        this._read()
      }
    }
    loader.onError = (error) => {
      this.#reading = false
      this.destroy(error)
    }
  }

  get statusCode () { return this.#head.statusCode }
  get statusMessage () { return this.#head.statusMessage }

  get headers () {
    const out = {}
    const cookies = []
    for (const [name, values] of Object.entries(headerRecord(this.#head.pairs))) {
      if (name === 'set-cookie') {
        cookies.push(...values)
        continue
      }
      out[name] = discardableDuplicateHeaders.has(name) ? values[0] : values.join(', ')
    }
    if (cookies.length) out['set-cookie'] = cookies
    return out
  }

  get rawHeaders () {
    const raw = []
    for (const [name, value] of this.#head.pairs) raw.push(name, value)
    return raw
  }

  get httpVersion () { return this.#head.httpVersion }
  get httpVersionMajor () { return Number(this.#head.httpVersion.split('.')[0]) }
  get httpVersionMinor () { return Number(this.#head.httpVersion.split('.')[1]) }
  get rawTrailers () { throw codedError('HTTP trailers are not supported', 'ERR_METHOD_NOT_IMPLEMENTED') }
  get trailers () { throw codedError('HTTP trailers are not supported', 'ERR_METHOD_NOT_IMPLEMENTED') }
  get urlList () { return this.#head.urlList }

  _read () {
    if (this.#pending !== null) {
      const chunk = this.#pending
      this.#pending = null
      if (chunk.length > 0 && !this.push(chunk)) return
    }
    if (this.#done) {
      this.push(null)
      return
    }
    if (this.#reading) return
    this.#reading = true
    this.#loader.read()
  }
}

module.exports = { IncomingMessage }
