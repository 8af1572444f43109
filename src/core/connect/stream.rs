//! The byte stream a connection ends up as: plain TCP or TLS over it, with a head tap on
//! HTTP/1 (`head_tap`). It tells hyper-util's pool whether ALPN chose HTTP/2, and gives each
//! response the peer's address and the tap.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::client::TlsStream;

use super::head_tap::Tapped;
use super::throttle::Throttled;
use crate::core::emulation::Emulation;

/// A connected stream.
pub enum Stream {
    /// Cleartext TCP (direct, or a tunnel through a SOCKS proxy or a CONNECT).
    Plain(TcpStream),
    /// TLS over a stream (to the server, or to an HTTPS proxy, or both nested).
    Tls(Box<TlsStream<Stream>>),
}

impl Stream {
    fn negotiated_h2(&self) -> bool {
        match self {
            Self::Plain(_) => false,
            Self::Tls(tls) => tls.get_ref().1.alpn_protocol() == Some(b"h2"),
        }
    }
}

/// The peer address of a connection, carried into each response's extensions.
#[derive(Debug, Clone, Copy)]
pub struct RemoteIp(pub std::net::IpAddr);

impl Stream {
    fn peer_ip(&self) -> Option<std::net::IpAddr> {
        match self {
            Self::Plain(s) => s.peer_addr().ok().map(|a| a.ip()),
            Self::Tls(s) => s.get_ref().0.peer_ip(),
        }
    }
}

/// A stream as hyper uses it (hyper's IO traits, and the pool's `Connection`): the
/// connected stream, its head tap, and the throttle over both.
pub struct Conn(TokioIo<Throttled<Tapped<Stream>>>, bool);

impl Conn {
    /// Wraps a connected stream.
    pub fn new(stream: Stream) -> Self {
        let http1 = !stream.negotiated_h2();
        Self(
            TokioIo::new(Throttled::new(Tapped::new(stream, http1))),
            false,
        )
    }

    /// Wraps a stream to an HTTP proxy that forwards plain http requests (sent in
    /// absolute-form).
    pub fn via_http_proxy(stream: Stream) -> Self {
        Self(
            TokioIo::new(Throttled::new(Tapped::new(stream, true))),
            true,
        )
    }

    /// Meters this connection's bytes by the session's `emulation`.
    pub fn throttle(&mut self, emulation: Arc<Emulation>) {
        self.0.inner_mut().set(emulation);
    }
}

impl Connection for Conn {
    fn connected(&self) -> Connected {
        let tapped = self.0.inner().get_ref();
        let mut connected = Connected::new();
        if let Some(ip) = tapped.get_ref().peer_ip() {
            connected = connected.extra(RemoteIp(ip));
        }
        if let Some(tap) = tapped.tap() {
            connected = connected.extra(tap.clone());
        }
        connected = connected.proxy(self.1);
        if tapped.get_ref().negotiated_h2() {
            connected.negotiated_h2()
        } else {
            connected
        }
    }
}

impl hyper::rt::Read for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        hyper::rt::Write::is_write_vectored(&self.0)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_write_vectored(cx, bufs),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_write_vectored(cx, bufs),
        }
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Self::Plain(s) => s.is_write_vectored(),
            Self::Tls(s) => s.is_write_vectored(),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}
