'use strict'
//! headless-session: Electron's `session` module for plain Node.js.
//! `const { app, session, net, protocol, BrowserWindow } = require('headless-session')`

const { app } = require('./lib/app')
const { session, Session } = require('./lib/session')
const { Cookies } = require('./lib/cookies')
const { net, ClientRequest } = require('./lib/net')
const { IncomingMessage } = require('./lib/incoming-message')
const { BrowserWindow } = require('./lib/browser-window')
const { webContents, WebContents } = require('./lib/web-contents')
const { shell } = require('./lib/shell')

const { registerSchemesAsPrivileged, getStandardSchemes } = require('./lib/protocol')

// `protocol`: the default session's Protocol, plus the process-wide scheme privileges.
const protocol = new Proxy({ registerSchemesAsPrivileged, getStandardSchemes }, {
  get (target, name) {
    if (Object.hasOwn(target, name)) return target[name]
    const own = session.defaultSession.protocol
    const value = own[name]
    return typeof value === 'function' ? value.bind(own) : value
  }
})

module.exports = { app, session, net, protocol, BrowserWindow, webContents, shell, Session, Cookies, ClientRequest, IncomingMessage, WebContents }
