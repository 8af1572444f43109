'use strict'
//! A userData directory of its own for each run of an example, so that the default
//! session's cookies and cache start empty and nothing is left in the user's profile.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { app } = require('headless-session')

const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-profile-'))
app.setPath('userData', userData)
// Best effort: the session's cache may still be committing its last entry as the process
// ends (a normal exit waits for it later); what is left stays in the temporary directory.
process.on('exit', () => {
  try { fs.rmSync(userData, { recursive: true, force: true, maxRetries: 2 }) } catch {}
})

module.exports = { userData }
