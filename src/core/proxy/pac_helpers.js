// The Netscape PAC helpers and Microsoft's *Ex variants as Chromium's pac_js_library has
// them, evaluated before every PAC script. dnsResolve, dnsResolveEx and myIpAddress(Ex) come
// from the host (Rust).

// A helper given no string where it takes a host throws, as Chromium's do.
function __requireString (value) {
  if (typeof value !== 'string') throw new TypeError('Requires 1 string parameter')
}

const __dnsResolve = dnsResolve
const __dnsResolveEx = dnsResolveEx
globalThis.dnsResolve = function dnsResolve (host) { __requireString(host); return __dnsResolve(host) }
globalThis.dnsResolveEx = function dnsResolveEx (host) { __requireString(host); return __dnsResolveEx(host) }

// No dot and no colon: an IPv6 literal is not a plain host name.
function isPlainHostName (host) { __requireString(host); return host.search(/(\.)|:/) === -1 }

function dnsDomainIs (host, domain) {
  return host.length >= domain.length && host.substring(host.length - domain.length) === domain
}

function localHostOrDomainIs (host, hostdom) {
  return host === hostdom || hostdom.lastIndexOf(host + '.', 0) === 0
}

function isResolvable (host) { __requireString(host); return dnsResolve(host) !== null }

function isResolvableEx (host) { __requireString(host); return dnsResolveEx(host) !== '' }

function convertAddr (ip) {
  const p = ip.split('.')
  return ((p[0] & 0xff) << 24 | (p[1] & 0xff) << 16 | (p[2] & 0xff) << 8 | (p[3] & 0xff)) >>> 0
}

function isInNet (host, pattern, mask) {
  const ip = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : dnsResolve(host)
  if (ip === null) return false
  const m = convertAddr(mask)
  return (convertAddr(ip) & m) >>> 0 === (convertAddr(pattern) & m) >>> 0
}

// The prefix must carry its length (`10.0.0.0/8`), as Chromium's ParseCIDRBlock wants.
function isInNetEx (ip, prefix) {
  if (typeof ip !== 'string' || typeof prefix !== 'string') return false
  const [base, bits] = prefix.split('/')
  if (bits === undefined || !/^\d+$/.test(bits) || Number(bits) > 32) return false
  const n = Number(bits)
  if (ip.indexOf(':') >= 0 || base.indexOf(':') >= 0) return false
  const mask = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0
  return (convertAddr(ip) & mask) >>> 0 === (convertAddr(base) & mask) >>> 0
}

function dnsDomainLevels (host) { __requireString(host); return host.split('.').length - 1 }

// As Chromium's library: the pattern becomes a regular expression with only `.`, `*` and
// `?` translated, so the rest of RegExp syntax (`(a|b)`) keeps its meaning.
function shExpMatch (url, pattern) {
  pattern = pattern.replace(/\./g, '\\.')
  pattern = pattern.replace(/\*/g, '.*')
  pattern = pattern.replace(/\?/g, '.')
  return new RegExp('^' + pattern + '$').test(url)
}

function sortIpAddressList (list) {
  return list.split(';').sort().join(';')
}

function getClientVersion () { return '1.0' }

const __days = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']
const __months = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC']

function __gmt (args) { return args.length > 0 && args[args.length - 1] === 'GMT' }

function weekdayRange (wd1, wd2, gmt) {
  const args = Array.prototype.slice.call(arguments)
  const now = new Date()
  const today = __gmt(args) ? now.getUTCDay() : now.getDay()
  const a = __days.indexOf(wd1)
  const b = (typeof wd2 === 'string' && wd2 !== 'GMT') ? __days.indexOf(wd2) : a
  if (a < 0 || b < 0) return false
  return a <= b ? today >= a && today <= b : today >= a || today <= b
}

function dateRange () {
  const args = Array.prototype.slice.call(arguments)
  const gmt = __gmt(args)
  if (gmt) args.pop()
  const now = new Date()
  const d = { day: gmt ? now.getUTCDate() : now.getDate(), month: gmt ? now.getUTCMonth() : now.getMonth(), year: gmt ? now.getUTCFullYear() : now.getFullYear() }
  const parts = args.map((v) => (typeof v === 'string' ? { month: __months.indexOf(v) } : v > 31 ? { year: v } : { day: v }))
  const value = (p, key) => p[key]
  if (parts.length === 1) {
    const p = parts[0]
    return ['day', 'month', 'year'].every((k) => value(p, k) === undefined || value(p, k) === d[k])
  }
  const half = parts.length / 2
  const start = Object.assign({}, ...parts.slice(0, half))
  const end = Object.assign({}, ...parts.slice(half))
  const key = (o) => ((o.year ?? d.year) * 12 + (o.month ?? d.month)) * 32 + (o.day ?? (o === start ? 0 : 31))
  const today = (d.year * 12 + d.month) * 32 + d.day
  return key(start) <= today && today <= key(end)
}

function timeRange () {
  const args = Array.prototype.slice.call(arguments)
  const gmt = __gmt(args)
  if (gmt) args.pop()
  const now = new Date()
  const t = (gmt ? now.getUTCHours() : now.getHours()) * 3600 + (gmt ? now.getUTCMinutes() : now.getMinutes()) * 60 + (gmt ? now.getUTCSeconds() : now.getSeconds())
  if (args.length === 1) return Math.floor(t / 3600) === args[0]
  let start
  let end
  if (args.length === 2) { start = args[0] * 3600; end = args[1] * 3600 + 3599 } else if (args.length === 4) { start = args[0] * 3600 + args[1] * 60; end = args[2] * 3600 + args[3] * 60 + 59 } else { start = args[0] * 3600 + args[1] * 60 + args[2]; end = args[3] * 3600 + args[4] * 60 + args[5] }
  return start <= end ? t >= start && t <= end : t >= start || t <= end
}
