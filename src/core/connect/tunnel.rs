//! HTTP CONNECT through a proxy (Chromium's HttpProxyClientSocket): the request, the
//! proxy's answer, the second leg of an NTLM or Negotiate handshake on the same connection,
//! and Chromium's errors for a refusal.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::stream::Stream;
use crate::core::auth::{self, Challenge};
use crate::core::net_error::NetError;
use crate::core::proxy::credentials::Answer;

/// Longest CONNECT response head read.
const MAX_HEAD: usize = 16 * 1024;
/// Longest 407 body read to keep the connection for a handshake's next leg.
const MAX_CHALLENGE_BODY: usize = 64 * 1024;

/// A parsed CONNECT response head.
struct Head {
    status: u16,
    challenge: Option<Challenge>,
    content_length: Option<usize>,
    keeps_alive: bool,
}

fn parse_head(text: &str) -> Option<Head> {
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let http10 = status_line.starts_with("HTTP/1.0");
    let mut challenges = Vec::new();
    let mut content_length = None;
    let mut keeps_alive = !http10;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "proxy-authenticate" => challenges.push(value),
            "content-length" => content_length = value.parse().ok(),
            "connection" | "proxy-connection" => {
                keeps_alive = value.eq_ignore_ascii_case("keep-alive")
                    || (!http10 && !value.eq_ignore_ascii_case("close"))
            }
            _ => {}
        }
    }
    Some(Head {
        status,
        challenge: auth::pick_challenge(challenges.into_iter()),
        content_length,
        keeps_alive,
    })
}

async fn read_head(stream: &mut Stream) -> Result<Head, NetError> {
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
    parse_head(&String::from_utf8_lossy(&head)).ok_or(NetError::TunnelConnectionFailed)
}

/// CONNECT's request target, `host:port` (brackets around IPv6), which Digest also signs.
pub fn authority(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Asks the proxy on `stream` for a tunnel to `host:port`; `Ok` once it answered 2xx. A
/// 407 that is not the next leg of a handshake begun by `answer` is
/// `Err((ProxyAuthRequested, its challenge))`.
pub async fn connect(
    mut stream: Stream,
    host: &str,
    port: u16,
    answer: Option<Answer>,
    user_agent: &str,
) -> Result<Stream, (NetError, Option<Challenge>)> {
    let authority = authority(host, port);
    let mut authorization = answer.as_ref().map(|a| a.header.clone());
    let mut first_leg = true;
    loop {
        let mut request = format!(
            "CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nProxy-Connection: keep-alive\r\nUser-Agent: {user_agent}\r\n"
        );
        if let Some(value) = &authorization {
            request.push_str(&format!("Proxy-Authorization: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream
            .write_all(request.as_bytes())
            .await
            .map_err(|_| (NetError::TunnelConnectionFailed, None))?;
        let head = read_head(&mut stream).await.map_err(|e| (e, None))?;
        match head.status {
            200..=299 => return Ok(stream),
            407 => {}
            _ => return Err((NetError::TunnelConnectionFailed, None)),
        }
        let challenge = head.challenge;
        // The next leg of NTLM/Negotiate goes on this connection, after the 407's body.
        let next_leg = match (&answer, &challenge) {
            (Some(a), Some(c)) if first_leg && head.keeps_alive => {
                let sent = Challenge {
                    scheme: a.scheme,
                    params: Default::default(),
                };
                a.credentials
                    .as_ref()
                    .filter(|_| auth::continues(&sent, c))
                    .map(|credentials| {
                        auth::authorization(c, credentials, "CONNECT", &authority, 1)
                    })
            }
            _ => None,
        };
        let Some(next_leg) = next_leg else {
            return Err((NetError::ProxyAuthRequested, challenge));
        };
        let length = head.content_length.unwrap_or(0);
        if length > MAX_CHALLENGE_BODY {
            return Err((NetError::ProxyAuthRequested, challenge));
        }
        let mut body = vec![0u8; length];
        stream
            .read_exact(&mut body)
            .await
            .map_err(|_| (NetError::TunnelConnectionFailed, None))?;
        authorization = Some(next_leg);
        first_leg = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_challenges_and_connection_state() {
        let head = parse_head(
            "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\nProxy-Authenticate: NTLM\r\nContent-Length: 12\r\n\r\n",
        )
        .unwrap();
        assert_eq!(head.status, 407);
        assert_eq!(head.challenge.unwrap().scheme, auth::Scheme::Ntlm);
        assert_eq!(head.content_length, Some(12));
        assert!(head.keeps_alive);
        let closing = parse_head("HTTP/1.1 407 x\r\nConnection: close\r\n\r\n").unwrap();
        assert!(!closing.keeps_alive);
        let old = parse_head("HTTP/1.0 407 x\r\n\r\n").unwrap();
        assert!(!old.keeps_alive);
        assert!(parse_head("garbage").is_none());
    }
}
