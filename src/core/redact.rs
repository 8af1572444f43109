//! Keeping credentials out of everything that prints: the userinfo of URLs and proxy URIs
//! masked in error messages, warnings and Debug output (`http://u:p@h:1` → `http://***@h:1`).

use std::borrow::Cow;

/// What a masked userinfo reads as.
pub const MASK: &str = "***";

/// `text` with the userinfo of every URL or proxy URI in it replaced by `***`, whether it
/// has a scheme (`socks5://u:p@h`) or not (`u:p@h:8080`, as proxy rules allow).
pub fn userinfo(text: &str) -> Cow<'_, str> {
    if !text.contains('@') {
        return Cow::Borrowed(text);
    }
    let is_delimiter = |c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | '\'' | '"' | '`' | '(' | ')' | '<' | '>')
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(is_delimiter).unwrap_or(rest.len());
        let (token, after) = rest.split_at(end);
        out.push_str(&mask_token(token));
        let delimiter_len = after.chars().next().map_or(0, char::len_utf8);
        out.push_str(&after[..delimiter_len]);
        rest = &after[delimiter_len..];
    }
    Cow::Owned(out)
}

/// One URI-like token with its userinfo masked.
fn mask_token(token: &str) -> Cow<'_, str> {
    // After `scheme://`, or after a rule's `scheme=` in a bare `http=u:p@h`.
    let start = match token.find("://") {
        Some(i) => i + 3,
        None => token.find('=').map_or(0, |i| i + 1),
    };
    let authority_end = token[start..]
        .find(['/', '?', '#'])
        .map_or(token.len(), |i| start + i);
    match token[start..authority_end].rfind('@') {
        Some(at) => Cow::Owned(format!("{}{MASK}{}", &token[..start], &token[start + at..])),
        None => Cow::Borrowed(token),
    }
}

#[cfg(test)]
mod tests {
    use super::userinfo;

    #[test]
    fn masks_userinfo_of_urls_and_bare_proxy_uris() {
        assert_eq!(
            userinfo("Invalid proxy server 'http://user:secret@127.0.0.1:notaport'"),
            "Invalid proxy server 'http://***@127.0.0.1:notaport'"
        );
        assert_eq!(
            userinfo("u:p@h:1,socks5://a:b@[::1]:2;direct://"),
            "***@h:1,socks5://***@[::1]:2;direct://"
        );
        assert_eq!(userinfo("http=x:y@p:3"), "http=***@p:3");
        assert_eq!(userinfo("http://h/path@x?q=a@b"), "http://h/path@x?q=a@b");
        assert_eq!(userinfo("no credentials here"), "no credentials here");
        assert_eq!(userinfo("http://pa@ss:w@rd@h/"), "http://***@h/");
    }
}
