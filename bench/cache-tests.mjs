//! `npm run cache-tests`: the httpwg HTTP caching tests (the http-cache-tests package) in
//! browser mode, with `ses.fetch` of an in-memory and of a persistent partition as the
//! fetch, beside the suite's recorded Chrome results and undici's fetch through its cache
//! interceptor run the same way. Prints the pass counts and the tests Chrome or undici pass
//! that we do not; writes bench/results/cache-tests.json.
import { createRequire } from 'node:module'
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')

// The suite is installed on first use under node_modules/.cache, not as a dev dependency:
// it depends on npm 6, whose `npm` would shadow the real one in node_modules/.bin for every
// npm script (npm pack --pack-destination and napi pre-publish then fail).
const SUITE_VERSION = '0.4.5'
const suitePrefix = path.join(root, 'node_modules', '.cache', `http-cache-tests-${SUITE_VERSION}`)
const suite = path.join(suitePrefix, 'node_modules', 'http-cache-tests')
if (!fs.existsSync(path.join(suite, 'package.json'))) {
  console.error(`installing http-cache-tests@${SUITE_VERSION} into ${suitePrefix}`)
  fs.mkdirSync(suitePrefix, { recursive: true })
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['install', '--prefix', suitePrefix, '--no-save', '--no-audit', '--no-fund', '--no-bin-links', `http-cache-tests@${SUITE_VERSION}`], { stdio: 'inherit' })
}
const chrome = JSON.parse(fs.readFileSync(path.join(suite, 'results', 'chrome.json'), 'utf8'))

// Runs the suite in a child process per client, since its runner keeps global state.
function runClient (which) {
  const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-cache-tests-'))
  const script = `
    const { app, session } = require(${JSON.stringify(root)})
    const undici = require(${JSON.stringify(require.resolve('undici'))})
    app.setPath('userData', ${JSON.stringify(userData)})
    const which = ${JSON.stringify(which)}
    let fetchFn
    if (which === 'undici') {
      const agent = new undici.Agent().compose(undici.interceptors.cache({ store: new undici.cacheStores.MemoryCacheStore() }))
      fetchFn = (url, init) => undici.fetch(url, { ...init, dispatcher: agent })
    } else {
      const ses = session.fromPartition(which === 'persistent' ? 'persist:cache-tests' : 'cache-tests')
      fetchFn = (url, init) => ses.fetch(url, init)
    }
    ;(async () => {
      const { runTests, getResults } = await import(${JSON.stringify(path.join(suite, 'client', 'runner.mjs'))})
      const tests = (await import(${JSON.stringify(path.join(suite, 'tests', 'index.mjs'))})).default
      await runTests(tests, fetchFn, true, process.env.BASE)
      process.stdout.write(JSON.stringify(getResults()))
      process.exit(0)
    })()`
  return new Promise((resolve, reject) => {
    const port = 20000 + Math.floor(Math.random() * 20000)
    const server = spawn(process.execPath, [path.join(suite, 'server', 'server.mjs')], {
      cwd: userData,
      env: { ...process.env, npm_package_config_protocol: 'http', npm_package_config_port: String(port), npm_package_config_pidfile: path.join(userData, 'server.pid') },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    server.stdout.once('data', () => {
      const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, BASE: `http://localhost:${port}` }, stdio: ['ignore', 'pipe', 'inherit'] })
      let out = ''
      child.stdout.on('data', (d) => { out += d })
      child.on('exit', () => {
        server.kill()
        fs.rmSync(userData, { recursive: true, force: true })
        try { resolve(JSON.parse(out)) } catch (error) { reject(error) }
      })
    })
  })
}

const results = {}
for (const which of ['in-memory', 'persistent', 'undici']) results[which] = await runClient(which)
const ids = Object.keys(results['in-memory'])
const passes = (r) => ids.filter((id) => r[id] === true)
const union = ids.filter((id) => chrome[id] === true || results.undici[id] === true)
const missed = union.filter((id) => results['in-memory'][id] !== true)
const summary = {
  'tests run (browser mode)': ids.length,
  'ses.fetch, in-memory partition': passes(results['in-memory']).length,
  'ses.fetch, persistent partition': passes(results.persistent).length,
  'Chrome (recorded by the suite)': ids.filter((id) => chrome[id] === true).length,
  'undici fetch + interceptors.cache': passes(results.undici).length,
  'Chrome or undici': union.length,
  'of those, passed by ses.fetch': union.length - missed.length
}
console.table(summary)
console.log(`Passed by Chrome or undici, not by ses.fetch (${missed.length}):\n  ${missed.join('\n  ')}`)
fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true })
fs.writeFileSync(path.join(root, 'bench', 'results', 'cache-tests.json'), JSON.stringify({ date: new Date().toISOString(), summary, missed, results }, null, 2) + '\n')
