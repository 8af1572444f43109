//! A response body read ahead by a task of its own, so that the network keeps flowing while
//! the caller (JS, a download's writer) handles the previous piece; at most `depth` pieces
//! wait in memory, and a read hands over everything already there, joined.

use bytes::{Bytes, BytesMut};

use super::response::{ResponseBody, JOIN_BELOW, MAX_READ};
use crate::core::net_error::NetError;

/// A body being read ahead.
pub struct Prefetched {
    rx: tokio::sync::mpsc::Receiver<Result<Bytes, NetError>>,
    done: bool,
    /// A failure that came after pieces a read had already joined: reported by the next
    /// read, so those bytes are handed over first (as `ResponseBody::read` does).
    deferred_error: Option<NetError>,
}

impl ResponseBody {
    /// Starts reading ahead on the current tokio runtime.
    pub fn prefetch(mut self, depth: usize) -> Prefetched {
        let (tx, rx) = tokio::sync::mpsc::channel(depth.max(1));
        let epoch = self.epoch().unwrap_or_default();
        tokio::spawn(async move {
            loop {
                let piece = tokio::select! {
                    // The reader went away (cancelled or dropped): stop reading.
                    _ = tx.closed() => return,
                    _ = epoch.cancelled() => Err(NetError::Aborted),
                    piece = self.read(MAX_READ) => piece,
                };
                let end = !matches!(piece, Ok(Some(_)));
                let message = match piece {
                    Ok(Some(bytes)) => Ok(bytes),
                    Ok(None) => return,
                    Err(e) => Err(e),
                };
                if tx.send(message).await.is_err() || end {
                    return;
                }
            }
        });
        Prefetched {
            rx,
            done: false,
            deferred_error: None,
        }
    }
}

impl Prefetched {
    /// The next piece: everything already read ahead, joined up to `limit` bytes; `None` at
    /// the end.
    pub async fn read(&mut self, limit: usize) -> Result<Option<Bytes>, NetError> {
        if let Some(error) = self.deferred_error.take() {
            self.done = true;
            return Err(error);
        }
        if self.done {
            return Ok(None);
        }
        let first = match self.rx.recv().await {
            None => {
                self.done = true;
                return Ok(None);
            }
            Some(piece) => piece?,
        };
        if first.len() >= limit.min(JOIN_BELOW) {
            return Ok(Some(first));
        }
        let mut joined: Option<BytesMut> = None;
        let mut total = first.len();
        while total < limit {
            match self.rx.try_recv() {
                Ok(Ok(piece)) => {
                    total += piece.len();
                    joined
                        .get_or_insert_with(|| BytesMut::from(&first[..]))
                        .extend_from_slice(&piece);
                }
                Ok(Err(e)) => {
                    self.deferred_error = Some(e);
                    break;
                }
                Err(_) => break,
            }
        }
        Ok(Some(joined.map_or(first, BytesMut::freeze)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::protocol::ProtocolBody;

    #[tokio::test]
    async fn bytes_read_ahead_come_before_the_error_after_them() {
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        tx.send(Ok(Bytes::from("part one, "))).await.unwrap();
        tx.send(Ok(Bytes::from("part two"))).await.unwrap();
        tx.send(Err(NetError::ConnectionReset)).await.unwrap();
        drop(tx);
        let mut body = ResponseBody::from_handler(ProtocolBody::Channel(rx)).prefetch(4);
        // Let the task read all three ahead.
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(
            body.read(MAX_READ).await,
            Ok(Some(Bytes::from("part one, part two")))
        );
        assert_eq!(body.read(MAX_READ).await, Err(NetError::ConnectionReset));
        assert_eq!(body.read(MAX_READ).await, Ok(None));
    }
}
