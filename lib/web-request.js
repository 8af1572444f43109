'use strict'
//! Electron's WebRequest (`ses.webRequest`): the eight `on*` methods with Electron's
//! replace-or-remove semantics, and an additive `addListener(event, filter, listener)`
//! beyond Electron. Filters are validated and matched in Rust; JS only hears of requests a
//! filter matched. Composition for one event: the `on*` listener first, then the added
//! listeners in the order they were added. In a blocking event a cancel or a redirect ends
//! the chain, header changes pass to the next listener, and a listener that throws fails the
//! request with an error naming the event.

const native = require('./native')
const { onEvents } = require('./event-channel')
const { codedError } = require('./errors')

const { EventKind } = native

const events = [
  'onBeforeRequest', 'onBeforeSendHeaders', 'onSendHeaders', 'onHeadersReceived',
  'onResponseStarted', 'onBeforeRedirect', 'onCompleted', 'onErrorOccurred'
]
const blocking = new Set(['onBeforeRequest', 'onBeforeSendHeaders', 'onHeadersReceived'])

// Every registered listener of every session, by its process-wide id.
const listenersById = new Map()
let nextListenerId = 1

// The resource types a filter may name (Electron's ParseResourceType; 'other' is not one).
const resourceTypes = new Set(['mainFrame', 'subFrame', 'stylesheet', 'script', 'image', 'font', 'object', 'xhr', 'ping', 'cspReport', 'media', 'webSocket'])

// A filter as web_request.cc's SetListener checks it: `urls` required (an empty list is
// `<all_urls>`, with Electron's deprecation warning), every type one Electron knows.
// `null` stands for no filter at all (every URL).
function checkFilter (filter) {
  if (filter === null) return { urls: [], excludeUrls: [], types: [] }
  if (typeof filter !== 'object' || Array.isArray(filter)) {
    throw codedError('Must pass null or a Function', 'ERR_INVALID_ARG_TYPE', TypeError)
  }
  if (filter.urls === undefined) {
    throw codedError("Parameter 'filter' must have property 'urls'.", 'ERR_MISSING_OPTION', TypeError)
  }
  const list = (key) => {
    const value = filter[key]
    if (value === undefined) return []
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw codedError(`${key} must be an array of strings`, 'ERR_INVALID_ARG_TYPE', TypeError)
    }
    return value
  }
  const urls = list('urls')
  const types = list('types')
  for (const type of types) {
    if (!resourceTypes.has(type)) throw codedError(`Invalid type ${type}`, 'ERR_INVALID_ARG_VALUE', TypeError)
  }
  if (urls.length === 0) {
    process.emitWarning("The urls array in WebRequestFilter is empty, which is deprecated. Please use '<all_urls>' to match all URLs.", 'DeprecationWarning')
  }
  return { urls, excludeUrls: list('excludeUrls'), types }
}

class WebRequest {
  #native
  // event -> { main: id | null, added: [id] }
  #slots = new Map(events.map((e) => [e, { main: null, added: [] }]))

  constructor (nativeSession) {
    this.#native = nativeSession
  }

  // Registers `listener` under a new id with the native side for a checked filter; returns
  // the id.
  #register (event, { urls, excludeUrls, types }, listener) {
    const id = nextListenerId++
    try {
      this.#native.webRequestSet(event, id, urls, excludeUrls, types)
    } catch (error) {
      // Electron throws a bad pattern as a TypeError; the native code stays.
      throw codedError(error.message, error.code, TypeError)
    }
    listenersById.set(id, { event, listener })
    return id
  }

  #unregister (event, id) {
    this.#native.webRequestRemove(event, id)
    listenersById.delete(id)
  }

  // Electron's `on*([filter,] listener | null)`: one listener per event, replaced or removed.
  _set (event, filterOrListener, maybeListener) {
    let filter = null
    let listener = filterOrListener
    if (maybeListener !== undefined || (filterOrListener !== null && typeof filterOrListener === 'object')) {
      filter = filterOrListener
      listener = maybeListener
    }
    // As SetListener: the filter is checked first, then the listener must be null or a
    // Function; nothing changes when either throws.
    const checked = listener === null ? null : checkFilter(filter)
    if (listener !== null && typeof listener !== 'function') {
      throw codedError('Must pass null or a Function', 'ERR_INVALID_ARG_TYPE', TypeError)
    }
    const slot = this.#slots.get(event)
    const id = listener ? this.#register(event, checked, listener) : null
    if (slot.main !== null) this.#unregister(event, slot.main)
    slot.main = id
  }

  // Beyond Electron: adds a listener after the others; returns a function that removes it.
  addListener (event, filter, listener) {
    if (!events.includes(event)) throw codedError(`Unknown webRequest event '${event}'`, 'ERR_INVALID_ARG_VALUE', TypeError)
    if (typeof filter === 'function' && listener === undefined) {
      listener = filter
      filter = null
    }
    if (typeof listener !== 'function') throw codedError('listener must be a Function', 'ERR_INVALID_ARG_TYPE', TypeError)
    const id = this.#register(event, checkFilter(filter ?? null), listener)
    const slot = this.#slots.get(event)
    slot.added.push(id)
    let removed = false
    return () => {
      if (removed) return
      removed = true
      slot.added = slot.added.filter((x) => x !== id)
      this.#unregister(event, id)
    }
  }
}

for (const event of events) {
  WebRequest.prototype[event] = function (filterOrListener, listener) {
    this._set(event, filterOrListener, listener)
  }
}

// A details object as JS sees it: uploadData bytes as Buffers.
function detailsFrom (json) {
  const details = JSON.parse(json)
  if (details.uploadData) {
    details.uploadData = details.uploadData.map((d) => ({ bytes: Buffer.from(d.bytes, 'base64') }))
  }
  return details
}

// One blocking listener as a Promise of its answer: the callback (a second call is
// ignored), or the Promise it returns.
function ask (listener, details) {
  return new Promise((resolve, reject) => {
    let answered = false
    const callback = (response) => {
      if (answered) return
      answered = true
      resolve(response)
    }
    try {
      const returned = listener(details, callback)
      if (returned && typeof returned.then === 'function') returned.then(callback, reject)
    } catch (error) {
      reject(error)
    }
  })
}

// Runs a blocking event's chain; resolves with the merged decision or null.
async function decide (event, ids, details) {
  const decision = {}
  let changed = false
  for (const id of ids) {
    const entry = listenersById.get(id)
    if (entry === undefined) continue
    let answer
    try {
      answer = await ask(entry.listener, details)
    } catch (error) {
      const message = error && error.message !== undefined ? error.message : String(error)
      return { error: `webRequest.${event} listener threw: ${message}` }
    }
    if (answer === null || typeof answer !== 'object') continue
    if (answer.cancel === true) return { cancel: true }
    if (typeof answer.redirectURL === 'string' && answer.redirectURL !== '') {
      return { ...decision, redirectURL: answer.redirectURL }
    }
    if (answer.requestHeaders && typeof answer.requestHeaders === 'object' && event === 'onBeforeSendHeaders') {
      decision.requestHeaders = answer.requestHeaders
      details = { ...details, requestHeaders: answer.requestHeaders }
      changed = true
    }
    if (event === 'onHeadersReceived') {
      if (answer.responseHeaders && typeof answer.responseHeaders === 'object') {
        decision.responseHeaders = answer.responseHeaders
        details = { ...details, responseHeaders: answer.responseHeaders }
        changed = true
      }
      if (typeof answer.statusLine === 'string') {
        decision.statusLine = answer.statusLine
        details = { ...details, statusLine: answer.statusLine }
        changed = true
      }
    }
  }
  return changed ? decision : null
}

// Called by the event channel for HOOK (answer expected) and OBSERVE events.
function onHook (event) {
  const ids = event.listeners.split(',').map(Number)
  const details = detailsFrom(event.details)
  if (!blocking.has(event.event)) {
    for (const id of ids) {
      const entry = listenersById.get(id)
      if (entry === undefined) continue
      try {
        entry.listener(details)
      } catch (error) {
        process.nextTick(() => { throw error })
      }
    }
    return
  }
  decide(event.event, ids, details).then(
    (decision) => native.netHookAnswer(event.id, decision === null ? undefined : JSON.stringify(decision)),
    () => native.netHookAnswer(event.id, undefined)
  )
}

onEvents([EventKind.Hook, EventKind.Observe], onHook)

module.exports = { WebRequest }
