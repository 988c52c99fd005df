//! `str`: the representation of Python strings.
//!
//! A string is immutable UTF-8 text plus its length in code points and a
//! lazily computed hash. Python indexes strings by code point, never by
//! byte: when every character is ASCII (`char_count == text.len()`), an
//! index is a byte offset and indexing is O(1); otherwise indexing walks the
//! text. The Python-visible methods live in `builtins/str_methods.rs`; the
//! pure text algorithms in `text/strops.rs`.

use std::sync::atomic::{AtomicI64, Ordering::Relaxed};

pub struct PyStr {
    text: Box<str>,
    char_count: usize,
    /// Cached hash; `NO_HASH` (-1, never a str's hash) until first asked
    /// for. Threads that race to fill it store the same number.
    hash: AtomicI64,
}

impl PyStr {
    pub fn new(text: impl Into<Box<str>>) -> PyStr {
        let text = text.into();
        let char_count = if text.is_ascii() {
            text.len()
        } else {
            text.chars().count()
        };
        PyStr {
            text,
            char_count,
            hash: AtomicI64::new(NO_HASH),
        }
    }

    #[inline(always)]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Length in code points (Python's `len`).
    #[inline(always)]
    pub fn char_count(&self) -> usize {
        self.char_count
    }

    #[inline(always)]
    pub fn is_ascii(&self) -> bool {
        self.char_count == self.text.len()
    }

    /// The code point at `index` (already bounds-checked by the caller).
    pub fn char_at(&self, index: usize) -> char {
        if self.is_ascii() {
            self.text.as_bytes()[index] as char
        } else {
            self.text.chars().nth(index).unwrap_or('\0')
        }
    }

    /// Byte offset of code point `index` (`index == char_count` gives the
    /// length).
    pub fn byte_offset(&self, index: usize) -> usize {
        if self.is_ascii() {
            index.min(self.text.len())
        } else {
            self.text
                .char_indices()
                .nth(index)
                .map(|(offset, _)| offset)
                .unwrap_or(self.text.len())
        }
    }

    /// The substring between two code-point indices.
    pub fn slice_chars(&self, start: usize, stop: usize) -> &str {
        if start >= stop {
            return "";
        }
        let start_byte = self.byte_offset(start);
        let stop_byte = if self.is_ascii() {
            stop.min(self.text.len())
        } else {
            start_byte
                + self.text[start_byte..]
                    .char_indices()
                    .nth(stop - start)
                    .map(|(offset, _)| offset)
                    .unwrap_or(self.text.len() - start_byte)
        };
        &self.text[start_byte..stop_byte]
    }

    /// Python's `hash(str)`: stable within a process (FNV-1a over the UTF-8
    /// bytes, folded so that it is never -1, like CPython).
    pub fn hash(&self) -> i64 {
        let cached = self.hash.load(Relaxed);
        if cached != NO_HASH {
            return cached;
        }
        let hash = hash_text(&self.text);
        self.hash.store(hash, Relaxed);
        hash
    }
}

/// `PyStr::hash` not computed yet (`hash_text` never returns -1).
const NO_HASH: i64 = -1;

/// The hash a str with this text has (`PyStr::hash`), computed without
/// making a str: lookups by a Rust `&str` use it.
pub fn hash_text(text: &str) -> i64 {
    let mut state: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.as_bytes() {
        state ^= *byte as u64;
        state = state.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let hash = (state >> 1) as i64;
    if hash == -1 {
        -2
    } else {
        hash
    }
}
