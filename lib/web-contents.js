'use strict'
//! Electron's WebContents, headless: a main frame that navigates through its session
//! (navigation.js) with Electron's events in Chromium's order, and no page to render or
//! script to run. `webContents.getAllWebContents()` and `fromId()` list the live ones.

const { EventEmitter } = require('node:events')
const fs = require('node:fs')
const { ContentsNavigation, nextRoutingId } = require('./contents-navigation')
const { downloadURL } = require('./download')
const { permissionsOf } = require('./permissions')
const { conversionError, codedError } = require('./errors')

const all = new Map()
let nextId = 1

// `extraHeaders` ("Name: value\n…") as a name/value list.
function parseExtraHeaders (text) {
  const list = []
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0) list.push(line.slice(0, colon).trim(), line.slice(colon + 1).trim())
  }
  return list
}

// loadURL's `postData` (UploadRawData and UploadFile entries) as one body; a file is read
// now, `length` bytes from `offset` (all of the rest without a length).
function postBody (postData) {
  if (!Array.isArray(postData)) throw codedError('options.postData must be an array', 'ERR_INVALID_ARG_TYPE', TypeError)
  return Buffer.concat(postData.map((entry) => {
    if (entry?.type === 'rawData' && Buffer.isBuffer(entry.bytes)) return entry.bytes
    if (entry?.type === 'file' && typeof entry.filePath === 'string') {
      const offset = entry.offset ?? 0
      const bytes = fs.readFileSync(entry.filePath)
      return bytes.subarray(offset, entry.length > 0 ? offset + entry.length : undefined)
    }
    throw codedError('options.postData entries must be UploadRawData ({ type: \'rawData\', bytes }) or UploadFile ({ type: \'file\', filePath })', 'ERR_INVALID_ARG_TYPE', TypeError)
  }))
}

class WebContents extends EventEmitter {
  #session
  #window
  #url = ''
  #title = ''
  #destroyed = false
  #userAgent = null
  // The navigation under way (loading while there is one).
  #navigation = null
  // The request of the last loadURL (for reload()).
  #lastLoad = null

  constructor (session, window = null) {
    super()
    this.id = nextId++
    this.#session = session
    this.#window = window
    this.mainFrameRoutingId = nextRoutingId()
    all.set(this.id, this)
  }

  static getAllWebContents () { return [...all.values()] }
  static fromId (id) { return all.get(id) }

  get session () { return this.#session }

  getURL () { return this.#url }
  // Electron shows the URL while a page has no title.
  getTitle () { return this.#title || this.#url }
  isLoading () { return this.#navigation !== null }
  isLoadingMainFrame () { return this.isLoading() }
  isDestroyed () { return this.#destroyed }
  getOwnerBrowserWindow () { return this.#window }
  getType () { return this.#window ? 'window' : 'remote' }
  setUserAgent (userAgent) {
    if (typeof userAgent !== 'string') throw conversionError(0, userAgent)
    this.#userAgent = userAgent
  }

  getUserAgent () { return this.#userAgent ?? this.#session.getUserAgent() }

  // Navigates the main frame; resolves once it finished loading, rejects as Electron does
  // (`ERR_NAME_NOT_RESOLVED (-105) loading 'http://…'`, with errno, code and url).
  loadURL (url, options = {}) {
    this.#check()
    if (typeof url !== 'string') throw conversionError(0, url)
    if (options === null || typeof options !== 'object') throw conversionError(1, options)
    // The URL as Chromium's GURL has it (`http://github.com` -> `http://github.com/`).
    let canonical = url
    try { canonical = new URL(url).href } catch {}
    const request = { url: canonical, method: 'GET', headers: [], resourceType: 'mainFrame' }
    if (options.userAgent !== undefined) this.setUserAgent(options.userAgent)
    if (options.extraHeaders !== undefined) {
      if (typeof options.extraHeaders !== 'string') throw codedError('options.extraHeaders must be a string', 'ERR_INVALID_ARG_TYPE', TypeError)
      request.headers = parseExtraHeaders(options.extraHeaders)
    }
    const referrer = typeof options.httpReferrer === 'object' ? options.httpReferrer?.url : options.httpReferrer
    if (referrer !== undefined && typeof referrer !== 'string') throw codedError('options.httpReferrer must be a string or a Referrer', 'ERR_INVALID_ARG_TYPE', TypeError)
    if (referrer) request.referrer = referrer
    if (options.postData !== undefined) {
      request.body = postBody(options.postData)
      request.method = 'POST'
    }
    this.#lastLoad = request
    return this.#navigate(request)
  }

  // Loads the current page again (Chromium's reload: the document revalidated with the
  // server, `Cache-Control: max-age=0`; ignoring the cache, fetched anew).
  reload () { this.#reload('no-cache') }
  reloadIgnoringCache () { this.#reload('reload') }

  #reload (cache) {
    this.#check()
    if (this.#lastLoad === null) return
    this.#navigate({ ...this.#lastLoad, url: this.#url || this.#lastLoad.url, cache })
  }

  // Stops the navigation under way: it fails with ERR_ABORTED.
  stop () {
    this.#check()
    this.#navigation?.abort()
  }

  downloadURL (url, options) {
    this.#check()
    downloadURL(this.#session, url, options, () => this.#session._downloadDirectory(), this)
  }

  // Beyond Electron, so that permission handlers can be tested without a page: runs the
  // session's request handler as a page's request would (Electron's default: granted).
  requestPermission (permission, details = {}) {
    this.#check()
    return permissionsOf(this.#session).request(this, permission, this.#permissionDetails(details))
  }

  // As requestPermission, for the check handler: a boolean.
  checkPermission (permission, details = {}) {
    this.#check()
    let origin = ''
    try { origin = new URL(this.#url).origin } catch {}
    return permissionsOf(this.#session).check(this, permission, origin, this.#permissionDetails(details))
  }

  #permissionDetails (details) {
    if (details === null || typeof details !== 'object') throw conversionError(1, details)
    return { requestingUrl: this.#url, isMainFrame: true, ...details }
  }

  executeJavaScript () {
    return Promise.reject(noScript('executeJavaScript'))
  }

  executeJavaScriptInIsolatedWorld () {
    return Promise.reject(noScript('executeJavaScriptInIsolatedWorld'))
  }

  // Internal (BrowserWindow): the webContents goes; anything loading stops.
  _destroy () {
    if (this.#destroyed) return
    this.#navigation?.abort()
    this.#destroyed = true
    all.delete(this.id)
    this.emit('destroyed')
  }

  #check () {
    if (this.#destroyed) throw codedError('Object has been destroyed', 'ERR_OBJECT_DESTROYED')
  }

  #navigate (request) {
    // A new navigation ends the one before it (its loadURL rejects with ERR_ABORTED).
    const wasLoading = this.isLoading()
    this.#navigation?.abort()
    const navigation = new ContentsNavigation(this, {
      ses: this.#session,
      webContentsId: this.id,
      userAgent: this.#userAgent
    })
    this.#navigation = navigation
    const from = this.#url
    this.#url = request.url
    this.#title = ''
    if (!wasLoading) this.emit('did-start-loading')
    const loaded = navigation.run(request, from).finally(() => {
      if (this.#navigation !== navigation) return
      this.#navigation = null
      this.emit('did-stop-loading')
    })
    // As Electron: a caller that drops the promise gets no unhandled rejection.
    loaded.catch(() => {})
    return loaded
  }

  // Internal (ContentsNavigation): state the main frame's navigation reports.
  _committed (url) { this.#url = url }
  _titled (title) {
    this.#title = title
    this.#window?._titled(title)
  }
}

function noScript (method) {
  return codedError(`webContents.${method} is not available: headless-session loads pages but runs no page JavaScript`, 'ERR_NOT_SUPPORTED')
}

const webContents = {
  getAllWebContents: () => WebContents.getAllWebContents(),
  fromId: (id) => WebContents.fromId(id),
  getFocusedWebContents: () => null
}

module.exports = { WebContents, webContents }
