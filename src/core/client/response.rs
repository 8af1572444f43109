//! A response as the stack hands it back: the head (status, reason, version, headers in
//! order) and a body that yields decoded chunks (gzip, deflate, br, zstd) and names a
//! broken transfer as Chromium does.

use std::pin::Pin;

use bytes::{Bytes, BytesMut};
use futures_util::FutureExt;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio_util::sync::CancellationToken;

use super::transport::body_error;
use crate::core::cache::store::StoredBody;
use crate::core::cache::CacheWrite;
use crate::core::net_error::NetError;
use crate::core::protocol::ProtocolBody;

pub use crate::core::message::ResponseHead;

enum Source {
    Empty,
    Raw(Incoming),
    Decoded(Pin<Box<dyn AsyncRead + Send>>),
    /// A whole body in memory (protocol handlers).
    Full(Option<Bytes>),
    /// Pieces fed by a producer (a JS protocol handler's stream); closed at the end.
    Channel(tokio::sync::mpsc::Receiver<Result<Bytes, NetError>>),
    /// Bytes of a reader up to a length (files, large cache entries), and the error a
    /// failed read is.
    Reader(Pin<Box<dyn AsyncRead + Send>>, NetError),
}

/// The body of a response, read in chunks.
pub struct ResponseBody {
    source: Source,
    /// Bytes read off `source` that are handed over before it (a drain that stopped).
    prefix: Option<Bytes>,
    /// An error met while joining pieces: the pieces before it are handed over first.
    deferred_error: Option<NetError>,
    chunked: bool,
    done: bool,
    epoch: Option<CancellationToken>,
    on_end: Option<EndCallback>,
    /// The HTTP cache's copy, written as the caller reads.
    cache: Option<CacheWrite>,
}

/// Told how a body ended: `None` when read to the end, else the error (`net::ERR_ABORTED`
/// when it was dropped unfinished).
type EndCallback = Box<dyn FnOnce(Option<NetError>) + Send>;

impl Drop for ResponseBody {
    fn drop(&mut self) {
        if let Some(on_end) = self.on_end.take() {
            on_end(Some(NetError::Aborted));
        }
    }
}

/// Largest piece one `read` hands over.
pub const MAX_READ: usize = 1 << 20;

/// Pieces at least this long are handed over as they are: joining them would copy every
/// byte once more for no saving (the per-piece cost is already small against their size).
pub(super) const JOIN_BELOW: usize = 64 * 1024;

impl ResponseBody {
    /// An empty body (HEAD, 204, 304).
    pub fn empty() -> Self {
        Self {
            source: Source::Empty,
            prefix: None,
            deferred_error: None,
            chunked: false,
            done: true,
            epoch: None,
            on_end: None,
            cache: None,
        }
    }

    /// The body of `head`'s response, decoded per its Content-Encoding.
    pub fn new(incoming: Incoming, head: &ResponseHead) -> Self {
        let chunked = head
            .value("transfer-encoding")
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        let encoding = head
            .value("content-encoding")
            .map(|v| v.trim().to_ascii_lowercase());
        let source = match encoding.as_deref() {
            Some(e @ ("gzip" | "x-gzip" | "deflate" | "br" | "zstd")) => {
                Source::Decoded(super::decode::decoder(e, incoming, chunked))
            }
            // Unknown codings pass through, as in Chromium.
            _ => Source::Raw(incoming),
        };
        Self {
            source,
            prefix: None,
            deferred_error: None,
            chunked,
            done: false,
            epoch: None,
            on_end: None,
            cache: None,
        }
    }

    /// Calls `f` once the body has ended (at once if it already has).
    pub fn on_end(mut self, f: impl FnOnce(Option<NetError>) + Send + 'static) -> Self {
        if self.done {
            f(None);
        } else {
            self.on_end = Some(Box::new(f));
        }
        self
    }

    fn end(&mut self, error: Option<NetError>) {
        if let Some(on_end) = self.on_end.take() {
            on_end(error);
        }
    }

    /// Writes every piece the caller reads into the HTTP cache too; the entry is kept once
    /// the body has been read to its end (at once for a body already at its end).
    pub async fn kept_in(mut self, write: CacheWrite) -> Self {
        if self.done && self.prefix.is_none() {
            write.end(true).await;
        } else {
            self.cache = Some(write);
        }
        self
    }

    /// A body already in memory.
    pub fn full(bytes: Bytes) -> Self {
        Self::with_source(Source::Full((!bytes.is_empty()).then_some(bytes)))
    }

    /// The body a protocol handler (or `file:`/`data:`) answered with.
    pub fn from_handler(body: ProtocolBody) -> Self {
        match body {
            ProtocolBody::Full(bytes) => Self::full(bytes),
            ProtocolBody::Channel(rx) => Self::with_source(Source::Channel(rx)),
            ProtocolBody::Reader(reader) => {
                Self::with_source(Source::Reader(reader, NetError::FileNotFound))
            }
        }
    }

    /// A body the HTTP cache answered with.
    pub fn from_cache(body: StoredBody) -> Self {
        match body {
            StoredBody::Bytes(bytes) => Self::full(bytes),
            StoredBody::Reader(reader, _) => {
                Self::with_source(Source::Reader(reader, NetError::CacheReadFailure))
            }
        }
    }

    fn with_source(source: Source) -> Self {
        Self {
            source,
            prefix: None,
            deferred_error: None,
            chunked: false,
            done: false,
            epoch: None,
            on_end: None,
            cache: None,
        }
    }

    /// The whole body in memory when it is at most `limit` bytes (Content-Length says so,
    /// or a chunked body ends within it): reading it to the end frees the connection for an
    /// auth handshake's next leg, as Chromium drains a 401/407 body. A longer body is handed
    /// back whole, what was read first included.
    pub async fn buffered_if_short(
        self,
        head: &ResponseHead,
        limit: u64,
    ) -> Result<Self, NetError> {
        let declared = head
            .value("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|len| len > limit) || (declared.is_none() && !self.chunked) {
            return Ok(self);
        }
        if self.done {
            return Ok(self);
        }
        let mut body = self;
        let mut all = BytesMut::new();
        while let Some(piece) = body.read(MAX_READ).await? {
            all.extend_from_slice(&piece);
            if all.len() as u64 > limit {
                body.prefix = Some(all.freeze());
                return Ok(body);
            }
        }
        Ok(Self::full(all.freeze()))
    }

    /// The token that ends the body's reads (see `ending_with`), if any.
    pub(super) fn epoch(&self) -> Option<CancellationToken> {
        self.epoch.clone()
    }

    /// Fails the body's reads with `net::ERR_ABORTED` once `epoch` is cancelled (the
    /// session's connections were closed).
    pub fn ending_with(mut self, epoch: CancellationToken) -> Self {
        self.epoch = Some(epoch);
        self
    }

    /// True once the body has been read to its end.
    pub fn is_done(&self) -> bool {
        self.done && self.deferred_error.is_none()
    }

    /// Waits for data, then also takes whatever else is ready at once, up to `limit` bytes.
    /// `None` at the end.
    pub async fn read(&mut self, limit: usize) -> Result<Option<Bytes>, NetError> {
        if let Some(error) = self.deferred_error.take() {
            return Err(error);
        }
        let Some(first) = self.next_piece(limit).await? else {
            return Ok(None);
        };
        if first.len() >= limit.min(JOIN_BELOW) {
            return Ok(Some(first));
        }
        let mut more: Option<BytesMut> = None;
        let mut total = first.len();
        while total < limit && !self.done {
            match self.next_piece(limit - total).now_or_never() {
                Some(Ok(Some(piece))) => {
                    total += piece.len();
                    more.get_or_insert_with(|| BytesMut::from(&first[..]))
                        .extend_from_slice(&piece);
                }
                Some(Ok(None)) | None => break,
                // What arrived before the error is handed over; the error comes next.
                Some(Err(e)) => {
                    self.deferred_error = Some(e);
                    break;
                }
            }
        }
        Ok(Some(more.map_or(first, BytesMut::freeze)))
    }

    /// Reads what is ready without waiting (for handing a small body over with the head).
    pub fn read_ready(&mut self, limit: usize) -> Result<Option<Bytes>, NetError> {
        match self.read(limit).now_or_never() {
            Some(result) => result,
            None => Ok(None),
        }
    }

    async fn next_piece(&mut self, limit: usize) -> Result<Option<Bytes>, NetError> {
        let result = self.next_piece_uncached(limit).await;
        if let Some(cache) = &mut self.cache {
            match &result {
                Ok(Some(piece)) => cache.piece(piece),
                Ok(None) => {
                    if let Some(cache) = self.cache.take() {
                        cache.end(true).await;
                    }
                }
                Err(_) => self.cache = None,
            }
        }
        result
    }

    async fn next_piece_uncached(&mut self, limit: usize) -> Result<Option<Bytes>, NetError> {
        if let Some(prefix) = self.prefix.take() {
            return Ok(Some(prefix));
        }
        if self.done {
            return Ok(None);
        }
        let result = self.read_source(limit).await;
        match &result {
            Ok(Some(_)) => {}
            Ok(None) => {
                self.done = true;
                self.end(None);
            }
            Err(e) => {
                self.done = true;
                self.end(Some(*e));
            }
        }
        result
    }

    async fn read_source(&mut self, limit: usize) -> Result<Option<Bytes>, NetError> {
        let chunked = self.chunked;
        let piece = match &mut self.source {
            Source::Empty => None,
            Source::Raw(incoming) => loop {
                match incoming.frame().await {
                    None => break None,
                    Some(Err(e)) => return Err(body_error(&e, chunked)),
                    Some(Ok(frame)) => match frame.into_data() {
                        Ok(data) if !data.is_empty() => break Some(data),
                        _ => continue,
                    },
                }
            },
            Source::Decoded(reader) => {
                let mut buf = BytesMut::with_capacity(limit.min(64 * 1024));
                match reader.read_buf(&mut buf).await {
                    Ok(0) => None,
                    Ok(_) => Some(buf.freeze()),
                    Err(e) => return Err(super::decode::read_error(&e, chunked)),
                }
            }
            Source::Full(bytes) => bytes.take(),
            Source::Channel(rx) => loop {
                match rx.recv().await {
                    None => break None,
                    Some(Err(e)) => return Err(e),
                    Some(Ok(piece)) if piece.is_empty() => continue,
                    Some(Ok(piece)) => break Some(piece),
                }
            },
            Source::Reader(reader, error) => {
                let mut buf = BytesMut::with_capacity(limit.min(256 * 1024));
                match reader.read_buf(&mut buf).await {
                    Ok(0) => None,
                    Ok(_) => Some(buf.freeze()),
                    Err(_) => return Err(*error),
                }
            }
        };
        Ok(piece)
    }
}
