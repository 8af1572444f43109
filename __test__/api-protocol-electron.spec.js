'use strict'
// Protocols where Electron's own spec/api-protocol-spec.ts pins the behaviour: URL
// canonicalisation of standard and non-standard custom schemes, request bodies reaching
// protocol.handle handlers, bypassCustomProtocolHandlers, and the legacy register* family's
// answers as url_loader_factory.cc gives them.
const { describe, it, after } = require('node:test')
const assert = require('node:assert/strict')
const { protocol, net } = require('..')

// As Electron's test setup: 'app' is a standard scheme.
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true } }])

describe('custom scheme URLs (Electron: api-protocol-spec "protocol.handle")', () => {
  after(() => {
    protocol.unhandle('test-scheme')
    protocol.unhandle('app')
  })

  it('accepts urls with no hostname in non-standard schemes', async () => {
    protocol.handle('test-scheme', (req) => new Response(req.url))
    assert.equal(await (await net.fetch('test-scheme://foo/')).text(), 'test-scheme://foo/')
    assert.equal(await (await net.fetch('test-scheme:///foo')).text(), 'test-scheme:///foo')
    assert.equal(await (await net.fetch('test-scheme://')).text(), 'test-scheme://')
  })

  it('accepts urls with a port-like component in non-standard schemes', async () => {
    assert.equal(await (await net.fetch('test-scheme://foo/:30')).text(), 'test-scheme://foo/:30')
  })

  it('normalizes urls in standard schemes', async () => {
    protocol.handle('app', (req) => new Response(req.url))
    assert.equal(await (await net.fetch('app://foo')).text(), 'app://foo/')
    assert.equal(await (await net.fetch('app:///foo')).text(), 'app://foo/')
    // 'app' has the default scheme type, 'host': no port.
    assert.equal(await (await net.fetch('app://foo:1234')).text(), 'app://foo/')
    await assert.rejects(net.fetch('app://'), { message: 'net::ERR_INVALID_URL', code: 'ERR_INVALID_URL' })
  })

  it('normalizes http urls', async () => {
    protocol.handle('http', (req) => new Response(req.url))
    try {
      assert.equal(await (await net.fetch('http://foo')).text(), 'http://foo/')
    } finally {
      protocol.unhandle('http')
    }
  })
})
