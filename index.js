'use strict'
//! headless-session: Electron's `session` module for plain Node.js.
//! `const { app, session, net, protocol } = require('headless-session')`

const { app } = require('./lib/app')
const { session, Session } = require('./lib/session')
const { Cookies } = require('./lib/cookies')

// The network stack and protocol handlers arrive in later releases; the names exist now so
// that Electron-style destructuring works.
const net = {}
const protocol = {}

module.exports = { app, session, net, protocol, Session, Cookies }
