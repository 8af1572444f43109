'use strict'
//! Decodes the compact cookie lists of src/binding/cookie_wire.rs into Electron's Cookie
//! objects (same keys, same order as Electron's).

const SAME_SITE = { u: 'unspecified', n: 'no_restriction', l: 'lax', s: 'strict' }
const FIELDS = 7

function decodeCookies (packed) {
  if (packed === '') return []
  const f = packed.split('\0')
  const out = new Array(f.length / FIELDS)
  for (let i = 0, n = 0; i < f.length; i += FIELDS, n++) {
    const flags = f[i + 4].charCodeAt(0) - 97
    // Two literals, not one object patched afterwards: Electron puts expirationDate before
    // sameSite, and each literal keeps one stable hidden class for V8.
    if (flags & 8) {
      out[n] = {
        name: f[i],
        value: f[i + 1],
        domain: f[i + 2],
        hostOnly: (flags & 1) !== 0,
        path: f[i + 3],
        secure: (flags & 2) !== 0,
        httpOnly: (flags & 4) !== 0,
        session: true,
        sameSite: SAME_SITE[f[i + 6]]
      }
    } else {
      out[n] = {
        name: f[i],
        value: f[i + 1],
        domain: f[i + 2],
        hostOnly: (flags & 1) !== 0,
        path: f[i + 3],
        secure: (flags & 2) !== 0,
        httpOnly: (flags & 4) !== 0,
        session: false,
        expirationDate: Number(f[i + 5]),
        sameSite: SAME_SITE[f[i + 6]]
      }
    }
  }
  return out
}

module.exports = { decodeCookies }
