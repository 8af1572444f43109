'use strict'
//! The parts of Electron's `app` that sessions depend on: `setPath`/`getPath` for the
//! directories persistent partitions live in, the 'session-created' event, commandLine, and
//! the lifecycle (ready, quit, exit, name and version).

const { EventEmitter } = require('node:events')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const native = require('./native')
const { conversionError, codedError } = require('./errors')
const { CommandLine } = require('./command-line')

// Electron's event object for the quit events.
function quitEvent () {
  let prevented = false
  return {
    preventDefault () { prevented = true },
    get defaultPrevented () { return prevented }
  }
}

// The app: the package.json nearest to the main script and its directory (Electron reads
// the app's own); without one, the main script's directory and no manifest.
function findApp () {
  const start = require.main?.filename ? path.dirname(require.main.filename) : process.cwd()
  for (let dir = start; ;) {
    try {
      return { dir, manifest: JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) }
    } catch {}
    const parent = path.dirname(dir)
    if (parent === dir) return { dir: start, manifest: null }
    dir = parent
  }
}

class App extends EventEmitter {
  commandLine = new CommandLine()
  #userData = null
  #sessionDataSet = false
  #ready = false
  #whenReady
  #quitting = false
  #name = null
  #found

  constructor () {
    super()
    // 'ready' once, on the next tick after load: there is nothing to wait for, and a script
    // registers its listener synchronously after require, as it does in Electron.
    this.#whenReady = new Promise((resolve) => {
      process.nextTick(() => {
        this.#ready = true
        resolve()
        this.emit('ready', { preventDefault () {}, defaultPrevented: false }, {})
      })
    })
  }

  isReady () {
    return this.#ready
  }

  // whenReady(): resolves once ready, also for callers that come late.
  whenReady () {
    return this.#whenReady
  }

  // quit(): 'before-quit' then 'will-quit' (either may preventDefault), then storage is
  // flushed, 'quit' is emitted and the process exits with 0.
  quit () {
    if (this.#quitting) return
    if (this.#cancelled('before-quit')) return
    this.#quitting = true
    setImmediate(() => {
      this.#quitting = false
      if (this.#cancelled('will-quit')) return
      this.#end(0, true)
    })
  }

  // exit(code): exits at once with `code`, storage flushed, no quit events (as Electron).
  exit (exitCode = 0) {
    if (!Number.isInteger(exitCode)) throw conversionError(0, exitCode)
    this.#end(exitCode, false)
  }

  #cancelled (name) {
    const event = quitEvent()
    this.emit(name, event)
    return event.defaultPrevented
  }

  #end (exitCode, announce) {
    try {
      native.flushAllStorage()
    } catch (error) {
      process.emitWarning(`headless-session: flushing storage at exit failed: ${error.message}`)
    }
    if (announce) this.emit('quit', quitEvent(), exitCode)
    process.exit(exitCode)
  }

  // getName()/getVersion(): the app's package.json (productName, else name; version), as
  // Electron reads them; this package's own without one.
  getName () {
    return this.#name ?? this.#appManifest()?.productName ?? this.#appManifest()?.name ?? 'headless-session'
  }

  setName (name) {
    if (typeof name !== 'string') throw conversionError(0, name)
    this.#name = name
  }

  getVersion () {
    return this.#appManifest()?.version ?? require('../package.json').version
  }

  get name () {
    return this.getName()
  }

  set name (name) {
    this.setName(name)
  }

  // getAppPath(): the app's directory, where its package.json is.
  getAppPath () {
    return this.#app().dir
  }

  // isPackaged: false, as Electron reports for an app run from source; nothing is packaged.
  get isPackaged () {
    return false
  }

  #appManifest () {
    return this.#app().manifest
  }

  #app () {
    this.#found ??= findApp()
    return this.#found
  }

  // setPath(name, path): 'userData' and 'sessionData' place persistent partitions
  // (sessionData follows userData unless set itself); other names are remembered.
  setPath (name, value) {
    if (typeof name !== 'string') throw conversionError(0, name)
    if (typeof value !== 'string') throw conversionError(1, value)
    if (!path.isAbsolute(value)) throw codedError('Path must be absolute', 'ERR_INVALID_ARG_VALUE')
    if (name === 'userData') {
      this.#userData = value
      if (!this.#sessionDataSet) native.setSessionDataPath(value)
    } else if (name === 'sessionData') {
      this.#sessionDataSet = true
      native.setSessionDataPath(value)
    } else {
      this.#custom.set(name, value)
    }
  }

  #custom = new Map()

  // getPath(name): Electron's names that make sense outside a GUI app.
  getPath (name) {
    if (typeof name !== 'string') throw conversionError(0, name)
    switch (name) {
      case 'userData': return this.#userData ?? native.defaultSessionDataPath()
      case 'sessionData': return native.getSessionDataPath()
      case 'home': return os.homedir()
      case 'temp': return os.tmpdir()
      case 'appData': return path.dirname(native.defaultSessionDataPath())
      // The user's download directory (XDG's on Linux), as Chromium's DIR_DEFAULT_DOWNLOADS.
      case 'downloads': return process.env.XDG_DOWNLOAD_DIR || path.join(os.homedir(), 'Downloads')
      default:
        if (this.#custom.has(name)) return this.#custom.get(name)
        throw codedError(`Failed to get '${name}' path`, 'ERR_INVALID_ARG_VALUE')
    }
  }
}

module.exports = { app: new App() }
