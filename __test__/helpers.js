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

module.exports = { tempDir, startApp }
