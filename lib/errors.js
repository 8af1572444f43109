'use strict'
//! Argument errors worded as Electron words them, and native errors made plain.

// V8's ToDetailString, which Electron's gin uses when an argument fails to convert.
function detailString (value) {
  if (value === null) return 'null'
  if (typeof value === 'object') return `#<${(value.constructor && value.constructor.name) || 'Object'}>`
  if (typeof value === 'symbol') return value.toString()
  return String(value)
}

// Electron's message for an argument of the wrong type.
function conversionError (index, value) {
  return new TypeError(`Error processing argument at index ${index}, conversion failure from ${detailString(value)}`)
}

// A field of an options object with the wrong type (Electron silently ignores these; we
// refuse them, so that a typo'd type never half-applies).
function fieldTypeError (object, field, expected, value) {
  return new TypeError(`${object}.${field} must be ${expected}, got ${detailString(value)}`)
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

// Native errors arrive as napi errors with a `code` of napi's status; callers get a plain
// Error with the same message.
function plainError (error) {
  if (error instanceof Error && error.code === undefined && error.constructor === Error) return error
  const message = error && typeof error.message === 'string' ? error.message : String(error)
  return new Error(message)
}

module.exports = { conversionError, fieldTypeError, checkField, plainError, detailString }
