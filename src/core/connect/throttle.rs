//! The throttle stage of the connect stack, outermost on the byte stream: each read and
//! write of a connection draws its bytes from the session's emulation buckets
//! (`crate::core::emulation`), waiting on a timer when they are empty. Without a rate a
//! read or write passes straight through (one atomic load).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

use crate::core::emulation::{Emulation, Grant, TokenBucket};

/// A stream whose bytes are metered by an emulation (none: unmetered).
pub struct Throttled<S> {
    inner: S,
    emulation: Option<Arc<Emulation>>,
    read_wait: Option<Pin<Box<Sleep>>>,
    write_wait: Option<Pin<Box<Sleep>>>,
}

impl<S> Throttled<S> {
    /// `inner`, unmetered until `set` gives it an emulation.
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            emulation: None,
            read_wait: None,
            write_wait: None,
        }
    }

    /// Meters this stream by `emulation`.
    pub fn set(&mut self, emulation: Arc<Emulation>) {
        self.emulation = Some(emulation);
    }

    /// The stream inside.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

/// A grant from `bucket`, waiting on `wait` (kept across polls) while it is empty.
fn grant(
    bucket: &TokenBucket,
    wait: &mut Option<Pin<Box<Sleep>>>,
    want: usize,
    cx: &mut Context<'_>,
) -> Poll<Grant> {
    loop {
        if let Some(sleep) = wait.as_mut() {
            ready!(sleep.as_mut().poll(cx));
            *wait = None;
        }
        match bucket.reserve(want) {
            Grant::Wait(duration) => *wait = Some(Box::pin(tokio::time::sleep(duration))),
            granted => return Poll::Ready(granted),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Throttled<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let Some(emulation) = &this.emulation else {
            return Pin::new(&mut this.inner).poll_read(cx, buf);
        };
        let bucket = &emulation.download;
        match ready!(grant(bucket, &mut this.read_wait, buf.remaining(), cx)) {
            Grant::Bytes(allowed) => {
                let mut limited = buf.take(allowed);
                let result = Pin::new(&mut this.inner).poll_read(cx, &mut limited);
                let filled = limited.filled().len();
                // SAFETY: `limited` is `buf`'s unfilled part, and the reader initialised
                // and filled its first `filled` bytes.
                unsafe { buf.assume_init(filled) };
                buf.advance(filled);
                bucket.refund(allowed - filled);
                result
            }
            _ => Pin::new(&mut this.inner).poll_read(cx, buf),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Throttled<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let Some(emulation) = &this.emulation else {
            return Pin::new(&mut this.inner).poll_write(cx, buf);
        };
        let bucket = &emulation.upload;
        match ready!(grant(bucket, &mut this.write_wait, buf.len(), cx)) {
            Grant::Bytes(allowed) => {
                let result = Pin::new(&mut this.inner).poll_write(cx, &buf[..allowed]);
                let written = match &result {
                    Poll::Ready(Ok(n)) => *n,
                    _ => 0,
                };
                bucket.refund(allowed - written);
                result
            }
            _ => Pin::new(&mut this.inner).poll_write(cx, buf),
        }
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let unmetered = self
            .emulation
            .as_ref()
            .is_none_or(|e| e.upload.rate() <= 0.0);
        if unmetered {
            return Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs);
        }
        let first = bufs
            .iter()
            .find(|b| !b.is_empty())
            .map_or(&[][..], |b| &b[..]);
        self.poll_write(cx, first)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
