'use strict'
// `npm run demo`: Electron-style cookie code against a loopback server. The server hands
// out a session cookie; the script stores it in a persistent partition with Electron's
// cookies API, listens to 'changed', sends it back, and shows what the jar refuses.
// (The network stack, ses.fetch and net.request, arrives in a later release; this demo
// carries cookies across requests by hand with node:http.)
const http = require('node:http')
const os = require('node:os')
const fs = require('node:fs')
const path = require('node:path')
const { app, session } = require('..')

app.setPath('userData', fs.mkdtempSync(path.join(os.tmpdir(), 'headless-session-demo-')))
const ses = session.fromPartition('persist:demo')

const server = http.createServer((req, res) => {
  if (req.url === '/login') {
    res.setHeader('Set-Cookie', 'sid=abc123; Max-Age=3600; Path=/; HttpOnly')
    res.end('logged in\n')
  } else {
    res.end(`you sent: ${req.headers.cookie ?? '(no cookies)'}\n`)
  }
})

function get (url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers }, (res) => {
      let body = ''
      res.on('data', (chunk) => { body += chunk })
      res.on('end', () => resolve({ headers: res.headers, body }))
    }).on('error', reject)
  })
}

async function main () {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${server.address().port}`
  ses.cookies.on('changed', (event, cookie, cause, removed) => {
    console.log(`  changed: ${cookie.name}=${cookie.value} cause=${cause} removed=${removed}`)
  })

  console.log(`GET ${origin}/login`)
  const login = await get(`${origin}/login`)
  const [pair, ...attributes] = login.headers['set-cookie'][0].split(';').map((s) => s.trim())
  const [name, value] = pair.split('=')
  const maxAge = Number(attributes.find((a) => a.startsWith('Max-Age=')).slice(8))
  await ses.cookies.set({
    url: origin, name, value, path: '/', httpOnly: true, expirationDate: Date.now() / 1000 + maxAge
  })
  console.log('stored:', await ses.cookies.get({ url: origin }))

  const header = (await ses.cookies.get({ url: `${origin}/account` })).map((c) => `${c.name}=${c.value}`).join('; ')
  console.log(`GET ${origin}/account ->`, (await get(`${origin}/account`, { cookie: header })).body.trim())

  try {
    await ses.cookies.set({ url: origin, name: 'x', value: 'y', domain: 'example.com' })
  } catch (error) {
    console.log('refused:', error.message)
  }

  await ses.cookies.remove(origin, 'sid')
  await ses.cookies.flushStore()
  console.log('partition on disk at', ses.storagePath)
  server.close()
}

main().catch((error) => { console.error(error); process.exit(1) })
