'use strict'
//! A userData directory of its own for each run of an example, so that the default
//! session's cookies and cache start empty and nothing is left in the user's profile.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { app } = require('headless-session')

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-profile-'))
app.setPath('userData', userData)
process.on('exit', () => fs.rmSync(userData, { recursive: true, force: true }))

module.exports = { userData }
