//! Wildcard matching as Chromium's base::MatchPattern does it, for host patterns (resolver
//! rules, bypass rules) and URL pattern paths: `*` matches any run of characters, and `?`
//! one character where the grammar allows it.

/// True when `text` matches `pattern`; `?` is a wildcard only when `question_mark` is set.
pub fn matches(pattern: &str, text: &str, question_mark: bool) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        let single =
            pi < p.len() && p[pi] != b'*' && (p[pi] == t[ti] || (question_mark && p[pi] == b'?'));
        if single {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn stars_and_question_marks() {
        assert!(matches("*.example.com", "a.b.example.com", false));
        assert!(!matches("*.example.com", "example.com", false));
        assert!(matches("a*b*c", "aXXbYYc", false));
        assert!(matches("h?st", "host", true));
        assert!(!matches("h?st", "host", false));
        assert!(matches("h?st", "h?st", false));
        assert!(matches("**", "", true));
    }
}
