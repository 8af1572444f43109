'use strict'
//! The event object Electron passes first to a webContents' or window's listeners:
//! `preventDefault()`, `defaultPrevented` and `sender`, plus an event's own fields.

function senderEvent (sender, fields = {}) {
  let prevented = false
  return {
    ...fields,
    sender,
    preventDefault () { prevented = true },
    get defaultPrevented () { return prevented }
  }
}

module.exports = { senderEvent }
