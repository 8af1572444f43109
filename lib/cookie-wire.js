'use strict'
//! Decodes the compact cookie lists of src/binding/cookie_wire.rs into Electron's Cookie
//! objects (same keys, same order as Electron's).

// sameSite by its letter's char code: u(nspecified), n(o_restriction), l(ax), s(trict).
function sameSiteOf (code) {
  switch (code) {
    case 108: return 'lax'
    case 117: return 'unspecified'
    case 110: return 'no_restriction'
    default: return 'strict'
  }
}

// Where the field starting at `at` ends.
function fieldEnd (packed, at) {
  const end = packed.indexOf('\0', at)
  return end === -1 ? packed.length : end
}

// Walks the string with indexOf rather than splitting it: a split builds an array of every
// field first, which costs as much as the cookie objects themselves.
function decodeCookies (packed) {
  const out = []
  let at = 0
  while (at < packed.length) {
    let end = fieldEnd(packed, at)
    const name = packed.slice(at, end)
    end = fieldEnd(packed, at = end + 1)
    const value = packed.slice(at, end)
    end = fieldEnd(packed, at = end + 1)
    const domain = packed.slice(at, end)
    end = fieldEnd(packed, at = end + 1)
    const path = packed.slice(at, end)
    const flags = packed.charCodeAt(end + 1) - 97
    end = fieldEnd(packed, at = end + 3)
    const expirationDate = packed.slice(at, end)
    const sameSite = sameSiteOf(packed.charCodeAt(end + 1))
    at = end + 3
    // Two literals, not one object patched afterwards: Electron puts expirationDate before
    // sameSite, and each literal keeps one stable hidden class for V8.
    out.push((flags & 8)
      ? { name, value, domain, hostOnly: (flags & 1) !== 0, path, secure: (flags & 2) !== 0, httpOnly: (flags & 4) !== 0, session: true, sameSite }
      : { name, value, domain, hostOnly: (flags & 1) !== 0, path, secure: (flags & 2) !== 0, httpOnly: (flags & 4) !== 0, session: false, expirationDate: Number(expirationDate), sameSite })
  }
  return out
}

module.exports = { decodeCookies }
