'use strict'
// The seed's will-download snippet, for a download a window's navigation starts: the
// handler takes it over (preventDefault) and fetches the file itself with the `request`
// package. What the snippet assumes above it: `session`; `request` (long deprecated; here a
// stand-in on net.fetch that calls back with the body, as the snippet reads it) and a
// writable '/somewhere' (here a temporary file), given to it through a `require` of its
// block.
const os = require('node:os')
const fs = require('node:fs')
const path = require('node:path')
const { session, net, BrowserWindow } = require('headless-session')
const somewhere = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seed-download-')), 'somewhere')
let written
const done = new Promise((resolve) => { written = resolve })
const request = (url, callback) => net.fetch(url).then((r) => r.text()).then((data) => { callback(data); written() })
const standIns = {
  request,
  fs: { writeFileSync: (file, data) => fs.writeFileSync(file === '/somewhere' ? somewhere : file, data) }
}
require('./loopback').ready.then(() => {
  const win = new BrowserWindow()
  session.defaultSession.on('will-download', (event, item, webContents) => {
    console.log('will-download', item.getURL(), webContents === win.webContents)
  })
  {
    const require = (name) => standIns[name]
// ---- the snippet ----
session.defaultSession.on('will-download', (event, item, webContents) => {
  event.preventDefault();
  require('request')(item.getURL(), (data) => {
    require('fs').writeFileSync('/somewhere', data);
  });
});
// ---- end of the snippet ----
  }
  win.loadURL('http://github.com/archive.zip').catch((error) => console.log('loadURL', error.code))
  return done
}).then(() => console.log('wrote', fs.readFileSync(somewhere, 'utf8')))
