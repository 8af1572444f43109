'use strict'
//! The options of `ses.enableNetworkEmulation`: their check (a TypeError that applies
//! nothing), and `session.networkPresets` (beyond Electron): Chrome DevTools' throttling
//! profiles, so that a test can say what it means. The figures are DevTools' own (SDK
//! NetworkManager: a link rate times its efficiency, latency times its factor); throughputs
//! in bytes per second, latency in milliseconds.

const { conversionError, checkField, codedError } = require('./errors')

const preset = (latency, downloadThroughput, uploadThroughput) =>
  Object.freeze({ offline: false, latency, downloadThroughput, uploadThroughput })

const networkPresets = Object.freeze({
  // '3G' in today's DevTools menu: 500 kbit/s at 80 %, 400 ms × 5.
  slow3G: preset(2000, 50000, 50000),
  // 'Slow 4G' today: 1.6 Mbit/s down and 750 kbit/s up at 90 %, 150 ms × 3.75.
  fast3G: preset(562.5, 180000, 84375),
  // 'Fast 4G': 9 Mbit/s down and 1.5 Mbit/s up at 90 %, 60 ms × 2.75.
  fast4G: preset(165, 1012500, 168750),
  offline: Object.freeze({ offline: true, latency: 0, downloadThroughput: 0, uploadThroughput: 0 })
})

// `options` checked, as the native call takes them: [offline, latency, download, upload].
function emulationConditions (options) {
  if (options === null || typeof options !== 'object') throw conversionError(0, options)
  const conditions = {}
  for (const field of ['offline', 'latency', 'downloadThroughput', 'uploadThroughput']) {
    const value = checkField(options, 'options', field, field === 'offline' ? 'boolean' : 'number')
    if (typeof value === 'number' && value < 0) throw codedError(`options.${field} must not be negative, got ${value}`, 'ERR_OUT_OF_RANGE', TypeError)
    conditions[field] = value
  }
  return [conditions.offline === true, conditions.latency ?? 0, conditions.downloadThroughput ?? 0, conditions.uploadThroughput ?? 0]
}

module.exports = { networkPresets, emulationConditions }
