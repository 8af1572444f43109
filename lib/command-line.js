'use strict'
//! `app.commandLine`: Chromium switches as Electron exposes them. The switches the network
//! stack reads (`host-resolver-rules`) take effect when appended, process-wide, as in
//! Chromium; the others are only remembered.

const native = require('./native')
const { conversionError } = require('./errors')

// Switches that configure the native stack, and how.
const applied = {
  'host-resolver-rules': (value) => native.setHostResolverRules(value)
}

class CommandLine {
  #switches = new Map()
  #arguments = []

  appendSwitch (name, value) {
    if (typeof name !== 'string') throw conversionError(0, name)
    if (value !== undefined && typeof value !== 'string') throw conversionError(1, value)
    const text = value ?? ''
    this.#switches.set(name, text)
    applied[name]?.(text)
  }

  appendArgument (value) {
    if (typeof value !== 'string') throw conversionError(0, value)
    this.#arguments.push(value)
  }

  hasSwitch (name) {
    if (typeof name !== 'string') throw conversionError(0, name)
    return this.#switches.has(name)
  }

  getSwitchValue (name) {
    if (typeof name !== 'string') throw conversionError(0, name)
    return this.#switches.get(name) ?? ''
  }

  removeSwitch (name) {
    if (typeof name !== 'string') throw conversionError(0, name)
    if (!this.#switches.delete(name)) return
    applied[name]?.('')
  }
}

module.exports = { CommandLine }
