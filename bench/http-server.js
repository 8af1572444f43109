'use strict'
// The benchmark's server, run in its own process: a minimal keep-alive HTTP/1.1 responder on
// raw sockets (no per-request parsing beyond finding the end of each request head), so that
// the clients, not the server, are what is measured. GET /1k answers 1 KiB; /cached1k (any
// query) the same with `Cache-Control: max-age=3600`, /nostore1k with `no-store`; GET
// /stream answers 256 MiB (STREAM_MIB), /stream64 64 MiB; /page50 is an HTML document with 50
// subresources (images, scripts, stylesheets: /nostore1k?n). Prints its port on stdout.
const net = require('node:net')

const body1k = Buffer.alloc(1024, 'x')
const reply1k = Buffer.concat([
  Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body1k.length}\r\nConnection: keep-alive\r\n\r\n`),
  body1k
])
const replyWith = (cacheControl) => Buffer.concat([
  Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nCache-Control: ${cacheControl}\r\nContent-Length: ${body1k.length}\r\nConnection: keep-alive\r\n\r\n`),
  body1k
])
const replyCached = replyWith('max-age=3600')
const replyNoStore = replyWith('no-store')
// bench/window.js's page: 50 subresources of three kinds, none stored.
const kinds = [(n) => `<img src="/nostore1k?${n}">`, (n) => `<script src="/nostore1k?${n}"></script>`, (n) => `<link rel="stylesheet" href="/nostore1k?${n}">`]
const page50 = Buffer.from(`<!doctype html><html><head><title>Fifty</title></head><body>${Array.from({ length: 50 }, (_, n) => kinds[n % 3](n)).join('\n')}</body></html>`)
const replyPage50 = Buffer.concat([
  Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nCache-Control: no-store\r\nContent-Length: ${page50.length}\r\nConnection: keep-alive\r\n\r\n`),
  page50
])
const streamChunk = Buffer.alloc(1024 * 1024, 'y')
// /stream's size in MiB (bench/download.js asks for 1 GiB).
const STREAM_MIB = Number(process.env.STREAM_MIB || 256)

// GET /stream answers 256 MiB, /stream64 64 MiB.
function streamBody (socket, mib, done) {
  socket.write(Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${mib * 1048576}\r\nConnection: keep-alive\r\n\r\n`))
  let left = mib
  const write = () => {
    while (left > 0) {
      left--
      if (!socket.write(streamChunk)) return socket.once('drain', write)
    }
    done()
  }
  write()
}

const server = net.createServer((socket) => {
  socket.setNoDelay(true)
  let pending = ''
  let streaming = false
  const queue = []
  const serve = () => {
    while (!streaming && queue.length) {
      const path = queue.shift()
      if (path === '/stream' || path === '/stream64') {
        streaming = true
        streamBody(socket, path === '/stream' ? STREAM_MIB : 64, () => { streaming = false; serve() })
      } else if (path.startsWith('/cached1k')) {
        socket.write(replyCached)
      } else if (path.startsWith('/nostore1k')) {
        socket.write(replyNoStore)
      } else if (path === '/page50') {
        socket.write(replyPage50)
      } else {
        socket.write(reply1k)
      }
    }
  }
  socket.on('data', (data) => {
    pending += data.toString('latin1')
    let end
    while ((end = pending.indexOf('\r\n\r\n')) !== -1) {
      const head = pending.slice(0, end)
      pending = pending.slice(end + 4)
      const target = head.slice(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1))
      // Absolute-form (relayed by bench/proxy-server.js) names the same paths.
      queue.push(target.startsWith('http') ? new URL(target).pathname : target)
    }
    serve()
  })
  socket.on('error', () => {})
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
