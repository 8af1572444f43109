'use strict'
//! Electron's `net` module: request, fetch and resolveHost on the default session (or the
//! one in the options), and the online state.

const os = require('node:os')
const { ClientRequest } = require('./client-request')
const { fetchWithSession } = require('./fetch')
const { session } = require('./session')

// Online when any interface other than loopback is up (Chromium asks the OS the same way).
function isOnline () {
  return Object.values(os.networkInterfaces()).some((addresses) =>
    (addresses ?? []).some((a) => !a.internal))
}

const net = {
  request (options, callback) {
    return new ClientRequest(options, callback)
  },
  fetch (input, init) {
    return fetchWithSession(input, init, session.defaultSession)
  },
  resolveHost (host, options) {
    return session.defaultSession.resolveHost(host, options)
  },
  isOnline,
  get online () {
    return isOnline()
  }
}

module.exports = { net, ClientRequest }
