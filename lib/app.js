'use strict'
//! The parts of Electron's `app` that sessions depend on: `setPath`/`getPath` for the
//! directories persistent partitions live in, the 'session-created' event, and commandLine.

const { EventEmitter } = require('node:events')
const os = require('node:os')
const path = require('node:path')
const native = require('./native')
const { conversionError, codedError } = require('./errors')
const { CommandLine } = require('./command-line')

class App extends EventEmitter {
  commandLine = new CommandLine()
  #userData = null
  #sessionDataSet = false

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
      default:
        if (this.#custom.has(name)) return this.#custom.get(name)
        throw codedError(`Failed to get '${name}' path`, 'ERR_INVALID_ARG_VALUE')
    }
  }
}

module.exports = { app: new App() }
