'use strict'
// The seed's permission handler snippet, with the `partition` and `host` it assumes; a
// window of that partition on that page asks as a page would
// (webContents.requestPermission, beyond Electron).
require('./loopback').ready.then(async () => {
  const { session, BrowserWindow } = require('headless-session')
  const partition = 'some-partition'
  const host = 'http://github.com/'
// ---- the snippet ----
session.fromPartition(partition).setPermissionRequestHandler((webContents, permission, callback) => {
  if (webContents.getURL() === host) {
    if (permission === 'notifications') {
      callback(false); // denied.
      return;
    }
  }

  callback(true);
});
// ---- end of the snippet ----
  const win = new BrowserWindow({ webPreferences: { partition } })
  await win.loadURL(host)
  console.log('notifications:', await win.webContents.requestPermission('notifications'))
  console.log('geolocation:', await win.webContents.requestPermission('geolocation'))
})
