'use strict'
//! What the seed's snippets (Electron 1.3's session.md) talk to, on loopback: every host's
//! port 80 and 443 mapped here by host resolver rules, so the snippets keep their URLs
//! (github.com, electron.github.io, …) and nothing leaves the machine. The HTTPS site's
//! certificate (github.com, *.github.com, gitlab.com) comes from a CA nobody trusts, as a
//! certificate verify proc would want to judge. Each page's title is its host; a
//! `X-Seen-User-Agent` header says what User-Agent came; `/archive.zip` is a download.

const http = require('node:http')
const https = require('node:https')
const { app } = require('headless-session')
require('./fresh-profile')
const { makeCA } = require('../../__test__/fixtures/certs')

function handler (req, res) {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '')
  if (req.url === '/archive.zip') {
    res.writeHead(200, { 'Content-Type': 'application/zip', 'Content-Disposition': 'attachment; filename="archive.zip"' })
    return res.end('PK-seed-archive')
  }
  res.writeHead(200, { 'Content-Type': 'text/html', 'X-Seen-User-Agent': req.headers['user-agent'] ?? '' })
  res.end(`<!doctype html><title>${host}</title><p>${host}${req.url}</p>`)
}

const plain = http.createServer(handler)
const tls = makeCA('Seed Example CA').issue(['github.com', '*.github.com', 'gitlab.com'])
const secure = https.createServer({ cert: tls.cert, key: tls.key }, handler)

// Resolves once both sites listen and the rules send every host's 80 and 443 to them.
const ready = Promise.all([plain, secure].map((server) => new Promise((resolve) => {
  // Neither the sites nor their keep-alive connections hold the example's process open.
  server.on('connection', (socket) => socket.unref())
  server.on('secureConnection', (socket) => socket.unref())
  server.listen(0, '127.0.0.1', () => { server.unref(); resolve(server.address().port) })
}))).then(([httpPort, httpsPort]) => {
  app.commandLine.appendSwitch('host-resolver-rules', `MAP *:80 127.0.0.1:${httpPort}, MAP *:443 127.0.0.1:${httpsPort}`)
})

module.exports = { ready }
