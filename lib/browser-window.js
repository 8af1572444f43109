'use strict'
//! Electron's BrowserWindow, headless: a window is its webContents (web-contents.js) in
//! the session its webPreferences name, with the visual options kept and answered
//! (bounds, visibility, title) but nothing drawn. `getAllWindows()`, `fromId()`,
//! `fromWebContents()` list the open ones.

const { EventEmitter } = require('node:events')
const { pathToFileURL } = require('node:url')
const { session, Session } = require('./session')
const { WebContents } = require('./web-contents')
const { senderEvent } = require('./sender-event')
const { conversionError, codedError } = require('./errors')

const open = new Map()
let nextId = 1

// The session of `webPreferences`: `session` (a Session), else `partition`, else the
// default session.
function sessionOf (webPreferences = {}) {
  if (webPreferences.session !== undefined) {
    if (!(webPreferences.session instanceof Session)) throw codedError('webPreferences.session must be a Session', 'ERR_INVALID_ARG_TYPE', TypeError)
    return webPreferences.session
  }
  if (webPreferences.partition !== undefined) {
    if (typeof webPreferences.partition !== 'string') throw codedError('webPreferences.partition must be a string', 'ERR_INVALID_ARG_TYPE', TypeError)
    return session.fromPartition(webPreferences.partition)
  }
  return session.defaultSession
}

class BrowserWindow extends EventEmitter {
  #bounds
  #visible
  #title
  #destroyed = false
  #focused = false
  #minimized = false
  #maximized = false
  #readyToShow = false

  constructor (options = {}) {
    super()
    if (options === null || typeof options !== 'object') throw conversionError(0, options)
    const ses = sessionOf(options.webPreferences)
    this.id = nextId++
    this.#bounds = {
      x: options.x ?? 0,
      y: options.y ?? 0,
      width: options.width ?? 800,
      height: options.height ?? 600
    }
    this.#visible = options.show !== false
    this.#title = options.title ?? ''
    this.webContents = new WebContents(ses, this)
    // 'ready-to-show' after the first load, where Electron's first paint would be.
    this.webContents.once('did-stop-loading', () => {
      if (!this.#readyToShow && !this.#destroyed) {
        this.#readyToShow = true
        this.emit('ready-to-show', senderEvent(this))
      }
    })
    open.set(this.id, this)
  }

  static getAllWindows () { return [...open.values()] }
  static fromId (id) { return open.get(id) ?? null }
  static fromWebContents (contents) {
    return BrowserWindow.getAllWindows().find((w) => w.webContents === contents) ?? null
  }

  static getFocusedWindow () {
    return BrowserWindow.getAllWindows().find((w) => w.isFocused()) ?? null
  }

  loadURL (url, options) {
    this.#check()
    return this.webContents.loadURL(url, options)
  }

  // Electron's loadFile: a file: URL for `filePath`, with `query`, `search` and `hash`.
  loadFile (filePath, options = {}) {
    this.#check()
    if (typeof filePath !== 'string') throw conversionError(0, filePath)
    const url = pathToFileURL(filePath)
    if (options.query) url.search = new URLSearchParams(options.query).toString()
    if (options.search) url.search = options.search
    if (options.hash) url.hash = options.hash
    return this.webContents.loadURL(url.href)
  }

  // 'close' (preventable), then the window and its webContents go ('closed').
  close () {
    if (this.#destroyed) return
    const event = senderEvent(this)
    this.emit('close', event)
    if (!event.defaultPrevented) this.destroy()
  }

  destroy () {
    if (this.#destroyed) return
    this.#destroyed = true
    open.delete(this.id)
    this.webContents._destroy()
    this.emit('closed')
  }

  isDestroyed () { return this.#destroyed }

  getBounds () { this.#check(); return { ...this.#bounds } }
  setBounds (bounds) {
    this.#check()
    if (bounds === null || typeof bounds !== 'object') throw conversionError(0, bounds)
    for (const key of ['x', 'y', 'width', 'height']) {
      if (bounds[key] !== undefined) this.#bounds[key] = bounds[key]
    }
    this.emit('resize', senderEvent(this))
  }

  getContentBounds () { return this.getBounds() }
  getSize () { this.#check(); return [this.#bounds.width, this.#bounds.height] }
  setSize (width, height) { this.setBounds({ width, height }) }
  getPosition () { this.#check(); return [this.#bounds.x, this.#bounds.y] }
  setPosition (x, y) { this.setBounds({ x, y }) }

  show () { this.#check(); this.#visible = true; this.#focused = true; this.emit('show', senderEvent(this)) }
  showInactive () { this.#check(); this.#visible = true; this.emit('show', senderEvent(this)) }
  hide () { this.#check(); this.#visible = false; this.#focused = false; this.emit('hide', senderEvent(this)) }
  isVisible () { this.#check(); return this.#visible }
  focus () { this.#check(); this.#focused = true; this.emit('focus', senderEvent(this)) }
  blur () { this.#check(); this.#focused = false; this.emit('blur', senderEvent(this)) }
  isFocused () { return !this.#destroyed && this.#focused }
  minimize () { this.#check(); this.#minimized = true; this.emit('minimize', senderEvent(this)) }
  restore () { this.#check(); this.#minimized = false; this.#maximized = false; this.emit('restore', senderEvent(this)) }
  isMinimized () { this.#check(); return this.#minimized }
  maximize () { this.#check(); this.#maximized = true; this.emit('maximize', senderEvent(this)) }
  unmaximize () { this.#check(); this.#maximized = false; this.emit('unmaximize', senderEvent(this)) }
  isMaximized () { this.#check(); return this.#maximized }

  // The window's title: the page's unless set (Electron's 'page-title-updated' default).
  getTitle () { this.#check(); return this.#title }
  setTitle (title) {
    this.#check()
    if (typeof title !== 'string') throw conversionError(0, title)
    this.#title = title
  }

  // Internal (WebContents): the page's title changed; the window takes it unless a
  // 'page-title-updated' listener prevents it.
  _titled (title) {
    const event = senderEvent(this)
    this.emit('page-title-updated', event, title, true)
    if (!event.defaultPrevented) this.#title = title
  }

  #check () {
    if (this.#destroyed) throw codedError('Object has been destroyed', 'ERR_OBJECT_DESTROYED')
  }
}

module.exports = { BrowserWindow }
