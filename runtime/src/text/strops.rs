//! Python `str` algorithms on Rust strings.
//!
//! This module owns the text algorithms behind Python 3.11's `str` methods
//! (splitting, stripping, case mapping, padding, searching, replacing,
//! predicates and `repr`/`ascii` rendering), implemented over plain Rust
//! `&str`/`String`. Python strings are sequences of code points, so every
//! index, length, width and count in this API is measured in code points
//! (`char`s), never in UTF-8 bytes; [`char_len`], [`char_index_to_byte`] and
//! [`byte_index_to_char`] convert between the two.
//!
//! It does not know about Python objects and never raises: argument
//! validation that Python reports as an exception (an empty separator for
//! `split`/`partition`, a fill string that is not exactly one character,
//! results too large to allocate) is the caller's job. Functions that Python
//! specifies as "return self when unchanged" return a fresh `String` or a
//! borrowed slice; the caller decides whether to reuse the original object.
//!
//! Unicode data comes from Rust's `char` methods where they agree with
//! CPython's definitions, plus small range tables (generated from CPython
//! 3.11's `unicodedata`, Unicode 14) where they do not. For every code point
//! assigned in Unicode 14 the character predicates and single-character case
//! mappings agree with CPython 3.11, with two kinds of exception:
//! - `is_printable_char` (and so `repr`) only knows the large unassigned
//!   areas, so a lone unassigned code point inside a block counts as
//!   printable;
//! - Rust's std follows a newer Unicode version than CPython 3.11, so
//!   characters added or re-cased since Unicode 14 follow the newer data
//!   (e.g. `'\u{19b}'.upper()` and a handful of Other_Lowercase modifier
//!   letters for `islower`).

use std::cmp::Ordering;
use std::fmt::Write as _;

// ---------------------------------------------------------------------------
// Code-point indexing
// ---------------------------------------------------------------------------

/// Number of code points in `s` (Python's `len(s)`), with an ASCII fast path.
pub fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Byte offset of the code point at `char_index`; `s.len()` when the index
/// is at or past the end.
pub fn char_index_to_byte(s: &str, char_index: usize) -> usize {
    if s.is_ascii() {
        return char_index.min(s.len());
    }
    s.char_indices()
        .nth(char_index)
        .map_or(s.len(), |(byte, _)| byte)
}

/// Code-point index of the byte offset `byte_index`, which must lie on a
/// char boundary (offsets past the end count the whole string).
pub fn byte_index_to_char(s: &str, byte_index: usize) -> usize {
    char_len(&s[..byte_index.min(s.len())])
}

/// CPython's `ADJUST_INDICES`: resolves optional, possibly negative slice
/// bounds against a string of `len` code points. `end` is clamped to
/// `0..=len`; `start` is clamped below at 0 but may exceed `len` (CPython
/// relies on that to make `'abc'.find('', 5)` fail). `None` means 0 / `len`.
pub fn adjust_indices(start: Option<i64>, end: Option<i64>, len: usize) -> (i64, i64) {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let mut end = end.unwrap_or(len);
    if end > len {
        end = len;
    } else if end < 0 {
        end = end.saturating_add(len).max(0);
    }
    let mut start = start.unwrap_or(0);
    if start < 0 {
        start = start.saturating_add(len).max(0);
    }
    (start, end)
}

/// A string together with its code-point length and ASCII-ness, so that the
/// search functions convert between char and byte indices at most once.
struct IndexedText<'a> {
    text: &'a str,
    is_ascii: bool,
    char_count: usize,
}

impl<'a> IndexedText<'a> {
    fn new(text: &'a str) -> Self {
        let is_ascii = text.is_ascii();
        let char_count = if is_ascii {
            text.len()
        } else {
            text.chars().count()
        };
        IndexedText {
            text,
            is_ascii,
            char_count,
        }
    }

    /// Byte range of the code points `start..end` (`start <= end <= len`).
    fn byte_range(&self, start: usize, end: usize) -> (usize, usize) {
        if self.is_ascii {
            return (start, end);
        }
        let mut boundaries = self
            .text
            .char_indices()
            .map(|(byte, _)| byte)
            .chain(std::iter::once(self.text.len()));
        let start_byte = boundaries.nth(start).unwrap_or(self.text.len());
        let end_byte = if end <= start {
            start_byte
        } else {
            boundaries.nth(end - start - 1).unwrap_or(self.text.len())
        };
        (start_byte, end_byte)
    }

    /// Number of code points in `self.text[from_byte..to_byte]`.
    fn chars_between(&self, from_byte: usize, to_byte: usize) -> usize {
        if self.is_ascii {
            to_byte - from_byte
        } else {
            self.text[from_byte..to_byte].chars().count()
        }
    }

    /// The adjusted window `start..end` when it can hold `needle_chars`
    /// code points, else `None` (CPython's `end - start < sub_len` test).
    fn window(
        &self,
        start: Option<i64>,
        end: Option<i64>,
        needle_chars: usize,
    ) -> Option<(usize, usize)> {
        let (start, end) = adjust_indices(start, end, self.char_count);
        let needle_chars = i64::try_from(needle_chars).unwrap_or(i64::MAX);
        if end - start < needle_chars {
            return None;
        }
        // Here 0 <= start <= end <= char_count.
        Some((start as usize, end as usize))
    }
}

// ---------------------------------------------------------------------------
// Character classes
// ---------------------------------------------------------------------------

/// Membership test for a sorted table of inclusive code-point ranges.
fn in_ranges(table: &[(u32, u32)], code_point: u32) -> bool {
    table
        .binary_search_by(|&(low, high)| {
            if high < code_point {
                Ordering::Less
            } else if low > code_point {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        })
        .is_ok()
}

/// Python's `str.isspace` for one character: Unicode White_Space plus the
/// four ASCII information separators `\x1c`..`\x1f`, which CPython also
/// treats as whitespace (bidirectional class B/S).
pub fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Line boundaries recognised by `str.splitlines` (`\r\n` is handled by the
/// splitter as one boundary).
pub fn is_line_boundary(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// First code point of every run of ten decimal digits 0..9 (general
/// category Nd) in Unicode 14, as used by CPython 3.11.
#[rustfmt::skip]
const DECIMAL_ZEROS: &[u32] = &[
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6,
    0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0,
    0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
    0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0,
    0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2,
    0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// Characters with Numeric_Type=Digit that are not decimal (superscripts,
/// circled digits, ...): `isdigit()` is true for them, `isdecimal()` false.
#[rustfmt::skip]
const DIGIT_NOT_DECIMAL: &[(u32, u32)] = &[
    (0xB2, 0xB3), (0xB9, 0xB9), (0x1369, 0x1371), (0x19DA, 0x19DA), (0x2070, 0x2070), (0x2074, 0x2079),
    (0x2080, 0x2089), (0x2460, 0x2468), (0x2474, 0x247C), (0x2488, 0x2490), (0x24EA, 0x24EA), (0x24F5, 0x24FD),
    (0x24FF, 0x24FF), (0x2776, 0x277E), (0x2780, 0x2788), (0x278A, 0x2792), (0x10A40, 0x10A43), (0x10E60, 0x10E68),
    (0x11052, 0x1105A), (0x1F100, 0x1F10A),
];

/// Ideographs (category Lo) that carry a Unihan numeric value, so Python's
/// `isnumeric()` accepts them although they are not in a number category.
#[rustfmt::skip]
const NUMERIC_IDEOGRAPHS: &[u32] = &[
    0x3405, 0x3483, 0x382A, 0x3B4D, 0x4E00, 0x4E03, 0x4E07, 0x4E09, 0x4E5D, 0x4E8C,
    0x4E94, 0x4E96, 0x4EBF, 0x4EC0, 0x4EDF, 0x4EE8, 0x4F0D, 0x4F70, 0x5104, 0x5146,
    0x5169, 0x516B, 0x516D, 0x5341, 0x5343, 0x5344, 0x5345, 0x534C, 0x53C1, 0x53C2,
    0x53C3, 0x53C4, 0x56DB, 0x58F1, 0x58F9, 0x5E7A, 0x5EFE, 0x5EFF, 0x5F0C, 0x5F0D,
    0x5F0E, 0x5F10, 0x62FE, 0x634C, 0x67D2, 0x6F06, 0x7396, 0x767E, 0x8086, 0x842C,
    0x8CAE, 0x8CB3, 0x8D30, 0x9621, 0x9646, 0x964C, 0x9678, 0x96F6, 0xF96B, 0xF973,
    0xF978, 0xF9B2, 0xF9D1, 0xF9D3, 0xF9FD, 0x20001, 0x20064, 0x200E2, 0x20121, 0x2092A,
    0x20983, 0x2098C, 0x2099C, 0x20AEA, 0x20AFD, 0x20B19, 0x22390, 0x22998, 0x23B1B, 0x2626D,
    0x2F890,
];

/// Code points that Rust's `char::is_alphabetic` accepts but which are not
/// letters (L*) for Python: Other_Alphabetic combining marks (e.g. Indic
/// vowel signs) and circled letters. Ranges may also cover characters that
/// are not alphabetic at all, which keeps the table short.
#[rustfmt::skip]
const ALPHABETIC_NON_LETTERS: &[(u32, u32)] = &[
    (0x345, 0x36F), (0x5B0, 0x5C7), (0x610, 0x61A), (0x64B, 0x65F), (0x670, 0x670), (0x6D6, 0x6E4),
    (0x6E7, 0x6ED), (0x711, 0x711), (0x730, 0x73F), (0x7A6, 0x7B0), (0x816, 0x817), (0x81B, 0x823),
    (0x825, 0x827), (0x829, 0x82C), (0x8D4, 0x903), (0x93A, 0x93B), (0x93E, 0x94F), (0x955, 0x957),
    (0x962, 0x963), (0x981, 0x983), (0x9BE, 0x9CC), (0x9D7, 0x9D7), (0x9E2, 0x9E3), (0xA01, 0xA03),
    (0xA3E, 0xA51), (0xA70, 0xA71), (0xA75, 0xA83), (0xABE, 0xACC), (0xAE2, 0xAE3), (0xAFA, 0xB03),
    (0xB3E, 0xB57), (0xB62, 0xB63), (0xB82, 0xB82), (0xBBE, 0xBCC), (0xBD7, 0xC04), (0xC3E, 0xC56),
    (0xC62, 0xC63), (0xC81, 0xC83), (0xCBE, 0xCD6), (0xCE2, 0xCE3), (0xD00, 0xD03), (0xD3E, 0xD4C),
    (0xD57, 0xD57), (0xD62, 0xD63), (0xD81, 0xD83), (0xDCF, 0xDF3), (0xE31, 0xE31), (0xE34, 0xE3A),
    (0xE4D, 0xE4D), (0xEB1, 0xEB1), (0xEB4, 0xEBC), (0xECD, 0xECD), (0xF71, 0xF83), (0xF8D, 0xFBC),
    (0x102B, 0x103E), (0x1056, 0x1059), (0x105E, 0x1060), (0x1062, 0x1064), (0x1067, 0x106D), (0x1071, 0x1074),
    (0x1082, 0x108D), (0x108F, 0x109D), (0x1712, 0x1713), (0x1732, 0x1733), (0x1752, 0x1753), (0x1772, 0x1773),
    (0x17B6, 0x17C8), (0x1885, 0x1886), (0x18A9, 0x18A9), (0x1920, 0x1938), (0x1A17, 0x1A1B), (0x1A55, 0x1A74),
    (0x1ABF, 0x1B04), (0x1B35, 0x1B43), (0x1B80, 0x1B82), (0x1BA1, 0x1BAD), (0x1BE7, 0x1BF1), (0x1C24, 0x1C36),
    (0x1DD3, 0x1DF4), (0x24B6, 0x24E9), (0x2DE0, 0x2DFF), (0xA674, 0xA67B), (0xA69E, 0xA69F), (0xA802, 0xA802),
    (0xA80B, 0xA80B), (0xA823, 0xA827), (0xA880, 0xA881), (0xA8B4, 0xA8C5), (0xA8FF, 0xA8FF), (0xA926, 0xA92A),
    (0xA947, 0xA952), (0xA980, 0xA983), (0xA9B4, 0xA9BF), (0xA9E5, 0xA9E5), (0xAA29, 0xAA36), (0xAA43, 0xAA43),
    (0xAA4C, 0xAA4D), (0xAA7B, 0xAA7D), (0xAAB0, 0xAAB0), (0xAAB2, 0xAAB4), (0xAAB7, 0xAAB8), (0xAABE, 0xAABE),
    (0xAAEB, 0xAAEF), (0xAAF5, 0xAAF5), (0xABE3, 0xABEA), (0xFB1E, 0xFB1E), (0x10376, 0x1037A), (0x10A01, 0x10A0F),
    (0x10D24, 0x10D27), (0x10EAB, 0x10EAC), (0x11000, 0x11002), (0x11038, 0x11045), (0x11073, 0x11074), (0x11080, 0x11082),
    (0x110B0, 0x110C2), (0x11100, 0x11102), (0x11127, 0x11132), (0x11145, 0x11146), (0x11180, 0x11182), (0x111B3, 0x111BF),
    (0x111CE, 0x111CF), (0x1122C, 0x1123E), (0x112DF, 0x11303), (0x1133E, 0x1134C), (0x11357, 0x11357), (0x11362, 0x11363),
    (0x11435, 0x11445), (0x114B0, 0x114C1), (0x115AF, 0x115BE), (0x115DC, 0x115DD), (0x11630, 0x11640), (0x116AB, 0x116B5),
    (0x1171D, 0x1172A), (0x1182C, 0x11838), (0x11930, 0x1193C), (0x11940, 0x11940), (0x11942, 0x11942), (0x119D1, 0x119DF),
    (0x119E4, 0x119E4), (0x11A01, 0x11A0A), (0x11A35, 0x11A39), (0x11A3B, 0x11A3E), (0x11A51, 0x11A5B), (0x11A8A, 0x11A97),
    (0x11C2F, 0x11C3E), (0x11C92, 0x11CB6), (0x11D31, 0x11D43), (0x11D47, 0x11D47), (0x11D8A, 0x11D96), (0x11EF3, 0x11EF6),
    (0x16F4F, 0x16F4F), (0x16F51, 0x16F92), (0x16FF0, 0x16FF1), (0x1BC9E, 0x1BC9E), (0x1E000, 0x1E02A), (0x1E947, 0x1E947),
    (0x1F130, 0x1F189),
];

/// Titlecase letters (general category Lt).
#[rustfmt::skip]
const TITLECASE_LETTERS: &[(u32, u32)] = &[
    (0x1C5, 0x1C5), (0x1C8, 0x1C8), (0x1CB, 0x1CB), (0x1F2, 0x1F2), (0x1F88, 0x1F8F),
    (0x1F98, 0x1F9F), (0x1FA8, 0x1FAF), (0x1FBC, 0x1FBC), (0x1FCC, 0x1FCC), (0x1FFC, 0x1FFC),
];

/// Letters that are neither XID_Start nor XID_Continue because their NFKC
/// form is not an identifier (e.g. Arabic presentation forms with marks).
#[rustfmt::skip]
const NFKC_NON_IDENTIFIER_LETTERS: &[(u32, u32)] = &[
    (0x37A, 0x37A), (0x2E2F, 0x2E2F), (0xFC5E, 0xFC63), (0xFDFA, 0xFDFB), (0xFE70, 0xFE70),
    (0xFE72, 0xFE72), (0xFE74, 0xFE74), (0xFE76, 0xFE76), (0xFE78, 0xFE78), (0xFE7A, 0xFE7A),
    (0xFE7C, 0xFE7C), (0xFE7E, 0xFE7E),
];

/// Connector punctuation (Pc) and Other_ID_Continue characters outside ASCII.
#[rustfmt::skip]
const ID_CONTINUE_PUNCTUATION: &[(u32, u32)] = &[
    (0xB7, 0xB7), (0x387, 0x387), (0x1369, 0x1371), (0x19DA, 0x19DA), (0x203F, 0x2040),
    (0x2054, 0x2054), (0xFE33, 0xFE34), (0xFE4D, 0xFE4F), (0xFF3F, 0xFF3F),
];

/// Identifier-continuing characters (mostly combining marks, Mn/Mc) that
/// are neither letters, decimal digits nor Rust-alphabetic: `str.isidentifier`
/// accepts them after the first character.
#[rustfmt::skip]
const XID_CONTINUE_MARKS: &[(u32, u32)] = &[
    (0x300, 0x362), (0x483, 0x487), (0x591, 0x5AF), (0x658, 0x658), (0x6DF, 0x6E0), (0x6EA, 0x6EC),
    (0x740, 0x74A), (0x7EB, 0x7F3), (0x7FD, 0x7FD), (0x818, 0x82D), (0x859, 0x85B), (0x898, 0x8E1),
    (0x8EA, 0x954), (0x9BC, 0x9BC), (0x9CD, 0x9CD), (0x9FE, 0x9FE), (0xA3C, 0xA3C), (0xA4D, 0xA4D),
    (0xABC, 0xABC), (0xACD, 0xACD), (0xAFD, 0xAFF), (0xB3C, 0xB3C), (0xB4D, 0xB4D), (0xB55, 0xB55),
    (0xBCD, 0xBCD), (0xC3C, 0xC3C), (0xC4D, 0xC4D), (0xCBC, 0xCBC), (0xCCD, 0xCCD), (0xD3B, 0xD3C),
    (0xD4D, 0xD4D), (0xDCA, 0xDCA), (0xE47, 0xE4E), (0xEBA, 0xEBA), (0xEC8, 0xECC), (0xF18, 0xF19),
    (0xF35, 0xF35), (0xF37, 0xF37), (0xF39, 0xF39), (0xF3E, 0xF3F), (0xF84, 0xF84), (0xF86, 0xF87),
    (0xFC6, 0xFC6), (0x1037, 0x103A), (0x135D, 0x135F), (0x1714, 0x1715), (0x1734, 0x1734), (0x17B4, 0x17D3),
    (0x17DD, 0x17DD), (0x180B, 0x180D), (0x180F, 0x180F), (0x1939, 0x193B), (0x1A60, 0x1A7C), (0x1A7F, 0x1A7F),
    (0x1AB0, 0x1ABD), (0x1AC1, 0x1ACB), (0x1B34, 0x1B44), (0x1B6B, 0x1B73), (0x1BAA, 0x1BF3), (0x1C37, 0x1C37),
    (0x1CD0, 0x1CD2), (0x1CD4, 0x1CF9), (0x1DC0, 0x1DFF), (0x20D0, 0x20DC), (0x20E1, 0x20E1), (0x20E5, 0x20F0),
    (0x2CEF, 0x2CF1), (0x2D7F, 0x2D7F), (0x302A, 0x302F), (0x3099, 0x309A), (0xA66F, 0xA66F), (0xA67C, 0xA67D),
    (0xA6F0, 0xA6F1), (0xA806, 0xA806), (0xA82C, 0xA82C), (0xA8C4, 0xA8C4), (0xA8E0, 0xA8F1), (0xA92B, 0xA92D),
    (0xA953, 0xA953), (0xA9B3, 0xA9C0), (0xAABF, 0xAAC1), (0xAAF6, 0xAAF6), (0xABEC, 0xABED), (0xFE00, 0xFE0F),
    (0xFE20, 0xFE2F), (0x101FD, 0x101FD), (0x102E0, 0x102E0), (0x10A38, 0x10A3A), (0x10A3F, 0x10A3F), (0x10AE5, 0x10AE6),
    (0x10F46, 0x10F50), (0x10F82, 0x10F85), (0x11046, 0x11046), (0x11070, 0x11070), (0x1107F, 0x110BA), (0x11133, 0x11134),
    (0x11173, 0x11173), (0x111C0, 0x111C0), (0x111C9, 0x111CC), (0x11235, 0x11236), (0x112E9, 0x112EA), (0x1133B, 0x1133C),
    (0x1134D, 0x1134D), (0x11366, 0x1136C), (0x11370, 0x11374), (0x11442, 0x11446), (0x1145E, 0x1145E), (0x114C2, 0x114C3),
    (0x115BF, 0x115C0), (0x1163F, 0x1163F), (0x116B6, 0x116B7), (0x1172B, 0x1172B), (0x11839, 0x1183A), (0x1193D, 0x11943),
    (0x119E0, 0x119E0), (0x11A33, 0x11A34), (0x11A47, 0x11A47), (0x11A98, 0x11A99), (0x11C3F, 0x11C3F), (0x11D42, 0x11D45),
    (0x11D97, 0x11D97), (0x16AF0, 0x16AF4), (0x16B30, 0x16B36), (0x16FE4, 0x16FE4), (0x1BC9D, 0x1BC9D), (0x1CF00, 0x1CF2D),
    (0x1CF30, 0x1CF46), (0x1D165, 0x1D169), (0x1D16D, 0x1D172), (0x1D17B, 0x1D182), (0x1D185, 0x1D18B), (0x1D1AA, 0x1D1AD),
    (0x1D242, 0x1D244), (0x1DA00, 0x1DA36), (0x1DA3B, 0x1DA6C), (0x1DA75, 0x1DA75), (0x1DA84, 0x1DA84), (0x1DA9B, 0x1DA9F),
    (0x1DAA1, 0x1DAAF), (0x1E130, 0x1E136), (0x1E2AE, 0x1E2AE), (0x1E2EC, 0x1E2EF), (0x1E8D0, 0x1E8D6), (0x1E944, 0x1E94A),
    (0xE0100, 0xE01EF),
];

/// Format characters (general category Cf) in Unicode 14.
#[rustfmt::skip]
const FORMAT_CHARACTERS: &[(u32, u32)] = &[
    (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD), (0x70F, 0x70F), (0x890, 0x891),
    (0x8E2, 0x8E2), (0x180E, 0x180E), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F),
    (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
];

/// The large holes (at least 256 code points) of unassigned code points
/// (category Cn) in Unicode 14; smaller holes are not tracked.
#[rustfmt::skip]
const LARGE_UNASSIGNED_RANGES: &[(u32, u32)] = &[
    (0x10D3A, 0x10E5F), (0x11AF9, 0x11BFF), (0x11DAA, 0x11EDF), (0x12544, 0x12F8F), (0x13439, 0x143FF), (0x14647, 0x167FF),
    (0x16B90, 0x16E3F), (0x18D09, 0x1AFEF), (0x1B2FC, 0x1BBFF), (0x1BCA4, 0x1CEFF), (0x1DAB0, 0x1DEFF), (0x1E150, 0x1E28F),
    (0x1E300, 0x1E7DF), (0x1E960, 0x1EC70), (0x1EEF2, 0x1EFFF), (0x1FBFA, 0x1FFFF), (0x2EBE1, 0x2F7FF), (0x2FA1E, 0x2FFFF),
    (0x3134B, 0xE0000), (0xE01F0, 0xEFFFF),
];

/// Decimal digit value (0..=9) of a Unicode decimal character (category
/// Nd), as accepted by `int()`; `None` for anything else.
pub fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii() {
        return c.to_digit(10);
    }
    let code_point = c as u32;
    let run = DECIMAL_ZEROS.partition_point(|&zero| zero <= code_point);
    let zero = *DECIMAL_ZEROS.get(run.checked_sub(1)?)?;
    let value = code_point - zero;
    (value < 10).then_some(value)
}

/// Python's `str.isdecimal` for one character (general category Nd; exact
/// for Unicode 14).
pub fn is_decimal_char(c: char) -> bool {
    decimal_value(c).is_some()
}

/// Python's `str.isdigit` for one character: decimals plus the
/// Numeric_Type=Digit characters such as superscripts (exact for Unicode 14).
pub fn is_digit_char(c: char) -> bool {
    is_decimal_char(c) || (!c.is_ascii() && in_ranges(DIGIT_NOT_DECIMAL, c as u32))
}

/// Python's `str.isnumeric` for one character. Approximation: every
/// character in a number category (Nd, Nl, No, via `char::is_numeric`) plus
/// the ideographs with a Unihan numeric value. This is exact for Unicode 14;
/// characters added after Unicode 14 follow Rust's newer tables.
pub fn is_numeric_char(c: char) -> bool {
    c.is_numeric() || NUMERIC_IDEOGRAPHS.binary_search(&(c as u32)).is_ok()
}

/// Python's `str.isalpha` for one character (categories Lu, Ll, Lt, Lm, Lo):
/// Rust's Alphabetic property minus letter numbers (Nl) and the
/// Other_Alphabetic marks/symbols listed in a table. Exact for Unicode 14
/// characters; later additions follow Rust's tables.
pub fn is_alpha_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    c.is_alphabetic() && !c.is_numeric() && !in_ranges(ALPHABETIC_NON_LETTERS, c as u32)
}

/// Python's `str.isalnum` for one character.
pub fn is_alnum_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    is_alpha_char(c) || is_numeric_char(c)
}

/// Titlecase letters (general category Lt), e.g. `ǅ`.
pub fn is_titlecase_char(c: char) -> bool {
    !c.is_ascii() && in_ranges(TITLECASE_LETTERS, c as u32)
}

/// Unicode's Cased property (Lowercase, Uppercase or Lt), which CPython's
/// `title()` uses to detect word boundaries.
pub fn is_cased_char(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || is_titlecase_char(c)
}

/// Python's `str.isprintable` for one character, which also decides what
/// `repr` escapes. Non-printable are: control (Cc), format (Cf), private use
/// (Co), line/paragraph separators and every space separator except ASCII
/// space, noncharacters, and unassigned code points. Approximation:
/// unassigned code points are only recognised within the large unassigned
/// areas of Unicode 14 (and noncharacters); isolated unassigned code points
/// inside otherwise assigned blocks are treated as printable.
pub fn is_printable_char(c: char) -> bool {
    let code_point = c as u32;
    if code_point < 0x7F {
        return code_point >= 0x20;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    let private_use = matches!(code_point, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF);
    let noncharacter = (0xFDD0..=0xFDEF).contains(&code_point) || code_point & 0xFFFE == 0xFFFE;
    !(private_use
        || noncharacter
        || in_ranges(FORMAT_CHARACTERS, code_point)
        || in_ranges(LARGE_UNASSIGNED_RANGES, code_point))
}

/// Whether `c` may start an identifier (`_` or XID_Start), as used by
/// `str.isidentifier`: letters and letter numbers (Nl), minus the few that
/// NFKC normalisation excludes, plus Other_ID_Start. Exact for Unicode 14
/// characters.
pub fn is_xid_start_char(c: char) -> bool {
    if c.is_ascii() {
        return c == '_' || c.is_ascii_alphabetic();
    }
    let code_point = c as u32;
    if matches!(code_point, 0x1885 | 0x1886 | 0x2118 | 0x212E) {
        return true;
    }
    let nfkc_excluded = in_ranges(NFKC_NON_IDENTIFIER_LETTERS, code_point)
        || matches!(code_point, 0xE33 | 0xEB3 | 0xFF9E | 0xFF9F);
    let letter_number = c.is_alphabetic() && c.is_numeric();
    !nfkc_excluded && (is_alpha_char(c) || letter_number)
}

/// Whether `c` may continue an identifier (XID_Continue): XID_Start,
/// decimal digits, connector punctuation, Other_ID_Continue, alphabetic
/// marks, and the remaining combining marks from a table. Exact for
/// Unicode 14 characters.
pub fn is_xid_continue_char(c: char) -> bool {
    if c.is_ascii() {
        return c == '_' || c.is_ascii_alphanumeric();
    }
    let code_point = c as u32;
    if in_ranges(NFKC_NON_IDENTIFIER_LETTERS, code_point) {
        return false;
    }
    let circled_letter = matches!(code_point, 0x24B6..=0x24E9 | 0x1F130..=0x1F189);
    is_xid_start_char(c)
        || is_decimal_char(c)
        || (c.is_alphabetic() && !circled_letter)
        || in_ranges(ID_CONTINUE_PUNCTUATION, code_point)
        || in_ranges(XID_CONTINUE_MARKS, code_point)
}

// ---------------------------------------------------------------------------
// Whole-string predicates (what the `str.isXXX()` methods return)
// ---------------------------------------------------------------------------

/// `s.isalpha()`: non-empty and every character is a letter.
pub fn isalpha(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_alpha_char)
}

/// `s.isdecimal()`: non-empty and every character is a decimal digit.
pub fn isdecimal(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_decimal_char)
}

/// `s.isdigit()`: non-empty and every character is a digit.
pub fn isdigit(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_digit_char)
}

/// `s.isnumeric()`: non-empty and every character is numeric.
pub fn isnumeric(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_numeric_char)
}

/// `s.isalnum()`: non-empty and every character is alphanumeric.
pub fn isalnum(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_alnum_char)
}

/// `s.isspace()`: non-empty and every character is whitespace.
pub fn isspace(s: &str) -> bool {
    !s.is_empty() && s.chars().all(is_python_space)
}

/// `s.isascii()`: every character is ASCII (true for the empty string).
pub fn isascii(s: &str) -> bool {
    s.is_ascii()
}

/// `s.isprintable()`: every character is printable (true for `''`).
pub fn isprintable(s: &str) -> bool {
    s.chars().all(is_printable_char)
}

/// `s.isupper()`: at least one uppercase character and no lowercase or
/// titlecase character.
pub fn isupper(s: &str) -> bool {
    let mut has_cased = false;
    for c in s.chars() {
        if c.is_lowercase() || is_titlecase_char(c) {
            return false;
        }
        has_cased |= c.is_uppercase();
    }
    has_cased
}

/// `s.islower()`: at least one lowercase character and no uppercase or
/// titlecase character.
pub fn islower(s: &str) -> bool {
    let mut has_cased = false;
    for c in s.chars() {
        if c.is_uppercase() || is_titlecase_char(c) {
            return false;
        }
        has_cased |= c.is_lowercase();
    }
    has_cased
}

/// `s.istitle()`: uppercase/titlecase characters only follow uncased ones,
/// lowercase characters only follow cased ones, and there is at least one
/// cased character.
pub fn istitle(s: &str) -> bool {
    let mut has_cased = false;
    let mut previous_is_cased = false;
    for c in s.chars() {
        if c.is_uppercase() || is_titlecase_char(c) {
            if previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            has_cased = true;
        } else if c.is_lowercase() {
            if !previous_is_cased {
                return false;
            }
            previous_is_cased = true;
            has_cased = true;
        } else {
            previous_is_cased = false;
        }
    }
    has_cased
}

/// `s.isidentifier()`: a non-empty string whose first character is `_` or
/// XID_Start and whose others are XID_Continue (see the approximations on
/// [`is_xid_start_char`] and [`is_xid_continue_char`]). Keywords are
/// identifiers here too, as in Python.
pub fn isidentifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) if is_xid_start_char(first) => chars.all(is_xid_continue_char),
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// Case mapping
// ---------------------------------------------------------------------------

/// For every `'Σ'` in `s`, in order, whether it is in the Final_Sigma
/// context (and so lowercases to `'ς'`). The context rule is the same in
/// Rust's `str::to_lowercase` and CPython, so it is read off Rust's result:
/// every other character lowercases independently of context, which keeps
/// the two character streams aligned.
fn final_sigma_flags(s: &str) -> Vec<bool> {
    if !s.contains('Σ') {
        return Vec::new();
    }
    let lowered = s.to_lowercase();
    let mut lowered_chars = lowered.chars();
    let mut flags = Vec::new();
    for c in s.chars() {
        if c == 'Σ' {
            flags.push(lowered_chars.next() == Some('ς'));
        } else {
            for _ in c.to_lowercase() {
                lowered_chars.next();
            }
        }
    }
    flags
}

/// Lowercases characters one at a time with CPython's final-sigma rule.
struct SigmaAwareLowercaser {
    final_sigma: std::vec::IntoIter<bool>,
}

impl SigmaAwareLowercaser {
    fn new(s: &str) -> Self {
        SigmaAwareLowercaser {
            final_sigma: final_sigma_flags(s).into_iter(),
        }
    }

    /// Appends the lowercase mapping of `c`; must be called for every `'Σ'`
    /// of the string in order (other characters may be skipped).
    fn push_lower(&mut self, c: char, out: &mut String) {
        if c == 'Σ' {
            let is_final = self.final_sigma.next().unwrap_or(false);
            out.push(if is_final { 'ς' } else { 'σ' });
        } else {
            out.extend(c.to_lowercase());
        }
    }

    /// Skips a `'Σ'` that is not being lowercased.
    fn skip(&mut self, c: char) {
        if c == 'Σ' {
            self.final_sigma.next();
        }
    }
}

/// Appends the full titlecase mapping of `c`. Where Unicode's titlecase
/// mapping differs from its uppercase mapping (digraphs, ligatures, Greek
/// iota-subscript forms, Georgian) it is spelled out; otherwise it is the
/// uppercase mapping.
pub fn push_titlecase(c: char, out: &mut String) {
    let code_point = c as u32;
    let special: &str = match code_point {
        0xDF => "Ss",
        0x1C4..=0x1C6 => "\u{1C5}",
        0x1C7..=0x1C9 => "\u{1C8}",
        0x1CA..=0x1CC => "\u{1CB}",
        0x1F1..=0x1F3 => "\u{1F2}",
        0x587 => "\u{535}\u{582}",
        // Georgian Mkhedruli letters are their own titlecase.
        0x10D0..=0x10FF => {
            out.push(c);
            return;
        }
        // Greek with ypogegrammeni: the titlecase letter is at offset 8.
        0x1F80..=0x1FAF => {
            out.push(char::from_u32(code_point | 0x8).unwrap_or(c));
            return;
        }
        0x1FB3 | 0x1FBC => "\u{1FBC}",
        0x1FC3 | 0x1FCC => "\u{1FCC}",
        0x1FF3 | 0x1FFC => "\u{1FFC}",
        0x1FB2 => "\u{1FBA}\u{345}",
        0x1FB4 => "\u{386}\u{345}",
        0x1FB7 => "\u{391}\u{342}\u{345}",
        0x1FC2 => "\u{1FCA}\u{345}",
        0x1FC4 => "\u{389}\u{345}",
        0x1FC7 => "\u{397}\u{342}\u{345}",
        0x1FF2 => "\u{1FFA}\u{345}",
        0x1FF4 => "\u{38F}\u{345}",
        0x1FF7 => "\u{3A9}\u{342}\u{345}",
        0xFB00 => "Ff",
        0xFB01 => "Fi",
        0xFB02 => "Fl",
        0xFB03 => "Ffi",
        0xFB04 => "Ffl",
        0xFB05 | 0xFB06 => "St",
        0xFB13 => "\u{544}\u{576}",
        0xFB14 => "\u{544}\u{565}",
        0xFB15 => "\u{544}\u{56B}",
        0xFB16 => "\u{54E}\u{576}",
        0xFB17 => "\u{544}\u{56D}",
        _ => {
            out.extend(c.to_uppercase());
            return;
        }
    };
    out.push_str(special);
}

/// Appends the full case folding of `c`. For almost every character this is
/// the lowercase of its uppercase mapping (which folds `ß`, `ﬁ`, `ς`, `ſ`,
/// Greek iota forms, ...); the exceptions are spelled out.
pub fn push_casefold(c: char, out: &mut String) {
    let code_point = c as u32;
    match code_point {
        // Dotless i folds to itself, capital sharp s to "ss".
        0x131 => out.push(c),
        0x1E9E => out.push_str("ss"),
        // Cherokee folds to the uppercase letters.
        0x13A0..=0x13F5 => out.push(c),
        0x13F8..=0x13FD | 0xAB70..=0xABBF => {
            let folded = if code_point <= 0x13FD {
                code_point - 8
            } else {
                code_point - 0xAB70 + 0x13A0
            };
            out.push(char::from_u32(folded).unwrap_or(c));
        }
        _ => {
            for upper in c.to_uppercase() {
                out.extend(upper.to_lowercase());
            }
        }
    }
}

/// `s.upper()` (full case mapping: `'ß'` becomes `"SS"`).
pub fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// `s.lower()` (full case mapping, with the final-sigma rule).
pub fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// `s.casefold()`: full Unicode case folding.
pub fn casefold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_casefold(c, &mut out);
    }
    out
}

/// `s.capitalize()` as in Python 3.8+: the first character titlecased, the
/// rest lowercased.
pub fn capitalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut lowercaser = SigmaAwareLowercaser::new(s);
    let mut chars = s.chars();
    if let Some(first) = chars.next() {
        lowercaser.skip(first);
        push_titlecase(first, &mut out);
    }
    for c in chars {
        lowercaser.push_lower(c, &mut out);
    }
    out
}

/// `s.title()`: a character following a cased character is lowercased,
/// any other is titlecased (so `"they're"` becomes `"They'Re"`).
pub fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut lowercaser = SigmaAwareLowercaser::new(s);
    let mut previous_is_cased = false;
    for c in s.chars() {
        if previous_is_cased {
            lowercaser.push_lower(c, &mut out);
        } else {
            lowercaser.skip(c);
            push_titlecase(c, &mut out);
        }
        previous_is_cased = is_cased_char(c);
    }
    out
}

/// `s.swapcase()`: uppercase characters lowercased, lowercase ones
/// uppercased, everything else (titlecase letters included) unchanged.
pub fn swapcase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut lowercaser = SigmaAwareLowercaser::new(s);
    for c in s.chars() {
        if c.is_uppercase() {
            lowercaser.push_lower(c, &mut out);
        } else {
            lowercaser.skip(c);
            if c.is_lowercase() {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Splitting
// ---------------------------------------------------------------------------

/// Converts Python's `maxsplit` (negative = unlimited) to a split budget.
fn split_budget(maxsplit: i64) -> usize {
    usize::try_from(maxsplit).unwrap_or(usize::MAX)
}

/// `s.split(None, maxsplit)`: splits on runs of whitespace, ignoring
/// leading and trailing whitespace. When the budget runs out, the remainder
/// is returned with its leading whitespace removed and its trailing
/// whitespace kept, as CPython does.
pub fn split_whitespace(s: &str, maxsplit: i64) -> Vec<&str> {
    let mut budget = split_budget(maxsplit);
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(is_python_space);
        if rest.is_empty() {
            return parts;
        }
        if budget == 0 {
            parts.push(rest);
            return parts;
        }
        let word_end = rest.find(is_python_space).unwrap_or(rest.len());
        parts.push(&rest[..word_end]);
        rest = &rest[word_end..];
        budget -= 1;
    }
}

/// `s.rsplit(None, maxsplit)`: like [`split_whitespace`] but splitting from
/// the right; the remainder keeps its leading whitespace.
pub fn rsplit_whitespace(s: &str, maxsplit: i64) -> Vec<&str> {
    let mut budget = split_budget(maxsplit);
    let mut parts = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_end_matches(is_python_space);
        if rest.is_empty() {
            break;
        }
        if budget == 0 {
            parts.push(rest);
            break;
        }
        let word_start = rest
            .char_indices()
            .rev()
            .find(|&(_, c)| is_python_space(c))
            .map_or(0, |(byte, c)| byte + c.len_utf8());
        parts.push(&rest[word_start..]);
        rest = &rest[..word_start];
        budget -= 1;
    }
    parts.reverse();
    parts
}

/// `s.split(sep, maxsplit)` for a non-empty `sep` (the caller raises
/// `ValueError("empty separator")` otherwise; an empty `sep` here returns
/// `[s]`).
pub fn split_sep<'a>(s: &'a str, sep: &str, maxsplit: i64) -> Vec<&'a str> {
    if sep.is_empty() {
        return vec![s];
    }
    let mut budget = split_budget(maxsplit);
    let mut parts = Vec::new();
    let mut rest = s;
    while budget > 0 {
        let Some(found) = rest.find(sep) else {
            break;
        };
        parts.push(&rest[..found]);
        rest = &rest[found + sep.len()..];
        budget -= 1;
    }
    parts.push(rest);
    parts
}

/// `s.rsplit(sep, maxsplit)` for a non-empty `sep`: matches are taken from
/// the right (`'aaa'.rsplit('aa')` is `['a', '']`).
pub fn rsplit_sep<'a>(s: &'a str, sep: &str, maxsplit: i64) -> Vec<&'a str> {
    if sep.is_empty() {
        return vec![s];
    }
    let mut budget = split_budget(maxsplit);
    let mut parts = Vec::new();
    let mut rest = s;
    while budget > 0 {
        let Some(found) = rest.rfind(sep) else {
            break;
        };
        parts.push(&rest[found + sep.len()..]);
        rest = &rest[..found];
        budget -= 1;
    }
    parts.push(rest);
    parts.reverse();
    parts
}

/// `s.splitlines(keepends)`: splits at every line boundary (`\n`, `\r`,
/// `\r\n`, `\v`, `\f`, `\x1c`, `\x1d`, `\x1e`, `\x85`, `\u2028`, `\u2029`);
/// no empty string is produced after a final boundary.
pub fn splitlines(s: &str, keepends: bool) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut line_start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((byte, c)) = chars.next() {
        if !is_line_boundary(c) {
            continue;
        }
        let mut boundary_end = byte + c.len_utf8();
        if c == '\r' && matches!(chars.peek(), Some(&(_, '\n'))) {
            chars.next();
            boundary_end += 1;
        }
        let line_end = if keepends { boundary_end } else { byte };
        lines.push(&s[line_start..line_end]);
        line_start = boundary_end;
    }
    if line_start < s.len() {
        lines.push(&s[line_start..]);
    }
    lines
}

/// `s.partition(sep)` for a non-empty `sep`: `(before, sep, after)` around
/// the first occurrence, or `(s, "", "")` when `sep` does not occur (so an
/// empty middle means "not found"). The caller raises for an empty `sep`.
pub fn partition<'a>(s: &'a str, sep: &str) -> (&'a str, &'a str, &'a str) {
    match s.find(sep) {
        Some(found) if !sep.is_empty() => {
            let sep_end = found + sep.len();
            (&s[..found], &s[found..sep_end], &s[sep_end..])
        }
        _ => (s, "", ""),
    }
}

/// `s.rpartition(sep)` for a non-empty `sep`: split around the last
/// occurrence, or `("", "", s)` when `sep` does not occur.
pub fn rpartition<'a>(s: &'a str, sep: &str) -> (&'a str, &'a str, &'a str) {
    match s.rfind(sep) {
        Some(found) if !sep.is_empty() => {
            let sep_end = found + sep.len();
            (&s[..found], &s[found..sep_end], &s[sep_end..])
        }
        _ => ("", "", s),
    }
}

// ---------------------------------------------------------------------------
// Stripping
// ---------------------------------------------------------------------------

/// `s.strip(chars)`: removes leading and trailing characters found in
/// `chars`, or Python whitespace when `chars` is `None`.
pub fn strip<'a>(s: &'a str, chars: Option<&str>) -> &'a str {
    rstrip(lstrip(s, chars), chars)
}

/// `s.lstrip(chars)`.
pub fn lstrip<'a>(s: &'a str, chars: Option<&str>) -> &'a str {
    match chars {
        None => s.trim_start_matches(is_python_space),
        Some(set) => s.trim_start_matches(|c| set.contains(c)),
    }
}

/// `s.rstrip(chars)`.
pub fn rstrip<'a>(s: &'a str, chars: Option<&str>) -> &'a str {
    match chars {
        None => s.trim_end_matches(is_python_space),
        Some(set) => s.trim_end_matches(|c| set.contains(c)),
    }
}

/// `s.removeprefix(prefix)`.
pub fn removeprefix<'a>(s: &'a str, prefix: &str) -> &'a str {
    s.strip_prefix(prefix).unwrap_or(s)
}

/// `s.removesuffix(suffix)`.
pub fn removesuffix<'a>(s: &'a str, suffix: &str) -> &'a str {
    s.strip_suffix(suffix).unwrap_or(s)
}

// ---------------------------------------------------------------------------
// Padding
// ---------------------------------------------------------------------------

/// Number of fill characters needed to widen `s` to `width` code points,
/// or `None` when `s` is already at least that wide.
fn padding_needed(s: &str, width: i64) -> Option<usize> {
    let width = usize::try_from(width).ok()?;
    let len = char_len(s);
    (width > len).then(|| width - len)
}

/// `s` with `left` fill characters before it and `right` after it.
fn pad(s: &str, left: usize, right: usize, fill: char) -> String {
    let mut out = String::with_capacity(s.len() + (left + right) * fill.len_utf8());
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(s);
    out.extend(std::iter::repeat_n(fill, right));
    out
}

/// `s.center(width, fill)`. When the padding is odd, the extra fill
/// character goes on the left only if both the padding and `width` are odd
/// (CPython's rule: `'a'.center(4)` is `' a  '`, `'ab'.center(5)` is
/// `'  ab '`). The caller must bound `width` (Python raises MemoryError).
pub fn center(s: &str, width: i64, fill: char) -> String {
    match padding_needed(s, width) {
        None => s.to_owned(),
        Some(margin) => {
            let width_is_odd = width & 1 == 1;
            let left = margin / 2 + usize::from(margin & 1 == 1 && width_is_odd);
            pad(s, left, margin - left, fill)
        }
    }
}

/// `s.ljust(width, fill)`: `s` followed by fill characters.
pub fn ljust(s: &str, width: i64, fill: char) -> String {
    pad(s, 0, padding_needed(s, width).unwrap_or(0), fill)
}

/// `s.rjust(width, fill)`: fill characters followed by `s`.
pub fn rjust(s: &str, width: i64, fill: char) -> String {
    pad(s, padding_needed(s, width).unwrap_or(0), 0, fill)
}

/// `s.zfill(width)`: left-pads with `'0'`, keeping a leading `'+'`/`'-'`
/// sign in front of the zeros.
pub fn zfill(s: &str, width: i64) -> String {
    let Some(zeros) = padding_needed(s, width) else {
        return s.to_owned();
    };
    let (sign, digits) = match s.chars().next() {
        Some(sign @ ('+' | '-')) => (Some(sign), &s[1..]),
        _ => (None, s),
    };
    let mut out = String::with_capacity(s.len() + zeros);
    out.extend(sign);
    out.extend(std::iter::repeat_n('0', zeros));
    out.push_str(digits);
    out
}

/// `s.expandtabs(tabsize)`: every tab becomes spaces up to the next column
/// that is a multiple of `tabsize`; the column resets after `\n` and `\r`.
/// With `tabsize <= 0` tabs are removed.
pub fn expandtabs(s: &str, tabsize: i64) -> String {
    let tabsize = usize::try_from(tabsize).unwrap_or(0);
    let mut out = String::with_capacity(s.len());
    let mut column = 0usize;
    for c in s.chars() {
        match c {
            '\t' => {
                if tabsize > 0 {
                    let spaces = tabsize - column % tabsize;
                    out.extend(std::iter::repeat_n(' ', spaces));
                    column += spaces;
                }
            }
            '\n' | '\r' => {
                out.push(c);
                column = 0;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Searching
// ---------------------------------------------------------------------------

/// `s.find(sub, start, end)`: the code-point index of the first occurrence
/// of `sub` within the slice `s[start:end]`, or -1. `start`/`end` follow
/// slice rules (negative counts from the end, out-of-range clamped), except
/// that an empty `sub` is not found past the end (`'abc'.find('', 5)` is -1).
pub fn find(s: &str, sub: &str, start: Option<i64>, end: Option<i64>) -> i64 {
    let text = IndexedText::new(s);
    let Some((start, end)) = text.window(start, end, char_len(sub)) else {
        return -1;
    };
    let (start_byte, end_byte) = text.byte_range(start, end);
    match s[start_byte..end_byte].find(sub) {
        Some(offset) => (start + text.chars_between(start_byte, start_byte + offset)) as i64,
        None => -1,
    }
}

/// `s.rfind(sub, start, end)`: index of the last occurrence within
/// `s[start:end]`, or -1. An empty `sub` is found at the (adjusted) `end`.
pub fn rfind(s: &str, sub: &str, start: Option<i64>, end: Option<i64>) -> i64 {
    let text = IndexedText::new(s);
    let Some((start, end)) = text.window(start, end, char_len(sub)) else {
        return -1;
    };
    let (start_byte, end_byte) = text.byte_range(start, end);
    match s[start_byte..end_byte].rfind(sub) {
        Some(offset) => (start + text.chars_between(start_byte, start_byte + offset)) as i64,
        None => -1,
    }
}

/// `s.count(sub, start, end)`: number of non-overlapping occurrences within
/// `s[start:end]`. An empty `sub` counts every position, i.e. the slice
/// length plus one.
pub fn count(s: &str, sub: &str, start: Option<i64>, end: Option<i64>) -> usize {
    let text = IndexedText::new(s);
    let Some((start, end)) = text.window(start, end, char_len(sub)) else {
        return 0;
    };
    if sub.is_empty() {
        return end - start + 1;
    }
    let (start_byte, end_byte) = text.byte_range(start, end);
    s[start_byte..end_byte].matches(sub).count()
}

/// `s.startswith(prefix, start, end)` for one prefix (the caller loops over
/// a tuple).
pub fn startswith_at(s: &str, prefix: &str, start: Option<i64>, end: Option<i64>) -> bool {
    let text = IndexedText::new(s);
    let Some((start, end)) = text.window(start, end, char_len(prefix)) else {
        return false;
    };
    let (start_byte, end_byte) = text.byte_range(start, end);
    s[start_byte..end_byte].starts_with(prefix)
}

/// `s.endswith(suffix, start, end)` for one suffix.
pub fn endswith_at(s: &str, suffix: &str, start: Option<i64>, end: Option<i64>) -> bool {
    let text = IndexedText::new(s);
    let Some((start, end)) = text.window(start, end, char_len(suffix)) else {
        return false;
    };
    let (start_byte, end_byte) = text.byte_range(start, end);
    s[start_byte..end_byte].ends_with(suffix)
}

// ---------------------------------------------------------------------------
// Replacing
// ---------------------------------------------------------------------------

/// `s.replace(old, new, count)`: replaces the first `count` non-overlapping
/// occurrences (all when `count < 0`). An empty `old` matches before every
/// character and at the end: `'abc'.replace('', '-')` is `'-a-b-c-'`.
pub fn replace(s: &str, old: &str, new: &str, count: i64) -> String {
    let budget = split_budget(count);
    if budget == 0 {
        return s.to_owned();
    }
    if !old.is_empty() {
        return if count < 0 {
            s.replace(old, new)
        } else {
            s.replacen(old, new, budget)
        };
    }
    let mut out = String::with_capacity(s.len() + new.len() * (char_len(s) + 1).min(budget));
    let mut inserted = 0usize;
    for c in s.chars() {
        if inserted < budget {
            out.push_str(new);
            inserted += 1;
        }
        out.push(c);
    }
    if inserted < budget {
        out.push_str(new);
    }
    out
}

// ---------------------------------------------------------------------------
// repr / ascii
// ---------------------------------------------------------------------------

/// Appends `\xhh`, `\uhhhh` or `\Uhhhhhhhh` for `c` (lowercase hex).
fn push_hex_escape(out: &mut String, c: char) {
    let code_point = c as u32;
    // Writing to a String cannot fail.
    let _ = if code_point <= 0xFF {
        write!(out, "\\x{code_point:02x}")
    } else if code_point <= 0xFFFF {
        write!(out, "\\u{code_point:04x}")
    } else {
        write!(out, "\\U{code_point:08x}")
    };
}

/// The quote character CPython's `repr` picks: `'` unless the string
/// contains `'` and no `"`.
fn repr_quote(s: &str) -> char {
    if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    }
}

fn render_repr(s: &str, escape_non_ascii: bool) -> String {
    let quote = repr_quote(s);
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            _ if c == quote => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ if c.is_ascii() || escape_non_ascii || !is_printable_char(c) => {
                push_hex_escape(&mut out, c);
            }
            _ => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(s)`: the quoted literal CPython prints, keeping printable non-ASCII
/// characters and escaping the rest (see [`is_printable_char`]).
pub fn repr_str(s: &str) -> String {
    render_repr(s, false)
}

/// `ascii(s)`: like [`repr_str`] but every non-ASCII character is escaped.
pub fn ascii_repr(s: &str) -> String {
    render_repr(s, true)
}

#[cfg(test)]
mod tests {
    //! Expected values were produced by CPython 3.11 (`python3`) for the
    //! same calls; keep them that way when adding cases.

    use super::*;

    /// Names of the `str.isXXX()` predicates that hold for `s`.
    fn true_predicates(s: &str) -> Vec<&'static str> {
        type Predicate = fn(&str) -> bool;
        let predicates: [(&'static str, Predicate); 12] = [
            ("isalpha", isalpha),
            ("isdecimal", isdecimal),
            ("isdigit", isdigit),
            ("isnumeric", isnumeric),
            ("isalnum", isalnum),
            ("isspace", isspace),
            ("isupper", isupper),
            ("islower", islower),
            ("istitle", istitle),
            ("isidentifier", isidentifier),
            ("isprintable", isprintable),
            ("isascii", isascii),
        ];
        predicates
            .iter()
            .filter(|(_, predicate)| predicate(s))
            .map(|(name, _)| *name)
            .collect()
    }

    /// `[upper, lower, casefold, capitalize, title, swapcase]` of `s`.
    fn case_forms(s: &str) -> [String; 6] {
        [
            upper(s),
            lower(s),
            casefold(s),
            capitalize(s),
            title(s),
            swapcase(s),
        ]
    }

    #[test]
    fn adjust_indices_follows_cpython() {
        assert_eq!(adjust_indices(None, None, 3), (0, 3));
        assert_eq!(adjust_indices(Some(-2), None, 3), (1, 3));
        assert_eq!(adjust_indices(Some(-10), Some(-10), 3), (0, 0));
        // `start` may stay past the end; `end` is clamped.
        assert_eq!(adjust_indices(Some(5), Some(10), 3), (5, 3));
        assert_eq!(adjust_indices(Some(i64::MIN), Some(i64::MIN), 3), (0, 0));
        assert_eq!(
            adjust_indices(Some(i64::MAX), Some(i64::MAX), 3),
            (i64::MAX, 3)
        );
    }

    #[test]
    fn extreme_arguments_do_not_overflow() {
        // 'abc'.find('c', -2**63, 2**63 - 1) == 2, and so on (CPython 3.11).
        assert_eq!(find("abc", "c", Some(i64::MIN), Some(i64::MAX)), 2);
        assert_eq!(rfind("abc", "", Some(i64::MIN), Some(i64::MAX)), 3);
        assert_eq!(count("abc", "", Some(i64::MAX), None), 0);
        assert!(!startswith_at("abc", "", Some(i64::MAX), None));
        assert_eq!(replace("aaa", "a", "b", i64::MAX), "bbb");
        assert_eq!(split_whitespace("a b", i64::MAX), vec!["a", "b"]);
        assert_eq!(rsplit_sep("a,b", ",", i64::MIN), vec!["a", "b"]);
        assert_eq!(center("abc", i64::MIN, ' '), "abc");
        assert_eq!(zfill("-1", i64::MIN), "-1");
        assert_eq!(expandtabs("a\tb", i64::from(i32::MIN)), "ab");
    }

    #[test]
    fn empty_separator_is_left_to_the_caller() {
        // Python raises ValueError; these functions just return the input.
        assert_eq!(split_sep("abc", "", -1), vec!["abc"]);
        assert_eq!(rsplit_sep("abc", "", -1), vec!["abc"]);
        assert_eq!(partition("abc", ""), ("abc", "", ""));
        assert_eq!(rpartition("abc", ""), ("", "", "abc"));
    }

    #[test]
    fn character_classes_on_ascii_match_std() {
        for byte in 0u8..0x80 {
            let c = char::from(byte);
            assert_eq!(is_alpha_char(c), c.is_ascii_alphabetic(), "{c:?}");
            assert_eq!(is_decimal_char(c), c.is_ascii_digit(), "{c:?}");
            assert_eq!(is_digit_char(c), c.is_ascii_digit(), "{c:?}");
            assert_eq!(is_numeric_char(c), c.is_ascii_digit(), "{c:?}");
            assert_eq!(is_alnum_char(c), c.is_ascii_alphanumeric(), "{c:?}");
            assert_eq!(is_printable_char(c), (' '..='~').contains(&c), "{c:?}");
        }
    }

    #[test]
    fn titlecase_and_casefold_of_single_characters() {
        let title_of = |c: char| {
            let mut out = String::new();
            push_titlecase(c, &mut out);
            out
        };
        let fold_of = |c: char| {
            let mut out = String::new();
            push_casefold(c, &mut out);
            out
        };
        // Values from chr(n).title() / chr(n).casefold() in CPython 3.11.
        assert_eq!(title_of('ǆ'), "ǅ");
        assert_eq!(title_of('ß'), "Ss");
        assert_eq!(title_of('ᾀ'), "ᾈ");
        assert_eq!(title_of('ᾷ'), "\u{391}\u{342}\u{345}");
        assert_eq!(title_of('ﬄ'), "Ffl");
        assert_eq!(title_of('ა'), "ა");
        assert_eq!(fold_of('ẞ'), "ss");
        assert_eq!(fold_of('ꭰ'), "Ꭰ");
        assert_eq!(fold_of('ᏸ'), "Ᏸ");
        assert_eq!(fold_of('ς'), "σ");
        assert_eq!(fold_of('ſ'), "s");
        assert_eq!(fold_of('ı'), "ı");
        assert_eq!(fold_of('İ'), "i\u{307}");
        assert!(is_titlecase_char('ǅ') && is_cased_char('ǅ'));
        assert!(!is_cased_char('1') && !is_titlecase_char('A'));
    }

    #[test]
    fn code_point_indexing() {
        assert_eq!(char_len(""), 0);
        assert_eq!(char_len("abc"), 3);
        assert_eq!(char_len("héllo"), 5);
        assert_eq!(char_len("日本語"), 3);
        assert_eq!(char_len("😀a"), 2);
        assert_eq!(char_len("a😀b日"), 4);
        assert_eq!(char_index_to_byte("abc", 2), 2);
        assert_eq!(char_index_to_byte("abc", 7), 3);
        assert_eq!(char_index_to_byte("héllo", 2), 3);
        assert_eq!(char_index_to_byte("héllo", 5), 6);
        assert_eq!(char_index_to_byte("日本語", 1), 3);
        assert_eq!(char_index_to_byte("日本語", 3), 9);
        assert_eq!(char_index_to_byte("日本語", 10), 9);
        assert_eq!(char_index_to_byte("😀a", 1), 4);
        assert_eq!(char_index_to_byte("a😀b日", 3), 6);
        assert_eq!(char_index_to_byte("", 0), 0);
        assert_eq!(byte_index_to_char("héllo", 3), 2);
        assert_eq!(byte_index_to_char("日本語", 6), 2);
        assert_eq!(byte_index_to_char("a😀b日", 5), 2);
        assert_eq!(byte_index_to_char("a😀b日", 9), 4);
        assert_eq!(byte_index_to_char("abc", 2), 2);
    }

    #[test]
    fn python_whitespace_chars() {
        assert!(is_python_space('\u{9}'));
        assert!(is_python_space('\u{a}'));
        assert!(is_python_space('\u{b}'));
        assert!(is_python_space('\u{c}'));
        assert!(is_python_space('\u{d}'));
        assert!(is_python_space('\u{1c}'));
        assert!(is_python_space('\u{1d}'));
        assert!(is_python_space('\u{1e}'));
        assert!(is_python_space('\u{1f}'));
        assert!(is_python_space(' '));
        assert!(is_python_space('\u{85}'));
        assert!(is_python_space('\u{a0}'));
        assert!(is_python_space('\u{1680}'));
        assert!(is_python_space('\u{2000}'));
        assert!(is_python_space('\u{200a}'));
        assert!(is_python_space('\u{2028}'));
        assert!(is_python_space('\u{2029}'));
        assert!(is_python_space('\u{202f}'));
        assert!(is_python_space('\u{205f}'));
        assert!(is_python_space('\u{3000}'));
        assert!(!is_python_space('a'));
        assert!(!is_python_space('\u{0}'));
        assert!(!is_python_space('\u{1b}'));
        assert!(!is_python_space('\u{180e}'));
        assert!(!is_python_space('\u{200b}'));
        assert!(!is_python_space('\u{feff}'));
        assert!(!is_python_space('\u{2060}'));
        assert!(!is_python_space('_'));
        assert!(!is_python_space('日'));
    }

    #[test]
    fn split_whitespace_like_cpython() {
        assert_eq!(split_whitespace("  a b  c ", -1), vec!["a", "b", "c"]);
        assert_eq!(split_whitespace("  a b  c ", 0), vec!["a b  c "]);
        assert_eq!(split_whitespace("  a b  c ", 1), vec!["a", "b  c "]);
        assert_eq!(split_whitespace("  a b  c ", 2), vec!["a", "b", "c "]);
        assert_eq!(split_whitespace("a b c", -1), vec!["a", "b", "c"]);
        assert_eq!(split_whitespace("a b c", 0), vec!["a b c"]);
        assert_eq!(split_whitespace("a b c", 1), vec!["a", "b c"]);
        assert_eq!(split_whitespace("a b c", 2), vec!["a", "b", "c"]);
        assert_eq!(split_whitespace("", -1), Vec::<&str>::new());
        assert_eq!(split_whitespace("", 0), Vec::<&str>::new());
        assert_eq!(split_whitespace("", 1), Vec::<&str>::new());
        assert_eq!(split_whitespace("", 2), Vec::<&str>::new());
        assert_eq!(split_whitespace("   ", -1), Vec::<&str>::new());
        assert_eq!(split_whitespace("   ", 0), Vec::<&str>::new());
        assert_eq!(split_whitespace("   ", 1), Vec::<&str>::new());
        assert_eq!(split_whitespace("   ", 2), Vec::<&str>::new());
        assert_eq!(
            split_whitespace("héllo  wörld ", -1),
            vec!["héllo", "wörld"]
        );
        assert_eq!(split_whitespace("héllo  wörld ", 0), vec!["héllo  wörld "]);
        assert_eq!(
            split_whitespace("héllo  wörld ", 1),
            vec!["héllo", "wörld "]
        );
        assert_eq!(split_whitespace("héllo  wörld ", 2), vec!["héllo", "wörld"]);
        assert_eq!(
            split_whitespace(" 日本語 テスト ", -1),
            vec!["日本語", "テスト"]
        );
        assert_eq!(
            split_whitespace(" 日本語 テスト ", 0),
            vec!["日本語 テスト "]
        );
        assert_eq!(
            split_whitespace(" 日本語 テスト ", 1),
            vec!["日本語", "テスト "]
        );
        assert_eq!(
            split_whitespace(" 日本語 テスト ", 2),
            vec!["日本語", "テスト"]
        );
        assert_eq!(
            split_whitespace(
                " a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i ",
                -1
            ),
            vec!["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        );
        assert_eq!(
            split_whitespace(" a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i ", 0),
            vec!["a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i "]
        );
        assert_eq!(
            split_whitespace(" a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i ", 1),
            vec!["a", "b\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i "]
        );
        assert_eq!(
            split_whitespace(" a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i ", 2),
            vec!["a", "b", "c\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i "]
        );
        assert_eq!(
            split_whitespace("😀 🎉  x\u{200b}y", -1),
            vec!["😀", "🎉", "x\u{200b}y"]
        );
        assert_eq!(
            split_whitespace("😀 🎉  x\u{200b}y", 0),
            vec!["😀 🎉  x\u{200b}y"]
        );
        assert_eq!(
            split_whitespace("😀 🎉  x\u{200b}y", 1),
            vec!["😀", "🎉  x\u{200b}y"]
        );
        assert_eq!(
            split_whitespace("😀 🎉  x\u{200b}y", 2),
            vec!["😀", "🎉", "x\u{200b}y"]
        );
    }

    #[test]
    fn rsplit_whitespace_like_cpython() {
        assert_eq!(rsplit_whitespace("  a b  c ", -1), vec!["a", "b", "c"]);
        assert_eq!(rsplit_whitespace("  a b  c ", 0), vec!["  a b  c"]);
        assert_eq!(rsplit_whitespace("  a b  c ", 1), vec!["  a b", "c"]);
        assert_eq!(rsplit_whitespace("  a b  c ", 2), vec!["  a", "b", "c"]);
        assert_eq!(rsplit_whitespace("a b c", -1), vec!["a", "b", "c"]);
        assert_eq!(rsplit_whitespace("a b c", 0), vec!["a b c"]);
        assert_eq!(rsplit_whitespace("a b c", 1), vec!["a b", "c"]);
        assert_eq!(rsplit_whitespace("a b c", 2), vec!["a", "b", "c"]);
        assert_eq!(rsplit_whitespace("", -1), Vec::<&str>::new());
        assert_eq!(rsplit_whitespace("", 0), Vec::<&str>::new());
        assert_eq!(rsplit_whitespace("", 1), Vec::<&str>::new());
        assert_eq!(rsplit_whitespace("", 2), Vec::<&str>::new());
        assert_eq!(rsplit_whitespace("   ", -1), Vec::<&str>::new());
        assert_eq!(rsplit_whitespace("   ", 0), Vec::<&str>::new());
        assert_eq!(rsplit_whitespace("   ", 1), Vec::<&str>::new());
        assert_eq!(rsplit_whitespace("   ", 2), Vec::<&str>::new());
        assert_eq!(
            rsplit_whitespace("héllo  wörld ", -1),
            vec!["héllo", "wörld"]
        );
        assert_eq!(rsplit_whitespace("héllo  wörld ", 0), vec!["héllo  wörld"]);
        assert_eq!(
            rsplit_whitespace("héllo  wörld ", 1),
            vec!["héllo", "wörld"]
        );
        assert_eq!(
            rsplit_whitespace("héllo  wörld ", 2),
            vec!["héllo", "wörld"]
        );
        assert_eq!(
            rsplit_whitespace(" 日本語 テスト ", -1),
            vec!["日本語", "テスト"]
        );
        assert_eq!(
            rsplit_whitespace(" 日本語 テスト ", 0),
            vec![" 日本語 テスト"]
        );
        assert_eq!(
            rsplit_whitespace(" 日本語 テスト ", 1),
            vec![" 日本語", "テスト"]
        );
        assert_eq!(
            rsplit_whitespace(" 日本語 テスト ", 2),
            vec!["日本語", "テスト"]
        );
        assert_eq!(
            rsplit_whitespace(
                " a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i ",
                -1
            ),
            vec!["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        );
        assert_eq!(
            rsplit_whitespace(" a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i ", 0),
            vec![" a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i"]
        );
        assert_eq!(
            rsplit_whitespace(" a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i ", 1),
            vec![" a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h", "i"]
        );
        assert_eq!(
            rsplit_whitespace(" a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g\u{2028}h\u{85}i ", 2),
            vec![" a\tb\nc\u{1c}d\u{1f}e\u{3000}f\u{a0}g", "h", "i"]
        );
        assert_eq!(
            rsplit_whitespace("😀 🎉  x\u{200b}y", -1),
            vec!["😀", "🎉", "x\u{200b}y"]
        );
        assert_eq!(
            rsplit_whitespace("😀 🎉  x\u{200b}y", 0),
            vec!["😀 🎉  x\u{200b}y"]
        );
        assert_eq!(
            rsplit_whitespace("😀 🎉  x\u{200b}y", 1),
            vec!["😀 🎉", "x\u{200b}y"]
        );
        assert_eq!(
            rsplit_whitespace("😀 🎉  x\u{200b}y", 2),
            vec!["😀", "🎉", "x\u{200b}y"]
        );
    }

    #[test]
    fn split_sep_like_cpython() {
        assert_eq!(split_sep("a,b,c", ",", -1), vec!["a", "b", "c"]);
        assert_eq!(split_sep("a,b,c", ",", 0), vec!["a,b,c"]);
        assert_eq!(split_sep("a,b,c", ",", 1), vec!["a", "b,c"]);
        assert_eq!(split_sep("a,,b,", ",", -1), vec!["a", "", "b", ""]);
        assert_eq!(split_sep("a,,b,", ",", 0), vec!["a,,b,"]);
        assert_eq!(split_sep("a,,b,", ",", 1), vec!["a", ",b,"]);
        assert_eq!(split_sep(",", ",", -1), vec!["", ""]);
        assert_eq!(split_sep(",", ",", 0), vec![","]);
        assert_eq!(split_sep(",", ",", 1), vec!["", ""]);
        assert_eq!(split_sep("", ",", -1), vec![""]);
        assert_eq!(split_sep("", ",", 0), vec![""]);
        assert_eq!(split_sep("", ",", 1), vec![""]);
        assert_eq!(split_sep("aaa", "aa", -1), vec!["", "a"]);
        assert_eq!(split_sep("aaa", "aa", 0), vec!["aaa"]);
        assert_eq!(split_sep("aaa", "aa", 1), vec!["", "a"]);
        assert_eq!(split_sep("aaaa", "aa", -1), vec!["", "", ""]);
        assert_eq!(split_sep("aaaa", "aa", 0), vec!["aaaa"]);
        assert_eq!(split_sep("aaaa", "aa", 1), vec!["", "aa"]);
        assert_eq!(split_sep("héllo wörld", "ö", -1), vec!["héllo w", "rld"]);
        assert_eq!(split_sep("héllo wörld", "ö", 0), vec!["héllo wörld"]);
        assert_eq!(split_sep("héllo wörld", "ö", 1), vec!["héllo w", "rld"]);
        assert_eq!(split_sep("日本語日本", "本", -1), vec!["日", "語日", ""]);
        assert_eq!(split_sep("日本語日本", "本", 0), vec!["日本語日本"]);
        assert_eq!(split_sep("日本語日本", "本", 1), vec!["日", "語日本"]);
        assert_eq!(split_sep("a😀b😀c", "😀", -1), vec!["a", "b", "c"]);
        assert_eq!(split_sep("a😀b😀c", "😀", 0), vec!["a😀b😀c"]);
        assert_eq!(split_sep("a😀b😀c", "😀", 1), vec!["a", "b😀c"]);
        assert_eq!(split_sep("abc", "x", -1), vec!["abc"]);
        assert_eq!(split_sep("abc", "x", 0), vec!["abc"]);
        assert_eq!(split_sep("abc", "x", 1), vec!["abc"]);
        assert_eq!(split_sep("a--b--c", "--", -1), vec!["a", "b", "c"]);
        assert_eq!(split_sep("a--b--c", "--", 0), vec!["a--b--c"]);
        assert_eq!(split_sep("a--b--c", "--", 1), vec!["a", "b--c"]);
    }

    #[test]
    fn rsplit_sep_like_cpython() {
        assert_eq!(rsplit_sep("a,b,c", ",", -1), vec!["a", "b", "c"]);
        assert_eq!(rsplit_sep("a,b,c", ",", 0), vec!["a,b,c"]);
        assert_eq!(rsplit_sep("a,b,c", ",", 1), vec!["a,b", "c"]);
        assert_eq!(rsplit_sep("a,,b,", ",", -1), vec!["a", "", "b", ""]);
        assert_eq!(rsplit_sep("a,,b,", ",", 0), vec!["a,,b,"]);
        assert_eq!(rsplit_sep("a,,b,", ",", 1), vec!["a,,b", ""]);
        assert_eq!(rsplit_sep(",", ",", -1), vec!["", ""]);
        assert_eq!(rsplit_sep(",", ",", 0), vec![","]);
        assert_eq!(rsplit_sep(",", ",", 1), vec!["", ""]);
        assert_eq!(rsplit_sep("", ",", -1), vec![""]);
        assert_eq!(rsplit_sep("", ",", 0), vec![""]);
        assert_eq!(rsplit_sep("", ",", 1), vec![""]);
        assert_eq!(rsplit_sep("aaa", "aa", -1), vec!["a", ""]);
        assert_eq!(rsplit_sep("aaa", "aa", 0), vec!["aaa"]);
        assert_eq!(rsplit_sep("aaa", "aa", 1), vec!["a", ""]);
        assert_eq!(rsplit_sep("aaaa", "aa", -1), vec!["", "", ""]);
        assert_eq!(rsplit_sep("aaaa", "aa", 0), vec!["aaaa"]);
        assert_eq!(rsplit_sep("aaaa", "aa", 1), vec!["aa", ""]);
        assert_eq!(rsplit_sep("héllo wörld", "ö", -1), vec!["héllo w", "rld"]);
        assert_eq!(rsplit_sep("héllo wörld", "ö", 0), vec!["héllo wörld"]);
        assert_eq!(rsplit_sep("héllo wörld", "ö", 1), vec!["héllo w", "rld"]);
        assert_eq!(rsplit_sep("日本語日本", "本", -1), vec!["日", "語日", ""]);
        assert_eq!(rsplit_sep("日本語日本", "本", 0), vec!["日本語日本"]);
        assert_eq!(rsplit_sep("日本語日本", "本", 1), vec!["日本語日", ""]);
        assert_eq!(rsplit_sep("a😀b😀c", "😀", -1), vec!["a", "b", "c"]);
        assert_eq!(rsplit_sep("a😀b😀c", "😀", 0), vec!["a😀b😀c"]);
        assert_eq!(rsplit_sep("a😀b😀c", "😀", 1), vec!["a😀b", "c"]);
        assert_eq!(rsplit_sep("abc", "x", -1), vec!["abc"]);
        assert_eq!(rsplit_sep("abc", "x", 0), vec!["abc"]);
        assert_eq!(rsplit_sep("abc", "x", 1), vec!["abc"]);
        assert_eq!(rsplit_sep("a--b--c", "--", -1), vec!["a", "b", "c"]);
        assert_eq!(rsplit_sep("a--b--c", "--", 0), vec!["a--b--c"]);
        assert_eq!(rsplit_sep("a--b--c", "--", 1), vec!["a--b", "c"]);
    }

    #[test]
    fn splitlines_all_boundaries() {
        assert_eq!(splitlines("a\nb\r\nc\rd", false), vec!["a", "b", "c", "d"]);
        assert_eq!(
            splitlines("a\nb\r\nc\rd", true),
            vec!["a\n", "b\r\n", "c\r", "d"]
        );
        assert_eq!(splitlines("a\n", false), vec!["a"]);
        assert_eq!(splitlines("a\n", true), vec!["a\n"]);
        assert_eq!(splitlines("\n", false), vec![""]);
        assert_eq!(splitlines("\n", true), vec!["\n"]);
        assert_eq!(splitlines("", false), Vec::<&str>::new());
        assert_eq!(splitlines("", true), Vec::<&str>::new());
        assert_eq!(splitlines("a\n\nb", false), vec!["a", "", "b"]);
        assert_eq!(splitlines("a\n\nb", true), vec!["a\n", "\n", "b"]);
        assert_eq!(
            splitlines(
                "x\u{b}y\u{c}z\u{1c}w\u{1d}v\u{1e}u\u{85}t\u{2028}s\u{2029}r",
                false
            ),
            vec!["x", "y", "z", "w", "v", "u", "t", "s", "r"]
        );
        assert_eq!(
            splitlines(
                "x\u{b}y\u{c}z\u{1c}w\u{1d}v\u{1e}u\u{85}t\u{2028}s\u{2029}r",
                true
            ),
            vec![
                "x\u{b}",
                "y\u{c}",
                "z\u{1c}",
                "w\u{1d}",
                "v\u{1e}",
                "u\u{85}",
                "t\u{2028}",
                "s\u{2029}",
                "r"
            ]
        );
        assert_eq!(splitlines("\r\r\n", false), vec!["", ""]);
        assert_eq!(splitlines("\r\r\n", true), vec!["\r", "\r\n"]);
        assert_eq!(splitlines("no newline", false), vec!["no newline"]);
        assert_eq!(splitlines("no newline", true), vec!["no newline"]);
        assert_eq!(splitlines("a\u{1f}b", false), vec!["a\u{1f}b"]);
        assert_eq!(splitlines("a\u{1f}b", true), vec!["a\u{1f}b"]);
        assert_eq!(
            splitlines("日本\n語\r\n😀", false),
            vec!["日本", "語", "😀"]
        );
        assert_eq!(
            splitlines("日本\n語\r\n😀", true),
            vec!["日本\n", "語\r\n", "😀"]
        );
    }

    #[test]
    fn strip_family() {
        assert_eq!(strip("  hello  ", None), "hello");
        assert_eq!(strip("\t\n héllo \u{3000}", None), "héllo");
        assert_eq!(strip("xxhixx", Some("x")), "hi");
        assert_eq!(strip("abcba", Some("ab")), "c");
        assert_eq!(strip("日本語日", Some("日")), "本語");
        assert_eq!(strip("", None), "");
        assert_eq!(strip("   ", None), "");
        assert_eq!(strip("hello", Some("")), "hello");
        assert_eq!(strip("\u{1c}hi\u{1f}", None), "hi");
        assert_eq!(strip("\u{200b}hi\u{200b}", None), "\u{200b}hi\u{200b}");
        assert_eq!(strip("😀a😀", Some("😀")), "a");
        assert_eq!(strip("\u{a0}x\u{85}", None), "x");
        assert_eq!(lstrip("  hello  ", None), "hello  ");
        assert_eq!(lstrip("\t\n héllo \u{3000}", None), "héllo \u{3000}");
        assert_eq!(lstrip("xxhixx", Some("x")), "hixx");
        assert_eq!(lstrip("abcba", Some("ab")), "cba");
        assert_eq!(lstrip("日本語日", Some("日")), "本語日");
        assert_eq!(lstrip("", None), "");
        assert_eq!(lstrip("   ", None), "");
        assert_eq!(lstrip("hello", Some("")), "hello");
        assert_eq!(lstrip("\u{1c}hi\u{1f}", None), "hi\u{1f}");
        assert_eq!(lstrip("\u{200b}hi\u{200b}", None), "\u{200b}hi\u{200b}");
        assert_eq!(lstrip("😀a😀", Some("😀")), "a😀");
        assert_eq!(lstrip("\u{a0}x\u{85}", None), "x\u{85}");
        assert_eq!(rstrip("  hello  ", None), "  hello");
        assert_eq!(rstrip("\t\n héllo \u{3000}", None), "\t\n héllo");
        assert_eq!(rstrip("xxhixx", Some("x")), "xxhi");
        assert_eq!(rstrip("abcba", Some("ab")), "abc");
        assert_eq!(rstrip("日本語日", Some("日")), "日本語");
        assert_eq!(rstrip("", None), "");
        assert_eq!(rstrip("   ", None), "");
        assert_eq!(rstrip("hello", Some("")), "hello");
        assert_eq!(rstrip("\u{1c}hi\u{1f}", None), "\u{1c}hi");
        assert_eq!(rstrip("\u{200b}hi\u{200b}", None), "\u{200b}hi\u{200b}");
        assert_eq!(rstrip("😀a😀", Some("😀")), "😀a");
        assert_eq!(rstrip("\u{a0}x\u{85}", None), "\u{a0}x");
    }

    #[test]
    fn remove_prefix_and_suffix() {
        assert_eq!(removeprefix("héllo", "hé"), "llo");
        assert_eq!(removeprefix("héllo", "x"), "héllo");
        assert_eq!(removeprefix("日本語", "日本"), "語");
        assert_eq!(removeprefix("abc", ""), "abc");
        assert_eq!(removesuffix("héllo", "llo"), "hé");
        assert_eq!(removesuffix("héllo", "x"), "héllo");
        assert_eq!(removesuffix("日本語", "語"), "日本");
        assert_eq!(removesuffix("abc", "abc"), "");
    }

    #[test]
    fn string_predicates_like_cpython() {
        assert_eq!(true_predicates(""), ["isprintable", "isascii"]);
        assert_eq!(
            true_predicates("abc"),
            [
                "isalpha",
                "isalnum",
                "islower",
                "isidentifier",
                "isprintable",
                "isascii"
            ]
        );
        assert_eq!(
            true_predicates("ABC"),
            [
                "isalpha",
                "isalnum",
                "isupper",
                "isidentifier",
                "isprintable",
                "isascii"
            ]
        );
        assert_eq!(
            true_predicates("Abc"),
            [
                "isalpha",
                "isalnum",
                "istitle",
                "isidentifier",
                "isprintable",
                "isascii"
            ]
        );
        assert_eq!(
            true_predicates("héllo"),
            [
                "isalpha",
                "isalnum",
                "islower",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(
            true_predicates("HÉLLO"),
            [
                "isalpha",
                "isalnum",
                "isupper",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(
            true_predicates("日本語"),
            ["isalpha", "isalnum", "isidentifier", "isprintable"]
        );
        assert_eq!(
            true_predicates("123"),
            [
                "isdecimal",
                "isdigit",
                "isnumeric",
                "isalnum",
                "isprintable",
                "isascii"
            ]
        );
        assert_eq!(
            true_predicates("١٢٣"),
            [
                "isdecimal",
                "isdigit",
                "isnumeric",
                "isalnum",
                "isprintable"
            ]
        );
        assert_eq!(
            true_predicates("²"),
            ["isdigit", "isnumeric", "isalnum", "isprintable"]
        );
        assert_eq!(
            true_predicates("½"),
            ["isnumeric", "isalnum", "isprintable"]
        );
        assert_eq!(
            true_predicates("一二三"),
            [
                "isalpha",
                "isnumeric",
                "isalnum",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(
            true_predicates("Ⅻ"),
            [
                "isnumeric",
                "isalnum",
                "isupper",
                "istitle",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(
            true_predicates("abc123"),
            [
                "isalnum",
                "islower",
                "isidentifier",
                "isprintable",
                "isascii"
            ]
        );
        assert_eq!(true_predicates(" "), ["isspace", "isprintable", "isascii"]);
        assert_eq!(true_predicates("\t\n"), ["isspace", "isascii"]);
        assert_eq!(true_predicates("\u{3000}"), ["isspace"]);
        assert_eq!(
            true_predicates("Hello World"),
            ["istitle", "isprintable", "isascii"]
        );
        assert_eq!(true_predicates("Hello world"), ["isprintable", "isascii"]);
        assert_eq!(
            true_predicates("ǅ"),
            [
                "isalpha",
                "isalnum",
                "istitle",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(
            true_predicates("ǅungla"),
            [
                "isalpha",
                "isalnum",
                "istitle",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(
            true_predicates("DŽ"),
            [
                "isalpha",
                "isalnum",
                "isupper",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(
            true_predicates("ß"),
            [
                "isalpha",
                "isalnum",
                "islower",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(
            true_predicates("_abc"),
            ["islower", "isidentifier", "isprintable", "isascii"]
        );
        assert_eq!(
            true_predicates("1abc"),
            ["isalnum", "islower", "isprintable", "isascii"]
        );
        assert_eq!(
            true_predicates("a-b"),
            ["islower", "isprintable", "isascii"]
        );
        assert_eq!(
            true_predicates("é_1"),
            ["islower", "isidentifier", "isprintable"]
        );
        assert_eq!(
            true_predicates("𝒳"),
            [
                "isalpha",
                "isalnum",
                "isupper",
                "istitle",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(true_predicates("हिन्दी"), ["isidentifier", "isprintable"]);
        assert_eq!(true_predicates("नमस्ते"), ["isidentifier", "isprintable"]);
        assert_eq!(true_predicates("ⓐ"), ["islower", "isprintable"]);
        assert_eq!(true_predicates("Ⓐ"), ["isupper", "istitle", "isprintable"]);
        assert_eq!(true_predicates("\u{a0}"), ["isspace"]);
        assert_eq!(true_predicates("a\0"), ["islower", "isascii"]);
        assert_eq!(true_predicates("\u{200b}"), Vec::<&str>::new());
        assert_eq!(true_predicates("😀"), ["isprintable"]);
        assert_eq!(true_predicates("abc\n"), ["islower", "isascii"]);
        assert_eq!(
            true_predicates("ΑΣ"),
            [
                "isalpha",
                "isalnum",
                "isupper",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(true_predicates("x²"), ["isalnum", "islower", "isprintable"]);
        assert_eq!(
            true_predicates("a·b"),
            ["islower", "isidentifier", "isprintable"]
        );
        assert_eq!(
            true_predicates("ﬁ"),
            [
                "isalpha",
                "isalnum",
                "islower",
                "isidentifier",
                "isprintable"
            ]
        );
        assert_eq!(
            true_predicates("They'Re"),
            ["istitle", "isprintable", "isascii"]
        );
        assert_eq!(true_predicates("\u{1f}"), ["isspace", "isascii"]);
        assert_eq!(
            true_predicates("Ⅻx"),
            ["isalnum", "istitle", "isidentifier", "isprintable"]
        );
        assert_eq!(
            true_predicates("〇"),
            ["isnumeric", "isalnum", "isidentifier", "isprintable"]
        );
        assert_eq!(
            true_predicates("á"),
            ["islower", "isidentifier", "isprintable"]
        );
        assert_eq!(true_predicates("\u{e0001}"), Vec::<&str>::new());
    }

    #[test]
    fn case_mappings_like_cpython() {
        assert_eq!(
            case_forms("hello world"),
            [
                "HELLO WORLD",
                "hello world",
                "hello world",
                "Hello world",
                "Hello World",
                "HELLO WORLD"
            ]
        );
        assert_eq!(
            case_forms("they're bill's friends"),
            [
                "THEY'RE BILL'S FRIENDS",
                "they're bill's friends",
                "they're bill's friends",
                "They're bill's friends",
                "They'Re Bill'S Friends",
                "THEY'RE BILL'S FRIENDS"
            ]
        );
        assert_eq!(case_forms("ǅ"), ["Ǆ", "ǆ", "ǆ", "ǅ", "ǅ", "ǅ"]);
        assert_eq!(
            case_forms("ǆemal"),
            ["ǄEMAL", "ǆemal", "ǆemal", "ǅemal", "ǅemal", "ǄEMAL"]
        );
        assert_eq!(
            case_forms("DŽEMAL"),
            ["DŽEMAL", "džemal", "džemal", "Džemal", "Džemal", "džemal"]
        );
        assert_eq!(
            case_forms("héllo wörld"),
            [
                "HÉLLO WÖRLD",
                "héllo wörld",
                "héllo wörld",
                "Héllo wörld",
                "Héllo Wörld",
                "HÉLLO WÖRLD"
            ]
        );
        assert_eq!(
            case_forms("HÉLLO"),
            ["HÉLLO", "héllo", "héllo", "Héllo", "Héllo", "héllo"]
        );
        assert_eq!(case_forms("ß"), ["SS", "ß", "ss", "Ss", "Ss", "SS"]);
        assert_eq!(
            case_forms("straße"),
            ["STRASSE", "straße", "strasse", "Straße", "Straße", "STRASSE"]
        );
        assert_eq!(
            case_forms("ﬁre"),
            ["FIRE", "ﬁre", "fire", "Fire", "Fire", "FIRE"]
        );
        assert_eq!(case_forms("ΑΣ"), ["ΑΣ", "ας", "ασ", "Ας", "Ας", "ας"]);
        assert_eq!(
            case_forms("ΟΔΟΣ ΟΔΟΣ."),
            [
                "ΟΔΟΣ ΟΔΟΣ.",
                "οδος οδος.",
                "οδοσ οδοσ.",
                "Οδος οδος.",
                "Οδος Οδος.",
                "οδος οδος."
            ]
        );
        assert_eq!(case_forms("Σ"), ["Σ", "σ", "σ", "Σ", "Σ", "σ"]);
        assert_eq!(case_forms("ΣΑ"), ["ΣΑ", "σα", "σα", "Σα", "Σα", "σα"]);
        assert_eq!(
            case_forms("aΣb"),
            ["AΣB", "aσb", "aσb", "Aσb", "Aσb", "AσB"]
        );
        assert_eq!(case_forms("ΑΣ́"), ["ΑΣ́", "ας́", "ασ́", "Ας́", "Ας́", "ας́"]);
        assert_eq!(
            case_forms("İstanbul"),
            [
                "İSTANBUL",
                "i̇stanbul",
                "i̇stanbul",
                "İstanbul",
                "İstanbul",
                "i̇STANBUL"
            ]
        );
        assert_eq!(case_forms("ŉ"), ["ʼN", "ŉ", "ʼn", "ʼN", "ʼN", "ʼN"]);
        assert_eq!(
            case_forms("日本語"),
            ["日本語", "日本語", "日本語", "日本語", "日本語", "日本語"]
        );
        assert_eq!(
            case_forms("😀abc"),
            ["😀ABC", "😀abc", "😀abc", "😀abc", "😀Abc", "😀ABC"]
        );
        assert_eq!(case_forms("ᾳ"), ["ΑΙ", "ᾳ", "αι", "ᾼ", "ᾼ", "ΑΙ"]);
        assert_eq!(
            case_forms("123abc"),
            ["123ABC", "123abc", "123abc", "123abc", "123Abc", "123ABC"]
        );
        assert_eq!(
            case_forms("hello_world-foo"),
            [
                "HELLO_WORLD-FOO",
                "hello_world-foo",
                "hello_world-foo",
                "Hello_world-foo",
                "Hello_World-Foo",
                "HELLO_WORLD-FOO"
            ]
        );
        assert_eq!(case_forms("ǰ"), ["J̌", "ǰ", "ǰ", "J̌", "J̌", "J̌"]);
        assert_eq!(case_forms("ﬃ"), ["FFI", "ﬃ", "ffi", "Ffi", "Ffi", "FFI"]);
        assert_eq!(case_forms("Ꭰꭰ"), ["ᎠᎠ", "ꭰꭰ", "ᎠᎠ", "Ꭰꭰ", "Ꭰꭰ", "ꭰᎠ"]);
        assert_eq!(case_forms("ı"), ["I", "ı", "ı", "I", "I", "I"]);
        assert_eq!(case_forms("ẞ"), ["ẞ", "ß", "ss", "ẞ", "ẞ", "ß"]);
        assert_eq!(
            case_forms("mIxEd CaSe"),
            [
                "MIXED CASE",
                "mixed case",
                "mixed case",
                "Mixed case",
                "Mixed Case",
                "MiXeD cAsE"
            ]
        );
        assert_eq!(case_forms(""), ["", "", "", "", "", ""]);
        assert_eq!(
            case_forms("ß123"),
            ["SS123", "ß123", "ss123", "Ss123", "Ss123", "SS123"]
        );
        assert_eq!(case_forms("ⓐⒶ"), ["ⒶⒶ", "ⓐⓐ", "ⓐⓐ", "Ⓐⓐ", "Ⓐⓐ", "Ⓐⓐ"]);
        assert_eq!(case_forms("ǅǅ"), ["ǄǄ", "ǆǆ", "ǆǆ", "ǅǆ", "ǅǆ", "ǅǅ"]);
        assert_eq!(
            case_forms("ა ბ"),
            ["Ა Ბ", "ა ბ", "ა ბ", "ა ბ", "ა ბ", "Ა Ბ"]
        );
        assert_eq!(
            case_forms("ﬀ ΐ"),
            ["FF Ϊ́", "ﬀ ΐ", "ff ΐ", "Ff ΐ", "Ff Ϊ́", "FF Ϊ́"]
        );
    }

    #[test]
    fn padding() {
        assert_eq!(center("a", 4, ' '), " a  ");
        assert_eq!(center("ab", 5, ' '), "  ab ");
        assert_eq!(center("abc", 2, ' '), "abc");
        assert_eq!(center("ab", 6, '*'), "**ab**");
        assert_eq!(center("日本", 7, '-'), "---日本--");
        assert_eq!(center("", 3, 'x'), "xxx");
        assert_eq!(center("a", -1, ' '), "a");
        assert_eq!(center("héllo", 9, 'é'), "ééhélloéé");
        assert_eq!(center("x", 5, '😀'), "😀😀x😀😀");
        assert_eq!(center("ab", 3, ' '), " ab");
        assert_eq!(center("abc", 6, '.'), ".abc..");
        assert_eq!(center("abc", 7, '.'), "..abc..");
        assert_eq!(center("ab", 4, '.'), ".ab.");
        assert_eq!(ljust("a", 4, ' '), "a   ");
        assert_eq!(ljust("ab", 5, ' '), "ab   ");
        assert_eq!(ljust("abc", 2, ' '), "abc");
        assert_eq!(ljust("ab", 6, '*'), "ab****");
        assert_eq!(ljust("日本", 7, '-'), "日本-----");
        assert_eq!(ljust("", 3, 'x'), "xxx");
        assert_eq!(ljust("a", -1, ' '), "a");
        assert_eq!(ljust("héllo", 9, 'é'), "hélloéééé");
        assert_eq!(rjust("a", 4, ' '), "   a");
        assert_eq!(rjust("ab", 5, ' '), "   ab");
        assert_eq!(rjust("abc", 2, ' '), "abc");
        assert_eq!(rjust("ab", 6, '*'), "****ab");
        assert_eq!(rjust("日本", 7, '-'), "-----日本");
        assert_eq!(rjust("", 3, 'x'), "xxx");
        assert_eq!(rjust("a", -1, ' '), "a");
        assert_eq!(rjust("héllo", 9, 'é'), "ééééhéllo");
    }

    #[test]
    fn zfill_keeps_sign_first() {
        assert_eq!(zfill("42", 5), "00042");
        assert_eq!(zfill("-42", 5), "-0042");
        assert_eq!(zfill("+42", 5), "+0042");
        assert_eq!(zfill("--", 4), "-00-");
        assert_eq!(zfill("", 3), "000");
        assert_eq!(zfill("abc", 2), "abc");
        assert_eq!(zfill("-", 3), "-00");
        assert_eq!(zfill("日", 3), "00日");
        assert_eq!(zfill("+", 1), "+");
        assert_eq!(zfill(" -1", 5), "00 -1");
        assert_eq!(zfill("-0.5", 6), "-000.5");
        assert_eq!(zfill("42", -3), "42");
        assert_eq!(zfill("+日本", 4), "+0日本");
    }

    #[test]
    fn expandtabs_columns() {
        assert_eq!(expandtabs("a\tb", 8), "a       b");
        assert_eq!(expandtabs("a\tb", 4), "a   b");
        assert_eq!(expandtabs("\t", 0), "");
        assert_eq!(expandtabs("ab\tc\nd\te\rf\tg", 4), "ab  c\nd   e\rf   g");
        assert_eq!(expandtabs("日本\tx", 4), "日本  x");
        assert_eq!(expandtabs("a\tb", -1), "ab");
        assert_eq!(expandtabs("abcdefgh\tx", 8), "abcdefgh        x");
        assert_eq!(expandtabs("", 8), "");
        assert_eq!(expandtabs("\t\t", 2), "    ");
        assert_eq!(expandtabs("😀\t|", 3), "😀  |");
    }

    #[test]
    fn find_with_slice_indices() {
        assert_eq!(find("abcabc", "bc", None, None), 1);
        assert_eq!(find("abcabc", "bc", Some(1), None), 1);
        assert_eq!(find("abcabc", "bc", Some(-2), None), 4);
        assert_eq!(find("abcabc", "bc", Some(2), Some(4)), -1);
        assert_eq!(find("abcabc", "bc", Some(-100), Some(100)), 1);
        assert_eq!(find("abcabc", "bc", Some(4), Some(1)), -1);
        assert_eq!(find("abc", "", None, None), 0);
        assert_eq!(find("abc", "", Some(1), None), 1);
        assert_eq!(find("abc", "", Some(-2), None), 1);
        assert_eq!(find("abc", "", Some(2), Some(4)), 2);
        assert_eq!(find("abc", "", Some(-100), Some(100)), 0);
        assert_eq!(find("abc", "", Some(4), Some(1)), -1);
        assert_eq!(find("héllo wörld", "l", None, None), 2);
        assert_eq!(find("héllo wörld", "l", Some(1), None), 2);
        assert_eq!(find("héllo wörld", "l", Some(-2), None), 9);
        assert_eq!(find("héllo wörld", "l", Some(2), Some(4)), 2);
        assert_eq!(find("héllo wörld", "l", Some(-100), Some(100)), 2);
        assert_eq!(find("héllo wörld", "l", Some(4), Some(1)), -1);
        assert_eq!(find("日本語日本語", "本語", None, None), 1);
        assert_eq!(find("日本語日本語", "本語", Some(1), None), 1);
        assert_eq!(find("日本語日本語", "本語", Some(-2), None), 4);
        assert_eq!(find("日本語日本語", "本語", Some(2), Some(4)), -1);
        assert_eq!(find("日本語日本語", "本語", Some(-100), Some(100)), 1);
        assert_eq!(find("日本語日本語", "本語", Some(4), Some(1)), -1);
        assert_eq!(find("😀a😀b", "😀", None, None), 0);
        assert_eq!(find("😀a😀b", "😀", Some(1), None), 2);
        assert_eq!(find("😀a😀b", "😀", Some(-2), None), 2);
        assert_eq!(find("😀a😀b", "😀", Some(2), Some(4)), 2);
        assert_eq!(find("😀a😀b", "😀", Some(-100), Some(100)), 0);
        assert_eq!(find("😀a😀b", "😀", Some(4), Some(1)), -1);
        assert_eq!(find("aaaa", "aa", None, None), 0);
        assert_eq!(find("aaaa", "aa", Some(1), None), 1);
        assert_eq!(find("aaaa", "aa", Some(-2), None), 2);
        assert_eq!(find("aaaa", "aa", Some(2), Some(4)), 2);
        assert_eq!(find("aaaa", "aa", Some(-100), Some(100)), 0);
        assert_eq!(find("aaaa", "aa", Some(4), Some(1)), -1);
        assert_eq!(find("abc", "b", Some(-2), None), 1);
        assert_eq!(find("abc", "", Some(5), None), -1);
        assert_eq!(find("abc", "", Some(3), None), 3);
        assert_eq!(find("abc", "", Some(4), None), -1);
        assert_eq!(find("abc", "c", None, Some(-1)), -1);
        assert_eq!(find("abc", "abc", Some(0), Some(3)), 0);
        assert_eq!(find("abc", "abcd", None, None), -1);
    }

    #[test]
    fn rfind_with_slice_indices() {
        assert_eq!(rfind("abcabc", "bc", None, None), 4);
        assert_eq!(rfind("abcabc", "bc", Some(1), None), 4);
        assert_eq!(rfind("abcabc", "bc", Some(-2), None), 4);
        assert_eq!(rfind("abcabc", "bc", Some(2), Some(4)), -1);
        assert_eq!(rfind("abcabc", "bc", Some(-100), Some(100)), 4);
        assert_eq!(rfind("abcabc", "bc", Some(4), Some(1)), -1);
        assert_eq!(rfind("abc", "", None, None), 3);
        assert_eq!(rfind("abc", "", Some(1), None), 3);
        assert_eq!(rfind("abc", "", Some(-2), None), 3);
        assert_eq!(rfind("abc", "", Some(2), Some(4)), 3);
        assert_eq!(rfind("abc", "", Some(-100), Some(100)), 3);
        assert_eq!(rfind("abc", "", Some(4), Some(1)), -1);
        assert_eq!(rfind("héllo wörld", "l", None, None), 9);
        assert_eq!(rfind("héllo wörld", "l", Some(1), None), 9);
        assert_eq!(rfind("héllo wörld", "l", Some(-2), None), 9);
        assert_eq!(rfind("héllo wörld", "l", Some(2), Some(4)), 3);
        assert_eq!(rfind("héllo wörld", "l", Some(-100), Some(100)), 9);
        assert_eq!(rfind("héllo wörld", "l", Some(4), Some(1)), -1);
        assert_eq!(rfind("日本語日本語", "本語", None, None), 4);
        assert_eq!(rfind("日本語日本語", "本語", Some(1), None), 4);
        assert_eq!(rfind("日本語日本語", "本語", Some(-2), None), 4);
        assert_eq!(rfind("日本語日本語", "本語", Some(2), Some(4)), -1);
        assert_eq!(rfind("日本語日本語", "本語", Some(-100), Some(100)), 4);
        assert_eq!(rfind("日本語日本語", "本語", Some(4), Some(1)), -1);
        assert_eq!(rfind("😀a😀b", "😀", None, None), 2);
        assert_eq!(rfind("😀a😀b", "😀", Some(1), None), 2);
        assert_eq!(rfind("😀a😀b", "😀", Some(-2), None), 2);
        assert_eq!(rfind("😀a😀b", "😀", Some(2), Some(4)), 2);
        assert_eq!(rfind("😀a😀b", "😀", Some(-100), Some(100)), 2);
        assert_eq!(rfind("😀a😀b", "😀", Some(4), Some(1)), -1);
        assert_eq!(rfind("aaaa", "aa", None, None), 2);
        assert_eq!(rfind("aaaa", "aa", Some(1), None), 2);
        assert_eq!(rfind("aaaa", "aa", Some(-2), None), 2);
        assert_eq!(rfind("aaaa", "aa", Some(2), Some(4)), 2);
        assert_eq!(rfind("aaaa", "aa", Some(-100), Some(100)), 2);
        assert_eq!(rfind("aaaa", "aa", Some(4), Some(1)), -1);
        assert_eq!(rfind("abc", "b", Some(-2), None), 1);
        assert_eq!(rfind("abc", "", Some(5), None), -1);
        assert_eq!(rfind("abc", "", Some(3), None), 3);
        assert_eq!(rfind("abc", "", Some(4), None), -1);
        assert_eq!(rfind("abc", "c", None, Some(-1)), -1);
        assert_eq!(rfind("abc", "abc", Some(0), Some(3)), 0);
        assert_eq!(rfind("abc", "abcd", None, None), -1);
    }

    #[test]
    fn count_with_slice_indices() {
        assert_eq!(count("abcabc", "bc", None, None), 2);
        assert_eq!(count("abcabc", "bc", Some(1), None), 2);
        assert_eq!(count("abcabc", "bc", Some(-2), None), 1);
        assert_eq!(count("abcabc", "bc", Some(2), Some(4)), 0);
        assert_eq!(count("abcabc", "bc", Some(-100), Some(100)), 2);
        assert_eq!(count("abcabc", "bc", Some(4), Some(1)), 0);
        assert_eq!(count("abc", "", None, None), 4);
        assert_eq!(count("abc", "", Some(1), None), 3);
        assert_eq!(count("abc", "", Some(-2), None), 3);
        assert_eq!(count("abc", "", Some(2), Some(4)), 2);
        assert_eq!(count("abc", "", Some(-100), Some(100)), 4);
        assert_eq!(count("abc", "", Some(4), Some(1)), 0);
        assert_eq!(count("héllo wörld", "l", None, None), 3);
        assert_eq!(count("héllo wörld", "l", Some(1), None), 3);
        assert_eq!(count("héllo wörld", "l", Some(-2), None), 1);
        assert_eq!(count("héllo wörld", "l", Some(2), Some(4)), 2);
        assert_eq!(count("héllo wörld", "l", Some(-100), Some(100)), 3);
        assert_eq!(count("héllo wörld", "l", Some(4), Some(1)), 0);
        assert_eq!(count("日本語日本語", "本語", None, None), 2);
        assert_eq!(count("日本語日本語", "本語", Some(1), None), 2);
        assert_eq!(count("日本語日本語", "本語", Some(-2), None), 1);
        assert_eq!(count("日本語日本語", "本語", Some(2), Some(4)), 0);
        assert_eq!(count("日本語日本語", "本語", Some(-100), Some(100)), 2);
        assert_eq!(count("日本語日本語", "本語", Some(4), Some(1)), 0);
        assert_eq!(count("😀a😀b", "😀", None, None), 2);
        assert_eq!(count("😀a😀b", "😀", Some(1), None), 1);
        assert_eq!(count("😀a😀b", "😀", Some(-2), None), 1);
        assert_eq!(count("😀a😀b", "😀", Some(2), Some(4)), 1);
        assert_eq!(count("😀a😀b", "😀", Some(-100), Some(100)), 2);
        assert_eq!(count("😀a😀b", "😀", Some(4), Some(1)), 0);
        assert_eq!(count("aaaa", "aa", None, None), 2);
        assert_eq!(count("aaaa", "aa", Some(1), None), 1);
        assert_eq!(count("aaaa", "aa", Some(-2), None), 1);
        assert_eq!(count("aaaa", "aa", Some(2), Some(4)), 1);
        assert_eq!(count("aaaa", "aa", Some(-100), Some(100)), 2);
        assert_eq!(count("aaaa", "aa", Some(4), Some(1)), 0);
        assert_eq!(count("abc", "b", Some(-2), None), 1);
        assert_eq!(count("abc", "", Some(5), None), 0);
        assert_eq!(count("abc", "", Some(3), None), 1);
        assert_eq!(count("abc", "", Some(4), None), 0);
        assert_eq!(count("abc", "c", None, Some(-1)), 0);
        assert_eq!(count("abc", "abc", Some(0), Some(3)), 1);
        assert_eq!(count("abc", "abcd", None, None), 0);
    }

    #[test]
    fn startswith_with_slice_indices() {
        assert!(!startswith_at("abcabc", "bc", None, None));
        assert!(startswith_at("abcabc", "bc", Some(1), None));
        assert!(startswith_at("abcabc", "bc", Some(-2), None));
        assert!(!startswith_at("abcabc", "bc", Some(2), Some(4)));
        assert!(!startswith_at("abcabc", "bc", Some(-100), Some(100)));
        assert!(!startswith_at("abcabc", "bc", Some(4), Some(1)));
        assert!(startswith_at("abc", "", None, None));
        assert!(startswith_at("abc", "", Some(1), None));
        assert!(startswith_at("abc", "", Some(-2), None));
        assert!(startswith_at("abc", "", Some(2), Some(4)));
        assert!(startswith_at("abc", "", Some(-100), Some(100)));
        assert!(!startswith_at("abc", "", Some(4), Some(1)));
        assert!(!startswith_at("héllo wörld", "l", None, None));
        assert!(!startswith_at("héllo wörld", "l", Some(1), None));
        assert!(startswith_at("héllo wörld", "l", Some(-2), None));
        assert!(startswith_at("héllo wörld", "l", Some(2), Some(4)));
        assert!(!startswith_at("héllo wörld", "l", Some(-100), Some(100)));
        assert!(!startswith_at("héllo wörld", "l", Some(4), Some(1)));
        assert!(!startswith_at("日本語日本語", "本語", None, None));
        assert!(startswith_at("日本語日本語", "本語", Some(1), None));
        assert!(startswith_at("日本語日本語", "本語", Some(-2), None));
        assert!(!startswith_at("日本語日本語", "本語", Some(2), Some(4)));
        assert!(!startswith_at(
            "日本語日本語",
            "本語",
            Some(-100),
            Some(100)
        ));
        assert!(!startswith_at("日本語日本語", "本語", Some(4), Some(1)));
        assert!(startswith_at("😀a😀b", "😀", None, None));
        assert!(!startswith_at("😀a😀b", "😀", Some(1), None));
        assert!(startswith_at("😀a😀b", "😀", Some(-2), None));
        assert!(startswith_at("😀a😀b", "😀", Some(2), Some(4)));
        assert!(startswith_at("😀a😀b", "😀", Some(-100), Some(100)));
        assert!(!startswith_at("😀a😀b", "😀", Some(4), Some(1)));
        assert!(startswith_at("aaaa", "aa", None, None));
        assert!(startswith_at("aaaa", "aa", Some(1), None));
        assert!(startswith_at("aaaa", "aa", Some(-2), None));
        assert!(startswith_at("aaaa", "aa", Some(2), Some(4)));
        assert!(startswith_at("aaaa", "aa", Some(-100), Some(100)));
        assert!(!startswith_at("aaaa", "aa", Some(4), Some(1)));
        assert!(startswith_at("abc", "b", Some(-2), None));
        assert!(!startswith_at("abc", "", Some(5), None));
        assert!(startswith_at("abc", "", Some(3), None));
        assert!(!startswith_at("abc", "", Some(4), None));
        assert!(!startswith_at("abc", "c", None, Some(-1)));
        assert!(startswith_at("abc", "abc", Some(0), Some(3)));
        assert!(!startswith_at("abc", "abcd", None, None));
    }

    #[test]
    fn endswith_with_slice_indices() {
        assert!(endswith_at("abcabc", "bc", None, None));
        assert!(endswith_at("abcabc", "bc", Some(1), None));
        assert!(endswith_at("abcabc", "bc", Some(-2), None));
        assert!(!endswith_at("abcabc", "bc", Some(2), Some(4)));
        assert!(endswith_at("abcabc", "bc", Some(-100), Some(100)));
        assert!(!endswith_at("abcabc", "bc", Some(4), Some(1)));
        assert!(endswith_at("abc", "", None, None));
        assert!(endswith_at("abc", "", Some(1), None));
        assert!(endswith_at("abc", "", Some(-2), None));
        assert!(endswith_at("abc", "", Some(2), Some(4)));
        assert!(endswith_at("abc", "", Some(-100), Some(100)));
        assert!(!endswith_at("abc", "", Some(4), Some(1)));
        assert!(!endswith_at("héllo wörld", "l", None, None));
        assert!(!endswith_at("héllo wörld", "l", Some(1), None));
        assert!(!endswith_at("héllo wörld", "l", Some(-2), None));
        assert!(endswith_at("héllo wörld", "l", Some(2), Some(4)));
        assert!(!endswith_at("héllo wörld", "l", Some(-100), Some(100)));
        assert!(!endswith_at("héllo wörld", "l", Some(4), Some(1)));
        assert!(endswith_at("日本語日本語", "本語", None, None));
        assert!(endswith_at("日本語日本語", "本語", Some(1), None));
        assert!(endswith_at("日本語日本語", "本語", Some(-2), None));
        assert!(!endswith_at("日本語日本語", "本語", Some(2), Some(4)));
        assert!(endswith_at("日本語日本語", "本語", Some(-100), Some(100)));
        assert!(!endswith_at("日本語日本語", "本語", Some(4), Some(1)));
        assert!(!endswith_at("😀a😀b", "😀", None, None));
        assert!(!endswith_at("😀a😀b", "😀", Some(1), None));
        assert!(!endswith_at("😀a😀b", "😀", Some(-2), None));
        assert!(!endswith_at("😀a😀b", "😀", Some(2), Some(4)));
        assert!(!endswith_at("😀a😀b", "😀", Some(-100), Some(100)));
        assert!(!endswith_at("😀a😀b", "😀", Some(4), Some(1)));
        assert!(endswith_at("aaaa", "aa", None, None));
        assert!(endswith_at("aaaa", "aa", Some(1), None));
        assert!(endswith_at("aaaa", "aa", Some(-2), None));
        assert!(endswith_at("aaaa", "aa", Some(2), Some(4)));
        assert!(endswith_at("aaaa", "aa", Some(-100), Some(100)));
        assert!(!endswith_at("aaaa", "aa", Some(4), Some(1)));
        assert!(!endswith_at("abc", "b", Some(-2), None));
        assert!(!endswith_at("abc", "", Some(5), None));
        assert!(endswith_at("abc", "", Some(3), None));
        assert!(!endswith_at("abc", "", Some(4), None));
        assert!(!endswith_at("abc", "c", None, Some(-1)));
        assert!(endswith_at("abc", "abc", Some(0), Some(3)));
        assert!(!endswith_at("abc", "abcd", None, None));
    }

    #[test]
    fn replace_like_cpython() {
        assert_eq!(replace("abc", "", "-", -1), "-a-b-c-");
        assert_eq!(replace("abc", "", "-", 2), "-a-bc");
        assert_eq!(replace("abc", "", "-", 0), "abc");
        assert_eq!(replace("", "", "x", -1), "x");
        assert_eq!(replace("", "", "x", 0), "");
        assert_eq!(replace("aaa", "a", "bb", -1), "bbbbbb");
        assert_eq!(replace("aaa", "a", "bb", 2), "bbbba");
        assert_eq!(replace("aaaa", "aa", "b", -1), "bb");
        assert_eq!(replace("héllo", "l", "L", 1), "héLlo");
        assert_eq!(replace("日本語", "本", "-", -1), "日-語");
        assert_eq!(replace("a😀b😀", "😀", "", -1), "ab");
        assert_eq!(replace("abc", "x", "y", -1), "abc");
        assert_eq!(replace("日本", "", "|", -1), "|日|本|");
        assert_eq!(replace("abc", "abc", "", -1), "");
        assert_eq!(replace("abab", "ab", "ba", 0), "abab");
    }

    #[test]
    fn partition_and_rpartition() {
        assert_eq!(partition("a,b,c", ","), ("a", ",", "b,c"));
        assert_eq!(partition("abc", "x"), ("abc", "", ""));
        assert_eq!(partition("héllo wörld", " "), ("héllo", " ", "wörld"));
        assert_eq!(partition("日本語日本語", "本"), ("日", "本", "語日本語"));
        assert_eq!(partition("aaa", "aa"), ("", "aa", "a"));
        assert_eq!(partition("", "x"), ("", "", ""));
        assert_eq!(partition("😀|😀", "|"), ("😀", "|", "😀"));
        assert_eq!(rpartition("a,b,c", ","), ("a,b", ",", "c"));
        assert_eq!(rpartition("abc", "x"), ("", "", "abc"));
        assert_eq!(rpartition("héllo wörld", " "), ("héllo", " ", "wörld"));
        assert_eq!(rpartition("日本語日本語", "本"), ("日本語日", "本", "語"));
        assert_eq!(rpartition("aaa", "aa"), ("a", "aa", ""));
        assert_eq!(rpartition("", "x"), ("", "", ""));
        assert_eq!(rpartition("😀|😀", "|"), ("😀", "|", "😀"));
    }

    #[test]
    fn repr_and_ascii_like_cpython() {
        assert_eq!(repr_str(""), "''");
        assert_eq!(ascii_repr(""), "''");
        assert_eq!(repr_str("abc"), "'abc'");
        assert_eq!(ascii_repr("abc"), "'abc'");
        assert_eq!(repr_str("it's"), "\"it's\"");
        assert_eq!(ascii_repr("it's"), "\"it's\"");
        assert_eq!(repr_str("say \"hi\""), "'say \"hi\"'");
        assert_eq!(ascii_repr("say \"hi\""), "'say \"hi\"'");
        assert_eq!(repr_str("both ' and \""), "'both \\' and \"'");
        assert_eq!(ascii_repr("both ' and \""), "'both \\' and \"'");
        assert_eq!(repr_str("back\\slash"), "'back\\\\slash'");
        assert_eq!(ascii_repr("back\\slash"), "'back\\\\slash'");
        assert_eq!(repr_str("tab\tnl\ncr\r"), "'tab\\tnl\\ncr\\r'");
        assert_eq!(ascii_repr("tab\tnl\ncr\r"), "'tab\\tnl\\ncr\\r'");
        assert_eq!(repr_str("\0\u{7}\u{1b}\u{7f}"), "'\\x00\\x07\\x1b\\x7f'");
        assert_eq!(ascii_repr("\0\u{7}\u{1b}\u{7f}"), "'\\x00\\x07\\x1b\\x7f'");
        assert_eq!(
            repr_str("\u{80}\u{9f}\u{a0}\u{ad}"),
            "'\\x80\\x9f\\xa0\\xad'"
        );
        assert_eq!(
            ascii_repr("\u{80}\u{9f}\u{a0}\u{ad}"),
            "'\\x80\\x9f\\xa0\\xad'"
        );
        assert_eq!(repr_str("héllo"), "'héllo'");
        assert_eq!(ascii_repr("héllo"), "'h\\xe9llo'");
        assert_eq!(repr_str("日本語"), "'日本語'");
        assert_eq!(ascii_repr("日本語"), "'\\u65e5\\u672c\\u8a9e'");
        assert_eq!(repr_str("😀"), "'😀'");
        assert_eq!(ascii_repr("😀"), "'\\U0001f600'");
        assert_eq!(repr_str("\u{2028}\u{2029}"), "'\\u2028\\u2029'");
        assert_eq!(ascii_repr("\u{2028}\u{2029}"), "'\\u2028\\u2029'");
        assert_eq!(repr_str("\u{200b}\u{feff}"), "'\\u200b\\ufeff'");
        assert_eq!(ascii_repr("\u{200b}\u{feff}"), "'\\u200b\\ufeff'");
        assert_eq!(repr_str("\u{e000}"), "'\\ue000'");
        assert_eq!(ascii_repr("\u{e000}"), "'\\ue000'");
        assert_eq!(repr_str("\u{10ffff}"), "'\\U0010ffff'");
        assert_eq!(ascii_repr("\u{10ffff}"), "'\\U0010ffff'");
        assert_eq!(repr_str("\u{e0001}"), "'\\U000e0001'");
        assert_eq!(ascii_repr("\u{e0001}"), "'\\U000e0001'");
        assert_eq!(repr_str("ǅ"), "'ǅ'");
        assert_eq!(ascii_repr("ǅ"), "'\\u01c5'");
        assert_eq!(repr_str("𰀀"), "'𰀀'");
        assert_eq!(ascii_repr("𰀀"), "'\\U00030000'");
        assert_eq!(repr_str("\u{40000}"), "'\\U00040000'");
        assert_eq!(ascii_repr("\u{40000}"), "'\\U00040000'");
        assert_eq!(repr_str("\u{1c}\u{1f}"), "'\\x1c\\x1f'");
        assert_eq!(ascii_repr("\u{1c}\u{1f}"), "'\\x1c\\x1f'");
        assert_eq!(repr_str("á"), "'á'");
        assert_eq!(ascii_repr("á"), "'a\\u0301'");
        assert_eq!(repr_str("\u{fdd0}\u{ffff}"), "'\\ufdd0\\uffff'");
        assert_eq!(ascii_repr("\u{fdd0}\u{ffff}"), "'\\ufdd0\\uffff'");
    }

    #[test]
    fn decimal_values() {
        assert_eq!(decimal_value('0'), Some(0));
        assert_eq!(decimal_value('9'), Some(9));
        assert_eq!(decimal_value('a'), None);
        assert_eq!(decimal_value('٣'), Some(3));
        assert_eq!(decimal_value('۹'), Some(9));
        assert_eq!(decimal_value('९'), Some(9));
        assert_eq!(decimal_value('𝟘'), Some(0));
        assert_eq!(decimal_value('𝟿'), Some(9));
        assert_eq!(decimal_value('²'), None);
        assert_eq!(decimal_value('½'), None);
        assert_eq!(decimal_value('一'), None);
        assert_eq!(decimal_value('᥆'), Some(0));
        assert_eq!(decimal_value('ᥐ'), None);
    }
}
