//! The throttle stage of the connect stack, innermost: where network emulation
//! (`ses.enableNetworkEmulation`) will shape a connection's bytes. An empty slot until the
//! emulation issue fills it: a connection passes as it is.

use super::stream::Conn;

/// The connection as requests will use it.
pub fn wrap(conn: Conn) -> Conn {
    conn
}
