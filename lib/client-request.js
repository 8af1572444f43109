'use strict'
//! Electron's ClientRequest (net.request): option parsing and header rules with Electron's
//! messages, a Writable request body (buffered, or streamed with chunkedEncoding), and the
//! response/redirect/login/abort/error events, driven by the native request's steps.

const { Writable } = require('node:stream')
const url = require('node:url')
const { EventKind } = require('./native')
const { IncomingMessage } = require('./incoming-message')
const { unpackPairs, unpackRedirects, unpackAuth, headerRecord, usesCookies, Loader } = require('./url-loader')
const { Session, session } = require('./session')
const { codedError } = require('./errors')

const kHttpProtocols = new Set(['http:', 'https:'])
const kAllowNonHttpProtocols = Symbol('kAllowNonHttpProtocols')

// Headers the transport owns; setting them would corrupt the framing of the request.
const restrictedHeaders = new Set([
  'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te',
  'trailer', 'expect', 'proxy-connection'
])

const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const isValidHeaderName = (name) => tokenRe.test(name)
const isValidHeaderValue = (value) => !/[\0\r\n]/.test(value)

function validateHeader (name, value) {
  if (typeof name !== 'string') {
    throw codedError('`name` should be a string in setHeader(name, value)', 'ERR_INVALID_ARG_TYPE', TypeError)
  }
  if (value == null) {
    throw codedError('`value` required in setHeader("' + name + '", value)', 'ERR_MISSING_ARGS')
  }
  if (!isValidHeaderName(name)) {
    throw codedError(`Invalid header name: '${name}'`, 'ERR_INVALID_HTTP_TOKEN')
  }
  if (!isValidHeaderValue(value.toString())) {
    throw codedError(`Invalid value for header '${name}': '${value}'`, 'ERR_INVALID_CHAR')
  }
  if (restrictedHeaders.has(name.toLowerCase())) {
    throw codedError(`Header '${name}' is set by the network stack and cannot be set`, 'ERR_INVALID_ARG_VALUE')
  }
}

function allowAnyProtocol (options) {
  return { ...options, [kAllowNonHttpProtocols]: true }
}

// Electron's priority names by urgency (HIGHEST 0 … THROTTLED 5, as Chromium maps them).
const priorityNames = ['highest', 'medium', 'low', 'lowest', 'idle', 'throttled']

function priorityUrgency (name) {
  if (name === undefined) return undefined
  const urgency = priorityNames.indexOf(name)
  if (urgency === -1) {
    throw codedError('priority must be one of throttled, idle, lowest, low, medium or highest', 'ERR_INVALID_ARG_VALUE', TypeError)
  }
  return urgency
}

function parseOptions (optionsIn) {
  const options = typeof optionsIn === 'string' ? new URL(optionsIn) : { ...optionsIn }
  let urlStr = options.url || options.href
  if (!urlStr) {
    const urlObj = {}
    urlObj.protocol = options.protocol || 'http:'
    if (options.host) {
      urlObj.host = options.host
    } else {
      urlObj.hostname = options.hostname || 'localhost'
      if (options.port) urlObj.port = options.port
    }
    if (options.path && / /.test(options.path)) {
      throw codedError('Request path contains unescaped characters', 'ERR_UNESCAPED_CHARACTERS', TypeError)
    }
    const pathObj = new URL(options.path || '/', 'http://localhost')
    urlObj.pathname = pathObj.pathname
    urlObj.search = pathObj.search
    urlObj.hash = pathObj.hash
    urlStr = url.format(urlObj)
  }
  const redirectPolicy = options.redirect || 'follow'
  if (!['follow', 'error', 'manual'].includes(redirectPolicy)) {
    throw codedError('redirect mode should be one of follow, error or manual', 'ERR_INVALID_ARG_VALUE')
  }
  if (options.headers != null && typeof options.headers !== 'object') {
    throw codedError('headers must be an object', 'ERR_INVALID_ARG_TYPE', TypeError)
  }
  const parsed = {
    method: (options.method || 'GET').toUpperCase(),
    url: urlStr,
    redirectPolicy,
    headers: {},
    useSessionCookies: options.useSessionCookies,
    credentials: options.credentials,
    origin: options.origin,
    allowNonHttpProtocols: Object.hasOwn(options, kAllowNonHttpProtocols),
    priority: priorityUrgency(options.priority),
    priorityIncremental: options.priorityIncremental,
    bypassCustomProtocolHandlers: options.bypassCustomProtocolHandlers,
    cache: options.cache,
    session: null
  }
  if (options.cache !== undefined && !['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached'].includes(options.cache)) {
    throw codedError('cache must be one of default, no-store, reload, no-cache, force-cache or only-if-cached', 'ERR_INVALID_ARG_VALUE', TypeError)
  }
  if (options.bypassCustomProtocolHandlers !== undefined && typeof options.bypassCustomProtocolHandlers !== 'boolean') {
    throw codedError('bypassCustomProtocolHandlers must be a boolean', 'ERR_INVALID_ARG_TYPE', TypeError)
  }
  if (options.priorityIncremental !== undefined && typeof options.priorityIncremental !== 'boolean') {
    throw codedError('priorityIncremental must be a boolean', 'ERR_INVALID_ARG_TYPE', TypeError)
  }
  for (const [name, value] of Object.entries(options.headers || {})) {
    validateHeader(name, value)
    parsed.headers[name.toLowerCase()] = { name, value }
  }
  if (options.session) {
    if (!(options.session instanceof Session)) {
      throw codedError('`session` should be an instance of the Session class', 'ERR_INVALID_ARG_TYPE', TypeError)
    }
    parsed.session = options.session
  } else if (options.partition) {
    if (typeof options.partition !== 'string') throw codedError('`partition` should be a string', 'ERR_INVALID_ARG_TYPE', TypeError)
    parsed.session = session.fromPartition(options.partition)
  } else {
    parsed.session = session.defaultSession
  }
  return parsed
}

class ClientRequest extends Writable {
  _started = false
  _firstWrite = false
  _aborted = false
  _chunkedEncoding = undefined
  _chunks = []
  _options
  _native = null
  _response = null
  _followRedirectCb = undefined
  _uploadProgress = undefined

  constructor (options, callback) {
    super({ autoDestroy: true })
    if (callback) this.once('response', callback)
    const parsed = parseOptions(options)
    const urlObj = new URL(parsed.url)
    if (!parsed.allowNonHttpProtocols && !kHttpProtocols.has(urlObj.protocol)) {
      throw codedError('ClientRequest only supports http: and https: protocols', 'ERR_INVALID_PROTOCOL')
    }
    if (parsed.credentials === 'same-origin' && !parsed.origin) {
      throw codedError('credentials: same-origin requires origin to be set', 'ERR_MISSING_OPTION')
    }
    this._options = parsed
  }

  get chunkedEncoding () {
    return this._chunkedEncoding || false
  }

  set chunkedEncoding (value) {
    if (this._started) throw codedError('chunkedEncoding can only be set before the request is started', 'ERR_INVALID_STATE')
    if (typeof this._chunkedEncoding !== 'undefined') throw codedError('chunkedEncoding can only be set once', 'ERR_INVALID_STATE')
    this._chunkedEncoding = !!value
  }

  setHeader (name, value) {
    if (this._started || this._firstWrite) throw codedError('Can\'t set headers after they are sent', 'ERR_HTTP_HEADERS_SENT')
    validateHeader(name, value)
    this._options.headers[name.toLowerCase()] = { name, value }
  }

  getHeader (name) {
    if (name == null) throw codedError('`name` is required for getHeader(name)', 'ERR_MISSING_ARGS')
    const header = this._options.headers[name.toLowerCase()]
    return header && header.value
  }

  removeHeader (name) {
    if (name == null) throw codedError('`name` is required for removeHeader(name)', 'ERR_MISSING_ARGS')
    if (this._started || this._firstWrite) throw codedError('Can\'t remove headers after they are sent', 'ERR_HTTP_HEADERS_SENT')
    delete this._options.headers[name.toLowerCase()]
  }

  _write (chunk, encoding, callback) {
    this._firstWrite = true
    if (this._chunkedEncoding) {
      if (!this._started) this._startRequest()
      if (this._native === null) return callback()
      this._native.onWritten = () => callback()
      this._native.write(chunk)
      return
    }
    this._chunks.push(chunk)
    callback()
  }

  _final (callback) {
    if (!this._started) this._startRequest()
    if (this._native !== null && this._chunkedEncoding) this._native.endUpload()
    callback()
  }

  _startRequest () {
    this._started = true
    const o = this._options
    const headers = []
    for (const { name, value } of Object.values(o.headers)) headers.push(name, value.toString())
    const body = this._chunkedEncoding ? null : (this._chunks.length ? Buffer.concat(this._chunks) : null)
    this._chunks = []
    try {
      this._native = new Loader(o.session, {
        method: o.method,
        url: o.url,
        headers,
        body: body ?? undefined,
        chunked: !!this._chunkedEncoding,
        // Every redirect stops in the core and is reported as it happens, as Electron's
        // URLLoader does: a 'redirect' listener may abort() before the next hop is asked.
        followRedirects: false,
        useCookies: usesCookies(o),
        uploadProgress: !!this._chunkedEncoding || body !== null,
        priority: o.priority,
        priorityIncremental: o.priorityIncremental,
        bypassCustomProtocolHandlers: o.bypassCustomProtocolHandlers === true,
        cache: o.cache,
        promptAuth: o.credentials !== 'omit',
        credentials: o.credentials,
        // The initiator, as Electron: the origin option, else the Origin header.
        origin: o.origin || this.getHeader('origin') || ''
      })
    } catch (error) {
      process.nextTick(() => this._die(error))
      return
    }
    // As Electron's: the last progress the network stack reported.
    this._native.onUploadProgress = (position, total) => {
      this._uploadProgress = { active: true, started: true, current: position, total }
      this.emit('upload-progress', position, total)
    }
    this._native.onStep = (step) => this._onStep(step)
    this._native.onError = (error) => {
      if (!this._aborted) this._die(error)
    }
  }

  _onStep (step) {
    if (this._aborted) return
    if (step.kind === EventKind.Login) return this._onLogin(unpackAuth(step.auth))
    const pairs = unpackPairs(step.headers, '\0')
    if (step.kind === EventKind.Redirect) {
      return this._onRedirect(step.statusCode, step.newMethod, step.newUrl, pairs)
    }
    const redirects = unpackRedirects(step.redirects)
    const urlList = [this._options.url, ...redirects.map((r) => r.newUrl)]
    const head = {
      statusCode: step.statusCode,
      statusMessage: step.statusMessage,
      httpVersion: step.httpVersion,
      pairs,
      body: step.body,
      done: step.done,
      urlList
    }
    const response = this._response = new IncomingMessage(head, this._native)
    this.emit('response', response)
  }

  _onRedirect (statusCode, newMethod, newUrl, pairs) {
    if (this._options.redirectPolicy === 'error') {
      this._die(codedError('Attempted to redirect, but redirect policy was \'error\'', 'ERR_FAILED'))
      return
    }
    // 'follow' follows unless a listener aborted; 'manual' only when one called
    // followRedirect().
    let followed = this._options.redirectPolicy === 'follow'
    this._followRedirectCb = () => { followed = true }
    try {
      this.emit('redirect', statusCode, newMethod, newUrl, headerRecord(pairs))
    } finally {
      this._followRedirectCb = undefined
      if (!followed && !this._aborted) this._die(codedError('Redirect was cancelled', 'ERR_ABORTED'))
    }
    if (followed && !this._aborted) this._native.followRedirect()
  }

  _onLogin (authInfo) {
    let answered = false
    const callback = (username, password) => {
      if (answered || this._aborted) return
      answered = true
      if (username === undefined) this._native.login()
      else this._native.login(String(username), String(password ?? ''))
    }
    const handled = this.emit('login', authInfo, callback)
    if (!handled) callback()
  }

  followRedirect () {
    if (this._followRedirectCb) this._followRedirectCb()
    else throw codedError('followRedirect() called, but was not waiting for a redirect', 'ERR_INVALID_STATE')
  }

  abort () {
    if (!this._aborted) process.nextTick(() => { this.emit('abort') })
    this._aborted = true
    if (this._response && !this._response.complete && !this._response.readableEnded) {
      this._response.emit('aborted')
    }
    this._die()
  }

  _die (err) {
    if (this._writableState.destroyed && err) this.emit('error', err)
    this.destroy(err)
    if (this._native) {
      this._native.cancel()
      if (this._response) this._response.destroy(err)
    }
  }

  getUploadProgress () {
    return this._uploadProgress ? { ...this._uploadProgress } : { active: false, started: false, current: 0, total: 0 }
  }
}

module.exports = { ClientRequest, allowAnyProtocol, validateHeader }
