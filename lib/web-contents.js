'use strict'
//! Electron's WebContents, headless: a main frame that navigates through its session
//! (navigation.js) with Electron's events in Chromium's order, and no page to render or
//! script to run. `webContents.getAllWebContents()` and `fromId()` list the live ones.

const { EventEmitter } = require('node:events')
const fs = require('node:fs')
const { Navigation } = require('./navigation')
const { startDownload, downloadURL } = require('./download')
const { conversionError, codedError } = require('./errors')

// Frames have a process and a routing id in Chromium; here one process, ids per frame.
const FRAME_PROCESS_ID = 1

const all = new Map()
let nextId = 1
let nextRoutingId = 1

// An Electron event for `sender`: preventDefault() and defaultPrevented, plus `fields`.
function senderEvent (sender, fields = {}) {
  let prevented = false
  return {
    ...fields,
    sender,
    preventDefault () { prevented = true },
    get defaultPrevented () { return prevented }
  }
}

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
  #loading = false
  #destroyed = false
  #userAgent = null
  #navigation = null
  // The options of the last loadURL (for reload()).
  #lastLoad = null

  constructor (session, window = null) {
    super()
    this.id = nextId++
    this.#session = session
    this.#window = window
    this.mainFrameRoutingId = nextRoutingId++
    all.set(this.id, this)
  }

  static getAllWebContents () { return [...all.values()] }
  static fromId (id) { return all.get(id) }

  get session () { return this.#session }

  getURL () { return this.#url }
  // Electron shows the URL while a page has no title.
  getTitle () { return this.#title || this.#url }
  isLoading () { return this.#loading }
  isLoadingMainFrame () { return this.#loading }
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
    const request = { url, method: 'GET', headers: [], resourceType: 'mainFrame' }
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
    this.#lastLoad = { url, options }
    return this.#navigate(request)
  }

  // Loads the current URL again, revalidating the document with the server.
  reload () {
    this.#check()
    if (this.#lastLoad === null) return
    this.loadURL(this.#url || this.#lastLoad.url, this.#lastLoad.options).catch(() => {})
  }

  reloadIgnoringCache () { this.reload() }

  // Stops the navigation under way: it fails with ERR_ABORTED.
  stop () {
    this.#check()
    this.#navigation?.abort()
  }

  downloadURL (url, options) {
    this.#check()
    downloadURL(this.#session, url, options, () => this.#session._downloadDirectory(), this)
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
    this.#navigation?.abort()
    const navigation = new MainNavigation(this, {
      ses: this.#session,
      webContentsId: this.id,
      userAgent: this.#userAgent
    })
    this.#navigation = navigation
    this.#url = request.url
    this.#title = ''
    if (!this.#loading) {
      this.#loading = true
      this.emit('did-start-loading')
    }
    const loaded = navigation.run(request).finally(() => {
      if (this.#navigation !== navigation) return
      this.#navigation = null
      this.#loading = false
      this.emit('did-stop-loading')
    })
    // As Electron: a caller that drops the promise gets no unhandled rejection.
    loaded.catch(() => {})
    return loaded
  }

  // Internal (MainNavigation): state the main frame's navigation reports.
  _committed (url) { this.#url = url }
  _titled (title) {
    this.#title = title
    this.#window?._titled(title)
  }
}

// The main frame's navigation, and its subframes', told to their webContents as events.
class MainNavigation extends Navigation {
  #contents
  #aborted = null

  constructor (contents, context) {
    super(context)
    this.#contents = contents
  }

  abort () {
    if (this.#aborted) return
    this.#aborted = { errorCode: -3, errorDescription: 'ERR_ABORTED' }
    this.cancel()
  }

  async run (request) {
    const contents = this.#contents
    const routingId = contents.mainFrameRoutingId
    let committed = false
    let downloaded = false
    this.#startEvent('did-start-navigation', request.url, true, routingId)
    const error = await this.frame(request, {
      redirect: (url) => this.#startEvent('did-redirect-navigation', url, true, routingId),
      commit: (url, status, text) => {
        committed = true
        contents._committed(url)
        contents.emit('did-navigate', senderEvent(contents), url, status, text)
      },
      download: (loader, step, urlChain) => {
        downloaded = true
        startDownload(contents.session, loader, step, urlChain, contents, () => contents.session._downloadDirectory())
      },
      domReady: () => contents.emit('dom-ready', senderEvent(contents)),
      title: (title) => {
        contents._titled(title)
        contents.emit('page-title-updated', senderEvent(contents), title, true)
      },
      subframe: (url, referrer) => this.#subframe(url, referrer)
    })
    const failed = this.#aborted ?? error ?? (downloaded || !committed ? { errorCode: -3, errorDescription: 'ERR_ABORTED' } : null)
    if (failed) {
      const validatedURL = failed.validatedURL ?? request.url
      contents.emit('did-fail-load', senderEvent(contents), failed.errorCode, failed.errorDescription, validatedURL, true, FRAME_PROCESS_ID, routingId)
      const thrown = new Error(`${failed.errorDescription} (${failed.errorCode}) loading '${validatedURL.slice(0, 2048)}'`)
      throw Object.assign(thrown, { errno: failed.errorCode, code: failed.errorDescription, url: validatedURL })
    }
    contents.emit('did-frame-finish-load', senderEvent(contents), true, FRAME_PROCESS_ID, routingId)
    contents.emit('did-finish-load', senderEvent(contents))
  }

  // An iframe: navigated like the main frame, reported with isMainFrame false.
  async #subframe (url, referrer) {
    const contents = this.#contents
    const routingId = nextRoutingId++
    this.#startEvent('did-start-navigation', url, false, routingId)
    let committed = false
    const error = await this.frame({ url, referrer, resourceType: 'subFrame' }, {
      redirect: (to) => this.#startEvent('did-redirect-navigation', to, false, routingId),
      commit: (to, status, text) => {
        committed = true
        contents.emit('did-frame-navigate', senderEvent(contents), to, status, text, false, FRAME_PROCESS_ID, routingId)
      },
      download: (loader, step, urlChain) => startDownload(contents.session, loader, step, urlChain, contents, () => contents.session._downloadDirectory()),
      domReady: () => {},
      title: () => {},
      subframe: (to, ref) => this.#subframe(to, ref)
    })
    if (this.cancelled) return
    if (error) {
      contents.emit('did-fail-load', senderEvent(contents), error.errorCode, error.errorDescription, error.validatedURL, false, FRAME_PROCESS_ID, routingId)
    } else if (committed) {
      contents.emit('did-frame-finish-load', senderEvent(contents), false, FRAME_PROCESS_ID, routingId)
    }
  }

  // did-start-navigation / did-redirect-navigation: a details event, then the deprecated
  // positional values.
  #startEvent (name, url, isMainFrame, routingId) {
    const contents = this.#contents
    const details = senderEvent(contents, { url, isSameDocument: false, isMainFrame, frame: null, initiator: null })
    contents.emit(name, details, url, false, isMainFrame, FRAME_PROCESS_ID, routingId)
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

module.exports = { WebContents, webContents, senderEvent }
