//! headless-session as an ES module: the CommonJS module's exports under their own names.
//! `import { app, session, net, protocol } from 'headless-session'`
import headless from './index.js'

export const { app, session, net, protocol, Session, Cookies, ClientRequest, IncomingMessage } = headless
export default headless
