//! The `hashlib` module (<https://docs.python.org/3.11/library/hashlib.html>)
//! with `md5`, `sha1`, `sha224`, `sha256`, `sha384`, `sha512` and `new`,
//! computed here from the published algorithms (RFC 1321, FIPS 180-4).
//!
//! A hash object keeps the bytes fed to it (a bytearray in its dict,
//! `_data`) and its algorithm's name; `digest()` hashes them from the
//! start each time, so `update`, `copy` and repeated digests stay simple.

use crate::builtins::args;
use crate::builtins::{add_method, native_function, new_module, set_class_attr};
use crate::engine::ops::{self, kind_of};
use crate::engine::{str_of, Vm};
use crate::objects::{NativeFn, ObjKind};
use crate::value::Value;
use crate::PyResult;

type Kwargs<'a> = &'a [(Value, Value)];

// ---- the algorithms ------------------------------------------------------------------------------

/// Pads a message as MD5 and SHA-1/SHA-256 do (64-byte blocks, 64-bit
/// length, in the given byte order).
fn pad_64(data: &[u8], little_endian_length: bool) -> Vec<u8> {
    let mut message = data.to_vec();
    let bit_length = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    if little_endian_length {
        message.extend_from_slice(&bit_length.to_le_bytes());
    } else {
        message.extend_from_slice(&bit_length.to_be_bytes());
    }
    message
}

pub fn md5(data: &[u8]) -> Vec<u8> {
    const SHIFTS: [u32; 64] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5,
        9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10,
        15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];
    // K[i] = floor(|sin(i + 1)| * 2**32).
    let constants: Vec<u32> = (0..64)
        .map(|index| ((index as f64 + 1.0).sin().abs() * 4_294_967_296.0) as u32)
        .collect();
    let mut state: [u32; 4] = [0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476];
    for block in pad_64(data, true).chunks(64) {
        let words: Vec<u32> = block
            .chunks(4)
            .map(|word| u32::from_le_bytes([word[0], word[1], word[2], word[3]]))
            .collect();
        let [mut a, mut b, mut c, mut d] = state;
        for index in 0..64 {
            let (mix, word) = match index / 16 {
                0 => ((b & c) | (!b & d), index),
                1 => ((d & b) | (!d & c), (5 * index + 1) % 16),
                2 => (b ^ c ^ d, (3 * index + 5) % 16),
                _ => (c ^ (b | !d), (7 * index) % 16),
            };
            let rotated = a
                .wrapping_add(mix)
                .wrapping_add(constants[index])
                .wrapping_add(words[word])
                .rotate_left(SHIFTS[index]);
            a = d;
            d = c;
            c = b;
            b = b.wrapping_add(rotated);
        }
        for (slot, value) in state.iter_mut().zip([a, b, c, d]) {
            *slot = slot.wrapping_add(value);
        }
    }
    state.iter().flat_map(|word| word.to_le_bytes()).collect()
}

pub fn sha1(data: &[u8]) -> Vec<u8> {
    let mut state: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    for block in pad_64(data, false).chunks(64) {
        let mut words = [0u32; 80];
        for (index, word) in block.chunks(4).enumerate() {
            words[index] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for index in 16..80 {
            words[index] =
                (words[index - 3] ^ words[index - 8] ^ words[index - 14] ^ words[index - 16])
                    .rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = state;
        for (index, word) in words.iter().enumerate() {
            let (mix, constant) = match index / 20 {
                0 => ((b & c) | (!b & d), 0x5A82_7999),
                1 => (b ^ c ^ d, 0x6ED9_EBA1),
                2 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6u32),
            };
            let next = a
                .rotate_left(5)
                .wrapping_add(mix)
                .wrapping_add(e)
                .wrapping_add(constant)
                .wrapping_add(*word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = next;
        }
        for (slot, value) in state.iter_mut().zip([a, b, c, d, e]) {
            *slot = slot.wrapping_add(value);
        }
    }
    state.iter().flat_map(|word| word.to_be_bytes()).collect()
}

const SHA256_ROUND_CONSTANTS: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

fn sha256_with(data: &[u8], initial: [u32; 8], output_words: usize) -> Vec<u8> {
    let mut state = initial;
    for block in pad_64(data, false).chunks(64) {
        let mut words = [0u32; 64];
        for (index, word) in block.chunks(4).enumerate() {
            words[index] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for index in 16..64 {
            let low = words[index - 15].rotate_right(7)
                ^ words[index - 15].rotate_right(18)
                ^ (words[index - 15] >> 3);
            let high = words[index - 2].rotate_right(17)
                ^ words[index - 2].rotate_right(19)
                ^ (words[index - 2] >> 10);
            words[index] = words[index - 16]
                .wrapping_add(low)
                .wrapping_add(words[index - 7])
                .wrapping_add(high);
        }
        let mut working = state;
        for index in 0..64 {
            let [a, b, c, d, e, f, g, h] = working;
            let sum1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let first = h
                .wrapping_add(sum1)
                .wrapping_add(choice)
                .wrapping_add(SHA256_ROUND_CONSTANTS[index])
                .wrapping_add(words[index]);
            let sum0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let second = sum0.wrapping_add(majority);
            working = [
                first.wrapping_add(second),
                a,
                b,
                c,
                d.wrapping_add(first),
                e,
                f,
                g,
            ];
        }
        for (slot, value) in state.iter_mut().zip(working) {
            *slot = slot.wrapping_add(value);
        }
    }
    state[..output_words]
        .iter()
        .flat_map(|word| word.to_be_bytes())
        .collect()
}

pub fn sha256(data: &[u8]) -> Vec<u8> {
    sha256_with(
        data,
        [
            0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
            0x5be0cd19,
        ],
        8,
    )
}

pub fn sha224(data: &[u8]) -> Vec<u8> {
    sha256_with(
        data,
        [
            0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7,
            0xbefa4fa4,
        ],
        7,
    )
}

const SHA512_ROUND_CONSTANTS: [u64; 80] = [
    0x428a2f98d728ae22,
    0x7137449123ef65cd,
    0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc,
    0x3956c25bf348b538,
    0x59f111f1b605d019,
    0x923f82a4af194f9b,
    0xab1c5ed5da6d8118,
    0xd807aa98a3030242,
    0x12835b0145706fbe,
    0x243185be4ee4b28c,
    0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f,
    0x80deb1fe3b1696b1,
    0x9bdc06a725c71235,
    0xc19bf174cf692694,
    0xe49b69c19ef14ad2,
    0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5,
    0x240ca1cc77ac9c65,
    0x2de92c6f592b0275,
    0x4a7484aa6ea6e483,
    0x5cb0a9dcbd41fbd4,
    0x76f988da831153b5,
    0x983e5152ee66dfab,
    0xa831c66d2db43210,
    0xb00327c898fb213f,
    0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2,
    0xd5a79147930aa725,
    0x06ca6351e003826f,
    0x142929670a0e6e70,
    0x27b70a8546d22ffc,
    0x2e1b21385c26c926,
    0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df,
    0x650a73548baf63de,
    0x766a0abb3c77b2a8,
    0x81c2c92e47edaee6,
    0x92722c851482353b,
    0xa2bfe8a14cf10364,
    0xa81a664bbc423001,
    0xc24b8b70d0f89791,
    0xc76c51a30654be30,
    0xd192e819d6ef5218,
    0xd69906245565a910,
    0xf40e35855771202a,
    0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8,
    0x1e376c085141ab53,
    0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63,
    0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc,
    0x78a5636f43172f60,
    0x84c87814a1f0ab72,
    0x8cc702081a6439ec,
    0x90befffa23631e28,
    0xa4506cebde82bde9,
    0xbef9a3f7b2c67915,
    0xc67178f2e372532b,
    0xca273eceea26619c,
    0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e,
    0xf57d4f7fee6ed178,
    0x06f067aa72176fba,
    0x0a637dc5a2c898a6,
    0x113f9804bef90dae,
    0x1b710b35131c471b,
    0x28db77f523047d84,
    0x32caab7b40c72493,
    0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6,
    0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec,
    0x6c44198c4a475817,
];

fn sha512_with(data: &[u8], initial: [u64; 8], output_words: usize) -> Vec<u8> {
    let mut message = data.to_vec();
    let bit_length = (data.len() as u128).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 128 != 112 {
        message.push(0);
    }
    message.extend_from_slice(&bit_length.to_be_bytes());
    let mut state = initial;
    for block in message.chunks(128) {
        let mut words = [0u64; 80];
        for (index, word) in block.chunks(8).enumerate() {
            let mut raw = [0u8; 8];
            raw.copy_from_slice(word);
            words[index] = u64::from_be_bytes(raw);
        }
        for index in 16..80 {
            let low = words[index - 15].rotate_right(1)
                ^ words[index - 15].rotate_right(8)
                ^ (words[index - 15] >> 7);
            let high = words[index - 2].rotate_right(19)
                ^ words[index - 2].rotate_right(61)
                ^ (words[index - 2] >> 6);
            words[index] = words[index - 16]
                .wrapping_add(low)
                .wrapping_add(words[index - 7])
                .wrapping_add(high);
        }
        let mut working = state;
        for index in 0..80 {
            let [a, b, c, d, e, f, g, h] = working;
            let sum1 = e.rotate_right(14) ^ e.rotate_right(18) ^ e.rotate_right(41);
            let choice = (e & f) ^ (!e & g);
            let first = h
                .wrapping_add(sum1)
                .wrapping_add(choice)
                .wrapping_add(SHA512_ROUND_CONSTANTS[index])
                .wrapping_add(words[index]);
            let sum0 = a.rotate_right(28) ^ a.rotate_right(34) ^ a.rotate_right(39);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let second = sum0.wrapping_add(majority);
            working = [
                first.wrapping_add(second),
                a,
                b,
                c,
                d.wrapping_add(first),
                e,
                f,
                g,
            ];
        }
        for (slot, value) in state.iter_mut().zip(working) {
            *slot = slot.wrapping_add(value);
        }
    }
    state[..output_words]
        .iter()
        .flat_map(|word| word.to_be_bytes())
        .collect()
}

pub fn sha512(data: &[u8]) -> Vec<u8> {
    sha512_with(
        data,
        [
            0x6a09e667f3bcc908,
            0xbb67ae8584caa73b,
            0x3c6ef372fe94f82b,
            0xa54ff53a5f1d36f1,
            0x510e527fade682d1,
            0x9b05688c2b3e6c1f,
            0x1f83d9abfb41bd6b,
            0x5be0cd19137e2179,
        ],
        8,
    )
}

pub fn sha384(data: &[u8]) -> Vec<u8> {
    sha512_with(
        data,
        [
            0xcbbb9d5dc1059ed8,
            0x629a292a367cd507,
            0x9159015a3070dd17,
            0x152fecd8f70e5939,
            0x67332667ffc00b31,
            0x8eb44a8768581511,
            0xdb0c2e0d64f98fa7,
            0x47b5481dbefa4fa4,
        ],
        6,
    )
}

/// An algorithm: name, digest function, digest size, block size.
type Algorithm = (&'static str, fn(&[u8]) -> Vec<u8>, i64, i64);

const ALGORITHMS: [Algorithm; 6] = [
    ("md5", md5, 16, 64),
    ("sha1", sha1, 20, 64),
    ("sha224", sha224, 28, 64),
    ("sha256", sha256, 32, 64),
    ("sha384", sha384, 48, 128),
    ("sha512", sha512, 64, 128),
];

fn algorithm(name: &str) -> Option<Algorithm> {
    let lower = name.to_ascii_lowercase().replace('-', "");
    ALGORITHMS
        .iter()
        .copied()
        .find(|(known, ..)| *known == lower)
}

// ---- hash objects -------------------------------------------------------------------------------

fn field(object: Value, name: &str) -> Value {
    object
        .as_obj()
        .map(|obj| obj.dict())
        .and_then(|dict| ops::dict_get_str(dict, name))
        .unwrap_or(Value::NONE)
}

/// The algorithm and buffer of a hash object.
fn receiver(vm: &mut Vm, args: &[Value]) -> PyResult<(Algorithm, Value)> {
    let object = args.first().copied().unwrap_or(Value::NONE);
    let name = str_of(field(object, "name")).and_then(algorithm);
    let buffer = field(object, "_data");
    match (name, kind_of(buffer)) {
        (Some(algorithm), Some(ObjKind::ByteArray(_))) => Ok((algorithm, buffer)),
        _ => vm.err_type("expected a hash object"),
    }
}

fn data_of(buffer: Value) -> Vec<u8> {
    match kind_of(buffer) {
        Some(ObjKind::ByteArray(bytes)) => bytes.borrow().clone(),
        _ => Vec::new(),
    }
}

fn append(vm: &mut Vm, buffer: Value, value: Value) -> PyResult<()> {
    if str_of(value).is_some() {
        return vm.err_type("Strings must be encoded before hashing");
    }
    let Some(data) = crate::builtins::bytes_methods::buffer_of(value) else {
        let type_name = vm.type_name(value);
        return vm.err_type(format!(
            "object supporting the buffer API required, not '{type_name}'"
        ));
    };
    if let Some(ObjKind::ByteArray(bytes)) = kind_of(buffer) {
        bytes.append(&data);
    }
    Ok(())
}

fn new_hash(vm: &mut Vm, algorithm: Algorithm, data: Vec<u8>) -> Value {
    let class = vm.types.hash_object;
    let object = vm.alloc(class, ObjKind::Object);
    let dict = vm.new_dict();
    object.as_obj().expect("hash object").set_dict(dict);
    let buffer = vm.alloc(
        vm.types.bytearray,
        ObjKind::ByteArray(crate::objects::bytearray::ByteArrayCell::new(data)),
    );
    let entries = [
        ("name", vm.intern(algorithm.0)),
        ("_data", buffer),
        ("digest_size", Value::small_int_unchecked(algorithm.2)),
        ("block_size", Value::small_int_unchecked(algorithm.3)),
    ];
    for (name, value) in entries {
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, value);
    }
    object
}

fn hash_update(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    args::no_kwargs(vm, "update", kwargs)?;
    let (_, buffer) = receiver(vm, args)?;
    args::arity(vm, "update", &args[1..], 1, 1)?;
    append(vm, buffer, args[1])?;
    Ok(Value::NONE)
}

fn hash_digest(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let ((_, compute, ..), buffer) = receiver(vm, args)?;
    let digest = compute(&data_of(buffer));
    Ok(vm.new_bytes(digest))
}

fn hash_hexdigest(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let ((_, compute, ..), buffer) = receiver(vm, args)?;
    let text: String = compute(&data_of(buffer))
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    Ok(vm.new_str(text))
}

fn hash_copy(vm: &mut Vm, args: &[Value], _: Kwargs) -> PyResult<Value> {
    let (algorithm, buffer) = receiver(vm, args)?;
    Ok(new_hash(vm, algorithm, data_of(buffer)))
}

/// The constructor of one algorithm: `sha256(data=b'', *, usedforsecurity=True)`.
fn construct(vm: &mut Vm, algorithm: Algorithm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let names = ["data", "usedforsecurity", "string"];
    let bound = args::bind(vm, algorithm.0, args, kwargs, &names, 0)?;
    let object = new_hash(vm, algorithm, Vec::new());
    let data = args::given(bound[0]).or_else(|| args::given(bound[2]));
    if let Some(data) = data {
        let buffer = field(object, "_data");
        append(vm, buffer, data)?;
    }
    Ok(object)
}

macro_rules! constructors {
    ($($function:ident => $index:expr;)*) => {
        $(
            fn $function(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
                construct(vm, ALGORITHMS[$index], args, kwargs)
            }
        )*
        const CONSTRUCTORS: &[NativeFn] = &[$($function as NativeFn),*];
    };
}

constructors! {
    new_md5 => 0;
    new_sha1 => 1;
    new_sha224 => 2;
    new_sha256 => 3;
    new_sha384 => 4;
    new_sha512 => 5;
}

/// `hashlib.new(name, data=b'')`.
fn hashlib_new(vm: &mut Vm, args: &[Value], kwargs: Kwargs) -> PyResult<Value> {
    let Some(&name) = args.first() else {
        return vm.err_type("new() missing required argument 'name' (pos 1)");
    };
    let Some(text) = str_of(name) else {
        let type_name = vm.type_name(name);
        return vm.err_type(format!(
            "new() argument 'name' must be str, not {type_name}"
        ));
    };
    match algorithm(text) {
        Some(found) => construct(vm, found, &args[1..], kwargs),
        None => vm.err_value(format!("unsupported hash type {text}")),
    }
}

/// Creates the `hashlib` module.
pub fn make(vm: &mut Vm) -> Value {
    let module = new_module(vm, "hashlib");
    let dict = module.as_obj().expect("module").dict();
    let class = vm.types.hash_object;
    if ops::lookup_class_attr(class, "hexdigest").is_none() {
        let module_name = vm.intern("_hashlib");
        set_class_attr(vm, class, "__module__", module_name);
        add_method(vm, class, "update", hash_update);
        add_method(vm, class, "digest", hash_digest);
        add_method(vm, class, "hexdigest", hash_hexdigest);
        add_method(vm, class, "copy", hash_copy);
    }
    for (index, (name, ..)) in ALGORITHMS.iter().enumerate() {
        let function = native_function(vm, name, CONSTRUCTORS[index], Value::NULL);
        let key = vm.intern(name);
        ops::dict_set_str(vm, dict, key, function);
    }
    let new = native_function(vm, "new", hashlib_new, Value::NULL);
    let key = vm.intern("new");
    ops::dict_set_str(vm, dict, key, new);
    let names: Vec<Value> = ALGORITHMS
        .iter()
        .map(|(name, ..)| vm.intern(name))
        .collect();
    let available = vm.new_tuple(names);
    let key = vm.intern("algorithms_guaranteed");
    ops::dict_set_str(vm, dict, key, available);
    module
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: Vec<u8>) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    #[test]
    fn digests_match_published_vectors() {
        assert_eq!(hex(md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(
            hex(sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(sha224(b"abc")),
            "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"
        );
        assert_eq!(
            hex(sha512(b"abc")),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        );
        assert_eq!(
            hex(sha384(b"abc")),
            "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
        );
    }
}
