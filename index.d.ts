// Hand-written public types of headless-session, under Electron's names and shapes.
/// <reference types="node" />
import { EventEmitter } from 'node:events'
import { Readable, Writable } from 'node:stream'

export interface Cookie {
  name: string
  value: string
  domain?: string
  hostOnly?: boolean
  path?: string
  secure?: boolean
  httpOnly?: boolean
  session?: boolean
  expirationDate?: number
  sameSite: 'unspecified' | 'no_restriction' | 'lax' | 'strict'
}

export interface CookiesGetFilter {
  url?: string
  name?: string
  domain?: string
  path?: string
  secure?: boolean
  session?: boolean
  httpOnly?: boolean
}

export interface CookiesSetDetails {
  url: string
  name?: string
  value?: string
  domain?: string
  path?: string
  secure?: boolean
  httpOnly?: boolean
  expirationDate?: number
  sameSite?: 'unspecified' | 'no_restriction' | 'lax' | 'strict'
}

export type CookieChangedCause =
  | 'inserted'
  | 'inserted-no-change-overwrite'
  | 'inserted-no-value-change-overwrite'
  | 'explicit'
  | 'overwrite'
  | 'expired'
  | 'evicted'
  | 'expired-overwrite'

/** Electron's event object; `sender` (the Cookies object) is there at run time too. */
export interface Event {
  preventDefault: () => void
  readonly defaultPrevented: boolean
}

export declare class Cookies extends EventEmitter {
  on(event: 'changed', listener: (event: Event, cookie: Cookie, cause: CookieChangedCause, removed: boolean) => void): this
  once(event: 'changed', listener: (event: Event, cookie: Cookie, cause: CookieChangedCause, removed: boolean) => void): this
  off(event: 'changed', listener: (event: Event, cookie: Cookie, cause: CookieChangedCause, removed: boolean) => void): this
  addListener(event: 'changed', listener: (event: Event, cookie: Cookie, cause: CookieChangedCause, removed: boolean) => void): this
  removeListener(event: 'changed', listener: (event: Event, cookie: Cookie, cause: CookieChangedCause, removed: boolean) => void): this
  get(filter: CookiesGetFilter, callback?: (error: Error | null, cookies: Cookie[]) => void): Promise<Cookie[]>
  set(details: CookiesSetDetails, callback?: (error: Error | null) => void): Promise<void>
  remove(url: string, name: string, callback?: () => void): Promise<void>
  flushStore(callback?: () => void): Promise<void>
}

export interface CertificatePrincipal {
  commonName: string
  organizations: string[]
  organizationUnits: string[]
  locality: string
  state: string
  country: string
}

export interface Certificate {
  data: string
  issuer: CertificatePrincipal
  issuerName: string
  /** Absent past the last certificate of the chain (typed as Electron types it). */
  issuerCert: Certificate
  subject: CertificatePrincipal
  subjectName: string
  serialNumber: string
  validStart: number
  validExpiry: number
  fingerprint: string
}

export interface Request {
  hostname: string
  certificate: Certificate
  validatedCertificate: Certificate
  isIssuedByKnownRoot: boolean
  verificationResult: string
  errorCode: number
}

export interface SSLConfigConfig {
  minVersion?: 'tls1' | 'tls1.1' | 'tls1.2' | 'tls1.3'
  maxVersion?: 'tls1.2' | 'tls1.3'
  disabledCipherSuites?: number[]
}

export interface ResolveHostOptions {
  queryType?: 'A' | 'AAAA'
  source?: 'any' | 'system' | 'dns' | 'mdns' | 'localOnly'
  cacheUsage?: 'allowed' | 'staleAllowed' | 'disallowed'
  secureDnsPolicy?: 'allow' | 'disable'
}

export interface ResolvedEndpoint {
  address: string
  family: 'ipv4' | 'ipv6' | 'unspec'
}

export interface ResolvedHost {
  endpoints: ResolvedEndpoint[]
}

export type ResourceType = 'mainFrame' | 'subFrame' | 'stylesheet' | 'script' | 'image' | 'font' | 'object' | 'xhr' | 'ping' | 'cspReport' | 'media' | 'webSocket' | 'other'

export interface WebRequestFilter {
  /** Match patterns; none (or absent) matches every URL. */
  urls?: string[]
  /** Match patterns that exclude (they win over `urls`). */
  excludeUrls?: string[]
  types?: Array<Exclude<ResourceType, 'other'>>
}

export interface UploadData {
  bytes: Buffer
  file?: string
  blobUUID?: string
}

interface ListenerDetails {
  id: number
  url: string
  method: string
  resourceType: ResourceType
  referrer: string
  timestamp: number
}

export interface OnBeforeRequestListenerDetails extends ListenerDetails {
  /** Present when the request has a body (typed as Electron types it). */
  uploadData: UploadData[]
}
export interface OnBeforeSendHeadersListenerDetails extends ListenerDetails {
  uploadData?: UploadData[]
  requestHeaders: Record<string, string>
}
export interface OnSendHeadersListenerDetails extends ListenerDetails {
  requestHeaders: Record<string, string>
}
export interface OnHeadersReceivedListenerDetails extends ListenerDetails {
  statusLine: string
  statusCode: number
  responseHeaders?: Record<string, string[]>
}
export interface OnResponseStartedListenerDetails extends ListenerDetails {
  responseHeaders?: Record<string, string[]>
  fromCache: boolean
  statusCode: number
  statusLine: string
}
export interface OnBeforeRedirectListenerDetails extends ListenerDetails {
  redirectURL: string
  statusCode: number
  statusLine: string
  ip?: string
  fromCache: boolean
  responseHeaders?: Record<string, string[]>
}
export interface OnCompletedListenerDetails extends ListenerDetails {
  responseHeaders?: Record<string, string[]>
  fromCache: boolean
  statusCode: number
  statusLine: string
  error: string
}
export interface OnErrorOccurredListenerDetails extends ListenerDetails {
  fromCache: boolean
  error: string
}

export interface CallbackResponse {
  cancel?: boolean
  redirectURL?: string
}
export interface BeforeSendResponse {
  cancel?: boolean
  requestHeaders?: Record<string, string | string[]>
}
export interface HeadersReceivedResponse {
  cancel?: boolean
  responseHeaders?: Record<string, string | string[]>
  statusLine?: string
  redirectURL?: string
}

type Blocking<D, R> = (details: D, callback: (response: R) => void) => void | Promise<R | void>
type Observer<D> = (details: D) => void

/** Listener type of each event, for `addListener`. */
export interface WebRequestListeners {
  onBeforeRequest: Blocking<OnBeforeRequestListenerDetails, CallbackResponse>
  onBeforeSendHeaders: Blocking<OnBeforeSendHeadersListenerDetails, BeforeSendResponse>
  onSendHeaders: Observer<OnSendHeadersListenerDetails>
  onHeadersReceived: Blocking<OnHeadersReceivedListenerDetails, HeadersReceivedResponse>
  onResponseStarted: Observer<OnResponseStartedListenerDetails>
  onBeforeRedirect: Observer<OnBeforeRedirectListenerDetails>
  onCompleted: Observer<OnCompletedListenerDetails>
  onErrorOccurred: Observer<OnErrorOccurredListenerDetails>
}

export declare class WebRequest {
  private constructor()
  onBeforeRequest(filter: WebRequestFilter, listener: WebRequestListeners['onBeforeRequest'] | null): void
  onBeforeRequest(listener: WebRequestListeners['onBeforeRequest'] | null): void
  onBeforeSendHeaders(filter: WebRequestFilter, listener: WebRequestListeners['onBeforeSendHeaders'] | null): void
  onBeforeSendHeaders(listener: WebRequestListeners['onBeforeSendHeaders'] | null): void
  onSendHeaders(filter: WebRequestFilter, listener: WebRequestListeners['onSendHeaders'] | null): void
  onSendHeaders(listener: WebRequestListeners['onSendHeaders'] | null): void
  onHeadersReceived(filter: WebRequestFilter, listener: WebRequestListeners['onHeadersReceived'] | null): void
  onHeadersReceived(listener: WebRequestListeners['onHeadersReceived'] | null): void
  onResponseStarted(filter: WebRequestFilter, listener: WebRequestListeners['onResponseStarted'] | null): void
  onResponseStarted(listener: WebRequestListeners['onResponseStarted'] | null): void
  onBeforeRedirect(filter: WebRequestFilter, listener: WebRequestListeners['onBeforeRedirect'] | null): void
  onBeforeRedirect(listener: WebRequestListeners['onBeforeRedirect'] | null): void
  onCompleted(filter: WebRequestFilter, listener: WebRequestListeners['onCompleted'] | null): void
  onCompleted(listener: WebRequestListeners['onCompleted'] | null): void
  onErrorOccurred(filter: WebRequestFilter, listener: WebRequestListeners['onErrorOccurred'] | null): void
  onErrorOccurred(listener: WebRequestListeners['onErrorOccurred'] | null): void
  /**
   * Beyond Electron: adds a listener after the `on*` one and earlier added ones; returns a
   * function that removes it. In a blocking event a cancel or redirect ends the chain and
   * header changes pass along it.
   */
  addListener<E extends keyof WebRequestListeners>(event: E, filter: WebRequestFilter, listener: WebRequestListeners[E]): () => void
  addListener<E extends keyof WebRequestListeners>(event: E, listener: WebRequestListeners[E]): () => void
}

export interface ProtocolRequest {
  headers: Record<string, string>
  method: string
  referrer: string
  uploadData?: UploadData[]
  url: string
}

export interface ProtocolResponseUploadData {
  contentType: string
  data: string | Buffer
}

export interface ProtocolResponse {
  charset?: string
  data?: Buffer | string | NodeJS.ReadableStream
  error?: number
  headers?: Record<string, string | string[]>
  method?: string
  mimeType?: string
  path?: string
  referrer?: string
  session?: Pick<Session, 'fetch'>
  statusCode?: number
  uploadData?: ProtocolResponseUploadData
  url?: string
}

export interface Privileges {
  standard?: boolean
  secure?: boolean
  bypassCSP?: boolean
  allowServiceWorkers?: boolean
  supportFetchAPI?: boolean
  corsEnabled?: boolean
  stream?: boolean
  codeCache?: boolean
  allowExtensions?: boolean
}

export interface CustomScheme {
  scheme: string
  privileges?: Privileges
}

type LegacyHandler<R> = (request: ProtocolRequest, callback: (response: R) => void) => void
type Completion = (error: Error | null) => void

export declare class Protocol {
  private constructor()
  handle(scheme: string, handler: (request: globalThis.Request) => globalThis.Response | Promise<globalThis.Response>): void
  unhandle(scheme: string): void
  isProtocolHandled(scheme: string): boolean
  registerProtocol(scheme: string, handler: LegacyHandler<ProtocolResponse>): boolean
  registerStringProtocol(scheme: string, handler: LegacyHandler<string | ProtocolResponse>, completion?: Completion): boolean
  registerBufferProtocol(scheme: string, handler: LegacyHandler<Buffer | ProtocolResponse>, completion?: Completion): boolean
  registerFileProtocol(scheme: string, handler: LegacyHandler<string | ProtocolResponse>, completion?: Completion): boolean
  registerHttpProtocol(scheme: string, handler: LegacyHandler<ProtocolResponse>, completion?: Completion): boolean
  registerStreamProtocol(scheme: string, handler: LegacyHandler<NodeJS.ReadableStream | ProtocolResponse>, completion?: Completion): boolean
  interceptProtocol(scheme: string, handler: LegacyHandler<ProtocolResponse>): boolean
  interceptStringProtocol(scheme: string, handler: LegacyHandler<string | ProtocolResponse>, completion?: Completion): boolean
  interceptBufferProtocol(scheme: string, handler: LegacyHandler<Buffer | ProtocolResponse>, completion?: Completion): boolean
  interceptFileProtocol(scheme: string, handler: LegacyHandler<string | ProtocolResponse>, completion?: Completion): boolean
  interceptHttpProtocol(scheme: string, handler: LegacyHandler<ProtocolResponse>, completion?: Completion): boolean
  interceptStreamProtocol(scheme: string, handler: LegacyHandler<NodeJS.ReadableStream | ProtocolResponse>, completion?: Completion): boolean
  unregisterProtocol(scheme: string, completion?: Completion): boolean
  uninterceptProtocol(scheme: string, completion?: Completion): boolean
  isProtocolRegistered(scheme: string): boolean
  isProtocolIntercepted(scheme: string): boolean
  /** Serves `scheme` from directories, with no JS handler (Electron 45, experimental). */
  registerSource(scheme: string, source: ProtocolSource): void
  /** The source registered for `scheme`, or null. */
  getSource(scheme: string): ProtocolSource | null
}

/** Which URLs a route of `registerSource` serves. */
export interface Match {
  /** The URL's host, compared whole and case-insensitively; any host when absent. */
  host?: string
  /** A path prefix starting with `/`, percent-encoded as in URLs; `/` when absent. */
  path?: string
}

/** Where a route of `registerSource` serves from. */
export interface Source {
  /** `directory`. */
  type: string
  /** An absolute directory; nothing outside it is served. */
  root: string
  /** The file for a path ending in `/` (`index.html`; `''` for none). */
  index?: string
  /** Headers added to every file (the file loader's own win). */
  headers?: Record<string, string>
}

export interface ProtocolRoute {
  match?: Match
  source: Source
}

export interface ProtocolSource {
  routes: ProtocolRoute[]
}

/** `protocol`: the default session's Protocol plus the process-wide scheme privileges. */
export interface ProtocolModule extends Protocol {
  registerSchemesAsPrivileged(customSchemes: CustomScheme[]): void
  getStandardSchemes(): string[]
}

export interface ProxyConfig {
  mode?: 'direct' | 'auto_detect' | 'pac_script' | 'fixed_servers' | 'system'
  /** URL of a PAC script: data:, file:, http(s):. */
  pacScript?: string
  /** Chromium's grammar; beyond Electron, `http://user:pass@host:port` entries carry credentials. */
  proxyRules?: string
  proxyBypassRules?: string
}

export declare class Session extends EventEmitter {
  private constructor()
  setProxy(config: ProxyConfig, callback?: () => void): Promise<void>
  resolveProxy(url: string, callback?: (proxy: string) => void): Promise<string>
  forceReloadProxyConfig(): Promise<void>
  readonly cookies: Cookies
  readonly webRequest: WebRequest
  readonly protocol: Protocol
  readonly storagePath: string | null
  getStoragePath(): string | null
  isPersistent(): boolean
  flushStorageData(): void
  /** Bytes the HTTP cache holds (also `getCacheSize(callback(size))`). */
  getCacheSize(): Promise<number>
  getCacheSize(callback: (size: number) => void): Promise<number>
  /** Cookies (for `origin`'s registrable domain) and, with no `storages`, the HTTP cache. */
  clearStorageData(options?: ClearStorageDataOptions): Promise<void>
  clearStorageData(options: ClearStorageDataOptions, callback: () => void): Promise<void>
  clearStorageData(callback: () => void): Promise<void>
  /** Electron 33+: `cookies` and `cache` are real; other data types are accepted. */
  clearData(options?: ClearDataOptions): Promise<void>
  /** Resolves: no code caches are kept here. */
  clearCodeCaches(options: { urls?: string[] }): Promise<void>
  /** Drops every stored response (also `clearCache(callback)`). */
  clearCache(): Promise<void>
  clearCache(callback: () => void): Promise<void>
  fetch(input: string | URL | globalThis.Request, init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }): Promise<Response>
  setUserAgent(userAgent: string, acceptLanguages?: string): void
  getUserAgent(): string
  /** Downloads `url` through this session: 'will-download' (event, item, null) follows. */
  downloadURL(url: string, options?: { headers?: Record<string, string> }): void
  /** A download an earlier process left interrupted: 'will-download' announces it in the
   * 'interrupted' state, and its resume() continues the bytes kept beside (or at) `path`. */
  createInterruptedDownload(options: CreateInterruptedDownloadOptions): void
  /** Where downloads go when 'will-download' sets no save path (default: the downloads directory). */
  setDownloadPath(path: string): void
  /** `webContents`: the one whose navigation or downloadURL started it, else null. */
  on(event: 'will-download', listener: (event: { preventDefault(): void, readonly defaultPrevented: boolean }, item: DownloadItem, webContents: WebContents | null) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
  once(event: 'will-download', listener: (event: { preventDefault(): void, readonly defaultPrevented: boolean }, item: DownloadItem, webContents: WebContents | null) => void): this
  once(event: string | symbol, listener: (...args: any[]) => void): this
  /** Electron's permission request handler (null: the default, everything granted); requests
   * it has not answered are denied when it is replaced. */
  setPermissionRequestHandler(handler: ((webContents: WebContents, permission: PermissionName, callback: (permissionGranted: boolean) => void, details: PermissionRequest | OpenExternalPermissionRequest | MediaAccessPermissionRequest) => void) | null): void
  /** Electron's permission check handler (null: the default, everything granted). */
  setPermissionCheckHandler(handler: ((webContents: WebContents | null, permission: PermissionName, requestingOrigin: string, details: PermissionCheckHandlerHandlerDetails) => boolean) | null): void
  /** Chromium DevTools' throttling for this session's network requests (running ones too);
   * negative or non-number values throw a TypeError and apply nothing. */
  enableNetworkEmulation(options: NetworkEmulationOptions): void
  disableNetworkEmulation(): void
  clearAuthCache(): Promise<void>
  /** Servers whose NTLM/Negotiate challenges are answered with default credentials (NTLM_USER_FILE). */
  allowNTLMCredentialsForDomains(domains: string): void
  closeAllConnections(): Promise<void>
  clearHostResolverCache(callback?: () => void): Promise<void>
  resolveHost(host: string, options?: ResolveHostOptions): Promise<ResolvedHost>
  setSSLConfig(config: SSLConfigConfig): void
  setCertificateVerifyProc(proc: ((request: Request, callback: (verificationResult: number) => void) => void) | ((hostname: string, certificate: Certificate, callback: (isTrusted: boolean) => void) => void) | null): void
}

export interface ClearStorageDataOptions {
  /** `scheme://host:port`. */
  origin?: string
  /** cookies, filesystem, indexdb, localstorage, shadercache, serviceworkers, cachestorage. */
  storages?: string[]
  quotas?: string[]
}

export interface ClearDataOptions {
  dataTypes?: Array<'backgroundFetch' | 'cache' | 'cookies' | 'downloads' | 'fileSystems' | 'indexedDB' | 'localStorage' | 'serviceWorkers' | 'webSQL'>
  origins?: string[]
  excludeOrigins?: string[]
  avoidClosingConnections?: boolean
  originMatchingMode?: 'third-parties-included' | 'origin-in-all-contexts'
}

/** Electron's DownloadItem (resuming an interrupted download is not there yet). */
export interface DownloadItem extends EventEmitter {
  on(event: 'updated', listener: (event: { sender: DownloadItem }, state: 'progressing' | 'interrupted') => void): this
  on(event: 'done', listener: (event: { sender: DownloadItem }, state: 'completed' | 'cancelled' | 'interrupted') => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
  once(event: 'updated', listener: (event: { sender: DownloadItem }, state: 'progressing' | 'interrupted') => void): this
  once(event: 'done', listener: (event: { sender: DownloadItem }, state: 'completed' | 'cancelled' | 'interrupted') => void): this
  once(event: string | symbol, listener: (...args: any[]) => void): this
  setSavePath(path: string): void
  getSavePath(): string
  savePath: string
  setSaveDialogOptions(options: object): void
  getSaveDialogOptions(): object
  pause(): void
  isPaused(): boolean
  resume(): void
  canResume(): boolean
  cancel(): void
  getURL(): string
  getURLChain(): string[]
  getMimeType(): string
  hasUserGesture(): boolean
  getFilename(): string
  getCurrentBytesPerSecond(): number
  getTotalBytes(): number
  getReceivedBytes(): number
  getPercentComplete(): number
  getContentDisposition(): string
  getState(): 'progressing' | 'completed' | 'cancelled' | 'interrupted'
  getLastModifiedTime(): string
  getETag(): string
  getStartTime(): number
  getEndTime(): number
}

/** What an app saved of a download to resume it later (Electron's names). */
export interface CreateInterruptedDownloadOptions {
  /** Where the download goes (and, with `.crdownload` added, where its bytes were kept). */
  path: string
  /** The URLs it went through; the last one is asked for the rest. */
  urlChain: string[]
  mimeType?: string
  /** The bytes already received. */
  offset?: number
  /** The whole length. */
  length: number
  lastModified?: string
  eTag?: string
  /** Seconds since the UNIX epoch. */
  startTime?: number
}

export interface NetworkEmulationOptions {
  /** Every network request fails with net::ERR_INTERNET_DISCONNECTED (fresh cache hits are still served). */
  offline?: boolean
  /** The least time (ms) from a request going out to its response head. */
  latency?: number
  /** Bytes per second read from the session's connections, all requests together (0: unthrottled). */
  downloadThroughput?: number
  /** Bytes per second written to them (0: unthrottled). */
  uploadThroughput?: number
}

export interface FromPartitionOptions {
  /** `false`: this session has no HTTP cache at all. */
  cache?: boolean
  /** Beyond Electron: keep session cookies across restarts of a persistent partition. */
  persistSessionCookies?: boolean
}

export interface SessionModule {
  fromPartition(partition: string, options?: FromPartitionOptions): Session
  fromPath(path: string, options?: FromPartitionOptions): Session
  readonly defaultSession: Session
  /** Beyond Electron: Chrome DevTools' throttling profiles, for enableNetworkEmulation. */
  readonly networkPresets: {
    readonly slow3G: Readonly<Required<NetworkEmulationOptions>>
    readonly fast3G: Readonly<Required<NetworkEmulationOptions>>
    readonly fast4G: Readonly<Required<NetworkEmulationOptions>>
    readonly offline: Readonly<Required<NetworkEmulationOptions>>
  }
}

export interface App extends EventEmitter {
  readonly commandLine: CommandLine
  setPath(name: string, path: string): void
  getPath(name: 'userData' | 'sessionData' | 'home' | 'temp' | 'appData' | string): string
  /** Resolves once the app is ready (the next tick after load), also when called later. */
  whenReady(): Promise<void>
  isReady(): boolean
  /** 'before-quit' and 'will-quit' (either may preventDefault), storage flushed, 'quit', exit 0. */
  quit(): void
  /** Exits at once with `exitCode`, storage flushed, without the quit events. */
  exit(exitCode?: number): void
  /** The app's package.json productName, else name. */
  getName(): string
  setName(name: string): void
  /** The app's package.json version. */
  getVersion(): string
  /** getName()/setName() as a property. */
  name: string
  /** The app's directory: where its package.json is (else the main script's directory). */
  getAppPath(): string
  /** false: the app runs from source. */
  readonly isPackaged: boolean
  on(event: 'session-created', listener: (session: Session) => void): this
  once(event: 'session-created', listener: (session: Session) => void): this
  on(event: 'ready', listener: (event: Event, launchInfo: Record<string, any>) => void): this
  once(event: 'ready', listener: (event: Event, launchInfo: Record<string, any>) => void): this
  on(event: 'before-quit' | 'will-quit', listener: (event: Event) => void): this
  once(event: 'before-quit' | 'will-quit', listener: (event: Event) => void): this
  on(event: 'quit', listener: (event: Event, exitCode: number) => void): this
  /** A window's navigation met a 401/407 (after the webContents' own 'login'). */
  on(event: 'login', listener: (event: SenderEvent<WebContents>, webContents: WebContents, authenticationResponseDetails: { url: string }, authInfo: AuthInfo, callback: (username?: string, password?: string) => void) => void): this
  /** A window's navigation met a certificate that failed verification. */
  on(event: 'certificate-error', listener: (event: SenderEvent<WebContents>, webContents: WebContents, url: string, error: string, certificate: Certificate, callback: (isTrusted: boolean) => void, isMainFrame: boolean) => void): this
  once(event: 'quit', listener: (event: Event, exitCode: number) => void): this
}

export interface CommandLine {
  appendSwitch(the_switch: string, value?: string): void
  appendArgument(value: string): void
  hasSwitch(the_switch: string): boolean
  getSwitchValue(the_switch: string): string
  removeSwitch(the_switch: string): void
}

export interface AuthInfo {
  isProxy: boolean
  scheme: string
  host: string
  port: number
  realm: string
}

export interface UploadProgress {
  active: boolean
  started: boolean
  current: number
  total: number
}

export interface ClientRequestConstructorOptions {
  method?: string
  url?: string
  headers?: Record<string, string | string[]>
  /** A Session of this package (typed by a few members, so Electron's Session type fits too). */
  session?: Pick<Session, 'cookies' | 'fetch' | 'getUserAgent' | 'isPersistent'>
  partition?: string
  credentials?: 'include' | 'omit' | 'same-origin'
  useSessionCookies?: boolean
  protocol?: string
  host?: string
  hostname?: string
  port?: number
  path?: string
  redirect?: 'follow' | 'error' | 'manual'
  origin?: string
  referrerPolicy?: string
  cache?: 'default' | 'no-store' | 'reload' | 'no-cache' | 'force-cache' | 'only-if-cached'
  priority?: 'throttled' | 'idle' | 'lowest' | 'low' | 'medium' | 'highest'
  priorityIncremental?: boolean
  /** Skip the session's protocol handlers (http and https reach the network). */
  bypassCustomProtocolHandlers?: boolean
}

export declare class IncomingMessage extends Readable {
  readonly statusCode: number
  readonly statusMessage: string
  readonly headers: Record<string, string | string[]>
  readonly rawHeaders: string[]
  readonly httpVersion: string
  readonly httpVersionMajor: number
  readonly httpVersionMinor: number
  on(event: 'aborted' | 'end' | 'close', listener: () => void): this
  on(event: 'data', listener: (chunk: Buffer) => void): this
  on(event: 'error', listener: (error: Error) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
}

export declare class ClientRequest extends Writable {
  constructor(options: ClientRequestConstructorOptions | string, callback?: (response: IncomingMessage) => void)
  chunkedEncoding: boolean
  setHeader(name: string, value: string | string[]): void
  getHeader(name: string): string
  removeHeader(name: string): void
  followRedirect(): void
  abort(): void
  getUploadProgress(): UploadProgress
  on(event: 'response', listener: (response: IncomingMessage) => void): this
  on(event: 'login', listener: (authInfo: AuthInfo, callback: (username?: string, password?: string) => void) => void): this
  on(event: 'redirect', listener: (statusCode: number, method: string, redirectUrl: string, responseHeaders: Record<string, string[]>) => void): this
  on(event: 'upload-progress', listener: (position: number, total: number) => void): this
  on(event: 'finish' | 'abort' | 'close', listener: () => void): this
  on(event: 'error', listener: (error: Error) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
}

export interface Net {
  request(options: ClientRequestConstructorOptions | string, callback?: (response: IncomingMessage) => void): ClientRequest
  fetch(input: string | URL | globalThis.Request, init?: RequestInit & { bypassCustomProtocolHandlers?: boolean }): Promise<Response>
  resolveHost(host: string, options?: ResolveHostOptions): Promise<ResolvedHost>
  isOnline(): boolean
  readonly online: boolean
}

export type PermissionName = 'clipboard-read' | 'clipboard-sanitized-write' | 'display-capture' | 'fullscreen' |
  'geolocation' | 'idle-detection' | 'media' | 'mediaKeySystem' | 'midi' | 'midiSysex' | 'notifications' |
  'pointerLock' | 'keyboardLock' | 'openExternal' | 'speaker-selection' | 'storage-access' |
  'top-level-storage-access' | 'window-management' | 'unknown' | 'fileSystem' | 'hid' | 'serial' | 'usb' |
  'deprecated-sync-clipboard-read'

export interface PermissionRequest {
  requestingUrl: string
  isMainFrame: boolean
}

export interface OpenExternalPermissionRequest extends PermissionRequest {
  externalURL?: string
}

export interface MediaAccessPermissionRequest extends PermissionRequest {
  securityOrigin?: string
  mediaTypes?: Array<'video' | 'audio'>
}

export interface PermissionCheckHandlerHandlerDetails {
  embeddingOrigin?: string
  securityOrigin?: string
  mediaType?: 'video' | 'audio' | 'unknown'
  requestingUrl?: string
  isMainFrame: boolean
}

/** Electron's shell, as far as sessions reach it: a permitted external-scheme navigation
 * calls openExternal, which by default emits 'open-external' (url, options) and resolves;
 * a program may replace it. */
export interface Shell extends EventEmitter {
  openExternal(url: string, options?: Record<string, unknown>): Promise<void>
}

/** An event of a webContents or window: `preventDefault()` and its sender. */
export interface SenderEvent<T> {
  preventDefault(): void
  readonly defaultPrevented: boolean
  sender: T
}

/** did-start-navigation's and did-redirect-navigation's details. */
export interface NavigationDetails extends SenderEvent<WebContents> {
  url: string
  isSameDocument: boolean
  isMainFrame: boolean
  frame: null
  initiator: null
}

export interface UploadRawData {
  type: 'rawData'
  bytes: Buffer
}

export interface UploadFile {
  type: 'file'
  filePath: string
  offset?: number
  /** Bytes from `offset` (all of the rest when absent). */
  length?: number
  modificationTime?: number
}

export interface LoadURLOptions {
  httpReferrer?: string | { url: string, policy?: string }
  userAgent?: string
  /** "Name: value" lines joined with "\n". */
  extraHeaders?: string
  postData?: Array<UploadRawData | UploadFile>
}

export interface LoadFileOptions {
  query?: Record<string, string>
  search?: string
  hash?: string
}

/** Electron's webContents, headless: navigation through its session, no rendering, no page
 * JavaScript (executeJavaScript rejects with code ERR_NOT_SUPPORTED). */
export declare class WebContents extends EventEmitter {
  static getAllWebContents(): WebContents[]
  static fromId(id: number): WebContents | undefined
  readonly id: number
  readonly session: Session
  /** Resolves on did-finish-load; rejects with `ERR_… (code) loading 'url'` (errno, code, url). */
  loadURL(url: string, options?: LoadURLOptions): Promise<void>
  getURL(): string
  /** The page's title, else its URL. */
  getTitle(): string
  isLoading(): boolean
  isLoadingMainFrame(): boolean
  isDestroyed(): boolean
  reload(): void
  reloadIgnoringCache(): void
  stop(): void
  downloadURL(url: string, options?: { headers?: Record<string, string> }): void
  setUserAgent(userAgent: string): void
  getUserAgent(): string
  getOwnerBrowserWindow(): BrowserWindow | null
  getType(): 'window' | 'remote'
  /** Beyond Electron: runs the session's permission request handler as a page's request
   * would (details default to { requestingUrl: getURL(), isMainFrame: true }). */
  requestPermission(permission: PermissionName, details?: Partial<PermissionRequest> & Record<string, unknown>): Promise<boolean>
  /** Beyond Electron: runs the session's permission check handler (requestingOrigin: the page's origin). */
  checkPermission(permission: PermissionName, details?: Partial<PermissionCheckHandlerHandlerDetails>): boolean
  executeJavaScript(code: string, userGesture?: boolean): Promise<any>
  executeJavaScriptInIsolatedWorld(worldId: number, scripts: Array<{ code: string }>, userGesture?: boolean): Promise<any>
  on(event: 'did-start-navigation' | 'did-redirect-navigation', listener: (details: NavigationDetails, url: string, isInPlace: boolean, isMainFrame: boolean, frameProcessId: number, frameRoutingId: number) => void): this
  on(event: 'did-navigate', listener: (event: SenderEvent<WebContents>, url: string, httpResponseCode: number, httpStatusText: string) => void): this
  on(event: 'did-frame-navigate', listener: (event: SenderEvent<WebContents>, url: string, httpResponseCode: number, httpStatusText: string, isMainFrame: boolean, frameProcessId: number, frameRoutingId: number) => void): this
  on(event: 'did-fail-load', listener: (event: SenderEvent<WebContents>, errorCode: number, errorDescription: string, validatedURL: string, isMainFrame: boolean, frameProcessId: number, frameRoutingId: number) => void): this
  on(event: 'did-frame-finish-load', listener: (event: SenderEvent<WebContents>, isMainFrame: boolean, frameProcessId: number, frameRoutingId: number) => void): this
  on(event: 'page-title-updated', listener: (event: SenderEvent<WebContents>, title: string, explicitSet: boolean) => void): this
  on(event: 'did-start-loading' | 'did-stop-loading' | 'destroyed', listener: () => void): this
  on(event: 'login', listener: (event: SenderEvent<WebContents>, authenticationResponseDetails: { url: string }, authInfo: AuthInfo, callback: (username?: string, password?: string) => void) => void): this
  /** Denied unless a listener calls preventDefault() and callback(true); accepted, the
   * certificate stays accepted for the host in this session. */
  on(event: 'certificate-error', listener: (event: SenderEvent<WebContents>, url: string, error: string, certificate: Certificate, callback: (isTrusted: boolean) => void, isMainFrame: boolean) => void): this
  on(event: 'dom-ready' | 'did-finish-load', listener: (event: SenderEvent<WebContents>) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
}

export interface WebPreferences {
  /** The window's session (`partition` is ignored when given). */
  session?: Session
  /** A partition for `session.fromPartition`. */
  partition?: string
  [other: string]: unknown
}

export interface BrowserWindowConstructorOptions {
  width?: number
  height?: number
  x?: number
  y?: number
  show?: boolean
  title?: string
  webPreferences?: WebPreferences
  [other: string]: unknown
}

export interface Rectangle {
  x: number
  y: number
  width: number
  height: number
}

/** Electron's BrowserWindow, headless: its options kept and answered, nothing drawn. */
export declare class BrowserWindow extends EventEmitter {
  constructor(options?: BrowserWindowConstructorOptions)
  static getAllWindows(): BrowserWindow[]
  static fromId(id: number): BrowserWindow | null
  static fromWebContents(webContents: WebContents): BrowserWindow | null
  static getFocusedWindow(): BrowserWindow | null
  readonly id: number
  readonly webContents: WebContents
  loadURL(url: string, options?: LoadURLOptions): Promise<void>
  loadFile(filePath: string, options?: LoadFileOptions): Promise<void>
  close(): void
  destroy(): void
  isDestroyed(): boolean
  getBounds(): Rectangle
  setBounds(bounds: Partial<Rectangle>): void
  getContentBounds(): Rectangle
  getSize(): number[]
  setSize(width: number, height: number): void
  getPosition(): number[]
  setPosition(x: number, y: number): void
  show(): void
  showInactive(): void
  hide(): void
  isVisible(): boolean
  focus(): void
  blur(): void
  isFocused(): boolean
  minimize(): void
  restore(): void
  isMinimized(): boolean
  maximize(): void
  unmaximize(): void
  isMaximized(): boolean
  getTitle(): string
  setTitle(title: string): void
  on(event: 'close', listener: (event: SenderEvent<BrowserWindow>) => void): this
  on(event: 'closed' | 'ready-to-show', listener: () => void): this
  on(event: 'page-title-updated', listener: (event: SenderEvent<BrowserWindow>, title: string, explicitSet: boolean) => void): this
  on(event: string | symbol, listener: (...args: any[]) => void): this
}

export interface WebContentsModule {
  getAllWebContents(): WebContents[]
  fromId(id: number): WebContents | undefined
  getFocusedWebContents(): WebContents | null
}

export declare const app: App
export declare const session: SessionModule
export declare const webContents: WebContentsModule
export declare const shell: Shell
export declare const net: Net
export declare const protocol: ProtocolModule

/**
 * Electron's type names for code typed against Electron (`Electron.Session`,
 * `Electron.Cookie`, `Electron.OnHeadersReceivedListenerDetails`, ...):
 * `import type { Electron } from 'headless-session'`.
 */
export * as Electron from './index'
