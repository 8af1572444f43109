'use strict'
// A headless window's page load against fetching the same URLs: win.loadURL of a page with
// 50 subresources (bench/http-server.js's /page50, in its own process) until
// did-finish-load, against ses.fetch of the document and then its 50 URLs, six at a time
// per origin as the window loads them (Chromium's HTTP/1.1 connections per origin), every
// body read. Interleaved rounds, medians. Target: the window within 1.2x of the fetches.
// Writes bench/results/window.json.
const fs = require('node:fs')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { BrowserWindow, session } = require('..')

const ROUNDS = Number(process.env.ROUNDS || 7)
const LOADS = Number(process.env.LOADS || 50)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// The document, then every URL in it (the bench page has only 1 KiB subresources), at most
// six in flight.
async function fetchAll (ses, url) {
  const html = await (await ses.fetch(url)).text()
  const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1], url).href)
  let next = 0
  const worker = async () => {
    while (next < urls.length) await (await ses.fetch(urls[next++])).arrayBuffer()
  }
  await Promise.all(Array.from({ length: 6 }, worker))
  return urls.length
}

async function main () {
  const child = spawn(process.execPath, [path.join(__dirname, 'http-server.js')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))))
  const url = `http://127.0.0.1:${port}/page50`
  const windowSession = session.fromPartition('bench-window', { cache: false })
  const fetchSession = session.fromPartition('bench-window-fetch', { cache: false })
  const win = new BrowserWindow({ show: false, webPreferences: { session: windowSession } })
  let subresources = 0
  windowSession.webRequest.onBeforeRequest({ urls: ['*://*/nostore1k*'] }, (details, callback) => { subresources++; callback({}) })
  // Warm both (connections, code paths).
  await win.loadURL(url)
  if (subresources !== 50 || (await fetchAll(fetchSession, url)) !== 50) throw new Error('the page has not 50 subresources')
  windowSession.webRequest.onBeforeRequest(null)
  const times = { 'win.loadURL → did-finish-load': [], 'ses.fetch, 51 URLs, 6 at a time': [] }
  try {
    for (let round = 0; round < ROUNDS; round++) {
      let started = process.hrtime.bigint()
      for (let i = 0; i < LOADS; i++) await win.loadURL(url)
      times['win.loadURL → did-finish-load'].push(Number(process.hrtime.bigint() - started) / 1e6 / LOADS)
      started = process.hrtime.bigint()
      for (let i = 0; i < LOADS; i++) await fetchAll(fetchSession, url)
      times['ses.fetch, 51 URLs, 6 at a time'].push(Number(process.hrtime.bigint() - started) / 1e6 / LOADS)
      process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`)
    }
  } finally {
    child.kill()
    win.destroy()
  }
  const [windowMs, fetchMs] = Object.values(times).map(median)
  const table = Object.fromEntries(Object.entries(times).map(([name, xs]) => [name, `${median(xs).toFixed(2)} ms per page`]))
  const summary = { 'window vs fetches (target <= 1.2x)': `${(windowMs / fetchMs).toFixed(2)}x` }
  console.table(table)
  console.table(summary)
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true })
  fs.writeFileSync(path.join(__dirname, 'results', 'window.json'), JSON.stringify({ date: new Date().toISOString(), table, summary, times }, null, 2) + '\n')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
