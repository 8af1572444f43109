'use strict'
//! A headless frame's navigation (Chromium's NavigationRequest and document loading, with
//! nothing rendered and no script run): the document through the session as a mainFrame or
//! subFrame request (redirects reported one by one), a response a browser would not render
//! handed to downloads, and an HTML document read as it arrives (NativeDocumentReader) for
//! the subresources a browser requests, each through the session with its resource type and
//! Referer, at most six at a time per origin as Chromium's socket pools allow; iframes
//! navigate the same way. The owner (web-contents.js) turns the hooks into Electron's events.

const native = require('./native')
const { Loader, unpackPairs, unpackAuth } = require('./url-loader')
const { EventKind } = require('./event-channel')

// Chromium's connections per origin for HTTP/1.1: more requests wait for a free one.
const PER_ORIGIN = 6

// MIME types a browser shows rather than downloads (with Electron's PDF viewer).
const RENDERED = /^(text\/|image\/|application\/(xhtml\+xml|xml|json|javascript|pdf)$)|\+xml$|\+json$/
const HTML = /^(text\/html|application\/xhtml\+xml)$/

const headerValue = (pairs, name) => pairs.find(([n]) => n.toLowerCase() === name)?.[1] ?? ''

// Whether a response is shown in the frame (else it is a download): no attachment, and a
// type a browser renders; no type at all is sniffed as a page.
function isRendered (pairs) {
  if (/^\s*attachment/i.test(headerValue(pairs, 'content-disposition'))) return false
  const type = headerValue(pairs, 'content-type').split(';')[0].trim().toLowerCase()
  return type === '' || RENDERED.test(type)
}

// The Referer a document's request sends (Chromium's default policy,
// strict-origin-when-cross-origin): the document's URL to its own origin, its origin
// elsewhere, nothing from https to http.
function referrerFor (documentUrl, target) {
  let from, to
  try { from = new URL(documentUrl); to = new URL(target) } catch { return '' }
  if (!/^https?:$/.test(from.protocol)) return ''
  if (from.protocol === 'https:' && to.protocol === 'http:') return ''
  if (from.origin === to.origin) {
    from.hash = ''
    from.username = from.password = ''
    return from.href
  }
  return `${from.origin}/`
}

// Runs loads at most PER_ORIGIN at a time per origin.
class OriginQueues {
  #running = new Map()
  #waiting = new Map()

  run (origin, start) {
    return new Promise((resolve) => {
      const job = () => start().finally(() => { resolve(); this.#next(origin) })
      if ((this.#running.get(origin) ?? 0) < PER_ORIGIN) {
        this.#running.set(origin, (this.#running.get(origin) ?? 0) + 1)
        job()
      } else {
        if (!this.#waiting.has(origin)) this.#waiting.set(origin, [])
        this.#waiting.get(origin).push(job)
      }
    })
  }

  #next (origin) {
    const job = this.#waiting.get(origin)?.shift()
    if (job) return job()
    this.#running.set(origin, this.#running.get(origin) - 1)
  }
}

// One navigation with everything it loads; cancel() stops all of it.
class Navigation {
  #loaders = new Set()
  #cancelled = false
  #queues = new OriginQueues()

  // `context`: { ses, webContentsId, userAgent }.
  constructor (context) {
    this.context = context
  }

  get cancelled () { return this.#cancelled }

  cancel () {
    this.#cancelled = true
    for (const loader of this.#loaders) loader.cancel()
    this.#loaders.clear()
  }

  #loader (options) {
    const headers = [...(options.headers ?? [])]
    if (this.context.userAgent) headers.push('User-Agent', this.context.userAgent)
    const loader = new Loader(this.context.ses, {
      ...options,
      headers,
      followRedirects: false,
      useCookies: true,
      webContentsId: this.context.webContentsId
    })
    this.#loaders.add(loader)
    return loader
  }

  #forget (loader) {
    this.#loaders.delete(loader)
  }

  // Loads a frame's document: `request` { url, method, headers, body, referrer,
  // resourceType }; `hooks` { redirect(url), login(url, authInfo, respond(username?,
  // password?)), commit(url, status, statusText), download(loader, step, urlChain),
  // domReady(), title(text), subframe(url, referrer) -> Promise }. Resolves with null once the frame and all it loads are done, or with the
  // document's failure { errorCode, errorDescription, validatedURL }.
  frame (request, hooks) {
    // about:blank and its kind are empty documents made on the spot: nothing is requested,
    // and there is no HTTP response (-1).
    if (/^about:/i.test(request.url)) {
      hooks.commit(request.url, -1, '')
      hooks.domReady()
      return Promise.resolve(null)
    }
    return new Promise((resolve) => {
      const headers = [...(request.headers ?? [])]
      if (request.referrer) headers.push('Referer', request.referrer)
      let url = request.url
      const urlChain = [url]
      let loader
      try {
        loader = this.#loader({ method: request.method ?? 'GET', url, headers, body: request.body, resourceType: request.resourceType, cache: request.cache, promptAuth: true, keepBody: true })
      } catch (error) {
        return resolve(failure(error, url))
      }
      loader.onError = (error) => {
        this.#forget(loader)
        resolve(failure(error, url))
      }
      loader.onStep = (step) => {
        if (step.kind === EventKind.Redirect) {
          url = step.newUrl
          urlChain.push(url)
          hooks.redirect(url)
          return loader.followRedirect()
        }
        if (step.kind === EventKind.Login) {
          // No answer (undefined) cancels: the 401/407 page is shown.
          return hooks.login(url, unpackAuth(step.auth), (username, password) => {
            if (username === undefined) loader.login()
            else loader.login(String(username), String(password ?? ''))
          })
        }
        if (step.kind !== EventKind.Response) return loader.cancel()
        const pairs = unpackPairs(step.headers, '\0')
        if (!isRendered(pairs)) {
          this.#forget(loader)
          hooks.download(loader, step, urlChain)
          return resolve(null)
        }
        // The response's URL (canonical, after redirects), with the fragment the request had
        // (it is never sent).
        if (step.url) url = step.url.includes('#') || !request.url.includes('#') || urlChain.length > 1 ? step.url : step.url + request.url.slice(request.url.indexOf('#'))
        hooks.commit(url, step.statusCode, step.statusMessage)
        const type = headerValue(pairs, 'content-type').split(';')[0].trim().toLowerCase()
        this.#readDocument(loader, url, type === '' || HTML.test(type), step.done, hooks).then(resolve)
      }
    })
  }

  // Reads the document's body; an HTML one is parsed for subresources, loaded as they
  // appear. Resolves with null when all of it is done.
  #readDocument (loader, documentUrl, html, empty, hooks) {
    const reader = html ? new native.NativeDocumentReader(documentUrl) : null
    let initiator
    try { initiator = new URL(documentUrl).origin } catch { initiator = 'null' }
    const loads = []
    const scripts = []
    const start = (packed) => {
      if (packed === '' || this.#cancelled) return
      const parts = packed.split('\0')
      for (let i = 0; i + 1 < parts.length; i += 2) {
        const [url, resourceType] = [parts[i], parts[i + 1]]
        const referrer = referrerFor(documentUrl, url)
        const load = resourceType === 'subFrame'
          ? hooks.subframe(url, referrer)
          : this.#subresource(url, resourceType, referrer, initiator)
        loads.push(load)
        if (resourceType === 'script') scripts.push(load)
      }
    }
    return new Promise((resolve) => {
      const finish = async () => {
        this.#forget(loader)
        if (reader) start(reader.end())
        // DOMContentLoaded waits for the document's scripts.
        await Promise.all(scripts)
        if (this.#cancelled) return resolve(null)
        hooks.domReady()
        const title = reader?.title()
        if (typeof title === 'string') hooks.title(title)
        await Promise.all(loads)
        resolve(null)
      }
      loader.onData = (piece) => {
        if (piece === null) return finish()
        if (reader) start(reader.feed(piece))
        loader.read()
      }
      // A document cut short shows what arrived.
      loader.onError = () => finish()
      if (empty) finish()
      else loader.read()
    })
  }

  // One subresource, read to its end and dropped; its failure is the page's business.
  #subresource (url, resourceType, referrer, initiator) {
    let origin
    try { origin = new URL(url).origin } catch { return Promise.resolve() }
    return this.#queues.run(origin, () => new Promise((resolve) => {
      if (this.#cancelled) return resolve()
      const headers = referrer ? ['Referer', referrer] : []
      let loader
      try {
        loader = this.#loader({ method: 'GET', url, headers, resourceType, origin: initiator })
      } catch {
        return resolve()
      }
      const done = () => { this.#forget(loader); resolve() }
      loader.onError = done
      loader.onStep = (step) => {
        if (step.kind === EventKind.Redirect) return loader.followRedirect()
        // A small body came whole with the head (`done`); a larger one is read to its end.
        if (step.kind !== EventKind.Response || step.done) return done()
        loader.onData = (piece) => piece === null ? done() : loader.read()
        loader.read()
      }
    }))
  }
}

// A document's failure as did-fail-load reports it (a request error's `code` is Chromium's
// name: ERR_FAILED for a listener that threw).
function failure (error, url) {
  const errorDescription = native.netErrorNumber(error?.code ?? '') == null ? 'ERR_FAILED' : error.code
  const errorCode = native.netErrorNumber(errorDescription)
  return { errorCode, errorDescription, validatedURL: url }
}

module.exports = { Navigation }
