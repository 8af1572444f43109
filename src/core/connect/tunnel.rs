//! HTTP CONNECT through a proxy (Chromium's HttpProxyClientSocket): the request, the
//! proxy's answer, and Chromium's errors for a refusal.

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::stream::Stream;
use crate::core::net_error::NetError;

/// Longest CONNECT response head read.
const MAX_HEAD: usize = 16 * 1024;

/// The realm of a `Proxy-Authenticate` header in a response head, if any.
fn realm_of(head: &str) -> Option<String> {
    head.split("\r\n")
        .find(|l| l.to_ascii_lowercase().starts_with("proxy-authenticate:"))
        .and_then(|l| l.split("realm=\"").nth(1))
        .and_then(|r| r.split('"').next())
        .map(str::to_owned)
}

/// Asks the proxy on `stream` for a tunnel to `host:port`; `Ok` once it answered 2xx. A 407
/// is `Err((ProxyAuthRequested, realm))`.
pub async fn connect(
    mut stream: Stream,
    host: &str,
    port: u16,
    credentials: Option<&(String, String)>,
    user_agent: &str,
) -> Result<Stream, (NetError, Option<String>)> {
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
        .map_err(|_| (NetError::TunnelConnectionFailed, None))?;
    // Byte by byte: nothing of the tunnel may be read into a buffer that is then lost.
    let mut head = Vec::with_capacity(256);
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return Err((NetError::ResponseHeadersTooBig, None));
        }
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => return Err((NetError::TunnelConnectionFailed, None)),
        }
    }
    let text = String::from_utf8_lossy(&head);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse::<u16>().ok())
        .ok_or((NetError::TunnelConnectionFailed, None))?;
    match status {
        200..=299 => Ok(stream),
        407 => Err((NetError::ProxyAuthRequested, realm_of(&text))),
        _ => Err((NetError::TunnelConnectionFailed, None)),
    }
}
