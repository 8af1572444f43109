'use strict'
// The seed's fromPartition snippet: a persistent partition (under a temporary userData).
const { userData } = require('./fresh-profile')
// ---- the snippet ----
const session = require('headless-session').session;

const ses = session.fromPartition('persist:name');
// ---- end of the snippet ----
console.log(ses.isPersistent(), ses.getStoragePath().startsWith(userData))
