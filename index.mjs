//! headless-session as an ES module: the CommonJS module's exports under their own names.
//! `import { app, session, net, protocol } from 'headless-session'`
import headless from './index.js'

export const { app, session, net, protocol, BrowserWindow, webContents, shell, Session, Cookies, ClientRequest, IncomingMessage, WebContents } = headless
export default headless
