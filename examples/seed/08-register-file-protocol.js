'use strict'
// The seed's registerFileProtocol snippet, inside app.on('ready'), with the
// `partitionName` it assumes; atom://hello.txt is then read through that partition.
const partitionName = 'some-partition'
// ---- the snippet ----
const {app, session} = require('headless-session')
const path = require('path')

app.on('ready', function () {
  const protocol = session.fromPartition(partitionName).protocol
  protocol.registerFileProtocol('atom', function (request, callback) {
    var url = request.url.substr(7)
    callback({path: path.normalize(__dirname + '/' + url)})
  }, function (error) {
    if (error)
      console.error('Failed to register protocol')
  })
})
// ---- end of the snippet ----
app.on('ready', () => {
  session.fromPartition(partitionName).fetch('atom://hello.txt').then((r) => r.text()).then((text) => console.log(text.trim()))
})
