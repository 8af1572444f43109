//! Direct TCP: tries each resolved address in turn (Chromium's order), with a connect
//! timeout, and names failures as Chromium does.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::net::TcpStream;

use crate::core::net_error::NetError;

/// Chromium's TCP connect timeout per attempt.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);

/// Connects to the first address that answers; the last failure names the error.
pub async fn connect(addresses: &[SocketAddr]) -> Result<TcpStream, NetError> {
    let mut last = NetError::NameNotResolved;
    for address in addresses {
        match tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(address)).await {
            Ok(Ok(stream)) => {
                // Requests are small writes; waiting for Nagle only adds latency.
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Ok(Err(e)) => last = io_error(&e),
            Err(_) => last = NetError::ConnectionTimedOut,
        }
    }
    Err(last)
}

/// Chromium's name for a socket error.
pub fn io_error(e: &io::Error) -> NetError {
    match e.kind() {
        io::ErrorKind::ConnectionRefused => NetError::ConnectionRefused,
        io::ErrorKind::ConnectionReset => NetError::ConnectionReset,
        io::ErrorKind::ConnectionAborted => NetError::ConnectionAborted,
        io::ErrorKind::TimedOut => NetError::ConnectionTimedOut,
        io::ErrorKind::AddrNotAvailable => NetError::AddressInvalid,
        io::ErrorKind::NetworkUnreachable | io::ErrorKind::HostUnreachable => {
            NetError::AddressUnreachable
        }
        io::ErrorKind::UnexpectedEof | io::ErrorKind::BrokenPipe => NetError::ConnectionClosed,
        _ => NetError::ConnectionFailed,
    }
}
