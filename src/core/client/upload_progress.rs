//! Upload progress as ClientRequest's `upload-progress` reports it: the body's bytes as hyper
//! takes them for the socket, in pieces of at most 64 KiB so that a large buffered body
//! reports as it goes out. As Chromium's upload data stream: the position against the size,
//! the size 0 for a chunked upload; a body sent again (a redirect, an auth leg) starts over.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// Told `(position, total)` after each piece.
pub type ProgressReport = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// The most bytes handed over between two reports.
const PIECE: usize = 64 * 1024;

/// `inner`, reporting its progress.
pub struct Reported<B> {
    inner: B,
    rest: Bytes,
    sent: u64,
    total: u64,
    report: ProgressReport,
}

impl<B: Body<Data = Bytes>> Reported<B> {
    /// Wraps `inner`; its total is its exact size, or 0 when it has none (chunked).
    pub fn new(inner: B, report: ProgressReport) -> Self {
        let total = inner.size_hint().exact().unwrap_or(0);
        Self {
            inner,
            rest: Bytes::new(),
            sent: 0,
            total,
            report,
        }
    }

    fn piece(&mut self) -> Frame<Bytes> {
        let piece = self.rest.split_to(self.rest.len().min(PIECE));
        self.sent += piece.len() as u64;
        (self.report)(self.sent, self.total);
        Frame::data(piece)
    }
}

impl<B: Body<Data = Bytes> + Unpin> Body for Reported<B> {
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if !this.rest.is_empty() {
            return Poll::Ready(Some(Ok(this.piece())));
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                Ok(data) if data.is_empty() => Poll::Ready(Some(Ok(Frame::data(data)))),
                Ok(data) => {
                    this.rest = data;
                    Poll::Ready(Some(Ok(this.piece())))
                }
                Err(frame) => Poll::Ready(Some(Ok(frame))),
            },
            other => other,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.rest.is_empty() && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        let inner = self.inner.size_hint();
        let rest = self.rest.len() as u64;
        let mut hint = SizeHint::new();
        hint.set_lower(inner.lower() + rest);
        if let Some(upper) = inner.upper() {
            hint.set_upper(upper + rest);
        }
        hint
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use http_body_util::{BodyExt, Full};

    use super::*;

    #[tokio::test]
    async fn reports_each_piece_against_the_size() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let report: ProgressReport = Arc::new(move |at, of| log.lock().unwrap().push((at, of)));
        let body = Reported::new(Full::new(Bytes::from(vec![7u8; 150 * 1024])), report);
        assert_eq!(body.size_hint().exact(), Some(150 * 1024));
        let bytes = body.collect().await.unwrap().to_bytes();
        assert_eq!(bytes.len(), 150 * 1024);
        let total = 150 * 1024;
        assert_eq!(
            *seen.lock().unwrap(),
            [(65536, total), (131072, total), (153600, total)]
        );
    }
}
