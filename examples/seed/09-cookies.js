'use strict'
// The seed's cookies snippet, callback style (with the `session` it assumes); the cookie
// it sets is reported as it lands.
require('./fresh-profile')
const { session } = require('headless-session')
session.defaultSession.cookies.once('changed', (event, cookie, cause, removed) => {
  console.log('changed:', `${cookie.name}=${cookie.value}`, cookie.domain, cause, removed)
})
// ---- the snippet ----
// Query all cookies.
session.defaultSession.cookies.get({}, (error, cookies) => {
  console.log(cookies)
})

// Query all cookies associated with a specific url.
session.defaultSession.cookies.get({url: 'http://www.github.com'}, (error, cookies) => {
  console.log(cookies)
})

// Set a cookie with the given cookie data;
// may overwrite equivalent cookies if they exist.
const cookie = {url: 'http://www.github.com', name: 'dummy_name', value: 'dummy'}
session.defaultSession.cookies.set(cookie, (error) => {
  if (error)
    console.error(error)
})
// ---- end of the snippet ----
