'use strict'
//! A session's permission handlers (Electron's setPermissionRequestHandler and
//! setPermissionCheckHandler): what a page's permission request or check asks, with
//! Electron's defaults when no handler is set (everything granted), and requests still
//! waiting for an answer denied when their handler is replaced or cleared.

const { codedError } = require('./errors')

// Electron's permission names (session.md), requests and checks together.
const PERMISSIONS = new Set([
  'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'geolocation',
  'idle-detection', 'media', 'mediaKeySystem', 'midi', 'midiSysex', 'notifications', 'pointerLock',
  'keyboardLock', 'openExternal', 'speaker-selection', 'storage-access', 'top-level-storage-access',
  'window-management', 'unknown', 'fileSystem', 'hid', 'serial', 'usb', 'deprecated-sync-clipboard-read'
])

function checkHandler (handler) {
  if (handler !== null && typeof handler !== 'function') throw codedError('Must pass null or function', 'ERR_INVALID_ARG_TYPE', TypeError)
}

function checkPermissionName (permission) {
  if (typeof permission !== 'string') throw codedError(`The permission must be a string, got ${typeof permission}`, 'ERR_INVALID_ARG_TYPE', TypeError)
  if (!PERMISSIONS.has(permission)) throw codedError(`Unknown permission '${permission}'`, 'ERR_INVALID_ARG_VALUE', TypeError)
}

class Permissions {
  #requestHandler = null
  #checkHandler = null
  // Answers of requests the current request handler has not given yet.
  #pending = new Set()

  setRequestHandler (handler) {
    checkHandler(handler)
    // As Electron: requests the old handler never answered are denied.
    for (const answer of this.#pending) answer(false)
    this.#pending.clear()
    this.#requestHandler = handler
  }

  setCheckHandler (handler) {
    checkHandler(handler)
    this.#checkHandler = handler
  }

  // A permission request from `webContents`: resolves with the handler's answer (the first
  // callback counts; a handler that throws denies), true without a handler.
  request (webContents, permission, details) {
    checkPermissionName(permission)
    const handler = this.#requestHandler
    if (handler === null) return Promise.resolve(true)
    return new Promise((resolve) => {
      const answer = (granted) => {
        if (!this.#pending.delete(answer)) return
        resolve(granted === true)
      }
      this.#pending.add(answer)
      try {
        handler(webContents, permission, (granted) => answer(granted), details)
      } catch (error) {
        answer(false)
        process.emitWarning(`headless-session: a permission request handler threw (denied): ${error?.message ?? error}`)
      }
    })
  }

  // A permission check: the handler's answer (true only for `true`), true without one.
  check (webContents, permission, requestingOrigin, details) {
    checkPermissionName(permission)
    const handler = this.#checkHandler
    if (handler === null) return true
    return handler(webContents, permission, requestingOrigin, details) === true
  }
}

const bySession = new WeakMap()

// The permission handlers of `session`.
function permissionsOf (session) {
  let permissions = bySession.get(session)
  if (permissions === undefined) {
    permissions = new Permissions()
    bySession.set(session, permissions)
  }
  return permissions
}

module.exports = { permissionsOf }
