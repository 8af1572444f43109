'use strict'
// The proxy of bench/proxy.js, in its own process: a forwarding HTTP proxy that reads the
// first request head of a connection, connects to the absolute-form target, rewrites that
// head to origin-form and then relays bytes both ways (the bench keeps one target per
// connection, as a pooled client does). Prints its port.
const net = require('node:net')

const server = net.createServer((client) => {
  client.setNoDelay(true)
  let head = Buffer.alloc(0)
  const onData = (data) => {
    head = Buffer.concat([head, data])
    const end = head.indexOf('\r\n\r\n')
    if (end < 0) return
    client.off('data', onData)
    const text = head.subarray(0, end).toString('latin1')
    const [method, target, version] = text.split('\r\n')[0].split(' ')
    const url = new URL(target)
    const rest = text.split('\r\n').slice(1).filter((l) => !/^proxy-/i.test(l)).join('\r\n')
    // The bench's names (*.bench) are on loopback.
    const host = url.hostname.endsWith('.bench') ? '127.0.0.1' : url.hostname
    const upstream = net.connect(Number(url.port || 80), host, () => {
      upstream.setNoDelay(true)
      upstream.write(`${method} ${url.pathname}${url.search} ${version}\r\n${rest}\r\n\r\n`)
      upstream.write(head.subarray(end + 4))
      client.pipe(upstream)
      upstream.pipe(client)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  }
  client.on('data', onData)
})
server.listen(0, '127.0.0.1', () => console.log(server.address().port))
