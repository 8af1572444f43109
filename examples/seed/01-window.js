'use strict'
// The seed's first snippet (Electron 1.3 session.md, "Process: Main"): a window, a page
// loaded through its session, the session from its webContents. As written, but for
// require('headless-session'); github.com is on loopback (loopback.js).
require('./loopback').ready.then(() => {
// ---- the snippet ----
const {session, BrowserWindow} = require('headless-session')

let win = new BrowserWindow({width: 800, height: 600})
win.loadURL('http://github.com')

const ses = win.webContents.session
// ---- end of the snippet ----
win.webContents.once('did-finish-load', () => {
  console.log(ses === session.defaultSession, win.webContents.getURL(), win.webContents.getTitle(), win.getBounds().width)
})
})
