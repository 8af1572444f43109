'use strict'
//! A webContents' navigation told as Electron's events: the main frame's and its iframes'
//! (navigation.js loads them), 'login' on the webContents and then `app` for a 401/407
//! (cancelled unless a listener prevents the default and answers), a response that is not
//! shown handed to downloads with this webContents, and a navigation to a scheme nothing
//! handles (mailto:, tel:, …) asked of the permission handler as 'openExternal' and, when
//! granted, given to `shell.openExternal`.

const { Navigation } = require('./navigation')
const { startDownload } = require('./download')
const { permissionsOf } = require('./permissions')
const { senderEvent } = require('./sender-event')
const { shell } = require('./shell')
const { app } = require('./app')

// Frames have a process and a routing id in Chromium; here one process, ids per frame.
const FRAME_PROCESS_ID = 1
let lastRoutingId = 0
const nextRoutingId = () => ++lastRoutingId

const ABORTED = { errorCode: -3, errorDescription: 'ERR_ABORTED' }

class ContentsNavigation extends Navigation {
  #contents
  #aborted = null

  constructor (contents, context) {
    super(context)
    this.#contents = contents
  }

  // Ends the navigation: it fails with ERR_ABORTED.
  abort () {
    if (this.#aborted) return
    this.#aborted = ABORTED
    this.cancel()
  }

  // Loads the main frame (navigating away from `from`); resolves once it finished, throws
  // Electron's load error.
  async run (request, from) {
    const contents = this.#contents
    const routingId = contents.mainFrameRoutingId
    const outcome = await this.#frame(request, true, routingId)
    let failed = this.#aborted ?? outcome.error
    if (failed?.errorDescription === 'ERR_UNKNOWN_URL_SCHEME' && !this.#aborted) {
      // Handed to another application: the page stays where it was.
      contents._committed(from)
      await this.#openExternal(request.url, from, true)
      failed = ABORTED
    }
    failed ??= outcome.committed ? null : ABORTED
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
  async #subframe (url, referrer, parentUrl) {
    const contents = this.#contents
    const routingId = nextRoutingId()
    const outcome = await this.#frame({ url, referrer, resourceType: 'subFrame' }, false, routingId)
    if (this.cancelled) return
    const { error, committed } = outcome
    if (error?.errorDescription === 'ERR_UNKNOWN_URL_SCHEME') return this.#openExternal(url, parentUrl, false)
    if (error) {
      contents.emit('did-fail-load', senderEvent(contents), error.errorCode, error.errorDescription, error.validatedURL, false, FRAME_PROCESS_ID, routingId)
    } else if (committed) {
      contents.emit('did-frame-finish-load', senderEvent(contents), false, FRAME_PROCESS_ID, routingId)
    }
  }

  // One frame's document and what it loads, its events told; resolves with
  // { error, committed }. A certificate error asks 'certificate-error' and, when a listener
  // accepts the certificate, loads the frame again (Chromium proceeding past its
  // interstitial).
  async #frame (request, isMainFrame, routingId) {
    const outcome = await this.#frameOnce(request, isMainFrame, routingId)
    const code = outcome.error?.errorDescription ?? ''
    if (!code.startsWith('ERR_CERT_') || this.cancelled) return outcome
    let host
    try { host = new URL(outcome.error.validatedURL).hostname.replace(/^\[|\]$/g, '') } catch { return outcome }
    const ses = this.#contents.session
    const rejected = ses._rejectedCertificate(host)
    if (rejected === null || !(await this.#certificateError(outcome.error.validatedURL, rejected, isMainFrame))) return outcome
    ses._allowCertificate(host, rejected.key)
    return this.#frameOnce(request, isMainFrame, routingId)
  }

  // 'certificate-error' on the webContents, then on `app`, one event for both; resolves
  // with the answer (false unless a listener prevented the default and said true).
  #certificateError (url, rejected, isMainFrame) {
    const contents = this.#contents
    return new Promise((resolve) => {
      let answered = false
      const callback = (isTrusted) => {
        if (answered) return
        answered = true
        resolve(isTrusted === true && !this.cancelled)
      }
      const event = senderEvent(contents)
      contents.emit('certificate-error', event, url, rejected.error, rejected.certificate, callback, isMainFrame)
      app.emit('certificate-error', event, contents, url, rejected.error, rejected.certificate, callback, isMainFrame)
      if (!event.defaultPrevented) callback(false)
    })
  }

  async #frameOnce (request, isMainFrame, routingId) {
    const contents = this.#contents
    let committed = false
    let documentUrl = request.url
    this.#startEvent('did-start-navigation', request.url, isMainFrame, routingId)
    const error = await this.frame(request, {
      redirect: (url) => this.#startEvent('did-redirect-navigation', url, isMainFrame, routingId),
      login: (url, authInfo, respond) => this.#login(url, authInfo, respond),
      commit: (url, status, text) => {
        committed = true
        documentUrl = url
        if (isMainFrame) {
          contents._committed(url)
          contents.emit('did-navigate', senderEvent(contents), url, status, text)
        } else {
          contents.emit('did-frame-navigate', senderEvent(contents), url, status, text, false, FRAME_PROCESS_ID, routingId)
        }
      },
      download: (loader, step, urlChain) => {
        startDownload(contents.session, loader, step, urlChain, contents, () => contents.session._downloadDirectory())
      },
      domReady: () => { if (isMainFrame) contents.emit('dom-ready', senderEvent(contents)) },
      title: (title) => {
        if (!isMainFrame) return
        contents._titled(title)
        contents.emit('page-title-updated', senderEvent(contents), title, true)
      },
      subframe: (url, referrer) => this.#subframe(url, referrer, documentUrl)
    })
    return { error, committed }
  }

  // 'login' on the webContents, then on `app` (Electron forwards it), one event for both;
  // unless a listener prevented the default, the authentication is cancelled.
  #login (url, authInfo, respond) {
    const contents = this.#contents
    let answered = false
    const callback = (username, password) => {
      if (answered || this.cancelled) return
      answered = true
      respond(username, password)
    }
    const event = senderEvent(contents)
    contents.emit('login', event, { url }, authInfo, callback)
    app.emit('login', event, contents, { url }, authInfo, callback)
    if (!event.defaultPrevented) callback()
  }

  // A scheme nothing here handles: Electron asks for 'openExternal', and opens it if granted.
  async #openExternal (url, requestingUrl, isMainFrame) {
    const contents = this.#contents
    const details = { requestingUrl, isMainFrame, externalURL: url }
    if (await permissionsOf(contents.session).request(contents, 'openExternal', details)) {
      await shell.openExternal(url)
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

module.exports = { ContentsNavigation, nextRoutingId }
