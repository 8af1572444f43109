'use strict'
//! The JS end of the native event channel (src/binding/net_events.rs documents the wire
//! format). Every native event arrives in one queue; JS is woken once per batch and takes it
//! whole, then hands each event to the module that registered for its kind: the loaders
//! (url-loader.js) for request events, webRequest and protocol for their calls. Each call
//! that asks for an event (start, read, followRedirect, login, write) gets exactly one, so
//! counting them tells when Node must be kept alive for work in flight.

const native = require('./native')

const { EventKind } = native
const registered = new Map()
let outstanding = 0

// Sends events of `kinds` to `handler(event)`. `counted` kinds answer a call that expected
// an event (see expectEvent).
function onEvents (kinds, handler, { counted = false } = {}) {
  for (const k of kinds) registered.set(k, { handler, counted })
}

// An event is owed: Node stays alive until it arrives.
function expectEvent () {
  if (outstanding++ === 0) native.netKeepAlive(true)
}

// An owed event arrived (or will never come).
function settleEvent () {
  if (--outstanding === 0) native.netKeepAlive(false)
}

function dispatch () {
  const events = native.netTakeEvents()
  for (let i = 0; i < events.length; i++) {
    const event = events[i]
    if (event.kind === EventKind.Warning) {
      process.emitWarning(`headless-session: ${event.error}`)
      continue
    }
    const target = registered.get(event.kind)
    if (target === undefined) continue
    if (target.counted) settleEvent()
    target.handler(event)
  }
}
native.netSetEventSink(dispatch)

module.exports = { onEvents, expectEvent, settleEvent, EventKind }
