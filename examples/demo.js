'use strict'
// `npm run demo`: an Electron-style script doing a session's main job against a site and a
// forward proxy on loopback: it logs in through ses.fetch in a persistent partition, adds a
// header with webRequest, serves an app:// scheme with protocol.handle, goes through the
// proxy set with setProxy, then a second process (an app restarted) finds the login on
// disk. This process runs the site and the proxy; each app run is a process of its own,
// because a persistent partition belongs to one process at a time.
const http = require('node:http')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { app, session } = require('..')

const PARTITION = 'persist:demo'

// The site: POST /login sets the session cookie; /account greets whoever has it.
function startSite () {
  const users = new Map()
  const site = http.createServer((req, res) => {
    const sid = /(?:^|; )sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
    if (req.method === 'POST' && req.url === '/login') {
      users.set('s3cr3t', 'ada')
      res.setHeader('Set-Cookie', 'sid=s3cr3t; Max-Age=86400; HttpOnly; Path=/')
      return res.end('Logged in as ada')
    }
    if (req.url === '/account') {
      const who = users.get(sid)
      res.statusCode = who ? 200 : 401
      return res.end(who ? `Hello ${who} (header X-Demo: ${req.headers['x-demo'] ?? 'none'})` : 'Who are you?')
    }
    res.statusCode = 404
    res.end()
  })
  return listen(site)
}

// A forward proxy for http:// URLs (absolute-form requests), counting what it relays.
function startProxy () {
  const proxy = http.createServer((req, res) => {
    proxy.relayed++
    const target = new URL(req.url)
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers)
      answer.pipe(res)
    })
    req.pipe(upstream)
  })
  proxy.relayed = 0
  return listen(proxy)
}

function listen (server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const base = (server) => `http://127.0.0.1:${server.address().port}`

// Runs this file again as an app process with `args`; resolves with its exit code.
function runApp (...args) {
  const child = spawn(process.execPath, [__filename, ...args], { stdio: 'inherit' })
  return new Promise((resolve) => child.on('exit', resolve))
}

async function main () {
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'headless-session-demo-'))
  const [site, proxy] = await Promise.all([startSite(), startProxy()])
  console.log(`1. A site at ${base(site)} and a forward proxy at ${base(proxy)}, both on loopback.`)
  let code = await runApp('--first', userData, base(site), String(proxy.address().port))
  console.log(`   (the proxy relayed ${proxy.relayed} requests)`)
  if (code === 0) {
    console.log('6. The app quits and starts again, as a second process with the same userData…')
    code = await runApp('--second', userData, base(site))
  }
  site.close()
  proxy.close()
  fs.rmSync(userData, { recursive: true, force: true })
  process.exitCode = code
}

async function firstRun (userData, siteUrl, proxyPort) {
  app.setPath('userData', userData)
  await app.whenReady()
  const ses = session.fromPartition(PARTITION)
  // Loopback is never proxied unless the bypass list says <-loopback>, as in Chromium.
  await ses.setProxy({ proxyRules: `http=127.0.0.1:${proxyPort}`, proxyBypassRules: '<-loopback>' })
  console.log(`2. setProxy: requests to the site now go ${await ses.resolveProxy(siteUrl)}.`)

  ses.webRequest.onBeforeSendHeaders((details, callback) => {
    callback({ requestHeaders: { ...details.requestHeaders, 'X-Demo': 'added-by-webRequest' } })
  })
  ses.protocol.handle('app', (request) => new Response(`<h1>${new URL(request.url).pathname} from app://</h1>`, {
    headers: { 'content-type': 'text/html' }
  }))

  const login = await ses.fetch(`${siteUrl}/login`, { method: 'POST', credentials: 'include' })
  const [cookie] = await ses.cookies.get({ url: siteUrl })
  console.log(`3. POST /login: ${login.status} "${await login.text()}"; the session keeps cookie ${cookie.name} ` +
    `(httpOnly ${cookie.httpOnly}, expires ${new Date(cookie.expirationDate * 1000).toISOString().slice(0, 10)}).`)

  const account = await ses.fetch(`${siteUrl}/account`, { credentials: 'include' })
  console.log(`4. GET /account through the proxy: ${account.status} "${await account.text()}"`)

  const page = await ses.fetch('app://bundle/index.html')
  console.log(`5. app://bundle/index.html, served by protocol.handle: ${page.status} ${page.headers.get('content-type')} "${await page.text()}"`)
  app.quit() // flushes the partition to disk
}

async function secondRun (userData, siteUrl) {
  app.setPath('userData', userData)
  await app.whenReady()
  const ses = session.fromPartition(PARTITION)
  const account = await ses.fetch(`${siteUrl}/account`, { credentials: 'include' })
  console.log(`7. GET /account, no proxy this time: ${account.status} "${await account.text()}": the login survived on disk.`)
  process.exitCode = account.status === 200 ? 0 : 1
}

const [mode, ...args] = process.argv.slice(2)
if (mode === '--first') firstRun(...args)
else if (mode === '--second') secondRun(...args)
else main()
