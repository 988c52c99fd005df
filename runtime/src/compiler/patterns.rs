//! The `match` statement (PEP 634, CPython 3.11 semantics): compiles each
//! case's pattern into type checks, comparisons and conditional jumps,
//! plus the compile-time checks CPython makes (unreachable cases, names
//! bound twice or differently by alternatives, repeated mapping keys and
//! class-pattern attributes).
//!
//! Code shape. The subject stays on the stack for the whole statement;
//! each case matches a copy of it. A pattern consumes the value on top of
//! the stack (its subject). The values it captures are not stored as they
//! are found: they are kept on the stack, beneath whatever the enclosing
//! patterns still need (`Context::above`), and stored only once the whole
//! pattern has matched, so a failed case binds nothing. Every failure
//! jumps to `fail_pops[k]`, where k counts the items (captures and pending
//! values) above the case's base; those labels sit in a chain of POP_TOPs
//! emitted after the case, so each failure point pops exactly what it left.

use rustpython_parser::ast::{self, Ranged};

use super::codegen::PatternEmitter;
use super::CompileError;
use crate::bytecode::opcodes::{CompareOp, Opcode};

type CResult<T = ()> = Result<T, CompileError>;

/// What the pattern being compiled must know about the stack around it.
struct Context {
    /// Names captured so far, in stack order: the first is nearest the top.
    captures: Vec<String>,
    /// Values above the captures that a failure must pop as well.
    above: usize,
    /// Whether an irrefutable pattern (a capture or `_`) is allowed here.
    allow_irrefutable: bool,
    /// `fail_pops[k]`: pops k items, then goes on with the next case.
    fail_pops: Vec<usize>,
}

impl Context {
    fn new(allow_irrefutable: bool) -> Context {
        Context {
            captures: Vec::new(),
            above: 0,
            allow_irrefutable,
            fail_pops: Vec::new(),
        }
    }
}

pub(super) fn compile_match<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    statement: &'a ast::StmtMatch,
) -> CResult {
    emitter.expression(&statement.subject)?;
    let subject_depth = emitter.current_depth();
    let end = emitter.label();
    let last = statement.cases.len().saturating_sub(1);
    for (index, case) in statement.cases.iter().enumerate() {
        emitter.line_at(&case.pattern);
        emitter.emit_op(Opcode::Copy, 1);
        let mut context = Context::new(case.guard.is_some() || index == last);
        compile_pattern(emitter, &case.pattern, &mut context)?;
        for name in std::mem::take(&mut context.captures) {
            emitter.store(&name);
        }
        if let Some(guard) = &case.guard {
            emitter.line_at(&**guard);
            emitter.expression(guard)?;
            jump_to_failure(emitter, &mut context, Opcode::PopJumpIfFalse);
        }
        emitter.emit_op(Opcode::PopTop, 0);
        emitter.statements(&case.body)?;
        emitter.jump_to(Opcode::Jump, end);
        emit_failure_pops(emitter, &mut context);
        emitter.force_depth(subject_depth);
    }
    emitter.emit_op(Opcode::PopTop, 0);
    emitter.bind_label(end);
    Ok(())
}

/// Jumps (with `op`, which pops the condition if it has one) to the label
/// that pops everything this pattern has left above the case's base.
fn jump_to_failure<'a>(emitter: &mut impl PatternEmitter<'a>, context: &mut Context, op: Opcode) {
    let pops = context.above + context.captures.len();
    while context.fail_pops.len() <= pops {
        let label = emitter.label();
        context.fail_pops.push(label);
    }
    emitter.jump_to(op, context.fail_pops[pops]);
}

/// Emits the POP_TOP chain the failure jumps land in and forgets it.
fn emit_failure_pops<'a>(emitter: &mut impl PatternEmitter<'a>, context: &mut Context) {
    let labels = std::mem::take(&mut context.fail_pops);
    for (pops, label) in labels.into_iter().enumerate().rev() {
        emitter.bind_label(label);
        if pops > 0 {
            emitter.emit_op(Opcode::PopTop, 0);
        }
    }
}

/// Moves TOS down to position `position` (1 = TOS), lifting the items
/// above that position by one.
fn sink_top<'a>(emitter: &mut impl PatternEmitter<'a>, position: usize) {
    for swap in (2..=position).rev() {
        emitter.emit_op(Opcode::Swap, swap as u32);
    }
}

/// Captures TOS under `name` (`None` for `_`: discards it).
fn capture<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    node: &impl Ranged,
    name: Option<&ast::Identifier>,
    context: &mut Context,
) -> CResult {
    let Some(name) = name else {
        emitter.emit_op(Opcode::PopTop, 0);
        return Ok(());
    };
    check_bindable(emitter, node, name.as_str(), context)?;
    sink_top(emitter, context.above + context.captures.len() + 1);
    context.captures.push(name.to_string());
    Ok(())
}

fn check_bindable<'a>(
    emitter: &impl PatternEmitter<'a>,
    node: &impl Ranged,
    name: &str,
    context: &Context,
) -> CResult {
    if name == "__debug__" {
        return Err(emitter.syntax_error(node, "cannot assign to __debug__"));
    }
    if context.captures.iter().any(|bound| bound == name) {
        let message = format!("multiple assignments to name '{name}' in pattern");
        return Err(emitter.syntax_error(node, &message));
    }
    Ok(())
}

fn is_wildcard(pattern: &ast::Pattern) -> bool {
    match pattern {
        ast::Pattern::MatchAs(capture) => capture.pattern.is_none() && capture.name.is_none(),
        ast::Pattern::MatchStar(star) => star.name.is_none(),
        _ => false,
    }
}

/// A pattern nested in a sequence, mapping or class pattern: those may
/// always be irrefutable.
fn compile_subpattern<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    pattern: &'a ast::Pattern,
    context: &mut Context,
) -> CResult {
    let allowed = std::mem::replace(&mut context.allow_irrefutable, true);
    let result = compile_pattern(emitter, pattern, context);
    context.allow_irrefutable = allowed;
    result
}

fn compile_pattern<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    pattern: &'a ast::Pattern,
    context: &mut Context,
) -> CResult {
    use ast::Pattern;
    emitter.line_at(pattern);
    match pattern {
        Pattern::MatchValue(value) => {
            if matches!(*value.value, ast::Expr::JoinedStr(_)) {
                return Err(emitter.syntax_error(
                    pattern,
                    "patterns may only match literals and attribute lookups",
                ));
            }
            emitter.expression(&value.value)?;
            emitter.emit_op(Opcode::CompareOp, CompareOp::Eq as u32);
            jump_to_failure(emitter, context, Opcode::PopJumpIfFalse);
        }
        Pattern::MatchSingleton(singleton) => {
            emitter.constant(&singleton.value);
            emitter.emit_op(Opcode::IsOp, 0);
            jump_to_failure(emitter, context, Opcode::PopJumpIfFalse);
        }
        Pattern::MatchAs(as_pattern) => match &as_pattern.pattern {
            None => {
                if !context.allow_irrefutable {
                    let message = match &as_pattern.name {
                        Some(name) => {
                            format!("name capture '{name}' makes remaining patterns unreachable")
                        }
                        None => "wildcard makes remaining patterns unreachable".to_string(),
                    };
                    return Err(emitter.syntax_error(pattern, &message));
                }
                capture(emitter, pattern, as_pattern.name.as_ref(), context)?;
            }
            Some(inner) => {
                // Keep a copy of the subject to bind once `inner` matched.
                emitter.emit_op(Opcode::Copy, 1);
                context.above += 1;
                compile_pattern(emitter, inner, context)?;
                context.above -= 1;
                capture(emitter, pattern, as_pattern.name.as_ref(), context)?;
            }
        },
        Pattern::MatchStar(star) => capture(emitter, pattern, star.name.as_ref(), context)?,
        Pattern::MatchSequence(sequence) => {
            compile_sequence(emitter, pattern, &sequence.patterns, context)?
        }
        Pattern::MatchMapping(mapping) => compile_mapping(emitter, pattern, mapping, context)?,
        Pattern::MatchClass(class) => compile_class(emitter, class, context)?,
        Pattern::MatchOr(alternatives) => {
            compile_alternatives(emitter, &alternatives.patterns, context)?
        }
    }
    Ok(())
}

fn load_index<'a>(emitter: &mut impl PatternEmitter<'a>, index: i64) {
    emitter.constant(&ast::Constant::Int(index.into()));
}

/// Checks `len(subject) op count` (subject kept), failing when false.
fn check_length<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    op: CompareOp,
    count: usize,
    context: &mut Context,
) {
    emitter.emit_op(Opcode::GetLen, 0);
    load_index(emitter, count as i64);
    emitter.emit_op(Opcode::CompareOp, op as u32);
    jump_to_failure(emitter, context, Opcode::PopJumpIfFalse);
}

fn compile_sequence<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    node: &ast::Pattern,
    patterns: &'a [ast::Pattern],
    context: &mut Context,
) -> CResult {
    let size = patterns.len();
    let mut star = None;
    for (index, item) in patterns.iter().enumerate() {
        if matches!(item, ast::Pattern::MatchStar(_)) {
            if star.is_some() {
                return Err(
                    emitter.syntax_error(node, "multiple starred names in sequence pattern")
                );
            }
            star = Some(index);
        }
    }
    // The subject stays until the checks are done.
    context.above += 1;
    emitter.emit_op(Opcode::MatchSequence, 0);
    jump_to_failure(emitter, context, Opcode::PopJumpIfFalse);
    match star {
        None => check_length(emitter, CompareOp::Eq, size, context),
        Some(_) if size > 1 => check_length(emitter, CompareOp::Ge, size - 1, context),
        Some(_) => {}
    }
    let star_is_wildcard = star.is_some_and(|index| is_wildcard(&patterns[index]));
    if patterns.iter().all(is_wildcard) {
        context.above -= 1;
        emitter.emit_op(Opcode::PopTop, 0);
    } else if star_is_wildcard {
        // `[a, *_, b]`: index the subject instead of unpacking all of it.
        let star = star.unwrap_or(size);
        for (index, item) in patterns.iter().enumerate() {
            if is_wildcard(item) {
                continue;
            }
            let position = if index < star {
                index as i64
            } else {
                index as i64 - size as i64
            };
            emitter.emit_op(Opcode::Copy, 1);
            load_index(emitter, position);
            emitter.emit_op(Opcode::BinarySubscr, 0);
            compile_subpattern(emitter, item, context)?;
        }
        context.above -= 1;
        emitter.emit_op(Opcode::PopTop, 0);
    } else {
        context.above -= 1;
        match star {
            Some(before) => {
                let after = size - before - 1;
                if before >= 0x100 || after >= 0x100_0000 {
                    return Err(emitter.syntax_error(
                        node,
                        "too many expressions in star-unpacking sequence pattern",
                    ));
                }
                emitter.emit_op(Opcode::UnpackEx, (before | (after << 8)) as u32);
            }
            None => emitter.emit_op(Opcode::UnpackSequence, size as u32),
        }
        context.above += size;
        for item in patterns {
            context.above -= 1;
            compile_subpattern(emitter, item, context)?;
        }
    }
    Ok(())
}

/// A mapping key the compiler can compare with others: CPython rejects a
/// literal key that equals an earlier literal key (`1`, `1.0` and `True`
/// are equal, as in a dict).
#[derive(PartialEq)]
enum LiteralKey {
    Number(f64, Option<num_bigint::BigInt>),
    Str(String),
    Bytes(Vec<u8>),
    None,
}

fn literal_key(key: &ast::Expr) -> Option<(LiteralKey, String)> {
    use num_traits::ToPrimitive;
    let (constant, negative) = match key {
        ast::Expr::Constant(constant) => (&constant.value, false),
        ast::Expr::UnaryOp(ast::ExprUnaryOp {
            op: ast::UnaryOp::USub,
            operand,
            ..
        }) => match &**operand {
            ast::Expr::Constant(constant) => (&constant.value, true),
            _ => return None,
        },
        _ => return None,
    };
    let sign = if negative { -1.0 } else { 1.0 };
    Some(match constant {
        ast::Constant::None => (LiteralKey::None, "None".to_string()),
        ast::Constant::Bool(flag) => (
            LiteralKey::Number(f64::from(u8::from(*flag)), Some(u8::from(*flag).into())),
            if *flag { "True" } else { "False" }.to_string(),
        ),
        ast::Constant::Int(number) => {
            let number = if negative {
                -number.clone()
            } else {
                number.clone()
            };
            let shown = number.to_string();
            (
                LiteralKey::Number(number.to_f64().unwrap_or(f64::NAN), Some(number)),
                shown,
            )
        }
        ast::Constant::Float(number) => {
            let number = sign * number;
            let exact = (number.fract() == 0.0 && number.is_finite())
                .then(|| num_bigint::BigInt::from(number as i64))
                .filter(|_| number.abs() < 9.0e15);
            let shown = crate::text::format_spec::float_repr(number);
            (LiteralKey::Number(number, exact), shown)
        }
        ast::Constant::Str(text) => (
            LiteralKey::Str(text.clone()),
            crate::engine::ops::str_repr(text),
        ),
        ast::Constant::Bytes(bytes) => (
            LiteralKey::Bytes(bytes.clone()),
            crate::builtins::repr::bytes_repr(bytes),
        ),
        _ => return None,
    })
}

fn compile_mapping<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    node: &ast::Pattern,
    mapping: &'a ast::PatternMatchMapping,
    context: &mut Context,
) -> CResult {
    let keys = &mapping.keys;
    let count = keys.len();
    if mapping
        .rest
        .as_ref()
        .is_some_and(|rest| rest.as_str() == "_")
    {
        return Err(emitter.syntax_error(node, "invalid syntax"));
    }
    let mut literal_keys: Vec<LiteralKey> = Vec::new();
    for key in keys {
        if !matches!(
            key,
            ast::Expr::Constant(_)
                | ast::Expr::UnaryOp(_)
                | ast::Expr::BinOp(_)
                | ast::Expr::Attribute(_)
        ) {
            return Err(emitter.syntax_error(
                key,
                "mapping pattern keys may only match literals and attribute lookups",
            ));
        }
        if let Some((literal, shown)) = literal_key(key) {
            if literal_keys.contains(&literal) {
                let message = format!("mapping pattern checks duplicate key ({shown})");
                return Err(emitter.syntax_error(node, &message));
            }
            literal_keys.push(literal);
        }
    }
    context.above += 1;
    emitter.emit_op(Opcode::MatchMapping, 0);
    jump_to_failure(emitter, context, Opcode::PopJumpIfFalse);
    if count == 0 {
        context.above -= 1;
        match &mapping.rest {
            None => emitter.emit_op(Opcode::PopTop, 0),
            Some(rest) => {
                // rest = dict(subject)
                emitter.emit_op(Opcode::BuildMap, 0);
                emitter.emit_op(Opcode::Swap, 2);
                emitter.emit_op(Opcode::DictUpdate, 1);
                capture(emitter, node, Some(rest), context)?;
            }
        }
        return Ok(());
    }
    check_length(emitter, CompareOp::Ge, count, context);
    for key in keys {
        emitter.expression(key)?;
    }
    emitter.emit_op(Opcode::BuildTuple, count as u32);
    // [subject, keys] -> [subject, keys, values or None]
    emitter.emit_op(Opcode::MatchKeys, 0);
    context.above += 2;
    emitter.emit_op(Opcode::Copy, 1);
    emitter.constant(&ast::Constant::None);
    emitter.emit_op(Opcode::IsOp, 1);
    jump_to_failure(emitter, context, Opcode::PopJumpIfFalse);
    emitter.emit_op(Opcode::UnpackSequence, count as u32);
    context.above += count - 1;
    for item in &mapping.patterns {
        context.above -= 1;
        compile_subpattern(emitter, item, context)?;
    }
    // [subject, keys]
    context.above -= 2;
    match &mapping.rest {
        None => {
            emitter.emit_op(Opcode::PopTop, 0);
            emitter.emit_op(Opcode::PopTop, 0);
        }
        Some(rest) => {
            // rest = dict(subject); then del rest[key] for every key.
            emitter.emit_op(Opcode::BuildMap, 0);
            emitter.emit_op(Opcode::Swap, 3);
            emitter.emit_op(Opcode::DictUpdate, 2);
            emitter.emit_op(Opcode::UnpackSequence, count as u32);
            for remaining in (1..=count).rev() {
                emitter.emit_op(Opcode::Copy, remaining as u32 + 1);
                emitter.emit_op(Opcode::Swap, 2);
                emitter.emit_op(Opcode::DeleteSubscr, 0);
            }
            capture(emitter, node, Some(rest), context)?;
        }
    }
    Ok(())
}

fn compile_class<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    class: &'a ast::PatternMatchClass,
    context: &mut Context,
) -> CResult {
    for (index, name) in class.kwd_attrs.iter().enumerate() {
        let node = &class.kwd_patterns[index];
        if name.as_str() == "__debug__" {
            return Err(emitter.syntax_error(node, "cannot assign to __debug__"));
        }
        if class.kwd_attrs[..index].contains(name) {
            let message = format!("attribute name repeated in class pattern: {name}");
            return Err(emitter.syntax_error(node, &message));
        }
    }
    emitter.expression(&class.cls)?;
    let names = class
        .kwd_attrs
        .iter()
        .map(|name| ast::Constant::Str(name.to_string()))
        .collect();
    emitter.constant(&ast::Constant::Tuple(names));
    emitter.emit_op(Opcode::MatchClass, class.patterns.len() as u32);
    // [attributes or None]
    context.above += 1;
    emitter.emit_op(Opcode::Copy, 1);
    emitter.constant(&ast::Constant::None);
    emitter.emit_op(Opcode::IsOp, 1);
    jump_to_failure(emitter, context, Opcode::PopJumpIfFalse);
    context.above -= 1;
    let count = class.patterns.len() + class.kwd_patterns.len();
    if count == 0 {
        emitter.emit_op(Opcode::PopTop, 0);
        return Ok(());
    }
    emitter.emit_op(Opcode::UnpackSequence, count as u32);
    context.above += count;
    for item in class.patterns.iter().chain(&class.kwd_patterns) {
        context.above -= 1;
        compile_subpattern(emitter, item, context)?;
    }
    Ok(())
}

/// Reorders the top `current.len()` stack items (index 0 = TOS) so they
/// follow `wanted`, with SWAPs; `current` is updated to match.
fn reorder_captures<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    current: &mut [String],
    wanted: &[String],
) {
    for position in (1..wanted.len()).rev() {
        if current[position] == wanted[position] {
            continue;
        }
        let from = current
            .iter()
            .position(|name| *name == wanted[position])
            .expect("alternatives bind the same names");
        if from != 0 {
            emitter.emit_op(Opcode::Swap, from as u32 + 1);
            current.swap(0, from);
        }
        emitter.emit_op(Opcode::Swap, position as u32 + 1);
        current.swap(0, position);
    }
}

/// `p1 | p2 | ...`: each alternative matches a copy of the subject with
/// its own captures; a match reorders its captures into the first
/// alternative's order and jumps to the common exit, which sinks them into
/// the enclosing pattern's captures.
fn compile_alternatives<'a>(
    emitter: &mut impl PatternEmitter<'a>,
    alternatives: &'a [ast::Pattern],
    context: &mut Context,
) -> CResult {
    let subject_depth = emitter.current_depth();
    let matched = emitter.label();
    let last = alternatives.len().saturating_sub(1);
    let mut bound: Option<Vec<String>> = None;
    for (index, alternative) in alternatives.iter().enumerate() {
        emitter.line_at(alternative);
        emitter.emit_op(Opcode::Copy, 1);
        let mut inner = Context::new(index == last && context.allow_irrefutable);
        compile_pattern(emitter, alternative, &mut inner)?;
        let mut names = std::mem::take(&mut inner.captures);
        match &bound {
            None => bound = Some(names),
            Some(first) => {
                let same =
                    names.len() == first.len() && names.iter().all(|name| first.contains(name));
                if !same {
                    return Err(emitter
                        .syntax_error(alternative, "alternative patterns bind different names"));
                }
                reorder_captures(emitter, &mut names, first);
            }
        }
        emitter.jump_to(Opcode::Jump, matched);
        emit_failure_pops(emitter, &mut inner);
        emitter.force_depth(subject_depth);
    }
    // No alternative matched: drop the subject and fail.
    emitter.emit_op(Opcode::PopTop, 0);
    jump_to_failure(emitter, context, Opcode::Jump);
    let names = bound.unwrap_or_default();
    emitter.bind_label(matched);
    emitter.force_depth(subject_depth + names.len() as i32);
    // [captures, above..., subject, new captures]: sink each new capture
    // below everything down to the earlier captures.
    let region = names.len() + 1 + context.above + context.captures.len();
    for name in names {
        if context.captures.contains(&name) {
            let message = format!("multiple assignments to name '{name}' in pattern");
            return Err(emitter.syntax_error(&alternatives[0], &message));
        }
        sink_top(emitter, region);
        context.captures.push(name);
    }
    // Drop the subject.
    emitter.emit_op(Opcode::PopTop, 0);
    Ok(())
}
