'use strict'
// Downloads (Electron's session 'will-download', ses.downloadURL, ses.setDownloadPath and
// DownloadItem; Chromium's download naming) against a loopback server: the item's values at
// will-download and when done, where files go, preventDefault, cancel, pause and resume,
// server and network failures, and the session's stack (cookies, webRequest) on the way.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { session } = require('..')
const { httpServer, writeRepeated } = require('./fixtures/servers')
const { tempDir } = require('./helpers')

const report = Buffer.alloc(300000, 'r')
let server
const seenHeaders = []
before(async () => {
  server = await httpServer((req, res) => {
    const url = new URL(req.url, 'http://x')
    seenHeaders.push(req.headers)
    if (url.pathname === '/moved') {
      res.writeHead(302, { Location: '/files/report' })
      return res.end()
    }
    if (url.pathname === '/missing') {
      res.writeHead(404, { 'Content-Type': 'text/html' })
      return res.end('no')
    }
    if (url.pathname === '/plain/notes') {
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      return res.end('notes')
    }
    res.writeHead(200, {
      'Content-Type': 'application/pdf',
      'Content-Disposition': 'attachment; filename="report.pdf"',
      'Content-Length': report.length,
      ETag: '"v1"',
      'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT'
    })
    res.end(report)
  })
})
after(() => server.close())

// Starts a download on `ses` and resolves with { item, webContents, state, updates } once done.
function download (ses, url, options, onItem = () => {}) {
  return new Promise((resolve) => {
    ses.once('will-download', (event, item, webContents) => {
      const updates = []
      item.on('updated', (e, state) => updates.push(state))
      item.once('done', (e, state) => resolve({ item, webContents, state, updates }))
      onItem(item, event)
    })
    ses.downloadURL(url, options)
  })
}

describe("ses.downloadURL and 'will-download' (Electron's session and DownloadItem docs)", () => {
  it('emits will-download (event, item, null) with the response\'s values, saves under the Content-Disposition name and ends completed', async () => {
    const ses = session.fromPartition('download-basic')
    const dir = tempDir()
    ses.setDownloadPath(dir)
    const atStart = {}
    const start = Date.now() / 1000
    const { item, webContents, state } = await download(ses, `${server.url}/moved`, undefined, (item) => {
      Object.assign(atStart, {
        url: item.getURL(),
        chain: item.getURLChain(),
        mime: item.getMimeType(),
        filename: item.getFilename(),
        total: item.getTotalBytes(),
        etag: item.getETag(),
        lastModified: item.getLastModifiedTime(),
        disposition: item.getContentDisposition(),
        state: item.getState(),
        savePath: item.getSavePath(),
        gesture: item.hasUserGesture(),
        paused: item.isPaused()
      })
    })
    assert.equal(webContents, null)
    assert.deepEqual(atStart, {
      url: `${server.url}/files/report`,
      chain: [`${server.url}/moved`, `${server.url}/files/report`],
      mime: 'application/pdf',
      filename: 'report.pdf',
      total: 300000,
      etag: '"v1"',
      lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT',
      disposition: 'attachment; filename="report.pdf"',
      state: 'progressing',
      savePath: '',
      gesture: false,
      paused: false
    })
    assert.equal(state, 'completed')
    assert.equal(item.getState(), 'completed')
    assert.equal(item.getSavePath(), path.join(dir, 'report.pdf'))
    assert.deepEqual([item.getReceivedBytes(), item.getTotalBytes(), item.getPercentComplete(), item.getCurrentBytesPerSecond()], [300000, 300000, 100, 0])
    assert.ok(item.getStartTime() >= start - 1 && item.getEndTime() >= item.getStartTime(), `${item.getStartTime()} ${item.getEndTime()}`)
    assert.ok(fs.readFileSync(item.getSavePath()).equals(report))
    assert.deepEqual(fs.readdirSync(dir), ['report.pdf'])
    // The same name again: Chromium's unique suffix.
    const second = await download(ses, `${server.url}/files/report`)
    assert.equal(second.item.getSavePath(), path.join(dir, 'report (1).pdf'))
    // No Content-Disposition: the URL's last segment, and an extension from the MIME type.
    const notes = await download(ses, `${server.url}/plain/notes`)
    assert.equal(path.basename(notes.item.getSavePath()), 'notes.txt')
    assert.equal(fs.readFileSync(notes.item.getSavePath(), 'utf8'), 'notes')
  })

  it('setSavePath inside will-download wins (directories made); the request carries the session\'s cookies and webRequest headers', async () => {
    const ses = session.fromPartition('download-save-path')
    await ses.cookies.set({ url: server.url, name: 'sid', value: 'abc' })
    ses.webRequest.onBeforeSendHeaders((details, callback) => callback({ requestHeaders: { ...details.requestHeaders, 'X-Listener': 'yes' } }))
    const target = path.join(tempDir(), 'nested', 'dir', 'saved.bin')
    const { item, state } = await download(ses, `${server.url}/files/report`, { headers: { 'X-Extra': '1' } }, (item) => item.setSavePath(target))
    assert.equal(state, 'completed')
    assert.deepEqual([item.getSavePath(), item.savePath, item.getFilename()], [target, target, 'saved.bin'])
    assert.ok(fs.readFileSync(target).equals(report))
    const sent = seenHeaders.at(-1)
    assert.deepEqual([sent.cookie, sent['x-listener'], sent['x-extra']], ['sid=abc', 'yes', '1'])
    ses.webRequest.onBeforeSendHeaders(null)
  })

  it('preventDefault cancels: no file, and from the next tick every item method throws', async () => {
    const ses = session.fromPartition('download-prevented')
    const dir = tempDir()
    ses.setDownloadPath(dir)
    const item = await new Promise((resolve) => {
      ses.once('will-download', (event, item) => { event.preventDefault(); resolve(item) })
      ses.downloadURL(`${server.url}/files/report`)
    })
    assert.equal(item.getState(), 'progressing')
    await new Promise((resolve) => setImmediate(resolve))
    await new Promise((resolve) => setImmediate(resolve))
    assert.throws(() => item.getURL(), { message: 'DownloadItem used after being destroyed' })
    assert.throws(() => item.cancel(), { message: 'DownloadItem used after being destroyed' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    assert.deepEqual(fs.readdirSync(dir), [])
  })

  it('pause stops the transfer and resume finishes it; cancel removes the partial file', async () => {
    const ses = session.fromPartition('download-pause')
    const dir = tempDir()
    ses.setDownloadPath(dir)
    ses.enableNetworkEmulation({ downloadThroughput: 200000 }) // 1.5 s for the body
    let pausedAt = -1
    const { item, state, updates } = await download(ses, `${server.url}/files/report`, undefined, (item) => {
      setTimeout(() => {
        item.pause()
        assert.equal(item.isPaused(), true)
        setTimeout(() => {
          pausedAt = item.getReceivedBytes()
          setTimeout(() => {
            assert.ok(item.getReceivedBytes() <= pausedAt + (1 << 20), 'grew while paused')
            item.resume()
          }, 300)
        }, 200)
      }, 300)
    })
    assert.equal(state, 'completed')
    assert.ok(updates.every((u) => u === 'progressing') && updates.length >= 3, updates.join())
    assert.ok(fs.readFileSync(item.getSavePath()).equals(report))

    // Another URL: the first is in the HTTP cache now (heuristically fresh), above the throttle.
    const cancelled = await download(ses, `${server.url}/files/report?again`, undefined, (item) => setTimeout(() => item.cancel(), 300))
    assert.equal(cancelled.state, 'cancelled')
    assert.equal(cancelled.item.getState(), 'cancelled')
    assert.deepEqual(fs.readdirSync(dir), ['report.pdf'])
    ses.disableNetworkEmulation()
  })

  it('an HTTP error or no connection at all ends interrupted with no file', async () => {
    const ses = session.fromPartition('download-failures')
    const dir = tempDir()
    ses.setDownloadPath(dir)
    const missing = await download(ses, `${server.url}/missing`)
    assert.equal(missing.state, 'interrupted')
    assert.equal(missing.item.getMimeType(), 'text/html')
    const unreachable = await download(ses, 'http://127.0.0.1:1/file.zip')
    assert.equal(unreachable.state, 'interrupted')
    assert.equal(unreachable.item.getURL(), 'http://127.0.0.1:1/file.zip')
    assert.deepEqual(fs.readdirSync(dir), [])
  })

  it('memory stays flat: 256 MiB downloaded in a child process grows its RSS by less than 64 MiB', async () => {
    const { execFile } = require('node:child_process')
    const { promisify } = require('node:util')
    const big = await httpServer((req, res) => {
      res.writeHead(200, { 'Content-Length': 256 << 20 })
      writeRepeated(res, Buffer.alloc(1 << 20, 'm'), 256)
    })
    const target = path.join(tempDir(), 'big.bin')
    const script = `
      const { session } = require(${JSON.stringify(path.join(__dirname, '..'))})
      const ses = session.fromPartition('download-rss', { cache: false })
      const baseline = process.memoryUsage.rss()
      let peak = baseline
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 10)
      ses.once('will-download', (event, item) => {
        item.setSavePath(${JSON.stringify(target)})
        item.once('done', (e, state) => { clearInterval(sampler); console.log(JSON.stringify({ state, growth: (peak - baseline) / 1048576 })) })
      })
      ses.downloadURL(${JSON.stringify(big.url + '/big')})`
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 })
      const { state, growth } = JSON.parse(stdout)
      assert.equal(state, 'completed')
      assert.equal(fs.statSync(target).size, 256 << 20)
      assert.ok(growth < 64, `RSS grew by ${growth.toFixed(1)} MiB`)
    } finally {
      fs.rmSync(target, { force: true })
      await big.close()
    }
  })

  it('pause inside will-download holds the transfer from its start; cancel inside it ends cancelled with no file', async () => {
    const ses = session.fromPartition('download-early-controls')
    const dir = tempDir()
    ses.setDownloadPath(dir)
    let done = false
    const pending = download(ses, `${server.url}/files/report?early`, undefined, (item) => {
      item.pause()
      item.once('done', () => { done = true })
    })
    const item = await new Promise((resolve) => ses.once('will-download', (e, item) => resolve(item)))
    await new Promise((resolve) => setTimeout(resolve, 300))
    assert.deepEqual([done, item.getState(), item.isPaused(), item.canResume()], [false, 'progressing', true, true])
    item.resume()
    assert.equal((await pending).state, 'completed')
    assert.ok(fs.readFileSync(item.getSavePath()).equals(report))

    const cancelled = await download(ses, `${server.url}/files/report?early-cancel`, undefined, (item) => item.cancel())
    assert.deepEqual([cancelled.state, cancelled.updates], ['cancelled', []])
    await new Promise((resolve) => setTimeout(resolve, 50))
    assert.deepEqual(fs.readdirSync(dir), ['report.pdf'])
  })

  it('downloads of one name under way at once get names of their own (Chromium reserves them)', async () => {
    const ses = session.fromPartition('download-same-name')
    const dir = tempDir()
    ses.setDownloadPath(dir)
    ses.enableNetworkEmulation({ downloadThroughput: 1000000 }) // both still running when the other starts
    const both = await new Promise((resolve) => {
      const ends = []
      ses.on('will-download', (event, item) => item.once('done', (e, state) => {
        ends.push([state, item.getSavePath()])
        if (ends.length === 2) resolve(ends)
      }))
      ses.downloadURL(`${server.url}/files/report?same=1`)
      ses.downloadURL(`${server.url}/files/report?same=2`)
    })
    ses.removeAllListeners('will-download')
    ses.disableNetworkEmulation()
    assert.deepEqual(both.map(([state]) => state), ['completed', 'completed'])
    assert.deepEqual(both.map(([, saved]) => path.basename(saved)).sort(), ['report (1).pdf', 'report.pdf'])
    assert.deepEqual(fs.readdirSync(dir).sort(), ['report (1).pdf', 'report.pdf'])
    for (const [, saved] of both) assert.ok(fs.readFileSync(saved).equals(report))
  })

  describe("failures end interrupted with Chromium's interrupt reasons (never an exception)", () => {
    // Each download's end: [state, Chromium's reason, what `dir` holds but the file in the way].
    const failed = (ses, url, target, dir) => download(ses, url, undefined, (item) => item.setSavePath(target))
      .then(({ item, state }) => [state, item._interruptReason, fs.readdirSync(dir).filter((name) => name !== 'in-the-way')])

    it('a directory that cannot be made (a file in the way), and a file: URL that does not exist: FILE_FAILED', async () => {
      const ses = session.fromPartition('download-file-failed')
      const dir = tempDir()
      fs.writeFileSync(path.join(dir, 'in-the-way'), 'a file')
      assert.deepEqual(await failed(ses, `${server.url}/files/report`, path.join(dir, 'in-the-way', 'sub', 'out.pdf'), dir), ['interrupted', 'FILE_FAILED', []])
      const missing = await download(ses, `file://${path.join(dir, 'nothing-here.bin')}`)
      assert.deepEqual([missing.state, missing.item._interruptReason], ['interrupted', 'FILE_FAILED'])
      assert.equal((await download(ses, 'http://127.0.0.1:1/x.zip')).item._interruptReason, 'NETWORK_SERVER_DOWN')
    })

    it('a full disk (a 256 KiB tmpfs) is FILE_NO_SPACE and a read-only one FILE_ACCESS_DENIED; no partial file is left', async (t) => {
      const { execFile } = require('node:child_process')
      const { promisify } = require('node:util')
      const [full, readOnly] = [tempDir(), tempDir()]
      const script = `
        const fs = require('node:fs')
        const { session } = require(${JSON.stringify(path.join(__dirname, '..'))})
        const ses = session.fromPartition('download-disk', { cache: false })
        const save = (target) => new Promise((resolve) => {
          ses.once('will-download', (event, item) => {
            item.setSavePath(target)
            item.once('done', (e, state) => resolve([state, item._interruptReason, fs.readdirSync(require('node:path').dirname(target))]))
          })
          ses.downloadURL(${JSON.stringify(`${server.url}/files/report`)})
        })
        ;(async () => {
          console.log(JSON.stringify([await save(${JSON.stringify(path.join(full, 'out.pdf'))}), await save(${JSON.stringify(path.join(readOnly, 'out.pdf'))})]))
        })()`
      // A mount namespace of its own (unprivileged where user namespaces are allowed), so
      // nothing is mounted outside the child.
      const mounts = `mount -t tmpfs -o size=256k tmpfs '${full}' && mount -t tmpfs -o ro tmpfs '${readOnly}' && exec '${process.execPath}' -e "$SCRIPT"`
      let stdout
      try {
        ({ stdout } = await promisify(execFile)('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', mounts], { encoding: 'utf8', timeout: 30000, env: { ...process.env, SCRIPT: script } }))
      } catch (error) {
        if (/unshare|mount|Operation not permitted|No such file/.test(String(error.stderr ?? error.message))) return t.skip(`no mount namespace here: ${String(error.stderr ?? error.message).trim()}`)
        throw error
      }
      assert.deepEqual(JSON.parse(stdout), [['interrupted', 'FILE_NO_SPACE', []], ['interrupted', 'FILE_ACCESS_DENIED', []]])
    })
  })

  it("refuses bad arguments with Electron's errors", () => {
    const ses = session.fromPartition('download-bad')
    assert.throws(() => ses.downloadURL(`${server.url}/x`, { headers: 'nope' }), { name: 'TypeError', message: 'Invalid value for headers - must be an object' })
    assert.throws(() => ses.downloadURL(42), { name: 'TypeError' })
    assert.throws(() => ses.setDownloadPath(7), { name: 'TypeError' })
  })
})
