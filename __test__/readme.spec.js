'use strict'
// The README's code blocks run as they are: every `js` block as a CommonJS file and every
// `mjs` block as an ES module, in a fresh directory where `headless-session` resolves to
// this checkout, so the README cannot go stale. The two quick starts print what they say.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { execFile } = require('node:child_process')
const { promisify } = require('node:util')
const { tempDir } = require('./helpers')

const root = path.join(__dirname, '..')
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
const blocks = [...readme.matchAll(/^```(js|mjs)\n([\s\S]*?)^```$/gm)].map(([, kind, code]) => ({ kind, code }))

// What the quick starts print, in order.
const expected = [
  ['/login: cookie none, client quickstart', '/account: cookie sid=42, client quickstart', 'sid=42, httpOnly true'],
  ['hello from /esm', 'cookies: theme=dark']
]

async function runBlock ({ kind, code }, index) {
  const dir = tempDir()
  fs.mkdirSync(path.join(dir, 'node_modules'))
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'headless-session'), 'dir')
  const file = path.join(dir, `block-${index}.${kind}`)
  fs.writeFileSync(file, code)
  // A fresh temporary directory, so a block that keeps data under os.tmpdir() starts clean.
  const env = { ...process.env, TMPDIR: tempDir() }
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], { cwd: dir, env, timeout: 60000 })
  return { lines: stdout.trim().split('\n'), stderr }
}

describe("the README's code blocks", () => {
  it('has the two quick starts, CommonJS and ES module', () => {
    assert.deepEqual(blocks.slice(0, 2).map((b) => b.kind), ['js', 'mjs'])
  })

  blocks.forEach((block, index) => {
    it(`block ${index + 1} (${block.kind}) runs as written`, async () => {
      const { lines, stderr } = await runBlock(block, index)
      assert.equal(stderr, '')
      if (expected[index]) assert.deepEqual(lines, expected[index])
    })
  })
})
