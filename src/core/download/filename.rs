//! The name a download is saved under, as Chromium picks it (net/base/filename_util's
//! GenerateFileName): `Content-Disposition`'s `filename*` (RFC 8187) over its `filename`
//! (RFC 6266; a percent-encoded value that decodes to UTF-8 is decoded, as Chromium does),
//! then the URL's last path segment, then `download`; an extension from the MIME type when
//! the name has none (`download.pdf`); made safe for the file system (no path separators,
//! reserved characters, control characters, leading or trailing dots and spaces, Windows'
//! device names; at most 255 bytes); and, when taken, Chromium's unique suffix
//! (`name (1).ext`).

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;
use url::Url;

use crate::core::quoted::read_quoted;

/// The name Chromium falls back to (IDS_DEFAULT_DOWNLOAD_FILENAME).
const FALLBACK: &str = "download";
/// The longest file name most file systems take, in bytes.
const MAX_NAME_BYTES: usize = 255;

/// The parameters of a `Content-Disposition` value, names lower-cased, values unquoted.
fn parameters(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = match value.split_once(';') {
        Some((_, rest)) => rest,
        None => return out,
    };
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        let Some((name, after)) = rest.split_once('=') else {
            return out;
        };
        let name = name.trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            read_quoted(quoted)
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        out.push((name, value));
        rest = match next.find(';') {
            Some(i) => &next[i..],
            None => return out,
        };
    }
}

/// An RFC 8187 ext-value (`UTF-8''%e2%82%ac%20rates`): UTF-8 or ISO-8859-1.
fn ext_value(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let (charset, _language, encoded) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes: Vec<u8> = percent_decode_str(encoded).collect();
    match charset.to_ascii_lowercase().as_str() {
        "utf-8" => String::from_utf8(bytes).ok(),
        "iso-8859-1" => Some(bytes.iter().map(|&b| b as char).collect()),
        _ => None,
    }
}

/// The file name a `Content-Disposition` value gives, if any: `filename*` first.
pub fn from_content_disposition(value: &str) -> Option<String> {
    let parameters = parameters(value);
    let extended = parameters
        .iter()
        .find(|(name, _)| name == "filename*")
        .and_then(|(_, value)| ext_value(value));
    let plain = || {
        let (_, value) = parameters.iter().find(|(name, _)| name == "filename")?;
        // Chromium decodes a percent-encoded `filename` when the result is UTF-8.
        let decoded = percent_decode_str(value).decode_utf8().ok()?;
        Some(decoded.into_owned())
    };
    extended
        .or_else(plain)
        .filter(|name| !name.trim().is_empty())
}

/// The URL's last path segment, unescaped (none for `/` or a data URL).
fn from_url(url: &Url) -> Option<String> {
    if url.cannot_be_a_base() {
        return None;
    }
    let segment = url.path_segments()?.next_back()?;
    let decoded = percent_decode_str(segment).decode_utf8_lossy().into_owned();
    (!decoded.is_empty()).then_some(decoded)
}

/// The extension Chromium gives a name without one, for common MIME types.
fn extension_for(mime_type: &str) -> Option<&'static str> {
    let essence = mime_type.split(';').next()?.trim().to_ascii_lowercase();
    Some(match essence.as_str() {
        "application/pdf" => "pdf",
        "application/zip" => "zip",
        "application/json" => "json",
        "application/gzip" | "application/x-gzip" => "gz",
        "application/javascript" | "text/javascript" => "js",
        "application/xml" | "text/xml" => "xml",
        "text/html" => "html",
        "text/plain" => "txt",
        "text/css" => "css",
        "text/csv" => "csv",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/svg+xml" => "svg",
        "audio/mpeg" => "mp3",
        "video/mp4" => "mp4",
        "video/webm" => "webm",
        _ => return None,
    })
}

/// `name` made safe to create in a directory on any platform Electron runs on.
pub fn sanitize(name: &str) -> String {
    let replaced: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = replaced.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut safe = if trimmed.is_empty() {
        FALLBACK.to_owned()
    } else {
        trimmed.to_owned()
    };
    // Windows' device names are not files, with any extension.
    const DEVICES: [&str; 22] = [
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    let stem = safe
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if DEVICES.contains(&stem.as_str()) {
        safe.insert(0, '_');
    }
    truncate(&safe, MAX_NAME_BYTES)
}

/// `name` cut to at most `max` bytes on a character boundary, its extension kept.
fn truncate(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    let (stem, extension) = split_extension(name);
    let extension = if extension.len() + 1 < max / 2 {
        extension
    } else {
        ""
    };
    let room = max
        - if extension.is_empty() {
            0
        } else {
            extension.len() + 1
        };
    let mut end = room.min(stem.len());
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    if extension.is_empty() {
        stem[..end].to_owned()
    } else {
        format!("{}.{extension}", &stem[..end])
    }
}

/// `(stem, extension)`; a leading dot is not an extension's.
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i + 1..]),
        _ => (name, ""),
    }
}

/// The name to save a download under, as Chromium generates it.
pub fn suggested(url: &Url, content_disposition: Option<&str>, mime_type: &str) -> String {
    let chosen = content_disposition
        .and_then(from_content_disposition)
        .or_else(|| from_url(url))
        .unwrap_or_else(|| FALLBACK.to_owned());
    let mut name = sanitize(&chosen);
    if split_extension(&name).1.is_empty() {
        if let Some(extension) = extension_for(mime_type) {
            name = truncate(&format!("{name}.{extension}"), MAX_NAME_BYTES);
        }
    }
    name
}

/// A path in `dir` for `name` that `exists` says is free: the name itself, else Chromium's
/// `name (1).ext` up to `(100)`; `None` when all are taken.
pub fn unique(dir: &Path, name: &str, exists: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let first = dir.join(name);
    if !exists(&first) {
        return Some(first);
    }
    let (stem, extension) = split_extension(name);
    (1..=100)
        .map(|n| {
            let numbered = if extension.is_empty() {
                format!("{stem} ({n})")
            } else {
                format!("{stem} ({n}).{extension}")
            };
            dir.join(numbered)
        })
        .find(|path| !exists(path))
}

#[cfg(test)]
#[path = "filename_tests.rs"]
mod tests;
