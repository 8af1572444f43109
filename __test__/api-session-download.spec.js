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
const { httpServer } = require('./fixtures/servers')
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
      const chunk = Buffer.alloc(1 << 20, 'm')
      res.writeHead(200, { 'Content-Length': 256 << 20 })
      let left = 256
      const write = () => {
        while (left > 0) {
          left--
          if (!res.write(chunk)) return res.once('drain', write)
        }
        res.end()
      }
      write()
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

  describe('resuming after a dropped connection (Chromium: Range and If-Range)', () => {
    const full = Buffer.from('0123456789'.repeat(20000)) // 200,000 bytes
    let flaky
    const requests = []
    let mode = 'range' // how the next resumption is answered: range | ignore | changed
    before(async () => {
      flaky = await httpServer((req, res) => {
        requests.push({ range: req.headers.range, ifRange: req.headers['if-range'] })
        const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
        if (range && mode === 'range' && req.headers['if-range'] === '"v1"') {
          const start = Number(range[1])
          res.writeHead(206, { 'Content-Range': `bytes ${start}-${full.length - 1}/${full.length}`, 'Content-Length': full.length - start, ETag: '"v1"' })
          return res.end(full.subarray(start))
        }
        if (range && mode === 'gone') {
          res.writeHead(404)
          return res.end()
        }
        if (range) {
          const body = mode === 'changed' ? Buffer.alloc(full.length, 'n') : full
          res.writeHead(200, { 'Content-Length': body.length, ETag: mode === 'changed' ? '"v2"' : '"v1"' })
          return res.end(body)
        }
        // The first request: half the body, then the connection drops.
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': full.length, ETag: '"v1"' })
        res.write(full.subarray(0, 100000), () => setTimeout(() => res.socket.destroy(), 50))
      })
    })
    after(() => flaky.close())

    // Downloads /data until it is interrupted; resolves with the item.
    const interrupted = (ses) => new Promise((resolve) => {
      ses.once('will-download', (event, item) => {
        item.on('updated', (e, state) => { if (state === 'interrupted') resolve(item) })
        item.once('done', (e, state) => resolve(item))
      })
      ses.downloadURL(`${flaky.url}/data?${Math.random()}`)
    })
    const finish = (item) => new Promise((resolve) => { item.once('done', (e, state) => resolve(state)); item.resume() })

    for (const [answer, expected, title] of [
      ['range', () => full, 'continues with Range: bytes=N- and If-Range: the ETag, and ends completed with the whole body'],
      ['ignore', () => full, 'a server that ignores Range sends it all again: the download starts over'],
      ['changed', () => Buffer.alloc(full.length, 'n'), 'a changed resource (If-Range no longer matching) starts over with the new body']
    ]) {
      it(title, async () => {
        const ses = session.fromPartition(`download-resume-${answer}`)
        ses.setDownloadPath(tempDir())
        mode = answer
        requests.length = 0
        const item = await interrupted(ses)
        assert.equal(item.getState(), 'interrupted')
        assert.equal(item.canResume(), true)
        const kept = item.getReceivedBytes()
        assert.ok(kept > 0 && kept < full.length, `kept ${kept}`)
        assert.equal(await finish(item), 'completed')
        assert.deepEqual(requests[1], { range: `bytes=${kept}-`, ifRange: '"v1"' })
        assert.ok(fs.readFileSync(item.getSavePath()).equals(expected()))
        assert.deepEqual([item.getReceivedBytes(), item.getPercentComplete()], [full.length, 100])
        assert.deepEqual(fs.readdirSync(path.dirname(item.getSavePath())), [path.basename(item.getSavePath())])
      })
    }

    it('a resumption the server refuses ends done interrupted, with no progress reported and no file left', async () => {
      const ses = session.fromPartition('download-resume-gone')
      const dir = tempDir()
      ses.setDownloadPath(dir)
      mode = 'gone'
      const item = await interrupted(ses)
      const updates = []
      item.on('updated', (e, state) => updates.push(state))
      assert.equal(await finish(item), 'interrupted')
      assert.deepEqual([updates, item.getState(), item.canResume()], [[], 'interrupted', false])
      await new Promise((resolve) => setTimeout(resolve, 50))
      assert.deepEqual(fs.readdirSync(dir), [])
    })

    it('cancel of an interrupted download removes its temporary file and ends cancelled', async () => {
      const ses = session.fromPartition('download-resume-cancel')
      const dir = tempDir()
      ses.setDownloadPath(dir)
      const item = await interrupted(ses)
      assert.equal(fs.readdirSync(dir).length, 1) // the .crdownload
      const state = await new Promise((resolve) => { item.once('done', (e, state) => resolve(state)); item.cancel() })
      assert.equal(state, 'cancelled')
      await new Promise((resolve) => setTimeout(resolve, 50))
      assert.deepEqual(fs.readdirSync(dir), [])
    })
  })

  it("refuses bad arguments with Electron's errors", () => {
    const ses = session.fromPartition('download-bad')
    assert.throws(() => ses.downloadURL(`${server.url}/x`, { headers: 'nope' }), { name: 'TypeError', message: 'Invalid value for headers - must be an object' })
    assert.throws(() => ses.downloadURL(42), { name: 'TypeError' })
    assert.throws(() => ses.setDownloadPath(7), { name: 'TypeError' })
  })
})
