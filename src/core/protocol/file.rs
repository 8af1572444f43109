//! The built-in `file:` handler: the file's bytes with a Content-Type from its extension and
//! single `Range` requests answered with 206 (or 416), which Electron's own file handler
//! lacks. Missing files fail with `net::ERR_FILE_NOT_FOUND`, unreadable ones with
//! `net::ERR_ACCESS_DENIED`.

use std::io::SeekFrom;

use tokio::io::{AsyncReadExt, AsyncSeekExt};

use super::{ProtocolBody, ProtocolRequest, ProtocolResponse};
use crate::core::message::ResponseHead;
use crate::core::net_error::NetError;

/// Content types by extension (Chromium's well-known list, the common part).
fn content_type(path: &std::path::Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" | "shtml" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "txt" | "text" => "text/plain",
        "xml" => "text/xml",
        "svg" | "svgz" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A `Range` that no byte of the file satisfies (answered with 416).
#[derive(Debug, PartialEq, Eq)]
pub struct Unsatisfiable;

/// A single byte range of a `Range` header against a length: `Ok(None)` for no (or an
/// ignorable) header, `Err` when it cannot be satisfied.
pub fn parse_range(header: Option<&str>, len: u64) -> Result<Option<(u64, u64)>, Unsatisfiable> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        // Several ranges: answered with the whole file, as many servers do.
        return Ok(None);
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return Ok(None);
    };
    let (start, end) = (start.trim(), end.trim());
    let range = if start.is_empty() {
        let suffix: u64 = end.parse().map_err(|_| Unsatisfiable)?;
        if suffix == 0 || len == 0 {
            return Err(Unsatisfiable);
        }
        (len.saturating_sub(suffix), len - 1)
    } else {
        let start: u64 = start.parse().map_err(|_| Unsatisfiable)?;
        let end: u64 = if end.is_empty() {
            len.saturating_sub(1)
        } else {
            end.parse::<u64>()
                .map_err(|_| Unsatisfiable)?
                .min(len.saturating_sub(1))
        };
        if start >= len || end < start {
            return Err(Unsatisfiable);
        }
        (start, end)
    };
    Ok(Some(range))
}

/// Serves a `file:` request.
pub async fn serve(request: &ProtocolRequest) -> Result<ProtocolResponse, NetError> {
    let path = request
        .url
        .to_file_path()
        .map_err(|_| NetError::InvalidUrl)?;
    serve_path(&path, request).await
}

/// Serves the file at `path` for `request` (its `Range`, its URL in the head).
pub async fn serve_path(
    path: &std::path::Path,
    request: &ProtocolRequest,
) -> Result<ProtocolResponse, NetError> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::PermissionDenied => NetError::AccessDenied,
            _ => NetError::FileNotFound,
        })?;
    let meta = file.metadata().await.map_err(|_| NetError::FileNotFound)?;
    if meta.is_dir() {
        return Err(NetError::FileNotFound);
    }
    let len = meta.len();
    let range_header = request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("range"))
        .map(|(_, v)| v.as_str());
    let mut headers = vec![("Content-Type".to_owned(), content_type(path).to_owned())];
    let head = |status, message: &str, headers| ResponseHead {
        status,
        status_message: message.to_owned(),
        version: (1, 1),
        headers,
        url: request.url.clone(),
        ip: None,
    };
    match parse_range(range_header, len) {
        Err(Unsatisfiable) => {
            headers.push(("Content-Range".to_owned(), format!("bytes */{len}")));
            Ok(ProtocolResponse {
                head: head(416, "Range Not Satisfiable", headers),
                body: ProtocolBody::Full(bytes::Bytes::new()),
            })
        }
        Ok(Some((start, end))) => {
            file.seek(SeekFrom::Start(start))
                .await
                .map_err(|_| NetError::FileNotFound)?;
            let count = end - start + 1;
            headers.push(("Content-Length".to_owned(), count.to_string()));
            headers.push((
                "Content-Range".to_owned(),
                format!("bytes {start}-{end}/{len}"),
            ));
            Ok(ProtocolResponse {
                head: head(206, "Partial Content", headers),
                body: ProtocolBody::Reader(Box::pin(file.take(count))),
            })
        }
        Ok(None) => {
            headers.push(("Content-Length".to_owned(), len.to_string()));
            headers.push(("Accept-Ranges".to_owned(), "bytes".to_owned()));
            Ok(ProtocolResponse {
                head: head(200, "OK", headers),
                body: ProtocolBody::Reader(Box::pin(file.take(len))),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_range, Unsatisfiable};

    #[test]
    fn ranges() {
        assert_eq!(parse_range(None, 10), Ok(None));
        assert_eq!(parse_range(Some("bytes=0-3"), 10), Ok(Some((0, 3))));
        assert_eq!(parse_range(Some("bytes=4-"), 10), Ok(Some((4, 9))));
        assert_eq!(parse_range(Some("bytes=-3"), 10), Ok(Some((7, 9))));
        assert_eq!(parse_range(Some("bytes=5-100"), 10), Ok(Some((5, 9))));
        assert_eq!(parse_range(Some("bytes=10-"), 10), Err(Unsatisfiable));
        assert_eq!(parse_range(Some("bytes=5-2"), 10), Err(Unsatisfiable));
        assert_eq!(parse_range(Some("bytes=0-1,3-4"), 10), Ok(None));
        assert_eq!(parse_range(Some("items=0-1"), 10), Ok(None));
    }
}
