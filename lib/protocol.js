'use strict'
//! Electron's Protocol (`ses.protocol`, and `protocol` for the default session): `handle`
//! with WHATWG Request in and Response out, and the legacy register*/intercept* family with
//! its return values and callback shapes. Handlers are per session. The core only learns
//! which schemes this session serves; a request for one arrives here through the batched
//! event channel and is answered through protocol-response.js; the legacy answers are read
//! in protocol-legacy.js.

const path = require('node:path')
const native = require('./native')
const { conversionError, codedError } = require('./errors')
const { onEvents } = require('./event-channel')
const { respond, onWritten, validHeaderName } = require('./protocol-response')
const { legacyRequest, answerLegacy } = require('./protocol-legacy')

const { EventKind } = native

// Chromium's numbers, from the native error table.
const ERR_FAILED = native.netErrorNumber('ERR_FAILED')
const ERR_UNEXPECTED = native.netErrorNumber('ERR_UNEXPECTED')
const ERR_UNKNOWN_URL_SCHEME = native.netErrorNumber('ERR_UNKNOWN_URL_SCHEME')
const isBuiltInScheme = (scheme) => ['http', 'https', 'file'].includes(scheme)

const protocolsBySession = new Map()
const standardSchemes = new Set()

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
