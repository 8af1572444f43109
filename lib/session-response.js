'use strict'
//! The Response that ses.fetch and net.fetch resolve with: Node's (undici's) Response, with
//! the `url` and `redirected` of the request it answers, and a body that arrived complete
//! (small bodies, cache hits) kept as bytes until someone asks for it as a stream. Building
//! a ReadableStream and reading it back costs more than the rest of a request does on
//! Node 20 (half the time of a cache hit), and most callers only call text()/json()/
//! arrayBuffer(). Every Body member behaves as on a Response built from the bytes: the
//! same values, the same errors, `bodyUsed` and `body` in the same states.

const decoder = new TextDecoder()

// A copy of `bytes` in an ArrayBuffer of its own (the bytes may share a larger buffer).
function ownBuffer (bytes) {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
}

const unusable = () => Promise.reject(new TypeError('Body is unusable: Body has already been read'))

class SessionResponse extends Response {
  #url
  #redirected
  // The whole body while it is only bytes; undefined once a stream stands for it.
  #bytes
  // Whether the bytes were read (text(), json()…).
  #used = false
  // A Response over the bytes, made when a stream is asked for; it then answers for the body.
  #streamed

  // `complete`: `body` is the whole body as bytes (else a stream or null, as for Response).
  constructor (body, init, url, redirected, complete) {
    super(complete ? null : body, init)
    this.#url = url
    this.#redirected = redirected
    if (complete) this.#bytes = body
  }

  get url () { return this.#url }
  get redirected () { return this.#redirected }

  // The Response that holds the body as a stream, made on first need.
  #stream () {
    if (this.#streamed === undefined) {
      this.#streamed = new Response(this.#used ? new Uint8Array(0) : this.#bytes, { headers: this.headers })
      // Read already: its stream is too (locked and closed, as a read Response's).
      if (this.#used) this.#streamed.arrayBuffer().catch(() => {})
      this.#bytes = undefined
    }
    return this.#streamed
  }

  get body () {
    if (this.#bytes === undefined && this.#streamed === undefined) return super.body
    return this.#stream().body
  }

  get bodyUsed () {
    if (this.#bytes !== undefined) return this.#used
    return this.#streamed === undefined ? super.bodyUsed : this.#streamed.bodyUsed
  }

  // The bytes, once: undefined when the body is a stream's to read.
  #take () {
    if (this.#bytes === undefined) return undefined
    if (this.#used) return null
    this.#used = true
    return this.#bytes
  }

  arrayBuffer () {
    const bytes = this.#take()
    if (bytes === undefined) return this.#streamed === undefined ? super.arrayBuffer() : this.#streamed.arrayBuffer()
    return bytes === null ? unusable() : Promise.resolve(ownBuffer(bytes))
  }

  bytes () {
    const bytes = this.#take()
    if (bytes === undefined) return this.#streamed === undefined ? super.bytes() : this.#streamed.bytes()
    return bytes === null ? unusable() : Promise.resolve(new Uint8Array(ownBuffer(bytes)))
  }

  text () {
    const bytes = this.#take()
    if (bytes === undefined) return this.#streamed === undefined ? super.text() : this.#streamed.text()
    return bytes === null ? unusable() : Promise.resolve(decoder.decode(bytes))
  }

  json () {
    const bytes = this.#take()
    if (bytes === undefined) return this.#streamed === undefined ? super.json() : this.#streamed.json()
    if (bytes === null) return unusable()
    try {
      return Promise.resolve(JSON.parse(decoder.decode(bytes)))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  // Rare: read as a Response of the same bytes and headers would read them.
  blob () {
    return this.#bytes === undefined && this.#streamed === undefined ? super.blob() : this.#stream().blob()
  }

  formData () {
    return this.#bytes === undefined && this.#streamed === undefined ? super.formData() : this.#stream().formData()
  }

  clone () {
    const init = { status: this.status, statusText: this.statusText, headers: this.headers }
    if (this.#bytes !== undefined) {
      if (this.#used) throw new TypeError('Response.clone: Body has already been consumed.')
      return new SessionResponse(this.#bytes, init, this.#url, this.#redirected, true)
    }
    const copy = this.#streamed === undefined ? super.clone() : this.#streamed.clone()
    return new SessionResponse(copy.body, init, this.#url, this.#redirected, false)
  }
}

// Node 20's Response has no bytes(): neither has this one there.
if (!('bytes' in Response.prototype)) delete SessionResponse.prototype.bytes

module.exports = { SessionResponse }
