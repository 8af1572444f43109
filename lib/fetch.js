'use strict'
//! `ses.fetch` / `net.fetch`: WHATWG fetch with Node's own Request, Headers and Response,
//! over the session's native stack. Semantics follow Electron's net-fetch (credentials,
//! Sec-Fetch-Mode, errors as `net::ERR_*`), without going through a ClientRequest: a small
//! body arrives with the head and becomes the Response in the same turn.

const { EventKind } = require('./native')
const { unpackPairs, usesCookies, Loader } = require('./url-loader')
const { codedError } = require('./errors')
const { SessionResponse } = require('./session-response')

const nullBodyStatus = new Set([101, 204, 205, 304])

function abortReason (signal) {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError')
}

// A ReadableStream over the native body, starting with what came with the head.
function bodyStream (loader, first, signal, release) {
  let pending = first
  let finished = false
  let waiting = null
  const settle = (error, chunk) => {
    const w = waiting
    waiting = null
    if (w !== null) (error ? w.reject(error) : w.resolve(chunk))
  }
  loader.onData = (chunk) => settle(null, chunk)
  loader.onError = (error) => settle(signal?.aborted ? abortReason(signal) : error)
  const stream = new ReadableStream({
    type: 'bytes',
    pull (controller) {
      if (pending !== null && pending !== undefined) {
        const chunk = pending
        pending = null
        if (chunk.length) {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))
          return
        }
      }
      if (finished) return
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject }
        loader.read()
      }).then((chunk) => {
        if (chunk === null) {
          finished = true
          release()
          controller.close()
        } else {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length))
        }
      }, (error) => {
        finished = true
        release()
        controller.error(error)
      })
    },
    cancel () {
      finished = true
      release()
      loader.cancel()
    }
  })
  loader.cancelWhenCollected(stream)
  return stream
}

async function requestBody (req, init) {
  if (req.body === null) return { body: null, stream: null }
  const source = init?.body
  const streamed = source instanceof ReadableStream || (source && typeof source[Symbol.asyncIterator] === 'function' && !(source instanceof Blob))
  if (streamed) return { body: null, stream: req.body }
  return { body: Buffer.from(await req.arrayBuffer()), stream: null }
}

// Feeds a request body stream to the native upload. Only a stream that finished ends the
// upload; one that errors rejects, and the caller cancels the request, so the server sees
// the upload fail instead of a short but complete body.
async function pump (stream, loader) {
  const reader = stream.getReader()
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    await new Promise((resolve) => {
      loader.onWritten = resolve
      loader.write(Buffer.from(value.buffer, value.byteOffset, value.byteLength))
    })
  }
  loader.endUpload()
}

// A header value or reason phrase as fetch's ByteString: the bytes the server sent, one
// character each (the core decodes them as UTF-8, which Headers would refuse beyond U+00FF).
const nonAscii = /[^\x00-\x7f]/
function byteString (text) {
  return nonAscii.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text
}

function makeResponse (step, req, loader, signal, release) {
  const headers = new Headers()
  for (const [name, value] of unpackPairs(step.headers, '\0')) headers.append(name, byteString(value))
  const noBody = nullBodyStatus.has(step.statusCode) || req.method === 'HEAD'
  let body = null
  if (!noBody) {
    body = step.done ? (step.body ?? null) : bodyStream(loader, step.body, signal, release)
  }
  if (body === null || step.done) release()
  const status = step.statusCode
  const init = { status: status >= 200 && status <= 599 ? status : 200, statusText: byteString(step.statusMessage), headers }
  return new SessionResponse(body, init, step.url, step.redirects !== undefined, step.done && body !== null)
}

const normalizedMethods = new Map(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].map((m) => [m.toLowerCase(), m]))
const initKeys = new Set(['method', 'headers', 'body', 'signal', 'credentials', 'mode', 'redirect', 'cache', 'referrerPolicy', 'priority', 'duplex', 'keepalive', 'bypassCustomProtocolHandlers'])
const modes = new Set(['cors', 'no-cors', 'same-origin', 'navigate'])
const credentialModes = new Set(['omit', 'same-origin', 'include'])
const redirectModes = new Set(['follow', 'error', 'manual'])
const cacheModes = new Set(['default', 'no-store', 'reload', 'no-cache', 'force-cache', 'only-if-cached'])

// The common call (a URL string, a plain init with a string or byte body) read directly,
// as WHATWG Request would read it, without building a Request and its AbortSignal. Returns
// null for anything else, which then goes through Node's Request (and its checks).
function simpleRequest (input, init) {
  if (typeof input !== 'string' && !(input instanceof URL)) return null
  if (init !== undefined && (init === null || typeof init !== 'object' || Object.getPrototypeOf(init) !== Object.prototype)) return null
  let parsed
  try { parsed = new URL(input) } catch { return null }
  if (parsed.username !== '' || parsed.password !== '') return null
  const o = init ?? {}
  for (const key in o) if (!initKeys.has(key)) return null
  let method = 'GET'
  if (o.method !== undefined) {
    if (typeof o.method !== 'string') return null
    method = normalizedMethods.get(o.method.toLowerCase()) ?? o.method
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method) || /^(connect|trace|track)$/i.test(method)) return null
  }
  const mode = o.mode ?? 'cors'
  const credentials = o.credentials ?? 'same-origin'
  const redirect = o.redirect ?? 'follow'
  const cache = o.cache ?? 'default'
  if (!modes.has(mode) || mode === 'navigate' || !credentialModes.has(credentials) || !redirectModes.has(redirect)) return null
  // Node's Request refuses only-if-cached outside same-origin mode; let it say so.
  if (!cacheModes.has(cache) || (cache === 'only-if-cached' && mode !== 'same-origin')) return null
  if (o.signal != null && !(o.signal instanceof AbortSignal)) return null
  const headers = o.headers === undefined ? null : new Headers(o.headers)
  let body = null
  if (o.body != null) {
    if (method === 'GET' || method === 'HEAD') return null
    if (typeof o.body === 'string') {
      body = Buffer.from(o.body)
    } else if (o.body instanceof Uint8Array) {
      body = Buffer.from(o.body.buffer, o.body.byteOffset, o.body.byteLength)
    } else if (o.body instanceof ArrayBuffer) {
      body = Buffer.from(o.body)
    } else {
      return null
    }
  }
  const list = []
  if (headers !== null) for (const [name, value] of headers) list.push(name, value)
  if (typeof o.body === 'string' && !(headers?.has('content-type'))) list.push('content-type', 'text/plain;charset=UTF-8')
  return {
    url: parsed.href,
    method,
    headers: list,
    origin: headers?.get('origin') ?? undefined,
    body,
    stream: null,
    mode,
    credentials,
    redirect,
    cache,
    signal: o.signal ?? null
  }
}

// Anything else: Node's Request reads (and checks) it.
async function fullRequest (input, init) {
  let req
  try {
    req = new Request(input, init)
  } catch (error) {
    // Node's TypeErrors carry no code; a URL that does not parse keeps its cause's.
    if (error instanceof TypeError && error.code === undefined) error.code = error.cause?.code ?? 'ERR_INVALID_ARG_VALUE'
    throw error
  }
  if (req.signal.aborted) throw abortReason(req.signal)
  const { body, stream } = await requestBody(req, init)
  const list = []
  for (const [name, value] of req.headers) list.push(name, value)
  return {
    url: req.url,
    method: req.method,
    headers: list,
    origin: req.headers.get('origin') ?? undefined,
    body,
    stream,
    mode: req.mode,
    credentials: req.credentials,
    redirect: req.redirect,
    cache: req.cache,
    signal: req.signal
  }
}

async function fetchWithSession (input, init, ses) {
  const req = simpleRequest(input, init) ?? await fullRequest(input, init)
  const signal = req.signal
  if (signal?.aborted) throw abortReason(signal)
  const origin = req.origin
  const credentials = req.credentials === 'same-origin' && !origin ? 'include' : req.credentials
  // As Electron: cors is the default mode, but it is not sent without an origin.
  const headers = req.mode !== 'cors' || origin ? ['Sec-Fetch-Mode', req.mode, ...req.headers] : req.headers
  const { body, stream } = req
  const loader = new Loader(ses, {
    method: req.method,
    url: req.url,
    headers,
    body: body ?? undefined,
    chunked: stream !== null,
    followRedirects: req.redirect === 'follow',
    useCookies: usesCookies({ credentials, url: req.url, origin }),
    promptAuth: false,
    credentials,
    origin,
    cache: req.cache,
    bypassCustomProtocolHandlers: init?.bypassCustomProtocolHandlers === true
  })
  if (stream !== null) pump(stream, loader).catch(() => loader.cancel())
  // Settled once; afterwards nothing here refers to the promise, whose value (the
  // Response) must stay collectable while closures below live on with a streaming body.
  let resolveFetch, rejectFetch
  const promise = new Promise((resolve, reject) => {
    resolveFetch = resolve
    rejectFetch = reject
  })
  const settle = (error, response) => {
    const resolve = resolveFetch
    const reject = rejectFetch
    resolveFetch = rejectFetch = null
    if (resolve === null) return
    if (error) reject(error)
    else resolve(response)
  }
  const onAbort = () => {
    loader.cancel()
    settle(abortReason(signal))
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  // The listener stays while a body streams, so that an abort also stops the body.
  const release = () => signal?.removeEventListener('abort', onAbort)
  loader.onError = (error) => {
    release()
    settle(error)
  }
  loader.onStep = (step) => {
    loader.onStep = null
    loader.onError = null
    if (step.kind !== EventKind.Response) {
      loader.cancel()
      release()
      if (req.redirect === 'error') {
        settle(codedError('Attempted to redirect, but redirect policy was \'error\'', 'ERR_FAILED'))
        return
      }
      // 'manual': as Electron's net.fetch, whose ClientRequest dies when a redirect is not
      // followed.
      settle(codedError('Redirect was cancelled', 'ERR_ABORTED'))
      return
    }
    try {
      settle(null, makeResponse(step, req, loader, signal, release))
    } catch (error) {
      loader.cancel()
      release()
      settle(error)
    }
  }
  return promise
}

module.exports = { fetchWithSession }
