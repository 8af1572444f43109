'use strict'
// One client's streamed downloads, in a process of its own so that no other client's heap,
// buffers or threads share it (measured in one process, the clients slowed each other in
// ways that favoured whichever ran first). Used by bench/http.js and bench/proxy.js:
//   node stream-client.js <client> <direct|proxy> <url> <proxy port> <rounds>
// with client one of ses.fetch, net.request, undici.request, node:http. Prints the body
// size and the milliseconds of each timed download (after three warm-ups) as JSON. `.bench`
// names go to 127.0.0.1 for ses.fetch and net.request (so that the implicit loopback bypass
// does not apply when proxied); the other clients are given 127.0.0.1 by the caller.
const http = require('node:http')

const [client, route, url, proxyPort, rounds] = process.argv.slice(2)
const now = () => Number(process.hrtime.bigint()) / 1e6

const readNodeStream = (stream) => new Promise((resolve, reject) => {
  let n = 0
  stream.on('data', (c) => { n += c.length })
  stream.on('end', () => resolve(n))
  stream.on('error', reject)
})

function makeClient () {
  if (client === 'ses.fetch' || client === 'net.request') {
    const { app, session, net } = require('..')
    app.commandLine.appendSwitch('host-resolver-rules', 'MAP *.bench 127.0.0.1')
    const ses = session.fromPartition('bench-stream')
    const ready = route === 'proxy' ? ses.setProxy({ proxyRules: `127.0.0.1:${proxyPort}` }) : Promise.resolve()
    if (client === 'ses.fetch') {
      return async () => {
        await ready
        let n = 0
        for await (const chunk of (await ses.fetch(url)).body) n += chunk.length
        return n
      }
    }
    return async () => {
      await ready
      return new Promise((resolve, reject) => {
        const req = net.request({ url, session: ses })
        req.on('response', (res) => readNodeStream(res).then(resolve, reject))
        req.on('error', reject)
        req.end()
      })
    }
  }
  if (client === 'undici.request') {
    const undici = require('undici')
    const dispatcher = route === 'proxy'
      ? new undici.ProxyAgent({ uri: `http://127.0.0.1:${proxyPort}`, proxyTunnel: false })
      : new undici.Agent()
    return async () => readNodeStream((await undici.request(url, { dispatcher })).body)
  }
  if (client === 'node:http' && route === 'direct') {
    const agent = new http.Agent({ keepAlive: true })
    return () => new Promise((resolve, reject) => {
      http.get(url, { agent }, (res) => readNodeStream(res).then(resolve, reject)).on('error', reject)
    })
  }
  throw new Error(`unknown client ${client} (${route})`)
}

async function main () {
  const download = makeClient()
  let size = null
  const timed = async () => {
    const t = now()
    const n = await download()
    if (size !== null && n !== size) throw new Error(`short body: ${n} of ${size}`)
    size = n
    return now() - t
  }
  // Warm-ups: the JIT, the pool and the allocator reach their steady state.
  for (let i = 0; i < 3; i++) await timed()
  const times = []
  for (let i = 0; i < Number(rounds); i++) times.push(await timed())
  process.stdout.write(JSON.stringify({ bytes: size, times }) + '\n')
  process.exit(0)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
