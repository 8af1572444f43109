// Type test: every member headless-session implements is assignable to Electron's own type
// of it (electron.d.ts from the electron package), so that code typed against Electron
// type-checks against this package. `npm test` runs `tsc -p __test__/types`.
import type * as Electron from 'electron'
import type * as Headless from '../..'

declare const ses: Headless.Session
declare const cookies: Headless.Cookies
declare const net: Headless.Net
declare const request: Headless.ClientRequest
declare const message: Headless.IncomingMessage
declare const cookie: Headless.Cookie
declare const certificate: Headless.Certificate
declare const commandLine: Headless.CommandLine
declare const webRequest: Headless.WebRequest
declare const protocolModule: Headless.ProtocolModule
declare const downloadItem: Headless.DownloadItem
declare const win: Headless.BrowserWindow
declare const contents: Headless.WebContents

// (setPermissionRequestHandler/CheckHandler are left out: their handlers receive this
// package's WebContents, which has a part of Electron's members.)
type SessionMembers = 'cookies' | 'webRequest' | 'storagePath' | 'getStoragePath' | 'isPersistent' | 'flushStorageData' |
  'fetch' | 'setUserAgent' | 'getUserAgent' | 'enableNetworkEmulation' | 'disableNetworkEmulation' | 'downloadURL' | 'createInterruptedDownload' | 'setDownloadPath' | 'clearAuthCache' | 'allowNTLMCredentialsForDomains' | 'closeAllConnections' |
  'clearHostResolverCache' | 'resolveHost' | 'setSSLConfig' | 'setCertificateVerifyProc' |
  'setProxy' | 'resolveProxy' | 'forceReloadProxyConfig' | 'getCacheSize' | 'clearCache' |
  'clearStorageData' | 'clearData' | 'clearCodeCaches'
export const s: Pick<Electron.Session, SessionMembers> = ses
export const c: Pick<Electron.Cookies, 'get' | 'set' | 'remove' | 'flushStore'> = cookies
export const n: Pick<Electron.Net, 'request' | 'fetch' | 'resolveHost' | 'isOnline' | 'online'> = net
export const r: Pick<Electron.ClientRequest, 'chunkedEncoding' | 'setHeader' | 'getHeader' | 'removeHeader' | 'followRedirect' | 'abort' | 'getUploadProgress'> = request
export const m: Pick<Electron.IncomingMessage, 'statusCode' | 'statusMessage' | 'headers' | 'rawHeaders' | 'httpVersion' | 'httpVersionMajor' | 'httpVersionMinor'> = message
export const k: Electron.Cookie = cookie
export const t: Electron.Certificate = certificate
export const l: Pick<Electron.CommandLine, 'appendSwitch' | 'appendArgument' | 'hasSwitch' | 'getSwitchValue' | 'removeSwitch'> = commandLine
export const w: Electron.WebRequest = webRequest
type ProtocolMembers = 'handle' | 'unhandle' | 'isProtocolHandled' | 'registerStringProtocol' |
  'registerBufferProtocol' | 'registerFileProtocol' | 'registerHttpProtocol' | 'registerStreamProtocol' |
  'interceptStringProtocol' | 'interceptBufferProtocol' | 'interceptFileProtocol' | 'interceptHttpProtocol' |
  'interceptStreamProtocol' | 'unregisterProtocol' | 'uninterceptProtocol' | 'isProtocolRegistered' |
  'isProtocolIntercepted' | 'registerSchemesAsPrivileged' | 'registerSource' | 'getSource'
export const p: Pick<Electron.Protocol, ProtocolMembers> = protocolModule
declare const appModule: Headless.App
export const a: Pick<Electron.App, 'whenReady' | 'isReady' | 'quit' | 'exit' | 'getName' | 'setName' | 'getVersion' | 'setPath' | 'getPath' |
  'name' | 'getAppPath' | 'isPackaged'> = appModule
export const d: Pick<Electron.DownloadItem, 'setSavePath' | 'getSavePath' | 'savePath' | 'pause' | 'isPaused' | 'resume' |
  'canResume' | 'cancel' | 'getURL' | 'getURLChain' | 'getMimeType' | 'hasUserGesture' | 'getFilename' |
  'getCurrentBytesPerSecond' | 'getTotalBytes' | 'getReceivedBytes' | 'getPercentComplete' | 'getContentDisposition' |
  'getState' | 'getLastModifiedTime' | 'getETag' | 'getStartTime' | 'getEndTime'> = downloadItem
type WindowMembers = 'id' | 'loadURL' | 'loadFile' | 'close' | 'destroy' | 'isDestroyed' | 'getBounds' | 'setBounds' |
  'getContentBounds' | 'getSize' | 'setSize' | 'getPosition' | 'setPosition' | 'show' | 'showInactive' | 'hide' |
  'isVisible' | 'focus' | 'blur' | 'isFocused' | 'minimize' | 'restore' | 'isMinimized' | 'maximize' | 'unmaximize' |
  'isMaximized' | 'getTitle' | 'setTitle'
export const bw: Pick<Electron.BrowserWindow, WindowMembers> = win
export const wc: Pick<Electron.WebContents, 'id' | 'loadURL' | 'getURL' | 'getTitle' | 'isLoading' | 'isLoadingMainFrame' |
  'isDestroyed' | 'reload' | 'reloadIgnoringCache' | 'stop' | 'downloadURL' | 'setUserAgent' | 'getUserAgent' | 'getType' |
  'executeJavaScript' | 'executeJavaScriptInIsolatedWorld'> = contents
