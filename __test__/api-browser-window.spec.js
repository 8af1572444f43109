'use strict'
// Headless BrowserWindow and webContents (Electron's browser-window.md and web-contents.md,
// api-browser-window-spec and api-web-contents-spec for loadURL): navigation through the
// session with Electron's events in order, the subresources a browser loads with their
// resource types, Referer and headers, cookies, failures, downloads from navigation, and the
// window registry.
const { describe, it, before, after, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { BrowserWindow, webContents, session, app } = require('..')
const { httpServer } = require('./fixtures/servers')
const { tempDir } = require('./helpers')

const NAVIGATION_EVENTS = ['did-start-loading', 'did-start-navigation', 'did-redirect-navigation', 'did-navigate', 'did-frame-navigate', 'dom-ready', 'page-title-updated', 'did-frame-finish-load', 'did-finish-load', 'did-fail-load', 'did-stop-loading']

let server
const seen = []
let posted = null
const received = []
before(async () => {
  server = await httpServer(async (req, res) => {
    if (req.url === '/form') {
      const chunks = []
      for await (const chunk of req) chunks.push(chunk)
      posted = { method: req.method, body: Buffer.concat(chunks).toString(), type: req.headers['content-type'], ua: req.headers['user-agent'], referer: req.headers.referer, extra: req.headers['x-extra'] }
    }
    received.push([req.url, req.headers['cache-control'] ?? null, req.headers.pragma ?? null])
    seen.push({ url: req.url, dest: req.headers['sec-fetch-dest'], mode: req.headers['sec-fetch-mode'], accept: req.headers.accept, referer: req.headers.referer, cookie: req.headers.cookie, uir: req.headers['upgrade-insecure-requests'], site: req.headers['sec-fetch-site'] })
    const html = (body) => { res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }); res.end(body) }
    switch (new URL(req.url, 'http://x').pathname) {
      case '/start': res.writeHead(302, { Location: '/page' }); return res.end()
      case '/page':
        res.setHeader('Set-Cookie', 'visited=yes; Path=/')
        return html('<!doctype html><html><head><title>Fish &amp; Chips</title><link rel="stylesheet" href="/style.css"><script src="/app.js"></script></head><body><img src="img/logo.png"><iframe src="/frame"></iframe><img src="/img/logo.png"></body></html>')
      case '/frame': return html('<html><body><img src="/in-frame.png"></body></html>')
      case '/form': return html('<title>Thanks</title>')
      case '/secret':
        if (req.headers.authorization === `Basic ${Buffer.from('user:pass').toString('base64')}`) return html('<title>Inside</title>')
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="vault"', 'Content-Type': 'text/html' })
        return res.end('<title>Locked</title>')
      case '/missing': res.writeHead(404, { 'Content-Type': 'text/html' }); return res.end('<title>Not here</title>')
      case '/report.zip': res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Length': 4 }); return res.end('PK..')
      case '/attachment': res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Disposition': 'attachment; filename="notes.txt"' }); return res.end('notes')
      default: res.writeHead(200, { 'Content-Type': 'application/octet-stream' }); return res.end('x')
    }
  })
})
after(() => server.close())
afterEach(() => { for (const w of BrowserWindow.getAllWindows()) w.destroy() })

// Records `contents`' navigation events as [name, ...values] (URLs relative to the server).
function record (contents) {
  const log = []
  const rel = (v) => typeof v === 'string' ? v.replace(server.url, '') : v
  for (const name of NAVIGATION_EVENTS) {
    contents.on(name, (event, ...values) => {
      if (name === 'did-start-navigation' || name === 'did-redirect-navigation') log.push([name, rel(event.url), event.isMainFrame])
      else if (name === 'did-navigate' || name === 'did-frame-navigate') log.push([name, rel(values[0]), values[1]])
      else if (name === 'did-frame-finish-load') log.push([name, values[0]])
      else if (name === 'page-title-updated') log.push([name, values[0], values[1]])
      else if (name === 'did-fail-load') log.push([name, values[0], values[1], rel(values[2]), values[3]])
      else log.push([name])
    })
  }
  return log
}

describe('BrowserWindow.loadURL (Electron: webContents navigation events, api-web-contents-spec "loadURL")', () => {
  it('follows the redirect, commits, loads every subresource and frame, and emits Electron\'s events in order', async () => {
    const win = new BrowserWindow({ show: false, webPreferences: { partition: 'window-events' } })
    const log = record(win.webContents)
    const types = []
    win.webContents.session.webRequest.onBeforeRequest((details, callback) => {
      types.push([details.resourceType, details.url.replace(server.url, ''), details.webContentsId])
      callback({})
    })
    seen.length = 0
    const result = await win.loadURL(`${server.url}/start`)
    assert.equal(result, undefined)
    const id = win.webContents.id
    assert.deepEqual(types.slice(0, 2), [['mainFrame', '/start', id], ['mainFrame', '/page', id]])
    assert.deepEqual(types.slice(2).sort(), [['image', '/img/logo.png', id], ['image', '/in-frame.png', id], ['script', '/app.js', id], ['stylesheet', '/style.css', id], ['subFrame', '/frame', id]])
    // Events: subresource timing interleaves the frame's, so the frame's are checked apart.
    const ofFrame = (e) => e[0] === 'did-frame-navigate' || (['did-start-navigation', 'did-redirect-navigation', 'did-frame-finish-load'].includes(e[0]) && e.at(-1) === false)
    const main = log.filter((e) => !ofFrame(e))
    assert.deepEqual(main, [
      ['did-start-loading'],
      ['did-start-navigation', '/start', true],
      ['did-redirect-navigation', '/page', true],
      ['did-navigate', '/page', 200],
      ['dom-ready'],
      ['page-title-updated', 'Fish & Chips', true],
      ['did-frame-finish-load', true],
      ['did-finish-load'],
      ['did-stop-loading']
    ])
    const frame = log.filter(ofFrame)
    assert.deepEqual(frame, [['did-start-navigation', '/frame', false], ['did-frame-navigate', '/frame', 200], ['did-frame-finish-load', false]])
    assert.ok(log.findIndex((e) => e[0] === 'did-frame-finish-load' && e[1] === false) < log.findIndex((e) => e[0] === 'did-finish-load'))
    assert.deepEqual([win.webContents.getURL(), win.webContents.getTitle(), win.getTitle(), win.webContents.isLoading()], [`${server.url}/page`, 'Fish & Chips', 'Fish & Chips', false])
    win.webContents.session.webRequest.onBeforeRequest(null)
  })

  it('sends what a browser sends: navigation and subresource headers, Referer, and the cookies the document set', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'window-headers' } })
    seen.length = 0
    await win.loadURL(`${server.url}/page`)
    const by = (url) => seen.find((s) => s.url === url)
    assert.deepEqual(by('/page'), {
      url: '/page',
      dest: 'document',
      mode: 'navigate',
      accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
      referer: undefined,
      cookie: undefined,
      uir: '1',
      site: 'none'
    })
    assert.deepEqual(by('/img/logo.png'), { url: '/img/logo.png', dest: 'image', mode: 'no-cors', accept: 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8', referer: `${server.url}/page`, cookie: 'visited=yes', uir: undefined, site: 'same-origin' })
    assert.equal(by('/style.css').accept, 'text/css,*/*;q=0.1')
    assert.equal(by('/frame').dest, 'iframe')
    assert.equal(by('/in-frame.png').referer, `${server.url}/frame`)
    // The same image twice in a document is one request.
    assert.equal(seen.filter((s) => s.url === '/img/logo.png').length, 1)
  })

  it('an error page (404) still loads: did-navigate with its status, and the promise resolves', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'window-404' } })
    const log = record(win.webContents)
    await win.loadURL(`${server.url}/missing`)
    assert.deepEqual(log.find((e) => e[0] === 'did-navigate'), ['did-navigate', '/missing', 404])
    assert.equal(win.webContents.getTitle(), 'Not here')
  })

  it("a failure rejects with Electron's error and emits did-fail-load, then did-stop-loading", async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'window-fail' } })
    const log = record(win.webContents)
    const url = 'http://127.0.0.1:1/nothing'
    await assert.rejects(win.loadURL(url), { message: `ERR_CONNECTION_REFUSED (-102) loading '${url}'`, errno: -102, code: 'ERR_CONNECTION_REFUSED', url })
    assert.deepEqual(log, [['did-start-loading'], ['did-start-navigation', url, true], ['did-fail-load', -102, 'ERR_CONNECTION_REFUSED', url, true], ['did-stop-loading']])
    assert.equal(win.webContents.getURL(), url)
  })

  it('a response a browser would not show becomes a download: will-download with this webContents, loadURL rejects ERR_ABORTED', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'window-download' } })
    const dir = tempDir()
    win.webContents.session.setDownloadPath(dir)
    for (const [file, name, body] of [['/report.zip', 'report.zip', 'PK..'], ['/attachment', 'notes.txt', 'notes']]) {
      const done = new Promise((resolve) => win.webContents.session.once('will-download', (event, item, contents) => {
        item.once('done', (e, state) => resolve([contents, state, item.getSavePath()]))
      }))
      await assert.rejects(win.loadURL(`${server.url}${file}`), { errno: -3, code: 'ERR_ABORTED' })
      const [contents, state, saved] = await done
      assert.equal(contents, win.webContents)
      assert.equal(state, 'completed')
      assert.equal(saved, path.join(dir, name))
      assert.equal(fs.readFileSync(saved, 'utf8'), body)
    }
  })

  it('webContents.downloadURL announces its webContents', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'window-download-url' } })
    win.webContents.session.setDownloadPath(tempDir())
    const contents = await new Promise((resolve) => {
      win.webContents.session.once('will-download', (event, item, contents) => { item.cancel(); resolve(contents) })
      win.webContents.downloadURL(`${server.url}/report.zip`)
    })
    assert.equal(contents, win.webContents)
  })

  it('a second loadURL aborts the first: its promise rejects with ERR_ABORTED (-3)', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'window-abort' } })
    win.webContents.session.enableNetworkEmulation({ latency: 300 })
    const first = win.loadURL(`${server.url}/page?first`)
    await new Promise((resolve) => setTimeout(resolve, 50))
    win.webContents.session.disableNetworkEmulation()
    const second = win.loadURL(`${server.url}/page?second`)
    await assert.rejects(first, { errno: -3, code: 'ERR_ABORTED' })
    await second
    assert.equal(win.webContents.getURL(), `${server.url}/page?second`)
  })

  it('loadURL options: postData (raw bytes and a file range), extraHeaders, userAgent (kept for the webContents) and httpReferrer', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'window-options' } })
    const file = path.join(tempDir(), 'part.txt')
    fs.writeFileSync(file, '0123456789')
    await win.loadURL(`${server.url}/form`, {
      postData: [{ type: 'rawData', bytes: Buffer.from('a=1&') }, { type: 'file', filePath: file, offset: 2, length: 3 }],
      extraHeaders: 'Content-Type: application/x-www-form-urlencoded\nX-Extra: yes',
      userAgent: 'Headless/1.0',
      httpReferrer: { url: 'http://referrer.test/from', policy: 'unsafe-url' }
    })
    assert.deepEqual(posted, { method: 'POST', body: 'a=1&234', type: 'application/x-www-form-urlencoded', ua: 'Headless/1.0', referer: 'http://referrer.test/from', extra: 'yes' })
    assert.equal(win.webContents.getUserAgent(), 'Headless/1.0')
  })

  it("login: the webContents' and then app's 'login' (one event); cancelled by default, answered after preventDefault", async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'window-login' } })
    const url = `${server.url}/secret`
    const calls = []
    win.webContents.on('login', (event, details, authInfo, callback) => calls.push(['webContents', details, authInfo, typeof callback]))
    const onApp = (event, contents, details, authInfo, callback) => calls.push(['app', contents === win.webContents, details.url])
    app.on('login', onApp)
    try {
      await win.loadURL(url)
      assert.equal(win.webContents.getTitle(), 'Locked')
      assert.deepEqual(calls, [
        ['webContents', { url }, { isProxy: false, scheme: 'basic', host: '127.0.0.1', port: Number(new URL(server.url).port), realm: 'vault' }, 'function'],
        ['app', true, url]
      ])
      win.webContents.once('login', (event, details, authInfo, callback) => {
        event.preventDefault()
        setImmediate(() => callback('user', 'pass'))
      })
      await win.loadURL(url)
      assert.equal(win.webContents.getTitle(), 'Inside')
    } finally {
      app.off('login', onApp)
    }
  })

  it('reload() loads the page again revalidating it (Cache-Control: max-age=0), reloadIgnoringCache() anew; stop() aborts a load', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'window-reload' } })
    await win.loadURL(`${server.url}/frame?reload`)
    received.length = 0
    const finished = () => new Promise((resolve) => win.webContents.once('did-stop-loading', resolve))
    let done = finished()
    win.webContents.reload()
    await done
    done = finished()
    win.webContents.reloadIgnoringCache()
    await done
    assert.deepEqual(received.filter(([url]) => url === '/frame?reload'), [['/frame?reload', 'max-age=0', null], ['/frame?reload', 'no-cache', 'no-cache']])

    win.webContents.session.enableNetworkEmulation({ latency: 500 })
    const loading = win.loadURL(`${server.url}/page?slow`)
    const stopped = finished()
    setTimeout(() => win.webContents.stop(), 50)
    await assert.rejects(loading, { errno: -3, code: 'ERR_ABORTED' })
    await stopped
    assert.equal(win.webContents.isLoading(), false)
  })

  it('about:blank loads with nothing requested (did-navigate -1), and a URL keeps its fragment', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'window-about' } })
    const log = record(win.webContents)
    let requests = 0
    win.webContents.session.webRequest.onBeforeRequest((details, callback) => { requests++; callback({}) })
    await win.loadURL('about:blank')
    assert.deepEqual(log, [['did-start-loading'], ['did-start-navigation', 'about:blank', true], ['did-navigate', 'about:blank', -1], ['dom-ready'], ['did-frame-finish-load', true], ['did-finish-load'], ['did-stop-loading']])
    assert.deepEqual([requests, win.webContents.getURL(), win.webContents.getTitle()], [0, 'about:blank', 'about:blank'])
    await win.loadURL(`${server.url}/frame#part`)
    assert.equal(win.webContents.getURL(), `${server.url}/frame#part`)
    win.webContents.session.webRequest.onBeforeRequest(null)
  })

  it('pages run no JavaScript: executeJavaScript rejects saying so', async () => {
    const win = new BrowserWindow()
    await assert.rejects(win.webContents.executeJavaScript('1 + 1'), { code: 'ERR_NOT_SUPPORTED', message: 'webContents.executeJavaScript is not available: headless-session loads pages but runs no page JavaScript' })
  })
})

describe('BrowserWindow and webContents registries (Electron: browser-window.md, web-contents.md)', () => {
  it('ids, getAllWindows, fromId, fromWebContents, sessions by partition or object, and close', async () => {
    const ses = session.fromPartition('window-registry-object')
    const a = new BrowserWindow({ width: 1024, height: 768, x: 10, y: 20, show: false })
    const b = new BrowserWindow({ webPreferences: { partition: 'window-registry' } })
    const c = new BrowserWindow({ webPreferences: { session: ses } })
    assert.equal(b.id, a.id + 1)
    assert.deepEqual(BrowserWindow.getAllWindows(), [a, b, c])
    assert.equal(BrowserWindow.fromId(b.id), b)
    assert.equal(BrowserWindow.fromWebContents(c.webContents), c)
    assert.equal(a.webContents.session, session.defaultSession)
    assert.equal(b.webContents.session, session.fromPartition('window-registry'))
    assert.equal(c.webContents.session, ses)
    assert.deepEqual([a.getBounds(), a.getSize(), a.isVisible(), b.isVisible()], [{ x: 10, y: 20, width: 1024, height: 768 }, [1024, 768], false, true])
    assert.deepEqual(webContents.getAllWebContents().slice(-3), [a.webContents, b.webContents, c.webContents])
    assert.equal(webContents.fromId(b.webContents.id), b.webContents)

    const order = []
    b.on('close', (event) => { order.push('close'); if (order.length === 1) event.preventDefault() })
    b.on('closed', () => order.push('closed'))
    b.webContents.on('destroyed', () => order.push('destroyed'))
    b.close()
    assert.equal(b.isDestroyed(), false)
    b.close()
    assert.deepEqual(order, ['close', 'close', 'destroyed', 'closed'])
    assert.equal(b.isDestroyed(), true)
    assert.equal(b.webContents.isDestroyed(), true)
    assert.deepEqual(BrowserWindow.getAllWindows(), [a, c])
    assert.equal(webContents.fromId(b.webContents.id), undefined)
    assert.throws(() => b.getBounds(), { message: 'Object has been destroyed' })
    assert.throws(() => b.webContents.loadURL('http://x.test/'), { message: 'Object has been destroyed' })
  })

  it('refuses bad arguments with TypeErrors', () => {
    assert.throws(() => new BrowserWindow('wide'), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from wide' })
    assert.throws(() => new BrowserWindow({ webPreferences: { partition: 7 } }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => new BrowserWindow({ webPreferences: { session: {} } }), { name: 'TypeError', message: 'webPreferences.session must be a Session' })
    const win = new BrowserWindow()
    assert.throws(() => win.loadURL(42), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 42' })
    assert.throws(() => win.loadURL('http://x.test/', { extraHeaders: 5 }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
  })
})
