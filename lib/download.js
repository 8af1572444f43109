'use strict'
//! `ses.downloadURL(url[, { headers }])`: a GET through the session's request stack
//! (cookies, webRequest, proxies, auth, certificates, emulation, the cache) whose body stays
//! native; at its response the session emits 'will-download' (event, item, null: there is
//! no window), and unless prevented the body is saved where the item says (its save path,
//! else the session's download directory under the name Chromium picks, made unique).
//! Interrupted downloads resume with Range and If-Range, in this process or, through
//! `ses.createInterruptedDownload`, in a later one.

const path = require('node:path')
const native = require('./native')
const { Loader, unpackPairs, unpackRedirects } = require('./url-loader')
const { DownloadItem } = require('./download-item')
const { conversionError, checkField, codedError } = require('./errors')

// The targets of downloads under way in this process: a second download of the same name
// gets Chromium's next free name rather than the first one's (Chromium reserves them too).
const reservedTargets = new Set()

// The first value of header `name` in `pairs` ('' when absent).
const headerValue = (pairs, name) => pairs.find(([n]) => n.toLowerCase() === name)?.[1] ?? ''

// Chromium's interrupt reason for an HTTP error status (download_stats / DownloadResponseHandler).
function statusReason (status) {
  if (status === 401) return 'SERVER_UNAUTHORIZED'
  if (status === 403) return 'SERVER_FORBIDDEN'
  if (status >= 500) return 'SERVER_FAILED'
  return 'SERVER_BAD_CONTENT'
}

// Chromium's interrupt reason for a request that failed before its response
// (ConvertNetErrorToInterruptReason, the source being the network).
function netReason (error) {
  const code = error?.code ?? ''
  if (code === 'ERR_FILE_NOT_FOUND') return 'FILE_FAILED'
  if (code === 'ERR_ACCESS_DENIED') return 'FILE_ACCESS_DENIED'
  if (code === 'ERR_TIMED_OUT') return 'NETWORK_TIMEOUT'
  if (code === 'ERR_INTERNET_DISCONNECTED') return 'NETWORK_DISCONNECTED'
  if (code === 'ERR_CONNECTION_REFUSED' || code === 'ERR_CONNECTION_FAILED') return 'NETWORK_SERVER_DOWN'
  if (code.startsWith('ERR_CERT_') || code.startsWith('ERR_SSL_')) return 'SERVER_CERT_PROBLEM'
  return 'NETWORK_FAILED'
}

// Emits 'will-download' for `item` (with the webContents it came from, else null); true
// unless a listener prevented it.
function announce (ses, item, webContents = null) {
  let prevented = false
  const event = { preventDefault () { prevented = true }, get defaultPrevented () { return prevented } }
  ses.emit('will-download', event, item, webContents)
  if (prevented) item._destroy()
  return !prevented
}

// `webContents`: the one whose downloadURL this is (null for the session's).
function downloadURL (ses, url, options, directory, webContents = null) {
  if (typeof url !== 'string') throw conversionError(0, url)
  if (options !== undefined && (options === null || typeof options !== 'object')) throw conversionError(1, options)
  const headers = options?.headers
  if (headers !== undefined && (headers === null || typeof headers !== 'object' || Array.isArray(headers))) {
    throw new TypeError('Invalid value for headers - must be an object')
  }
  const list = []
  for (const [name, value] of Object.entries(headers ?? {})) list.push(name, String(value))
  const loader = new Loader(ses, { method: 'GET', url, headers: list, followRedirects: true, useCookies: true, keepBody: true })
  loader.onStep = (step) => {
    const urlChain = [url, ...unpackRedirects(step.redirects).map((r) => r.newUrl)]
    startDownload(ses, loader, step, urlChain, webContents, directory)
  }
  // No response at all (a name that does not resolve, a refused connection): Chromium makes
  // the item anyway, interrupted.
  loader.onError = (error) => {
    const item = new DownloadItem({ urlChain: [url], mimeType: '', contentDisposition: '', totalBytes: 0, etag: '', lastModified: '', filename: native.downloadFileName(url, '', '') })
    if (announce(ses, item, webContents)) item._done('interrupted', netReason(error), 0)
  }
}

// Turns the response `step` of `loader` (made with keepBody) into a download: a
// DownloadItem announced with 'will-download' (with `webContents` when a navigation became
// a download), saved where it says.
function startDownload (ses, loader, step, urlChain, webContents, directory) {
  const pairs = unpackPairs(step.headers, '\0')
  const mimeType = headerValue(pairs, 'content-type').split(';')[0].trim()
  const contentDisposition = headerValue(pairs, 'content-disposition')
  const length = Number(headerValue(pairs, 'content-length'))
  const item = new DownloadItem({
    urlChain,
    mimeType,
    contentDisposition,
    totalBytes: Number.isInteger(length) && length > 0 ? length : 0,
    etag: headerValue(pairs, 'etag'),
    lastModified: headerValue(pairs, 'last-modified'),
    filename: native.downloadFileName(step.url, contentDisposition, mimeType)
  })
  if (!announce(ses, item, webContents)) return loader.cancel()
  if (item._takeCancel()) {
    loader.cancel()
    return item._done('cancelled', null, 0)
  }
  if (step.statusCode >= 400) {
    loader.cancel()
    return item._done('interrupted', statusReason(step.statusCode), 0)
  }
  let target = item.getSavePath()
  if (target === '') {
    target = native.downloadUniquePath(directory(), item.getFilename(), [...reservedTargets])
    if (target === '') {
      loader.cancel()
      return item._done('interrupted', 'FILE_FAILED', 0)
    }
    item.setSavePath(target)
  } else {
    target = path.resolve(target)
  }
  const resource = { url: step.url, target, validator: headerValue(pairs, 'etag') || headerValue(pairs, 'last-modified') }
  saveInto(ses, item, loader, resource, null, 0)
}

// Saves `loader`'s body for `item` (into `partial` after `offset` bytes when resuming); an
// interruption on the network leaves the item resumable.
function saveInto (ses, item, loader, resource, partial, offset) {
  const resumer = (kept, received) => resume(ses, item, resource, kept, received)
  reserve(item, resource.target)
  loader.onSaveProgress = (received) => item._progress(received)
  loader.onSaved = (state, reason, received, kept) => item._done(state, reason, received, kept, resumer)
  loader.onError = (error) => item._done('interrupted', netReason(error))
  loader.save(resource.target, partial ?? undefined, partial === null ? undefined : offset)
  item._attach(loader)
}

// Holds `target` for `item` until it is done.
function reserve (item, target) {
  if (reservedTargets.has(target)) return
  reservedTargets.add(target)
  item.once('done', () => reservedTargets.delete(target))
}

// The bytes a 206's Content-Range starts at (NaN when it has none).
const rangeStart = (pairs) => Number(/^bytes\s+(\d+)-/.exec(headerValue(pairs, 'content-range'))?.[1])

// Resumes an interrupted download as Chromium does: the rest with `Range` and `If-Range`
// (the ETag, else Last-Modified); a 200 (Range ignored, or the validator changed) starts
// over; any other answer ends it interrupted. With nothing kept, a plain request.
function resume (ses, item, resource, partial, received) {
  const headers = []
  if (partial !== null && received > 0) {
    headers.push('Range', `bytes=${received}-`)
    if (resource.validator !== '') headers.push('If-Range', resource.validator)
  }
  const loader = new Loader(ses, { method: 'GET', url: resource.url, headers, followRedirects: true, useCookies: true, keepBody: true })
  loader.onStep = (step) => {
    const pairs = unpackPairs(step.headers, '\0')
    if (item._takeCancel()) {
      loader.cancel()
      return item._done('cancelled', null)
    }
    if (step.statusCode === 206 && rangeStart(pairs) === received && headers.length > 0) {
      item._resumed(received)
      return saveInto(ses, item, loader, resource, partial, received)
    }
    if (step.statusCode === 200) {
      const length = Number(headerValue(pairs, 'content-length'))
      item._resumed(0, Number.isInteger(length) && length > 0 ? length : 0)
      resource.validator = headerValue(pairs, 'etag') || headerValue(pairs, 'last-modified')
      return saveInto(ses, item, loader, resource, partial, 0)
    }
    loader.cancel()
    item._done('interrupted', step.statusCode === 416 ? 'SERVER_NO_RANGE' : statusReason(step.statusCode), received)
  }
  loader.onError = (error) => {
    item._done('interrupted', netReason(error), received, partial, (kept, bytes) => resume(ses, item, resource, kept, bytes))
  }
}

// `ses.createInterruptedDownload(options)`: a DownloadItem for a download an earlier process
// left interrupted, announced with 'will-download' in the 'interrupted' state; resume()
// continues what was kept beside (or at) `path` with Range and If-Range (the eTag, else
// lastModified), or starts over when nothing was kept.
function createInterruptedDownload (ses, options) {
  if (options === null || typeof options !== 'object') throw conversionError(0, options)
  const owner = 'options'
  const savePath = checkField(options, owner, 'path', 'string') ?? ''
  const urlChain = options.urlChain ?? []
  if (!Array.isArray(urlChain) || urlChain.some((url) => typeof url !== 'string')) {
    throw codedError(`options.urlChain must be an array of strings, got ${String(urlChain)}`, 'ERR_INVALID_ARG_TYPE', TypeError)
  }
  const length = checkField(options, owner, 'length', 'number') ?? 0
  const offset = checkField(options, owner, 'offset', 'number') ?? 0
  const mimeType = checkField(options, owner, 'mimeType', 'string') ?? ''
  const lastModified = checkField(options, owner, 'lastModified', 'string') ?? ''
  const etag = checkField(options, owner, 'eTag', 'string') ?? ''
  const startTime = checkField(options, owner, 'startTime', 'number') ?? Date.now() / 1000
  if (savePath === '' || urlChain.length === 0 || length === 0) {
    throw codedError('Must pass non-empty path, urlChain and length.', 'ERR_INVALID_ARG_VALUE')
  }
  if (offset >= length) throw codedError('Must pass an offset value less than length.', 'ERR_INVALID_ARG_VALUE')
  if (offset < 0 || !Number.isInteger(offset)) {
    throw codedError(`options.offset must be a non-negative integer, got ${offset}`, 'ERR_OUT_OF_RANGE', RangeError)
  }
  const origin = path.resolve(savePath)
  const kept = native.downloadFindPartial(origin, offset)
  const resource = { url: urlChain.at(-1), target: origin, validator: etag || lastModified }
  const item = new DownloadItem({
    urlChain: [...urlChain],
    mimeType,
    contentDisposition: '',
    totalBytes: length,
    etag,
    lastModified,
    filename: path.basename(origin),
    interrupted: {
      // Chromium's reason for such an item (Electron's DownloadIdCallback).
      reason: 'NETWORK_TIMEOUT',
      received: offset,
      savePath,
      startTime,
      partial: kept?.path ?? null,
      resumer: () => {
        resource.target = path.resolve(item.getSavePath())
        resume(ses, item, resource, kept?.path ?? null, kept?.offset ?? 0)
      }
    }
  })
  // Electron announces it once the download manager has an id for it: not synchronously.
  setImmediate(() => announce(ses, item))
}

module.exports = { downloadURL, createInterruptedDownload, startDownload }
