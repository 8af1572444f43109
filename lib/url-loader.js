'use strict'
//! The JS side of a native request (Electron's URLLoader): option packing, step unpacking
//! and error naming, shared by ClientRequest and fetch.

// Native failures arrive as Errors whose message is Chromium's string; give them the
// code too (`net::ERR_CONNECTION_REFUSED` -> code `ERR_CONNECTION_REFUSED`).
function netError (error) {
  const message = error && typeof error.message === 'string' ? error.message : String(error)
  const out = new Error(message)
  if (message.startsWith('net::')) out.code = message.slice(5)
  return out
}

// 'a\0b\0c\0d' -> [['a', 'b'], ['c', 'd']]
function unpackPairs (packed, separator) {
  const pairs = []
  if (packed === '') return pairs
  const parts = packed.split(separator)
  for (let i = 0; i + 1 < parts.length; i += 2) pairs.push([parts[i], parts[i + 1]])
  return pairs
}

// Electron's redirect-event headers: name -> array of values.
function headerRecord (pairs) {
  const record = {}
  for (const [name, value] of pairs) {
    const key = name.toLowerCase()
    if (record[key] === undefined) record[key] = [value]
    else record[key].push(value)
  }
  return record
}

function unpackRedirects (packed) {
  const redirects = []
  if (packed === '') return redirects
  const parts = packed.split('\0')
  for (let i = 0; i + 3 < parts.length; i += 4) {
    redirects.push({
      statusCode: Number(parts[i]),
      newMethod: parts[i + 1],
      newUrl: parts[i + 2],
      headers: headerRecord(unpackPairs(parts[i + 3], '\u0001'))
    })
  }
  return redirects
}

function unpackAuth (packed) {
  const [isProxy, scheme, host, port, realm] = packed.split('\0')
  return { isProxy: isProxy === 'true', scheme, host, port: Number(port), realm }
}

module.exports = { netError, unpackPairs, unpackRedirects, unpackAuth, headerRecord }
