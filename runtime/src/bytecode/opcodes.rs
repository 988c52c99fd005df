//! THE opcode table: every opcode is defined once, here, in one macro
//! invocation; its name, operand kind, stack effect, control-flow flags and
//! documentation all derive from that line.
//!
//! Stack effects are written as expressions of the operand `arg`: the first
//! is the net effect when execution falls through, the second when the
//! instruction jumps (for non-jumping instructions both are equal). The
//! basic-block analysis (`compiler/blocks.rs`) asks the flags which
//! instructions end a block, and the disassembler asks the operand kind how
//! to print the argument. `engine/execute.rs` matches exhaustively on
//! [`Opcode`], so an opcode without a handler does not compile.

/// How an instruction's argument is interpreted (for the disassembler).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operand {
    None,
    /// Index into `consts`.
    Const,
    /// Index into `varnames` (fast locals).
    Local,
    /// Index into `names`.
    Name,
    /// Index into cell + free variables.
    Deref,
    /// Absolute instruction index.
    Jump,
    /// A count of items or arguments.
    Count,
    /// A [`BinaryOp`] number.
    BinaryOp,
    /// A [`CompareOp`] number.
    CompareOp,
    /// Flags or a small number interpreted by the opcode.
    Raw,
}

/// Control-flow flags.
pub mod flags {
    pub const NONE: u8 = 0;
    /// Always jumps to its target.
    pub const JUMP: u8 = 1;
    /// Jumps to its target or falls through.
    pub const BRANCH: u8 = 2;
    /// Leaves the frame (return, raise).
    pub const EXIT: u8 = 4;
    /// `for`-iteration (a branch that may also switch to a generator frame).
    pub const ITER: u8 = 8;
}

macro_rules! opcodes {
    ($arg:ident; $( $(#[doc = $doc:literal])* $name:ident ($operand:ident) => ($fall:expr, $jump:expr), $flags:expr, $dis:literal; )*) => {
        /// One opcode. See each variant's doc line for its semantics.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Opcode {
            $( $(#[doc = $doc])* $name, )*
        }

        impl Opcode {
            /// Every opcode, in definition order.
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name),*];

            /// The CPython-style printed name (`LOAD_FAST`).
            pub fn name(self) -> &'static str {
                match self { $(Opcode::$name => $dis,)* }
            }

            pub fn operand(self) -> Operand {
                match self { $(Opcode::$name => Operand::$operand,)* }
            }

            pub fn flags(self) -> u8 {
                match self { $(Opcode::$name => $flags,)* }
            }

            /// Net stack effect when the instruction falls through.
            #[allow(unused_variables)]
            pub fn stack_effect(self, arg: u32) -> i32 {
                let $arg = arg as i32;
                match self { $(Opcode::$name => $fall,)* }
            }

            /// Net stack effect when the instruction jumps.
            #[allow(unused_variables)]
            pub fn jump_stack_effect(self, arg: u32) -> i32 {
                let $arg = arg as i32;
                match self { $(Opcode::$name => $jump,)* }
            }
        }
    };
}

use flags::*;

opcodes! {
    arg;
    /// Does nothing.
    Nop(None) => (0, 0), NONE, "NOP";
    /// Pops and discards TOS.
    PopTop(None) => (-1, -1), NONE, "POP_TOP";
    /// Pushes a copy of the arg-th item from the top (1 = TOS).
    Copy(Count) => (1, 1), NONE, "COPY";
    /// Swaps TOS with the arg-th item from the top.
    Swap(Count) => (0, 0), NONE, "SWAP";
    /// Pushes `consts[arg]`.
    LoadConst(Const) => (1, 1), NONE, "LOAD_CONST";
    /// Pushes local `arg`; UnboundLocalError if unbound.
    LoadFast(Local) => (1, 1), NONE, "LOAD_FAST";
    /// Pops into local `arg`.
    StoreFast(Local) => (-1, -1), NONE, "STORE_FAST";
    /// Unbinds local `arg`.
    DeleteFast(Local) => (0, 0), NONE, "DELETE_FAST";
    /// Pushes the contents of cell `arg`.
    LoadDeref(Deref) => (1, 1), NONE, "LOAD_DEREF";
    /// Pops into cell `arg`.
    StoreDeref(Deref) => (-1, -1), NONE, "STORE_DEREF";
    /// Empties cell `arg`.
    DeleteDeref(Deref) => (0, 0), NONE, "DELETE_DEREF";
    /// Pushes the cell object `arg` itself (to build a closure).
    LoadClosure(Deref) => (1, 1), NONE, "LOAD_CLOSURE";
    /// Class body: the name in the locals dict, else cell `arg`.
    LoadClassDeref(Deref) => (1, 1), NONE, "LOAD_CLASSDEREF";
    /// Pushes global `names[arg]` (then builtins).
    LoadGlobal(Name) => (1, 1), NONE, "LOAD_GLOBAL";
    StoreGlobal(Name) => (-1, -1), NONE, "STORE_GLOBAL";
    DeleteGlobal(Name) => (0, 0), NONE, "DELETE_GLOBAL";
    /// Pushes `names[arg]` from locals dict, globals, then builtins.
    LoadName(Name) => (1, 1), NONE, "LOAD_NAME";
    StoreName(Name) => (-1, -1), NONE, "STORE_NAME";
    DeleteName(Name) => (0, 0), NONE, "DELETE_NAME";
    /// TOS = getattr(TOS, names[arg]).
    LoadAttr(Name) => (0, 0), NONE, "LOAD_ATTR";
    /// setattr(TOS, names[arg], TOS1); pops both.
    StoreAttr(Name) => (-2, -2), NONE, "STORE_ATTR";
    DeleteAttr(Name) => (-1, -1), NONE, "DELETE_ATTR";
    /// Replaces TOS with [method, self] or [attribute, NULL] for CALL_METHOD.
    LoadMethod(Name) => (1, 1), NONE, "LOAD_METHOD";
    /// TOS = TOS1[TOS].
    BinarySubscr(None) => (-1, -1), NONE, "BINARY_SUBSCR";
    /// TOS1[TOS] = TOS2.
    StoreSubscr(None) => (-3, -3), NONE, "STORE_SUBSCR";
    /// del TOS1[TOS].
    DeleteSubscr(None) => (-2, -2), NONE, "DELETE_SUBSCR";
    /// TOS = TOS1 op TOS (in-place forms have arg >= INPLACE_OFFSET).
    BinaryOp(BinaryOp) => (-1, -1), NONE, "BINARY_OP";
    UnaryNegative(None) => (0, 0), NONE, "UNARY_NEGATIVE";
    UnaryPositive(None) => (0, 0), NONE, "UNARY_POSITIVE";
    UnaryNot(None) => (0, 0), NONE, "UNARY_NOT";
    UnaryInvert(None) => (0, 0), NONE, "UNARY_INVERT";
    /// TOS = TOS1 cmp TOS.
    CompareOp(CompareOp) => (-1, -1), NONE, "COMPARE_OP";
    /// TOS = TOS1 is TOS (arg 1: is not).
    IsOp(Raw) => (-1, -1), NONE, "IS_OP";
    /// TOS = TOS1 in TOS (arg 1: not in).
    ContainsOp(Raw) => (-1, -1), NONE, "CONTAINS_OP";
    /// Jumps to arg.
    Jump(Jump) => (0, 0), JUMP, "JUMP";
    PopJumpIfFalse(Jump) => (-1, -1), BRANCH, "POP_JUMP_IF_FALSE";
    PopJumpIfTrue(Jump) => (-1, -1), BRANCH, "POP_JUMP_IF_TRUE";
    /// If TOS is false jump (keeping it), else pop it.
    JumpIfFalseOrPop(Jump) => (-1, 0), BRANCH, "JUMP_IF_FALSE_OR_POP";
    JumpIfTrueOrPop(Jump) => (-1, 0), BRANCH, "JUMP_IF_TRUE_OR_POP";
    /// TOS = iter(TOS).
    GetIter(None) => (0, 0), NONE, "GET_ITER";
    /// Pushes next(TOS), or pops the iterator and jumps to arg when exhausted.
    ForIter(Jump) => (1, -1), ITER, "FOR_ITER";
    BuildTuple(Count) => (1 - arg, 1 - arg), NONE, "BUILD_TUPLE";
    BuildList(Count) => (1 - arg, 1 - arg), NONE, "BUILD_LIST";
    BuildSet(Count) => (1 - arg, 1 - arg), NONE, "BUILD_SET";
    /// Builds a dict from arg key/value pairs.
    BuildMap(Count) => (1 - 2 * arg, 1 - 2 * arg), NONE, "BUILD_MAP";
    /// Concatenates arg strings.
    BuildString(Count) => (1 - arg, 1 - arg), NONE, "BUILD_STRING";
    /// slice(TOS1, TOS) or slice(TOS2, TOS1, TOS) when arg is 3.
    BuildSlice(Count) => (1 - arg, 1 - arg), NONE, "BUILD_SLICE";
    /// Appends TOS to the list arg items down (comprehensions).
    ListAppend(Count) => (-1, -1), NONE, "LIST_APPEND";
    SetAdd(Count) => (-1, -1), NONE, "SET_ADD";
    /// Stores TOS1: TOS into the dict arg items down.
    MapAdd(Count) => (-2, -2), NONE, "MAP_ADD";
    /// Extends the list arg items down with iterable TOS.
    ListExtend(Count) => (-1, -1), NONE, "LIST_EXTEND";
    SetUpdate(Count) => (-1, -1), NONE, "SET_UPDATE";
    DictUpdate(Count) => (-1, -1), NONE, "DICT_UPDATE";
    /// Like DICT_UPDATE but a repeated key is a call error (`**` in calls).
    DictMerge(Count) => (-1, -1), NONE, "DICT_MERGE";
    ListToTuple(None) => (0, 0), NONE, "LIST_TO_TUPLE";
    /// Unpacks TOS into arg items (first item on top).
    UnpackSequence(Count) => (arg - 1, arg - 1), NONE, "UNPACK_SEQUENCE";
    /// Starred unpacking: arg = before | after << 8.
    UnpackEx(Raw) => ((arg & 0xFF) + (arg >> 8), (arg & 0xFF) + (arg >> 8)), NONE, "UNPACK_EX";
    /// f-string field: arg & 3 = conversion (0 none, 1 str, 2 repr, 3 ascii), arg & 4 = has format spec.
    FormatValue(Raw) => (-((arg >> 2) & 1), -((arg >> 2) & 1)), NONE, "FORMAT_VALUE";
    /// Makes a function from code TOS; arg flags 1 defaults, 2 kw defaults, 4 annotations, 8 closure.
    MakeFunction(Raw) => (-((arg & 1) + ((arg >> 1) & 1) + ((arg >> 2) & 1) + ((arg >> 3) & 1)), -((arg & 1) + ((arg >> 1) & 1) + ((arg >> 2) & 1) + ((arg >> 3) & 1))), NONE, "MAKE_FUNCTION";
    /// Calls TOS-arg with arg positional arguments.
    Call(Count) => (-arg, -arg), NONE, "CALL";
    /// Like CALL, TOS a tuple of keyword names for the last arguments.
    CallKw(Count) => (-arg - 1, -arg - 1), NONE, "CALL_KW";
    /// Calls [callable, self-or-NULL, args...] left by LOAD_METHOD.
    CallMethod(Count) => (-arg - 1, -arg - 1), NONE, "CALL_METHOD";
    CallMethodKw(Count) => (-arg - 2, -arg - 2), NONE, "CALL_METHOD_KW";
    /// callable(*TOS1, **TOS) when arg is 1, callable(*TOS) when 0.
    CallEx(Raw) => (-1 - arg, -1 - arg), NONE, "CALL_FUNCTION_EX";
    ReturnValue(None) => (-1, -1), EXIT, "RETURN_VALUE";
    /// Suspends the generator, handing TOS to the caller; the sent value
    /// replaces it on resumption.
    YieldValue(None) => (0, 0), EXIT, "YIELD_VALUE";
    /// TOS = iter(TOS) for `yield from` (generators stay as they are).
    GetYieldFromIter(None) => (0, 0), NONE, "GET_YIELD_FROM_ITER";
    /// Sends TOS into sub-iterator TOS1: pushes the yielded value, or pops
    /// both, pushes the return value and jumps to arg.
    Send(Jump) => (0, -1), ITER, "SEND";
    /// raise (arg 0: re-raise the handled exception; 1: TOS; 2: TOS1 from TOS).
    Raise(Count) => (-arg, -arg), EXIT, "RAISE_VARARGS";
    /// Re-raises exception TOS unchanged (end of finally / unmatched except).
    Reraise(None) => (-1, -1), EXIT, "RERAISE";
    /// Handler entry: [exc] -> [previous handled exc, exc]; exc becomes handled.
    PushExcInfo(None) => (1, 1), NONE, "PUSH_EXC_INFO";
    /// Pops the previous handled exception and restores it.
    PopExcept(None) => (-1, -1), NONE, "POP_EXCEPT";
    /// [exc, type] -> [exc, bool].
    CheckExcMatch(None) => (0, 0), NONE, "CHECK_EXC_MATCH";
    /// Cleanup handler: [previous, new exc] -> restores previous, raises new.
    PopExceptAndReraise(None) => (-2, -2), EXIT, "POP_EXCEPT_AND_RERAISE";
    /// `except*`: [rest, classes] -> [rest not matched, matched part or
    /// None]; the matched part becomes the handled exception.
    CheckEgMatch(None) => (0, 0), NONE, "CHECK_EG_MATCH";
    /// End of `except*`: [original, list of raised and unhandled] -> the
    /// exception to re-raise, or None.
    PrepReraiseStar(None) => (-1, -1), NONE, "PREP_RERAISE_STAR";
    /// [manager] -> [bound __exit__, result of __enter__()].
    BeforeWith(None) => (1, 1), NONE, "BEFORE_WITH";
    /// [exit, prev, exc] -> [exit, prev, exc, exit(type, exc, tb)].
    WithExceptStart(None) => (1, 1), NONE, "WITH_EXCEPT_START";
    /// Pushes builtins.__build_class__.
    LoadBuildClass(None) => (1, 1), NONE, "LOAD_BUILD_CLASS";
    /// [level, fromlist] -> module names[arg].
    ImportName(Name) => (-1, -1), NONE, "IMPORT_NAME";
    /// Pushes attribute names[arg] of module TOS (kept).
    ImportFrom(Name) => (1, 1), NONE, "IMPORT_FROM";
    /// from TOS import * into the locals dict.
    ImportStar(None) => (-1, -1), NONE, "IMPORT_STAR";
    LoadAssertionError(None) => (1, 1), NONE, "LOAD_ASSERTION_ERROR";
    /// Interactive mode: prints repr(TOS) unless None, then pops it.
    PrintExpr(None) => (-1, -1), NONE, "PRINT_EXPR";
    /// Creates `__annotations__` in the locals dict if missing.
    SetupAnnotations(None) => (0, 0), NONE, "SETUP_ANNOTATIONS";
    /// `match`: pushes whether TOS (kept) is a sequence (list, tuple,
    /// range and their subclasses).
    MatchSequence(None) => (1, 1), NONE, "MATCH_SEQUENCE";
    /// `match`: pushes whether TOS (kept) is a mapping (dict and subclasses).
    MatchMapping(None) => (1, 1), NONE, "MATCH_MAPPING";
    /// Pushes len(TOS), keeping TOS.
    GetLen(None) => (1, 1), NONE, "GET_LEN";
    /// `match`: [subject, keys] -> [subject, keys, tuple of the values
    /// (looked up with `subject.get`) or None when a key is missing].
    MatchKeys(None) => (1, 1), NONE, "MATCH_KEYS";
    /// `match`: [subject, class, keyword names] -> [tuple of the matched
    /// attributes, or None]; arg = number of positional sub-patterns.
    MatchClass(Count) => (-2, -2), NONE, "MATCH_CLASS";
}

/// Binary operators, in `BINARY_OP`'s argument order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    TrueDivide,
    FloorDivide,
    Remainder,
    Power,
    MatrixMultiply,
    LeftShift,
    RightShift,
    And,
    Or,
    Xor,
}

/// `BINARY_OP` arguments at or above this are the in-place (`+=`) forms.
pub const INPLACE_OFFSET: u32 = 16;

impl BinaryOp {
    pub const ALL: [BinaryOp; 13] = [
        BinaryOp::Add,
        BinaryOp::Subtract,
        BinaryOp::Multiply,
        BinaryOp::TrueDivide,
        BinaryOp::FloorDivide,
        BinaryOp::Remainder,
        BinaryOp::Power,
        BinaryOp::MatrixMultiply,
        BinaryOp::LeftShift,
        BinaryOp::RightShift,
        BinaryOp::And,
        BinaryOp::Or,
        BinaryOp::Xor,
    ];

    pub fn from_arg(arg: u32) -> (BinaryOp, bool) {
        let inplace = arg >= INPLACE_OFFSET;
        (BinaryOp::ALL[(arg % INPLACE_OFFSET) as usize], inplace)
    }

    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::TrueDivide => "/",
            BinaryOp::FloorDivide => "//",
            BinaryOp::Remainder => "%",
            BinaryOp::Power => "**",
            BinaryOp::MatrixMultiply => "@",
            BinaryOp::LeftShift => "<<",
            BinaryOp::RightShift => ">>",
            BinaryOp::And => "&",
            BinaryOp::Or => "|",
            BinaryOp::Xor => "^",
        }
    }

    /// The special method names: (normal, reflected, in-place).
    pub fn dunders(self) -> (&'static str, &'static str, &'static str) {
        match self {
            BinaryOp::Add => ("__add__", "__radd__", "__iadd__"),
            BinaryOp::Subtract => ("__sub__", "__rsub__", "__isub__"),
            BinaryOp::Multiply => ("__mul__", "__rmul__", "__imul__"),
            BinaryOp::TrueDivide => ("__truediv__", "__rtruediv__", "__itruediv__"),
            BinaryOp::FloorDivide => ("__floordiv__", "__rfloordiv__", "__ifloordiv__"),
            BinaryOp::Remainder => ("__mod__", "__rmod__", "__imod__"),
            BinaryOp::Power => ("__pow__", "__rpow__", "__ipow__"),
            BinaryOp::MatrixMultiply => ("__matmul__", "__rmatmul__", "__imatmul__"),
            BinaryOp::LeftShift => ("__lshift__", "__rlshift__", "__ilshift__"),
            BinaryOp::RightShift => ("__rshift__", "__rrshift__", "__irshift__"),
            BinaryOp::And => ("__and__", "__rand__", "__iand__"),
            BinaryOp::Or => ("__or__", "__ror__", "__ior__"),
            BinaryOp::Xor => ("__xor__", "__rxor__", "__ixor__"),
        }
    }
}

/// Rich comparisons, in `COMPARE_OP`'s argument order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    Lt,
    Le,
    Eq,
    Ne,
    Gt,
    Ge,
}

impl CompareOp {
    pub const ALL: [CompareOp; 6] = [
        CompareOp::Lt,
        CompareOp::Le,
        CompareOp::Eq,
        CompareOp::Ne,
        CompareOp::Gt,
        CompareOp::Ge,
    ];

    pub fn from_arg(arg: u32) -> CompareOp {
        CompareOp::ALL[arg as usize]
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Eq => "==",
            CompareOp::Ne => "!=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }

    /// (method, reflected method).
    pub fn dunders(self) -> (&'static str, &'static str) {
        match self {
            CompareOp::Lt => ("__lt__", "__gt__"),
            CompareOp::Le => ("__le__", "__ge__"),
            CompareOp::Eq => ("__eq__", "__eq__"),
            CompareOp::Ne => ("__ne__", "__ne__"),
            CompareOp::Gt => ("__gt__", "__lt__"),
            CompareOp::Ge => ("__ge__", "__le__"),
        }
    }

    /// Whether an ordering satisfies this comparison.
    pub fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CompareOp::Lt => ordering == Less,
            CompareOp::Le => ordering != Greater,
            CompareOp::Eq => ordering == Equal,
            CompareOp::Ne => ordering != Equal,
            CompareOp::Gt => ordering == Greater,
            CompareOp::Ge => ordering != Less,
        }
    }
}

impl Opcode {
    /// Whether this instruction ends a basic block.
    pub fn ends_block(self) -> bool {
        self.flags() != NONE
    }

    /// Whether the argument is a jump target.
    pub fn has_jump_target(self) -> bool {
        self.operand() == Operand::Jump
    }
}

/// One instruction: opcode plus a 32-bit argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instruction {
    pub op: Opcode,
    pub arg: u32,
}
