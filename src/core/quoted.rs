//! RFC 9110's quoted-string (section 5.6.4), as header parameters use it (auth challenges,
//! Content-Disposition): the value between the quotes with its backslash escapes undone.

/// Reads a quoted-string whose opening quote is already consumed: its value, and what
/// follows the closing quote (an unterminated string runs to the end).
pub fn read_quoted(after_quote: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = after_quote.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    value.push(escaped);
                }
            }
            '"' => return (value, &after_quote[i + 1..]),
            c => value.push(c),
        }
    }
    (value, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undoes_escapes_and_stops_at_the_closing_quote() {
        assert_eq!(
            read_quoted(r#"a \"b\" c", rest"#),
            (r#"a "b" c"#.to_owned(), ", rest")
        );
        assert_eq!(read_quoted(r"back\\slash"), (r"back\slash".to_owned(), ""));
        assert_eq!(read_quoted(r#"""#), (String::new(), ""));
    }
}
