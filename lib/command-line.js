'use strict'
//! `app.commandLine`: Chromium switches as Electron exposes them. The switches the network
//! stack reads take effect when appended: `host-resolver-rules` process-wide, and
//! `proxy-server`, `proxy-bypass-list`, `proxy-pac-url`, `no-proxy-server` on the default
//! session; the others are only remembered.

const native = require('./native')
const { conversionError } = require('./errors')

// The default session's proxy from the proxy switches (Chromium reads them at start-up;
// here they apply when appended).
function applyProxySwitches (switches) {
  const { session } = require('./session')
  const ses = session.defaultSession
  if (switches.has('no-proxy-server')) return ses.setProxy({ mode: 'direct' })
  if (switches.has('proxy-pac-url')) return ses.setProxy({ mode: 'pac_script', pacScript: switches.get('proxy-pac-url') })
  if (switches.has('proxy-server')) {
    return ses.setProxy({ mode: 'fixed_servers', proxyRules: switches.get('proxy-server'), proxyBypassRules: switches.get('proxy-bypass-list') ?? '' })
  }
  return ses.setProxy({ mode: 'direct' })
}

// Switches that configure the native stack, and how.
const applied = {
  'host-resolver-rules': (value) => native.setHostResolverRules(value),
  'proxy-server': (value, switches) => applyProxySwitches(switches),
  'proxy-bypass-list': (value, switches) => applyProxySwitches(switches),
  'proxy-pac-url': (value, switches) => applyProxySwitches(switches),
  'no-proxy-server': (value, switches) => applyProxySwitches(switches)
}

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

  removeSwitch (name) {
    if (typeof name !== 'string') throw conversionError(0, name)
    if (!this.#switches.delete(name)) return
    applied[name]?.('', this.#switches)
  }
}

module.exports = { CommandLine }
