'use strict'
// app's lifecycle as Electron has it (docs/api/app.md): 'ready' and whenReady()/isReady(),
// quit() with 'before-quit', 'will-quit' and 'quit', exit(code), getName()/getVersion() from
// the app's package.json. Quitting runs in child processes, against real partitions on disk.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const { tempDir } = require('./helpers')

const { app } = require('..')
const readyCalls = []
app.on('ready', (...args) => readyCalls.push(args.length))
const readyAtLoad = app.isReady()

const root = path.join(__dirname, '..')

// Runs `source` as the main script of an app in `dir` (with its package.json), returning
// its exit status and the lines it printed.
function runApp (source, { dir = tempDir(), manifest = { name: 'spec-app', version: '1.0.0' } } = {}) {
  if (manifest) fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest))
  const main = path.join(dir, 'main.js')
  fs.writeFileSync(main, `const hs = require(${JSON.stringify(root)});\n${source}`)
  const result = spawnSync(process.execPath, [main], { cwd: dir, encoding: 'utf8', timeout: 30000 })
  return { status: result.status, lines: result.stdout.trim().split('\n').filter(Boolean), stderr: result.stderr }
}

describe('app lifecycle (Electron: app.md)', () => {
  it("emits 'ready' once on the next tick, and whenReady() resolves for late callers too", async () => {
    assert.equal(readyAtLoad, false)
    await app.whenReady()
    assert.equal(app.isReady(), true)
    assert.deepEqual(readyCalls, [2])
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(await app.whenReady(), undefined)
    assert.deepEqual(readyCalls, [2])
  })

  it("quit(): 'before-quit', 'will-quit', then 'quit' with exit code 0, storage flushed", () => {
    const userData = tempDir()
    const { status, lines } = runApp(`
      const { app, session } = hs
      app.setPath('userData', ${JSON.stringify(userData)})
      for (const name of ['before-quit', 'will-quit', 'quit']) {
        app.on(name, (event, code) => console.log(name, typeof event.preventDefault, code ?? ''))
      }
      app.on('ready', async () => {
        await session.fromPartition('persist:kept').cookies.set({ url: 'https://a.test', name: 'n', value: 'v', expirationDate: 4102444800 })
        app.quit()
        console.log('quit() returned')
      })`)
    assert.equal(status, 0)
    assert.deepEqual(lines, ['before-quit function ', 'quit() returned', 'will-quit function ', 'quit function 0'])
    const reader = runApp(`
      const { app, session } = hs
      app.setPath('userData', ${JSON.stringify(userData)})
      session.fromPartition('persist:kept').cookies.get({}).then((c) => console.log(c.map((x) => x.name + '=' + x.value).join()))`)
    assert.deepEqual(reader.lines, ['n=v'])
  })

  it("a preventDefault in 'before-quit' or 'will-quit' cancels the quit", () => {
    const { status, lines } = runApp(`
      const { app } = hs
      let beforeQuits = 0
      let willQuits = 0
      app.on('before-quit', (e) => { if (++beforeQuits === 1) { console.log('veto before-quit'); e.preventDefault() } })
      app.on('will-quit', (e) => { if (++willQuits === 1) { console.log('veto will-quit'); e.preventDefault() } })
      app.on('quit', () => console.log('quit'))
      app.whenReady().then(() => {
        app.quit()
        setTimeout(() => app.quit(), 20)
        setTimeout(() => { console.log('still running'); app.quit() }, 60)
      })`)
    assert.equal(status, 0)
    assert.deepEqual(lines, ['veto before-quit', 'veto will-quit', 'still running', 'quit'])
  })

  it('exit(code) ends at once with that code, no quit events, storage flushed', () => {
    const userData = tempDir()
    const { status, lines } = runApp(`
      const { app, session } = hs
      app.setPath('userData', ${JSON.stringify(userData)})
      app.on('before-quit', () => console.log('before-quit'))
      app.on('quit', () => console.log('quit'))
      session.fromPartition('persist:x').cookies.set({ url: 'https://a.test', name: 'e', value: '1', expirationDate: 4102444800 })
        .then(() => { app.exit(3); console.log('not reached') })`)
    assert.equal(status, 3)
    assert.deepEqual(lines, [])
    const reader = runApp(`
      hs.app.setPath('userData', ${JSON.stringify(userData)})
      hs.session.fromPartition('persist:x').cookies.get({}).then((c) => console.log(c.length))`)
    assert.deepEqual(reader.lines, ['1'])
    assert.throws(() => app.exit('1'), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
  })

  it("getName()/getVersion() read the app's package.json (productName first), setName() overrides", () => {
    const { lines } = runApp(`
      console.log(hs.app.getName(), hs.app.getVersion())
      hs.app.setName('Renamed')
      console.log(hs.app.getName())`, { manifest: { name: 'my-app', productName: 'My App', version: '2.3.4' } })
    assert.deepEqual(lines, ['My App 2.3.4', 'Renamed'])
    assert.equal(app.getName(), 'headless-session')
    assert.equal(app.getVersion(), require('../package.json').version)
  })

  it('app.name is getName()/setName() as a property; getAppPath() is the package.json directory; isPackaged is false', () => {
    const dir = tempDir()
    fs.mkdirSync(path.join(dir, 'src'))
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'nested-app', version: '0.0.1' }))
    const { lines } = runApp(`
      const { app } = hs
      console.log(app.name, app.getAppPath() === ${JSON.stringify(dir)}, app.isPackaged)
      app.name = 'Set'
      console.log(app.getName())`, { dir: path.join(dir, 'src'), manifest: null })
    assert.deepEqual(lines, ['nested-app true false', 'Set'])
    assert.throws(() => { app.name = 1 }, { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
  })

  it("the seed's app.on('ready', () => protocol.registerFileProtocol(...)) works verbatim", () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'page.html'), '<p>served</p>')
    const { status, lines, stderr } = runApp(`
      const { app, protocol, net } = hs
      const path = require('node:path')
      app.on('ready', () => {
        protocol.registerFileProtocol('atom', (request, callback) => {
          const url = request.url.substr(7)
          callback({ path: path.normalize(\`\${__dirname}/\${url}\`) })
        })
        net.fetch('atom://page.html').then((r) => r.text()).then((text) => console.log(text))
      })`, { dir })
    assert.equal(status, 0, stderr)
    assert.deepEqual(lines, ['<p>served</p>'])
  })
})
