'use strict'
// The seed's certificate verify proc snippet, on `myWindow`'s session: github.com is
// trusted whatever its certificate (the loopback site's CA is trusted by nobody), anything
// else is refused.
require('./loopback').ready.then(async () => {
  const { BrowserWindow } = require('headless-session')
  const myWindow = new BrowserWindow()
// ---- the snippet ----
myWindow.webContents.session.setCertificateVerifyProc((hostname, cert, callback) => {
  if (hostname === 'github.com')
    callback(true);
  else
    callback(false);
});
// ---- end of the snippet ----
  await myWindow.loadURL('https://github.com/')
  console.log('github.com:', myWindow.webContents.getTitle())
  await myWindow.loadURL('https://gitlab.com/').catch((error) => console.log('gitlab.com:', error.code))
})
