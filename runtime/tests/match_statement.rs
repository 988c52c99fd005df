//! The `match` statement (PEP 634): every pattern kind, guards, name
//! binding rules and the compile- and run-time errors, each checked
//! against the output CPython 3.11 gives for the same program.

mod common;

/// Value patterns compare with `==` (so 0.0 and False match 0); None/True/False compare by identity.
#[test]
fn literal_and_singleton() {
    let source = r#"
def describe(x):
    match x:
        case 0:
            return "zero"
        case 1 | 2:
            return "small"
        case -1:
            return "minus one"
        case 2.5:
            return "float"
        case "hi":
            return "str"
        case b"by":
            return "bytes"
        case True:
            return "true"
        case None:
            return "none"
    return "other"
print([describe(v) for v in [0, 0.0, False, 2, 1.0, -1, 2.5, "hi", b"by", True, None, 7, "x"]])
"#;
    let expected = r#"['zero', 'zero', 'zero', 'small', 'small', 'minus one', 'float', 'str', 'bytes', 'small', 'none', 'other', 'other']
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// Captures bind, `_` binds nothing, a failed case binds nothing, and no matching case falls through.
#[test]
fn capture_and_wildcard() {
    let source = r#"
def f(x):
    match x:
        case [_, _]:
            return "two"
        case {"k": _}:
            return "k"
        case other:
            return ("other", other)
print(f([1, 2]), f({"k": 0}), f(5))
match 3:
    case _:
        print("wildcard")
match (1, 2):
    case (a, 3):
        pass
    case _:
        pass
print("a" in globals())
match 10:
    case 1:
        print("no")
print("fell through")
"#;
    let expected = r#"two k ('other', 5)
wildcard
False
fell through
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// `as` binds the whole sub-subject; guards run after the captures are bound, once per attempted case.
#[test]
fn as_and_guards() {
    let source = r#"
def g(v):
    match v:
        case (int() | float()) as n if n < 0:
            return f"negative {n}"
        case [x, y] as pair if x == y:
            return f"equal {pair}"
        case [1, [2, _] as inner] as outer:
            return f"inner {inner} outer {outer}"
        case (5 as five) | (6 as five):
            return f"five-ish {five}"
        case int(n) if n % 2 == 0:
            return f"even {n}"
    return "none"
print([g(v) for v in [-3, -2.5, [4, 4], [1, [2, 3]], 5, 6, 8, 7]])
calls = []
def check(value):
    calls.append(value)
    return value > 1
for v in [1, 2]:
    match v:
        case n if check(n):
            print("guard passed", n)
        case n:
            print("guard failed", n)
print(calls)
"#;
    let expected = r#"['negative -3', 'negative -2.5', 'equal [4, 4]', 'inner [2, 3] outer [1, [2, 3]]', 'five-ish 5', 'five-ish 6', 'even 8', 'none']
guard failed 1
guard passed 2
[1, 2]
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// Alternatives that bind the same names in different orders, with guards and nesting.
#[test]
fn or_patterns() {
    let source = r#"
def alt(v):
    match v:
        case (a, b, c) | [c, b, a, _] | {"a": a, "b": b, "c": c}:
            return (a, b, c)
        case (1, x) | (x, 2) if x > 0:
            return ("guarded", x)
        case [[p, q] | (q, p, _), r]:
            return (p, q, r)
        case "quit" | "exit":
            return "bye"
    return None
for v in [(1, 2, 3), [1, 2, 3, 4], {"c": 3, "b": 2, "a": 1, "z": 0}, (1, 5), (7, 2), (1, -1), [[1, 2], 3], [(1, 2, 3), 4], "exit", "xyz"]:
    print(v, alt(v))
"#;
    let expected = r#"(1, 2, 3) (1, 2, 3)
[1, 2, 3, 4] (3, 2, 1)
{'c': 3, 'b': 2, 'a': 1, 'z': 0} (1, 2, 3)
(1, 5) ('guarded', 5)
(7, 2) ('guarded', 7)
(1, -1) None
[[1, 2], 3] (1, 2, 3)
[(1, 2, 3), 4] (2, 1, 4)
exit bye
xyz None
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// Sequence patterns: list, tuple, range and subclasses only; star captures and star wildcards.
#[test]
fn sequences() {
    let source = r#"
def shape(seq):
    match seq:
        case []:
            return "empty"
        case [x]:
            return f"one {x}"
        case [x, y]:
            return f"two {x} {y}"
        case [first, *middle, last]:
            return f"first={first} middle={middle} last={last}"
        case _:
            return "not a sequence"
for s in [[], [1], (1, 2), [1, 2, 3, 4], range(3), "ab", b"ab", bytearray(b"ab"), {1: 2}, 42]:
    print(repr(s), "->", shape(s))
class MyList(list):
    pass
match MyList([1, 2]):
    case [a, b]:
        print("subclass", a, b)
match range(10):
    case [0, 1, *mid, 9]:
        print("range star", mid)
match (1, 2, 3, 4):
    case (1, *_, 4):
        print("star wildcard")
match [1, 2, 3]:
    case [*head, _]:
        print("head", head)
match [1, [2, [3, 4]]]:
    case [a, [b, [c, d]]]:
        print("nested", a, b, c, d)
"#;
    let expected = r#"[] -> empty
[1] -> one 1
(1, 2) -> two 1 2
[1, 2, 3, 4] -> first=1 middle=[2, 3] last=4
range(0, 3) -> first=0 middle=[1] last=2
'ab' -> not a sequence
b'ab' -> not a sequence
bytearray(b'ab') -> not a sequence
{1: 2} -> not a sequence
42 -> not a sequence
subclass 1 2
range star [2, 3, 4, 5, 6, 7, 8]
star wildcard
head [1, 2]
nested 1 2 3 4
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// Mapping patterns: extra keys ignored, `**rest`, lookups through `get` (never `__missing__`), attribute keys, duplicate keys at run time.
#[test]
fn mappings() {
    let source = r#"
def handle(event):
    match event:
        case {"type": "click", "pos": (x, y)}:
            return f"click at {x},{y}"
        case {"type": "key", **rest}:
            return f"key rest={rest}"
        case {"type": t}:
            return f"unhandled {t}"
        case {}:
            return "no type"
        case _:
            return "not a mapping"
for e in [{"type": "click", "pos": (3, 4)}, {"type": "key", "key": "a", "mods": 1}, {"type": "scroll"}, {"other": 1}, ["list"]]:
    print(handle(e))
class WithMissing(dict):
    def __missing__(self, key):
        return "missing"
match WithMissing(a=1):
    case {"b": v}:
        print("never", v)
    case {"a": v, **rest}:
        print("a is", v, rest, type(rest).__name__)
class Logging(dict):
    def get(self, key, default=None):
        print("get", key)
        return dict.get(self, key, default)
match Logging(a=1, b=2):
    case {"a": 1, "b": b}:
        print("b is", b)
class Keys:
    A = "a"
match {"a": 1}:
    case {Keys.A: v}:
        print("attribute key", v)
try:
    match {"a": 1, "b": 2}:
        case {Keys.A: 1, Keys.A: 2}:
            print("never")
except ValueError as error:
    print("ValueError", error)
match {"x": 1, "y": 2}:
    case {"x": 1}:
        print("extra keys are fine")
"#;
    let expected = r#"click at 3,4
key rest={'key': 'a', 'mods': 1}
unhandled scroll
no type
not a mapping
a is 1 {} dict
get a
get b
b is 2
attribute key 1
ValueError mapping pattern checks duplicate key ('a')
extra keys are fine
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// Class patterns: `__match_args__`, keywords, missing attributes, the self-matching built-ins and their subclasses.
#[test]
fn classes() {
    let source = r#"
class Point:
    __match_args__ = ("x", "y")
    def __init__(self, x, y):
        self.x, self.y = x, y
class Point3(Point):
    pass
def where(obj):
    match obj:
        case Point(0, 0):
            return "origin"
        case Point(x=0, y=y):
            return f"y axis {y}"
        case Point(x, 0):
            return f"x axis {x}"
        case Point(x, y) if x == y:
            return f"diagonal {x}"
        case Point(z=1):
            return "never: no attribute z"
        case Point():
            return "some point"
    return "not a point"
print([where(p) for p in [Point(0, 0), Point(0, 5), Point(3, 0), Point3(2, 2), Point(1, 3), 5]])
def builtin(v):
    match v:
        case bool(b):
            return f"bool {b}"
        case int(i) | float(i):
            return f"number {i}"
        case str(s) | bytes(s):
            return f"text {s!r}"
        case list([a, *_]):
            return f"list first {a}"
        case tuple((a, b)):
            return f"tuple {a} {b}"
        case dict({"k": k}):
            return f"dict {k}"
        case set() | frozenset():
            return "set"
        case bytearray(data):
            return f"bytearray {data}"
    return "other"
print([builtin(v) for v in [True, 3, 2.5, "s", b"b", [1, 2], (3, 4), {"k": 5}, {1}, frozenset(), bytearray(b"x"), None]])
class MyInt(int):
    pass
match MyInt(5):
    case MyInt(n):
        print("self match", n, type(n).__name__)
class Prop:
    __match_args__ = ("value",)
    @property
    def value(self):
        return 42
match Prop():
    case Prop(v):
        print("property", v)
"#;
    let expected = r#"['origin', 'y axis 5', 'x axis 3', 'diagonal 2', 'some point', 'not a point']
['bool True', 'number 3', 'number 2.5', "text 's'", "text b'b'", 'list first 1', 'tuple 3 4', 'dict 5', 'set', 'set', "bytearray bytearray(b'x')", 'other']
self match 5 MyInt
property 42
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// `match` inside loops (break/continue), closures, class bodies and generators.
#[test]
fn in_functions_and_loops() {
    let source = r#"
def run():
    out = []
    for item in [1, "s", [1, 2], None, 3.5, (9,)]:
        match item:
            case None:
                continue
            case 3.5:
                break
            case int() | str():
                out.append(("scalar", item))
            case [x, y]:
                out.append(("pair", x + y))
        out.append("after")
    return out
print(run())
def make(v):
    match v:
        case [x, *rest]:
            return lambda: (x, rest)
print(make([1, 2, 3])())
class Holder:
    match [1, 2]:
        case [first, second]:
            total = first + second
print(Holder.total, Holder.first)
def gen(items):
    for it in items:
        match it:
            case {"value": v}:
                yield v
            case [*vs]:
                yield from vs
print(list(gen([{"value": 1}, [2, 3], {"no": 4}])))
"#;
    let expected = r#"[('scalar', 1), 'after', ('scalar', 's'), 'after', ('pair', 3), 'after']
(1, [2, 3])
3 1
[1, 2, 3]
"#;
    assert_eq!(common::stdout_of(source), expected);
}

/// The last line of the uncaught exception `source` raises, and its stdout.
fn failure_of(source: &str) -> (String, String) {
    let outcome = common::run(source);
    let error = outcome.error.expect("the program raises");
    let last = error
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or_default()
        .to_string();
    (last, outcome.stdout)
}

/// Compile-time errors: nothing runs, not even the `print` before them.
#[test]
fn pattern_syntax_errors() {
    let cases = [
        (
            "print('start')\nmatch 1:\n    case x:\n        pass\n    case 2:\n        pass\n",
            "SyntaxError: name capture 'x' makes remaining patterns unreachable",
        ),
        (
            "print('start')\nmatch 1:\n    case _:\n        pass\n    case 2:\n        pass\n",
            "SyntaxError: wildcard makes remaining patterns unreachable",
        ),
        (
            "print('start')\nmatch 1:\n    case x | 1:\n        pass\n",
            "SyntaxError: name capture 'x' makes remaining patterns unreachable",
        ),
        (
            "print('start')\nmatch 1:\n    case [x] | [y]:\n        pass\n",
            "SyntaxError: alternative patterns bind different names",
        ),
        (
            "print('start')\nmatch 1:\n    case [x, x]:\n        pass\n",
            "SyntaxError: multiple assignments to name 'x' in pattern",
        ),
        (
            "print('start')\nmatch 1:\n    case [x, (1 | x)]:\n        pass\n",
            "SyntaxError: alternative patterns bind different names",
        ),
        (
            "print('start')\nmatch 1:\n    case {'a': 1, 'a': 2}:\n        pass\n",
            "SyntaxError: mapping pattern checks duplicate key ('a')",
        ),
        (
            "print('start')\nmatch 1:\n    case {1: a, True: b}:\n        pass\n",
            "SyntaxError: mapping pattern checks duplicate key (True)",
        ),
        (
            "print('start')\nmatch 1:\n    case {'k': x, **x}:\n        pass\n",
            "SyntaxError: multiple assignments to name 'x' in pattern",
        ),
        (
            "print('start')\nmatch 1:\n    case C(a=1, a=2):\n        pass\n",
            "SyntaxError: attribute name repeated in class pattern: a",
        ),
        (
            "print('start')\nmatch 1:\n    case [*a, *b]:\n        pass\n",
            "SyntaxError: multiple starred names in sequence pattern",
        ),
    ];
    for (source, expected) in cases {
        assert_eq!(
            failure_of(source),
            (expected.to_string(), String::new()),
            "{source}"
        );
    }
}

/// Run-time errors of class patterns, raised when the case is tried.
#[test]
fn class_pattern_type_errors() {
    let cases = [
        (
            "print('start')\nf = 3\nmatch 1:\n    case f():\n        pass\n",
            "TypeError: called match pattern must be a type",
        ),
        (
            "print('start')\nclass C:\n    pass\nmatch C():\n    case C(1):\n        pass\n",
            "TypeError: C() accepts 0 positional sub-patterns (1 given)",
        ),
        (
            "print('start')\nmatch 5:\n    case int(1, 2):\n        pass\n",
            "TypeError: int() accepts 1 positional sub-pattern (2 given)",
        ),
        (
            "print('start')\nclass C:\n    __match_args__ = ['a']\nmatch C():\n    case C(1):\n        pass\n",
            "TypeError: C.__match_args__ must be a tuple (got list)",
        ),
        (
            "print('start')\nclass C:\n    __match_args__ = (1,)\nmatch C():\n    case C(1):\n        pass\n",
            "TypeError: __match_args__ elements must be strings (got int)",
        ),
        (
            "print('start')\nclass C:\n    __match_args__ = ('a',)\n    a = 1\nmatch C():\n    case C(1, a=2):\n        pass\n",
            "TypeError: C() got multiple sub-patterns for attribute 'a'",
        ),
    ];
    for (source, expected) in cases {
        let expected = (expected.to_string(), "start\n".to_string());
        assert_eq!(failure_of(source), expected, "{source}");
    }
}

/// A guarded capture may come before other cases; `match`, `case` and `_`
/// stay usable as ordinary names.
#[test]
fn guarded_capture_and_soft_keywords() {
    let source = r#"
def f(v):
    match v:
        case x if x > 1:
            return "big"
        case _ if v == 1:
            return "one"
        case x:
            return "small"
print(f(5), f(1), f(0))
match = [1, 2]
case = 3
_ = 4
match match:
    case [a, b]:
        print(a + b + case + _)
"#;
    assert_eq!(common::stdout_of(source), "big one small\n10\n");
}
