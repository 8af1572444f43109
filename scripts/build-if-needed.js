'use strict'
// Install step. The binary comes from the platform package npm installed beside this one
// (optionalDependencies: headless-session-<platform>), or from a build already here; when
// neither loads, it is built from this package's Rust sources with cargo alone (no dev
// dependency needed). Set HEADLESS_SESSION_FORCE_BUILD=1 to build from source anyway.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')
const { name, version } = require('../package.json')

// The napi-rs platform name of this machine (binding.js loads `<name>.<platform>.node`).
function platform () {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch] ?? process.arch
  if (process.platform === 'win32') return `win32-${arch}-msvc`
  if (process.platform !== 'linux') return `${process.platform}-${arch}`
  const glibc = process.report?.getReport()?.header?.glibcVersionRuntime
  return `linux-${arch}-${glibc ? 'gnu' : 'musl'}`
}

function loadable () {
  try {
    require(path.join(root, 'binding.js'))
    return true
  } catch {
    return false
  }
}

function hasCargo () {
  try {
    execFileSync('cargo', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

if (!process.env.HEADLESS_SESSION_FORCE_BUILD && loadable()) process.exit(0)

const target = platform()
if (!hasCargo()) {
  console.error(`${name}: no binary for ${target}: the package ${name}-${target}@${version} is not installed ` +
    '(npm installs it when it is published for your platform), and cargo, needed to build one from source, ' +
    'is not on PATH. Install Rust (https://rustup.rs) and run npm install again, or install the platform package.')
  process.exit(1)
}

console.log(`${name}: building the native addon for ${target} from source (cargo build --release)…`)
execFileSync('cargo', ['build', '--release', '--lib'], { cwd: root, stdio: 'inherit' })
const targetDir = process.env.CARGO_TARGET_DIR ? path.resolve(root, process.env.CARGO_TARGET_DIR) : path.join(root, 'target')
const library = {
  win32: 'headless_session.dll',
  darwin: 'libheadless_session.dylib'
}[process.platform] ?? 'libheadless_session.so'
fs.copyFileSync(path.join(targetDir, 'release', library), path.join(root, `${name}.${target}.node`))
if (!loadable()) {
  console.error(`${name}: the addon built from source does not load; run node -e "require('${name}')" to see why`)
  process.exit(1)
}
