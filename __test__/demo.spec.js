'use strict'
// `npm run demo` (examples/demo.js) tells its story from a fresh checkout: login through
// ses.fetch in a persistent partition, a webRequest header, an app:// scheme, a loopback
// proxy set with setProxy, and the login found again by a second process.
const { it } = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { execFile } = require('node:child_process')
const { promisify } = require('node:util')

it('npm run demo: the story, step by step', async () => {
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(__dirname, '..', 'examples', 'demo.js')], { timeout: 60000 })
  assert.equal(stderr, '')
  const lines = stdout.trim().split('\n')
  const patterns = [
    /^1\. A site at http:\/\/127\.0\.0\.1:\d+ and a forward proxy at http:\/\/127\.0\.0\.1:(\d+), both on loopback\.$/,
    /^2\. setProxy: requests to the site now go PROXY 127\.0\.0\.1:\d+\.$/,
    /^3\. POST \/login: 200 "Logged in as ada"; the session keeps cookie sid \(httpOnly true, expires \d{4}-\d\d-\d\d\)\.$/,
    /^4\. GET \/account through the proxy: 200 "Hello ada \(header X-Demo: added-by-webRequest\)"$/,
    /^5\. app:\/\/bundle\/index\.html, served by protocol\.handle: 200 text\/html "<h1>\/index\.html from app:\/\/<\/h1>"$/,
    /^ {3}\(the proxy relayed 2 requests\)$/,
    /^6\. The app quits and starts again, as a second process with the same userData…$/,
    /^7\. GET \/account, no proxy this time: 200 "Hello ada \(header X-Demo: none\)": the login survived on disk\.$/
  ]
  assert.equal(lines.length, patterns.length, stdout)
  patterns.forEach((pattern, i) => assert.match(lines[i], pattern))
})
