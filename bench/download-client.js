'use strict'
// One download by one client in a process of its own, for bench/download.js: prints
// { seconds, rssGrowth } (MiB, the peak over the download, sampled every 20 ms).
const fs = require('node:fs')
const path = require('node:path')
const { pipeline } = require('node:stream/promises')

const [client, url, file] = process.argv.slice(2)

async function main () {
  // The client's code is loaded before the baseline: growth is what the download costs.
  const { session } = client === 'ses.downloadURL' ? require('..') : {}
  const undici = client === 'ses.downloadURL' ? null : require('undici')
  const baseline = process.memoryUsage.rss()
  let peak = baseline
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, 20)
  const started = process.hrtime.bigint()
  if (client === 'ses.downloadURL') {
    const ses = session.fromPartition('bench-download', { cache: false })
    await new Promise((resolve, reject) => {
      ses.once('will-download', (event, item) => {
        item.setSavePath(file)
        item.once('done', (e, state) => state === 'completed' ? resolve() : reject(new Error(state)))
      })
      ses.downloadURL(url)
    })
  } else {
    const { body } = await undici.request(url)
    await pipeline(body, fs.createWriteStream(path.resolve(file)))
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  clearInterval(sampler)
  peak = Math.max(peak, process.memoryUsage.rss())
  process.stdout.write(JSON.stringify({ seconds, rssGrowth: (peak - baseline) / 1048576 }))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
