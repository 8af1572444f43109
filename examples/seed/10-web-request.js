'use strict'
// The seed's webRequest snippet (with the `session` it assumes): the user agent of requests
// to *.github.com over https and to electron.github.io becomes MyAgent; another host keeps
// the default. The loopback HTTPS site's certificate is trusted for the demonstration.
require('./loopback').ready.then(async () => {
  const { session } = require('headless-session')
  session.defaultSession.setCertificateVerifyProc((request, callback) => callback(0))
// ---- the snippet ----
// Modify the user agent for all requests to the following urls.
const filter = {
  urls: ['https://*.github.com/*', '*://electron.github.io']
}

session.defaultSession.webRequest.onBeforeSendHeaders(filter, (details, callback) => {
  details.requestHeaders['User-Agent'] = "MyAgent"
  callback({cancel: false, requestHeaders: details.requestHeaders})
})
// ---- end of the snippet ----
  for (const url of ['https://api.github.com/users', 'http://electron.github.io/docs', 'http://example.com/']) {
    const response = await session.defaultSession.fetch(url)
    console.log(url, response.headers.get('x-seen-user-agent') === 'MyAgent' ? 'MyAgent' : 'default')
  }
})
