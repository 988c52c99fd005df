//! Scope analysis: which names are local, global, free or cells.
//!
//! One pass over the AST builds a [`Scope`] for the module and for every
//! function, lambda, class body and comprehension, recording how each name
//! is used; `resolve` then decides each name's storage, walking enclosing
//! function scopes for free variables exactly as CPython's symtable does
//! (class scopes are skipped when resolving names of nested functions, and
//! a function using `super` or `__class__` gets the implicit `__class__`
//! cell of its class). Scopes are found again by the code generator from
//! the address of their AST node.

use std::collections::HashMap;

use rustpython_parser::ast::{self, Ranged};

use super::CompileError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    Comprehension,
}

/// Where a name lives, once resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Storage {
    /// A fast local (function) or a namespace-dict entry (module, class).
    Local,
    /// A local captured by an inner scope: lives in a cell.
    Cell,
    /// A variable of an enclosing function, reached through a cell.
    Free,
    /// Declared `global`.
    GlobalExplicit,
    /// Never bound here: globals, then builtins.
    GlobalImplicit,
}

const ASSIGNED: u8 = 1;
const PARAMETER: u8 = 2;
const USED: u8 = 4;
const DECLARED_GLOBAL: u8 = 8;
const DECLARED_NONLOCAL: u8 = 16;

pub type ScopeId = usize;

/// Private name mangling: inside class `name`, an identifier `__x` (not
/// ending in `__`, without a dot) becomes `_name__x`, the class name
/// stripped of leading underscores. `None` when the name is left alone.
pub fn mangle(class_name: Option<&str>, name: &str) -> Option<String> {
    let class_name = class_name?;
    if !name.starts_with("__") || name.ends_with("__") || name.contains('.') {
        return None;
    }
    let stripped = class_name.trim_start_matches('_');
    if stripped.is_empty() {
        return None;
    }
    Some(format!("_{stripped}{name}"))
}

#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub name: String,
    pub parent: Option<ScopeId>,
    /// Names in first-seen order with their use flags.
    order: Vec<String>,
    flags: HashMap<String, u8>,
    pub storage: HashMap<String, Storage>,
    /// Parameter names in order.
    pub parameters: Vec<String>,
    pub is_generator: bool,
    /// A method that uses `super`/`__class__`.
    pub uses_class_cell: bool,
    /// A class whose methods need the `__class__` cell.
    pub needs_class_cell: bool,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    /// Line where the scope starts (for messages).
    pub line: u32,
}

impl Scope {
    fn new(kind: ScopeKind, name: String, parent: Option<ScopeId>, line: u32) -> Scope {
        Scope {
            kind,
            name,
            parent,
            order: Vec::new(),
            flags: HashMap::new(),
            storage: HashMap::new(),
            parameters: Vec::new(),
            is_generator: false,
            uses_class_cell: false,
            needs_class_cell: false,
            cellvars: Vec::new(),
            freevars: Vec::new(),
            line,
        }
    }

    fn add(&mut self, name: &str, flag: u8) {
        match self.flags.get_mut(name) {
            Some(flags) => *flags |= flag,
            None => {
                self.order.push(name.to_string());
                self.flags.insert(name.to_string(), flag);
            }
        }
    }

    fn has(&self, name: &str, flag: u8) -> bool {
        self.flags.get(name).is_some_and(|flags| flags & flag != 0)
    }

    pub fn storage_of(&self, name: &str) -> Storage {
        match self.storage.get(name) {
            Some(storage) => *storage,
            None => match self.kind {
                ScopeKind::Module => Storage::GlobalImplicit,
                _ => Storage::GlobalImplicit,
            },
        }
    }

    /// Names bound in this scope (locals of a function), in first-seen order.
    pub fn local_names(&self) -> Vec<String> {
        self.order
            .iter()
            .filter(|name| {
                matches!(
                    self.storage.get(*name),
                    Some(Storage::Local) | Some(Storage::Cell)
                )
            })
            .cloned()
            .collect()
    }
}

pub struct SymbolTable {
    pub scopes: Vec<Scope>,
    /// AST node address -> scope.
    by_node: HashMap<usize, ScopeId>,
}

impl SymbolTable {
    pub fn scope_of_node<T>(&self, node: &T) -> ScopeId {
        self.by_node[&(node as *const T as usize)]
    }

    pub fn build(
        module: &[ast::Stmt],
        line_of: &dyn Fn(u32) -> u32,
    ) -> Result<SymbolTable, CompileError> {
        let mut builder = Builder {
            table: SymbolTable {
                scopes: vec![Scope::new(ScopeKind::Module, "<module>".into(), None, 1)],
                by_node: HashMap::new(),
            },
            current: 0,
            line_of,
            private: None,
        };
        for statement in module {
            builder.visit_stmt(statement)?;
        }
        let mut table = builder.table;
        table.resolve()?;
        Ok(table)
    }

    /// Builds the table for a lone expression (eval mode).
    pub fn build_from_expr(
        expression: &ast::Expr,
        line_of: &dyn Fn(u32) -> u32,
    ) -> Result<SymbolTable, CompileError> {
        let mut builder = Builder {
            table: SymbolTable {
                scopes: vec![Scope::new(ScopeKind::Module, "<module>".into(), None, 1)],
                by_node: HashMap::new(),
            },
            current: 0,
            line_of,
            private: None,
        };
        builder.visit_expr(expression)?;
        let mut table = builder.table;
        table.resolve()?;
        Ok(table)
    }

    fn resolve(&mut self) -> Result<(), CompileError> {
        for id in 0..self.scopes.len() {
            let names: Vec<String> = self.scopes[id].order.clone();
            for name in names {
                let scope = &self.scopes[id];
                let flags = scope.flags[&name];
                let storage = if flags & DECLARED_GLOBAL != 0 {
                    Storage::GlobalExplicit
                } else if flags & DECLARED_NONLOCAL != 0 {
                    if self.find_binding(id, &name).is_none() {
                        return Err(CompileError::syntax(
                            format!("no binding for nonlocal '{name}' found"),
                            scope.line,
                            0,
                        ));
                    }
                    Storage::Free
                } else if flags & (ASSIGNED | PARAMETER) != 0 {
                    match scope.kind {
                        ScopeKind::Module => Storage::GlobalImplicit,
                        _ => Storage::Local,
                    }
                } else if scope.kind == ScopeKind::Module {
                    Storage::GlobalImplicit
                } else if self.find_binding(id, &name).is_some() {
                    Storage::Free
                } else {
                    Storage::GlobalImplicit
                };
                self.scopes[id].storage.insert(name, storage);
            }
        }
        // Free variables make the binding scope's local a cell, and pass
        // through every scope in between (class scopes included).
        for id in 0..self.scopes.len() {
            let free: Vec<String> = self.scopes[id]
                .order
                .iter()
                .filter(|name| self.scopes[id].storage.get(*name) == Some(&Storage::Free))
                .cloned()
                .collect();
            for name in free {
                let Some(owner) = self.find_binding(id, &name) else {
                    continue;
                };
                let mut walker = self.scopes[id].parent;
                while let Some(middle) = walker {
                    if middle == owner {
                        break;
                    }
                    let scope = &mut self.scopes[middle];
                    if !scope.storage.contains_key(&name) || scope.kind == ScopeKind::Class {
                        if scope.kind == ScopeKind::Class && scope.storage.contains_key(&name) {
                            // The class has its own binding of the name: it is
                            // only passing the outer variable through.
                            if !scope.freevars.contains(&name) {
                                scope.freevars.push(name.clone());
                            }
                        } else {
                            scope.storage.insert(name.clone(), Storage::Free);
                            if !scope.order.contains(&name) {
                                scope.order.push(name.clone());
                                scope.flags.insert(name.clone(), 0);
                            }
                        }
                    }
                    walker = scope.parent;
                }
                self.scopes[owner]
                    .storage
                    .insert(name.clone(), Storage::Cell);
            }
        }
        for scope in &mut self.scopes {
            for name in scope.order.clone() {
                match scope.storage.get(&name) {
                    Some(Storage::Cell) if !scope.cellvars.contains(&name) => {
                        scope.cellvars.push(name)
                    }
                    Some(Storage::Free) if !scope.freevars.contains(&name) => {
                        scope.freevars.push(name)
                    }
                    _ => {}
                }
            }
        }
        // The implicit __class__ cell.
        for id in 0..self.scopes.len() {
            if self.scopes[id].kind == ScopeKind::Class && self.scopes[id].needs_class_cell {
                let scope = &mut self.scopes[id];
                if !scope.cellvars.iter().any(|name| name == "__class__") {
                    scope.cellvars.push("__class__".into());
                }
            }
        }
        Ok(())
    }

    /// The nearest enclosing function scope (skipping classes, and the
    /// module) that binds `name` as a local.
    fn find_binding(&self, id: ScopeId, name: &str) -> Option<ScopeId> {
        let mut walker = self.scopes[id].parent;
        while let Some(parent) = walker {
            let scope = &self.scopes[parent];
            match scope.kind {
                ScopeKind::Module => return None,
                ScopeKind::Class => {
                    if name == "__class__" && scope.needs_class_cell {
                        return Some(parent);
                    }
                }
                ScopeKind::Function | ScopeKind::Comprehension => {
                    if scope.has(name, DECLARED_GLOBAL) {
                        return None;
                    }
                    if scope.has(name, ASSIGNED | PARAMETER) || scope.has(name, DECLARED_NONLOCAL) {
                        if scope.has(name, DECLARED_NONLOCAL) {
                            return self.find_binding(parent, name);
                        }
                        return Some(parent);
                    }
                }
            }
            walker = scope.parent;
        }
        None
    }
}

struct Builder<'a> {
    table: SymbolTable,
    current: ScopeId,
    line_of: &'a dyn Fn(u32) -> u32,
    /// The innermost enclosing class name, for private name mangling.
    private: Option<String>,
}

impl Builder<'_> {
    fn scope(&mut self) -> &mut Scope {
        &mut self.table.scopes[self.current]
    }

    fn line(&self, node: &impl Ranged) -> u32 {
        (self.line_of)(node.start().to_u32())
    }

    fn enter<T>(&mut self, node: &T, kind: ScopeKind, name: &str, line: u32) -> ScopeId {
        let id = self.table.scopes.len();
        self.table
            .scopes
            .push(Scope::new(kind, name.to_string(), Some(self.current), line));
        self.table.by_node.insert(node as *const T as usize, id);
        let previous = self.current;
        self.current = id;
        previous
    }

    fn mangled(&self, name: &str) -> String {
        mangle(self.private.as_deref(), name).unwrap_or_else(|| name.to_string())
    }

    fn bind(&mut self, name: &str) {
        let name = self.mangled(name);
        self.scope().add(&name, ASSIGNED);
    }

    fn use_name(&mut self, name: &str) {
        let name = &self.mangled(name);
        self.scope().add(name, USED);
        if name == "super" || name == "__class__" {
            self.note_class_cell_use();
        }
    }

    fn note_class_cell_use(&mut self) {
        let scope = &self.table.scopes[self.current];
        if scope.kind != ScopeKind::Function {
            return;
        }
        let Some(parent) = scope.parent else { return };
        if self.table.scopes[parent].kind == ScopeKind::Class {
            self.table.scopes[parent].needs_class_cell = true;
            let scope = &mut self.table.scopes[self.current];
            scope.uses_class_cell = true;
            scope.add("__class__", USED);
        }
    }

    fn declare(
        &mut self,
        names: &[ast::Identifier],
        flag: u8,
        line: u32,
    ) -> Result<(), CompileError> {
        let kind = self.scope().kind;
        for name in names {
            let name = &self.mangled(name.as_str());
            let scope = self.scope();
            let what = if flag == DECLARED_GLOBAL {
                "global"
            } else {
                "nonlocal"
            };
            if flag == DECLARED_NONLOCAL && kind == ScopeKind::Module {
                return Err(CompileError::syntax(
                    "nonlocal declaration not allowed at module level".into(),
                    line,
                    0,
                ));
            }
            if scope.has(name, PARAMETER) {
                return Err(CompileError::syntax(
                    format!("name '{name}' is parameter and {what}"),
                    line,
                    0,
                ));
            }
            if scope.has(name, USED) {
                return Err(CompileError::syntax(
                    format!("name '{name}' is used prior to {what} declaration"),
                    line,
                    0,
                ));
            }
            if scope.has(name, ASSIGNED) {
                return Err(CompileError::syntax(
                    format!("name '{name}' is assigned to before {what} declaration"),
                    line,
                    0,
                ));
            }
            if flag == DECLARED_GLOBAL && scope.has(name, DECLARED_NONLOCAL) {
                return Err(CompileError::syntax(
                    format!("name '{name}' is nonlocal and global"),
                    line,
                    0,
                ));
            }
            if flag == DECLARED_NONLOCAL && scope.has(name, DECLARED_GLOBAL) {
                return Err(CompileError::syntax(
                    format!("name '{name}' is nonlocal and global"),
                    line,
                    0,
                ));
            }
            scope.add(name, flag);
        }
        Ok(())
    }

    fn visit_body(&mut self, body: &[ast::Stmt]) -> Result<(), CompileError> {
        for statement in body {
            self.visit_stmt(statement)?;
        }
        Ok(())
    }

    fn visit_arguments_defaults(&mut self, args: &ast::Arguments) -> Result<(), CompileError> {
        for arg in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            if let Some(default) = &arg.default {
                self.visit_expr(default)?;
            }
            if let Some(annotation) = &arg.def.annotation {
                self.visit_expr(annotation)?;
            }
        }
        for arg in args.vararg.iter().chain(&args.kwarg) {
            if let Some(annotation) = &arg.annotation {
                self.visit_expr(annotation)?;
            }
        }
        Ok(())
    }

    fn add_parameters(&mut self, args: &ast::Arguments) {
        let mut names = Vec::new();
        for arg in args.posonlyargs.iter().chain(&args.args) {
            names.push(self.mangled(&arg.def.arg));
        }
        for arg in &args.kwonlyargs {
            names.push(self.mangled(&arg.def.arg));
        }
        if let Some(arg) = &args.vararg {
            names.push(self.mangled(&arg.arg));
        }
        if let Some(arg) = &args.kwarg {
            names.push(self.mangled(&arg.arg));
        }
        for name in &names {
            self.scope().add(name, PARAMETER);
        }
        self.scope().parameters = names;
    }

    fn visit_function<T>(
        &mut self,
        node: &T,
        name: &str,
        args: &ast::Arguments,
        body: FunctionBody,
        line: u32,
    ) -> Result<(), CompileError> {
        let previous = self.enter(node, ScopeKind::Function, name, line);
        self.add_parameters(args);
        match body {
            FunctionBody::Statements(statements) => self.visit_body(statements)?,
            FunctionBody::Expression(expression) => self.visit_expr(expression)?,
        }
        self.current = previous;
        Ok(())
    }

    fn visit_stmt(&mut self, statement: &ast::Stmt) -> Result<(), CompileError> {
        use ast::Stmt;
        match statement {
            Stmt::FunctionDef(def) => {
                self.bind(&def.name);
                for decorator in &def.decorator_list {
                    self.visit_expr(decorator)?;
                }
                self.visit_arguments_defaults(&def.args)?;
                if let Some(returns) = &def.returns {
                    self.visit_expr(returns)?;
                }
                let line = self.line(def);
                self.visit_function(
                    def,
                    &def.name,
                    &def.args,
                    FunctionBody::Statements(&def.body),
                    line,
                )?;
            }
            Stmt::AsyncFunctionDef(def) => {
                self.bind(&def.name);
                for decorator in &def.decorator_list {
                    self.visit_expr(decorator)?;
                }
                self.visit_arguments_defaults(&def.args)?;
                let line = self.line(def);
                self.visit_function(
                    def,
                    &def.name,
                    &def.args,
                    FunctionBody::Statements(&def.body),
                    line,
                )?;
            }
            Stmt::ClassDef(def) => {
                self.bind(&def.name);
                for decorator in &def.decorator_list {
                    self.visit_expr(decorator)?;
                }
                for base in &def.bases {
                    self.visit_expr(base)?;
                }
                for keyword in &def.keywords {
                    self.visit_expr(&keyword.value)?;
                }
                let line = self.line(def);
                let previous = self.enter(def, ScopeKind::Class, &def.name, line);
                let outer_private = self.private.replace(def.name.to_string());
                self.visit_body(&def.body)?;
                self.private = outer_private;
                self.current = previous;
            }
            Stmt::Return(ret) => {
                if let Some(value) = &ret.value {
                    self.visit_expr(value)?;
                }
            }
            Stmt::Delete(delete) => {
                for target in &delete.targets {
                    self.visit_target(target)?;
                }
            }
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value)?;
                for target in &assign.targets {
                    self.visit_target(target)?;
                }
            }
            Stmt::TypeAlias(_) => {}
            Stmt::AugAssign(assign) => {
                self.visit_expr(&assign.value)?;
                if let ast::Expr::Name(name) = &*assign.target {
                    self.use_name(&name.id);
                }
                self.visit_target(&assign.target)?;
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.visit_expr(value)?;
                }
                if matches!(self.scope().kind, ScopeKind::Module | ScopeKind::Class) {
                    self.visit_expr(&assign.annotation)?;
                }
                if let ast::Expr::Name(name) = &*assign.target {
                    // A bare annotation still makes the name local.
                    self.bind(&name.id);
                } else {
                    self.visit_target(&assign.target)?;
                }
            }
            Stmt::For(for_loop) => {
                self.visit_expr(&for_loop.iter)?;
                self.visit_target(&for_loop.target)?;
                self.visit_body(&for_loop.body)?;
                self.visit_body(&for_loop.orelse)?;
            }
            Stmt::AsyncFor(for_loop) => {
                self.visit_expr(&for_loop.iter)?;
                self.visit_target(&for_loop.target)?;
                self.visit_body(&for_loop.body)?;
                self.visit_body(&for_loop.orelse)?;
            }
            Stmt::While(while_loop) => {
                self.visit_expr(&while_loop.test)?;
                self.visit_body(&while_loop.body)?;
                self.visit_body(&while_loop.orelse)?;
            }
            Stmt::If(if_statement) => {
                self.visit_expr(&if_statement.test)?;
                self.visit_body(&if_statement.body)?;
                self.visit_body(&if_statement.orelse)?;
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.visit_expr(&item.context_expr)?;
                    if let Some(target) = &item.optional_vars {
                        self.visit_target(target)?;
                    }
                }
                self.visit_body(&with.body)?;
            }
            Stmt::AsyncWith(with) => {
                for item in &with.items {
                    self.visit_expr(&item.context_expr)?;
                    if let Some(target) = &item.optional_vars {
                        self.visit_target(target)?;
                    }
                }
                self.visit_body(&with.body)?;
            }
            Stmt::Match(match_statement) => {
                self.visit_expr(&match_statement.subject)?;
                for case in &match_statement.cases {
                    self.visit_pattern(&case.pattern)?;
                    if let Some(guard) = &case.guard {
                        self.visit_expr(guard)?;
                    }
                    self.visit_body(&case.body)?;
                }
            }
            Stmt::Raise(raise) => {
                if let Some(exc) = &raise.exc {
                    self.visit_expr(exc)?;
                }
                if let Some(cause) = &raise.cause {
                    self.visit_expr(cause)?;
                }
            }
            Stmt::Try(try_statement) => {
                self.visit_body(&try_statement.body)?;
                for handler in &try_statement.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(kind) = &handler.type_ {
                        self.visit_expr(kind)?;
                    }
                    if let Some(name) = &handler.name {
                        self.bind(name);
                    }
                    self.visit_body(&handler.body)?;
                }
                self.visit_body(&try_statement.orelse)?;
                self.visit_body(&try_statement.finalbody)?;
            }
            Stmt::TryStar(try_statement) => {
                self.visit_body(&try_statement.body)?;
                for handler in &try_statement.handlers {
                    let ast::ExceptHandler::ExceptHandler(handler) = handler;
                    if let Some(kind) = &handler.type_ {
                        self.visit_expr(kind)?;
                    }
                    if let Some(name) = &handler.name {
                        self.bind(name);
                    }
                    self.visit_body(&handler.body)?;
                }
                self.visit_body(&try_statement.orelse)?;
                self.visit_body(&try_statement.finalbody)?;
            }
            Stmt::Assert(assert) => {
                self.visit_expr(&assert.test)?;
                if let Some(message) = &assert.msg {
                    self.visit_expr(message)?;
                }
            }
            Stmt::Import(import) => {
                for alias in &import.names {
                    let bound = match &alias.asname {
                        Some(asname) => asname.to_string(),
                        None => alias.name.split('.').next().unwrap_or("").to_string(),
                    };
                    self.bind(&bound);
                }
            }
            Stmt::ImportFrom(import) => {
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        if self.scope().kind != ScopeKind::Module {
                            return Err(CompileError::syntax(
                                "import * only allowed at module level".into(),
                                self.line(import),
                                0,
                            ));
                        }
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                    self.bind(bound);
                }
            }
            Stmt::Global(global) => {
                let line = self.line(global);
                self.declare(&global.names, DECLARED_GLOBAL, line)?;
            }
            Stmt::Nonlocal(nonlocal) => {
                let line = self.line(nonlocal);
                self.declare(&nonlocal.names, DECLARED_NONLOCAL, line)?;
            }
            Stmt::Expr(expression) => self.visit_expr(&expression.value)?,
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
        }
        Ok(())
    }

    fn visit_pattern(&mut self, pattern: &ast::Pattern) -> Result<(), CompileError> {
        use ast::Pattern;
        match pattern {
            Pattern::MatchValue(value) => self.visit_expr(&value.value)?,
            Pattern::MatchSingleton(_) => {}
            Pattern::MatchSequence(sequence) => {
                for item in &sequence.patterns {
                    self.visit_pattern(item)?;
                }
            }
            Pattern::MatchMapping(mapping) => {
                for key in &mapping.keys {
                    self.visit_expr(key)?;
                }
                for item in &mapping.patterns {
                    self.visit_pattern(item)?;
                }
                if let Some(rest) = &mapping.rest {
                    self.bind(rest);
                }
            }
            Pattern::MatchClass(class) => {
                self.visit_expr(&class.cls)?;
                for item in class.patterns.iter().chain(&class.kwd_patterns) {
                    self.visit_pattern(item)?;
                }
            }
            Pattern::MatchStar(star) => {
                if let Some(name) = &star.name {
                    self.bind(name);
                }
            }
            Pattern::MatchAs(capture) => {
                if let Some(inner) = &capture.pattern {
                    self.visit_pattern(inner)?;
                }
                if let Some(name) = &capture.name {
                    self.bind(name);
                }
            }
            Pattern::MatchOr(alternatives) => {
                for item in &alternatives.patterns {
                    self.visit_pattern(item)?;
                }
            }
        }
        Ok(())
    }

    fn visit_target(&mut self, target: &ast::Expr) -> Result<(), CompileError> {
        use ast::Expr;
        match target {
            Expr::Name(name) => self.bind(&name.id),
            Expr::Tuple(tuple) => {
                for element in &tuple.elts {
                    self.visit_target(element)?;
                }
            }
            Expr::List(list) => {
                for element in &list.elts {
                    self.visit_target(element)?;
                }
            }
            Expr::Starred(starred) => self.visit_target(&starred.value)?,
            other => self.visit_expr(other)?,
        }
        Ok(())
    }

    fn visit_comprehension<T>(
        &mut self,
        node: &T,
        name: &str,
        generators: &[ast::Comprehension],
        elements: &[&ast::Expr],
    ) -> Result<(), CompileError> {
        // The first iterable is evaluated in the enclosing scope.
        self.visit_expr(&generators[0].iter)?;
        let line = self.line(&generators[0].iter);
        let previous = self.enter(node, ScopeKind::Comprehension, name, line);
        self.scope().add(".0", PARAMETER);
        self.scope().parameters = vec![".0".into()];
        for (index, generator) in generators.iter().enumerate() {
            if index > 0 {
                self.visit_expr(&generator.iter)?;
            }
            self.visit_target(&generator.target)?;
            for condition in &generator.ifs {
                self.visit_expr(condition)?;
            }
        }
        for element in elements {
            self.visit_expr(element)?;
        }
        self.current = previous;
        Ok(())
    }

    fn visit_expr(&mut self, expression: &ast::Expr) -> Result<(), CompileError> {
        use ast::Expr;
        match expression {
            Expr::BoolOp(op) => {
                for value in &op.values {
                    self.visit_expr(value)?;
                }
            }
            Expr::NamedExpr(named) => {
                self.visit_expr(&named.value)?;
                if let Expr::Name(name) = &*named.target {
                    let mangled_name = self.mangled(&name.id);
                    let name = &mangled_name;
                    // In a comprehension the target binds in the enclosing
                    // non-comprehension scope (PEP 572).
                    let mut id = self.current;
                    while self.table.scopes[id].kind == ScopeKind::Comprehension {
                        let scope = &mut self.table.scopes[id];
                        scope.add(name, DECLARED_NONLOCAL);
                        id = scope.parent.unwrap_or(0);
                    }
                    if id != self.current && self.table.scopes[id].kind == ScopeKind::Module {
                        let mut walker = self.current;
                        while self.table.scopes[walker].kind == ScopeKind::Comprehension {
                            let scope = &mut self.table.scopes[walker];
                            if let Some(flags) = scope.flags.get_mut(name.as_str()) {
                                *flags = (*flags & !DECLARED_NONLOCAL) | DECLARED_GLOBAL;
                            }
                            walker = scope.parent.unwrap_or(0);
                        }
                    }
                    self.table.scopes[id].add(name, ASSIGNED);
                }
            }
            Expr::BinOp(op) => {
                self.visit_expr(&op.left)?;
                self.visit_expr(&op.right)?;
            }
            Expr::UnaryOp(op) => self.visit_expr(&op.operand)?,
            Expr::Lambda(lambda) => {
                self.visit_arguments_defaults(&lambda.args)?;
                let line = self.line(lambda);
                self.visit_function(
                    lambda,
                    "<lambda>",
                    &lambda.args,
                    FunctionBody::Expression(&lambda.body),
                    line,
                )?;
            }
            Expr::IfExp(if_expression) => {
                self.visit_expr(&if_expression.test)?;
                self.visit_expr(&if_expression.body)?;
                self.visit_expr(&if_expression.orelse)?;
            }
            Expr::Dict(dict) => {
                for key in dict.keys.iter().flatten() {
                    self.visit_expr(key)?;
                }
                for value in &dict.values {
                    self.visit_expr(value)?;
                }
            }
            Expr::Set(set) => {
                for element in &set.elts {
                    self.visit_expr(element)?;
                }
            }
            Expr::ListComp(comprehension) => self.visit_comprehension(
                comprehension,
                "<listcomp>",
                &comprehension.generators,
                &[&comprehension.elt],
            )?,
            Expr::SetComp(comprehension) => self.visit_comprehension(
                comprehension,
                "<setcomp>",
                &comprehension.generators,
                &[&comprehension.elt],
            )?,
            Expr::DictComp(comprehension) => self.visit_comprehension(
                comprehension,
                "<dictcomp>",
                &comprehension.generators,
                &[&comprehension.key, &comprehension.value],
            )?,
            Expr::GeneratorExp(comprehension) => {
                self.visit_comprehension(
                    comprehension,
                    "<genexpr>",
                    &comprehension.generators,
                    &[&comprehension.elt],
                )?;
                let id = self.table.scope_of_node(comprehension);
                self.table.scopes[id].is_generator = true;
            }
            Expr::Await(await_expression) => self.visit_expr(&await_expression.value)?,
            Expr::Yield(yield_expression) => {
                self.mark_generator(expression)?;
                if let Some(value) = &yield_expression.value {
                    self.visit_expr(value)?;
                }
            }
            Expr::YieldFrom(yield_from) => {
                self.mark_generator(expression)?;
                self.visit_expr(&yield_from.value)?;
            }
            Expr::Compare(compare) => {
                self.visit_expr(&compare.left)?;
                for comparator in &compare.comparators {
                    self.visit_expr(comparator)?;
                }
            }
            Expr::Call(call) => {
                self.visit_expr(&call.func)?;
                for arg in &call.args {
                    self.visit_expr(arg)?;
                }
                for keyword in &call.keywords {
                    self.visit_expr(&keyword.value)?;
                }
            }
            Expr::FormattedValue(value) => {
                self.visit_expr(&value.value)?;
                if let Some(spec) = &value.format_spec {
                    self.visit_expr(spec)?;
                }
            }
            Expr::JoinedStr(joined) => {
                for value in &joined.values {
                    self.visit_expr(value)?;
                }
            }
            Expr::Constant(_) => {}
            Expr::Attribute(attribute) => self.visit_expr(&attribute.value)?,
            Expr::Subscript(subscript) => {
                self.visit_expr(&subscript.value)?;
                self.visit_expr(&subscript.slice)?;
            }
            Expr::Starred(starred) => self.visit_expr(&starred.value)?,
            Expr::Name(name) => match name.ctx {
                ast::ExprContext::Load => self.use_name(&name.id),
                _ => self.bind(&name.id),
            },
            Expr::List(list) => {
                for element in &list.elts {
                    self.visit_expr(element)?;
                }
            }
            Expr::Tuple(tuple) => {
                for element in &tuple.elts {
                    self.visit_expr(element)?;
                }
            }
            Expr::Slice(slice) => {
                for part in [&slice.lower, &slice.upper, &slice.step]
                    .into_iter()
                    .flatten()
                {
                    self.visit_expr(part)?;
                }
            }
        }
        Ok(())
    }

    fn mark_generator(&mut self, expression: &ast::Expr) -> Result<(), CompileError> {
        let line = self.line(expression);
        let scope = self.scope();
        match scope.kind {
            ScopeKind::Function => {
                scope.is_generator = true;
                Ok(())
            }
            ScopeKind::Comprehension => Err(CompileError::syntax(
                "'yield' inside list comprehension".into(),
                line,
                0,
            )),
            _ => Err(CompileError::syntax(
                "'yield' outside function".into(),
                line,
                0,
            )),
        }
    }
}

enum FunctionBody<'a> {
    Statements(&'a [ast::Stmt]),
    Expression(&'a ast::Expr),
}
