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

describe('Negotiate and default credentials', () => {
  const { useTestHostRules } = require('./fixtures/servers')
  const { requestWithLogin, useCredentialFile } = require('./helpers')
  let negotiate
  before(async () => {
    useTestHostRules()
    negotiate = await ntlmServer({ user: 'alice', domain: 'CORP', password: 'secret' }, { scheme: 'Negotiate' })
  })
  after(async () => {
    delete process.env.NTLM_USER_FILE
    await negotiate.close()
  })

  it('answers Negotiate with SPNEGO-wrapped NTLM and credentials from login', async () => {
    const ses = session.fromPartition('negotiate-login')
    negotiate.attempts.length = 0
    const result = await requestWithLogin(ses, `http://127.0.0.1:${negotiate.port}/`, [['CORP\\alice', 'secret']])
    assert.deepEqual(result, {
      status: 200,
      text: 'hello alice',
      infos: [{ isProxy: false, scheme: 'negotiate', host: '127.0.0.1', port: negotiate.port, realm: '' }]
    })
    assert.deepEqual(negotiate.attempts, ['none', 'type1', 'type3'])
  })

  it('sends default credentials only to servers allowNTLMCredentialsForDomains lists', async () => {
    useCredentialFile('CORP:alice:secret\n')
    const ses = session.fromPartition('negotiate-allowlist')
    // Not listed (the list starts empty, and loopback is not implied): the caller is asked.
    const cancelled = await requestWithLogin(ses, `http://intranet.corp.test:${negotiate.port}/`)
    assert.equal(cancelled.status, 401)
    assert.equal(cancelled.infos[0].scheme, 'negotiate')
    ses.allowNTLMCredentialsForDomains('*corp.test, *foobar.com')
    negotiate.attempts.length = 0
    const allowed = await requestWithLogin(ses, `http://intranet.corp.test:${negotiate.port}/`)
    assert.deepEqual(allowed, { status: 200, text: 'hello alice', infos: [] })
    assert.deepEqual(negotiate.attempts, ['none', 'type1', 'type3'])
    // fetch never prompts, and still signs on.
    assert.equal(await (await ses.fetch(`http://intranet.corp.test:${negotiate.port}/`)).text(), 'hello alice')
    // Another name, same server: not listed.
    const other = await requestWithLogin(ses, `http://other.test:${negotiate.port}/`)
    assert.equal(other.status, 401)
    // Other sessions keep their own list.
    assert.equal((await session.fromPartition('negotiate-other').fetch(`http://intranet.corp.test:${negotiate.port}/`)).status, 401)
  })

  it('asks the caller when the default credentials are refused', async () => {
    useCredentialFile('CORP:alice:wrong\n')
    const ses = session.fromPartition('negotiate-refused')
    ses.allowNTLMCredentialsForDomains('127.0.0.1')
    negotiate.attempts.length = 0
    const result = await requestWithLogin(ses, `http://127.0.0.1:${negotiate.port}/`, [['CORP\\alice', 'secret']])
    assert.equal(result.text, 'hello alice')
    assert.equal(result.infos.length, 1)
    assert.deepEqual(negotiate.attempts, ['none', 'type1', 'type3', 'type1', 'type3'])
    // Without a credential file nothing is sent on its own.
    delete process.env.NTLM_USER_FILE
    const none = await requestWithLogin(session.fromPartition('negotiate-nofile'), `http://127.0.0.1:${negotiate.port}/`)
    assert.equal(none.status, 401)
  })

  it('checks its argument: a string of Chromium host rules', () => {
    const ses = session.fromPartition('negotiate-args')
    assert.throws(() => ses.allowNTLMCredentialsForDomains(42), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from 42' })
    assert.throws(() => ses.allowNTLMCredentialsForDomains(), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from undefined' })
    assert.throws(() => ses.allowNTLMCredentialsForDomains('*ok.test, 10.0.0.0/99'), { name: 'Error', message: "Invalid domain rule '10.0.0.0/99'" })
    assert.equal(ses.allowNTLMCredentialsForDomains('*ok.test, [::1]:8080, <local>'), undefined)
  })
})
