const { spawn } = require('child_process')
const { session } = require('/work/main')
const child = spawn(process.execPath, ['/work/main/bench/http-server.js'], { stdio: ['ignore', 'pipe', 'inherit'] })
child.stdout.once('data', async (d) => {
  const url = `http://127.0.0.1:${String(d).trim()}/1k`
  const ses = session.fromPartition('p')
  const N = Number(process.env.N || 20000)
  const mode = process.env.MODE || 'fetch'
  const t = process.hrtime.bigint()
  let next = 0
  await Promise.all(Array.from({ length: 64 }, async () => {
    while (next++ < N) {
      if (mode === 'fetch') await (await ses.fetch(url)).arrayBuffer()
      else if (mode === 'undici') await (await require('/work/main/node_modules/undici').fetch(url)).arrayBuffer()
    }
  }))
  console.log(mode, Number(process.hrtime.bigint() - t) / 1e6, 'ms')
  child.kill()
})
