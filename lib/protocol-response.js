'use strict'
//! A protocol handler's answer sent back to the core: the head with the first body piece,
//! then the rest of a streamed body one acknowledged piece at a time (the core says when a
//! piece is written: `onWritten`, which protocol.js routes from the event channel).

const native = require('./native')
const { expectEvent } = require('./event-channel')

// Chromium's number, from the native error table.
const ERR_FAILED = native.netErrorNumber('ERR_FAILED')

// An HTTP header name (RFC 9110's token).
const validHeaderName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

// Headers (a Headers, or an object of values or arrays) as the core takes them: names and
// values joined with NUL.
function packHeaders (headers) {
  const list = []
  if (headers == null) return ''
  const entries = typeof headers.entries === 'function' && !(headers instanceof Map) && typeof headers.get === 'function'
    ? [...headers.entries()]
    : Object.entries(headers)
  for (const [name, value] of entries) {
    if (Array.isArray(value)) for (const v of value) list.push(name, String(v))
    else if (value !== undefined) list.push(name, String(value))
  }
  return list.join('\0')
}

// The write each streamed response waits on, by request id.
const writeWaiters = new Map()
function onWritten (event) {
  const resolve = writeWaiters.get(event.id)
  writeWaiters.delete(event.id)
  if (resolve) resolve()
}

function write (id, chunk) {
  return new Promise((resolve) => {
    writeWaiters.set(id, resolve)
    expectEvent()
    native.netProtocolWrite(id, chunk)
  })
}

const toBuffer = (chunk) => (Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))

async function respond (id, statusCode, statusText, headers, body) {
  const packed = packHeaders(headers)
  if (body == null) return native.netProtocolRespond(id, statusCode, statusText, packed, undefined, false)
  if (typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer) {
    return native.netProtocolRespond(id, statusCode, statusText, packed, toBuffer(body instanceof ArrayBuffer ? new Uint8Array(body) : body), false)
  }
  const iterator = body[Symbol.asyncIterator]()
  let first
  try {
    first = await iterator.next()
  } catch {
    return native.netProtocolFail(id, ERR_FAILED)
  }
  if (first.done) return native.netProtocolRespond(id, statusCode, statusText, packed, undefined, false)
  native.netProtocolRespond(id, statusCode, statusText, packed, toBuffer(first.value), true)
  try {
    for (;;) {
      const { value, done } = await iterator.next()
      if (done) break
      await write(id, toBuffer(value))
    }
    native.netProtocolEnd(id, undefined)
  } catch {
    native.netProtocolEnd(id, ERR_FAILED)
  }
}

module.exports = { respond, onWritten, toBuffer, validHeaderName }
