//! `--exclude` patterns: shell globs translated as Python's `fnmatch.translate` does
//! (`*` matches anything, `/` included; `?` one byte; `[...]`, `[!...]` classes), then
//! matched on bytes, since names need not be UTF-8.

use regex::bytes::Regex;

fn byte(out: &mut String, b: u8) {
    out.push_str(&format!("\\x{b:02x}"));
}

/// One glob as a regular expression (without anchors), byte by byte.
pub fn translate(pattern: &[u8]) -> String {
    let pat = pattern;
    let n = pat.len();
    let mut out = String::new();
    let mut i = 0;
    let mut last_star = false;
    while i < n {
        let c = pat[i];
        i += 1;
        if c == b'*' {
            if !last_star {
                out.push_str(".*");
            }
            last_star = true;
            continue;
        }
        last_star = false;
        match c {
            b'?' => out.push('.'),
            b'[' => {
                let mut j = i;
                if j < n && pat[j] == b'!' {
                    j += 1;
                }
                if j < n && pat[j] == b']' {
                    j += 1;
                }
                while j < n && pat[j] != b']' {
                    j += 1;
                }
                if j >= n {
                    byte(&mut out, b'[');
                    continue;
                }
                out.push_str(&class(&pat[i..j]));
                i = j + 1;
            }
            _ => byte(&mut out, c),
        }
    }
    out
}

/// A `[...]` class (its inside, without the brackets), as fnmatch reads it.
fn class(stuff: &[u8]) -> String {
    let (negated, body) = match stuff.first() {
        Some(b'!') => (true, &stuff[1..]),
        _ => (false, stuff),
    };
    if stuff.is_empty() {
        return "(?:[^\\x00-\\xff])".to_string(); // empty: never matches
    }
    if negated && body.is_empty() {
        return ".".to_string(); // `[!]`: any byte
    }
    // Split on the hyphens that make ranges, as fnmatch does: a hyphen right after
    // the start (or the `!`) is a literal, and so is a trailing one.
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    let mut start = 0;
    let mut k = 1; // fnmatch looks for range hyphens from the second character on
    loop {
        let found = body[k.min(body.len())..].iter().position(|&b| b == b'-');
        let Some(at) = found.map(|p| p + k.min(body.len())) else {
            break;
        };
        chunks.push(body[start..at].to_vec());
        start = at + 1;
        k = at + 3;
        if k > body.len() {
            break;
        }
    }
    let tail = &body[start..];
    if !tail.is_empty() {
        chunks.push(tail.to_vec());
    } else if let Some(last) = chunks.last_mut() {
        last.push(b'-');
    } else {
        chunks.push(vec![b'-']);
    }
    // drop empty ranges (a-b with a > b), as fnmatch does
    let mut k = chunks.len();
    while k > 1 {
        k -= 1;
        let (prev_last, next_first) = (chunks[k - 1].last().copied(), chunks[k].first().copied());
        if let (Some(a), Some(b)) = (prev_last, next_first) {
            if a > b {
                let next = chunks.remove(k);
                let prev = &mut chunks[k - 1];
                prev.pop();
                prev.extend_from_slice(&next[1..]);
            }
        }
    }
    // each chunk is literal bytes; between two chunks, the last byte of the first and
    // the first byte of the second make a range
    let mut items = String::new();
    for (n, chunk) in chunks.iter().enumerate() {
        for (m, &b) in chunk.iter().enumerate() {
            if n > 0 && m == 0 {
                items.push('-');
            }
            byte(&mut items, b);
        }
        if n > 0 && chunk.is_empty() {
            // a range whose end was removed: cannot happen after the merge above
            items.push_str("\\x2d");
        }
    }
    if items.is_empty() {
        return "(?:[^\\x00-\\xff])".to_string();
    }
    if negated {
        format!("[^{items}]")
    } else {
        format!("[{items}]")
    }
}

/// All the patterns as one anchored regex (trailing `/` stripped, as the Python engine does).
pub fn compile(patterns: &[Vec<u8>]) -> Result<Option<Regex>, regex::Error> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let parts: Vec<String> = patterns
        .iter()
        .map(|p| {
            let mut end = p.len();
            while end > 0 && p[end - 1] == b'/' {
                end -= 1;
            }
            format!("(?:{})", translate(&p[..end]))
        })
        .collect();
    let source = format!("(?s-u)^(?:{})$", parts.join("|"));
    regex::bytes::RegexBuilder::new(&source)
        .size_limit(64 << 20)
        .build()
        .map(Some)
}
