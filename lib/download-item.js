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
  // The request saving the body; null until the save starts (controls used inside
  // 'will-download' wait for it) and while an interrupted download is not running.
  #loader = null
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
  #startTime
  #endTime = 0
  #savePath = ''
  #dialogOptions = {}
  #samples = []
  #reason = null
  // An interrupted download's temporary file, and how to continue it (set by download.js).
  #partial = null
  #resumer = null
  // A resumption's request is under way (the item still says 'interrupted').
  #resuming = false
  // cancel() came before there was a transfer to cancel.
  #cancelPending = false

  // `info`: { urlChain, mimeType, contentDisposition, totalBytes, etag, lastModified,
  // filename }, and for a download that starts interrupted (createInterruptedDownload)
  // { interrupted: { reason, received, savePath, startTime, partial, resumer } }.
  constructor (info) {
    super()
    this.#startTime = info.interrupted?.startTime ?? Date.now() / 1000
    if (info.interrupted) {
      this.#state = 'interrupted'
      this.#reason = info.interrupted.reason
      this.#received = info.interrupted.received
      this.#savePath = info.interrupted.savePath
      this.#partial = info.interrupted.partial
      this.#resumer = info.interrupted.resumer
    }
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

  // Internal: the transfer of `loader` started; a pause asked for before it applies now.
  _attach (loader) {
    this.#loader = loader
    if (this.#paused) loader.pauseSave(true)
  }

  // Internal: whether cancel() was called before there was a transfer (the caller then
  // ends the item cancelled instead of starting one).
  _takeCancel () {
    const pending = this.#cancelPending
    this.#cancelPending = false
    return pending
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
    if (this.#state !== 'progressing' && !this.#resuming) return
    this.#resuming = false
    this.#state = state
    this.#reason = reason
    if (typeof received === 'number') this.#received = received
    if (state === 'completed') this.#total = this.#received
    this.#samples = []
    if (state === 'interrupted' && partial !== null && resumer !== null && /^NETWORK_/.test(reason ?? '')) {
      this.#loader = null
      this.#partial = partial
      this.#resumer = resumer
      this.emit('updated', { sender: this }, 'interrupted')
      return
    }
    if (partial !== null) this.#partial = partial
    this.#end(state)
  }

  // Ends the download ('done'); a temporary file left from an interruption goes first (one
  // unlink: 'done' listeners find the directory as it stays).
  #end (state) {
    if (this.#partial !== null && state !== 'completed') {
      try { fs.rmSync(this.#partial, { force: true }) } catch {}
    }
    this.#partial = null
    this.#resumer = null
    this.#state = state
    this.#endTime = Date.now() / 1000
    this.emit('done', { sender: this }, state)
  }

  // Internal: a resumption's request answered and its transfer starts; `received` bytes
  // are kept (0: the server sent the whole body again, with `total`).
  _resumed (received, total) {
    this.#resuming = false
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
    this.#loader?.pauseSave(true)
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
      this.#resuming = true
      this.#paused = false
      return resumer(this.#partial, this.#received)
    }
    if (!this.#paused || this.#state !== 'progressing') return
    this.#paused = false
    this.#loader?.pauseSave(false)
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
      return this.#end('cancelled')
    }
    if (this.#state !== 'progressing' && !this.#resuming) return
    if (this.#loader === null || this.#resuming) {
      this.#cancelPending = true
      return
    }
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
