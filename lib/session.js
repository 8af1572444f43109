'use strict'
//! Electron's Session class and the `session` namespace (fromPartition, fromPath,
//! defaultSession). One JS object per native session, whatever the route to it.

const { EventEmitter } = require('node:events')
const path = require('node:path')
const native = require('./native')
const { app } = require('./app')
const { onProxySwitches } = require('./command-line')
const { Cookies } = require('./cookies')
const { WebRequest } = require('./web-request')
const { Protocol } = require('./protocol')
const { StorageGate, flushOnExit } = require('./storage-gate')
const { conversionError, checkField, codedError } = require('./errors')
const { checkCallback, withCallback } = require('./callbacks')
const { fetchWithSession } = require('./fetch')
const { networkPresets, emulationConditions } = require('./network-emulation')
const { downloadURL, createInterruptedDownload } = require('./download')
const { requestFlags } = require('./request-flags')
const { permissionsOf } = require('./permissions')
const { adaptVerifyProc } = require('./verify-proc')

const kConstruct = Symbol('construct')
const sessionsById = new Map()

// What a header value may not hold (Chromium's HttpUtil::IsValidHeaderValue).
const INVALID_HEADER_VALUE = /[\r\n\0]/

// A PAC script that could not be loaded is a process warning (the core words it, without
// credentials); requests go direct meanwhile.
function warnOfPac (warning) {
  if (warning !== null) process.emitWarning(`headless-session: ${warning}`)
}

// An origin as clearData takes it; an opaque one is Electron's TypeError.
function originOf (text) {
  let origin
  try { origin = new URL(text).origin } catch {}
  if (origin === undefined || origin === 'null') throw codedError(`Invalid origin: '${text}'`, 'ERR_INVALID_ARG_VALUE', TypeError)
  return origin
}

class Session extends EventEmitter {
  #native
  #gate
  #cookies = null
  #webRequest = null
  #protocol = null
  #downloadPath = null
  #persistent

  constructor (token, nativeSession) {
    if (token !== kConstruct) throw codedError("Session objects cannot be created with 'new'", 'ERR_ILLEGAL_CONSTRUCTOR')
    super()
    this.#native = nativeSession
    this.#persistent = nativeSession.isPersistent()
    this.#gate = new StorageGate(nativeSession)
  }

  get protocol () {
    if (this.#protocol === null) this.#protocol = new Protocol(this.#native, this)
    return this.#protocol
  }

  get webRequest () {
    if (this.#webRequest === null) this.#webRequest = new WebRequest(this.#native)
    return this.#webRequest
  }

  get cookies () {
    if (this.#cookies === null) {
      this.#cookies = new Cookies(this.#native.cookies(), this.#gate, () => this.#flush())
    }
    return this.#cookies
  }

  // Durable on disk when it resolves: after every operation asked for before it. A session
  // never used has nothing to write; one whose storage could not open rejects with why
  // (trying to open it again first), so a flush never vouches for refused writes.
  #flush () {
    // Requests may have opened storage without the gate (cookies from responses): the
    // native flush covers those, and answers at once for a session never opened.
    const asked = this.#gate.wasAsked ? this.#gate.run(() => undefined) : Promise.resolve()
    return asked
      .then(() => this.#native.flush())
      .then(() => undefined)
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

  // Internal: a native request on this session (ClientRequest and fetch build on it).
  // options: { method, url, headers: [name, value, ...], body, chunked, followRedirects,
  // useCookies, uploadProgress, promptAuth, bypassCustomProtocolHandlers, credentials,
  // origin, priority (an urgency), priorityIncremental, cache (a Fetch cache mode),
  // keepBody, resourceType, webContentsId }, passed positionally (each object field read
  // would cross).
  _nativeRequest (o) {
    if (this.#persistent) flushOnExit()
    return this.#native.request(o.method, o.url, o.headers.join('\0'), o.body, requestFlags(o), o.origin ?? '', o.resourceType ?? '', o.webContentsId ?? 0)
  }

  fetch (input, init) {
    return fetchWithSession(input, init, this)
  }

  setUserAgent (userAgent, acceptLanguages) {
    if (typeof userAgent !== 'string') throw conversionError(0, userAgent)
    if (acceptLanguages !== undefined && typeof acceptLanguages !== 'string') throw conversionError(1, acceptLanguages)
    // Both go out as header values: one that could not be sent is refused now, not by every
    // later request.
    if (INVALID_HEADER_VALUE.test(userAgent)) throw codedError('The user agent contains a CR, LF or NUL character', 'ERR_INVALID_CHAR', TypeError)
    if (acceptLanguages !== undefined && INVALID_HEADER_VALUE.test(acceptLanguages)) {
      throw codedError('The accept languages contain a CR, LF or NUL character', 'ERR_INVALID_CHAR', TypeError)
    }
    this.#native.setUserAgent(userAgent, acceptLanguages)
  }

  getUserAgent () {
    return this.#native.getUserAgent()
  }

  // Downloads the resource at `url` through this session ('will-download', DownloadItem).
  downloadURL (url, options) {
    downloadURL(this, url, options, () => this._downloadDirectory())
  }

  // Internal: where a download goes when nothing sets its save path.
  _downloadDirectory () {
    return this.#downloadPath ?? app.getPath('downloads')
  }

  // A download an earlier process left interrupted, announced with 'will-download'; its
  // resume() continues it.
  createInterruptedDownload (options) {
    createInterruptedDownload(this, options)
  }

  // Where downloads go when 'will-download' sets no save path (default: the downloads
  // directory, as Electron's).
  setDownloadPath (dir) {
    if (typeof dir !== 'string') throw conversionError(0, dir)
    this.#downloadPath = dir
  }

  // Internal ('certificate-error'): the chain `host` last failed with (or null); accepting it.
  _rejectedCertificate (host) { const json = this.#native.rejectedCertificate(host); return json ? JSON.parse(json) : null }
  _allowCertificate (host, key) { this.#native.allowCertificate(host, key) }

  // Electron's permission handlers (permissions.js; webContents asks them).
  setPermissionRequestHandler (handler) { permissionsOf(this).setRequestHandler(handler) }
  setPermissionCheckHandler (handler) { permissionsOf(this).setCheckHandler(handler) }

  // Chromium DevTools' throttling: offline, latency (ms) and throughputs (bytes per second,
  // 0 = unthrottled) for every network request of this session, running ones too.
  enableNetworkEmulation (options) {
    this.#native.enableNetworkEmulation(...emulationConditions(options))
  }

  disableNetworkEmulation () {
    this.#native.disableNetworkEmulation()
  }

  clearAuthCache () {
    this.#native.clearAuthCache()
    return Promise.resolve()
  }

  // Servers that NTLM and Negotiate may answer with default credentials (NTLM_USER_FILE),
  // as a comma-separated list of Chromium's host patterns ('*example.com, *foobar.com').
  allowNTLMCredentialsForDomains (domains) {
    if (typeof domains !== 'string') throw conversionError(0, domains)
    this.#native.allowNTLMCredentialsForDomains(domains)
  }

  closeAllConnections () {
    this.#native.closeAllConnections()
    return Promise.resolve()
  }

  clearHostResolverCache (callback) {
    this.#native.clearHostResolverCache()
    checkCallback(0, callback)
    return withCallback(Promise.resolve(), callback, () => callback(), () => callback())
  }

  resolveHost (host, options) {
    if (typeof host !== 'string') throw conversionError(0, host)
    if (options !== undefined && (typeof options !== 'object' || options === null)) throw conversionError(1, options)
    const queryType = checkField(options ?? {}, 'options', 'queryType', 'string')
    const cacheUsage = checkField(options ?? {}, 'options', 'cacheUsage', 'string')
    return this.#native.resolveHost(host, queryType, cacheUsage).then(
      (addresses) => ({
        endpoints: addresses.map((address) => ({ address, family: address.includes(':') ? 'ipv6' : 'ipv4' }))
      })
    )
  }

  // setProxy(config[, callback]): Electron's modes and grammars; a bad config rejects and
  // changes nothing. In pac_script mode the script is fetched (data:, file:, http(s):) and
  // loaded before the Promise resolves; until then, and if it fails, requests go direct.
  setProxy (config, callback) {
    if (typeof config !== 'object' || config === null) throw conversionError(0, config)
    checkCallback(1, callback)
    const text = (key) => {
      const value = config[key]
      if (value === undefined || value === null) return ''
      if (typeof value !== 'string') throw codedError(`config.${key} must be a string`, 'ERR_INVALID_ARG_TYPE', TypeError)
      return value
    }
    const mode = config.mode === undefined ? undefined : config.mode
    if (mode !== undefined && typeof mode !== 'string') throw codedError('config.mode must be a string', 'ERR_INVALID_ARG_TYPE', TypeError)
    let promise
    try {
      const args = [mode, text('pacScript'), text('proxyRules'), text('proxyBypassRules')]
      this.#native.setProxy(...args)
      promise = this.#native.loadPac().then(warnOfPac)
    } catch (error) {
      promise = Promise.reject(error)
    }
    return withCallback(promise, callback, () => callback(), () => callback())
  }

  // getCacheSize([callback(size)]): bytes the HTTP cache holds.
  getCacheSize (callback) {
    checkCallback(0, callback)
    return withCallback(this.#native.getCacheSize(), callback, (size) => callback(size), () => callback(0))
  }

  // clearCache([callback]): every stored response dropped; later requests go to the network.
  clearCache (callback) {
    checkCallback(0, callback)
    return withCallback(this.#native.clearCache(), callback, () => callback(), () => callback())
  }

  // clearStorageData([options][, callback]): Electron's storages; `cookies` is real here (for
  // `origin`'s registrable domain when given), the others are accepted (nothing of them is
  // kept); with no `storages`, the HTTP cache goes too.
  clearStorageData (options, callback) {
    if (typeof options === 'function' && callback === undefined) [options, callback] = [undefined, options]
    checkCallback(1, callback)
    if (options !== undefined && (options === null || typeof options !== 'object')) throw conversionError(0, options)
    const origin = checkField(options ?? {}, 'options', 'origin', 'string')
    const storages = options?.storages
    if (storages !== undefined && (!Array.isArray(storages) || !storages.every((s) => typeof s === 'string'))) {
      throw codedError('options.storages must be an array of strings', 'ERR_INVALID_ARG_TYPE', TypeError)
    }
    const wanted = storages?.map((s) => s.toLowerCase())
    const origins = origin === undefined ? null : [originOf(origin)]
    const cookies = wanted === undefined || wanted.includes('cookies')
    const cache = wanted === undefined || wanted.includes('cachestorage')
    return withCallback(this.#native.clearData(cookies, cache, origins, false), callback, () => callback(), () => callback())
  }

  // clearData([options]) (Electron 33+): `cookies` (at the registrable-domain level of the
  // origins, as Electron documents) and `cache` are real; the other data types are accepted.
  clearData (options) {
    if (options !== undefined && (options === null || typeof options !== 'object')) throw conversionError(0, options)
    const o = options ?? {}
    const list = (key) => {
      const value = o[key]
      if (value === undefined) return undefined
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
        throw codedError(`options.${key} must be an array of strings`, 'ERR_INVALID_ARG_TYPE', TypeError)
      }
      return value
    }
    const dataTypes = list('dataTypes')
    const origins = list('origins')
    const excludeOrigins = list('excludeOrigins')
    if (origins !== undefined && excludeOrigins !== undefined) {
      throw codedError("Cannot provide both 'origins' and 'excludeOrigins'", 'ERR_INVALID_ARG_VALUE', TypeError)
    }
    checkField(o, 'options', 'avoidClosingConnections', 'boolean')
    checkField(o, 'options', 'originMatchingMode', 'string')
    const listed = (origins ?? excludeOrigins)?.map(originOf) ?? null
    const cookies = dataTypes === undefined || dataTypes.includes('cookies')
    const cache = dataTypes === undefined || dataTypes.includes('cache')
    return this.#native.clearData(cookies, cache, listed, excludeOrigins !== undefined)
  }

  // clearCodeCaches({ urls }): there are no code caches here; resolves.
  clearCodeCaches (options) {
    if (options === null || typeof options !== 'object') throw conversionError(0, options)
    return Promise.resolve()
  }

  // resolveProxy(url[, callback(proxy)]): Chromium's PAC string for the URL.
  resolveProxy (url, callback) {
    if (typeof url !== 'string') throw conversionError(0, url)
    checkCallback(1, callback)
    let promise
    try {
      promise = this.#native.resolveProxy(url)
    } catch (error) {
      promise = Promise.reject(error)
    }
    return withCallback(promise, callback, (proxy) => callback(proxy), () => callback(''))
  }

  // forceReloadProxyConfig(): the system's settings are read again (mode system), and the
  // PAC script is fetched and loaded again.
  forceReloadProxyConfig () {
    return this.#native.reloadProxyConfig().then(warnOfPac)
  }

  setSSLConfig (config) {
    if (typeof config !== 'object' || config === null) throw conversionError(0, config)
    const versions = ['tls1', 'tls1.1', 'tls1.2', 'tls1.3']
    for (const key of ['minVersion', 'maxVersion']) {
      const value = config[key]
      if (value !== undefined && !versions.includes(value)) {
        throw codedError(`Error processing argument at index 0, conversion failure from ${String(value)}`, 'ERR_INVALID_ARG_TYPE', TypeError)
      }
    }
    const disabled = config.disabledCipherSuites ?? []
    if (!Array.isArray(disabled) || !disabled.every((n) => Number.isInteger(n) && n >= 0 && n <= 0xffff)) {
      throw codedError('disabledCipherSuites must be an array of cipher suite numbers', 'ERR_INVALID_ARG_TYPE', TypeError)
    }
    this.#native.setSslConfig(config.minVersion, config.maxVersion, disabled)
  }

  setCertificateVerifyProc (proc) {
    if (proc === null || proc === undefined) {
      this.#native.setCertificateVerifyProc(null)
      return
    }
    if (typeof proc !== 'function') throw conversionError(0, proc)
    this.#native.setCertificateVerifyProc(adaptVerifyProc(proc))
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
  if (options === undefined) return { persistSessionCookies: false, cache: true }
  if (typeof options !== 'object' || options === null) throw conversionError(index, options)
  const cache = checkField(options, 'options', 'cache', 'boolean') ?? true
  const persistSessionCookies = checkField(options, 'options', 'persistSessionCookies', 'boolean') ?? false
  return { persistSessionCookies, cache }
}

function fromPartition (partition, options) {
  if (typeof partition !== 'string') throw conversionError(0, partition)
  const { persistSessionCookies, cache } = readOptions(options, 1)
  return wrap(native.sessionFromPartition(partition, persistSessionCookies, cache))
}

function fromPath (dir, options) {
  if (typeof dir !== 'string') throw conversionError(0, dir)
  if (dir === '') throw codedError('An empty path was specified', 'ERR_INVALID_ARG_VALUE', TypeError)
  if (!path.isAbsolute(dir)) throw codedError('An absolute path was not provided', 'ERR_INVALID_ARG_VALUE', TypeError)
  const { persistSessionCookies, cache } = readOptions(options, 1)
  return wrap(native.sessionFromPath(dir, persistSessionCookies, cache))
}

const session = {
  fromPartition,
  fromPath,
  networkPresets,
  get defaultSession () {
    return fromPartition('')
  }
}

// The Chromium proxy switches on app.commandLine configure the default session.
onProxySwitches(app.commandLine, (switches) => {
  const ses = session.defaultSession
  if (switches.has('no-proxy-server')) return ses.setProxy({ mode: 'direct' })
  if (switches.has('proxy-pac-url')) return ses.setProxy({ mode: 'pac_script', pacScript: switches.get('proxy-pac-url') })
  if (switches.has('proxy-server')) {
    return ses.setProxy({ mode: 'fixed_servers', proxyRules: switches.get('proxy-server'), proxyBypassRules: switches.get('proxy-bypass-list') ?? '' })
  }
  return ses.setProxy({ mode: 'direct' })
})

module.exports = { Session, session }
