'use strict'
// ses.setProxy / resolveProxy against real loopback proxies: HTTP (absolute-form and
// CONNECT, with auth), SOCKS5 (with and without auth), SOCKS4a, dead ports for failover.
const { describe, it, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { session, app } = require('..')
const { httpServer, httpsServer, useTestHostRules } = require('./fixtures/servers')
const { httpProxy, socks5Proxy, socks4Proxy, deadPort } = require('./fixtures/proxies')
const { makeCA } = require('./fixtures/certs')

let server
let secure
let proxy
let authProxy
let socks5
let socks5Auth
let socks4
let dead
before(async () => {
  useTestHostRules()
  server = await httpServer((req, res) => {
    if (req.url.startsWith('/go-to/')) {
      res.writeHead(302, { location: req.url.slice('/go-to'.length) })
      return res.end()
    }
    res.end(`origin ${req.url}`)
  })
  const ca = makeCA()
  secure = await httpsServer((req, res) => res.end(`secure ${req.url}`), ca.issue(['secure.test']))
  proxy = await httpProxy()
  authProxy = await httpProxy({ auth: 'pu:pp' })
  socks5 = await socks5Proxy()
  socks5Auth = await socks5Proxy({ auth: 'su:sp' })
  socks4 = await socks4Proxy()
  dead = await deadPort()
})
after(async () => {
  for (const s of [server, secure, proxy, authProxy, socks5, socks5Auth, socks4]) await s.close()
})

const site = () => `http://site.test:${server.port}`

// gsettings with GNOME's proxy schema (.ci/run installs them; HS_REQUIRE_TEST_TOOLS there
// makes their absence a failure).
function gsettingsReady () {
  try {
    require('node:child_process').execFileSync('gsettings', ['list-keys', 'org.gnome.system.proxy'], { stdio: 'ignore' })
    return true
  } catch {
    if (process.env.HS_REQUIRE_TEST_TOOLS) throw new Error('gsettings and gsettings-desktop-schemas are required here')
    return false
  }
}
const acceptAll = (ses) => ses.setCertificateVerifyProc((request, callback) => callback(0))

describe('setProxy and resolveProxy', () => {
  it('answers resolveProxy in Chromium\'s PAC format, credentials left out', async () => {
    const ses = session.fromPartition('proxy-resolve')
    assert.equal(await ses.resolveProxy('http://a.test/'), 'DIRECT')
    await ses.setProxy({ proxyRules: 'http=http://u:p@a:1;https=https://b;socks=socks4://c', proxyBypassRules: '*.skip.test,<local>' })
    assert.equal(await ses.resolveProxy('http://x.test/'), 'PROXY a:1')
    assert.equal(await ses.resolveProxy('https://x.test/'), 'HTTPS b:443')
    assert.equal(await ses.resolveProxy('ftp://x.test/'), 'SOCKS c:1080')
    assert.equal(await ses.resolveProxy('http://y.skip.test/'), 'DIRECT')
    assert.equal(await ses.resolveProxy('http://intranet/'), 'DIRECT')
    assert.equal(await ses.resolveProxy('http://127.0.0.1/'), 'DIRECT')
    await ses.setProxy({ proxyRules: 'a:80,socks5://[::1]:9,direct://', proxyBypassRules: '<-loopback>' })
    assert.equal(await ses.resolveProxy('http://127.0.0.1/'), 'PROXY a:80;SOCKS5 [::1]:9;DIRECT')
    const viaCallback = await new Promise((resolve) => ses.resolveProxy('http://x.test/', resolve))
    assert.equal(viaCallback, 'PROXY a:80;SOCKS5 [::1]:9;DIRECT')
    await new Promise((resolve) => ses.setProxy({ mode: 'direct' }, resolve))
    assert.equal(await ses.resolveProxy('http://x.test/'), 'DIRECT')
  })

  it('rejects bad configs with Electron\'s message and applies nothing', async () => {
    const ses = session.fromPartition('proxy-bad')
    await ses.setProxy({ proxyRules: 'keep:1' })
    await assert.rejects(ses.setProxy({ mode: 'sideways' }), { message: 'Invalid mode, must be one of direct, auto_detect, pac_script, fixed_servers or system' })
    await assert.rejects(ses.setProxy({ proxyRules: 'a:1', proxyBypassRules: '10.0.0.0/99' }), { message: "Invalid bypass rule '10.0.0.0/99'" })
    assert.equal(await ses.resolveProxy('http://x.test/'), 'PROXY keep:1')
    assert.throws(() => ses.setProxy('x'), { name: 'TypeError' })
  })

  it("parses proxyRules as Chromium's ProxyRules::ParseFromString, and maps ws/wss as MapUrlSchemeToProxyList", async () => {
    const ses = session.fromPartition('proxy-rules-chromium')
    const resolve = async (rules, url) => {
      await ses.setProxy({ proxyRules: rules })
      return ses.resolveProxy(url)
    }
    assert.equal(await resolve('ftp=a ; foopy', 'http://x.test/'), 'DIRECT')
    assert.equal(await resolve('foopy ; ftp=a', 'ftp://x.test/'), 'PROXY foopy:80')
    assert.equal(await resolve('crazy=foopy ; https=p', 'https://x.test/'), 'PROXY p:80')
    assert.equal(await resolve('crazy=foopy ; https=p', 'http://x.test/'), 'DIRECT')
    assert.equal(await resolve('http=h;https=s;socks=k', 'ws://x.test/'), 'SOCKS k:1080')
    assert.equal(await resolve('http=h;https=s', 'ws://x.test/'), 'PROXY s:80')
    assert.equal(await resolve('http=h', 'wss://x.test/'), 'PROXY h:80')
    // Bypass rules as ProxyBypassRules: canonical IPv6 literals, IPv4-mapped ranges,
    // localhost. implicitly, and a later <-loopback> overriding an earlier localhost.
    const bypass = async (rules, url) => {
      await ses.setProxy({ proxyRules: 'p:1', proxyBypassRules: rules })
      return ses.resolveProxy(url)
    }
    assert.equal(await bypass('[0:0:0::c009:505]', 'http://[::c009:505]/'), 'DIRECT')
    assert.equal(await bypass('::ffff:192.168.1.0/120', 'http://192.168.1.7/'), 'DIRECT')
    assert.equal(await bypass('', 'http://localhost./'), 'DIRECT')
    assert.equal(await bypass('localhost; <-loopback>', 'http://localhost/'), 'PROXY p:1')
    assert.equal(await bypass('<-loopback>; localhost', 'http://localhost/'), 'DIRECT')
    // PAC results and helpers as Chromium's (pac_js_library): an unknown result type is
    // dropped, an IPv6 literal is no plain host name, shExpMatch keeps RegExp groups.
    const pac = async (body, url) => {
      const script = `function FindProxyForURL(url, host) { ${body} }`
      await ses.setProxy({ pacScript: 'data:application/x-ns-proxy-autoconfig;base64,' + Buffer.from(script).toString('base64') })
      return ses.resolveProxy(url)
    }
    assert.equal(await pac("return 'HTTP foopy:10'", 'http://x.test/'), 'DIRECT')
    assert.equal(await pac("return isPlainHostName('::1') ? 'PROXY plain:1' : 'PROXY not-plain:1'", 'http://x.test/'), 'PROXY not-plain:1')
    assert.equal(await pac("return shExpMatch(host, '(*.a.test|a.test)') ? 'PROXY matched:1' : 'DIRECT'", 'http://a.test/'), 'PROXY matched:1')
    assert.equal(await pac("try { dnsResolve() } catch (e) { return 'PROXY ' + (e instanceof TypeError) + ':1' }", 'http://x.test/'), 'PROXY true:1')
    await ses.setProxy({ mode: 'direct' })
    // Hosts print as Chromium canonicalises them.
    assert.equal(await resolve('[0:0:0::c009:505]:9,0xA.020.3.4:8,BÜCHER.example', 'http://x.test/'),
      'PROXY [::c009:505]:9;PROXY 10.16.3.4:8;PROXY xn--bcher-kva.example:80')
  })

  it('mode system reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY', async () => {
    const ses = session.fromPartition('proxy-system')
    const { withEnv } = require('./helpers')
    const env = { HTTP_PROXY: 'http://envproxy:3128', HTTPS_PROXY: 'envsecure:8443', NO_PROXY: 'internal.test' }
    await withEnv(env, () => ses.setProxy({ mode: 'system' }))
    assert.equal(await ses.resolveProxy('http://a.test/'), 'PROXY envproxy:3128')
    assert.equal(await ses.resolveProxy('https://a.test/'), 'PROXY envsecure:8443')
    assert.equal(await ses.resolveProxy('http://x.internal.test/'), 'DIRECT')
  })

  it('mode system on a GNOME desktop reads GSettings, and forceReloadProxyConfig reads them again', { skip: gsettingsReady() ? false : 'gsettings or the GNOME proxy schema is not installed' }, async () => {
    const { execFileSync } = require('node:child_process')
    const { tempDir } = require('./helpers')
    const { withEnv } = require('./helpers')
    const set = (schema, key, value) => execFileSync('gsettings', ['set', schema, key, value])
    await withEnv({ XDG_CURRENT_DESKTOP: 'ubuntu:GNOME', GSETTINGS_BACKEND: 'keyfile', XDG_CONFIG_HOME: tempDir('hs-gsettings-'), HTTP_PROXY: 'http://ignored-env:1' }, async () => {
      set('org.gnome.system.proxy', 'mode', 'manual')
      set('org.gnome.system.proxy.http', 'host', 'gnome-proxy.test')
      set('org.gnome.system.proxy.http', 'port', '3128')
      set('org.gnome.system.proxy.socks', 'host', 'gnome-socks.test')
      set('org.gnome.system.proxy.socks', 'port', '1080')
      set('org.gnome.system.proxy', 'ignore-hosts', "['*.intranet.test', '::1', 'bad:port:x']")
      const ses = session.fromPartition('proxy-gnome')
      await ses.setProxy({ mode: 'system' })
      // GSettings win over the environment (gnome-terminal exports http_proxy even in auto mode).
      assert.equal(await ses.resolveProxy('http://a.test/'), 'PROXY gnome-proxy.test:3128')
      assert.equal(await ses.resolveProxy('https://a.test/'), 'SOCKS5 gnome-socks.test:1080')
      assert.equal(await ses.resolveProxy('http://www.intranet.test/'), 'DIRECT')
      assert.equal(await ses.resolveProxy('http://[::1]:8080/'), 'DIRECT')
      set('org.gnome.system.proxy', 'mode', 'auto')
      const script = 'function FindProxyForURL(url, host) { return "PROXY from-gnome-pac:8080"; }'
      set('org.gnome.system.proxy', 'autoconfig-url', 'data:application/x-ns-proxy-autoconfig;base64,' + Buffer.from(script).toString('base64'))
      assert.equal(await ses.resolveProxy('http://a.test/'), 'PROXY gnome-proxy.test:3128', 'read once, until a reload')
      await ses.forceReloadProxyConfig()
      assert.equal(await ses.resolveProxy('http://a.test/'), 'PROXY from-gnome-pac:8080')
      set('org.gnome.system.proxy', 'mode', 'none')
      await ses.forceReloadProxyConfig()
      assert.equal(await ses.resolveProxy('http://a.test/'), 'DIRECT')
    })
  })

  it('mode system on KDE reads kioslaverc', async () => {
    const fs = require('node:fs')
    const path = require('node:path')
    const { tempDir } = require('./helpers')
    const kdeHome = tempDir('hs-kde-')
    fs.mkdirSync(path.join(kdeHome, 'share', 'config'), { recursive: true })
    const write = (text) => fs.writeFileSync(path.join(kdeHome, 'share', 'config', 'kioslaverc'), text)
    const { withEnv } = require('./helpers')
    await withEnv({ XDG_CURRENT_DESKTOP: 'KDE', KDEHOME: kdeHome, HTTP_PROXY: 'http://ignored-env:1' }, async () => {
      write('[Proxy Settings]\nProxyType=1\nhttpProxy=http://kde-proxy.test 3128\nNoProxyFor=corp.test\nReversedException=false\n')
      const ses = session.fromPartition('proxy-kde')
      await ses.setProxy({ mode: 'system' })
      assert.equal(await ses.resolveProxy('http://a.test/'), 'PROXY kde-proxy.test:3128')
      assert.equal(await ses.resolveProxy('http://www.corp.test/'), 'DIRECT')
      write('[Proxy Settings]\nProxyType=1\nhttpProxy=http://kde-proxy.test 3128\nNoProxyFor=corp.test\nReversedException=true\n')
      await ses.forceReloadProxyConfig()
      assert.equal(await ses.resolveProxy('http://www.corp.test/'), 'PROXY kde-proxy.test:3128')
      assert.equal(await ses.resolveProxy('http://a.test/'), 'DIRECT')
    })
  })

  it('app.commandLine proxy switches configure the default session', async () => {
    app.commandLine.appendSwitch('proxy-server', 'cmdproxy:8080')
    app.commandLine.appendSwitch('proxy-bypass-list', '*.bypass.test')
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(await session.defaultSession.resolveProxy('http://a.test/'), 'PROXY cmdproxy:8080')
    assert.equal(await session.defaultSession.resolveProxy('http://b.bypass.test/'), 'DIRECT')
    app.commandLine.appendSwitch('no-proxy-server')
    await new Promise((resolve) => setImmediate(resolve))
    assert.equal(await session.defaultSession.resolveProxy('http://a.test/'), 'DIRECT')
    for (const s of ['proxy-server', 'proxy-bypass-list', 'no-proxy-server']) app.commandLine.removeSwitch(s)
  })
})

describe('requests through proxies', () => {
  it('sends http requests in absolute-form and https through CONNECT', async () => {
    const ses = session.fromPartition('proxy-http')
    acceptAll(ses)
    await ses.setProxy({ proxyRules: `127.0.0.1:${proxy.port}` })
    const res = await ses.fetch(`${site()}/a?b=1`)
    assert.equal(await res.text(), 'origin /a?b=1')
    assert.equal(res.headers.get('x-via-proxy'), '1')
    assert.deepEqual(proxy.seen.at(-1), { method: 'GET', url: `${site()}/a?b=1`, auth: null })
    assert.equal(await (await ses.fetch(`https://secure.test:${secure.port}/s`)).text(), 'secure /s')
    assert.deepEqual(proxy.seen.at(-1), { method: 'CONNECT', url: `secure.test:${secure.port}`, auth: null })
    // Direct again at once.
    await ses.setProxy({ mode: 'direct' })
    const before = proxy.seen.length
    assert.equal(await (await ses.fetch(`${site()}/d`)).text(), 'origin /d')
    assert.equal(proxy.seen.length, before)
  })

  it('CONNECT carries the session\'s User-Agent (setUserAgent), as forwarded requests do', async () => {
    const ses = session.fromPartition('proxy-user-agent')
    acceptAll(ses)
    ses.setUserAgent('Agent/7.0 (proxy spec)')
    await ses.setProxy({ proxyRules: `127.0.0.1:${proxy.port}` })
    const before = proxy.agents.length
    await (await ses.fetch(`${site()}/ua`)).text()
    await (await ses.fetch(`https://secure.test:${secure.port}/ua`)).text()
    assert.deepEqual(proxy.agents.slice(before), [['GET', 'Agent/7.0 (proxy spec)'], ['CONNECT', 'Agent/7.0 (proxy spec)']])
  })

  it('sends proxy credentials from the proxy URI, never showing them', async () => {
    const ses = session.fromPartition('proxy-auth')
    acceptAll(ses)
    await ses.setProxy({ proxyRules: `http://pu:pp@127.0.0.1:${authProxy.port}` })
    assert.equal(await ses.resolveProxy(site()), `PROXY 127.0.0.1:${authProxy.port}`)
    assert.equal(await (await ses.fetch(`${site()}/x`)).text(), 'origin /x')
    const token = 'Basic ' + Buffer.from('pu:pp').toString('base64')
    assert.equal(authProxy.seen.at(-1).auth, token)
    assert.equal(await (await ses.fetch(`https://secure.test:${secure.port}/y`)).text(), 'secure /y')
    assert.deepEqual(authProxy.seen.at(-1), { method: 'CONNECT', url: `secure.test:${secure.port}`, auth: token })
    const noCreds = session.fromPartition('proxy-auth-none')
    acceptAll(noCreds)
    await noCreds.setProxy({ proxyRules: `127.0.0.1:${authProxy.port}` })
    assert.equal((await noCreds.fetch(`${site()}/z`)).status, 407)
    await assert.rejects(noCreds.fetch(`https://secure.test:${secure.port}/`), { message: 'net::ERR_PROXY_AUTH_REQUESTED', code: 'ERR_PROXY_AUTH_REQUESTED' })
  })

  it('asks for proxy credentials through login (isProxy) and remembers them for tunnels too', async () => {
    const { net } = require('..')
    const ses = session.fromPartition('proxy-login')
    acceptAll(ses)
    await ses.setProxy({ proxyRules: `127.0.0.1:${authProxy.port}` })
    const infos = []
    const text = await new Promise((resolve, reject) => {
      const req = net.request({ url: `https://secure.test:${secure.port}/login`, session: ses })
      req.on('login', (authInfo, callback) => {
        infos.push(authInfo)
        if (infos.length === 1) callback('pu', 'wrong')
        else callback('pu', 'pp')
      })
      req.on('response', (res) => { let t = ''; res.on('data', (d) => { t += d }); res.on('end', () => resolve(t)) })
      req.on('error', reject)
      req.end()
    })
    assert.equal(text, 'secure /login')
    assert.deepEqual(infos, [
      { isProxy: true, scheme: 'basic', host: '127.0.0.1', port: authProxy.port, realm: 'proxy' },
      { isProxy: true, scheme: 'basic', host: '127.0.0.1', port: authProxy.port, realm: 'proxy' }
    ])
    // Remembered for forwarded requests and tunnels alike.
    assert.equal(await (await ses.fetch(`${site()}/after`)).text(), 'origin /after')
    assert.equal(authProxy.seen.at(-1).auth, 'Basic ' + Buffer.from('pu:pp').toString('base64'))
    // Cancelling the prompt of a forwarded request delivers the 407.
    const other = session.fromPartition('proxy-login-cancel')
    await other.setProxy({ proxyRules: `127.0.0.1:${authProxy.port}` })
    const status = await new Promise((resolve, reject) => {
      const req = net.request({ url: `${site()}/c`, session: other })
      req.on('login', (authInfo, callback) => callback())
      req.on('response', (res) => { res.resume(); resolve(res.statusCode) })
      req.on('error', reject)
      req.end()
    })
    assert.equal(status, 407)
  })

  it('goes through SOCKS5 (names resolved by the proxy, optional auth) and SOCKS4a', async () => {
    const ses = session.fromPartition('proxy-socks')
    acceptAll(ses)
    await ses.setProxy({ proxyRules: `socks5://127.0.0.1:${socks5.port}` })
    assert.equal(await (await ses.fetch(`${site()}/s5`)).text(), 'origin /s5')
    assert.equal(socks5.seen.at(-1), `site.test:${server.port}`)
    assert.equal(await (await ses.fetch(`https://secure.test:${secure.port}/s5s`)).text(), 'secure /s5s')
    await ses.setProxy({ proxyRules: `socks5://su:sp@127.0.0.1:${socks5Auth.port}` })
    assert.equal(await (await ses.fetch(`${site()}/auth`)).text(), 'origin /auth')
    assert.equal(socks5Auth.seen.at(-1), `site.test:${server.port}`)
    await ses.setProxy({ proxyRules: `socks5://su:wrong@127.0.0.1:${socks5Auth.port}` })
    await assert.rejects(ses.fetch(`${site()}/bad`), { message: 'net::ERR_SOCKS_CONNECTION_FAILED', code: 'ERR_SOCKS_CONNECTION_FAILED' })
    await ses.setProxy({ proxyRules: `socks4://127.0.0.1:${socks4.port}` })
    assert.equal(await (await ses.fetch(`${site()}/s4`)).text(), 'origin /s4')
    assert.equal(socks4.seen.at(-1), `site.test:${server.port}`)
  })

  it('falls over to the next proxy and remembers the bad one', async () => {
    const ses = session.fromPartition('proxy-failover')
    await ses.setProxy({ proxyRules: `127.0.0.1:${dead},127.0.0.1:${proxy.port}` })
    assert.equal(await (await ses.fetch(`${site()}/f`)).text(), 'origin /f')
    assert.equal(await ses.resolveProxy(site()), `PROXY 127.0.0.1:${proxy.port};PROXY 127.0.0.1:${dead}`)
    await ses.setProxy({ proxyRules: `127.0.0.1:${dead},direct://` })
    assert.equal(await (await ses.fetch(`${site()}/direct`)).text(), 'origin /direct')
    await ses.setProxy({ proxyRules: `127.0.0.1:${dead}` })
    await assert.rejects(ses.fetch(`${site()}/none`), { message: 'net::ERR_PROXY_CONNECTION_FAILED', code: 'ERR_PROXY_CONNECTION_FAILED' })
    await ses.setProxy({ proxyRules: `socks5://127.0.0.1:${dead}` })
    await assert.rejects(ses.fetch(`${site()}/none`), { message: 'net::ERR_PROXY_CONNECTION_FAILED' })
  })
})

describe('proxy auth schemes', () => {
  const { requestWithLogin: viaLogin, useCredentialFile } = require('./helpers')
  const corp = { user: 'alice', domain: 'CORP', password: 'secret' }
  let digestProxy
  let ntlmProxy
  let negotiateProxy
  before(async () => {
    digestProxy = await httpProxy({ auth: 'du:dp', scheme: 'Digest' })
    ntlmProxy = await httpProxy({ ntlm: corp, scheme: 'NTLM' })
    negotiateProxy = await httpProxy({ ntlm: corp, scheme: 'Negotiate' })
  })
  after(async () => {
    delete process.env.NTLM_USER_FILE
    for (const p of [digestProxy, ntlmProxy, negotiateProxy]) await p.close()
  })

  it('answers a Digest proxy through login, signing the path when forwarding and host:port for CONNECT', async () => {
    const ses = session.fromPartition('proxy-digest')
    acceptAll(ses)
    await ses.setProxy({ proxyRules: `127.0.0.1:${digestProxy.port}` })
    const result = await viaLogin(ses, `${site()}/d?q=1`, [['du', 'dp']])
    assert.deepEqual(result, {
      status: 200,
      text: 'origin /d?q=1',
      infos: [{ isProxy: true, scheme: 'digest', host: '127.0.0.1', port: digestProxy.port, realm: 'proxy' }]
    })
    assert.deepEqual(digestProxy.seen.slice(-2).map((s) => s.auth && s.auth.slice(0, 6)), [null, 'Digest'])
    assert.match(digestProxy.seen.at(-1).auth, /^Digest username="du", realm="proxy", nonce="[0-9a-f]{16}", uri="\/d\?q=1", algorithm=MD5, response="[0-9a-f]{32}", qop=auth, nc=00000001, cnonce="[0-9a-f]{16}"$/)
    // Remembered with its challenge: the tunnel answers at once.
    assert.equal(await (await ses.fetch(`https://secure.test:${secure.port}/t`)).text(), 'secure /t')
    const connect = digestProxy.seen.at(-1)
    assert.equal(connect.method, 'CONNECT')
    assert.match(connect.auth, new RegExp(`uri="secure\\.test:${secure.port}"`))
    // A wrong answer asks again; cancelling delivers the 407.
    const other = session.fromPartition('proxy-digest-wrong')
    await other.setProxy({ proxyRules: `127.0.0.1:${digestProxy.port}` })
    const refused = await viaLogin(other, `${site()}/w`, [['du', 'nope']])
    assert.equal(refused.status, 407)
    assert.equal(refused.text, 'proxy auth required')
    assert.equal(refused.infos.length, 2)
  })

  it('answers a Digest proxy with the credentials of its URI, without asking', async () => {
    const ses = session.fromPartition('proxy-digest-uri')
    acceptAll(ses)
    await ses.setProxy({ proxyRules: `http://du:dp@127.0.0.1:${digestProxy.port}` })
    const before = digestProxy.seen.length
    assert.equal(await (await ses.fetch(`${site()}/u`)).text(), 'origin /u')
    // Basic before any challenge, then Digest once the proxy named it.
    assert.deepEqual(digestProxy.seen.slice(before).map((s) => s.auth.split(' ')[0]), ['Basic', 'Digest'])
    assert.equal(await (await ses.fetch(`https://secure.test:${secure.port}/u`)).text(), 'secure /u')
    assert.equal(digestProxy.seen.at(-1).auth.split(' ')[0], 'Digest')
    await ses.setProxy({ proxyRules: `http://du:bad@127.0.0.1:${digestProxy.port}` })
    assert.equal((await ses.fetch(`${site()}/bad`)).status, 407)
    await assert.rejects(ses.fetch(`https://secure.test:${secure.port}/bad`), { message: 'net::ERR_PROXY_AUTH_REQUESTED', code: 'ERR_PROXY_AUTH_REQUESTED' })
  })

  it('runs the NTLM handshake with a proxy on one connection, forwarded and through CONNECT', async () => {
    const ses = session.fromPartition('proxy-ntlm')
    acceptAll(ses)
    await ses.setProxy({ proxyRules: `127.0.0.1:${ntlmProxy.port}` })
    ntlmProxy.steps.length = 0
    const result = await viaLogin(ses, `${site()}/n`, [['CORP\\alice', 'secret']])
    assert.deepEqual(result, {
      status: 200,
      text: 'origin /n',
      infos: [{ isProxy: true, scheme: 'ntlm', host: '127.0.0.1', port: ntlmProxy.port, realm: '' }]
    })
    assert.deepEqual(ntlmProxy.steps, ['none', 'type1', 'type3'])
    ntlmProxy.steps.length = 0
    assert.equal(await (await ses.fetch(`https://secure.test:${secure.port}/n`)).text(), 'secure /n')
    assert.deepEqual(ntlmProxy.steps, ['type1', 'type3'])
    assert.deepEqual(ntlmProxy.seen.slice(-2).map((s) => [s.method, s.auth.slice(0, 17)]), [['CONNECT', 'NTLM TlRMTVNTUAAB'], ['CONNECT', 'NTLM TlRMTVNTUAAD']])
    ntlmProxy.steps.length = 0
    assert.equal(await (await ses.fetch(`${site()}/again`)).text(), 'origin /again')
    assert.deepEqual(ntlmProxy.steps, ['type1', 'type3'])
    // A redirect followed before a hop's handshake is still reported with the response.
    const moved = await ses.fetch(`${site()}/go-to/landed`)
    assert.equal(await moved.text(), 'origin /landed')
    assert.equal(moved.redirected, true)
    assert.equal(moved.url, `${site()}/landed`)
  })

  it('answers a Negotiate proxy with default credentials from NTLM_USER_FILE, and asks when they fail', async () => {
    useCredentialFile('# credentials\nCORP:alice:secret\n')
    const ses = session.fromPartition('proxy-negotiate')
    acceptAll(ses)
    await ses.setProxy({ proxyRules: `127.0.0.1:${negotiateProxy.port}` })
    negotiateProxy.steps.length = 0
    assert.deepEqual(await viaLogin(ses, `${site()}/g`, []), { status: 200, text: 'origin /g', infos: [] })
    assert.deepEqual(negotiateProxy.steps, ['none', 'type1', 'type3'])
    assert.equal(await (await ses.fetch(`https://secure.test:${secure.port}/g`)).text(), 'secure /g')
    assert.match(negotiateProxy.seen.at(-1).auth, /^Negotiate oY/)

    useCredentialFile('CORP:alice:wrong\n')
    const other = session.fromPartition('proxy-negotiate-wrong')
    await other.setProxy({ proxyRules: `127.0.0.1:${negotiateProxy.port}` })
    negotiateProxy.steps.length = 0
    const asked = await viaLogin(other, `${site()}/h`, [['CORP\\alice', 'secret']])
    assert.deepEqual(asked, {
      status: 200,
      text: 'origin /h',
      infos: [{ isProxy: true, scheme: 'negotiate', host: '127.0.0.1', port: negotiateProxy.port, realm: '' }]
    })
    // The refused default answer, then the caller's (the challenge is known by then).
    assert.deepEqual(negotiateProxy.steps, ['none', 'type1', 'type3', 'type1', 'type3'])
    delete process.env.NTLM_USER_FILE
  })
})

describe('PAC', () => {
  const pacSource = (port) => `
    function FindProxyForURL(url, host) {
      if (shExpMatch(host, "*.direct.test")) return "DIRECT";
      if (dnsDomainIs(host, ".socks.test")) return "SOCKS5 127.0.0.1:${socks5.port}";
      if (isPlainHostName(host)) return "PROXY plain:1";
      return "PROXY 127.0.0.1:${port}; DIRECT";
    }`

  it('loads a data: PAC script and routes by it', async () => {
    const ses = session.fromPartition('pac-data')
    const script = pacSource(proxy.port)
    await ses.setProxy({ pacScript: 'data:application/x-ns-proxy-autoconfig;base64,' + Buffer.from(script).toString('base64') })
    assert.equal(await ses.resolveProxy(site()), `PROXY 127.0.0.1:${proxy.port};DIRECT`)
    assert.equal(await ses.resolveProxy('http://a.direct.test/'), 'DIRECT')
    assert.equal(await ses.resolveProxy('http://intranet/'), 'PROXY plain:1')
    const before = proxy.seen.length
    assert.equal(await (await ses.fetch(`${site()}/pac`)).text(), 'origin /pac')
    assert.equal(proxy.seen.length, before + 1)
    assert.equal(await (await ses.fetch(`http://x.socks.test:${server.port}/viasocks`)).text(), 'origin /viasocks')
    assert.equal(socks5.seen.at(-1), `x.socks.test:${server.port}`)
  })

  it('answers the auth of a proxy the PAC script chose, forwarded and through CONNECT', async () => {
    const { requestWithLogin } = require('./helpers')
    const ses = session.fromPartition('pac-auth')
    acceptAll(ses)
    const script = `function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${authProxy.port}"; }`
    await ses.setProxy({ pacScript: 'data:application/x-ns-proxy-autoconfig;base64,' + Buffer.from(script).toString('base64') })
    const result = await requestWithLogin(ses, `${site()}/pac-auth`, [['pu', 'pp']])
    assert.deepEqual(result, {
      status: 200,
      text: 'origin /pac-auth',
      infos: [{ isProxy: true, scheme: 'basic', host: '127.0.0.1', port: authProxy.port, realm: 'proxy' }]
    })
    assert.equal(await (await ses.fetch(`https://secure.test:${secure.port}/pac`)).text(), 'secure /pac')
    assert.deepEqual(authProxy.seen.at(-1), { method: 'CONNECT', url: `secure.test:${secure.port}`, auth: 'Basic ' + Buffer.from('pu:pp').toString('base64') })
  })

  it('fetches the PAC over http, refetches on forceReloadProxyConfig', async () => {
    let version = 1
    let fetches = 0
    const pacServer = await httpServer((req, res) => {
      fetches++
      res.setHeader('Content-Type', 'application/x-ns-proxy-autoconfig')
      res.end(`function FindProxyForURL(u, h) { return "PROXY v${version}:1"; }`)
    })
    const ses = session.fromPartition('pac-http')
    await ses.setProxy({ mode: 'pac_script', pacScript: `${pacServer.url}/proxy.pac` })
    assert.equal(await ses.resolveProxy('http://a.test/'), 'PROXY v1:1')
    version = 2
    assert.equal(await ses.resolveProxy('http://a.test/'), 'PROXY v1:1')
    await ses.forceReloadProxyConfig()
    assert.equal(await ses.resolveProxy('http://a.test/'), 'PROXY v2:1')
    assert.equal(fetches, 2)
    await pacServer.close()
  })

  it('forceReloadProxyConfig: a changed PAC script routes the next request at once', async () => {
    const second = await httpProxy()
    let target = proxy.port
    const pacServer = await httpServer((req, res) => {
      res.setHeader('Content-Type', 'application/x-ns-proxy-autoconfig')
      res.end(`function FindProxyForURL(u, h) { return "PROXY 127.0.0.1:${target}"; }`)
    })
    try {
      const ses = session.fromPartition('pac-reload-route')
      await ses.setProxy({ mode: 'pac_script', pacScript: `${pacServer.url}/proxy.pac` })
      const before = [proxy.seen.length, second.seen.length]
      assert.equal(await (await ses.fetch(`${site()}/one`)).text(), 'origin /one')
      target = second.port
      await ses.forceReloadProxyConfig()
      assert.equal(await (await ses.fetch(`${site()}/two`)).text(), 'origin /two')
      assert.deepEqual(proxy.seen.slice(before[0]).map((s) => new URL(s.url).pathname), ['/one'])
      assert.deepEqual(second.seen.slice(before[1]).map((s) => new URL(s.url).pathname), ['/two'])
    } finally {
      await pacServer.close()
      await second.close()
    }
  })

  it('a PAC that loops or throws fails only its resolution: DIRECT, Node stays responsive', async () => {
    const ses = session.fromPartition('pac-bad')
    const looping = 'function FindProxyForURL(u, h) { if (h === "loop.test") for (;;) {} throw new Error("nope") }'
    await ses.setProxy({ pacScript: 'data:,' + encodeURIComponent(looping) })
    let ticks = 0
    const timer = setInterval(() => ticks++, 10)
    const started = Date.now()
    assert.equal(await ses.resolveProxy('http://loop.test/'), 'DIRECT')
    clearInterval(timer)
    assert.ok(Date.now() - started >= 900)
    assert.ok(ticks > 20, `event loop ran ${ticks} times`)
    assert.equal(await ses.resolveProxy('http://other.test/'), 'DIRECT')
    assert.equal(await (await ses.fetch(`${site()}/still`)).text(), 'origin /still')
  })

  it('auto_detect finds a WPAD script at http://wpad/wpad.dat, and is direct without one', async () => {
    const wpad = await httpServer((req, res) => {
      assert.equal(req.url, '/wpad.dat')
      res.end('function FindProxyForURL(u, h) { return "PROXY from-wpad:3128"; }')
    })
    const { app } = require('..')
    const rules = app.commandLine.getSwitchValue('host-resolver-rules')
    app.commandLine.appendSwitch('host-resolver-rules', `MAP wpad 127.0.0.1:${wpad.port}, ${rules}`)
    try {
      const ses = session.fromPartition('pac-wpad')
      await ses.setProxy({ mode: 'auto_detect' })
      assert.equal(await ses.resolveProxy('http://a.test/'), 'PROXY from-wpad:3128')
    } finally {
      app.commandLine.appendSwitch('host-resolver-rules', `MAP wpad ~NOTFOUND, ${rules}`)
      await wpad.close()
    }
    const none = session.fromPartition('pac-wpad-none')
    await none.setProxy({ mode: 'auto_detect' })
    assert.equal(await none.resolveProxy('http://a.test/'), 'DIRECT')
    app.commandLine.appendSwitch('host-resolver-rules', rules)
  })

  it('an unloadable PAC warns and leaves requests direct', async () => {
    const ses = session.fromPartition('pac-unloadable')
    const warned = new Promise((resolve) => process.once('warning', resolve))
    await ses.setProxy({ pacScript: 'data:,not%20javascript%20(' })
    const warning = await warned
    assert.match(warning.message, /^headless-session: the PAC script at data: was not loaded \(PAC script failed to load: .+\); requests go direct$/)
    assert.equal(await ses.resolveProxy('http://a.test/'), 'DIRECT')
  })
})
