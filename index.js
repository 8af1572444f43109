'use strict'
//! headless-session: Electron's `session` module for plain Node.js.
//! `const { app, session, net, protocol } = require('headless-session')`

const { app } = require('./lib/app')
const { session, Session } = require('./lib/session')
const { Cookies } = require('./lib/cookies')
const { net, ClientRequest } = require('./lib/net')
const { IncomingMessage } = require('./lib/incoming-message')

// Protocol handlers arrive in a later release; the name exists now so that Electron-style
// destructuring works.
const protocol = {}

module.exports = { app, session, net, protocol, Session, Cookies, ClientRequest, IncomingMessage }
