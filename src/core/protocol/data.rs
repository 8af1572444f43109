//! The built-in `data:` handler (Chromium's DataURL): `data:[<mime>][;charset=…][;base64],…`
//! answered with 200 and the MIME type, the body percent-decoded (then base64-decoded).

use base64::Engine;
use bytes::Bytes;

use super::{ProtocolBody, ProtocolRequest, ProtocolResponse};
use crate::core::message::ResponseHead;
use crate::core::net_error::NetError;

/// MIME type (with its parameters) and bytes of a `data:` URL, or `None` when it is not one.
pub fn parse(url: &str) -> Option<(String, Vec<u8>)> {
    let rest = url.strip_prefix("data:")?;
    let (meta, data) = rest.split_once(',')?;
    let data = data.split('#').next().unwrap_or("");
    let mut params: Vec<&str> = meta.split(';').map(str::trim).collect();
    let base64 = params
        .last()
        .is_some_and(|p| p.eq_ignore_ascii_case("base64"));
    if base64 {
        params.pop();
    }
    let decoded: Vec<u8> = percent_encoding::percent_decode_str(data).collect();
    let bytes = if base64 {
        let compact: Vec<u8> = decoded
            .into_iter()
            .filter(|b| !b.is_ascii_whitespace())
            .collect();
        base64::engine::general_purpose::STANDARD
            .decode(&compact)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(&compact))
            .ok()?
    } else {
        decoded
    };
    let mime = params.first().copied().unwrap_or("").to_ascii_lowercase();
    let mime = if mime.contains('/') {
        mime
    } else {
        "text/plain".to_owned()
    };
    let mut content_type = mime;
    let charset = params
        .iter()
        .skip(1)
        .find(|p| p.to_ascii_lowercase().starts_with("charset="));
    match charset {
        Some(c) => content_type.push_str(&format!(";{c}")),
        None if content_type == "text/plain" => content_type.push_str(";charset=US-ASCII"),
        None => {}
    }
    Some((content_type, bytes))
}

/// Serves a `data:` request (GET and HEAD only, as Chromium).
pub fn serve(request: &ProtocolRequest) -> Result<ProtocolResponse, NetError> {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return Err(NetError::MethodNotSupported);
    }
    let (content_type, bytes) = parse(request.url.as_str()).ok_or(NetError::InvalidUrl)?;
    Ok(ProtocolResponse {
        head: ResponseHead {
            status: 200,
            status_message: "OK".to_owned(),
            version: (1, 1),
            headers: vec![("Content-Type".to_owned(), content_type)],
            url: request.url.clone(),
            ip: None,
        },
        body: ProtocolBody::Full(Bytes::from(bytes)),
    })
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn data_urls() {
        assert_eq!(
            parse("data:,Hello%2C%20World!").unwrap(),
            (
                "text/plain;charset=US-ASCII".into(),
                b"Hello, World!".to_vec()
            )
        );
        assert_eq!(
            parse("data:text/html;base64,PGI+aGk8L2I+").unwrap(),
            ("text/html".into(), b"<b>hi</b>".to_vec())
        );
        assert_eq!(
            parse("data:text/plain;charset=utf-8,%E2%9C%93").unwrap().0,
            "text/plain;charset=utf-8"
        );
        assert!(parse("data:;base64,!!!").is_none());
        assert!(parse("data:nocomma").is_none());
    }
}
