'use strict'
// The seed's allowNTLMCredentialsForDomains snippet (with the `session` it assumes); both
// rule lists are taken.
require('./fresh-profile')
const { session } = require('headless-session')
// ---- the snippet ----
// consider any url ending with `example.com`, `foobar.com`, `baz`
// for integrated authentication.
session.defaultSession.allowNTLMCredentialsForDomains('*example.com, *foobar.com, *baz')

// consider all urls for integrated authentication.
session.defaultSession.allowNTLMCredentialsForDomains('*')
// ---- end of the snippet ----
console.log('ntlm domains set')
