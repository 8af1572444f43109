'use strict'
//! Electron 1.x callback style on top of Promises: when a trailing callback is given it is
//! called with the old signature, and the Promise is still returned (already handled, so a
//! rejection reported to the callback never becomes an unhandled rejection).

const { conversionError } = require('./errors')

// Throws Electron's conversion error when `callback` is neither undefined nor a function.
function checkCallback (index, callback) {
  if (callback !== undefined && typeof callback !== 'function') throw conversionError(index, callback)
}

// Calls `onValue(value)` or `onError(error)` when `promise` settles, if a callback was given.
function withCallback (promise, callback, onValue, onError) {
  if (typeof callback === 'function') {
    promise.then(
      (value) => queueMicrotask(() => onValue(value)),
      (error) => queueMicrotask(() => onError(error))
    )
  }
  return promise
}

module.exports = { checkCallback, withCallback }
