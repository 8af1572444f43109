'use strict'
//! Electron's DownloadItem: a download's state, its getters and its controls, with the
//! 'updated' and 'done' events at Electron's moments. The transfer itself is native
//! (core/download/transfer.rs, through the request's loader); this keeps what JS sees.

const { EventEmitter } = require('node:events')
const fs = require('node:fs')
const path = require('node:path')

const destroyedError = () => new Error('DownloadItem used after being destroyed')

// How far back the current speed looks.
const SPEED_WINDOW_MS = 1000

class DownloadItem extends EventEmitter {
  #loader
  #state = 'progressing'
  #paused = false
  #destroyed = false
  #received = 0
  #total
  #urlChain
  #mimeType
  #disposition
  #etag
  #lastModified
  #filename
  #startTime = Date.now() / 1000
  #endTime = 0
  #savePath = ''
  #dialogOptions = {}
  #samples = []
  #reason = null
  // An interrupted download's temporary file, and how to continue it (set by download.js).
  #partial = null
  #resumer = null

  // `info`: { loader, urlChain, mimeType, contentDisposition, totalBytes, etag,
  // lastModified, filename }.
  constructor (info) {
    super()
    this.#loader = info.loader
    this.#urlChain = info.urlChain
    this.#mimeType = info.mimeType
    this.#disposition = info.contentDisposition
    this.#total = info.totalBytes
    this.#etag = info.etag
    this.#lastModified = info.lastModified
    this.#filename = info.filename
  }

  #check () {
    if (this.#destroyed) throw destroyedError()
  }

  // Internal: will-download was prevented; from the next tick the item is gone.
  _destroy () {
    setImmediate(() => { this.#destroyed = true })
  }

  // Internal: bytes written so far.
  _progress (received) {
    this.#received = received
    const now = Date.now()
    this.#samples.push([now, received])
    while (this.#samples.length > 2 && now - this.#samples[0][0] > SPEED_WINDOW_MS) this.#samples.shift()
    this.emit('updated', { sender: this }, 'progressing')
  }

  // Internal: the transfer ended (`state` completed | cancelled | interrupted). A network
  // failure with a temporary file to continue (and a `resumer`) is 'updated' with
  // 'interrupted' and can be resumed; anything else is 'done'.
  _done (state, reason, received, partial = null, resumer = null) {
    // Running, or interrupted with its resumption's request under way.
    const resuming = this.#state === 'interrupted' && this.#resumer === null && this.#partial !== null
    if (this.#state !== 'progressing' && !resuming) return
    this.#state = state
    this.#reason = reason
    if (typeof received === 'number') this.#received = received
    if (state === 'completed') this.#total = this.#received
    this.#samples = []
    if (state === 'interrupted' && partial !== null && resumer !== null && /^NETWORK_/.test(reason ?? '')) {
      this.#partial = partial
      this.#resumer = resumer
      this.emit('updated', { sender: this }, 'interrupted')
      return
    }
    // Not to be resumed: an interrupted download's temporary file goes.
    if (this.#partial !== null && state !== 'completed') fs.rm(this.#partial, { force: true }, () => {})
    this.#partial = null
    this.#endTime = Date.now() / 1000
    this.emit('done', { sender: this }, state)
  }

  // Internal: a resumption's request took over (`loader`); `received` bytes are kept (0: the
  // server sent the whole body again, with `total`).
  _resumed (loader, received, total) {
    this.#loader = loader
    this.#state = 'progressing'
    this.#received = received
    if (total !== undefined) this.#total = total
    this.emit('updated', { sender: this }, 'progressing')
  }

  // Internal: the reason a download was interrupted (Chromium's name), or null.
  get _interruptReason () { return this.#reason }

  setSavePath (savePath) {
    this.#check()
    if (typeof savePath !== 'string') throw new TypeError(`Error processing argument at index 0, conversion failure from ${savePath}`)
    this.#savePath = savePath
  }

  getSavePath () {
    this.#check()
    return this.#savePath
  }

  get savePath () { return this.getSavePath() }
  set savePath (value) { this.setSavePath(value) }

  setSaveDialogOptions (options) {
    this.#check()
    this.#dialogOptions = { ...options }
  }

  getSaveDialogOptions () {
    this.#check()
    return { ...this.#dialogOptions }
  }

  pause () {
    this.#check()
    if (this.#paused || this.#state !== 'progressing') return
    this.#paused = true
    this.#loader.pauseSave(true)
    this.emit('updated', { sender: this }, 'progressing')
  }

  isPaused () {
    this.#check()
    return this.#paused
  }

  resume () {
    this.#check()
    if (this.#state === 'interrupted' && this.#resumer !== null) {
      const resumer = this.#resumer
      this.#resumer = null
      this.#paused = false
      return resumer(this.#partial, this.#received)
    }
    if (!this.#paused || this.#state !== 'progressing') return
    this.#paused = false
    this.#loader.pauseSave(false)
    this.emit('updated', { sender: this }, 'progressing')
  }

  canResume () {
    this.#check()
    return (this.#state === 'progressing' && this.#paused) || (this.#state === 'interrupted' && this.#resumer !== null)
  }

  cancel () {
    this.#check()
    if (this.#state === 'interrupted' && this.#resumer !== null) {
      // Nothing runs: the download ends cancelled, and its temporary file goes.
      this.#resumer = null
      return this._done('cancelled', null)
    }
    if (this.#state !== 'progressing') return
    this.#loader.cancelSave()
  }

  getURL () { this.#check(); return this.#urlChain.at(-1) ?? '' }
  getURLChain () { this.#check(); return [...this.#urlChain] }
  getMimeType () { this.#check(); return this.#mimeType }
  hasUserGesture () { this.#check(); return false }
  getFilename () { this.#check(); return this.#savePath === '' ? this.#filename : path.basename(this.#savePath) }
  getTotalBytes () { this.#check(); return this.#total }
  getReceivedBytes () { this.#check(); return this.#received }
  getContentDisposition () { this.#check(); return this.#disposition }
  getState () { this.#check(); return this.#state }
  getLastModifiedTime () { this.#check(); return this.#lastModified }
  getETag () { this.#check(); return this.#etag }
  getStartTime () { this.#check(); return this.#startTime }
  getEndTime () { this.#check(); return this.#endTime }
  getInitiatorOrigin () { this.#check(); return '' }

  getPercentComplete () {
    this.#check()
    if (this.#state === 'completed') return 100
    return this.#total > 0 ? Math.floor(this.#received * 100 / this.#total) : -1
  }

  getCurrentBytesPerSecond () {
    this.#check()
    if (this.#state !== 'progressing' || this.#paused || this.#samples.length < 2) return 0
    const [t0, b0] = this.#samples[0]
    const [t1, b1] = this.#samples.at(-1)
    return t1 > t0 ? Math.round((b1 - b0) * 1000 / (t1 - t0)) : 0
  }
}

module.exports = { DownloadItem }
