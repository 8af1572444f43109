//! Content decoding of response bodies (Chromium's filter chain for gzip, deflate, br and
//! zstd): the raw body becomes a byte reader through the matching decoder.

use std::io;
use std::pin::Pin;

use async_compression::tokio::bufread::{BrotliDecoder, GzipDecoder, ZlibDecoder, ZstdDecoder};
use futures_util::TryStreamExt;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use tokio::io::AsyncRead;
use tokio_util::io::StreamReader;

use super::transport::body_error;
use crate::core::net_error::NetError;

/// Carries a transfer failure through the decoder so that it keeps its Chromium name.
#[derive(Debug)]
struct TransferError(NetError);

impl std::fmt::Display for TransferError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for TransferError {}

/// A reader of the decoded body for a Content-Encoding.
pub fn decoder(
    encoding: &str,
    incoming: Incoming,
    chunked: bool,
) -> Pin<Box<dyn AsyncRead + Send>> {
    let stream = incoming
        .into_data_stream()
        .map_err(move |e| io::Error::other(TransferError(body_error(&e, chunked))));
    let reader = StreamReader::new(stream);
    match encoding {
        "gzip" | "x-gzip" => Box::pin(GzipDecoder::new(reader)),
        "deflate" => Box::pin(ZlibDecoder::new(reader)),
        "br" => Box::pin(BrotliDecoder::new(reader)),
        _ => Box::pin(ZstdDecoder::new(reader)),
    }
}

/// The Chromium error for a failed read of a decoded body: the transfer's own error when the
/// bytes stopped coming, else a decoding failure.
pub fn read_error(e: &io::Error, _chunked: bool) -> NetError {
    if let Some(TransferError(net)) = e.get_ref().and_then(|i| i.downcast_ref::<TransferError>()) {
        return *net;
    }
    NetError::ContentDecodingFailed
}
