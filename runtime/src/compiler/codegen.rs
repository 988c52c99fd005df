//! Code generation: AST -> instructions, constants, names, line table and
//! exception table, one [`CodeUnit`] per scope.
//!
//! Exception handling follows CPython 3.11: there is no run-time block
//! stack. Every instruction records the innermost active handler when it is
//! emitted; `finish` merges runs of equal handlers into the exception table.
//! `finally` bodies are emitted once for the normal path, once for the
//! exceptional path, and inline before every `return`/`break`/`continue`
//! that leaves them (see `unwind_fblocks`). Stack depth is tracked while
//! emitting from the opcode table's stack effects, so each handler knows
//! the depth to cut the value stack back to.

use std::collections::HashMap;

use num_bigint::BigInt;
use rustpython_parser::ast::{self, Ranged};

use super::blocks::BlockTable;
use super::symtable::{ScopeId, ScopeKind, Storage, SymbolTable};
use super::{CompileError, LineIndex};
use crate::bytecode::code::{code_flags, CodeObject, ExceptionEntry};
use crate::bytecode::opcodes::{BinaryOp, CompareOp, Instruction, Opcode, INPLACE_OFFSET};
use crate::engine::Vm;
use crate::value::Value;

/// What the source is compiled as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A module or script.
    Exec,
    /// One expression (`eval`).
    Eval,
    /// Interactive input: expression statements print their value.
    Single,
    /// A module whose last statement, when it is an expression, gives the
    /// code's return value (embedders' `run(code)`: the value of the last
    /// expression, as a notebook cell shows it); otherwise `None`.
    ExecValue,
}

/// Compiles `source` into an immortal code object.
pub fn compile(
    vm: &mut Vm,
    source: &str,
    filename: &str,
    mode: Mode,
) -> Result<&'static CodeObject, CompileError> {
    super::syntax_errors::check_source(source)?;
    let parse_mode = match mode {
        Mode::Exec | Mode::ExecValue => rustpython_parser::Mode::Module,
        Mode::Eval => rustpython_parser::Mode::Expression,
        Mode::Single => rustpython_parser::Mode::Interactive,
    };
    let text = super::syntax_errors::parser_source(source);
    let parsed = rustpython_parser::parse(&text, parse_mode, filename)
        .map_err(|error| super::syntax_errors::from_parse_error(&error, source))?;
    super::syntax_errors::check_parsed(&parsed, source)?;
    let line_index = LineIndex::new(source);
    let (body, expression): (Vec<ast::Stmt>, Option<Box<ast::Expr>>) = match parsed {
        ast::Mod::Module(module) => (module.body, None),
        ast::Mod::Interactive(interactive) => (interactive.body, None),
        ast::Mod::Expression(expression) => (Vec::new(), Some(expression.body)),
        ast::Mod::FunctionType(_) => (Vec::new(), None),
    };
    let line_of = |offset: u32| line_index.line(offset);
    let symbols = match &expression {
        Some(expression) => SymbolTable::build_from_expr(expression, &line_of)?,
        None => SymbolTable::build(&body, &line_of)?,
    };
    let filename_value = vm.intern(filename);
    let future_annotations = has_future_annotations(&body);
    let mut compiler = Compiler {
        vm,
        symbols,
        line_index: &line_index,
        filename: filename_value,
        units: Vec::new(),
        interactive: mode == Mode::Single,
        source,
        shared_source: std::sync::Arc::from(source),
        future_annotations,
        hidden: filename == crate::builtins::loops::FILENAME,
    };
    compiler.push_unit(0, "<module>", "<module>", 1);
    compiler.unit().flags |= code_flags::NAMESPACE;
    match &expression {
        Some(expression) => {
            compiler.set_line(&**expression);
            compiler.expr(expression)?;
            compiler.emit(Opcode::ReturnValue, 0);
        }
        None => {
            if mode == Mode::Exec || mode == Mode::ExecValue {
                compiler.docstring_into_namespace(&body)?;
            }
            match body.split_last() {
                Some((ast::Stmt::Expr(last), rest)) if mode == Mode::ExecValue => {
                    compiler.body(rest)?;
                    compiler.set_line(&*last.value);
                    compiler.expr(&last.value)?;
                }
                _ => {
                    compiler.body(&body)?;
                    compiler.load_const(Value::NONE);
                }
            }
            compiler.emit(Opcode::ReturnValue, 0);
        }
    }
    let code = compiler.finish_unit()?;
    Ok(code)
}

/// Whether the module starts (after its docstring) with
/// `from __future__ import annotations`, which keeps annotations as strings.
fn has_future_annotations(body: &[ast::Stmt]) -> bool {
    let mut statements = body.iter().peekable();
    if let Some(ast::Stmt::Expr(first)) = statements.peek() {
        if matches!(&*first.value, ast::Expr::Constant(c) if matches!(c.value, ast::Constant::Str(_)))
        {
            statements.next();
        }
    }
    for statement in statements {
        match statement {
            ast::Stmt::ImportFrom(import)
                if import
                    .module
                    .as_ref()
                    .is_some_and(|m| m.as_str() == "__future__") =>
            {
                if import
                    .names
                    .iter()
                    .any(|alias| alias.name.as_str() == "annotations")
                {
                    return true;
                }
            }
            _ => return false,
        }
    }
    false
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Label(usize);

/// A frame block: what leaving a construct early must undo.
#[derive(Clone)]
enum FBlock<'a> {
    /// A loop; `for` loops keep their iterator on the stack.
    Loop {
        continue_label: Label,
        break_label: Label,
        is_for: bool,
    },
    /// The protected body of try/finally.
    TryFinally {
        body: &'a [ast::Stmt],
        handler_depth: usize,
    },
    /// The exceptional copy of a finally body: [previous, exc] on the stack.
    FinallyExcept,
    /// An except handler's body: [previous] on the stack.
    HandlerBody { name: Option<String> },
    /// A with body: [exit] on the stack.
    With,
    /// An `except*` clause body: `break`, `continue` and `return` may not
    /// leave it.
    ExceptStarBody,
}

struct CodeUnit<'a> {
    scope: ScopeId,
    name: String,
    qualname: String,
    first_line: u32,
    instructions: Vec<Instruction>,
    lines: Vec<u32>,
    /// The handler label active for each instruction.
    handlers: Vec<Option<(Label, u32)>>,
    consts: Vec<Value>,
    const_index: HashMap<ConstKey, u32>,
    names: Vec<String>,
    name_index: HashMap<String, u32>,
    varnames: Vec<String>,
    cellvars: Vec<String>,
    freevars: Vec<String>,
    labels: Vec<Option<usize>>,
    label_depths: Vec<Option<i32>>,
    fblocks: Vec<FBlock<'a>>,
    handler_stack: Vec<(Label, u32)>,
    line: u32,
    depth: i32,
    max_depth: i32,
    flags: u32,
    arg_count: u32,
    posonly_count: u32,
    kwonly_count: u32,
    docstring: Value,
    /// The innermost enclosing class name, for private name mangling.
    private: Option<String>,
}

#[derive(Hash, PartialEq, Eq, Clone)]
enum ConstKey {
    None,
    Bool(bool),
    Int(BigInt),
    Float(u64),
    Complex(u64, u64),
    Str(String),
    Bytes(Vec<u8>),
    Ellipsis,
    Tuple(Vec<ConstKey>),
}

struct Compiler<'a, 'vm> {
    vm: &'vm mut Vm,
    symbols: SymbolTable,
    line_index: &'a LineIndex,
    filename: Value,
    units: Vec<CodeUnit<'a>>,
    interactive: bool,
    /// The module's text (annotations are kept as source under
    /// `from __future__ import annotations`).
    source: &'a str,
    /// The same text, shared by every code object of this compile (for
    /// traceback lines).
    shared_source: std::sync::Arc<str>,
    future_annotations: bool,
    /// Every code object gets `code_flags::HIDDEN` (the built-ins' loops).
    hidden: bool,
}

type CResult<T = ()> = Result<T, CompileError>;

impl<'a> Compiler<'a, '_> {
    // ---- units --------------------------------------------------------------

    fn unit(&mut self) -> &mut CodeUnit<'a> {
        self.units.last_mut().expect("no code unit")
    }

    fn unit_ref(&self) -> &CodeUnit<'a> {
        self.units.last().expect("no code unit")
    }

    fn push_unit(&mut self, scope: ScopeId, name: &str, qualname: &str, first_line: u32) {
        let symbols = &self.symbols.scopes[scope];
        let mut varnames: Vec<String> = symbols.parameters.clone();
        if symbols.kind == ScopeKind::Function || symbols.kind == ScopeKind::Comprehension {
            for local in symbols.local_names() {
                if !varnames.contains(&local) {
                    varnames.push(local);
                }
            }
        }
        let private = self.units.last().and_then(|unit| unit.private.clone());
        let unit = CodeUnit {
            private,
            scope,
            name: name.to_string(),
            qualname: qualname.to_string(),
            first_line,
            instructions: Vec::new(),
            lines: Vec::new(),
            handlers: Vec::new(),
            consts: Vec::new(),
            const_index: HashMap::new(),
            names: Vec::new(),
            name_index: HashMap::new(),
            varnames,
            cellvars: symbols.cellvars.clone(),
            freevars: symbols.freevars.clone(),
            labels: Vec::new(),
            label_depths: Vec::new(),
            fblocks: Vec::new(),
            handler_stack: Vec::new(),
            line: first_line,
            depth: 0,
            max_depth: 0,
            flags: 0,
            arg_count: 0,
            posonly_count: 0,
            kwonly_count: 0,
            docstring: Value::NONE,
        };
        self.units.push(unit);
    }

    fn finish_unit(&mut self) -> CResult<&'static CodeObject> {
        let unit = self.units.pop().expect("no code unit");
        let mut instructions = unit.instructions;
        for instruction in &mut instructions {
            if instruction.op.has_jump_target() {
                let target = unit.labels[instruction.arg as usize].expect("unbound label");
                instruction.arg = target as u32;
            }
        }
        // Merge handler runs into the exception table.
        let mut exception_table: Vec<ExceptionEntry> = Vec::new();
        for (pc, handler) in unit.handlers.iter().enumerate() {
            let Some((label, depth)) = handler else {
                continue;
            };
            let target = unit.labels[label.0].expect("unbound handler label") as u32;
            match exception_table.last_mut() {
                Some(last)
                    if last.end == pc as u32 && last.handler == target && last.depth == *depth =>
                {
                    last.end += 1
                }
                _ => exception_table.push(ExceptionEntry {
                    start: pc as u32,
                    end: pc as u32 + 1,
                    handler: target,
                    depth: *depth,
                }),
            }
        }
        let blocks = BlockTable::analyze(&instructions, &exception_table);
        let symbols = &self.symbols.scopes[unit.scope];
        let cell_parameters = unit
            .cellvars
            .iter()
            .enumerate()
            .filter_map(|(cell_index, name)| {
                symbols
                    .parameters
                    .iter()
                    .position(|parameter| parameter == name)
                    .map(|local| (cell_index as u32, local as u32))
            })
            .collect();
        let mut flags = unit.flags;
        if symbols.is_generator {
            flags |= code_flags::GENERATOR;
        }
        if self.hidden {
            flags |= code_flags::HIDDEN;
        }
        let intern = |vm: &mut Vm, names: &[String]| {
            names.iter().map(|name| vm.intern(name)).collect::<Vec<_>>()
        };
        let code = CodeObject {
            name: self.vm.intern(&unit.name),
            qualname: self.vm.intern(&unit.qualname),
            filename: self.filename,
            first_line: unit.first_line,
            instructions,
            lines: unit.lines,
            consts: unit.consts,
            names: intern(self.vm, &unit.names),
            varnames: intern(self.vm, &unit.varnames),
            cellvars: intern(self.vm, &unit.cellvars),
            freevars: intern(self.vm, &unit.freevars),
            cell_parameters,
            arg_count: unit.arg_count,
            posonly_count: unit.posonly_count,
            kwonly_count: unit.kwonly_count,
            flags,
            exception_table,
            blocks,
            max_stack: unit.max_depth.max(0) as u32 + 2,
            docstring: unit.docstring,
            source: std::sync::Arc::clone(&self.shared_source),
            value: std::sync::OnceLock::new(),
            global_cache: (0..unit.names.len()).map(|_| Default::default()).collect(),
        };
        Ok(self.vm.new_code(code))
    }

    fn scope_kind(&self) -> ScopeKind {
        self.symbols.scopes[self.unit_ref().scope].kind
    }

    // ---- emission -----------------------------------------------------------

    fn set_line(&mut self, node: &impl Ranged) {
        let line = self.line_index.line(node.start().to_u32());
        self.unit().line = line;
    }

    fn emit(&mut self, op: Opcode, arg: u32) {
        let unit = self.unit();
        let line = unit.line;
        let handler = unit.handler_stack.last().copied();
        unit.instructions.push(Instruction { op, arg });
        unit.lines.push(line);
        unit.handlers.push(handler);
        if op.has_jump_target() {
            let jump_depth = unit.depth + op.jump_stack_effect(arg);
            let slot = &mut unit.label_depths[arg as usize];
            if slot.is_none() {
                *slot = Some(jump_depth);
            }
        }
        unit.depth += op.stack_effect(arg);
        unit.max_depth = unit.max_depth.max(unit.depth);
    }

    fn new_label(&mut self) -> Label {
        let unit = self.unit();
        unit.labels.push(None);
        unit.label_depths.push(None);
        Label(unit.labels.len() - 1)
    }

    fn bind(&mut self, label: Label) {
        let unit = self.unit();
        unit.labels[label.0] = Some(unit.instructions.len());
        if let Some(depth) = unit.label_depths[label.0] {
            unit.depth = depth;
        }
    }

    fn jump(&mut self, op: Opcode, label: Label) {
        self.emit(op, label.0 as u32);
    }

    /// Sets the tracked depth (after an instruction that never falls through).
    fn set_depth(&mut self, depth: i32) {
        self.unit().depth = depth;
    }

    fn depth(&self) -> i32 {
        self.unit_ref().depth
    }

    fn push_handler(&mut self, label: Label, depth: i32) {
        self.unit().handler_stack.push((label, depth as u32));
        // The handler is entered with the exception pushed.
        let unit = self.unit();
        if unit.label_depths[label.0].is_none() {
            unit.label_depths[label.0] = Some(depth + 1);
        }
    }

    fn pop_handler(&mut self) {
        self.unit().handler_stack.pop();
    }

    fn const_key(value: &ast::Constant) -> ConstKey {
        match value {
            ast::Constant::None => ConstKey::None,
            ast::Constant::Bool(b) => ConstKey::Bool(*b),
            ast::Constant::Str(s) => ConstKey::Str(s.clone()),
            ast::Constant::Bytes(b) => ConstKey::Bytes(b.clone()),
            ast::Constant::Int(n) => ConstKey::Int(n.clone()),
            ast::Constant::Tuple(items) => {
                ConstKey::Tuple(items.iter().map(Self::const_key).collect())
            }
            ast::Constant::Float(x) => ConstKey::Float(x.to_bits()),
            ast::Constant::Complex { real, imag } => {
                ConstKey::Complex(real.to_bits(), imag.to_bits())
            }
            ast::Constant::Ellipsis => ConstKey::Ellipsis,
        }
    }

    fn constant_value(&mut self, value: &ast::Constant) -> Value {
        match value {
            ast::Constant::None => Value::NONE,
            ast::Constant::Bool(b) => Value::bool(*b),
            ast::Constant::Str(s) => self.vm.intern(s),
            ast::Constant::Bytes(b) => self.vm.const_bytes(b.clone()),
            ast::Constant::Int(n) => self.vm.const_int(n.clone()),
            ast::Constant::Tuple(items) => {
                let values: Vec<Value> =
                    items.iter().map(|item| self.constant_value(item)).collect();
                self.vm.const_tuple(values)
            }
            ast::Constant::Float(x) => Value::float(*x),
            ast::Constant::Complex { real, imag } => crate::heap::alloc_immortal(
                self.vm.types.complex,
                crate::objects::ObjKind::Complex {
                    real: *real,
                    imag: *imag,
                },
            ),
            ast::Constant::Ellipsis => Value::ELLIPSIS,
        }
    }

    fn load_constant(&mut self, value: &ast::Constant) {
        let key = Self::const_key(value);
        let index = match self.unit().const_index.get(&key) {
            Some(index) => *index,
            None => {
                let constant = self.constant_value(value);
                let unit = self.unit();
                unit.consts.push(constant);
                let index = unit.consts.len() as u32 - 1;
                unit.const_index.insert(key, index);
                index
            }
        };
        self.emit(Opcode::LoadConst, index);
    }

    /// Loads a constant value that is not deduplicated (code objects,
    /// singletons).
    fn load_const(&mut self, value: Value) {
        let key = if value == Value::NONE {
            Some(ConstKey::None)
        } else if value == Value::TRUE {
            Some(ConstKey::Bool(true))
        } else if value == Value::FALSE {
            Some(ConstKey::Bool(false))
        } else {
            None
        };
        if let Some(key) = &key {
            if let Some(index) = self.unit().const_index.get(key) {
                let index = *index;
                self.emit(Opcode::LoadConst, index);
                return;
            }
        }
        let unit = self.unit();
        unit.consts.push(value);
        let index = unit.consts.len() as u32 - 1;
        if let Some(key) = key {
            unit.const_index.insert(key, index);
        }
        self.emit(Opcode::LoadConst, index);
    }

    fn load_str(&mut self, text: &str) {
        self.load_constant(&ast::Constant::Str(text.to_string()));
    }

    /// `name` after private name mangling in the current class context.
    fn mangled<'n>(&self, name: &'n str) -> std::borrow::Cow<'n, str> {
        match super::symtable::mangle(self.unit_ref().private.as_deref(), name) {
            Some(mangled) => std::borrow::Cow::Owned(mangled),
            None => std::borrow::Cow::Borrowed(name),
        }
    }

    /// The `names` index of an attribute name (mangled like any identifier).
    fn attribute_index(&mut self, name: &str) -> u32 {
        let name = self.mangled(name).into_owned();
        self.name_index(&name)
    }

    fn name_index(&mut self, name: &str) -> u32 {
        let unit = self.unit();
        if let Some(index) = unit.name_index.get(name) {
            return *index;
        }
        unit.names.push(name.to_string());
        let index = unit.names.len() as u32 - 1;
        unit.name_index.insert(name.to_string(), index);
        index
    }

    fn varname_index(&mut self, name: &str) -> u32 {
        let unit = self.unit();
        match unit.varnames.iter().position(|existing| existing == name) {
            Some(index) => index as u32,
            None => {
                unit.varnames.push(name.to_string());
                unit.varnames.len() as u32 - 1
            }
        }
    }

    fn deref_index(&mut self, name: &str) -> u32 {
        let unit = self.unit();
        if let Some(index) = unit.cellvars.iter().position(|existing| existing == name) {
            return index as u32;
        }
        match unit.freevars.iter().position(|existing| existing == name) {
            Some(index) => (unit.cellvars.len() + index) as u32,
            None => {
                unit.freevars.push(name.to_string());
                (unit.cellvars.len() + unit.freevars.len() - 1) as u32
            }
        }
    }

    fn storage(&self, name: &str) -> Storage {
        let scope = &self.symbols.scopes[self.unit_ref().scope];
        if scope.kind == ScopeKind::Class
            && scope.freevars.iter().any(|free| free == name)
            && scope.storage.get(name) == Some(&Storage::Local)
        {
            return Storage::Local;
        }
        scope.storage_of(name)
    }

    // ---- names --------------------------------------------------------------

    fn load_name(&mut self, name: &str) {
        let mangled = self.mangled(name).into_owned();
        let name = mangled.as_str();
        let kind = self.scope_kind();
        match (kind, self.storage(name)) {
            (ScopeKind::Function | ScopeKind::Comprehension, Storage::Local) => {
                let index = self.varname_index(name);
                self.emit(Opcode::LoadFast, index)
            }
            (ScopeKind::Class, Storage::Free) => {
                let index = self.deref_index(name);
                self.emit(Opcode::LoadClassDeref, index)
            }
            (_, Storage::Cell | Storage::Free) => {
                let index = self.deref_index(name);
                self.emit(Opcode::LoadDeref, index)
            }
            (
                ScopeKind::Function | ScopeKind::Comprehension,
                Storage::GlobalExplicit | Storage::GlobalImplicit,
            )
            | (ScopeKind::Class, Storage::GlobalExplicit) => {
                let index = self.name_index(name);
                self.emit(Opcode::LoadGlobal, index)
            }
            _ => {
                let index = self.name_index(name);
                self.emit(Opcode::LoadName, index)
            }
        }
    }

    fn store_name(&mut self, name: &str) {
        self.bind_or_unbind(
            name,
            [
                Opcode::StoreFast,
                Opcode::StoreDeref,
                Opcode::StoreGlobal,
                Opcode::StoreName,
            ],
        );
    }

    fn delete_name(&mut self, name: &str) {
        self.bind_or_unbind(
            name,
            [
                Opcode::DeleteFast,
                Opcode::DeleteDeref,
                Opcode::DeleteGlobal,
                Opcode::DeleteName,
            ],
        );
    }

    /// Stores and deletes resolve a name the same way; `ops` gives the
    /// fast, cell, global and namespace-dict form of the access.
    fn bind_or_unbind(&mut self, name: &str, ops: [Opcode; 4]) {
        let [fast, deref, global, namespace] = ops;
        let mangled = self.mangled(name).into_owned();
        let name = mangled.as_str();
        let kind = self.scope_kind();
        match (kind, self.storage(name)) {
            (ScopeKind::Function | ScopeKind::Comprehension, Storage::Local) => {
                let index = self.varname_index(name);
                self.emit(fast, index)
            }
            (_, Storage::Cell | Storage::Free) => {
                let index = self.deref_index(name);
                self.emit(deref, index)
            }
            (ScopeKind::Function | ScopeKind::Comprehension, _)
            | (ScopeKind::Class, Storage::GlobalExplicit) => {
                let index = self.name_index(name);
                self.emit(global, index)
            }
            _ => {
                let index = self.name_index(name);
                self.emit(namespace, index)
            }
        }
    }

    // ---- statements -----------------------------------------------------------

    fn body(&mut self, statements: &'a [ast::Stmt]) -> CResult {
        for statement in statements {
            self.statement(statement)?;
        }
        Ok(())
    }

    fn docstring_of(body: &[ast::Stmt]) -> Option<&str> {
        if let Some(ast::Stmt::Expr(expression)) = body.first() {
            if let ast::Expr::Constant(ast::ExprConstant {
                value: ast::Constant::Str(text),
                ..
            }) = &*expression.value
            {
                return Some(text);
            }
        }
        None
    }

    fn docstring_into_namespace(&mut self, body: &'a [ast::Stmt]) -> CResult {
        if let Some(text) = Self::docstring_of(body) {
            self.set_line(&body[0]);
            self.load_str(text);
            self.store_name("__doc__");
        }
        Ok(())
    }

    fn error(&self, node: &impl Ranged, message: impl Into<String>) -> CompileError {
        let offset = node.start().to_u32();
        CompileError::syntax(message.into(), self.line_index.line(offset), 0)
    }

    fn statement(&mut self, statement: &'a ast::Stmt) -> CResult {
        use ast::Stmt;
        self.set_line(statement);
        match statement {
            Stmt::FunctionDef(def) => self.function_def(
                def,
                &def.name,
                &def.args,
                &def.body,
                &def.decorator_list,
                def.returns.as_deref(),
            ),
            Stmt::AsyncFunctionDef(def) => self.function_def(
                def,
                &def.name,
                &def.args,
                &def.body,
                &def.decorator_list,
                def.returns.as_deref(),
            ),
            Stmt::ClassDef(def) => self.class_def(def),
            Stmt::Return(ret) => {
                if !matches!(self.scope_kind(), ScopeKind::Function) {
                    return Err(self.error(statement, "'return' outside function"));
                }
                self.check_leaves_except_star(statement, false)?;
                match &ret.value {
                    Some(value) => self.expr(value)?,
                    None => self.load_const(Value::NONE),
                }
                self.unwind_fblocks(true, None)?;
                self.set_line(statement);
                self.emit(Opcode::ReturnValue, 0);
                Ok(())
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    self.delete_target(target)?;
                }
                Ok(())
            }
            Stmt::Assign(assign) => {
                self.expr(&assign.value)?;
                for (index, target) in assign.targets.iter().enumerate() {
                    if index + 1 < assign.targets.len() {
                        self.emit(Opcode::Copy, 1);
                    }
                    self.store_target(target)?;
                }
                Ok(())
            }
            Stmt::AugAssign(assign) => self.aug_assign(assign),
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.expr(value)?;
                    self.store_target(&assign.target)?;
                } else if !matches!(&*assign.target, ast::Expr::Name(_)) {
                    // `obj.attr: int` evaluates obj, like CPython.
                    if let ast::Expr::Attribute(attribute) = &*assign.target {
                        self.expr(&attribute.value)?;
                        self.emit(Opcode::PopTop, 0);
                    }
                }
                if matches!(self.scope_kind(), ScopeKind::Module | ScopeKind::Class) {
                    // Module and class annotations are evaluated; a simple
                    // name's lands in `__annotations__[name]`.
                    self.annotation(&assign.annotation)?;
                    match &*assign.target {
                        ast::Expr::Name(name) if assign.simple => {
                            self.emit(Opcode::SetupAnnotations, 0);
                            let index = self.name_index("__annotations__");
                            self.emit(Opcode::LoadName, index);
                            self.load_str(name.id.as_str());
                            self.emit(Opcode::StoreSubscr, 0);
                        }
                        _ => {
                            self.emit(Opcode::PopTop, 0);
                        }
                    }
                }
                Ok(())
            }
            Stmt::TypeAlias(_) => Err(self.error(statement, "type aliases are not supported")),
            Stmt::For(for_loop) => self.for_loop(
                &for_loop.target,
                &for_loop.iter,
                &for_loop.body,
                &for_loop.orelse,
            ),
            Stmt::AsyncFor(for_loop) => self.for_loop(
                &for_loop.target,
                &for_loop.iter,
                &for_loop.body,
                &for_loop.orelse,
            ),
            Stmt::While(while_loop) => self.while_loop(while_loop),
            Stmt::If(if_statement) => {
                let otherwise = self.new_label();
                let end = self.new_label();
                self.condition_jump(&if_statement.test, false, otherwise)?;
                self.body(&if_statement.body)?;
                if !if_statement.orelse.is_empty() {
                    self.jump(Opcode::Jump, end);
                }
                self.bind(otherwise);
                self.body(&if_statement.orelse)?;
                self.bind(end);
                Ok(())
            }
            Stmt::With(with) => self.with_statement(&with.items, &with.body),
            Stmt::AsyncWith(with) => self.with_statement(&with.items, &with.body),
            Stmt::Match(match_statement) => self.match_statement(match_statement),
            Stmt::Raise(raise) => {
                let mut count = 0;
                if let Some(exc) = &raise.exc {
                    self.expr(exc)?;
                    count = 1;
                    if let Some(cause) = &raise.cause {
                        self.expr(cause)?;
                        count = 2;
                    }
                }
                self.emit(Opcode::Raise, count);
                self.after_exit();
                Ok(())
            }
            Stmt::Try(try_statement) => self.try_statement(
                &try_statement.body,
                &try_statement.handlers,
                &try_statement.orelse,
                &try_statement.finalbody,
                false,
            ),
            Stmt::TryStar(try_statement) => self.try_statement(
                &try_statement.body,
                &try_statement.handlers,
                &try_statement.orelse,
                &try_statement.finalbody,
                true,
            ),
            Stmt::Assert(assert) => {
                let end = self.new_label();
                self.condition_jump(&assert.test, true, end)?;
                self.emit(Opcode::LoadAssertionError, 0);
                if let Some(message) = &assert.msg {
                    self.expr(message)?;
                    self.emit(Opcode::Call, 1);
                }
                self.emit(Opcode::Raise, 1);
                self.after_exit();
                self.bind(end);
                Ok(())
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    self.load_constant(&ast::Constant::Int(BigInt::from(0)));
                    self.load_const(Value::NONE);
                    let index = self.name_index(&alias.name);
                    self.emit(Opcode::ImportName, index);
                    match &alias.asname {
                        Some(asname) => {
                            let parts: Vec<&str> = alias.name.split('.').collect();
                            for part in &parts[1..] {
                                let index = self.name_index(part);
                                self.emit(Opcode::ImportFrom, index);
                                self.emit(Opcode::Swap, 2);
                                self.emit(Opcode::PopTop, 0);
                            }
                            self.store_name(asname);
                        }
                        None => {
                            let top = alias.name.split('.').next().unwrap_or("");
                            self.store_name(top);
                        }
                    }
                }
                Ok(())
            }
            Stmt::ImportFrom(import) => {
                let level = import.level.map(|level| level.to_u32()).unwrap_or(0);
                self.load_constant(&ast::Constant::Int(BigInt::from(level)));
                let names: Vec<ast::Constant> = import
                    .names
                    .iter()
                    .map(|alias| ast::Constant::Str(alias.name.to_string()))
                    .collect();
                self.load_constant(&ast::Constant::Tuple(names));
                let module = import
                    .module
                    .as_ref()
                    .map(|name| name.to_string())
                    .unwrap_or_default();
                let index = self.name_index(&module);
                self.emit(Opcode::ImportName, index);
                if import.names.len() == 1 && import.names[0].name.as_str() == "*" {
                    self.emit(Opcode::ImportStar, 0);
                    return Ok(());
                }
                for alias in &import.names {
                    let index = self.name_index(&alias.name);
                    self.emit(Opcode::ImportFrom, index);
                    self.store_name(alias.asname.as_ref().unwrap_or(&alias.name));
                }
                self.emit(Opcode::PopTop, 0);
                Ok(())
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) => Ok(()),
            Stmt::Expr(expression) => {
                if self.interactive && self.units.len() == 1 {
                    self.expr(&expression.value)?;
                    self.emit(Opcode::PrintExpr, 0);
                    return Ok(());
                }
                if let ast::Expr::Constant(_) = &*expression.value {
                    return Ok(());
                }
                self.expr(&expression.value)?;
                self.emit(Opcode::PopTop, 0);
                Ok(())
            }
            Stmt::Break(_) => {
                if !self
                    .unit_ref()
                    .fblocks
                    .iter()
                    .any(|block| matches!(block, FBlock::Loop { .. }))
                {
                    return Err(self.error(statement, "'break' outside loop"));
                }
                self.check_leaves_except_star(statement, true)?;
                self.unwind_fblocks(false, Some(true))
            }
            Stmt::Continue(_) => {
                if !self
                    .unit_ref()
                    .fblocks
                    .iter()
                    .any(|block| matches!(block, FBlock::Loop { .. }))
                {
                    return Err(self.error(statement, "'continue' not properly in loop"));
                }
                self.check_leaves_except_star(statement, true)?;
                self.unwind_fblocks(false, Some(false))
            }
        }
    }

    /// `return` (or `break`/`continue` when `to_loop`, which stop at the
    /// innermost loop) may not leave an `except*` clause body.
    fn check_leaves_except_star(&self, statement: &ast::Stmt, to_loop: bool) -> CResult {
        for block in self.unit_ref().fblocks.iter().rev() {
            match block {
                FBlock::Loop { .. } if to_loop => return Ok(()),
                FBlock::ExceptStarBody => {
                    return Err(self.error(
                        statement,
                        "'break', 'continue' and 'return' cannot appear in an except* block",
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// After an instruction that never falls through, code that follows is
    /// unreachable: its depth is whatever the next label says.
    fn after_exit(&mut self) {}

    /// Emits the exits of every frame block up to the target: all of them
    /// for `return` (value on the stack), up to the innermost loop for
    /// `break` (`Some(true)`) and `continue` (`Some(false)`).
    fn unwind_fblocks(&mut self, returning: bool, loop_exit: Option<bool>) -> CResult {
        let saved_blocks = self.unit_ref().fblocks.clone();
        let saved_handlers = self.unit_ref().handler_stack.clone();
        let saved_depth = self.depth();
        let mut index = saved_blocks.len();
        while index > 0 {
            index -= 1;
            let block = saved_blocks[index].clone();
            match block {
                FBlock::Loop {
                    continue_label,
                    break_label,
                    is_for,
                } => {
                    if let Some(is_break) = loop_exit {
                        if is_break {
                            if is_for {
                                self.emit(Opcode::PopTop, 0);
                            }
                            self.jump(Opcode::Jump, break_label);
                        } else {
                            self.jump(Opcode::Jump, continue_label);
                        }
                        break;
                    }
                    if is_for {
                        // Drop the iterator under the return value.
                        self.emit(Opcode::Swap, 2);
                        self.emit(Opcode::PopTop, 0);
                    }
                }
                FBlock::TryFinally {
                    body,
                    handler_depth,
                } => {
                    // Run the finally body outside its own protection.
                    self.unit().fblocks.truncate(index);
                    self.unit().handler_stack.truncate(handler_depth);
                    self.body(body)?;
                }
                FBlock::FinallyExcept => {
                    if returning {
                        self.emit(Opcode::Swap, 2);
                        self.emit(Opcode::PopTop, 0);
                        self.emit(Opcode::Swap, 2);
                    } else {
                        self.emit(Opcode::PopTop, 0);
                    }
                    self.emit(Opcode::PopExcept, 0);
                }
                FBlock::HandlerBody { name } => {
                    if returning {
                        self.emit(Opcode::Swap, 2);
                    }
                    self.emit(Opcode::PopExcept, 0);
                    if let Some(name) = name {
                        self.load_const(Value::NONE);
                        self.store_name(&name);
                        self.delete_name(&name);
                    }
                }
                FBlock::With => {
                    if returning {
                        self.emit(Opcode::Swap, 2);
                    }
                    self.load_const(Value::NONE);
                    self.load_const(Value::NONE);
                    self.load_const(Value::NONE);
                    self.emit(Opcode::Call, 3);
                    self.emit(Opcode::PopTop, 0);
                }
                FBlock::ExceptStarBody => {}
            }
        }
        let unit = self.unit();
        unit.fblocks = saved_blocks;
        unit.handler_stack = saved_handlers;
        unit.depth = saved_depth;
        Ok(())
    }

    fn function_def(
        &mut self,
        node: &'a impl Ranged,
        name: &str,
        args: &'a ast::Arguments,
        body: &'a [ast::Stmt],
        decorators: &'a [ast::Expr],
        returns: Option<&'a ast::Expr>,
    ) -> CResult {
        for decorator in decorators {
            self.expr(decorator)?;
        }
        let scope = self.symbols.scope_of_node(node);
        self.make_function(
            node,
            scope,
            name,
            args,
            returns,
            FunctionBody::Statements(body),
        )?;
        for _ in decorators {
            self.emit(Opcode::Call, 1);
        }
        self.store_name(name);
        Ok(())
    }

    fn qualname_for(&self, name: &str) -> String {
        let unit = self.unit_ref();
        let scope = &self.symbols.scopes[unit.scope];
        match scope.kind {
            ScopeKind::Module => name.to_string(),
            ScopeKind::Class => format!("{}.{}", unit.qualname, name),
            ScopeKind::Function | ScopeKind::Comprehension => {
                format!("{}.<locals>.{}", unit.qualname, name)
            }
        }
    }

    /// Evaluates defaults, compiles the body into a new code object and
    /// emits MAKE_FUNCTION, leaving the function on the stack.
    fn make_function<N: Ranged>(
        &mut self,
        node: &N,
        scope: ScopeId,
        name: &str,
        args: &'a ast::Arguments,
        returns: Option<&'a ast::Expr>,
        body: FunctionBody<'a>,
    ) -> CResult {
        let mut flags = 0;
        let positional: Vec<&ast::ArgWithDefault> =
            args.posonlyargs.iter().chain(&args.args).collect();
        let defaults: Vec<&ast::Expr> = positional
            .iter()
            .filter_map(|arg| arg.default.as_deref())
            .collect();
        if !defaults.is_empty() {
            for default in &defaults {
                self.expr(default)?;
            }
            self.emit(Opcode::BuildTuple, defaults.len() as u32);
            flags |= 1;
        }
        let kw_defaults: Vec<(&str, &ast::Expr)> = args
            .kwonlyargs
            .iter()
            .filter_map(|arg| {
                arg.default
                    .as_deref()
                    .map(|default| (arg.def.arg.as_str(), default))
            })
            .collect();
        if !kw_defaults.is_empty() {
            for (key, default) in &kw_defaults {
                self.load_str(key);
                self.expr(default)?;
            }
            self.emit(Opcode::BuildMap, kw_defaults.len() as u32);
            flags |= 2;
        }
        if self.function_annotations(args, returns)? {
            flags |= 4;
        }
        let qualname = self.qualname_for(name);
        let first_line = self.line_index.line(node.start().to_u32());
        self.push_unit(scope, name, &qualname, first_line);
        {
            let unit = self.unit();
            unit.arg_count = (args.posonlyargs.len() + args.args.len()) as u32;
            unit.posonly_count = args.posonlyargs.len() as u32;
            unit.kwonly_count = args.kwonlyargs.len() as u32;
            if args.vararg.is_some() {
                unit.flags |= code_flags::VARARGS;
            }
            if args.kwarg.is_some() {
                unit.flags |= code_flags::VARKEYWORDS;
            }
        }
        match body {
            FunctionBody::Statements(statements) => {
                let docstring = Self::docstring_of(statements).map(|text| text.to_string());
                if let Some(text) = docstring {
                    let value = self.vm.intern(&text);
                    self.unit().docstring = value;
                }
                self.body(statements)?;
                self.load_const(Value::NONE);
                self.emit(Opcode::ReturnValue, 0);
            }
            FunctionBody::Expression(expression) => {
                self.set_line(expression);
                self.expr(expression)?;
                if self.symbols.scopes[scope].is_generator {
                    self.emit(Opcode::PopTop, 0);
                    self.load_const(Value::NONE);
                }
                self.emit(Opcode::ReturnValue, 0);
            }
        }
        let code = self.finish_unit()?;
        self.emit_closure_and_make(code, flags)
    }

    fn source_text(&self, node: &impl Ranged) -> String {
        let range = node.range();
        let start = usize::from(range.start());
        let end = usize::from(range.end());
        self.source.get(start..end).unwrap_or("").to_string()
    }

    /// Pushes an annotation's value: the evaluated expression, or its
    /// source text under `from __future__ import annotations`.
    fn annotation(&mut self, annotation: &'a ast::Expr) -> CResult {
        if self.future_annotations {
            let text = match annotation {
                ast::Expr::Constant(constant) => match &constant.value {
                    ast::Constant::Str(value) => crate::text::strops::repr_str(value),
                    _ => self.source_text(annotation),
                },
                _ => self.source_text(annotation),
            };
            self.load_str(&text);
            return Ok(());
        }
        self.expr(annotation)
    }

    /// Pushes the `__annotations__` dict of a function (parameter name to
    /// annotation, then `return`); false when nothing is annotated.
    fn function_annotations(
        &mut self,
        args: &'a ast::Arguments,
        returns: Option<&'a ast::Expr>,
    ) -> CResult<bool> {
        let mut count = 0;
        let named = args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .map(|arg| &arg.def)
            .chain(args.vararg.as_deref())
            .chain(args.kwonlyargs.iter().map(|arg| &arg.def))
            .chain(args.kwarg.as_deref());
        for parameter in named {
            if let Some(annotation) = &parameter.annotation {
                self.load_str(parameter.arg.as_str());
                self.annotation(annotation)?;
                count += 1;
            }
        }
        if let Some(annotation) = returns {
            self.load_str("return");
            self.annotation(annotation)?;
            count += 1;
        }
        if count > 0 {
            self.emit(Opcode::BuildMap, count);
        }
        Ok(count > 0)
    }

    fn emit_closure_and_make(&mut self, code: &'static CodeObject, mut flags: u32) -> CResult {
        if !code.freevars.is_empty() {
            for free in &code.freevars {
                let name = self.vm.str_text(*free);
                let index = self.deref_index(&name);
                self.emit(Opcode::LoadClosure, index);
            }
            self.emit(Opcode::BuildTuple, code.freevars.len() as u32);
            flags |= 8;
        }
        let code_value = self.vm.code_value(code);
        self.load_const(code_value);
        self.emit(Opcode::MakeFunction, flags);
        Ok(())
    }

    fn class_def(&mut self, def: &'a ast::StmtClassDef) -> CResult {
        for decorator in &def.decorator_list {
            self.expr(decorator)?;
        }
        self.emit(Opcode::LoadBuildClass, 0);
        let scope = self.symbols.scope_of_node(def);
        let qualname = self.qualname_for(&def.name);
        let first_line = self.line_index.line(def.start().to_u32());
        self.push_unit(scope, &def.name, &qualname, first_line);
        self.unit().private = Some(def.name.to_string());
        self.unit().flags |= code_flags::NAMESPACE;
        self.load_name("__name__");
        self.store_name("__module__");
        self.load_str(&qualname);
        self.store_name("__qualname__");
        self.docstring_into_namespace(&def.body)?;
        self.body(&def.body)?;
        if self
            .unit_ref()
            .cellvars
            .iter()
            .any(|name| name == "__class__")
        {
            self.unit().flags |= code_flags::CLASS_BODY;
            let index = self.deref_index("__class__");
            self.emit(Opcode::LoadClosure, index);
        } else {
            self.load_const(Value::NONE);
        }
        self.emit(Opcode::ReturnValue, 0);
        let code = self.finish_unit()?;
        self.emit_closure_and_make(code, 0)?;
        self.load_str(&def.name);
        self.call_arguments(2, &def.bases, &def.keywords, def)?;
        for _ in &def.decorator_list {
            self.emit(Opcode::Call, 1);
        }
        self.store_name(&def.name);
        Ok(())
    }

    fn aug_assign(&mut self, assign: &'a ast::StmtAugAssign) -> CResult {
        let op = binary_op(&assign.op) as u32 + INPLACE_OFFSET;
        match &*assign.target {
            ast::Expr::Name(name) => {
                self.load_name(&name.id);
                self.expr(&assign.value)?;
                self.emit(Opcode::BinaryOp, op);
                self.store_name(&name.id);
            }
            ast::Expr::Attribute(attribute) => {
                self.expr(&attribute.value)?;
                self.emit(Opcode::Copy, 1);
                let index = self.attribute_index(&attribute.attr);
                self.emit(Opcode::LoadAttr, index);
                self.expr(&assign.value)?;
                self.emit(Opcode::BinaryOp, op);
                self.emit(Opcode::Swap, 2);
                self.emit(Opcode::StoreAttr, index);
            }
            ast::Expr::Subscript(subscript) => {
                self.expr(&subscript.value)?;
                self.subscript_index(&subscript.slice)?;
                self.emit(Opcode::Copy, 2);
                self.emit(Opcode::Copy, 2);
                self.emit(Opcode::BinarySubscr, 0);
                self.expr(&assign.value)?;
                self.emit(Opcode::BinaryOp, op);
                self.emit(Opcode::Swap, 3);
                self.emit(Opcode::Swap, 2);
                self.emit(Opcode::StoreSubscr, 0);
            }
            other => {
                return Err(self.error(
                    other,
                    "'expression' is an illegal expression for augmented assignment",
                ))
            }
        }
        Ok(())
    }

    fn while_loop(&mut self, while_loop: &'a ast::StmtWhile) -> CResult {
        let top = self.new_label();
        let otherwise = self.new_label();
        let end = self.new_label();
        self.bind(top);
        let always_true = matches!(
            &*while_loop.test,
            ast::Expr::Constant(ast::ExprConstant {
                value: ast::Constant::Bool(true),
                ..
            })
        );
        if !always_true {
            self.condition_jump(&while_loop.test, false, otherwise)?;
        }
        self.unit().fblocks.push(FBlock::Loop {
            continue_label: top,
            break_label: end,
            is_for: false,
        });
        self.body(&while_loop.body)?;
        self.unit().fblocks.pop();
        self.jump(Opcode::Jump, top);
        self.bind(otherwise);
        self.body(&while_loop.orelse)?;
        self.bind(end);
        Ok(())
    }

    fn for_loop(
        &mut self,
        target: &'a ast::Expr,
        iterable: &'a ast::Expr,
        body: &'a [ast::Stmt],
        orelse: &'a [ast::Stmt],
    ) -> CResult {
        self.expr(iterable)?;
        self.emit(Opcode::GetIter, 0);
        let top = self.new_label();
        let otherwise = self.new_label();
        let end = self.new_label();
        self.bind(top);
        self.jump(Opcode::ForIter, otherwise);
        self.store_target(target)?;
        self.unit().fblocks.push(FBlock::Loop {
            continue_label: top,
            break_label: end,
            is_for: true,
        });
        self.body(body)?;
        self.unit().fblocks.pop();
        self.jump(Opcode::Jump, top);
        self.bind(otherwise);
        self.body(orelse)?;
        self.bind(end);
        Ok(())
    }

    fn try_statement(
        &mut self,
        body: &'a [ast::Stmt],
        handlers: &'a [ast::ExceptHandler],
        orelse: &'a [ast::Stmt],
        finalbody: &'a [ast::Stmt],
        star: bool,
    ) -> CResult {
        if finalbody.is_empty() {
            return self.try_handlers(body, handlers, orelse, star);
        }
        let exceptional = self.new_label();
        let cleanup = self.new_label();
        let end = self.new_label();
        let depth = self.depth();
        let handler_depth = self.unit_ref().handler_stack.len();
        self.push_handler(exceptional, depth);
        self.unit().fblocks.push(FBlock::TryFinally {
            body: finalbody,
            handler_depth,
        });
        if handlers.is_empty() {
            self.body(body)?;
            self.body(orelse)?;
        } else {
            self.try_handlers(body, handlers, orelse, star)?;
        }
        self.unit().fblocks.pop();
        self.pop_handler();
        self.body(finalbody)?;
        self.jump(Opcode::Jump, end);
        // Exceptional path: [exc] -> [previous, exc].
        self.bind(exceptional);
        self.set_depth(depth + 1);
        self.emit(Opcode::PushExcInfo, 0);
        self.push_handler(cleanup, depth + 1);
        self.unit().fblocks.push(FBlock::FinallyExcept);
        self.body(finalbody)?;
        self.unit().fblocks.pop();
        self.emit(Opcode::Reraise, 0);
        self.pop_handler();
        self.bind(cleanup);
        self.set_depth(depth + 2);
        self.emit(Opcode::PopExceptAndReraise, 0);
        self.bind(end);
        self.set_depth(depth);
        Ok(())
    }

    fn try_handlers(
        &mut self,
        body: &'a [ast::Stmt],
        handlers: &'a [ast::ExceptHandler],
        orelse: &'a [ast::Stmt],
        star: bool,
    ) -> CResult {
        if star {
            self.try_except_star(body, handlers, orelse)
        } else {
            self.try_except(body, handlers, orelse)
        }
    }

    /// `try`/`except*`: the handler keeps [previous, original, raised
    /// list, rest] on the stack; each clause splits its part off the rest
    /// (CHECK_EG_MATCH), what a clause body raises is appended to the
    /// list, and PREP_RERAISE_STAR decides what is raised at the end.
    fn try_except_star(
        &mut self,
        body: &'a [ast::Stmt],
        handlers: &'a [ast::ExceptHandler],
        orelse: &'a [ast::Stmt],
    ) -> CResult {
        let handler_label = self.new_label();
        let cleanup = self.new_label();
        let otherwise = self.new_label();
        let end = self.new_label();
        let depth = self.depth();
        self.push_handler(handler_label, depth);
        self.body(body)?;
        self.pop_handler();
        self.jump(Opcode::Jump, otherwise);
        self.bind(handler_label);
        self.set_depth(depth + 1);
        self.emit(Opcode::PushExcInfo, 0);
        self.push_handler(cleanup, depth + 1);
        // [previous, exc] -> [previous, original, list, rest]
        self.emit(Opcode::Copy, 1);
        self.emit(Opcode::BuildList, 0);
        self.emit(Opcode::Swap, 2);
        for handler in handlers {
            let ast::ExceptHandler::ExceptHandler(handler) = handler;
            self.set_line(handler);
            let next = self.new_label();
            let no_match = self.new_label();
            let body_error = self.new_label();
            let Some(kind) = &handler.type_ else {
                return Err(self.error(handler, "expected one or more exception types"));
            };
            self.expr(kind)?;
            self.emit(Opcode::CheckEgMatch, 0);
            self.emit(Opcode::Copy, 1);
            self.load_const(Value::NONE);
            self.emit(Opcode::IsOp, 0);
            self.jump(Opcode::PopJumpIfTrue, no_match);
            let name = handler.name.as_ref().map(|name| name.to_string());
            match &name {
                Some(name) => self.store_name(name),
                None => self.emit(Opcode::PopTop, 0),
            }
            self.push_handler(body_error, depth + 4);
            self.unit().fblocks.push(FBlock::ExceptStarBody);
            self.body(&handler.body)?;
            self.unit().fblocks.pop();
            self.pop_handler();
            if let Some(name) = &name {
                self.load_const(Value::NONE);
                self.store_name(name);
                self.delete_name(name);
            }
            self.jump(Opcode::Jump, next);
            // The clause raised: [.., list, rest, raised] -> list += [raised].
            self.bind(body_error);
            self.set_depth(depth + 5);
            if let Some(name) = &name {
                self.load_const(Value::NONE);
                self.store_name(name);
                self.delete_name(name);
            }
            self.emit(Opcode::ListAppend, 2);
            self.jump(Opcode::Jump, next);
            self.bind(no_match);
            self.set_depth(depth + 5);
            self.emit(Opcode::PopTop, 0);
            self.bind(next);
            self.set_depth(depth + 4);
        }
        // [previous, original, list, rest] -> [previous, to raise or None]
        self.emit(Opcode::ListAppend, 1);
        self.emit(Opcode::PrepReraiseStar, 0);
        let handled = self.new_label();
        self.emit(Opcode::Copy, 1);
        self.load_const(Value::NONE);
        self.emit(Opcode::IsOp, 0);
        self.jump(Opcode::PopJumpIfTrue, handled);
        self.emit(Opcode::Reraise, 0);
        self.pop_handler();
        self.bind(handled);
        self.set_depth(depth + 2);
        self.emit(Opcode::PopTop, 0);
        self.emit(Opcode::PopExcept, 0);
        self.jump(Opcode::Jump, end);
        self.bind(cleanup);
        self.set_depth(depth + 2);
        self.emit(Opcode::PopExceptAndReraise, 0);
        self.bind(otherwise);
        self.set_depth(depth);
        self.body(orelse)?;
        self.bind(end);
        self.set_depth(depth);
        Ok(())
    }

    fn try_except(
        &mut self,
        body: &'a [ast::Stmt],
        handlers: &'a [ast::ExceptHandler],
        orelse: &'a [ast::Stmt],
    ) -> CResult {
        let handler_label = self.new_label();
        let cleanup = self.new_label();
        let otherwise = self.new_label();
        let end = self.new_label();
        let depth = self.depth();
        self.push_handler(handler_label, depth);
        self.body(body)?;
        self.pop_handler();
        self.jump(Opcode::Jump, otherwise);
        self.bind(handler_label);
        self.set_depth(depth + 1);
        self.emit(Opcode::PushExcInfo, 0);
        self.push_handler(cleanup, depth + 1);
        for (index, handler) in handlers.iter().enumerate() {
            let ast::ExceptHandler::ExceptHandler(handler) = handler;
            self.set_line(handler);
            let next = self.new_label();
            match &handler.type_ {
                Some(kind) => {
                    self.expr(kind)?;
                    self.emit(Opcode::CheckExcMatch, 0);
                    self.jump(Opcode::PopJumpIfFalse, next);
                }
                None => {
                    if index + 1 != handlers.len() {
                        return Err(self.error(handler, "default 'except:' must be last"));
                    }
                }
            }
            let name = handler.name.as_ref().map(|name| name.to_string());
            match &name {
                Some(name) => self.store_name(name),
                None => self.emit(Opcode::PopTop, 0),
            }
            self.unit()
                .fblocks
                .push(FBlock::HandlerBody { name: name.clone() });
            self.body(&handler.body)?;
            self.unit().fblocks.pop();
            self.emit(Opcode::PopExcept, 0);
            if let Some(name) = &name {
                self.load_const(Value::NONE);
                self.store_name(name);
                self.delete_name(name);
            }
            self.jump(Opcode::Jump, end);
            self.bind(next);
            self.set_depth(depth + 2);
        }
        self.emit(Opcode::Reraise, 0);
        self.pop_handler();
        self.bind(cleanup);
        self.set_depth(depth + 2);
        self.emit(Opcode::PopExceptAndReraise, 0);
        self.bind(otherwise);
        self.set_depth(depth);
        self.body(orelse)?;
        self.bind(end);
        self.set_depth(depth);
        Ok(())
    }

    fn with_statement(&mut self, items: &'a [ast::WithItem], body: &'a [ast::Stmt]) -> CResult {
        let Some((item, rest)) = items.split_first() else {
            return self.body(body);
        };
        let depth = self.depth();
        self.expr(&item.context_expr)?;
        self.emit(Opcode::BeforeWith, 0);
        let handler = self.new_label();
        let cleanup = self.new_label();
        let suppress = self.new_label();
        let end = self.new_label();
        self.push_handler(handler, depth + 1);
        match &item.optional_vars {
            Some(target) => self.store_target(target)?,
            None => self.emit(Opcode::PopTop, 0),
        }
        self.unit().fblocks.push(FBlock::With);
        self.with_statement(rest, body)?;
        self.unit().fblocks.pop();
        self.pop_handler();
        self.load_const(Value::NONE);
        self.load_const(Value::NONE);
        self.load_const(Value::NONE);
        self.emit(Opcode::Call, 3);
        self.emit(Opcode::PopTop, 0);
        self.jump(Opcode::Jump, end);
        // [exit, exc] -> [exit, previous, exc]
        self.bind(handler);
        self.set_depth(depth + 2);
        self.emit(Opcode::PushExcInfo, 0);
        self.push_handler(cleanup, depth + 2);
        self.emit(Opcode::WithExceptStart, 0);
        self.jump(Opcode::PopJumpIfTrue, suppress);
        self.emit(Opcode::Reraise, 0);
        self.pop_handler();
        self.bind(suppress);
        self.set_depth(depth + 3);
        self.emit(Opcode::PopTop, 0);
        self.emit(Opcode::PopExcept, 0);
        self.emit(Opcode::PopTop, 0);
        self.jump(Opcode::Jump, end);
        self.bind(cleanup);
        self.set_depth(depth + 3);
        self.emit(Opcode::PopExceptAndReraise, 0);
        self.bind(end);
        self.set_depth(depth);
        Ok(())
    }

    // ---- targets ----------------------------------------------------------------

    fn store_target(&mut self, target: &'a ast::Expr) -> CResult {
        use ast::Expr;
        match target {
            Expr::Name(name) => self.store_name(&name.id),
            Expr::Attribute(attribute) => {
                self.expr(&attribute.value)?;
                let index = self.attribute_index(&attribute.attr);
                self.emit(Opcode::StoreAttr, index);
            }
            Expr::Subscript(subscript) => {
                self.expr(&subscript.value)?;
                self.subscript_index(&subscript.slice)?;
                self.emit(Opcode::StoreSubscr, 0);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                let starred: Vec<usize> = elts
                    .iter()
                    .enumerate()
                    .filter(|(_, element)| matches!(element, Expr::Starred(_)))
                    .map(|(index, _)| index)
                    .collect();
                match starred.as_slice() {
                    [] => self.emit(Opcode::UnpackSequence, elts.len() as u32),
                    [position] => {
                        let before = *position as u32;
                        let after = (elts.len() - position - 1) as u32;
                        if before > 255 || after > 255 {
                            return Err(self.error(
                                target,
                                "too many expressions in star-unpacking assignment",
                            ));
                        }
                        self.emit(Opcode::UnpackEx, before | (after << 8));
                    }
                    _ => {
                        return Err(self.error(target, "multiple starred expressions in assignment"))
                    }
                }
                for element in elts {
                    match element {
                        Expr::Starred(starred) => self.store_target(&starred.value)?,
                        other => self.store_target(other)?,
                    }
                }
            }
            Expr::Starred(_) => {
                return Err(self.error(
                    target,
                    "starred assignment target must be in a list or tuple",
                ))
            }
            other => {
                return Err(self.error(other, format!("cannot assign to {}", describe_expr(other))))
            }
        }
        Ok(())
    }

    fn delete_target(&mut self, target: &'a ast::Expr) -> CResult {
        use ast::Expr;
        match target {
            Expr::Name(name) => self.delete_name(&name.id),
            Expr::Attribute(attribute) => {
                self.expr(&attribute.value)?;
                let index = self.attribute_index(&attribute.attr);
                self.emit(Opcode::DeleteAttr, index);
            }
            Expr::Subscript(subscript) => {
                self.expr(&subscript.value)?;
                self.subscript_index(&subscript.slice)?;
                self.emit(Opcode::DeleteSubscr, 0);
            }
            Expr::Tuple(ast::ExprTuple { elts, .. }) | Expr::List(ast::ExprList { elts, .. }) => {
                for element in elts {
                    self.delete_target(element)?;
                }
            }
            other => {
                return Err(self.error(other, format!("cannot delete {}", describe_expr(other))))
            }
        }
        Ok(())
    }

    fn subscript_index(&mut self, slice: &'a ast::Expr) -> CResult {
        match slice {
            ast::Expr::Slice(slice) => {
                for part in [&slice.lower, &slice.upper] {
                    match part {
                        Some(value) => self.expr(value)?,
                        None => self.load_const(Value::NONE),
                    }
                }
                match &slice.step {
                    Some(step) => {
                        self.expr(step)?;
                        self.emit(Opcode::BuildSlice, 3);
                    }
                    None => self.emit(Opcode::BuildSlice, 2),
                }
                Ok(())
            }
            other => self.expr(other),
        }
    }

    // ---- expressions ------------------------------------------------------------

    /// Jumps to `label` when `test` is `when` (without materialising
    /// intermediate bools for `not`, `and`, `or`).
    fn condition_jump(&mut self, test: &'a ast::Expr, when: bool, label: Label) -> CResult {
        match test {
            ast::Expr::UnaryOp(ast::ExprUnaryOp {
                op: ast::UnaryOp::Not,
                operand,
                ..
            }) => self.condition_jump(operand, !when, label),
            ast::Expr::BoolOp(bool_op) => {
                let is_and = matches!(bool_op.op, ast::BoolOp::And);
                // For `a and b` jumping when false: any false operand jumps.
                if is_and != when {
                    for value in &bool_op.values {
                        self.condition_jump(value, when, label)?;
                    }
                } else {
                    let skip = self.new_label();
                    let (last, rest) = bool_op.values.split_last().expect("empty bool op");
                    for value in rest {
                        self.condition_jump(value, !when, skip)?;
                    }
                    self.condition_jump(last, when, label)?;
                    self.bind(skip);
                }
                Ok(())
            }
            _ => {
                self.expr(test)?;
                self.jump(
                    if when {
                        Opcode::PopJumpIfTrue
                    } else {
                        Opcode::PopJumpIfFalse
                    },
                    label,
                );
                Ok(())
            }
        }
    }

    fn expr(&mut self, expression: &'a ast::Expr) -> CResult {
        use ast::Expr;
        match expression {
            Expr::BoolOp(bool_op) => {
                let end = self.new_label();
                let op = if matches!(bool_op.op, ast::BoolOp::And) {
                    Opcode::JumpIfFalseOrPop
                } else {
                    Opcode::JumpIfTrueOrPop
                };
                let (last, rest) = bool_op.values.split_last().expect("empty bool op");
                for value in rest {
                    self.expr(value)?;
                    self.jump(op, end);
                }
                self.expr(last)?;
                self.bind(end);
            }
            Expr::NamedExpr(named) => {
                self.expr(&named.value)?;
                self.emit(Opcode::Copy, 1);
                if let Expr::Name(name) = &*named.target {
                    self.store_name(&name.id);
                }
            }
            Expr::BinOp(bin_op) => {
                self.expr(&bin_op.left)?;
                self.expr(&bin_op.right)?;
                self.emit(Opcode::BinaryOp, binary_op(&bin_op.op) as u32);
            }
            Expr::UnaryOp(unary) => {
                if let (ast::UnaryOp::USub, Expr::Constant(constant)) = (&unary.op, &*unary.operand)
                {
                    match &constant.value {
                        ast::Constant::Int(n) => {
                            self.load_constant(&ast::Constant::Int(-n));
                            return Ok(());
                        }
                        ast::Constant::Float(x) => {
                            self.load_constant(&ast::Constant::Float(-x));
                            return Ok(());
                        }
                        _ => {}
                    }
                }
                self.expr(&unary.operand)?;
                self.emit(
                    match unary.op {
                        ast::UnaryOp::Invert => Opcode::UnaryInvert,
                        ast::UnaryOp::Not => Opcode::UnaryNot,
                        ast::UnaryOp::UAdd => Opcode::UnaryPositive,
                        ast::UnaryOp::USub => Opcode::UnaryNegative,
                    },
                    0,
                );
            }
            Expr::Lambda(lambda) => {
                let scope = self.symbols.scope_of_node(lambda);
                self.make_function(
                    lambda,
                    scope,
                    "<lambda>",
                    &lambda.args,
                    None,
                    FunctionBody::Expression(&lambda.body),
                )?;
            }
            Expr::IfExp(if_expression) => {
                let otherwise = self.new_label();
                let end = self.new_label();
                self.condition_jump(&if_expression.test, false, otherwise)?;
                self.expr(&if_expression.body)?;
                self.jump(Opcode::Jump, end);
                self.bind(otherwise);
                self.expr(&if_expression.orelse)?;
                self.bind(end);
            }
            Expr::Dict(dict) => {
                let has_unpacking = dict.keys.iter().any(|key| key.is_none());
                if !has_unpacking {
                    for (key, value) in dict.keys.iter().zip(&dict.values) {
                        self.expr(key.as_ref().expect("dict key"))?;
                        self.expr(value)?;
                    }
                    self.emit(Opcode::BuildMap, dict.keys.len() as u32);
                } else {
                    self.emit(Opcode::BuildMap, 0);
                    for (key, value) in dict.keys.iter().zip(&dict.values) {
                        match key {
                            Some(key) => {
                                self.expr(key)?;
                                self.expr(value)?;
                                self.emit(Opcode::MapAdd, 1);
                            }
                            None => {
                                self.expr(value)?;
                                self.emit(Opcode::DictUpdate, 1);
                            }
                        }
                    }
                }
            }
            Expr::Set(set) => {
                self.sequence_display(&set.elts, Opcode::BuildSet, Some(Opcode::SetUpdate))?
            }
            Expr::List(list) => self.sequence_display(&list.elts, Opcode::BuildList, None)?,
            Expr::Tuple(tuple) => {
                if let Some(constant) = constant_tuple(&tuple.elts) {
                    self.load_constant(&constant);
                } else if tuple
                    .elts
                    .iter()
                    .any(|element| matches!(element, Expr::Starred(_)))
                {
                    self.sequence_display(&tuple.elts, Opcode::BuildList, None)?;
                    self.emit(Opcode::ListToTuple, 0);
                } else {
                    for element in &tuple.elts {
                        self.expr(element)?;
                    }
                    self.emit(Opcode::BuildTuple, tuple.elts.len() as u32);
                }
            }
            Expr::ListComp(comprehension) => self.comprehension(
                comprehension,
                "<listcomp>",
                &comprehension.generators,
                ComprehensionKind::List(&comprehension.elt),
            )?,
            Expr::SetComp(comprehension) => self.comprehension(
                comprehension,
                "<setcomp>",
                &comprehension.generators,
                ComprehensionKind::Set(&comprehension.elt),
            )?,
            Expr::DictComp(comprehension) => self.comprehension(
                comprehension,
                "<dictcomp>",
                &comprehension.generators,
                ComprehensionKind::Dict(&comprehension.key, &comprehension.value),
            )?,
            Expr::GeneratorExp(comprehension) => self.comprehension(
                comprehension,
                "<genexpr>",
                &comprehension.generators,
                ComprehensionKind::Generator(&comprehension.elt),
            )?,
            Expr::Await(await_expression) => {
                self.expr(&await_expression.value)?;
                self.yield_from()?;
            }
            Expr::Yield(yield_expression) => {
                match &yield_expression.value {
                    Some(value) => self.expr(value)?,
                    None => self.load_const(Value::NONE),
                }
                self.emit(Opcode::YieldValue, 0);
            }
            Expr::YieldFrom(yield_from) => {
                self.expr(&yield_from.value)?;
                self.yield_from()?;
            }
            Expr::Compare(compare) => self.compare(compare)?,
            Expr::Call(call) => self.call(call)?,
            Expr::FormattedValue(value) => self.formatted_value(value)?,
            Expr::JoinedStr(joined) => {
                if joined.values.is_empty() {
                    self.load_str("");
                } else if joined.values.len() == 1 && matches!(joined.values[0], Expr::Constant(_))
                {
                    self.expr(&joined.values[0])?;
                } else {
                    for value in &joined.values {
                        self.expr(value)?;
                    }
                    self.emit(Opcode::BuildString, joined.values.len() as u32);
                }
            }
            Expr::Constant(constant) => self.load_constant(&constant.value),
            Expr::Attribute(attribute) => {
                self.expr(&attribute.value)?;
                let index = self.attribute_index(&attribute.attr);
                self.emit(Opcode::LoadAttr, index);
            }
            Expr::Subscript(subscript) => {
                self.expr(&subscript.value)?;
                self.subscript_index(&subscript.slice)?;
                self.emit(Opcode::BinarySubscr, 0);
            }
            Expr::Starred(_) => {
                return Err(self.error(expression, "can't use starred expression here"))
            }
            Expr::Name(name) => self.load_name(&name.id),
            Expr::Slice(slice) => {
                for part in [&slice.lower, &slice.upper, &slice.step] {
                    match part {
                        Some(value) => self.expr(value)?,
                        None => self.load_const(Value::NONE),
                    }
                }
                self.emit(Opcode::BuildSlice, 3);
            }
        }
        Ok(())
    }

    fn yield_from(&mut self) -> CResult {
        self.emit(Opcode::GetYieldFromIter, 0);
        self.load_const(Value::NONE);
        let top = self.new_label();
        let exit = self.new_label();
        self.bind(top);
        self.jump(Opcode::Send, exit);
        self.emit(Opcode::YieldValue, 0);
        self.jump(Opcode::Jump, top);
        self.bind(exit);
        Ok(())
    }

    /// A list/set/tuple display, with `*iterable` items.
    fn sequence_display(
        &mut self,
        elements: &'a [ast::Expr],
        build: Opcode,
        update: Option<Opcode>,
    ) -> CResult {
        let has_star = elements
            .iter()
            .any(|element| matches!(element, ast::Expr::Starred(_)));
        if !has_star {
            for element in elements {
                self.expr(element)?;
            }
            self.emit(build, elements.len() as u32);
            return Ok(());
        }
        let extend = update.unwrap_or(Opcode::ListExtend);
        let append = if build == Opcode::BuildSet {
            Opcode::SetAdd
        } else {
            Opcode::ListAppend
        };
        self.emit(build, 0);
        for element in elements {
            match element {
                ast::Expr::Starred(starred) => {
                    self.expr(&starred.value)?;
                    self.emit(extend, 1);
                }
                other => {
                    self.expr(other)?;
                    self.emit(append, 1);
                }
            }
        }
        Ok(())
    }

    fn compare(&mut self, compare: &'a ast::ExprCompare) -> CResult {
        self.expr(&compare.left)?;
        let count = compare.ops.len();
        if count == 1 {
            self.expr(&compare.comparators[0])?;
            self.compare_op(&compare.ops[0]);
            return Ok(());
        }
        let cleanup = self.new_label();
        let end = self.new_label();
        for (index, (op, comparator)) in compare.ops.iter().zip(&compare.comparators).enumerate() {
            self.expr(comparator)?;
            if index + 1 < count {
                self.emit(Opcode::Swap, 2);
                self.emit(Opcode::Copy, 2);
                self.compare_op(op);
                self.jump(Opcode::JumpIfFalseOrPop, cleanup);
            } else {
                self.compare_op(op);
            }
        }
        self.jump(Opcode::Jump, end);
        self.bind(cleanup);
        self.emit(Opcode::Swap, 2);
        self.emit(Opcode::PopTop, 0);
        self.bind(end);
        Ok(())
    }

    fn compare_op(&mut self, op: &ast::CmpOp) {
        use ast::CmpOp;
        match op {
            CmpOp::Eq => self.emit(Opcode::CompareOp, CompareOp::Eq as u32),
            CmpOp::NotEq => self.emit(Opcode::CompareOp, CompareOp::Ne as u32),
            CmpOp::Lt => self.emit(Opcode::CompareOp, CompareOp::Lt as u32),
            CmpOp::LtE => self.emit(Opcode::CompareOp, CompareOp::Le as u32),
            CmpOp::Gt => self.emit(Opcode::CompareOp, CompareOp::Gt as u32),
            CmpOp::GtE => self.emit(Opcode::CompareOp, CompareOp::Ge as u32),
            CmpOp::Is => self.emit(Opcode::IsOp, 0),
            CmpOp::IsNot => self.emit(Opcode::IsOp, 1),
            CmpOp::In => self.emit(Opcode::ContainsOp, 0),
            CmpOp::NotIn => self.emit(Opcode::ContainsOp, 1),
        }
    }

    fn formatted_value(&mut self, value: &'a ast::ExprFormattedValue) -> CResult {
        self.expr(&value.value)?;
        let conversion = match value.conversion {
            ast::ConversionFlag::None => 0,
            ast::ConversionFlag::Str => 1,
            ast::ConversionFlag::Repr => 2,
            ast::ConversionFlag::Ascii => 3,
        };
        let mut flags = conversion;
        if let Some(spec) = &value.format_spec {
            self.expr(spec)?;
            flags |= 4;
        }
        self.emit(Opcode::FormatValue, flags);
        Ok(())
    }

    /// Whether this is a zero-argument `super()` inside a method, which we
    /// compile as `super(__class__, <first argument>)`.
    fn implicit_super_first_arg(&self, call: &ast::ExprCall) -> Option<String> {
        let ast::Expr::Name(name) = &*call.func else {
            return None;
        };
        if name.id.as_str() != "super" || !call.args.is_empty() || !call.keywords.is_empty() {
            return None;
        }
        let scope = &self.symbols.scopes[self.unit_ref().scope];
        if scope.kind != ScopeKind::Function
            || !scope.freevars.iter().any(|free| free == "__class__")
        {
            return None;
        }
        scope.parameters.first().cloned()
    }

    fn call(&mut self, call: &'a ast::ExprCall) -> CResult {
        if let Some(first) = self.implicit_super_first_arg(call) {
            self.load_name("super");
            self.load_name("__class__");
            self.load_name(&first);
            self.emit(Opcode::Call, 2);
            return Ok(());
        }
        let simple = !call
            .args
            .iter()
            .any(|arg| matches!(arg, ast::Expr::Starred(_)))
            && !call.keywords.iter().any(|keyword| keyword.arg.is_none());
        if let (ast::Expr::Attribute(attribute), true) = (&*call.func, simple) {
            self.expr(&attribute.value)?;
            let index = self.attribute_index(&attribute.attr);
            self.emit(Opcode::LoadMethod, index);
            for arg in &call.args {
                self.expr(arg)?;
            }
            if call.keywords.is_empty() {
                self.emit(Opcode::CallMethod, call.args.len() as u32);
            } else {
                self.keyword_values_and_names(&call.keywords, call)?;
                self.emit(
                    Opcode::CallMethodKw,
                    (call.args.len() + call.keywords.len()) as u32,
                );
            }
            return Ok(());
        }
        self.expr(&call.func)?;
        self.call_arguments(0, &call.args, &call.keywords, call)
    }

    fn keyword_values_and_names(
        &mut self,
        keywords: &'a [ast::Keyword],
        node: &impl Ranged,
    ) -> CResult {
        let mut names = Vec::new();
        for keyword in keywords {
            let name = keyword.arg.as_ref().expect("plain keyword").to_string();
            if names.contains(&ast::Constant::Str(name.clone())) {
                return Err(self.error(node, format!("keyword argument repeated: {name}")));
            }
            self.expr(&keyword.value)?;
            names.push(ast::Constant::Str(name));
        }
        self.load_constant(&ast::Constant::Tuple(names));
        Ok(())
    }

    /// Emits the arguments and the call, for a callable already on the
    /// stack plus `extra` positional arguments already pushed.
    fn call_arguments(
        &mut self,
        extra: u32,
        args: &'a [ast::Expr],
        keywords: &'a [ast::Keyword],
        node: &impl Ranged,
    ) -> CResult {
        let simple = !args.iter().any(|arg| matches!(arg, ast::Expr::Starred(_)))
            && !keywords.iter().any(|keyword| keyword.arg.is_none());
        if simple {
            for arg in args {
                self.expr(arg)?;
            }
            if keywords.is_empty() {
                self.emit(Opcode::Call, extra + args.len() as u32);
            } else {
                self.keyword_values_and_names(keywords, node)?;
                self.emit(Opcode::CallKw, extra + (args.len() + keywords.len()) as u32);
            }
            return Ok(());
        }
        // General form: callable(*positional, **keywords). A lone starred
        // argument goes to CALL_FUNCTION_EX as it is.
        if let (0, [ast::Expr::Starred(starred)]) = (extra, args) {
            self.expr(&starred.value)?;
        } else {
            self.positional_list(extra, args)?;
        }
        if keywords.is_empty() {
            self.emit(Opcode::CallEx, 0);
            return Ok(());
        }
        self.emit(Opcode::BuildMap, 0);
        for keyword in keywords {
            match &keyword.arg {
                Some(name) => {
                    self.load_str(name);
                    self.expr(&keyword.value)?;
                    self.emit(Opcode::BuildMap, 1);
                    self.emit(Opcode::DictMerge, 1);
                }
                None => {
                    self.expr(&keyword.value)?;
                    self.emit(Opcode::DictMerge, 1);
                }
            }
        }
        self.emit(Opcode::CallEx, 1);
        Ok(())
    }

    /// The positional arguments of a call with `*` unpacking, as a tuple
    /// (`extra` of them already on the stack).
    fn positional_list(&mut self, extra: u32, args: &'a [ast::Expr]) -> CResult {
        self.emit(Opcode::BuildList, extra);
        for arg in args {
            match arg {
                ast::Expr::Starred(starred) => {
                    self.expr(&starred.value)?;
                    self.emit(Opcode::ListExtend, 1);
                }
                other => {
                    self.expr(other)?;
                    self.emit(Opcode::ListAppend, 1);
                }
            }
        }
        self.emit(Opcode::ListToTuple, 0);
        Ok(())
    }

    fn comprehension<N: Ranged>(
        &mut self,
        node: &'a N,
        name: &str,
        generators: &'a [ast::Comprehension],
        kind: ComprehensionKind<'a>,
    ) -> CResult {
        let scope = self.symbols.scope_of_node(node);
        let qualname = self.qualname_for(name);
        let first_line = self.line_index.line(node.start().to_u32());
        let outer_line = self.unit_ref().line;
        self.push_unit(scope, name, &qualname, first_line);
        self.unit().arg_count = 1;
        match kind {
            ComprehensionKind::List(_) => self.emit(Opcode::BuildList, 0),
            ComprehensionKind::Set(_) => self.emit(Opcode::BuildSet, 0),
            ComprehensionKind::Dict(..) => self.emit(Opcode::BuildMap, 0),
            ComprehensionKind::Generator(_) => {}
        }
        let is_generator = matches!(kind, ComprehensionKind::Generator(_));
        self.comprehension_loop(generators, 0, &kind, if is_generator { 0 } else { 1 })?;
        if is_generator {
            self.load_const(Value::NONE);
        }
        self.emit(Opcode::ReturnValue, 0);
        let code = self.finish_unit()?;
        self.unit().line = outer_line;
        self.emit_closure_and_make(code, 0)?;
        self.expr(&generators[0].iter)?;
        self.emit(Opcode::GetIter, 0);
        self.emit(Opcode::Call, 1);
        Ok(())
    }

    fn comprehension_loop(
        &mut self,
        generators: &'a [ast::Comprehension],
        index: usize,
        kind: &ComprehensionKind<'a>,
        below: u32,
    ) -> CResult {
        let generator = &generators[index];
        if index == 0 {
            let slot = self.varname_index(".0");
            self.emit(Opcode::LoadFast, slot);
        } else {
            self.expr(&generator.iter)?;
            self.emit(Opcode::GetIter, 0);
        }
        let top = self.new_label();
        let end = self.new_label();
        self.bind(top);
        self.jump(Opcode::ForIter, end);
        self.store_target(&generator.target)?;
        for condition in &generator.ifs {
            self.condition_jump(condition, false, top)?;
        }
        if index + 1 < generators.len() {
            self.comprehension_loop(generators, index + 1, kind, below)?;
        } else {
            let depth = (index + 1) as u32 + below;
            match kind {
                ComprehensionKind::List(element) => {
                    self.expr(element)?;
                    self.emit(Opcode::ListAppend, depth);
                }
                ComprehensionKind::Set(element) => {
                    self.expr(element)?;
                    self.emit(Opcode::SetAdd, depth);
                }
                ComprehensionKind::Dict(key, value) => {
                    self.expr(key)?;
                    self.expr(value)?;
                    self.emit(Opcode::MapAdd, depth);
                }
                ComprehensionKind::Generator(element) => {
                    self.expr(element)?;
                    self.emit(Opcode::YieldValue, 0);
                    self.emit(Opcode::PopTop, 0);
                }
            }
        }
        self.jump(Opcode::Jump, top);
        self.bind(end);
        Ok(())
    }

    // ---- match ----------------------------------------------------------------------

    fn match_statement(&mut self, statement: &'a ast::StmtMatch) -> CResult {
        super::patterns::compile_match(self, statement)
    }
}

enum FunctionBody<'a> {
    Statements(&'a [ast::Stmt]),
    Expression(&'a ast::Expr),
}

enum ComprehensionKind<'a> {
    List(&'a ast::Expr),
    Set(&'a ast::Expr),
    Dict(&'a ast::Expr, &'a ast::Expr),
    Generator(&'a ast::Expr),
}

fn binary_op(op: &ast::Operator) -> BinaryOp {
    use ast::Operator;
    match op {
        Operator::Add => BinaryOp::Add,
        Operator::Sub => BinaryOp::Subtract,
        Operator::Mult => BinaryOp::Multiply,
        Operator::MatMult => BinaryOp::MatrixMultiply,
        Operator::Div => BinaryOp::TrueDivide,
        Operator::Mod => BinaryOp::Remainder,
        Operator::Pow => BinaryOp::Power,
        Operator::LShift => BinaryOp::LeftShift,
        Operator::RShift => BinaryOp::RightShift,
        Operator::BitOr => BinaryOp::Or,
        Operator::BitXor => BinaryOp::Xor,
        Operator::BitAnd => BinaryOp::And,
        Operator::FloorDiv => BinaryOp::FloorDivide,
    }
}

fn constant_tuple(elements: &[ast::Expr]) -> Option<ast::Constant> {
    let mut items = Vec::with_capacity(elements.len());
    for element in elements {
        match element {
            ast::Expr::Constant(constant) => items.push(constant.value.clone()),
            ast::Expr::Tuple(tuple) => items.push(constant_tuple(&tuple.elts)?),
            _ => return None,
        }
    }
    Some(ast::Constant::Tuple(items))
}

/// CPython's name for an expression kind in "cannot assign to ..." errors.
fn describe_expr(expression: &ast::Expr) -> &'static str {
    use ast::Expr;
    match expression {
        Expr::Call(_) => "function call",
        Expr::Constant(constant) => match constant.value {
            ast::Constant::None | ast::Constant::Bool(_) | ast::Constant::Ellipsis => "literal",
            _ => "literal",
        },
        Expr::BinOp(_) | Expr::UnaryOp(_) => "expression",
        Expr::BoolOp(_) => "expression",
        Expr::Compare(_) => "comparison",
        Expr::Lambda(_) => "lambda",
        Expr::IfExp(_) => "conditional expression",
        Expr::NamedExpr(_) => "named expression",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::GeneratorExp(_) => "generator expression",
        Expr::Await(_) => "await expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::JoinedStr(_) | Expr::FormattedValue(_) => "f-string expression",
        _ => "expression",
    }
}

/// Access for the pattern compiler (`patterns.rs`).
#[allow(dead_code)]
pub(super) trait PatternEmitter<'a> {
    fn emit_op(&mut self, op: Opcode, arg: u32);
    fn label(&mut self) -> usize;
    fn bind_label(&mut self, label: usize);
    fn jump_to(&mut self, op: Opcode, label: usize);
    fn expression(&mut self, expression: &'a ast::Expr) -> CResult;
    fn statements(&mut self, body: &'a [ast::Stmt]) -> CResult;
    fn store(&mut self, name: &str);
    fn load(&mut self, name: &str);
    fn constant(&mut self, value: &ast::Constant);
    fn name_slot(&mut self, name: &str) -> u32;
    fn line_at(&mut self, node: &impl Ranged);
    fn current_depth(&self) -> i32;
    fn force_depth(&mut self, depth: i32);
    fn syntax_error(&self, node: &impl Ranged, message: &str) -> CompileError;
}

impl<'a> PatternEmitter<'a> for Compiler<'a, '_> {
    fn emit_op(&mut self, op: Opcode, arg: u32) {
        self.emit(op, arg)
    }
    fn label(&mut self) -> usize {
        self.new_label().0
    }
    fn bind_label(&mut self, label: usize) {
        self.bind(Label(label))
    }
    fn jump_to(&mut self, op: Opcode, label: usize) {
        self.jump(op, Label(label))
    }
    fn expression(&mut self, expression: &'a ast::Expr) -> CResult {
        self.expr(expression)
    }
    fn statements(&mut self, body: &'a [ast::Stmt]) -> CResult {
        self.body(body)
    }
    fn store(&mut self, name: &str) {
        self.store_name(name)
    }
    fn load(&mut self, name: &str) {
        self.load_name(name)
    }
    fn constant(&mut self, value: &ast::Constant) {
        self.load_constant(value)
    }
    fn name_slot(&mut self, name: &str) -> u32 {
        self.name_index(name)
    }
    fn line_at(&mut self, node: &impl Ranged) {
        self.set_line(node)
    }
    fn current_depth(&self) -> i32 {
        self.depth()
    }
    fn force_depth(&mut self, depth: i32) {
        self.set_depth(depth)
    }
    fn syntax_error(&self, node: &impl Ranged, message: &str) -> CompileError {
        self.error(node, message)
    }
}
