'use strict'
// Permission handlers (Electron's session.md setPermissionRequestHandler and
// setPermissionCheckHandler, api-session-spec "ses.setPermissionRequestHandler(handler)"),
// run through webContents.requestPermission / checkPermission (beyond Electron, so that
// handlers can be tested without a page), and navigations to external schemes
// ('openExternal', shell.openExternal).
const { describe, it, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const { BrowserWindow, session, shell } = require('..')
const { httpServer } = require('./fixtures/servers')

afterEach(() => { for (const w of BrowserWindow.getAllWindows()) w.destroy() })

describe('ses.setPermissionRequestHandler / setPermissionCheckHandler', () => {
  it("without handlers, Electron's defaults: every request and check is granted", async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'permissions-default' } })
    assert.equal(await win.webContents.requestPermission('notifications'), true)
    assert.equal(win.webContents.checkPermission('geolocation'), true)
  })

  it('the request handler gets (webContents, permission, callback, details) and its answer decides', async () => {
    const server = await httpServer((req, res) => { res.setHeader('Content-Type', 'text/html'); res.end('<title>p</title>') })
    try {
      const win = new BrowserWindow({ webPreferences: { partition: 'permissions-request' } })
      await win.loadURL(`${server.url}/app`)
      const calls = []
      win.webContents.session.setPermissionRequestHandler((webContents, permission, callback, details) => {
        calls.push([webContents, permission, details])
        // The session docs' example: by the page's URL.
        if (webContents.getURL() === `${server.url}/app` && permission === 'notifications') return callback(false)
        callback(true)
      })
      assert.equal(await win.webContents.requestPermission('notifications'), false)
      assert.equal(await win.webContents.requestPermission('media', { mediaTypes: ['video'], securityOrigin: server.url }), true)
      assert.deepEqual(calls, [
        [win.webContents, 'notifications', { requestingUrl: `${server.url}/app`, isMainFrame: true }],
        [win.webContents, 'media', { requestingUrl: `${server.url}/app`, isMainFrame: true, mediaTypes: ['video'], securityOrigin: server.url }]
      ])
    } finally {
      await server.close()
    }
  })

  it('cancels any pending requests when cleared (Electron: api-session-spec)', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'permissions-cleared' } })
    const ses = win.webContents.session
    ses.setPermissionRequestHandler(() => { ses.setPermissionRequestHandler(null) })
    assert.equal(await win.webContents.requestPermission('midiSysex'), false)
    // Cleared: the default again.
    assert.equal(await win.webContents.requestPermission('midiSysex'), true)
  })

  it('only the first answer counts; a handler that throws denies (with a warning)', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'permissions-answers' } })
    const ses = win.webContents.session
    ses.setPermissionRequestHandler((wc, permission, callback) => { callback(false); callback(true) })
    assert.equal(await win.webContents.requestPermission('geolocation'), false)
    const warned = new Promise((resolve) => process.once('warning', (w) => resolve(w.message)))
    ses.setPermissionRequestHandler(() => { throw new Error('handler bug') })
    assert.equal(await win.webContents.requestPermission('geolocation'), false)
    assert.equal(await warned, 'headless-session: a permission request handler threw (denied): handler bug')
  })

  it('the check handler gets (webContents, permission, requestingOrigin, details); only true grants', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'permissions-check' } })
    const seen = []
    win.webContents.session.setPermissionCheckHandler((webContents, permission, requestingOrigin, details) => {
      seen.push([webContents === win.webContents, permission, requestingOrigin, details])
      return permission === 'notifications' ? true : 'yes'
    })
    assert.equal(win.webContents.checkPermission('notifications'), true)
    assert.equal(win.webContents.checkPermission('clipboard-read', { isMainFrame: false }), false)
    assert.deepEqual(seen, [
      [true, 'notifications', '', { requestingUrl: '', isMainFrame: true }],
      [true, 'clipboard-read', '', { requestingUrl: '', isMainFrame: false }]
    ])
    win.webContents.session.setPermissionCheckHandler(null)
    assert.equal(win.webContents.checkPermission('clipboard-read'), true)
  })

  it("refuses bad handlers and permission names with TypeErrors (Electron's 'Must pass null or function')", async () => {
    const ses = session.fromPartition('permissions-bad')
    assert.throws(() => ses.setPermissionRequestHandler('yes'), { name: 'TypeError', message: 'Must pass null or function', code: 'ERR_INVALID_ARG_TYPE' })
    assert.throws(() => ses.setPermissionCheckHandler(5), { name: 'TypeError', message: 'Must pass null or function' })
    const win = new BrowserWindow({ webPreferences: { session: ses } })
    assert.throws(() => win.webContents.checkPermission('teleport'), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: "Unknown permission 'teleport'" })
    assert.throws(() => win.webContents.requestPermission(7), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' })
  })
})

describe('navigating to an external scheme asks for openExternal (Electron: OpenExternalPermissionRequest)', () => {
  it('asks the request handler with details.externalURL; granted, shell.openExternal gets the URL; the load rejects ERR_ABORTED', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'permissions-external' } })
    const asked = []
    const opened = []
    win.webContents.session.setPermissionRequestHandler((wc, permission, callback, details) => {
      asked.push([permission, details])
      callback(details.externalURL.startsWith('mailto:'))
    })
    const onOpen = (url) => opened.push(url)
    shell.on('open-external', onOpen)
    try {
      await assert.rejects(win.loadURL('mailto:someone@example.com'), { errno: -3, code: 'ERR_ABORTED' })
      await assert.rejects(win.loadURL('tel:+15550100'), { errno: -3, code: 'ERR_ABORTED' })
    } finally {
      shell.off('open-external', onOpen)
    }
    assert.deepEqual(asked, [
      ['openExternal', { requestingUrl: '', isMainFrame: true, externalURL: 'mailto:someone@example.com' }],
      ['openExternal', { requestingUrl: '', isMainFrame: true, externalURL: 'tel:+15550100' }]
    ])
    assert.deepEqual(opened, ['mailto:someone@example.com'])
    // The page stays where it was.
    assert.equal(win.webContents.getURL(), '')
  })

  it('shell.openExternal can be replaced by the program', async () => {
    const win = new BrowserWindow({ webPreferences: { partition: 'permissions-external-own' } })
    const original = shell.openExternal
    const opened = []
    shell.openExternal = async (url) => { opened.push(url) }
    try {
      await assert.rejects(win.loadURL('my-app://open/item'), { code: 'ERR_ABORTED' })
    } finally {
      shell.openExternal = original
    }
    assert.deepEqual(opened, ['my-app://open/item'])
  })
})
