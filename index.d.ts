// Hand-written public types of headless-session, under Electron's names and shapes.
import { EventEmitter } from 'node:events'

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

export interface Event {
  sender: unknown
  preventDefault(): void
  defaultPrevented: boolean
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

export declare class Session extends EventEmitter {
  private constructor()
  readonly cookies: Cookies
  readonly storagePath: string | null
  getStoragePath(): string | null
  isPersistent(): boolean
  flushStorageData(): void
}

export interface FromPartitionOptions {
  /** Accepted for Electron compatibility; the HTTP cache arrives in a later release. */
  cache?: boolean
  /** Beyond Electron: keep session cookies across restarts of a persistent partition. */
  persistSessionCookies?: boolean
}

export interface SessionModule {
  fromPartition(partition: string, options?: FromPartitionOptions): Session
  fromPath(path: string, options?: FromPartitionOptions): Session
  readonly defaultSession: Session
}

export interface App extends EventEmitter {
  setPath(name: string, path: string): void
  getPath(name: 'userData' | 'sessionData' | 'home' | 'temp' | 'appData' | string): string
  on(event: 'session-created', listener: (session: Session) => void): this
  once(event: 'session-created', listener: (session: Session) => void): this
}

export declare const app: App
export declare const session: SessionModule
/** The network stack arrives in a later release. */
export declare const net: Record<string, never>
/** Custom protocols arrive in a later release. */
export declare const protocol: Record<string, never>
