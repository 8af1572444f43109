//! HTTP CONNECT through a proxy (Chromium's HttpProxyClientSocket): the request, the
//! proxy's answer, and Chromium's errors for a refusal.

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::stream::Stream;
use crate::core::net_error::NetError;

/// Longest CONNECT response head read.
const MAX_HEAD: usize = 16 * 1024;

/// Asks the proxy on `stream` for a tunnel to `host:port`; `Ok` once it answered 2xx.
pub async fn connect(
    mut stream: Stream,
    host: &str,
    port: u16,
    credentials: Option<&(String, String)>,
    user_agent: &str,
) -> Result<Stream, NetError> {
    let authority = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut request = format!(
        "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nProxy-Connection: keep-alive\r\nUser-Agent: {user_agent}\r\n"
    );
    if let Some((user, pass)) = credentials {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"));
        request.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|_| NetError::TunnelConnectionFailed)?;
    // Byte by byte: nothing of the tunnel may be read into a buffer that is then lost.
    let mut head = Vec::with_capacity(256);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return Err(NetError::ResponseHeadersTooBig);
        }
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return Err(NetError::TunnelConnectionFailed),
        }
    }
    let status = std::str::from_utf8(&head)
        .ok()
        .and_then(|h| h.split_whitespace().nth(1))
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or(NetError::TunnelConnectionFailed)?;
    match status {
        200..=299 => Ok(stream),
        407 => Err(NetError::ProxyAuthRequested),
        _ => Err(NetError::TunnelConnectionFailed),
    }
}
