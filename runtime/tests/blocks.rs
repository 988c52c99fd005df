//! Basic-block analysis: exact block boundaries of small programs, and
//! block-by-block execution giving the same results as running each code
//! object's instructions as one range.

mod common;

use expect_test::{expect, Expect};

fn check_blocks(source: &str, expected: Expect) {
    let (mut vm, _) = common::new_vm();
    let code = runtime::compiler::compile(&mut vm, source, "<test>", runtime::compiler::Mode::Exec)
        .expect("compiles");
    let mut text = String::new();
    let mut pending = vec![code];
    while let Some(code) = pending.pop() {
        let name = vm.str_text(code.name);
        let ranges: Vec<String> = code
            .blocks
            .ranges()
            .iter()
            .map(|(start, end)| format!("{start}-{end}"))
            .collect();
        text.push_str(&format!("{name}: {}\n", ranges.join(" ")));
        for constant in code.consts.iter().rev() {
            if let Some(inner) = runtime::engine::code_of(*constant) {
                pending.push(inner);
            }
        }
    }
    expected.assert_eq(&text);
}

#[test]
fn empty_code_is_one_block() {
    check_blocks(
        "",
        expect![[r#"
        <module>: 0-2
    "#]],
    );
}

#[test]
fn straight_line_code_is_one_block() {
    check_blocks(
        "x = 1\ny = x + 2\n",
        expect![[r#"
        <module>: 0-8
    "#]],
    );
}

#[test]
fn if_else_splits_at_branch_and_join() {
    check_blocks(
        "if x:\n    y = 1\nelse:\n    y = 2\nz = 3\n",
        expect![[r#"
        <module>: 0-2 2-5 5-7 7-11
    "#]],
    );
}

#[test]
fn while_loop_has_header_body_and_exit() {
    check_blocks(
        "i = 0\nwhile i < 3:\n    i += 1\n",
        expect![[r#"
        <module>: 0-2 2-6 6-11 11-13
    "#]],
    );
}

#[test]
fn for_loop_ends_blocks_at_iteration() {
    check_blocks(
        "for i in range(3):\n    print(i)\n",
        expect![[r#"
        <module>: 0-4 4-5 5-11 11-13
    "#]],
    );
}

#[test]
fn try_except_handler_starts_a_block() {
    check_blocks(
        "try:\n    x = 1\nexcept ValueError:\n    x = 2\n",
        expect![[r#"
        <module>: 0-3 3-7 7-12 12-13 13-14 14-16
    "#]],
    );
}

#[test]
fn break_ends_a_block() {
    check_blocks(
        "for i in range(9):\n    if i == 2:\n        break\n    print(i)\n",
        expect![[r#"
        <module>: 0-4 4-5 5-10 10-12 12-17 17-19
    "#]],
    );
}

/// Programs that between them make the compiler emit every opcode it has.
const EVERY_OPCODE: &str = r#"
import sys
from sys import maxsize
x = [1, 2, 3]
t = (x[0], *x)
d = {'a': 1, **{'b': 2}}
s = {1, 2, *x}
del d['a']
x[0] = 5
print(x[1:2], x[::-1], -x[0], +x[1], ~x[2], not x)
a, *rest = x
b, c, e = 1, 2, 3
print(a, rest, b, c, e, 1 < b < 3, b is c, b is not c, 2 in x, 9 not in x)
def f(p, q=2, *args, k=3, **kw):
    total = p + q + k
    for item in args:
        total += item
    return total, kw
print(f(1), f(1, 2, 3, 4, k=5, z=6), f(*[1, 2], **{'k': 1}))
def outer():
    n = 0
    def inner():
        nonlocal n
        n += 1
        return n
    return inner
counter = outer()
counter(); print(counter())
class A:
    attr = 1
    def method(self):
        return __class__
class B(A):
    def method(self):
        return super().method()
o = B()
o.extra = 4
del o.extra
print(B().method() is A, A.attr, [i * i for i in range(4) if i], {i: i for i in range(2)}, {i % 2 for i in range(5)})
def gen():
    yield 1
    yield from [2, 3]
print(list(gen()), sum(i for i in range(5)))
try:
    raise ValueError('bad') from None
except (TypeError, ValueError) as error:
    print(type(error).__name__, error)
finally:
    print('finally')
class Manager:
    def __enter__(self):
        return 'entered'
    def __exit__(self, kind, value, tb):
        print('exit', kind is ZeroDivisionError)
        return True
with Manager() as entered:
    print(entered)
    1 / 0
assert len(x) == 3, 'length'
print('{a}-{b}'.format(a=1, b=2))
print(f'{x[0]:>4}|{b!r}|{3.5:.2f}', (lambda v: v * 2)(21), x if x else None, x and b, x or b)
n = 0
while True:
    n += 1
    if n < 3:
        continue
    break
else:
    pass
print(n, globals() is not None, (y := 10), y)
match {'k': [1, 2, 3]}:
    case {'k': [int(one), *more]} if more:
        print(one, more)
try:
    raise ExceptionGroup('eg', [KeyError(1), ValueError(2)])
except* KeyError as group:
    print(len(group.exceptions))
except* ValueError:
    print('value')
"#;

fn run_program(whole_ranges: bool) -> String {
    let (mut vm, host) = common::new_vm();
    vm.whole_ranges = whole_ranges;
    let result = runtime::engine::run_main_module(
        &mut vm,
        EVERY_OPCODE,
        "<test>",
        "",
        vec!["<test>".into()],
    );
    if let Err(exception) = result {
        panic!(
            "{}",
            runtime::engine::unwind::format_exception(&mut vm, exception)
        );
    }
    host.stdout()
}

#[test]
fn block_by_block_equals_whole_ranges() {
    let by_block = run_program(false);
    let whole = run_program(true);
    assert_eq!(by_block, whole);
    assert!(by_block.contains("finally"), "{by_block}");
}

/// CPython 3.11's output for `EVERY_OPCODE`.
const CPYTHON_OUTPUT: &str = r#"[2] [3, 2, 5] -5 2 -4 False
5 [2, 3] 1 2 3 False False True True True
(6, {}) (15, {'z': 6}) (4, {})
2
True 1 [1, 4, 9] {0: 0, 1: 1} {0, 1}
[1, 2, 3] 10
ValueError bad
finally
entered
exit True
1-2
   5|1|3.50 42 [5, 2, 3] 1 [5, 2, 3]
3 True 10 10
1 [2, 3]
1
value
"#;

#[test]
fn every_opcode_program_prints_what_cpython_prints() {
    assert_eq!(run_program(false), CPYTHON_OUTPUT);
}

#[test]
fn the_equivalence_program_covers_every_opcode_the_compiler_emits() {
    use runtime::bytecode::opcodes::Opcode;
    let (mut vm, _) = common::new_vm();
    let code = runtime::compiler::compile(
        &mut vm,
        EVERY_OPCODE,
        "<test>",
        runtime::compiler::Mode::Exec,
    )
    .expect("compiles");
    let mut seen = std::collections::HashSet::new();
    let mut pending = vec![code];
    while let Some(code) = pending.pop() {
        seen.extend(code.instructions.iter().map(|instruction| instruction.op));
        pending.extend(
            code.consts
                .iter()
                .filter_map(|constant| runtime::engine::code_of(*constant)),
        );
    }
    // Emitted only in contexts this program does not have: interactive
    // mode, `from m import *`, class bodies reading enclosing variables,
    // `del` of a cell or global, module-level bare annotations.
    let elsewhere = [
        Opcode::PrintExpr,
        Opcode::ImportStar,
        Opcode::LoadClassDeref,
        Opcode::DeleteDeref,
        Opcode::DeleteGlobal,
        Opcode::DeleteName,
        Opcode::DeleteFast,
        Opcode::SetupAnnotations,
        Opcode::Nop,
        Opcode::GetIter,
        Opcode::CallKw,
        Opcode::StoreGlobal,
        Opcode::Send,
    ];
    let missing: Vec<&str> = Opcode::ALL
        .iter()
        .filter(|op| !seen.contains(op) && !elsewhere.contains(op))
        .map(|op| op.name())
        .collect();
    assert!(
        missing.is_empty(),
        "opcodes the program does not exercise: {missing:?}"
    );
}

/// The step loop can stop after any number of blocks and resume: running
/// `EVERY_OPCODE` one block per dispatch gives the same output.
#[test]
fn a_task_stepped_one_block_at_a_time_gives_the_same_output() {
    use runtime::engine::step::{step, Step, Task};
    let (mut vm, host) = common::new_vm();
    let namespace = runtime::engine::main_namespace(&mut vm, "<test>", "", vec!["<test>".into()])
        .expect("namespace");
    let code = runtime::engine::compile_or_raise(
        &mut vm,
        EVERY_OPCODE,
        "<test>",
        runtime::compiler::Mode::Exec,
    )
    .expect("compiles");
    let frame = runtime::engine::module_frame(&mut vm, code, namespace, namespace);
    let mut task = Task::default();
    task.frames.push(frame);
    vm.depth += 1;
    let mut dispatches = 0;
    loop {
        dispatches += 1;
        match step(&mut vm, &mut task, 1) {
            Ok(Step::Done(_)) => break,
            Ok(Step::Suspended) => {}
            Ok(Step::Parked) => panic!("nothing in this program blocks"),
            Err(exception) => panic!(
                "{}",
                runtime::engine::unwind::format_exception(&mut vm, exception)
            ),
        }
    }
    assert!(dispatches > 100, "only {dispatches} dispatches");
    assert_eq!(host.stdout(), CPYTHON_OUTPUT);
}
