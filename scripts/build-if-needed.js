'use strict'
// Install step: builds the native addon from source with the Rust toolchain unless a
// loadable build for this platform is already here (there are no prebuilt binaries to
// download). Set HEADLESS_SESSION_FORCE_BUILD=1 to rebuild anyway.
const { execFileSync } = require('node:child_process')
const path = require('node:path')

const root = path.join(__dirname, '..')

function loadable () {
  try {
    require(path.join(root, 'binding.js'))
    return true
  } catch {
    return false
  }
}

if (!process.env.HEADLESS_SESSION_FORCE_BUILD && loadable()) {
  console.log('headless-session: native addon already built')
  process.exit(0)
}

let cli
try {
  const manifest = require.resolve('@napi-rs/cli/package.json', { paths: [root] })
  cli = path.join(path.dirname(manifest), require(manifest).bin.napi)
} catch {
  console.error('headless-session: @napi-rs/cli is missing; install dev dependencies or a prebuilt platform package')
  process.exit(1)
}
console.log('headless-session: building the native addon (cargo, release)…')
execFileSync(process.execPath, [cli, 'build', '--platform', '--release', '--js', 'binding.js', '--dts', 'binding.d.ts'], {
  cwd: root,
  stdio: 'inherit'
})
