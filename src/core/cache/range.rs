//! Range requests answered from a complete stored response, as Chromium's cache answers
//! them (RFC 9110 section 14): one byte range of a fresh 200 becomes a 206 with
//! `Content-Range`, its other headers the stored ones. Anything else (several ranges, a
//! range past the end, a stored response that is not a 200) goes to the network.

use super::Hit;

/// The request's `Range` value, when it has one.
pub fn requested(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("range"))
        .map(|(_, value)| value.as_str())
}

/// The first and last byte a `Range` value asks of a body of `total` bytes: `bytes=a-b`,
/// `bytes=a-` or `bytes=-n`; `None` for other units, several ranges, or one that is not
/// satisfiable.
pub fn byte_range(value: &str, total: u64) -> Option<(u64, u64)> {
    let (unit, spec) = value.trim().split_once('=')?;
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') || total == 0 {
        return None;
    }
    let (first, last) = spec.trim().split_once('-')?;
    let number = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (first.trim().is_empty(), last.trim().is_empty()) {
        (true, false) => {
            let suffix = number(last)?.min(total);
            (suffix > 0).then(|| (total - suffix, total - 1))
        }
        (false, _) => {
            let first = number(first)?;
            let last = match last.trim() {
                "" => total - 1,
                _ => number(last)?.min(total - 1),
            };
            (first <= last && first < total).then_some((first, last))
        }
        (true, true) => None,
    }
}

impl Hit {
    /// This hit as the answer to a request for `range`: a 206 with the bytes asked for;
    /// `None` when the cache cannot answer it.
    pub async fn ranged(self, range: &str) -> Option<Hit> {
        if self.head.status != 200 {
            return None;
        }
        let total = self.body.len();
        let (first, last) = byte_range(range, total)?;
        let mut head = self.head;
        head.status = 206;
        head.status_message = "Partial Content".to_owned();
        head.headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("content-length"));
        head.headers.push((
            "Content-Range".to_owned(),
            format!("bytes {first}-{last}/{total}"),
        ));
        head.headers
            .push(("Content-Length".to_owned(), (last + 1 - first).to_string()));
        Some(Hit {
            head,
            body: self.body.slice(first, last).await.ok()?,
            revalidate_in_background: self.revalidate_in_background,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_byte_range_as_rfc_9110_defines_it() {
        assert_eq!(byte_range("bytes=0-1", 11), Some((0, 1)));
        assert_eq!(byte_range("bytes=1-", 11), Some((1, 10)));
        assert_eq!(byte_range("bytes=-1", 11), Some((10, 10)));
        assert_eq!(byte_range("bytes=-20", 11), Some((0, 10)));
        assert_eq!(byte_range("bytes=5-100", 11), Some((5, 10)));
        assert_eq!(byte_range("BYTES = 2-3", 11), Some((2, 3)));
        for unsatisfiable in [
            "bytes=11-",
            "bytes=3-2",
            "bytes=0-1,3-4",
            "items=0-1",
            "bytes=-0",
            "bytes=-",
            "bytes=a-b",
            "bytes=0-1",
        ] {
            let total = if unsatisfiable == "bytes=0-1" { 0 } else { 11 };
            assert_eq!(byte_range(unsatisfiable, total), None, "{unsatisfiable}");
        }
    }
}
