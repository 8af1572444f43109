'use strict'
// The seed's snippets (Electron 1.3's session.md, the project's founding text) run as
// written in examples/seed/, each in a process of its own, against loopback sites that
// stand in for the hosts they name: what each prints is what Electron would do.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { execFile } = require('node:child_process')
const { promisify } = require('node:util')

const run = async (file) => {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(__dirname, '..', 'examples', 'seed', file)], { encoding: 'utf8', timeout: 30000 })
  return stdout.trim().split('\n')
}

describe("the seed's snippets, verbatim (examples/seed)", () => {
  it('the window example: loadURL through the window\'s session, which is the default session', async () => {
    assert.deepEqual(await run('01-window.js'), ['true http://github.com/ github.com 800'])
  })

  it('fromPartition(\'persist:name\') is a persistent partition under userData', async () => {
    assert.deepEqual(await run('02-partition.js'), ['true true'])
  })

  it("will-download on a window's navigation: the webContents is given, preventDefault lets the handler fetch the file itself", async () => {
    assert.deepEqual(await run('03-will-download.js'), ['will-download http://github.com/archive.zip true', 'loadURL ERR_ABORTED', 'wrote PK-seed-archive'])
  })

  it('network emulation via window.webContents.session: the outage fails loads with ERR_INTERNET_DISCONNECTED', async () => {
    assert.deepEqual(await run('04-emulation.js'), ["offline: ERR_INTERNET_DISCONNECTED (-106) loading 'http://github.com/'", 'online: github.com'])
  })

  it('the certificate verify proc via myWindow.webContents.session trusts github.com only', async () => {
    assert.deepEqual(await run('05-certificate-verify-proc.js'), ['github.com: github.com', 'gitlab.com: ERR_FAILED'])
  })

  it('the permission handler with webContents.getURL() denies notifications to that host', async () => {
    assert.deepEqual(await run('06-permission-handler.js'), ['notifications: false', 'geolocation: true'])
  })

  it('allowNTLMCredentialsForDomains takes both rule lists', async () => {
    assert.deepEqual(await run('07-ntlm-domains.js'), ['ntlm domains set'])
  })

  it("registerFileProtocol inside app.on('ready') serves files through the partition", async () => {
    assert.deepEqual(await run('08-register-file-protocol.js'), ['Hello from the atom: protocol.'])
  })

  it('the cookies examples, callback style: two empty queries, then the cookie set', async () => {
    assert.deepEqual((await run('09-cookies.js')).sort(), ['[]', '[]', 'changed: dummy_name=dummy www.github.com inserted false'])
  })

  it('the webRequest example changes the User-Agent of the filtered URLs only (a pattern without a path as Electron 1.x read it)', async () => {
    assert.deepEqual(await run('10-web-request.js'), ['https://api.github.com/users MyAgent', 'http://electron.github.io/docs MyAgent', 'http://example.com/ default'])
  })
})
