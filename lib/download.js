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
    loader.onSaveProgress = (received) => item._progress(received)
    loader.onSaved = (state, reason, received) => item._done(state, reason, received)
    loader.onError = () => item._done('interrupted', 'NETWORK_FAILED')
    loader.save(target)
  }
  // No response at all (a name that does not resolve, a refused connection): Chromium makes
  // the item anyway, interrupted.
  loader.onError = () => {
    const item = new DownloadItem({ loader, urlChain: [url], mimeType: '', contentDisposition: '', totalBytes: 0, etag: '', lastModified: '', filename: native.downloadFileName(url, '', '') })
    if (announce(ses, item)) item._done('interrupted', 'NETWORK_FAILED', 0)
  }
}

module.exports = { downloadURL }
