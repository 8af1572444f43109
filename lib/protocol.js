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
const ERR_NOT_IMPLEMENTED = native.netErrorNumber('ERR_NOT_IMPLEMENTED')
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

// ---- the legacy register*/intercept* answers, as electron_url_loader_factory.cc takes them

// The object an answer is read as (gin's ToDict: an object that is not a function), or null.
function answerObject (response) {
  return response !== null && typeof response === 'object' ? response : null
}

// ToResponseHead: the status (200 unless statusCode is a number), the valid headers (a
// string, or each string of an array, per line), and Content-Type from mimeType when the
// headers have none.
function legacyHead (dict) {
  const head = { status: 200, headers: [] }
  if (dict === null) return head
  if (typeof dict.statusCode === 'number') head.status = dict.statusCode
  let hasContentType = false
  if (dict.headers !== null && typeof dict.headers === 'object') {
    for (const [name, value] of Object.entries(dict.headers)) {
      if (!validHeaderName.test(name)) continue
      const values = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === 'string') : null
      if (values === null) continue
      for (const v of values) if (!/[\0\r\n]/.test(v)) head.headers.push([name, v])
      if (name.toLowerCase() === 'content-type') hasContentType = true
    }
  }
  if (typeof dict.mimeType === 'string' && !hasContentType) head.headers.push(['content-type', dict.mimeType])
  return head
}
const validHeaderName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

// The pairs as respond() takes them (repeated names as arrays).
function headerObject (pairs) {
  const out = {}
  for (const [name, value] of pairs) (out[name] ??= []).push(value)
  return out
}

// SendContents: a string or bytes, with Access-Control-Allow-Origin: * as Electron adds.
function sendContents (id, head, data) {
  head.headers.push(['Access-Control-Allow-Origin', '*'])
  return respond(id, head.status, '', headerObject(head.headers), data)
}

// Electron's LooksLikeStream: null, undefined, or an object with on and removeListener.
function looksLikeStream (value) {
  return value == null || (typeof value === 'object' && typeof value.on === 'function' && typeof value.removeListener === 'function')
}

// NodeStreamLoader reads Buffers; any other chunk counts as a read that yielded nothing.
async function * buffersOf (stream) {
  const readable = typeof stream[Symbol.asyncIterator] === 'function' ? stream : new Readable({ objectMode: true }).wrap(stream)
  for await (const chunk of readable) if (ArrayBuffer.isView(chunk)) yield chunk
}

// StartLoadingStream: `data` (or the answer itself) as a stream; null or undefined data is
// an empty body.
function startStream (id, head, dict) {
  const stream = 'data' in dict ? dict.data : dict
  if (stream == null) return respond(id, head.status, '', headerObject(head.headers), null)
  if (!looksLikeStream(stream)) return native.netProtocolFail(id, ERR_FAILED)
  return respond(id, head.status, '', headerObject(head.headers), buffersOf(stream))
}

// StartLoadingFile: the file through the core's file: loader (Range and 206 included), the
// answer's headers and Access-Control-Allow-Origin: * added.
async function startFile (ses, call, head, file) {
  const range = Object.entries(call.headers).find(([n]) => n.toLowerCase() === 'range')
  const res = await ses.fetch(pathToFileURL(path.resolve(file)).href, { bypassCustomProtocolHandlers: true, headers: range ? { Range: range[1] } : {} })
    .catch(() => null)
  if (res === null) return native.netProtocolFail(call.id, ERR_FILE_NOT_FOUND)
  const pairs = [...res.headers, ...head.headers, ['Access-Control-Allow-Origin', '*']]
  return respond(call.id, res.status, res.statusText, headerObject(pairs), res.body)
}

// StartLoadingHttp: the answer's url fetched with the answer's (or the request's) method.
async function startHttp (ses, call, dict) {
  const via = dict.session ?? ses
  const method = typeof dict.method === 'string' ? dict.method : call.method
  const upload = method !== 'GET' && method !== 'HEAD' ? dict.uploadData : undefined
  const res = await via.fetch(dict.url, {
    method,
    body: upload?.data ?? undefined,
    headers: upload?.contentType ? { 'Content-Type': upload.contentType } : undefined
  }).catch((error) => error)
  if (res instanceof Error) return native.netProtocolFail(call.id, ERR_FAILED)
  return respond(call.id, res.status, res.statusText, Object.fromEntries(res.headers), res.body)
}

const isValidUrl = (value) => {
  try { return typeof value === 'string' && new URL(value) !== null } catch { return false }
}

// StartLoading: a register* callback's answer (`args`, as the callback got them) by the kind
// of protocol. Nothing at all is ERR_NOT_IMPLEMENTED; `{ error }` fails with that error; a
// redirect status with Location is followed by the core; an answer of the wrong shape is
// ERR_FAILED (or ERR_NOT_IMPLEMENTED where Electron needs an object and got none).
async function answerLegacy (type, ses, call, args) {
  const fail = (code) => native.netProtocolFail(call.id, code)
  if (args.length === 0) return fail(ERR_NOT_IMPLEMENTED)
  const response = args[0]
  const dict = answerObject(response)
  if (dict !== null && Number.isInteger(dict.error)) return fail(dict.error)
  const head = legacyHead(dict)
  // A redirect goes before anything else, whatever the kind (the core follows it).
  if (head.status >= 300 && head.status < 400 && head.headers.some(([n]) => n.toLowerCase() === 'location')) {
    return respond(call.id, head.status, '', headerObject(head.headers), null)
  }
  if (dict === null && (type === 'buffer' || type === 'http' || type === 'stream')) return fail(ERR_NOT_IMPLEMENTED)
  switch (type) {
    case 'buffer': {
      const data = ArrayBuffer.isView(response) ? response : dict !== null && ArrayBuffer.isView(dict.data) ? dict.data : null
      return data === null ? fail(ERR_FAILED) : sendContents(call.id, head, toBuffer(data))
    }
    case 'string': {
      const data = typeof response === 'string' ? response : dict !== null && typeof dict.data === 'string' ? dict.data : null
      return data === null ? fail(ERR_FAILED) : sendContents(call.id, head, data)
    }
    case 'file': {
      const file = typeof response === 'string' ? response : dict !== null && typeof dict.path === 'string' ? dict.path : null
      return file === null ? fail(ERR_FAILED) : startFile(ses, call, head, file)
    }
    case 'http':
      return isValidUrl(dict.url) ? startHttp(ses, call, dict) : fail(ERR_FAILED)
    case 'stream':
      return startStream(call.id, head, dict)
    default: { // registerProtocol: the kind inferred from the answer
      const data = dict !== null && 'data' in dict ? dict.data : response
      if (ArrayBuffer.isView(data)) return sendContents(call.id, head, toBuffer(data))
      if (typeof data === 'string') return sendContents(call.id, head, data)
      if (looksLikeStream(data) && data != null) return startStream(call.id, head, dict)
      if (dict !== null && isValidUrl(dict.url)) return startHttp(ses, call, dict)
      if (dict !== null && typeof dict.path === 'string') return startFile(ses, call, head, dict.path)
      return fail(ERR_FAILED)
    }
  }
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
  const callback = (...args) => {
    if (answered) return
    answered = true
    answerLegacy(entry.type, protocol._session, call, args).catch(() => native.netProtocolFail(call.id, ERR_FAILED))
  }
  try {
    entry.handler(legacyRequest(call), callback)
  } catch (error) {
    console.error(error)
    if (!answered) native.netProtocolFail(call.id, ERR_UNEXPECTED)
  }
}

// ---- sources -------------------------------------------------------------------------------

// registerSource's routes checked and put as the core takes them (Electron's ProtocolRoute:
// { match?: { host?, path? }, source: { type: 'directory', root, index?, headers? } }).
function sourceRoutes (source) {
  const fail = (message, code = 'ERR_INVALID_ARG_TYPE') => { throw codedError(message, code, TypeError) }
  if (source === null || typeof source !== 'object' || !Array.isArray(source.routes)) fail('source.routes must be an array')
  return source.routes.map((route, i) => {
    const at = `source.routes[${i}]`
    if (route === null || typeof route !== 'object') fail(`${at} must be an object`)
    const match = route.match ?? {}
    if (typeof match !== 'object') fail(`${at}.match must be an object`)
    if (match.host !== undefined && typeof match.host !== 'string') fail(`${at}.match.host must be a string`)
    const routePath = match.path ?? '/'
    if (typeof routePath !== 'string') fail(`${at}.match.path must be a string`)
    if (!routePath.startsWith('/')) fail(`${at}.match.path must start with '/'`, 'ERR_INVALID_ARG_VALUE')
    const dir = route.source
    if (dir === null || typeof dir !== 'object') fail(`${at}.source must be an object`)
    if (dir.type !== 'directory') fail(`${at}.source.type must be 'directory'`, 'ERR_INVALID_ARG_VALUE')
    if (typeof dir.root !== 'string') fail(`${at}.source.root must be a string`)
    if (!path.isAbsolute(dir.root)) fail(`${at}.source.root must be an absolute path`, 'ERR_INVALID_ARG_VALUE')
    const index = dir.index ?? 'index.html'
    if (typeof index !== 'string') fail(`${at}.source.index must be a string`)
    const headers = []
    if (dir.headers !== undefined) {
      if (dir.headers === null || typeof dir.headers !== 'object') fail(`${at}.source.headers must be an object`)
      for (const [name, value] of Object.entries(dir.headers)) {
        if (typeof value !== 'string') fail(`${at}.source.headers['${name}'] must be a string`)
        if (!validHeaderName.test(name) || /[\0\r\n]/.test(value)) fail(`${at}.source.headers['${name}'] is not a valid header`, 'ERR_INVALID_ARG_VALUE')
        headers.push(name, value)
      }
    }
    return { host: match.host?.toLowerCase(), path: routePath, root: path.resolve(dir.root), index, headers }
  })
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
  #sources = new Map()

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
    if (table.has(scheme) || this.#sources.has(scheme)) throw codedError(`Failed to register protocol: ${scheme}`, 'ERR_INVALID_STATE')
    table.set(scheme, { type: 'handle', handler })
    this.#sync(scheme)
  }

  // registerSource(scheme, { routes }): the scheme served from directories by the core,
  // no JS involved (Electron 45, experimental). A scheme has a handler or a source.
  registerSource (scheme, source) {
    scheme = checkScheme(scheme)
    const routes = sourceRoutes(source)
    const table = isBuiltInScheme(scheme) ? this.#intercepted : this.#registered
    if (table.has(scheme) || this.#sources.has(scheme)) throw codedError(`Failed to register protocol: ${scheme}`, 'ERR_INVALID_STATE')
    this.#native.protocolSetSource(scheme, routes)
    this.#sources.set(scheme, structuredClone({ routes: source.routes }))
  }

  getSource (scheme) {
    const source = this.#sources.get(checkScheme(scheme))
    return source === undefined ? null : structuredClone(source)
  }

  unhandle (scheme) {
    scheme = checkScheme(scheme)
    if (this.#sources.delete(scheme)) {
      this.#native.protocolSetSource(scheme, null)
      return
    }
    const table = isBuiltInScheme(scheme) ? this.#intercepted : this.#registered
    if (!table.delete(scheme)) throw codedError(`Failed to unhandle protocol: ${scheme}`, 'ERR_INVALID_STATE')
    this.#sync(scheme)
  }

  isProtocolHandled (scheme) {
    scheme = checkScheme(scheme)
    return (isBuiltInScheme(scheme) ? this.#intercepted : this.#registered).has(scheme) || this.#sources.has(scheme)
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
