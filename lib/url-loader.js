'use strict'
//! The JS side of a native request (Electron's URLLoader): option packing, step unpacking
//! and error naming, shared by ClientRequest and fetch.

const { codedError } = require('./errors')

// A request's failure as its Error event carries it: message and code, both from the core.
function requestError (event) {
  return codedError(event.error, event.code)
}

// What a request cancelled on this side ends with.
function abortedError () {
  return codedError('net::ERR_ABORTED', 'ERR_ABORTED')
}

// 'a\0b\0c\0d' -> [['a', 'b'], ['c', 'd']]
function unpackPairs (packed, separator) {
  const pairs = []
  if (packed === undefined || packed === '') return pairs
  const parts = packed.split(separator)
  for (let i = 0; i + 1 < parts.length; i += 2) pairs.push([parts[i], parts[i + 1]])
  return pairs
}

// Electron's redirect-event headers: name -> array of values.
function headerRecord (pairs) {
  const record = {}
  for (const [name, value] of pairs) {
    const key = name.toLowerCase()
    if (record[key] === undefined) record[key] = [value]
    else record[key].push(value)
  }
  return record
}

function unpackRedirects (packed) {
  const redirects = []
  if (packed === undefined || packed === '') return redirects
  const parts = packed.split('\0')
  for (let i = 0; i + 3 < parts.length; i += 4) {
    redirects.push({
      statusCode: Number(parts[i]),
      newMethod: parts[i + 1],
      newUrl: parts[i + 2],
      headers: headerRecord(unpackPairs(parts[i + 3], '\u0001'))
    })
  }
  return redirects
}

function unpackAuth (packed) {
  const [isProxy, scheme, host, port, realm] = packed.split('\0')
  return { isProxy: isProxy === 'true', scheme, host, port: Number(port), realm }
}

// Whether a request sends and stores session cookies, from Electron's options: credentials
// 'include' yes, 'omit' no, 'same-origin' to the `origin` given, else `useSessionCookies`.
function usesCookies (options) {
  if (options.credentials === 'include') return true
  if (options.credentials === 'omit') return false
  if (options.credentials === 'same-origin') {
    try { return new URL(options.url).origin === new URL(options.origin).origin } catch { return false }
  }
  return options.useSessionCookies === true
}

module.exports = { unpackPairs, unpackRedirects, unpackAuth, headerRecord, usesCookies }

// ---- Native requests --------------------------------------------------------------------
// Request events come through the event channel (event-channel.js), routed here by id.

const native = require('./native')
const { onEvents, expectEvent, settleEvent, EventKind } = require('./event-channel')

const loaders = new Map()

onEvents([EventKind.Response, EventKind.Redirect, EventKind.Login, EventKind.Data, EventKind.Written, EventKind.Error, EventKind.DownloadDone], (event) => {
  const loader = loaders.get(event.id)
  if (loader !== undefined) {
    loader._pending--
    loader._onEvent(event)
  }
}, { counted: true })

// Progress reports answer no call, so they are not counted.
onEvents([EventKind.UploadProgress], (event) => {
  const loader = loaders.get(event.id)
  if (loader !== undefined && !loader._cancelled) loader.onUploadProgress?.(event.position, event.total)
})
onEvents([EventKind.DownloadProgress], (event) => {
  loaders.get(event.id)?.onSaveProgress?.(event.position)
})

// A fetch body nobody reads to the end and nobody holds any more: cancel its request, so
// the connection and the read-ahead buffers go too. (The held id, not the loader: the
// loader must not keep the body alive.)
const abandoned = new FinalizationRegistry((id) => loaders.get(id)?.cancel())

// One native request. Set onStep(event), onData(buffer | null), onWritten(), onError(error)
// and onUploadProgress(position, total) before events can arrive (on a later turn).
class Loader {
  constructor (session, options) {
    this.onStep = null
    this.onData = null
    this.onWritten = null
    this.onError = null
    this.onUploadProgress = null
    this._pending = 0
    this._cancelled = false
    this._expect()
    try {
      this.id = session._nativeRequest(options)
    } catch (error) {
      settleEvent()
      throw error
    }
    loaders.set(this.id, this)
  }

  // Counts an event to come; false (and onError soon) when the request was cancelled.
  _expect () {
    if (this._cancelled) {
      queueMicrotask(() => this.onError(abortedError()))
      return false
    }
    this._pending++
    expectEvent()
    return true
  }

  _onEvent (event) {
    if (this._cancelled) {
      // What was in flight at cancel() reports net::ERR_ABORTED; the owner already knows.
      if (this._pending === 0) loaders.delete(this.id)
      if (event.kind === EventKind.Written) this.onWritten?.()
      else this.onError(event.kind === EventKind.Error ? requestError(event) : abortedError())
      return
    }
    switch (event.kind) {
      case EventKind.DownloadDone:
        loaders.delete(this.id)
        this.onSaved(event.event, event.code ?? null, event.position, event.url ?? null)
        break
      case EventKind.Data:
        if (event.done) loaders.delete(this.id)
        this.onData(event.done ? null : event.body)
        break
      case EventKind.Written:
        this.onWritten?.()
        break
      case EventKind.Error:
        loaders.delete(this.id)
        this.onError(requestError(event))
        break
      default:
        if (event.kind === EventKind.Response && event.done) loaders.delete(this.id)
        this.onStep(event)
    }
  }

  read () {
    if (this._expect()) native.netRead(this.id)
  }

  followRedirect () {
    if (this._expect()) native.netFollowRedirect(this.id)
  }

  login (username, password) {
    if (this._expect()) native.netLogin(this.id, username, password)
  }

  write (chunk) {
    if (this._cancelled) return queueMicrotask(() => this.onWritten?.())
    this._expect()
    native.netWrite(this.id, chunk)
  }

  endUpload () {
    native.netEndUpload(this.id)
  }

  // Saves the body (kept native: the request was made with keepBody) at `path`, or into
  // `partial` after its first `offset` bytes; set onSaveProgress(received) and
  // onSaved(state, reason, received, partial) first.
  save (path, partial, offset) {
    if (this._expect()) native.netSaveBody(this.id, path, partial, offset)
  }

  pauseSave (paused) {
    native.netSavePause(this.id, paused)
  }

  cancelSave () {
    native.netSaveCancel(this.id)
  }

  // Cancels the request if `target` is garbage collected before `forget(target)`.
  cancelWhenCollected (target) {
    abandoned.register(target, this.id, target)
  }

  forget (target) {
    abandoned.unregister(target)
  }

  // Stops the request; whatever was in flight ends with net::ERR_ABORTED (onError).
  cancel () {
    if (this._cancelled) return
    this._cancelled = true
    if (this._pending === 0) loaders.delete(this.id)
    native.netCancel(this.id)
  }
}

module.exports.Loader = Loader
