//! LOAD_GLOBAL's inline cache never serves a stale binding: rebinding,
//! deleting and shadowing globals and builtins, and code run against
//! different globals dicts all see the current value.

mod common;

const PROGRAM: &str = r#"def f():
    return len("abc"), g()
def g():
    return 1
print(f())
def g():
    return 2
print(f())
len = lambda s: 99
print(f())
del len
print(f())
import builtins
builtins.g2 = 5
def h():
    return g2
print(h())
g2 = 6
print(h())
del g2
print(h())
ns = {}
exec("def k():\n    return x\nx = 1", ns)
print(ns['k']())
ns2 = {'x': 7}
exec("print(k())", {**ns2, 'k': ns['k']})
ns['x'] = 3
print(ns['k']())
for i in range(3):
    globals()['zz'] = i
    print((lambda: zz)())
try:
    del g
    f()
except NameError as e:
    print(e)
"#;

/// CPython 3.11's output for `PROGRAM`.
const EXPECTED: &str = r#"(3, 1)
(3, 2)
(99, 2)
(3, 2)
5
6
5
1
1
3
0
1
2
name 'g' is not defined
"#;

#[test]
fn cached_global_lookups_follow_every_rebinding() {
    assert_eq!(common::stdout_of(PROGRAM), EXPECTED);
}
