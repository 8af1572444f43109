'use strict'
//! Electron's Protocol (`ses.protocol`, and `protocol` for the default session): `handle`
//! with WHATWG Request in and Response out, and the legacy register*/intercept* family with
//! its return values and callback shapes. Handlers are per session. The core only learns
//! which schemes this session serves; a request for one arrives here through the batched
//! event channel and is answered with its head (and the first body piece), then the rest of
//! a streamed body, one acknowledged piece at a time.

const path = require('node:path')
const { Readable } = require('node:stream')
const { pathToFileURL } = require('node:url')
const native = require('./native')
const { conversionError, codedError } = require('./errors')
const { expectEvent, onEvents } = require('./event-channel')

const { EventKind } = native

// Chromium's numbers, from the native error table.
const ERR_FAILED = native.netErrorNumber('ERR_FAILED')
const ERR_UNEXPECTED = native.netErrorNumber('ERR_UNEXPECTED')
const ERR_UNKNOWN_URL_SCHEME = native.netErrorNumber('ERR_UNKNOWN_URL_SCHEME')
const ERR_FILE_NOT_FOUND = native.netErrorNumber('ERR_FILE_NOT_FOUND')
const isBuiltInScheme = (scheme) => ['http', 'https', 'file'].includes(scheme)

const protocolsBySession = new Map()
const standardSchemes = new Set()

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

// ---- sending a response back -------------------------------------------------------------

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

// ---- the two handler shapes ---------------------------------------------------------------

function validateResponse (res) {
  if (!res || typeof res !== 'object') return false
  if (res.type === 'error') return true
  const exists = (key) => Object.hasOwn(res, key)
  if (exists('status') && typeof res.status !== 'number') return false
  if (exists('statusText') && typeof res.statusText !== 'string') return false
  if (exists('headers') && typeof res.headers !== 'object') return false
  if (exists('body')) {
    if (typeof res.body !== 'object') return false
    if (res.body !== null && !(res.body instanceof ReadableStream)) return false
  }
  return true
}

async function callHandle (handler, call) {
  const headers = new Headers(call.headers)
  if (headers.get('origin') === 'null') headers.delete('origin')
  let res
  try {
    const req = new Request(call.url, { headers, method: call.method, body: call.body ?? null })
    res = await handler(req)
  } catch (error) {
    console.error(error)
    return native.netProtocolFail(call.id, ERR_UNEXPECTED)
  }
  if (!validateResponse(res)) return native.netProtocolFail(call.id, ERR_UNEXPECTED)
  if (res.type === 'error') return native.netProtocolFail(call.id, ERR_FAILED)
  const pairs = []
  if (res.headers) for (const [name, value] of res.headers) pairs.push([name, value])
  return respond(call.id, res.status ?? 200, res.statusText ?? '', Object.fromEntries(pairs), res.body ?? null)
}

// The legacy ProtocolRequest.
function legacyRequest (call) {
  const request = { url: call.url, referrer: call.headers.Referer ?? call.headers.referer ?? '', method: call.method, headers: call.headers }
  if (call.body) request.uploadData = [{ type: 'rawData', bytes: call.body }]
  return request
}

// Turns a legacy callback's answer into a response, by the kind of register* call.
async function answerLegacy (type, ses, call, result) {
  if (result && typeof result === 'object' && !Buffer.isBuffer(result) && !(result instanceof Readable) && Number.isInteger(result.error)) {
    return native.netProtocolFail(call.id, result.error)
  }
  const object = result !== null && typeof result === 'object' && !Buffer.isBuffer(result) && !(result instanceof Readable) ? result : null
  const headers = { ...(object?.headers ?? {}) }
  const status = object?.statusCode ?? 200
  const typeFrom = (mime) => {
    const mimeType = object?.mimeType ?? mime
    if (mimeType && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = object?.charset ? `${mimeType}; charset=${object.charset}` : mimeType
    }
  }
  const kind = type === 'protocol'
    ? (object?.path !== undefined ? 'file' : object?.url !== undefined ? 'http' : (object?.data instanceof Readable || result instanceof Readable) ? 'stream' : 'buffer')
    : type
  if (kind === 'file') {
    const file = typeof result === 'string' ? result : object?.path
    if (typeof file !== 'string') return native.netProtocolFail(call.id, ERR_FAILED)
    const range = Object.entries(call.headers).find(([n]) => n.toLowerCase() === 'range')
    const res = await ses.fetch(pathToFileURL(path.resolve(file)).href, { bypassCustomProtocolHandlers: true, headers: range ? { Range: range[1] } : {} })
      .catch(() => null)
    if (res === null) return native.netProtocolFail(call.id, ERR_FILE_NOT_FOUND)
    const merged = Object.fromEntries(res.headers)
    Object.assign(merged, headers)
    return respond(call.id, object?.statusCode ?? res.status, res.statusText, merged, res.body)
  }
  if (kind === 'http') {
    const target = object
    if (!target || typeof target.url !== 'string') return native.netProtocolFail(call.id, ERR_FAILED)
    const via = target.session ?? ses
    const res = await via.fetch(target.url, {
      method: target.method ?? call.method,
      body: target.uploadData?.data ?? undefined,
      headers: target.uploadData?.contentType ? { 'Content-Type': target.uploadData.contentType } : undefined
    }).catch((error) => error)
    if (res instanceof Error) return native.netProtocolFail(call.id, ERR_FAILED)
    return respond(call.id, res.status, res.statusText, Object.fromEntries(res.headers), res.body)
  }
  if (kind === 'stream') {
    const data = result instanceof Readable ? result : object?.data
    if (!(data instanceof Readable)) return native.netProtocolFail(call.id, ERR_FAILED)
    return respond(call.id, status, '', headers, data)
  }
  const data = object ? object.data : result
  if (kind === 'string') {
    if (data != null && typeof data !== 'string') return native.netProtocolFail(call.id, ERR_FAILED)
    typeFrom('text/plain')
    return respond(call.id, status, '', headers, data ?? '')
  }
  if (data != null && !Buffer.isBuffer(data) && !(data instanceof Uint8Array) && typeof data !== 'string') {
    return native.netProtocolFail(call.id, ERR_FAILED)
  }
  typeFrom(undefined)
  return respond(call.id, status, '', headers, data ?? null)
}

// Called by the event channel for each request to a handled scheme.
function onProtocolCall (event) {
  const protocol = protocolsBySession.get(event.sessionId)
  const headers = {}
  if (event.headers) {
    const parts = event.headers.split('\0')
    for (let i = 0; i + 1 < parts.length; i += 2) headers[parts[i]] = parts[i + 1]
  }
  const call = { id: event.id, url: event.url, method: event.method, headers, body: event.body ?? null }
  const scheme = new URL(event.url).protocol.slice(0, -1)
  const entry = protocol?._entryFor(scheme)
  if (entry === undefined) return native.netProtocolFail(event.id, ERR_UNKNOWN_URL_SCHEME)
  if (entry.type === 'handle') {
    callHandle(entry.handler, call)
    return
  }
  let answered = false
  const callback = (result) => {
    if (answered) return
    answered = true
    answerLegacy(entry.type, protocol._session, call, result).catch(() => native.netProtocolFail(call.id, ERR_FAILED))
  }
  try {
    entry.handler(legacyRequest(call), callback)
  } catch (error) {
    console.error(error)
    if (!answered) native.netProtocolFail(call.id, ERR_UNEXPECTED)
  }
}

// ---- the Protocol class -------------------------------------------------------------------

function checkScheme (scheme) {
  if (typeof scheme !== 'string') throw conversionError(0, scheme)
  return scheme.toLowerCase()
}

class Protocol {
  #native
  #registered = new Map()
  #intercepted = new Map()

  constructor (nativeSession, session) {
    this.#native = nativeSession
    this._session = session
    protocolsBySession.set(nativeSession.id, this)
  }

  _entryFor (scheme) {
    return this.#intercepted.get(scheme) ?? (isBuiltInScheme(scheme) ? undefined : this.#registered.get(scheme))
  }

  #sync (scheme) {
    this.#native.protocolSetHandled(scheme, this._entryFor(scheme) !== undefined)
  }

  #add (table, type, scheme, handler, completion) {
    scheme = checkScheme(scheme)
    if (typeof handler !== 'function') throw conversionError(1, handler)
    const added = !table.has(scheme)
    if (added) {
      table.set(scheme, { type, handler })
      this.#sync(scheme)
    }
    if (typeof completion === 'function') {
      const error = added ? null : codedError(table === this.#registered ? 'The scheme has been registered' : 'The scheme has been intercepted', 'ERR_INVALID_STATE')
      queueMicrotask(() => completion(error))
    }
    return added
  }

  #remove (table, scheme, completion) {
    scheme = checkScheme(scheme)
    const removed = table.delete(scheme)
    if (removed) this.#sync(scheme)
    if (typeof completion === 'function') {
      const error = removed ? null : codedError(table === this.#registered ? 'The scheme has not been registered' : 'The scheme has not been intercepted', 'ERR_INVALID_STATE')
      queueMicrotask(() => completion(error))
    }
    return removed
  }

  registerProtocol (scheme, handler) { return this.#add(this.#registered, 'protocol', scheme, handler) }
  registerStringProtocol (scheme, handler, completion) { return this.#add(this.#registered, 'string', scheme, handler, completion) }
  registerBufferProtocol (scheme, handler, completion) { return this.#add(this.#registered, 'buffer', scheme, handler, completion) }
  registerFileProtocol (scheme, handler, completion) { return this.#add(this.#registered, 'file', scheme, handler, completion) }
  registerHttpProtocol (scheme, handler, completion) { return this.#add(this.#registered, 'http', scheme, handler, completion) }
  registerStreamProtocol (scheme, handler, completion) { return this.#add(this.#registered, 'stream', scheme, handler, completion) }
  interceptProtocol (scheme, handler) { return this.#add(this.#intercepted, 'protocol', scheme, handler) }
  interceptStringProtocol (scheme, handler, completion) { return this.#add(this.#intercepted, 'string', scheme, handler, completion) }
  interceptBufferProtocol (scheme, handler, completion) { return this.#add(this.#intercepted, 'buffer', scheme, handler, completion) }
  interceptFileProtocol (scheme, handler, completion) { return this.#add(this.#intercepted, 'file', scheme, handler, completion) }
  interceptHttpProtocol (scheme, handler, completion) { return this.#add(this.#intercepted, 'http', scheme, handler, completion) }
  interceptStreamProtocol (scheme, handler, completion) { return this.#add(this.#intercepted, 'stream', scheme, handler, completion) }
  unregisterProtocol (scheme, completion) { return this.#remove(this.#registered, scheme, completion) }
  uninterceptProtocol (scheme, completion) { return this.#remove(this.#intercepted, scheme, completion) }
  isProtocolRegistered (scheme) { return this.#registered.has(checkScheme(scheme)) }
  isProtocolIntercepted (scheme) { return this.#intercepted.has(checkScheme(scheme)) }

  handle (scheme, handler) {
    scheme = checkScheme(scheme)
    if (typeof handler !== 'function') throw conversionError(1, handler)
    const table = isBuiltInScheme(scheme) ? this.#intercepted : this.#registered
    if (table.has(scheme)) throw codedError(`Failed to register protocol: ${scheme}`, 'ERR_INVALID_STATE')
    table.set(scheme, { type: 'handle', handler })
    this.#sync(scheme)
  }

  unhandle (scheme) {
    scheme = checkScheme(scheme)
    const table = isBuiltInScheme(scheme) ? this.#intercepted : this.#registered
    if (!table.delete(scheme)) throw codedError(`Failed to unhandle protocol: ${scheme}`, 'ERR_INVALID_STATE')
    this.#sync(scheme)
  }

  isProtocolHandled (scheme) {
    scheme = checkScheme(scheme)
    return (isBuiltInScheme(scheme) ? this.#intercepted : this.#registered).has(scheme)
  }
}

// `protocol.registerSchemesAsPrivileged(customSchemes)`: remembered (standard schemes parse
// as `scheme://host/path` in webRequest filters).
function registerSchemesAsPrivileged (customSchemes) {
  if (!Array.isArray(customSchemes)) throw conversionError(0, customSchemes)
  for (const entry of customSchemes) {
    if (!entry || typeof entry.scheme !== 'string') throw codedError('Each custom scheme needs a scheme string', 'ERR_INVALID_ARG_TYPE', TypeError)
    if (entry.privileges?.standard) standardSchemes.add(entry.scheme.toLowerCase())
  }
  native.setStandardSchemes([...standardSchemes])
}

function getStandardSchemes () {
  return [...standardSchemes]
}

onEvents([EventKind.Protocol], onProtocolCall)
onEvents([EventKind.ProtocolWritten], onWritten, { counted: true })

module.exports = { Protocol, registerSchemesAsPrivileged, getStandardSchemes }
