'use strict'
//! `app.commandLine`: Chromium switches as Electron exposes them. The switches the network
//! stack reads take effect when appended: `host-resolver-rules` process-wide,
//! `disk-cache-size` for the caches of sessions made afterwards, and
//! `proxy-server`, `proxy-bypass-list`, `proxy-pac-url`, `no-proxy-server` on the default
//! session; the others are only remembered.

const native = require('./native')
const { conversionError } = require('./errors')

// The proxy switches configure the default session, which the session module applies: it
// registers here when it loads (this module sits below it and never requires it).
const kProxySwitches = ['proxy-server', 'proxy-bypass-list', 'proxy-pac-url', 'no-proxy-server']
let applyProxySwitches = null

// Switches that configure the native stack, and how.
const applied = {
  'host-resolver-rules': (value) => native.setHostResolverRules(value),
  'disk-cache-size': (value) => native.setDiskCacheSize(value)
}
for (const name of kProxySwitches) applied[name] = (value, switches) => applyProxySwitches?.(switches)

class CommandLine {
  #switches = new Map()
  #arguments = []

  appendSwitch (name, value) {
    if (typeof name !== 'string') throw conversionError(0, name)
    if (value !== undefined && typeof value !== 'string') throw conversionError(1, value)
    const text = value ?? ''
    this.#switches.set(name, text)
    applied[name]?.(text, this.#switches)
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

  // The switches as a Map (for onProxySwitches).
  _switches () {
    return this.#switches
  }

  removeSwitch (name) {
    if (typeof name !== 'string') throw conversionError(0, name)
    if (!this.#switches.delete(name)) return
    applied[name]?.('', this.#switches)
  }
}

// Called once by the session module with what the proxy switches do; switches appended
// before it are applied at once.
function onProxySwitches (commandLine, apply) {
  applyProxySwitches = apply
  const switches = commandLine._switches()
  if (kProxySwitches.some((name) => switches.has(name))) apply(switches)
}

module.exports = { CommandLine, onProxySwitches }
