'use strict'
// NTLM authentication (NTLMv2) against a loopback server that speaks it.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { net, session } = require('..')
const { ntlmServer } = require('./fixtures/ntlm-server')

let server
before(async () => {
  server = await ntlmServer({ user: 'alice', domain: 'DOMAIN', password: 'secret' })
})
after(() => server.close())

function request (ses, onLogin) {
  return new Promise((resolve, reject) => {
    const req = net.request({ url: `http://127.0.0.1:${server.port}/`, session: ses })
    req.on('login', onLogin)
    req.on('response', (res) => {
      let text = ''
      res.on('data', (d) => { text += d })
      res.on('end', () => resolve({ status: res.statusCode, text }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('NTLM', () => {
  it('completes the NTLMv2 handshake with credentials from login', async () => {
    const ses = session.fromPartition('ntlm-login')
    server.attempts.length = 0
    const infos = []
    const result = await request(ses, (authInfo, callback) => {
      infos.push(authInfo)
      callback('DOMAIN\\alice', 'secret')
    })
    assert.deepEqual(result, { status: 200, text: 'hello alice' })
    assert.deepEqual(infos, [{ isProxy: false, scheme: 'ntlm', host: '127.0.0.1', port: server.port, realm: '' }])
    assert.deepEqual(server.attempts, ['none', 'type1', 'type3'])
    // Remembered: the next request does the handshake again without asking.
    server.attempts.length = 0
    const again = await ses.fetch(`http://127.0.0.1:${server.port}/`)
    assert.equal(await again.text(), 'hello alice')
    assert.deepEqual(server.attempts, ['none', 'type1', 'type3'])
  })

  it('asks again after a wrong password, and delivers the 401 when cancelled', async () => {
    const ses = session.fromPartition('ntlm-wrong')
    let asked = 0
    const result = await request(ses, (authInfo, callback) => {
      asked++
      if (asked === 1) callback('DOMAIN\\alice', 'wrong')
      else callback()
    })
    assert.equal(asked, 2)
    assert.equal(result.status, 401)
    assert.equal(result.text, 'bad ntlm')
  })
})
