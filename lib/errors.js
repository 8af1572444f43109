'use strict'
//! Errors of the JS face: argument errors worded as Electron words them, each with a stable
//! `code` (Node's codes for argument and state errors; native errors arrive with theirs).

// V8's ToDetailString, which Electron's gin uses when an argument fails to convert.
function detailString (value) {
  if (value === null) return 'null'
  if (typeof value === 'object') return `#<${(value.constructor && value.constructor.name) || 'Object'}>`
  if (typeof value === 'symbol') return value.toString()
  return String(value)
}

// Electron's message for an argument of the wrong type.
function conversionError (index, value) {
  return codedError(`Error processing argument at index ${index}, conversion failure from ${detailString(value)}`, 'ERR_INVALID_ARG_TYPE', TypeError)
}

// A field of an options object with the wrong type (Electron silently ignores these; we
// refuse them, so that a typo'd type never half-applies).
function fieldTypeError (object, field, expected, value) {
  return codedError(`${object}.${field} must be ${expected}, got ${detailString(value)}`, 'ERR_INVALID_ARG_TYPE', TypeError)
}

// Checks an optional field of an options object.
function checkField (object, owner, field, type) {
  const value = object[field]
  if (value === undefined) return undefined
  if (type === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw fieldTypeError(owner, field, 'a finite number', value)
  } else if (typeof value !== type) {
    throw fieldTypeError(owner, field, `a ${type}`, value)
  }
  return value
}

// An error with a stable `code` (native errors arrive with theirs already set).
function codedError (message, code, Type = Error) {
  const error = new Type(message)
  error.code = code
  return error
}

module.exports = { conversionError, fieldTypeError, checkField, codedError, detailString }
