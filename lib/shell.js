'use strict'
//! Electron's shell, as far as sessions reach it: `openExternal`, which a permitted
//! navigation to an external scheme (mailto:, tel:, a scheme nothing handles) calls. Nothing
//! opens here: by default it emits 'open-external' (url, options) and resolves; a program
//! may replace `shell.openExternal` with its own.

const { EventEmitter } = require('node:events')
const { conversionError } = require('./errors')

const shell = new EventEmitter()

shell.openExternal = function openExternal (url, options = {}) {
  if (typeof url !== 'string') throw conversionError(0, url)
  shell.emit('open-external', url, options)
  return Promise.resolve()
}

module.exports = { shell }
