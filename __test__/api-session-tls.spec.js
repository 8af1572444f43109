'use strict'
// TLS: trust, Chromium's certificate errors, setCertificateVerifyProc in both forms,
// setSSLConfig and HTTP/2, against HTTPS servers with a CA made in the test.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const tls = require('node:tls')
const { execFile } = require('node:child_process')
const { session, net } = require('..')
const { makeCA } = require('./fixtures/certs')
const { httpsServer, http2Server, useTestHostRules } = require('./fixtures/servers')
const { tempDir } = require('./helpers')

let ca
let good
let wrongName
let expired
let h2
let tls12
before(async () => {
  useTestHostRules()
  ca = makeCA()
  const handler = (req, res) => res.end(`secure ${req.httpVersion}`)
  good = await httpsServer(handler, ca.issue(['example.test']))
  wrongName = await httpsServer(handler, ca.issue(['other.test']))
  expired = await httpsServer(handler, ca.issue(['example.test'], { expired: true }))
  h2 = await http2Server((req, res) => {
    if (req.url === '/reset') return req.stream.close(require('node:http2').constants.NGHTTP2_PROTOCOL_ERROR)
    handler(req, res)
  }, ca.issue(['example.test']))
  tls12 = await httpsServer(handler, { ...ca.issue(['example.test']), maxVersion: 'TLSv1.2' })
})
after(async () => {
  await Promise.all([good, wrongName, expired, h2, tls12].map((s) => s.close()))
})

const at = (server, host = 'example.test') => `https://${host}:${server.port}/`

describe('TLS trust', () => {
  it('refuses a certificate from an unknown CA with net::ERR_CERT_AUTHORITY_INVALID', async () => {
    await assert.rejects(session.fromPartition('tls-untrusted').fetch(at(good)), {
      message: 'net::ERR_CERT_AUTHORITY_INVALID', code: 'ERR_CERT_AUTHORITY_INVALID'
    })
  })

  it('trusts NODE_EXTRA_CA_CERTS and names name and date errors', async () => {
    const dir = tempDir()
    const caFile = path.join(dir, 'ca.pem')
    fs.writeFileSync(caFile, ca.cert)
    const fixture = path.join(__dirname, 'fixtures', 'tls-app.js')
    const out = await new Promise((resolve, reject) => {
      execFile(process.execPath, [fixture, at(good), at(wrongName), at(expired)], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile }
      }, (error, stdout) => (error ? reject(error) : resolve(stdout)))
    })
    const lines = out.trim().split('\n').map((l) => JSON.parse(l))
    assert.deepEqual(lines, [
      { status: 200, body: 'secure 1.1' },
      { error: 'net::ERR_CERT_COMMON_NAME_INVALID' },
      { error: 'net::ERR_CERT_DATE_INVALID' }
    ])
  })
})

describe('setCertificateVerifyProc', () => {
  it('asks the proc with Electron\'s request and accepts on 0', async () => {
    const ses = session.fromPartition('tls-proc-accept')
    const requests = []
    ses.setCertificateVerifyProc((request, callback) => {
      requests.push(request)
      callback(0)
    })
    const res = await ses.fetch(at(good))
    assert.equal(await res.text(), 'secure 1.1')
    assert.equal(requests.length, 1)
    const [r] = requests
    assert.equal(r.hostname, 'example.test')
    assert.equal(r.errorCode, -202)
    assert.equal(r.verificationResult, 'net::ERR_CERT_AUTHORITY_INVALID')
    assert.equal(r.isIssuedByKnownRoot, false)
    const c = r.certificate
    assert.equal(c.subjectName, 'example.test')
    assert.equal(c.issuerName, 'headless-session Test CA')
    assert.deepEqual(c.subject, { commonName: 'example.test', organizations: ['Leaf Org'], organizationUnits: [], locality: '', state: '', country: '' })
    assert.deepEqual(c.issuer.organizations, ['Test Org'])
    assert.match(c.fingerprint, /^sha256\/[A-Za-z0-9+/]{43}=$/)
    assert.match(c.serialNumber, /^[0-9A-F]+$/)
    assert.ok(c.data.startsWith('-----BEGIN CERTIFICATE-----\n'))
    assert.ok(c.validExpiry > c.validStart)
    const x509 = new (require('node:crypto').X509Certificate)(c.data)
    assert.equal(x509.subject.includes('CN=example.test'), true)
    assert.deepEqual(r.validatedCertificate, c)
  })

  it('-3 keeps Chromium\'s verdict, -2 fails with net::ERR_FAILED, other codes name themselves', async () => {
    const cases = [[-3, 'net::ERR_CERT_AUTHORITY_INVALID'], [-2, 'net::ERR_FAILED'], [-200, 'net::ERR_CERT_COMMON_NAME_INVALID']]
    for (const [code, message] of cases) {
      const ses = session.fromPartition(`tls-proc-${code}`)
      ses.setCertificateVerifyProc((request, callback) => callback(code))
      await assert.rejects(ses.fetch(at(good)), { message })
    }
  })

  it('takes the 1.x form (hostname, certificate, callback(bool)) by arity', async () => {
    const ses = session.fromPartition('tls-proc-legacy')
    const seen = []
    ses.setCertificateVerifyProc((hostname, certificate, callback) => {
      seen.push([hostname, certificate.subjectName])
      callback(hostname === 'example.test')
    })
    assert.equal(await (await ses.fetch(at(good))).text(), 'secure 1.1')
    await assert.rejects(ses.fetch(at(wrongName, 'other.test')), { message: 'net::ERR_FAILED' })
    assert.deepEqual(seen, [['example.test', 'example.test'], ['other.test', 'other.test']])
  })

  it('caches decisions per host and certificate, and per session only', async () => {
    const ses = session.fromPartition('tls-proc-cache')
    let calls = 0
    ses.setCertificateVerifyProc((request, callback) => { calls++; callback(0) })
    await (await ses.fetch(at(good))).text()
    await ses.closeAllConnections()
    await (await ses.fetch(at(good))).text()
    assert.equal(calls, 1)
    await assert.rejects(session.fromPartition('tls-proc-other').fetch(at(good)), { message: 'net::ERR_CERT_AUTHORITY_INVALID' })
    ses.setCertificateVerifyProc(null)
    await ses.closeAllConnections()
    await assert.rejects(ses.fetch(at(good)), { message: 'net::ERR_CERT_AUTHORITY_INVALID' })
  })

  it('fails closed when the proc throws, and the process goes on', async () => {
    const ses = session.fromPartition('tls-proc-throws')
    ses.setCertificateVerifyProc(() => { throw new Error('boom') })
    await assert.rejects(ses.fetch(at(good)), { message: 'net::ERR_FAILED' })
    ses.setCertificateVerifyProc((request, callback) => callback(0))
    assert.equal(await (await ses.fetch(at(good))).text(), 'secure 1.1')
  })

  it('a proc that never answers holds only its own request, which an abort releases', async () => {
    const ses = session.fromPartition('tls-proc-silent')
    ses.setCertificateVerifyProc(() => {})
    await assert.rejects(ses.fetch(at(good), { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' })
    assert.equal(await (await session.fromPartition('tls-proc-silent-other').fetch(at(good)).catch((e) => ({ text: () => e.message }))).text(), 'net::ERR_CERT_AUTHORITY_INVALID')
    ses.setCertificateVerifyProc((request, callback) => callback(0))
    assert.equal(await (await ses.fetch(at(good))).text(), 'secure 1.1')
  })

  it('refuses a proc that is not a function', () => {
    const ses = session.fromPartition('tls-proc-bad')
    assert.throws(() => ses.setCertificateVerifyProc('x'), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from x' })
  })
})

describe('TLS settings and HTTP/2', () => {
  it('negotiates HTTP/2 by ALPN', async () => {
    const ses = session.fromPartition('tls-h2')
    ses.setCertificateVerifyProc((request, callback) => callback(0))
    const res = await ses.fetch(at(h2))
    assert.equal(await res.text(), 'secure 2.0')
    const viaRequest = await new Promise((resolve, reject) => {
      const req = net.request({ url: at(h2), session: ses })
      req.on('response', (m) => resolve(m.httpVersion))
      req.on('error', reject)
      req.end()
    })
    assert.equal(viaRequest, '2.0')
    await assert.rejects(ses.fetch(`${at(h2)}reset`), { message: 'net::ERR_HTTP2_PROTOCOL_ERROR' })
  })

  it('setSSLConfig minVersion tls1.3 refuses a TLS 1.2 server', async () => {
    const ses = session.fromPartition('tls-config')
    ses.setCertificateVerifyProc((request, callback) => callback(0))
    assert.equal(await (await ses.fetch(at(tls12))).text(), 'secure 1.1')
    ses.setSSLConfig({ minVersion: 'tls1.3' })
    await ses.closeAllConnections()
    await assert.rejects(ses.fetch(at(tls12)), { message: 'net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH' })
    ses.setSSLConfig({ minVersion: 'tls1.2', maxVersion: 'tls1.3' })
    assert.throws(() => ses.setSSLConfig({ minVersion: 'ssl3' }), { name: 'TypeError', message: 'Error processing argument at index 0, conversion failure from ssl3' })
    assert.throws(() => ses.setSSLConfig({ disabledCipherSuites: ['x'] }), { name: 'TypeError', message: 'disabledCipherSuites must be an array of cipher suite numbers' })
    assert.throws(() => ses.setSSLConfig({ minVersion: 'tls1.3', maxVersion: 'tls1.2' }), { message: 'No TLS version is left between minVersion and maxVersion' })
  })

  it('disabledCipherSuites removes suites from the offer', async () => {
    const ses = session.fromPartition('tls-ciphers')
    ses.setCertificateVerifyProc((request, callback) => callback(0))
    // TLS 1.2 ECDHE suites of the ring provider: disabling them all leaves the 1.2 server nothing.
    ses.setSSLConfig({ disabledCipherSuites: [0xc02b, 0xc02c, 0xc02f, 0xc030, 0xcca8, 0xcca9] })
    await assert.rejects(ses.fetch(at(tls12)), { message: 'net::ERR_SSL_VERSION_OR_CIPHER_MISMATCH' })
    assert.equal(await (await ses.fetch(at(good))).text(), 'secure 1.1')
  })
})
