'use strict'
//! `ses.setCertificateVerifyProc`'s proc as the native side calls it: a function of the
//! request JSON that always resolves with a net error code (0 accepts).

const native = require('./native')

// Chromium's number for net::ERR_FAILED (a 1.x proc's false), from the native error table.
const ERR_FAILED = native.netErrorNumber('ERR_FAILED')

// The user's proc as a function of the request JSON that always resolves with a code:
// the current form `proc(request, callback(code))`, or Electron 1.x's
// `proc(hostname, certificate, callback(bool))` when it takes three parameters.
function adaptVerifyProc (proc) {
  return (json) => new Promise((resolve, reject) => {
    const request = JSON.parse(json)
    let answered = false
    const once = (code) => {
      if (answered) return
      answered = true
      resolve(code)
    }
    try {
      const returned = proc.length >= 3
        ? proc(request.hostname, request.certificate, (ok) => once(ok ? 0 : ERR_FAILED))
        : proc(request, (code) => once(Number.isInteger(code) ? code : ERR_FAILED))
      // An async proc that rejects fails its connection as a throw does (never an
      // unhandled rejection).
      if (typeof returned?.then === 'function') returned.then(undefined, reject)
    } catch (error) {
      reject(error)
    }
  })
}

module.exports = { adaptVerifyProc }
