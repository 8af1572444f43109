'use strict'
// Resuming downloads (Electron's DownloadItem resume/canResume and
// ses.createInterruptedDownload; Chromium's Range and If-Range resumption): after a dropped
// connection in this process, and after a process restart from the state an app saved,
// against loopback servers that honour Range, ignore it, or changed the resource.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { execFile } = require('node:child_process')
const { promisify } = require('node:util')
const { session } = require('..')
const { httpServer } = require('./fixtures/servers')
const { tempDir } = require('./helpers')

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

describe('ses.createInterruptedDownload(options) (Electron: api-session-spec "createInterruptedDownload")', () => {
  // 2 MiB with an ETag, served with Range and If-Range as a file server would; /slow sends
  // it 64 KiB at a time so that a process can end half-way through.
  const body = Buffer.alloc(2 << 20)
  for (let i = 0; i < body.length; i++) body[i] = (i * 7 + (i >> 12)) & 0xff
  const requests = []
  let files
  before(async () => {
    files = await httpServer((req, res) => {
      requests.push({ url: req.url, range: req.headers.range, ifRange: req.headers['if-range'] })
      const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
      const headers = { 'Content-Type': 'application/octet-stream', ETag: '"b1"', 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' }
      if (range && [headers.ETag, headers['Last-Modified']].includes(req.headers['if-range'])) {
        const start = Number(range[1])
        res.writeHead(206, { ...headers, 'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`, 'Content-Length': body.length - start })
        return res.end(body.subarray(start))
      }
      res.writeHead(200, { ...headers, 'Content-Length': body.length })
      if (!req.url.startsWith('/slow')) return res.end(body)
      let at = 0
      const timer = setInterval(() => {
        if (res.destroyed || at >= body.length) return clearInterval(timer)
        res.write(body.subarray(at, at + 65536))
        at += 65536
      }, 20)
      res.on('close', () => clearInterval(timer))
    })
  })
  after(() => files.close())

  // Resolves with the next item 'will-download' announces on `ses`.
  const announced = (ses, onItem = () => {}) => new Promise((resolve) => ses.once('will-download', (event, item) => { onItem(item, event); resolve(item) }))
  const finish = (item) => new Promise((resolve) => { item.once('done', (e, state) => resolve(state)); item.resume() })

  it('can create an interrupted download item: will-download announces it interrupted with the options\' values', async () => {
    const ses = session.fromPartition('interrupted-create')
    const target = path.join(tempDir(), 'mock.pdf')
    const options = { path: target, urlChain: ['http://127.0.0.1/'], mimeType: 'application/pdf', offset: 0, length: 5242880, startTime: 1700000000.5 }
    const pending = announced(ses)
    ses.createInterruptedDownload(options)
    const item = await pending
    assert.equal(item.getState(), 'interrupted')
    assert.equal(item.canResume(), true)
    const done = new Promise((resolve) => item.once('done', (e, state) => resolve(state)))
    item.cancel()
    assert.equal(await done, 'cancelled')
    assert.deepEqual(item.getURLChain(), options.urlChain)
    assert.equal(item.getURL(), 'http://127.0.0.1/')
    assert.equal(item.getMimeType(), options.mimeType)
    assert.equal(item.getReceivedBytes(), options.offset)
    assert.equal(item.getTotalBytes(), options.length)
    assert.equal(item.savePath, target)
    assert.equal(item.getFilename(), 'mock.pdf')
    assert.equal(item.getStartTime(), 1700000000.5)
    assert.equal(fs.existsSync(target), false)
  })

  it('can be resumed: a download cancelled in will-download, created again from its values, completes', async () => {
    const ses = session.fromPartition('interrupted-electron-resume')
    const target = path.join(tempDir(), 'logo.bin')
    const url = `${files.url}/assets/logo.bin`
    const cancelled = await new Promise((resolve) => {
      ses.once('will-download', (event, item) => {
        item.setSavePath(target)
        item.on('done', () => resolve(item))
        item.cancel()
      })
      ses.downloadURL(url)
    })
    assert.equal(cancelled.getState(), 'cancelled')
    assert.equal(fs.existsSync(target), false)
    const options = {
      path: cancelled.savePath,
      urlChain: cancelled.getURLChain(),
      mimeType: cancelled.getMimeType(),
      offset: cancelled.getReceivedBytes(),
      length: cancelled.getTotalBytes(),
      lastModified: cancelled.getLastModifiedTime(),
      eTag: cancelled.getETag()
    }
    assert.deepEqual(options, { path: target, urlChain: [url], mimeType: 'application/octet-stream', offset: 0, length: body.length, lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT', eTag: '"b1"' })
    requests.length = 0
    const pending = announced(ses, (item) => {
      assert.equal(item.getState(), 'interrupted')
      item.setSavePath(target)
    })
    ses.createInterruptedDownload(options)
    const item = await pending
    assert.equal(await finish(item), 'completed')
    assert.deepEqual([item.getFilename(), item.savePath, item.getURL(), item.getMimeType()], ['logo.bin', target, url, 'application/octet-stream'])
    assert.deepEqual([item.getReceivedBytes(), item.getTotalBytes()], [body.length, body.length])
    // Nothing was kept: a plain request, as Chromium restarts.
    assert.deepEqual(requests, [{ url: '/assets/logo.bin', range: undefined, ifRange: undefined }])
    assert.ok(fs.readFileSync(target).equals(body))
  })

  it('resumes across a process restart: a child process ends half-way, this one continues with Range and If-Range', async () => {
    const dir = tempDir()
    const script = `
      const { session } = require(${JSON.stringify(path.join(__dirname, '..'))})
      const ses = session.fromPartition('interrupted-child', { cache: false })
      ses.setDownloadPath(${JSON.stringify(dir)})
      ses.once('will-download', (event, item) => {
        item.on('updated', () => {
          if (item.getReceivedBytes() < 512 * 1024) return
          // What an app saves on its way out (Electron's docs for createInterruptedDownload).
          console.log(JSON.stringify({
            path: item.getSavePath(), urlChain: item.getURLChain(), mimeType: item.getMimeType(),
            offset: item.getReceivedBytes(), length: item.getTotalBytes(),
            lastModified: item.getLastModifiedTime(), eTag: item.getETag(), startTime: item.getStartTime()
          }))
          process.exit(0)
        })
      })
      ses.downloadURL(${JSON.stringify(`${files.url}/slow/archive.bin`)})`
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 })
    const saved = JSON.parse(stdout)
    assert.equal(saved.path, path.join(dir, 'archive.bin'))
    assert.ok(saved.offset >= 512 * 1024 && saved.offset < body.length, `offset ${saved.offset}`)
    // The bytes were kept in Chromium's intermediate file beside the target.
    assert.deepEqual(fs.readdirSync(dir), ['archive.bin.crdownload'])
    const held = Math.min(fs.statSync(path.join(dir, 'archive.bin.crdownload')).size, saved.offset)
    assert.ok(held > 0, 'the child wrote nothing')

    const ses = session.fromPartition('interrupted-parent')
    requests.length = 0
    const pending = announced(ses)
    ses.createInterruptedDownload(saved)
    const item = await pending
    assert.deepEqual([item.getState(), item.getReceivedBytes(), item.getTotalBytes(), item.getStartTime(), item.getSavePath()], ['interrupted', saved.offset, body.length, saved.startTime, saved.path])
    const updates = []
    item.on('updated', (e, state) => updates.push([state, item.getReceivedBytes()]))
    assert.equal(await finish(item), 'completed')
    assert.deepEqual(requests, [{ url: '/slow/archive.bin', range: `bytes=${held}-`, ifRange: '"b1"' }])
    assert.deepEqual(updates[0], ['progressing', held])
    assert.ok(fs.readFileSync(saved.path).equals(body))
    assert.deepEqual(fs.readdirSync(dir), ['archive.bin'])
    assert.deepEqual([item.getReceivedBytes(), item.getPercentComplete()], [body.length, 100])
  })

  it('continues bytes kept at the path itself (Electron passes one path for both) and uses Last-Modified when there is no ETag', async () => {
    const ses = session.fromPartition('interrupted-in-place')
    const target = path.join(tempDir(), 'kept.bin')
    fs.writeFileSync(target, body.subarray(0, 300000))
    requests.length = 0
    const pending = announced(ses)
    ses.createInterruptedDownload({ path: target, urlChain: [`${files.url}/kept.bin`], offset: 300000, length: body.length, lastModified: 'Wed, 21 Oct 2015 07:28:00 GMT' })
    const item = await pending
    assert.equal(await finish(item), 'completed')
    assert.deepEqual(requests, [{ url: '/kept.bin', range: 'bytes=300000-', ifRange: 'Wed, 21 Oct 2015 07:28:00 GMT' }])
    assert.ok(fs.readFileSync(target).equals(body))
    assert.deepEqual(fs.readdirSync(path.dirname(target)), ['kept.bin'])
  })

  it('preventDefault in will-download destroys the created item', async () => {
    const ses = session.fromPartition('interrupted-prevented')
    const pending = announced(ses, (item, event) => event.preventDefault())
    ses.createInterruptedDownload({ path: path.join(tempDir(), 'x.bin'), urlChain: [`${files.url}/x`], length: 10 })
    const item = await pending
    await new Promise((resolve) => setImmediate(resolve))
    assert.throws(() => item.resume(), { message: 'DownloadItem used after being destroyed' })
  })

  it("refuses bad options with Electron's errors, announcing nothing", async () => {
    const ses = session.fromPartition('interrupted-bad')
    let announcedItems = 0
    ses.on('will-download', () => announcedItems++)
    const url = `${files.url}/x`
    assert.throws(() => ses.createInterruptedDownload(), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'Error processing argument at index 0, conversion failure from undefined' })
    assert.throws(() => ses.createInterruptedDownload({ urlChain: [url], length: 10 }), { name: 'Error', code: 'ERR_INVALID_ARG_VALUE', message: 'Must pass non-empty path, urlChain and length.' })
    assert.throws(() => ses.createInterruptedDownload({ path: '/tmp/a', urlChain: [], length: 10 }), { message: 'Must pass non-empty path, urlChain and length.' })
    assert.throws(() => ses.createInterruptedDownload({ path: '/tmp/a', urlChain: [url] }), { message: 'Must pass non-empty path, urlChain and length.' })
    assert.throws(() => ses.createInterruptedDownload({ path: '/tmp/a', urlChain: [url], offset: 10, length: 10 }), { code: 'ERR_INVALID_ARG_VALUE', message: 'Must pass an offset value less than length.' })
    assert.throws(() => ses.createInterruptedDownload({ path: '/tmp/a', urlChain: [url], offset: -1, length: 10 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE', message: 'options.offset must be a non-negative integer, got -1' })
    assert.throws(() => ses.createInterruptedDownload({ path: 5, urlChain: [url], length: 10 }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: 'options.path must be a string, got 5' })
    assert.throws(() => ses.createInterruptedDownload({ path: '/tmp/a', urlChain: [url, 7], length: 10 }), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: `options.urlChain must be an array of strings, got ${url},7` })
    assert.throws(() => ses.createInterruptedDownload({ path: '/tmp/a', urlChain: [url], length: '10' }), { name: 'TypeError', message: 'options.length must be a finite number, got 10' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    assert.equal(announcedItems, 0)
  })
})
