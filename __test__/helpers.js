'use strict'
// Shared test helpers: temporary userData directories and child processes that run the
// fixture app, speaking one JSON line per step.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn } = require('node:child_process')
const readline = require('node:readline')

function tempDir (prefix = 'hs-test-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

const fixture = path.join(__dirname, 'fixtures', 'cookie-app.js')

// Starts the fixture app; `next()` resolves with its next JSON line, `send(cmd)` writes a
// command line, `exited` resolves with { code, signal }.
function startApp (userData, partition, options = {}) {
  const child = spawn(process.execPath, [fixture], {
    env: { ...process.env, USER_DATA: userData, PARTITION: partition, OPTIONS: JSON.stringify(options) },
    stdio: ['pipe', 'pipe', 'inherit']
  })
  const lines = []
  const waiters = []
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    const value = JSON.parse(line)
    const waiter = waiters.shift()
    if (waiter) waiter(value)
    else lines.push(value)
  })
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  return {
    child,
    exited,
    next: () => lines.length ? Promise.resolve(lines.shift()) : new Promise((resolve) => waiters.push(resolve)),
    send: (command) => child.stdin.write(JSON.stringify(command) + '\n'),
    request (command) {
      this.send(command)
      return this.next()
    }
  }
}

// A net.request to `url` in `ses` that answers each `login` with the next [user, password]
// of `answers` (none left: it cancels). Resolves with the status, the body text and the
// authInfo of every login asked.
function requestWithLogin (ses, url, answers = []) {
  const { net } = require('..')
  const infos = []
  return new Promise((resolve, reject) => {
    const req = net.request({ url, session: ses })
    req.on('login', (authInfo, callback) => {
      infos.push(authInfo)
      const answer = answers.shift()
      answer ? callback(...answer) : callback()
    })
    req.on('response', (res) => {
      let text = ''
      res.on('data', (d) => { text += d })
      res.on('end', () => resolve({ status: res.statusCode, text, infos }))
    })
    req.on('error', reject)
    req.end()
  })
}

// Runs `fn` with `vars` set in process.env (the native side reads the same environment),
// then puts the old values back.
async function withEnv (vars, fn) {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]))
  Object.assign(process.env, vars)
  try {
    return await fn()
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  }
}

// Points NTLM_USER_FILE at a fresh file holding `text` (the default credentials).
function useCredentialFile (text) {
  const file = path.join(tempDir('hs-ntlm-'), 'users')
  fs.writeFileSync(file, text)
  process.env.NTLM_USER_FILE = file
}

module.exports = { requestWithLogin, useCredentialFile, withEnv, tempDir, startApp }
