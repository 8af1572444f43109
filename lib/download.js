'use strict'
//! `ses.downloadURL(url[, { headers }])`: a GET through the session's request stack
//! (cookies, webRequest, proxies, auth, certificates, emulation, the cache) whose body stays
//! native; at its response the session emits 'will-download' (event, item, null: there is
//! no window), and unless prevented the body is saved where the item says (its save path,
//! else the session's download directory under the name Chromium picks, made unique).

const path = require('node:path')
const native = require('./native')
const { Loader, unpackPairs, unpackRedirects } = require('./url-loader')
const { DownloadItem } = require('./download-item')
const { conversionError } = require('./errors')

// The first value of header `name` in `pairs` ('' when absent).
const headerValue = (pairs, name) => pairs.find(([n]) => n.toLowerCase() === name)?.[1] ?? ''

// Chromium's interrupt reason for an HTTP error status (download_stats / DownloadResponseHandler).
function statusReason (status) {
  if (status === 401) return 'SERVER_UNAUTHORIZED'
  if (status === 403) return 'SERVER_FORBIDDEN'
  if (status >= 500) return 'SERVER_FAILED'
  return 'SERVER_BAD_CONTENT'
}

// Emits 'will-download' for `item`; true unless a listener prevented it.
function announce (ses, item) {
  let prevented = false
  const event = { preventDefault () { prevented = true }, get defaultPrevented () { return prevented } }
  ses.emit('will-download', event, item, null)
  if (prevented) item._destroy()
  return !prevented
}

function downloadURL (ses, url, options, directory) {
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
    const pairs = unpackPairs(step.headers, '\0')
    const mimeType = headerValue(pairs, 'content-type').split(';')[0].trim()
    const contentDisposition = headerValue(pairs, 'content-disposition')
    const length = Number(headerValue(pairs, 'content-length'))
    const item = new DownloadItem({
      loader,
      urlChain: [url, ...unpackRedirects(step.redirects).map((r) => r.newUrl)],
      mimeType,
      contentDisposition,
      totalBytes: Number.isInteger(length) && length > 0 ? length : 0,
      etag: headerValue(pairs, 'etag'),
      lastModified: headerValue(pairs, 'last-modified'),
      filename: native.downloadFileName(step.url, contentDisposition, mimeType)
    })
    if (!announce(ses, item)) return loader.cancel()
    if (step.statusCode >= 400) {
      loader.cancel()
      return item._done('interrupted', statusReason(step.statusCode), 0)
    }
    let target = item.getSavePath()
    if (target === '') {
      target = native.downloadUniquePath(directory(), item.getFilename())
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
  // No response at all (a name that does not resolve, a refused connection): Chromium makes
  // the item anyway, interrupted.
  loader.onError = () => {
    const item = new DownloadItem({ loader, urlChain: [url], mimeType: '', contentDisposition: '', totalBytes: 0, etag: '', lastModified: '', filename: native.downloadFileName(url, '', '') })
    if (announce(ses, item)) item._done('interrupted', 'NETWORK_FAILED', 0)
  }
}

// Saves `loader`'s body for `item` (into `partial` after `offset` bytes when resuming); an
// interruption on the network leaves the item resumable.
function saveInto (ses, item, loader, resource, partial, offset) {
  const resumer = (kept, received) => resume(ses, item, resource, kept, received)
  loader.onSaveProgress = (received) => item._progress(received)
  loader.onSaved = (state, reason, received, kept) => item._done(state, reason, received, kept, resumer)
  loader.onError = () => item._done('interrupted', 'NETWORK_FAILED')
  loader.save(resource.target, partial ?? undefined, partial === null ? undefined : offset)
}

// The bytes a 206's Content-Range starts at (NaN when it has none).
const rangeStart = (pairs) => Number(/^bytes\s+(\d+)-/.exec(headerValue(pairs, 'content-range'))?.[1])

// Resumes an interrupted download as Chromium does: the rest with `Range` and `If-Range`
// (the ETag, else Last-Modified); a 200 (Range ignored, or the validator changed) starts
// over; any other answer ends it interrupted.
function resume (ses, item, resource, partial, received) {
  const headers = ['Range', `bytes=${received}-`]
  if (resource.validator !== '') headers.push('If-Range', resource.validator)
  const loader = new Loader(ses, { method: 'GET', url: resource.url, headers, followRedirects: true, useCookies: true, keepBody: true })
  loader.onStep = (step) => {
    const pairs = unpackPairs(step.headers, '\0')
    if (step.statusCode === 206 && rangeStart(pairs) === received) {
      item._resumed(loader, received)
      return saveInto(ses, item, loader, resource, partial, received)
    }
    if (step.statusCode === 200) {
      const length = Number(headerValue(pairs, 'content-length'))
      item._resumed(loader, 0, Number.isInteger(length) && length > 0 ? length : 0)
      resource.validator = headerValue(pairs, 'etag') || headerValue(pairs, 'last-modified')
      return saveInto(ses, item, loader, resource, partial, 0)
    }
    loader.cancel()
    item._done('interrupted', step.statusCode === 416 ? 'SERVER_NO_RANGE' : statusReason(step.statusCode), received)
  }
  loader.onError = () => {
    item._done('interrupted', 'NETWORK_FAILED', received, partial, (kept, bytes) => resume(ses, item, resource, kept, bytes))
  }
}

module.exports = { downloadURL }
