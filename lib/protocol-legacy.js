'use strict'
//! The legacy register*/intercept* protocols' side: the ProtocolRequest their handlers get,
//! and their callbacks' answers read as Electron's electron_url_loader_factory.cc reads them
//! (strings, buffers, files through the core's file: loader, http through a session,
//! streams, `{ error }`, redirects), sent back with protocol-response.js.

const path = require('node:path')
const { Readable } = require('node:stream')
const { pathToFileURL } = require('node:url')
const native = require('./native')
const { respond, toBuffer, validHeaderName } = require('./protocol-response')

// Chromium's numbers, from the native error table.
const ERR_FAILED = native.netErrorNumber('ERR_FAILED')
const ERR_FILE_NOT_FOUND = native.netErrorNumber('ERR_FILE_NOT_FOUND')
const ERR_NOT_IMPLEMENTED = native.netErrorNumber('ERR_NOT_IMPLEMENTED')

// The legacy ProtocolRequest.
function legacyRequest (call) {
  const request = { url: call.url, referrer: call.headers.Referer ?? call.headers.referer ?? '', method: call.method, headers: call.headers }
  if (call.body) request.uploadData = [{ type: 'rawData', bytes: call.body }]
  return request
}

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

module.exports = { legacyRequest, answerLegacy }
