//! The server's own spelling and order of an HTTP/1 response head. hyper lowercases header
//! names and groups a repeated name's values (its case map is private: hyper#2695), while
//! Electron's `rawHeaders` and webRequest's `responseHeaders` show them as sent. The tap sits
//! under hyper on an HTTP/1 connection: from the first byte of a request written until the
//! next final (non-1xx) response head is complete, it keeps the bytes hyper reads and parses
//! that head with httparse, hyper's own parser. The transport takes the head off the tap as
//! soon as hyper answers, and the request stack uses it only where it agrees with what hyper
//! parsed (`RawHead::agrees_with`), so a tap that lost track costs the case, never a header.

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// The most head bytes kept (Chromium's response header limit, 256 KiB, and a status line).
const MAX_HEAD_BYTES: usize = 256 * 1024 + 1024;

/// The most header lines parsed (as the transport's limit).
const MAX_HEAD_LINES: usize = 16 * 1024;

/// A response head as the server wrote it.
#[derive(Debug, Clone)]
pub struct RawHead {
    /// The status code.
    pub status: u16,
    /// Names as spelled and values as bytes, in the order sent, repeats kept.
    pub headers: Vec<(String, Vec<u8>)>,
}

impl RawHead {
    /// Whether this is the head hyper parsed as `status` and `headers`: the same status, and
    /// the same values under each name in the same order, nothing more or less.
    pub fn agrees_with(&self, status: u16, headers: &http::HeaderMap) -> bool {
        if self.status != status || self.headers.len() != headers.len() {
            return false;
        }
        let mut seen: HashMap<String, usize> = HashMap::new();
        self.headers.iter().all(|(name, value)| {
            let index = seen.entry(name.to_ascii_lowercase()).or_insert(0);
            let found = headers
                .get_all(name.as_str())
                .iter()
                .nth(*index)
                .is_some_and(|v| v.as_bytes() == value.as_slice());
            *index += 1;
            found
        })
    }
}

enum Phase {
    /// Between a response head and the next request.
    Idle,
    /// A request is going out: its response head is being read.
    Reading(Vec<u8>),
    /// The head is here, until the transport takes it.
    Captured(RawHead),
}

/// One connection's tap, shared with the pool's connection info so that each response can
/// take its head (`take`).
#[derive(Clone)]
pub struct HeadTap(Arc<Mutex<Phase>>);

impl HeadTap {
    fn new() -> Self {
        Self(Arc::new(Mutex::new(Phase::Idle)))
    }

    fn phase(&self) -> std::sync::MutexGuard<'_, Phase> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The head of the response hyper just returned, if the tap read one.
    pub fn take(&self) -> Option<RawHead> {
        match std::mem::replace(&mut *self.phase(), Phase::Idle) {
            Phase::Captured(head) => Some(head),
            _ => None,
        }
    }

    fn wrote(&self) {
        let mut phase = self.phase();
        if matches!(*phase, Phase::Idle) {
            *phase = Phase::Reading(Vec::new());
        }
    }

    fn read(&self, bytes: &[u8]) {
        let mut phase = self.phase();
        let Phase::Reading(buffer) = &mut *phase else {
            return;
        };
        buffer.extend_from_slice(bytes);
        *phase = match parse_final_head(buffer) {
            Ok(Some(head)) => Phase::Captured(head),
            Ok(None) if buffer.len() <= MAX_HEAD_BYTES => return,
            // Too long or not a head: hyper decides what it is; no case for this one.
            _ => Phase::Idle,
        };
    }
}

/// The first final response head in `buffer` (1xx heads before it are skipped, as hyper
/// skips them), `None` while it is incomplete, an error when it is not a head.
fn parse_final_head(buffer: &mut Vec<u8>) -> Result<Option<RawHead>, ()> {
    loop {
        let mut lines = 64;
        let (length, head) = loop {
            let mut slots = vec![httparse::EMPTY_HEADER; lines];
            let mut response = httparse::Response::new(&mut slots);
            match response.parse(buffer) {
                Ok(httparse::Status::Complete(length)) => {
                    let head = RawHead {
                        status: response.code.ok_or(())?,
                        headers: response
                            .headers
                            .iter()
                            .map(|h| (h.name.to_owned(), h.value.to_vec()))
                            .collect(),
                    };
                    break (length, head);
                }
                Ok(httparse::Status::Partial) => return Ok(None),
                Err(httparse::Error::TooManyHeaders) if lines < MAX_HEAD_LINES => lines *= 8,
                Err(_) => return Err(()),
            }
        };
        if (100..200).contains(&head.status) && head.status != 101 {
            buffer.drain(..length);
            continue;
        }
        return Ok(Some(head));
    }
}

/// A stream with a tap on it (none for HTTP/2, whose names are lower case on the wire).
pub struct Tapped<S> {
    stream: S,
    tap: Option<HeadTap>,
}

impl<S> Tapped<S> {
    /// `stream`, tapped when it carries HTTP/1.
    pub fn new(stream: S, http1: bool) -> Self {
        Self {
            stream,
            tap: http1.then(HeadTap::new),
        }
    }

    /// The stream under the tap.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// The tap, for the pool's connection info.
    pub fn tap(&self) -> Option<&HeadTap> {
        self.tap.as_ref()
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Tapped<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = Pin::new(&mut this.stream).poll_read(cx, buf);
        if let (Some(tap), Poll::Ready(Ok(()))) = (&this.tap, &result) {
            if buf.filled().len() > before {
                tap.read(&buf.filled()[before..]);
            }
        }
        result
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Tapped<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(tap) = &this.tap {
            tap.wrote();
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(tap) = &this.tap {
            tap.wrote();
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(bytes: &[u8]) -> Option<RawHead> {
        let tap = HeadTap::new();
        tap.wrote();
        for piece in bytes.chunks(7) {
            tap.read(piece);
        }
        tap.take()
    }

    #[test]
    fn keeps_names_order_and_repeats_across_reads() {
        let raw = head(
            b"HTTP/1.1 200 OK\r\nSome-Custom: a\r\nSet-Cookie: x=1\r\nsome-custom: b\r\n\r\nbody",
        )
        .unwrap();
        assert_eq!(raw.status, 200);
        let names: Vec<_> = raw.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["Some-Custom", "Set-Cookie", "some-custom"]);
        let mut map = http::HeaderMap::new();
        map.append("some-custom", "a".parse().unwrap());
        map.append("some-custom", "b".parse().unwrap());
        map.append("set-cookie", "x=1".parse().unwrap());
        assert!(raw.agrees_with(200, &map));
        map.append("set-cookie", "y=2".parse().unwrap());
        assert!(!raw.agrees_with(200, &map));
    }

    #[test]
    fn skips_informational_heads_and_ignores_reads_before_a_request() {
        let tap = HeadTap::new();
        tap.read(b"HTTP/1.1 200 OK\r\n\r\n");
        assert!(tap.take().is_none());
        let raw =
            head(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nX-A: 1\r\n\r\n").unwrap();
        assert_eq!(raw.status, 201);
        assert_eq!(raw.headers, [("X-A".to_owned(), b"1".to_vec())]);
    }

    #[test]
    fn gives_up_on_what_is_not_a_head() {
        assert!(head(b"\x00\x01garbage\r\n\r\n").is_none());
        let many: String = (0..2000).map(|i| format!("H{i}: v\r\n")).collect();
        let raw = head(format!("HTTP/1.1 200 OK\r\n{many}\r\n").as_bytes()).unwrap();
        assert_eq!(raw.headers.len(), 2000);
    }
}
