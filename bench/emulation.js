'use strict'
// Network emulation's accuracy (ses.enableNetworkEmulation): for each download rate from
// 6.4 kB/s (the seed's GPRS example) to 100 MB/s, one download of five seconds' worth of
// bytes, its measured rate and the error against the setting; one upload the same way; and
// the latency: how long past the setting each response head comes, on a warmed connection.
// The server is a node:http process of its own. Writes bench/results/emulation.json.
const fs = require('node:fs')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { session } = require('..')

const SECONDS = Number(process.env.SECONDS || 5)
const RATES = [6400, 50000, 500000, 5e6, 25e6, 100e6]
const UPLOAD_RATE = 1e6
const LATENCY_MS = 100

const serverScript = `
  const http = require('node:http')
  const chunk = Buffer.alloc(1 << 20, 'e')
  http.createServer((req, res) => {
    if (req.method === 'POST') { let n = 0; req.on('data', (d) => { n += d.length }); req.on('end', () => res.end(String(n))); return }
    let left = Number(new URL(req.url, 'http://x').searchParams.get('n'))
    res.writeHead(200, { 'Content-Length': left })
    const write = () => {
      while (left > 0) {
        const piece = chunk.subarray(0, Math.min(left, chunk.length))
        left -= piece.length
        if (!res.write(piece)) return res.once('drain', write)
      }
      res.end()
    }
    write()
  }).listen(0, '127.0.0.1', function () { console.log(this.address().port) })`

const now = () => Number(process.hrtime.bigint()) / 1e9
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function drain (response) {
  let bytes = 0
  for await (const chunk of response.body) bytes += chunk.length
  return bytes
}

async function main () {
  const child = spawn(process.execPath, ['-e', serverScript], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))))
  const base = `http://127.0.0.1:${port}`
  const ses = session.fromPartition('bench-emulation', { cache: false })
  await drain(await ses.fetch(`${base}/?n=1`)) // a connection to reuse
  const rows = []
  for (const rate of RATES) {
    ses.enableNetworkEmulation({ downloadThroughput: rate })
    const bytes = Math.round(rate * SECONDS)
    const start = now()
    const got = await drain(await ses.fetch(`${base}/?n=${bytes}`))
    const took = now() - start
    if (got !== bytes) throw new Error(`short body: ${got} of ${bytes}`)
    const measured = bytes / took
    rows.push({ direction: 'download', 'setting (B/s)': rate, 'measured (B/s)': Math.round(measured), 'error %': (100 * (measured - rate) / rate).toFixed(2) })
    process.stderr.write(`download at ${rate} B/s done\n`)
  }
  ses.enableNetworkEmulation({ uploadThroughput: UPLOAD_RATE })
  {
    const bytes = UPLOAD_RATE * SECONDS
    const start = now()
    const echoed = await (await ses.fetch(`${base}/`, { method: 'POST', body: Buffer.alloc(bytes, 'u') })).text()
    const took = now() - start
    if (Number(echoed) !== bytes) throw new Error(`upload arrived short: ${echoed}`)
    const measured = bytes / took
    rows.push({ direction: 'upload', 'setting (B/s)': UPLOAD_RATE, 'measured (B/s)': Math.round(measured), 'error %': (100 * (measured - UPLOAD_RATE) / UPLOAD_RATE).toFixed(2) })
  }
  ses.enableNetworkEmulation({ latency: LATENCY_MS })
  const over = []
  for (let i = 0; i < 20; i++) {
    const start = now()
    const response = await ses.fetch(`${base}/?n=1`)
    over.push((now() - start) * 1000 - LATENCY_MS)
    await drain(response)
  }
  ses.disableNetworkEmulation()
  child.kill()
  const latency = { 'setting (ms)': LATENCY_MS, 'median over it (ms)': median(over).toFixed(2), 'most over it (ms)': Math.max(...over).toFixed(2), 'least over it (ms)': Math.min(...over).toFixed(2) }
  console.table(rows)
  console.table([latency])
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true })
  fs.writeFileSync(path.join(__dirname, 'results', 'emulation.json'), JSON.stringify({ date: new Date().toISOString(), rows, latency }, null, 2) + '\n')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
