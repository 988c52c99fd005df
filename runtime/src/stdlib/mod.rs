//! Standard-library modules written in Python for protoPython (our own
//! code; no third-party stdlib sources), compiled into the binary and
//! imported like built-in modules. Each module is one `.py` file here and
//! one line in [`SOURCES`].

/// (module name, source text) of every embedded module.
pub const SOURCES: &[(&str, &str)] = &[
    ("__future__", include_str!("__future__.py")),
    ("_collections_abc", include_str!("_collections_abc.py")),
    ("abc", include_str!("abc.py")),
    ("bisect", include_str!("bisect.py")),
    ("collections", include_str!("collections.py")),
    ("collections.abc", include_str!("collections_abc.py")),
    ("concurrent", include_str!("concurrent.py")),
    ("concurrent.futures", include_str!("concurrent_futures.py")),
    ("contextlib", include_str!("contextlib.py")),
    ("copy", include_str!("copy.py")),
    ("dataclasses", include_str!("dataclasses.py")),
    ("decimal", include_str!("decimal.py")),
    ("enum", include_str!("enum.py")),
    ("fractions", include_str!("fractions.py")),
    ("functools", include_str!("functools.py")),
    ("heapq", include_str!("heapq.py")),
    ("inspect", include_str!("inspect.py")),
    ("io", include_str!("io.py")),
    ("itertools", include_str!("itertools.py")),
    ("json", include_str!("json.py")),
    ("json.decoder", include_str!("json_decoder.py")),
    ("json.encoder", include_str!("json_encoder.py")),
    ("keyword", include_str!("keyword.py")),
    ("numbers", include_str!("numbers.py")),
    ("operator", include_str!("operator.py")),
    ("queue", include_str!("queue.py")),
    ("random", include_str!("random.py")),
    ("statistics", include_str!("statistics.py")),
    ("string", include_str!("string.py")),
    ("textwrap", include_str!("textwrap.py")),
    ("threading", include_str!("threading.py")),
    ("types", include_str!("types.py")),
    ("typing", include_str!("typing.py")),
    ("warnings", include_str!("warnings.py")),
];
