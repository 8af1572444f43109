'use strict'
// Negotiate with Kerberos: a real KDC on loopback (MIT krb5), a ticket from kinit, and a
// server that accepts the SPNEGO token with python3-gssapi. The client finds the ticket
// through the system's GSSAPI library, as Chromium does, for allow-listed servers only.
// .ci/run installs the tools (HS_REQUIRE_TEST_TOOLS=1 there makes their absence a failure).
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { session } = require('..')
const { httpsServer, useTestHostRules } = require('./fixtures/servers')
const { makeCA } = require('./fixtures/certs')
const { requestWithLogin } = require('./helpers')
const { available, kerberosRealm, kerberosServer } = require('./fixtures/kerberos')

const ready = available()
if (!ready && process.env.HS_REQUIRE_TEST_TOOLS) throw new Error('MIT krb5 (krb5-kdc, krb5-user) and python3-gssapi are required here')
const HOST = 'www.krb.test'
const PROXY = 'proxy.krb.test'

describe('Negotiate with Kerberos', { skip: ready ? false : 'MIT krb5 or python3-gssapi not installed' }, () => {
  let realm
  let server
  const url = () => `http://${HOST}:${server.port}/`
  before(async () => {
    useTestHostRules()
    realm = await kerberosRealm({ hosts: [HOST, PROXY] })
    server = await kerberosServer(realm.serverEnv)
    Object.assign(process.env, realm.env)
  })
  after(() => {
    server?.close()
    realm?.close()
  })

  it('signs on with the ticket from kinit to an allow-listed server, without asking', async () => {
    const ses = session.fromPartition('kerberos-allowed')
    ses.allowNTLMCredentialsForDomains('*.krb.test')
    await server.events()
    const result = await requestWithLogin(ses, url())
    assert.deepEqual(result, { status: 200, text: `hello alice@${realm.realm}`, infos: [] })
    assert.deepEqual(await server.events(), ['none', `ok alice@${realm.realm}`])
    // fetch too, and again (a new service ticket is not needed; a new token is).
    const res = await ses.fetch(url())
    assert.equal(res.status, 200)
    assert.equal(await res.text(), `hello alice@${realm.realm}`)
    assert.match(res.headers.get('www-authenticate'), /^Negotiate [A-Za-z0-9+/=]+$/)
  })

  it('sends no ticket to a server the list does not name', async () => {
    const ses = session.fromPartition('kerberos-not-listed')
    ses.allowNTLMCredentialsForDomains('*.elsewhere.test')
    await server.events()
    const result = await requestWithLogin(ses, url())
    assert.equal(result.status, 401)
    assert.deepEqual(result.infos, [{ isProxy: false, scheme: 'negotiate', host: HOST, port: server.port, realm: '' }])
    assert.deepEqual(await server.events(), ['none'])
  })

  it('asks the caller when there is no ticket', async () => {
    const ccache = process.env.KRB5CCNAME
    process.env.KRB5CCNAME = `${ccache}-empty`
    try {
      const ses = session.fromPartition('kerberos-no-ticket')
      ses.allowNTLMCredentialsForDomains('*.krb.test')
      await server.events()
      const result = await requestWithLogin(ses, url())
      assert.equal(result.status, 401)
      assert.equal(result.infos.length, 1)
      assert.deepEqual(await server.events(), ['none'])
    } finally {
      process.env.KRB5CCNAME = ccache
    }
  })
  it('answers a Negotiate proxy with the ticket, forwarded and through CONNECT, without asking', async () => {
    const secure = await httpsServer((req, res) => res.end(`secure ${req.url}`), makeCA().issue(['secure.test']))
    try {
      const ses = session.fromPartition('kerberos-proxy')
      ses.setCertificateVerifyProc((request, callback) => callback(0))
      // Proxies need no allowlist entry (Chromium lets every proxy have default credentials).
      await ses.setProxy({ proxyRules: `${PROXY}:${server.port}` })
      await server.events()
      const forwarded = await requestWithLogin(ses, 'http://site.test/k?x=1')
      assert.deepEqual(forwarded, { status: 200, text: `proxied http://site.test/k?x=1 for alice@${realm.realm}`, infos: [] })
      assert.deepEqual(await server.events(), ['proxy none', `proxy ok alice@${realm.realm}`])
      // The tunnel answers at once, with a fresh token.
      await server.events()
      assert.equal(await (await ses.fetch(`https://secure.test:${secure.port}/t`)).text(), 'secure /t')
      assert.deepEqual(await server.events(), [`connect ok alice@${realm.realm}`])
      await server.events()
      assert.equal((await ses.fetch('http://site.test/again')).status, 200)
      assert.deepEqual(await server.events(), [`proxy ok alice@${realm.realm}`])
    } finally {
      await secure.close()
    }
  })
})
