'use strict'
// The seed's network emulation snippet, through a window's session (`window` is the
// BrowserWindow it assumes): GPRS conditions, then an outage.
require('./loopback').ready.then(async () => {
  const { BrowserWindow } = require('headless-session')
  const window = new BrowserWindow()
// ---- the snippet ----
// To emulate a GPRS connection with 50kbps throughput and 500 ms latency.
window.webContents.session.enableNetworkEmulation({
    latency: 500,
    downloadThroughput: 6400,
    uploadThroughput: 6400
});

// To emulate a network outage.
window.webContents.session.enableNetworkEmulation({offline: true});
// ---- end of the snippet ----
  await window.loadURL('http://github.com/').catch((error) => console.log('offline:', error.message))
  window.webContents.session.disableNetworkEmulation()
  await window.loadURL('http://github.com/')
  console.log('online:', window.webContents.getTitle())
})
