'use strict'
// Prints bench/results/http.json as the README's markdown table.
const r = require('./results/http.json')
const m = r.medianMs
const rows = [['client', 'sequential (req/s)', '64 concurrent (req/s)', '256 MiB stream (MiB/s)']]
const names = ['ses.fetch', 'net.request', 'undici.request', 'undici.fetch', 'global fetch', 'node:http', 'got', 'axios']
const rate = (ms) => (ms ? Math.round(r.requests / (ms / 1000)).toLocaleString('en') : '')
for (const name of names) {
  const stream = m.stream[name === 'ses.fetch' ? 'ses.fetch (stream)' : name]
  rows.push([name, rate(m.sequential[name]), rate(m.concurrent[name]), stream ? Math.round(256 / (stream / 1000)).toLocaleString('en') : ''])
}
const lines = rows.map((row) => `| ${row.join(' | ')} |`)
lines.splice(1, 0, '|---|---:|---:|---:|')
lines.push('', '| ratio | value |', '|---|---:|', ...Object.entries(r.ratios).map(([k, v]) => `| ${k} | ${v} |`))
console.log(lines.join('\n'))
