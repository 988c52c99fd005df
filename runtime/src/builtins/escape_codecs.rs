//! The `unicode_escape` and `raw_unicode_escape` codecs, as pure
//! functions the str/bytes codec machinery calls
//! (<https://docs.python.org/3.11/library/codecs.html#text-encodings>).
//!
//! `unicode_escape` writes printable ASCII as is and everything else as a
//! Python escape (`\t`, `\xe9`, `\u20ac`, `\U0001f40d`); decoding reads
//! the escapes of a Python string literal, other bytes as Latin-1.
//! `raw_unicode_escape` keeps Latin-1 characters as raw bytes and only
//! escapes (and only reads) `\uXXXX` and `\UXXXXXXXX`.

/// An undecodable escape: the byte range and CPython's reason.
#[derive(Debug, PartialEq, Eq)]
pub struct EscapeError {
    pub start: usize,
    pub end: usize,
    pub reason: &'static str,
}

/// Encodes `text` with `unicode_escape` (`raw` = `raw_unicode_escape`).
pub fn encode_escaped(text: &str, raw: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for character in text.chars() {
        let code = character as u32;
        if raw {
            if code < 0x100 {
                out.push(code as u8);
            } else if code < 0x10000 {
                out.extend_from_slice(format!("\\u{code:04x}").as_bytes());
            } else {
                out.extend_from_slice(format!("\\U{code:08x}").as_bytes());
            }
            continue;
        }
        match character {
            '\\' => out.extend_from_slice(b"\\\\"),
            '\t' => out.extend_from_slice(b"\\t"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            ' '..='~' => out.push(code as u8),
            _ if code < 0x100 => out.extend_from_slice(format!("\\x{code:02x}").as_bytes()),
            _ if code < 0x10000 => out.extend_from_slice(format!("\\u{code:04x}").as_bytes()),
            _ => out.extend_from_slice(format!("\\U{code:08x}").as_bytes()),
        }
    }
    out
}

/// What the escape at a backslash decodes to.
enum Escape {
    /// A character, and the number of bytes the escape spans.
    Character(char, usize),
    /// Not an escape: the backslash stays (and the byte after it is
    /// decoded normally).
    Literal,
    Invalid(EscapeError),
}

/// Reads `count` hex digits after `offset`; the escape spans `start` to
/// the last digit read.
fn hex_escape(
    data: &[u8],
    start: usize,
    offset: usize,
    count: usize,
    reason: &'static str,
) -> Escape {
    let digits = &data[offset.min(data.len())..(offset + count).min(data.len())];
    let valid = digits
        .iter()
        .take_while(|byte| byte.is_ascii_hexdigit())
        .count();
    if valid < count {
        return Escape::Invalid(EscapeError {
            start,
            end: offset + valid,
            reason,
        });
    }
    let text = std::str::from_utf8(digits).unwrap_or("0");
    let code = u32::from_str_radix(text, 16).unwrap_or(0);
    match char::from_u32(code) {
        Some(character) => Escape::Character(character, offset + count - start),
        None => Escape::Invalid(EscapeError {
            start,
            end: offset + count,
            reason: if code > 0x10FFFF {
                "illegal Unicode character"
            } else {
                // A lone surrogate cannot be stored in our strings.
                "surrogates not allowed"
            },
        }),
    }
}

fn read_escape(data: &[u8], start: usize, raw: bool) -> Escape {
    let Some(&kind) = data.get(start + 1) else {
        if raw {
            return Escape::Literal;
        }
        return Escape::Invalid(EscapeError {
            start,
            end: start + 1,
            reason: "\\ at end of string",
        });
    };
    match kind {
        b'u' => hex_escape(data, start, start + 2, 4, "truncated \\uXXXX escape"),
        b'U' => hex_escape(data, start, start + 2, 8, "truncated \\UXXXXXXXX escape"),
        _ if raw => Escape::Literal,
        b'x' => hex_escape(data, start, start + 2, 2, "truncated \\xXX escape"),
        b'\n' => Escape::Character('\0', 2),
        b'\\' => Escape::Character('\\', 2),
        b'\'' => Escape::Character('\'', 2),
        b'"' => Escape::Character('"', 2),
        b'a' => Escape::Character('\x07', 2),
        b'b' => Escape::Character('\x08', 2),
        b'f' => Escape::Character('\x0c', 2),
        b'n' => Escape::Character('\n', 2),
        b'r' => Escape::Character('\r', 2),
        b't' => Escape::Character('\t', 2),
        b'v' => Escape::Character('\x0b', 2),
        b'0'..=b'7' => {
            let digits = data[start + 1..]
                .iter()
                .take(3)
                .take_while(|byte| (b'0'..=b'7').contains(*byte))
                .count();
            let text = std::str::from_utf8(&data[start + 1..start + 1 + digits]).unwrap_or("0");
            let code = u32::from_str_radix(text, 8).unwrap_or(0);
            Escape::Character(char::from_u32(code).unwrap_or('\0'), digits + 1)
        }
        b'N' => Escape::Invalid(EscapeError {
            start,
            end: start + 2,
            reason: "unknown Unicode character name",
        }),
        _ => Escape::Literal,
    }
}

/// Decodes `unicode_escape` (`raw` = `raw_unicode_escape`) data.
/// `on_error` handles an undecodable escape (strict raises, other
/// handlers append a replacement) and says where to resume.
pub fn decode_escaped<E>(
    data: &[u8],
    raw: bool,
    on_error: &mut dyn FnMut(&EscapeError, &mut String) -> Result<(), E>,
) -> Result<String, E> {
    let mut out = String::with_capacity(data.len());
    let mut position = 0;
    while position < data.len() {
        let byte = data[position];
        if byte != b'\\' {
            out.push(byte as char);
            position += 1;
            continue;
        }
        match read_escape(data, position, raw) {
            Escape::Character(character, length) => {
                // "\<newline>" is a line continuation: nothing is produced.
                if !(character == '\0' && data.get(position + 1) == Some(&b'\n')) {
                    out.push(character);
                }
                position += length;
            }
            Escape::Literal => {
                out.push('\\');
                position += 1;
            }
            Escape::Invalid(error) => {
                on_error(&error, &mut out)?;
                position = error.end.max(position + 1);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict(data: &[u8], raw: bool) -> Result<String, EscapeError> {
        decode_escaped(data, raw, &mut |error, _| {
            Err(EscapeError {
                start: error.start,
                end: error.end,
                reason: error.reason,
            })
        })
    }

    #[test]
    fn round_trips() {
        assert_eq!(encode_escaped("i\u{307}", false), b"i\\u0307");
        assert_eq!(
            encode_escaped("a\té\u{1F40D}'", false),
            b"a\\t\\xe9\\U0001f40d'"
        );
        assert_eq!(encode_escaped("é€", true), b"\xe9\\u20ac");
        assert_eq!(
            strict(b"a\\t\\xe9\\u20ac\\101\\q", false).unwrap(),
            "a\té€A\\q"
        );
        assert_eq!(strict(b"\\u20ac\\t", true).unwrap(), "€\\t");
        assert_eq!(
            strict(b"ab\\x4", false),
            Err(EscapeError {
                start: 2,
                end: 5,
                reason: "truncated \\xXX escape"
            })
        );
    }
}
