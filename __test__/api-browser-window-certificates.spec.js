'use strict'
// A window's navigation to a server whose certificate fails verification (Electron's
// webContents and app 'certificate-error', api-web-contents-spec / api-app-spec
// "certificate-error"): the event with the URL, Chromium's error and Electron's
// Certificate; denied by default; accepted, the page loads and the certificate stays
// accepted for that host in that session.
const { describe, it, before, after, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const { BrowserWindow, app, session } = require('..')
const { httpsServer } = require('./fixtures/servers')
const { makeCA } = require('./fixtures/certs')

let server
before(async () => {
  const ca = makeCA('Untrusted Window CA')
  server = await httpsServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' })
    res.end('<title>Behind a bad certificate</title>')
  }, ca.issue(['127.0.0.1']))
})
after(() => server.close())
afterEach(() => { for (const w of BrowserWindow.getAllWindows()) w.destroy() })

describe("'certificate-error' for a window's navigation", () => {
  it('is emitted on the webContents and then app with Electron\'s arguments; without an answer the load fails', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'cert-error-default' } })
    const url = `${server.url}/`
    const seen = []
    win.webContents.on('certificate-error', (event, eventUrl, error, certificate, callback, isMainFrame) => {
      seen.push(['webContents', eventUrl, error, certificate.issuerName, certificate.subjectName, typeof callback, isMainFrame])
    })
    const onApp = (event, contents, eventUrl, error, certificate, callback, isMainFrame) => seen.push(['app', contents === win.webContents, eventUrl, error, isMainFrame])
    app.on('certificate-error', onApp)
    try {
      await assert.rejects(win.loadURL(url), { code: 'ERR_CERT_AUTHORITY_INVALID', errno: -202 })
    } finally {
      app.off('certificate-error', onApp)
    }
    assert.deepEqual(seen, [
      ['webContents', url, 'net::ERR_CERT_AUTHORITY_INVALID', 'Untrusted Window CA', '127.0.0.1', 'function', true],
      ['app', true, url, 'net::ERR_CERT_AUTHORITY_INVALID', true]
    ])
  })

  it('callback(true) after preventDefault loads the page, and the certificate stays accepted for the host', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'cert-error-accept' } })
    let asked = 0
    win.webContents.on('certificate-error', (event, url, error, certificate, callback) => {
      asked++
      event.preventDefault()
      setImmediate(() => callback(true))
    })
    await win.loadURL(`${server.url}/first`)
    assert.equal(win.webContents.getTitle(), 'Behind a bad certificate')
    await win.loadURL(`${server.url}/second`)
    assert.equal(asked, 1)
    // The session's own requests pass too (Chromium's decisions are per profile and host).
    assert.equal((await win.webContents.session.fetch(`${server.url}/third`)).status, 200)
    // Another session still refuses it.
    await assert.rejects(session.fromPartition('cert-error-other').fetch(`${server.url}/`), { message: 'net::ERR_CERT_AUTHORITY_INVALID' })
  })

  it('callback(false) after preventDefault fails the load as the default does', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'cert-error-deny' } })
    win.webContents.once('certificate-error', (event, url, error, certificate, callback) => {
      event.preventDefault()
      callback(false)
    })
    await assert.rejects(win.loadURL(`${server.url}/`), { code: 'ERR_CERT_AUTHORITY_INVALID' })
  })
})
