'use strict'
// Downloading a large file over loopback to disk (GIB env, default 1 GiB): ses.downloadURL
// against `curl -o` and undici's request piped to a file stream, interleaved rounds,
// medians of each client's own timing of the transfer; the peak RSS growth of the
// downloading process. The server is
// bench/http-server.js (canned bytes) in its own process; each client runs in a process
// of its own (bench/download-client.js) so that one's memory does not weigh on another.
// Writes bench/results/download.json.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn, execFileSync } = require('node:child_process')

const ROUNDS = Number(process.env.ROUNDS || 3)
const MIB = Number(process.env.MIB || 1024)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// Touches (and frees) a little more memory than a download's page cache will take. On a
// virtual machine whose free memory goes back to the host, the first touch of a page the
// host took back costs a fault on the host: writing 1 GiB into fresh pages measured 4-10 s
// for curl too, against 1 s into pages just used. Warming first gives every client pages
// that were just in use.
function warmMemory () {
  execFileSync(process.execPath, ['-e', `Buffer.alloc(${Math.ceil(MIB * 1.25)} * 1048576, 1)`])
}

function runClient (client, url, file) {
  // Every client starts with no dirty pages waiting (the kernel's write-back of the last
  // gigabyte would otherwise throttle whoever comes next) and with warm free memory.
  execFileSync('sync')
  warmMemory()
  if (client === 'curl -o') {
    // curl's own measure of the transfer, as the Node clients measure theirs in-process
    // (no process start-up in either).
    const seconds = Number(execFileSync('curl', ['-s', '-o', file, '-w', '%{time_total}', url], { encoding: 'utf8' }))
    return { seconds, rssGrowth: null }
  }
  const out = execFileSync(process.execPath, [path.join(__dirname, 'download-client.js'), client, url, file], { encoding: 'utf8' })
  return JSON.parse(out)
}

async function main () {
  const child = spawn(process.execPath, [path.join(__dirname, 'http-server.js')], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, STREAM_MIB: String(MIB) } })
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))))
  const url = `http://127.0.0.1:${port}/stream`
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-bench-download-'))
  const clients = ['ses.downloadURL', 'curl -o', 'undici.request → fs.createWriteStream']
  const times = Object.fromEntries(clients.map((c) => [c, []]))
  const rss = []
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const client of clients) {
        const file = path.join(dir, `out-${round}-${clients.indexOf(client)}.bin`)
        const { seconds, rssGrowth } = runClient(client, url, file)
        if (fs.statSync(file).size !== MIB * 1048576) throw new Error(`${client}: wrong size`)
        fs.rmSync(file)
        times[client].push(seconds)
        if (client === 'ses.downloadURL') rss.push(rssGrowth)
      }
      process.stderr.write(`round ${round + 1}/${ROUNDS} done\n`)
    }
  } finally {
    child.kill()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const rate = (client) => MIB / median(times[client])
  const table = Object.fromEntries(clients.map((c) => [c, `${rate(c).toFixed(0)} MiB/s`]))
  const summary = {
    [`ses.downloadURL vs curl -o, ${MIB} MiB (target >= 0.9x)`]: `${(rate('ses.downloadURL') / rate('curl -o')).toFixed(2)}x`,
    [`ses.downloadURL vs undici piped to a file (target >= 1x)`]: `${(rate('ses.downloadURL') / rate('undici.request → fs.createWriteStream')).toFixed(2)}x`,
    'ses.downloadURL peak RSS growth (target < 64 MiB)': `${Math.max(...rss).toFixed(1)} MiB`
  }
  console.table(table)
  console.table(summary)
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true })
  fs.writeFileSync(path.join(__dirname, 'results', 'download.json'), JSON.stringify({ date: new Date().toISOString(), mib: MIB, rates: table, summary, seconds: times }, null, 2) + '\n')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
