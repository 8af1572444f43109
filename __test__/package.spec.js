'use strict'
// The package as a user gets it: `npm pack`, the tarball installed into a fresh project
// together with the platform package npm would fetch for this machine (made here from the
// binary this checkout built, as `napi pre-publish` makes it), then required from CommonJS,
// imported from an ES module, used for a loopback request, and its types checked with
// --strict in that project, which has nothing but this package (and what it depends on).
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { execFileSync, execFile } = require('node:child_process')
const { promisify } = require('node:util')
const { httpServer } = require('./fixtures/servers')
const { tempDir } = require('./helpers')

const root = path.join(__dirname, '..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
// For scripts that talk to the loopback server in this process (its loop must keep running).
const runAsync = async (command, args, cwd) => (await promisify(execFile)(command, args, { cwd, encoding: 'utf8', timeout: 60000 })).stdout

let server
let app
before(async () => {
  server = await httpServer((req, res) => res.end(`hello ${req.url}`))
  const work = tempDir()
  const { version } = require('../package.json')
  const binary = fs.readdirSync(root).find((f) => /^headless-session\..+\.node$/.test(f))
  const platform = binary.split('.')[1]
  // The platform package, from npm/<platform> (napi create-npm-dirs) and the local binary.
  const platformDir = path.join(work, platform)
  fs.mkdirSync(platformDir)
  fs.copyFileSync(path.join(root, 'npm', platform, 'package.json'), path.join(platformDir, 'package.json'))
  fs.copyFileSync(path.join(root, binary), path.join(platformDir, binary))
  const platformTarball = path.join(work, run(npm, ['pack', '--silent', '--pack-destination', work], platformDir).trim())
  const tarball = path.join(work, run(npm, ['pack', '--silent', '--pack-destination', work], root).trim())
  assert.equal(path.basename(tarball), `headless-session-${version}.tgz`)
  app = path.join(work, 'app')
  fs.mkdirSync(app)
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'fresh-app', version: '1.0.0', private: true }))
  run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', platformTarball, tarball], app)
})
after(() => server.close())

describe('the packed package in a fresh project', () => {
  it('installs without dev dependencies or a build: the platform package has the binary', () => {
    const installed = path.join(app, 'node_modules', 'headless-session')
    assert.equal(fs.readdirSync(installed).some((f) => f.endsWith('.node')), false)
    assert.equal(fs.existsSync(path.join(installed, 'target')), false)
    assert.equal(fs.existsSync(path.join(app, 'node_modules', '@napi-rs')), false)
  })

  it('require() works and makes a loopback request', async () => {
    const script = `
      const { session, net, app } = require('headless-session')
      app.whenReady().then(async () => {
        const ses = session.fromPartition('fresh')
        const a = await (await ses.fetch(${JSON.stringify(server.url + '/cjs')})).text()
        const b = await (await net.fetch(${JSON.stringify(server.url + '/net')})).text()
        console.log(a + ', ' + b)
      })`
    assert.equal((await runAsync(process.execPath, ['-e', script], app)).trim(), 'hello /cjs, hello /net')
  })

  it('import works from an ES module, the same objects as require', async () => {
    fs.writeFileSync(path.join(app, 'main.mjs'), `
      import { session, app, protocol, net } from 'headless-session'
      import headless from 'headless-session'
      import { createRequire } from 'node:module'
      const cjs = createRequire(import.meta.url)('headless-session')
      await app.whenReady()
      console.log(session === cjs.session && headless.net === net && typeof protocol.handle)
      console.log(await (await session.defaultSession.fetch(${JSON.stringify(server.url + '/esm')})).text())`)
    assert.deepEqual((await runAsync(process.execPath, ['main.mjs'], app)).trim().split('\n'), ['function', 'hello /esm'])
  })

  it('its types check with --strict in the fresh project, Electron-style code included', () => {
    fs.writeFileSync(path.join(app, 'user.ts'), `
      import { app, session, net } from 'headless-session'
      import type { Electron } from 'headless-session'

      function markResponses (ses: Electron.Session): void {
        ses.webRequest.onHeadersReceived((details: Electron.OnHeadersReceivedListenerDetails, callback) => {
          callback({ responseHeaders: { ...details.responseHeaders, 'x-seen': ['1'] } })
        })
      }

      app.whenReady().then(async () => {
        const ses = session.fromPartition('persist:user')
        markResponses(ses)
        const cookies: Electron.Cookie[] = await ses.cookies.get({ url: 'https://example.com' })
        const response: Response = await net.fetch('https://example.com/')
        console.log(cookies.length, response.status)
      })`)
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    for (const module of [['--module', 'nodenext', '--moduleResolution', 'nodenext'], ['--module', 'commonjs', '--moduleResolution', 'node10']]) {
      run(process.execPath, [tsc, '--strict', '--noEmit', '--target', 'es2022', ...module, 'user.ts'], app)
    }
    // An ES module's view: named imports (index.mjs's) and the default export.
    fs.writeFileSync(path.join(app, 'user.mts'), `
      import headless, { app, session, net, protocol, Session } from 'headless-session'
      const ses: Session = session.fromPartition('esm')
      const same: boolean = headless.session === session && headless.net === net
      protocol.handle('app', () => new Response('ok'))
      app.whenReady().then(() => console.log(ses.isPersistent(), same))`)
    run(process.execPath, [tsc, '--strict', '--noEmit', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', 'user.mts'], app)
  })
})
