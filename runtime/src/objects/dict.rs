//! `dict` (and the table under `set`): an insertion-ordered hash table
//! that the threads sharing it change without stopping one another.
//!
//! Representation: `slots` keeps (hash, key, value) in insertion order, in
//! an array allocated to its full capacity up front, of which `claimed`
//! slots are handed out; `indices` is an open-addressing table of slot
//! positions, probed linearly from a key's home (`home`: its hash mixed,
//! so that keys in arithmetic progression spread out). The slots' capacity is two-thirds of the
//! index's length, so the index is never more than two-thirds full and
//! every probe meets an EMPTY position. A removed entry keeps its slot
//! (value `Value::REMOVED`; its key too, in a shared table) until the
//! next growth compacts the slots. Slots are allocated zeroed and hold a value's bits xor NULL's:
//! capacity nobody touched costs no memory and reads as key and value NULL.
//!
//! Main invariant: keys compare by `==` after the hash, never by hash
//! alone. This file only knows the *fast* equalities (identity and the
//! built-in types whose `==` cannot run Python code, decided by the
//! caller's `fast_eq`); when a candidate needs a Python `__eq__`, the probe
//! returns it to the caller, which compares outside any borrow of the
//! table and retries if the table changed meanwhile (`version`).
//!
//! A *local* table (one thread reaches its object) changes under its
//! `PyCell`'s write borrow. A *shared* table's everyday changes take no
//! write section: through a shared borrow, each is a few compare-and-swaps
//! on words that stay in place while other threads read them
//! (`insert_shared`, `remove_shared`):
//!
//! ```text
//!  insert(hash, key, value): probe from the hash's home position to the
//!  key's place: the first EMPTY position, or the first naming a removed
//!  entry of this same key
//!    slot, equal key, live value:  CAS it -> value (a rebinding)
//!                     NULL value:  another writer's insertion of the key,
//!                                  not finished: CAS NULL -> value for it
//!    the key's place: claim a slot (CAS claimed n -> n+1; none left: Full),
//!                     write its hash and key, CAS the position -> that slot
//!                     (lost: look at what the position names now), then
//!                     CAS the slot's value NULL -> value: the key is in
//!  remove(hash, key): the equal key's live value: CAS it -> REMOVED (the
//!                     key and the position stay)
//! ```
//!
//! While the table is shared, a taken position only ever names slots of
//! one key (EMPTY -> slot, or a removed entry's slot -> a new slot of the
//! same key), so no position of a key comes after an EMPTY position or a
//! removed entry of that key, and two writers of one key meet at one
//! position: a key has at most one live slot, and inserting and removing
//! one key over and over reuses one position. A probe that passed more
//! than `CROWDED` removed entries of other keys asks its caller to tidy
//! that run of positions (`tidy_shared`: by a compaction, below, when an
//! eighth of the slots are dead). A slot's value word is the truth of its entry
//! (NULL: not in yet, REMOVED: gone), so readers load it once
//! and use what they loaded. A stored key whose equality runs Python code
//! stops the sequence (`NeedsEq`, nothing changed): the caller compares
//! outside the table and starts again knowing the answer. `popitem` on a
//! shared table removes the newest live entry the same way
//! (`pop_last_shared`).
//!
//! The slots, the index and their counts are one generation (`Arrays`)
//! behind an atomic pointer, which every operation loads once. A shared
//! table grows with no write section (`grow_shared`). It grows when every
//! slot is handed out (`claimed` stays at the capacity from then on, so
//! writers that want a slot get `Full`): the first writer to find it full
//! names new arrays as the old ones' successor, and every writer that
//! finds them there helps move the slots, a chunk of `MOVE_CHUNK` at a
//! time (`move_chunk`). A slot is copied into the new arrays, its value
//! word swapped to MOVED (a writer that changed it first makes it copy
//! again) and the copy indexed; readers and writers that meet MOVED go on
//! in the successor (`Arrays::value_at`), so nothing is lost. Most
//! growths double the index and copy every slot to its own index, so
//! entry indices stay good. When most slots went to entries since removed
//! (keys inserted and removed over and over) the growth compacts instead:
//! the writer that names the new arrays first gives every slot not yet
//! removed the next index there, in order (`Arrays::forward`; a slot
//! removed since still gets one, dead), and a MOVED slot's readers go on
//! at the index it forwards to. Whoever moves the last chunk makes the
//! new arrays current. A writer that finds a successor named gives no key
//! a new position in the old arrays (`Full`: it helps, then inserts into
//! the new ones), so that a key the copy holds removed cannot come back in
//! a slot copied live after it. `clear` (`clear_shared`) makes new, empty
//! arrays current at once (after helping a growth under way end; a clear
//! that finds another one's arrays named makes them current and is done,
//! as is a writer that needs a slot: `end_clear`). An
//! operation still inside the old ones is one that came before the clear
//! (or the compaction); an entry index found there is caught by
//! `entry_of_key` (the slot holds another key) or by the version, which
//! counts a clear or compaction under way from before it makes its arrays
//! current until after (`change_generation`). Replaced arrays
//! go to the interpreter's `RetiredArrays`, freed at the next collection.
//! What is left for the write borrow, which for a shared table is a write
//! section (every other worker stopped at a safepoint; none is inside one
//! of these sequences, which reach no safepoint): a writer that finds
//! every chunk of a growth taken and the last still being moved after it
//! yielded its thread a few times (`GROWTH_END_YIELDS`), and tidying a
//! crowded run of a table with few dead slots.

use std::alloc::{alloc_zeroed, handle_alloc_error, Layout};
use std::ptr::null_mut;
use std::sync::atomic::{
    AtomicI64, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize,
    Ordering::{AcqRel, Acquire, Relaxed, Release},
};

use crate::heap::gc::Marker;
use crate::value::Value;

const EMPTY: u32 = u32::MAX;
const DELETED: u32 = u32::MAX - 1;
/// In `Arrays::forward`: an old slot that a compaction leaves behind.
const NOT_FORWARDED: u32 = u32::MAX;

/// A slot's key or value: the value's bits xor NULL's, so that zeroed
/// memory reads as NULL.
struct SlotWord(AtomicU64);

impl SlotWord {
    #[inline(always)]
    fn encode(value: Value) -> u64 {
        value.bits() ^ Value::NULL.bits()
    }

    #[inline(always)]
    fn load(&self, order: std::sync::atomic::Ordering) -> Value {
        Value::from_bits(self.0.load(order) ^ Value::NULL.bits())
    }

    #[inline(always)]
    fn store(&self, value: Value, order: std::sync::atomic::Ordering) {
        self.0.store(SlotWord::encode(value), order)
    }

    /// Compare-and-swap (AcqRel; the value found on failure).
    fn swap_if(&self, current: Value, new: Value) -> Result<(), Value> {
        self.0
            .compare_exchange(
                SlotWord::encode(current),
                SlotWord::encode(new),
                AcqRel,
                Acquire,
            )
            .map(|_| ())
            .map_err(|found| Value::from_bits(found ^ Value::NULL.bits()))
    }
}

/// One entry's place in insertion order.
struct Slot {
    hash: AtomicI64,
    key: SlotWord,
    value: SlotWord,
}

/// Whether a slot's value word holds an entry's value.
#[inline(always)]
fn live(value: Value) -> bool {
    value != Value::NULL && value != Value::REMOVED && value != Value::MOVED
}

/// An entry index that belongs to a generation of the table's arrays that
/// is no longer current (`DictTable::entry_of_key`).
#[derive(Debug)]
pub struct Stale;

/// A live entry, as read at one moment.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    pub hash: i64,
    pub key: Value,
    value: Value,
}

impl Entry {
    #[inline(always)]
    pub fn value(&self) -> Value {
        self.value
    }
}

/// Where a slot's entry is held now (`Arrays::value_at`): a generation,
/// and the slot's index there.
#[derive(Clone, Copy)]
struct Holder<'a> {
    arrays: &'a Arrays,
    index: usize,
}

impl<'a> Holder<'a> {
    #[inline(always)]
    fn slot(self) -> &'a Slot {
        &self.arrays.slots[self.index]
    }

    /// The slot's value now, and where it is held (moved on, perhaps).
    #[inline(always)]
    fn reload(self) -> (Holder<'a>, Value) {
        self.arrays.value_at(self.index)
    }
}

/// One generation of a table's storage: the slots in insertion order, the
/// index of positions naming them, and their counts. A table has one
/// current generation (none while it has never held an entry). A shared
/// table's growth and `clear` replace it with no write section while other
/// threads may still be reading it (see the module): the old generation
/// then names its successor and is retired, freed at the next collection.
struct Arrays {
    slots: Box<[Slot]>,
    indices: Box<[AtomicU32]>,
    /// Slots handed out (live, removed, or being filled).
    claimed: AtomicUsize,
    /// Live entries.
    used: AtomicUsize,
    /// A range of slots known dead for good while the table is shared,
    /// `low << 32 | high` (`[low, high)`): where `pop_last_shared` stops
    /// scanning, so that popping a shared table empty is linear. Zero
    /// (an empty range) after every change that can revive slots.
    dead_range: AtomicU64,
    /// The generation that replaced this one (null while none has): where
    /// a slot whose value word reads MOVED lives now, at the same index.
    successor: AtomicPtr<Arrays>,
    /// The next generation in a `RetiredArrays` list.
    next_retired: AtomicPtr<Arrays>,
    /// For a growth's new arrays: how many slots of the old ones move
    /// here (every one; zero for a table's first arrays and a clear's).
    slots_to_move: usize,
    /// For a compacting growth's new arrays: the index here of each old
    /// slot, in order (`NOT_FORWARDED` for one removed before the growth
    /// began, which stays dead in the old arrays). Empty for a growth that
    /// keeps every slot at its index, and for first and cleared arrays.
    forward: Box<[u32]>,
    /// The next old slot to move: the threads that help the growth claim
    /// `MOVE_CHUNK` at a time (`DictTable::move_chunk`).
    move_cursor: AtomicUsize,
    /// Old slots moved and indexed here; the thread that moves the last
    /// makes these arrays current.
    slots_moved: AtomicUsize,
}

impl Arrays {
    /// Empty arrays with `length` index positions (a power of two, at
    /// least 8) and slots for two thirds as many entries.
    fn with_index_length(length: usize) -> Box<Arrays> {
        Box::new(Arrays {
            slots: zeroed_slots(length * 2 / 3),
            indices: empty_indices(length),
            claimed: AtomicUsize::new(0),
            used: AtomicUsize::new(0),
            dead_range: AtomicU64::new(0),
            successor: AtomicPtr::new(null_mut()),
            next_retired: AtomicPtr::new(null_mut()),
            slots_to_move: 0,
            forward: Box::new([]),
            move_cursor: AtomicUsize::new(0),
            slots_moved: AtomicUsize::new(0),
        })
    }

    #[inline(always)]
    fn mask(&self) -> usize {
        self.indices.len() - 1
    }

    /// Slot `index`'s value and where it is held: here, or, once the slot
    /// was moved, in a successor (at the index it forwards to).
    #[inline(always)]
    fn value_at(&self, index: usize) -> (Holder<'_>, Value) {
        let value = self.slots[index].value.load(Acquire);
        if value == Value::MOVED {
            return self.moved_value(index);
        }
        (
            Holder {
                arrays: self,
                index,
            },
            value,
        )
    }

    #[cold]
    #[inline(never)]
    fn moved_value(&self, mut index: usize) -> (Holder<'_>, Value) {
        let mut arrays = self;
        loop {
            // SAFETY: MOVED is stored (release) only after the growth set
            // the successor and wrote its slot; our acquire load saw
            // MOVED. Generations stay allocated while a thread can be in
            // an operation that reached them (freed under the write
            // borrow or at a collection, `RetiredArrays`).
            arrays = unsafe { &*arrays.successor.load(Acquire) };
            index = arrays.forwarded(index);
            let value = arrays.slots[index].value.load(Acquire);
            if value != Value::MOVED {
                return (Holder { arrays, index }, value);
            }
        }
    }

    /// The index in these arrays, a growth's new ones, of the old slot
    /// `old_index`, which was moved here (so not `NOT_FORWARDED`).
    #[inline(always)]
    fn forwarded(&self, old_index: usize) -> usize {
        match self.forward.get(old_index) {
            Some(&index) => index as usize,
            None => old_index,
        }
    }

    /// The live entry at slot `index`, if any.
    #[inline]
    fn entry(&self, index: usize) -> Option<Entry> {
        self.slots.get(index)?;
        // The value first: a removal makes it REMOVED before it clears the
        // key, and an insertion writes the key before the value.
        let (holder, value) = self.value_at(index);
        if !live(value) {
            return None;
        }
        let slot = holder.slot();
        let key = slot.key.load(Acquire);
        if key.is_null() {
            return None;
        }
        Some(Entry {
            hash: slot.hash.load(Relaxed),
            key,
            value,
        })
    }
}

/// Generations that shared tables replaced with no write section, kept
/// until no thread can be reading them. A thread reads a table's arrays
/// only within one operation, which passes no safepoint; so they are freed
/// at the next collection, when every worker has stopped at one. One list
/// per interpreter (`Vm::retired_tables`).
#[derive(Default)]
pub struct RetiredArrays {
    head: AtomicPtr<Arrays>,
}

impl RetiredArrays {
    fn push(&self, arrays: *mut Arrays) {
        let mut head = self.head.load(Relaxed);
        loop {
            // SAFETY: `arrays` came from `Box::into_raw` and was just
            // replaced as its table's current generation; only this list
            // owns it now, and nothing else writes its link.
            unsafe { (*arrays).next_retired.store(head, Relaxed) };
            match self
                .head
                .compare_exchange_weak(head, arrays, Release, Relaxed)
            {
                Ok(_) => return,
                Err(now) => head = now,
            }
        }
    }

    /// Generations waiting to be freed.
    pub fn len(&self) -> usize {
        let mut count = 0;
        let mut at = self.head.load(Acquire);
        while !at.is_null() {
            count += 1;
            // SAFETY: listed generations stay allocated until `free_all`,
            // which takes the whole list first.
            at = unsafe { (*at).next_retired.load(Relaxed) };
        }
        count
    }

    pub fn is_empty(&self) -> bool {
        self.head.load(Acquire).is_null()
    }

    /// Frees every retired generation.
    ///
    /// # Safety
    /// No thread may be inside an operation on a table that retired one:
    /// every worker of the interpreter is stopped at a safepoint (a
    /// collection), or the caller runs the only thread.
    pub unsafe fn free_all(&self) {
        let mut at = self.head.swap(null_mut(), Acquire);
        while !at.is_null() {
            // SAFETY: pushed from `Box::into_raw`, listed once, and (the
            // caller's promise) no longer read by any thread.
            let arrays = unsafe { Box::from_raw(at) };
            at = arrays.next_retired.load(Relaxed);
        }
    }
}

impl Drop for RetiredArrays {
    fn drop(&mut self) {
        // SAFETY: the list goes with its interpreter, after its last
        // operation.
        unsafe { self.free_all() }
    }
}

pub struct DictTable {
    /// The current generation; null while the table has never held an
    /// entry (or was emptied while local).
    arrays: AtomicPtr<Arrays>,
    /// Three fields (see the constants below): the version, bumped by
    /// `VERSION_STEP` by every insertion or removal; whether the owning
    /// object is shared, so that every key and value stored from then on
    /// is shared first (the write barrier, `heap/share.rs`) and changes go
    /// through the compare-and-swap paths; and how many generation changes
    /// that move entry indices (a shared table's clear or compaction) are
    /// under way, each counted from before it makes its new arrays current
    /// until after (not zero: an entry index found now may belong to
    /// either generation, see `settled_version`).
    version_and_shared: AtomicU64,
}

/// Low bits of `version_and_shared`: generation changes under way. Two
/// overlap when a thread changes the generation that another one has
/// just made current and not yet counted out; each is a thread inside one
/// operation, so 16 bits count more than can run at once.
const CHANGES_UNDER_WAY: u64 = 0xFFFF;
/// The bit above them: the owning object is shared.
const SHARED_BIT: u64 = 1 << 16;
/// The version's step, in the bits above: a version that overflows
/// wraps around off the top of the word and leaves the fields below
/// alone.
const VERSION_STEP: u64 = 1 << 17;

impl Default for DictTable {
    fn default() -> DictTable {
        DictTable {
            arrays: AtomicPtr::new(null_mut()),
            version_and_shared: AtomicU64::new(0),
        }
    }
}

impl Drop for DictTable {
    fn drop(&mut self) {
        self.set_arrays(null_mut());
    }
}

impl Clone for DictTable {
    /// A copy (compacted) belongs to a new, local object.
    fn clone(&self) -> DictTable {
        let mut copy = DictTable::with_capacity(self.len());
        for entry in self.live_entries() {
            copy.insert_new(entry.hash, entry.key, entry.value);
        }
        copy
    }
}

/// What a probe found.
pub enum Probe {
    /// The entry index of an equal key, and the key stored there (for
    /// `DictTable::entry_of_key`).
    Found(usize, Value),
    Absent,
    /// Entries with an equal hash whose keys need a Python `__eq__`.
    NeedsEq(Vec<(usize, Value)>),
}

/// Removed entries a shared table's probe may pass before the writer
/// tidies that run of positions (`DictTable::tidy_run`): without it, a
/// key inserted and removed over and over would lengthen its own probe
/// by one position each time until the next growth.
const CROWDED: u32 = 16;

/// Slots a thread moves at a time when it helps a growth: enough that
/// claiming them costs little, few enough that a writer waiting for the
/// new arrays can take a share of a large table's move.
const MOVE_CHUNK: usize = 128;

/// Times a writer that finds every chunk of a growth taken yields its OS
/// thread, checking in between whether the movers are done, before it
/// asks for a write section (`help_growth_end`): the last chunk's copy
/// takes a microsecond or two.
const GROWTH_END_YIELDS: u32 = 32;

/// What `DictTable::growth` found.
enum Growth {
    /// Room for an insertion (perhaps just made).
    Room,
    /// A clear from `old`, current, to `new` is under way.
    Clearing { old: *mut Arrays, new: *mut Arrays },
    /// A growth from `old`, current, to `new` is under way.
    Moving { old: *mut Arrays, new: *mut Arrays },
}

/// The most index positions a shared table keeps through `clear`.
const CLEARED_SHARED_ROOM: usize = 1024;

/// What `DictTable::insert_shared` did.
pub enum SharedInsert {
    /// The key is in, with the value.
    Done,
    /// Done, through more than `CROWDED` removed entries: the caller
    /// tidies the run (`tidy_run`, in a write section).
    Crowded,
    /// No slot left, or another thread is replacing the arrays: the
    /// table must grow (`grow_shared`, or in a write section), or the
    /// caller waits for its new arrays.
    Full,
    /// This stored key has an equal hash and needs a Python `__eq__` to
    /// tell whether it is the key; nothing was changed.
    NeedsEq(Value),
    /// The key was there already with this value, which stays
    /// ([`Presence::Keep`] only).
    Present(Value),
}

/// What `DictTable::insert_shared` does with a key that is already there.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Its value becomes the new one (`d[k] = v`).
    Replace,
    /// Its value stays (`d.setdefault(k, v)`).
    Keep,
}

/// What `DictTable::remove_shared` did.
pub enum SharedRemove {
    /// Removed; `crowded` as in `SharedInsert::Crowded`.
    Removed {
        entry: Entry,
        crowded: bool,
    },
    Absent,
    /// As `SharedInsert::NeedsEq`.
    NeedsEq(Value),
}

/// `count` slots, zeroed (hash 0, key and value NULL).
fn zeroed_slots(count: usize) -> Box<[Slot]> {
    if count == 0 {
        return Box::new([]);
    }
    let layout = Layout::array::<Slot>(count).expect("dict size overflows memory");
    // SAFETY: the layout's size is not zero (count > 0 and a slot is 24
    // bytes). A `Slot` is three atomic integers, for which all-zero bits are
    // valid (and mean hash 0, key and value NULL in `SlotWord`'s encoding),
    // so the zeroed block is `count` initialised slots. It was allocated by
    // the global allocator with the layout of `[Slot; count]`, which is
    // what the box frees it with.
    unsafe {
        let memory = alloc_zeroed(layout).cast::<Slot>();
        if memory.is_null() {
            handle_alloc_error(layout);
        }
        Box::from_raw(std::ptr::slice_from_raw_parts_mut(memory, count))
    }
}

fn empty_indices(count: usize) -> Box<[AtomicU32]> {
    (0..count).map(|_| AtomicU32::new(EMPTY)).collect()
}

/// The position a probe for `hash` starts at: the top bits of the hash
/// times 2^64 / phi (Fibonacci hashing), so that every bit of the hash
/// moves the position. Python hashes of ints are the ints themselves, and
/// probing is linear: a position made of the low bits alone (consecutive
/// ints in consecutive positions) packs keys of two ranges inserted in turn
/// (0, 200 000, 1, 200 001, ...) into one long run that every later probe
/// walked (2.8 s for 400 000 keys, CPython 0.06 s), and the high bits
/// folded onto the low ones still mapped a range onto a run. Keys in
/// arithmetic progression (consecutive ints, multiples of 4096, `id()`s)
/// land spread evenly over the index.
#[inline(always)]
fn home(hash: i64, mask: usize) -> usize {
    let position_bits = (mask as u64 + 1).trailing_zeros();
    let mixed = (hash as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - position_bits).min(63)) as usize & mask
}

/// Index length for `live` entries plus room to grow (at most a third
/// full after a growth).
fn index_length_after_growth(live: usize) -> usize {
    ((live + 1) * 3).next_power_of_two().max(8)
}

/// Index length for a shared table's compaction that keeps `live` entries
/// from arrays of `index_length` positions. Its slots went mostly to
/// entries since removed (keys inserted and removed over and over: every
/// insertion takes a new slot), and it would compact again after as many
/// insertions as it has live entries; so it gets twice its index length
/// each time, up to what eight times its live entries (and 64 more) would
/// get: compactions become rarer while its memory stays bounded by what it
/// holds.
fn index_length_for_compaction(live: usize, index_length: usize) -> usize {
    let roomier = (index_length * 2).min(index_length_after_growth(live * 8 + 64));
    index_length_after_growth(live).max(roomier)
}

impl DictTable {
    pub fn new() -> DictTable {
        DictTable::default()
    }

    pub fn with_capacity(capacity: usize) -> DictTable {
        let table = DictTable::default();
        if capacity > 0 {
            let length = (capacity * 3 / 2 + 1).next_power_of_two().max(8);
            let arrays = Box::into_raw(Arrays::with_index_length(length));
            table.arrays.store(arrays, Relaxed);
        }
        table
    }

    /// The current generation. Used within one operation only (no
    /// safepoint passed while it is held: see `RetiredArrays`).
    #[inline(always)]
    fn current(&self) -> Option<&Arrays> {
        // SAFETY: null, or from `Box::into_raw` and still allocated: a
        // replaced generation is freed under the write borrow (no shared
        // borrow of the table exists, or for a shared table no other
        // thread is inside an operation, all being stopped for the write
        // section) or, retired, at a collection (none is either).
        unsafe { self.arrays.load(Acquire).as_ref() }
    }

    #[inline(always)]
    fn current_mut(&mut self) -> Option<&mut Arrays> {
        // SAFETY: null or owned by this table (`Box::into_raw`); the
        // exclusive borrow of the table excludes every other use.
        unsafe { self.arrays.get_mut().as_mut() }
    }

    /// Makes `arrays` (null or from `Box::into_raw`) current and frees the
    /// old generation: under the write borrow, nobody reads it any more.
    fn set_arrays(&mut self, arrays: *mut Arrays) {
        let old = std::mem::replace(self.arrays.get_mut(), arrays);
        if !old.is_null() {
            // SAFETY: owned by this table until now; see `current`.
            drop(unsafe { Box::from_raw(old) });
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.current().map_or(0, |arrays| arrays.used.load(Relaxed))
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn version(&self) -> u64 {
        self.version_and_shared.load(Acquire) & !SHARED_BIT
    }

    /// The version, unless a generation change is under way (then an
    /// entry index found now may belong to either generation: not one to
    /// remember).
    #[inline]
    pub fn settled_version(&self) -> Option<u64> {
        let version = self.version();
        (version & CHANGES_UNDER_WAY == 0).then_some(version)
    }

    /// Slots handed out, live or not (the bound for iteration by index).
    #[inline]
    pub fn entry_slots(&self) -> usize {
        self.current()
            .map_or(0, |arrays| arrays.claimed.load(Acquire))
    }

    /// The live entry at slot `index`, if any.
    #[inline]
    pub fn entry(&self, index: usize) -> Option<Entry> {
        self.current()?.entry(index)
    }

    /// The live entry at slot `index`, which a probe found holding `key`:
    /// `Err(Stale)` if the slot holds another key now (a shared table was
    /// cleared since, and the index belongs to its old generation: probe
    /// again), `Ok(None)` if the entry is gone.
    #[inline]
    pub fn entry_of_key(&self, index: usize, key: Value) -> Result<Option<Entry>, Stale> {
        let Some(arrays) = self.current() else {
            return Ok(None);
        };
        let Some(slot) = arrays.slots.get(index) else {
            return Err(Stale);
        };
        if slot.key.load(Acquire) != key {
            return Err(Stale);
        }
        Ok(arrays.entry(index).filter(|entry| entry.key == key))
    }

    /// The first live entry at slot `start` or after, with the slot after
    /// it, read in one generation of the arrays (a moved slot is read
    /// where it went); `Err` with the slots handed out, or `start` if more,
    /// when there is none. A scan that loaded the current arrays at each
    /// slot could pass from a generation to its compaction, whose indices
    /// are lower, and miss every entry still ahead of it.
    ///
    /// A scan from the first slot that finds nothing in a generation that
    /// another thread replaced meanwhile (a growth, compaction or clear)
    /// looks again in the new one: keys inserted since live only there,
    /// and the table may never have been empty (`next(iter(d))` on a dict
    /// that threads fill and drain at once). Further along, a position
    /// belongs to the old generation's numbering, and the scan ends. Within
    /// one generation, the scan also goes on into slots handed out while
    /// it ran.
    pub fn entry_from(&self, start: usize) -> Result<(Entry, usize), usize> {
        loop {
            let scanned = self.arrays.load(Acquire);
            // SAFETY: as in `current`.
            let Some(arrays) = (unsafe { scanned.as_ref() }) else {
                return Err(start);
            };
            // Slots handed out while the scan ran hold newer keys: it goes
            // on into them (the entries it passed may be gone by now).
            let mut from = start;
            let slots = loop {
                let slots = arrays.claimed.load(Acquire);
                if let Some(found) =
                    (from..slots).find_map(|index| Some((arrays.entry(index)?, index + 1)))
                {
                    return Ok(found);
                }
                if arrays.claimed.load(Acquire) == slots {
                    break slots;
                }
                from = from.max(slots);
            };
            if start > 0 || self.arrays.load(Acquire) == scanned {
                return Err(slots.max(start));
            }
        }
    }

    pub fn live_entries(&self) -> impl Iterator<Item = Entry> + '_ {
        let arrays = self.current();
        let claimed = arrays.map_or(0, |arrays| arrays.claimed.load(Acquire));
        (0..claimed).filter_map(move |index| arrays?.entry(index))
    }

    pub fn keys(&self) -> Vec<Value> {
        self.live_entries().map(|entry| entry.key).collect()
    }

    pub fn values(&self) -> Vec<Value> {
        self.live_entries().map(|entry| entry.value).collect()
    }

    pub fn items(&self) -> Vec<(Value, Value)> {
        self.live_entries()
            .map(|entry| (entry.key, entry.value))
            .collect()
    }

    /// Looks for `hash` among the keys. `fast_eq(candidate)` answers
    /// `Some(equal)` when equality is decidable without Python code.
    pub fn probe(&self, hash: i64, mut fast_eq: impl FnMut(Value) -> Option<bool>) -> Probe {
        let Some(arrays) = self.current() else {
            return Probe::Absent;
        };
        let mask = arrays.mask();
        let mut at = home(hash, mask);
        let mut slow = Vec::new();
        loop {
            match arrays.indices[at].load(Acquire) {
                EMPTY => break,
                DELETED => {}
                index => {
                    let slot = &arrays.slots[index as usize];
                    if slot.hash.load(Relaxed) == hash && live(arrays.value_at(index as usize).1) {
                        let key = slot.key.load(Acquire);
                        if !key.is_null() {
                            match fast_eq(key) {
                                Some(true) => return Probe::Found(index as usize, key),
                                Some(false) => {}
                                None => slow.push((index as usize, key)),
                            }
                        }
                    }
                }
            }
            at = (at + 1) & mask;
        }
        if slow.is_empty() {
            Probe::Absent
        } else {
            Probe::NeedsEq(slow)
        }
    }

    /// The value of the key `fast_eq` recognises, when no candidate needs
    /// a Python `__eq__` (namespaces: attribute and global lookups). One
    /// pass, reading each word once: the hottest read of the interpreter.
    #[inline]
    pub fn find_value(&self, hash: i64, mut fast_eq: impl FnMut(Value) -> bool) -> Option<Value> {
        let arrays = self.current()?;
        let mask = arrays.mask();
        let mut at = home(hash, mask);
        loop {
            match arrays.indices[at].load(Acquire) {
                EMPTY => return None,
                DELETED => {}
                index => {
                    let slot = &arrays.slots[index as usize];
                    if slot.hash.load(Relaxed) == hash {
                        let key = slot.key.load(Acquire);
                        if !key.is_null() && fast_eq(key) {
                            let value = arrays.value_at(index as usize).1;
                            if live(value) {
                                return Some(value);
                            }
                        }
                    }
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// Marks the table as belonging to a shared object (the sharing walk).
    pub fn note_shared(&self) {
        self.version_and_shared.fetch_or(SHARED_BIT, Relaxed);
    }

    #[inline(always)]
    fn is_shared(&self) -> bool {
        self.version_and_shared.load(Relaxed) & SHARED_BIT != 0
    }

    #[inline(always)]
    fn bump_version(&mut self) {
        let word = self.version_and_shared.get_mut();
        *word = word.wrapping_add(VERSION_STEP);
    }

    /// A shared table's change, counted in its version.
    #[inline(always)]
    fn note_change(&self) {
        self.version_and_shared.fetch_add(VERSION_STEP, Release);
    }

    /// Appends a key known to be absent.
    pub fn insert_new(&mut self, hash: i64, key: Value, value: Value) {
        debug_assert!(live(value), "a table entry's value is a Python object");
        if self.is_shared() {
            crate::heap::share::share_all(&[key, value]);
        }
        self.make_room();
        let arrays = self
            .current_mut()
            .expect("make_room gives the table arrays");
        let index = *arrays.claimed.get_mut();
        *arrays.claimed.get_mut() = index + 1;
        let slot = &arrays.slots[index];
        slot.hash.store(hash, Relaxed);
        slot.key.store(key, Relaxed);
        slot.value.store(value, Relaxed);
        place(&arrays.indices, &arrays.slots, hash, index as u32);
        *arrays.used.get_mut() += 1;
        self.bump_version();
    }

    pub fn set_value(&mut self, index: usize, value: Value) {
        if self.is_shared() {
            crate::heap::share::share(value);
        }
        if let Some(arrays) = self.current_mut() {
            arrays.slots[index].value.store(value, Relaxed);
        }
    }

    /// Stores `value` into slot `index` unless its entry was removed; a
    /// slot still being inserted (NULL) gets its value from here, and the
    /// insertion counts.
    fn store_into(&self, arrays: &Arrays, index: usize, value: Value) -> bool {
        let (mut holder, mut current) = arrays.value_at(index);
        loop {
            if current == Value::REMOVED {
                return false;
            }
            match holder.slot().value.swap_if(current, value) {
                Ok(()) => {
                    if current.is_null() {
                        holder.arrays.used.fetch_add(1, Relaxed);
                        self.note_change();
                    }
                    return true;
                }
                Err(found) if found == Value::MOVED => (holder, current) = holder.reload(),
                Err(found) => current = found,
            }
        }
    }

    /// Publishes `value` into slot `index` only if the slot has no value
    /// yet (its insertion pending: then the insertion counts); `Err` with
    /// the value it has, `Ok(false)` if its entry was removed.
    fn fill_empty(&self, arrays: &Arrays, index: usize, value: Value) -> Result<bool, Value> {
        let (mut holder, mut current) = arrays.value_at(index);
        loop {
            if current == Value::REMOVED {
                return Ok(false);
            }
            if !current.is_null() {
                return Err(current);
            }
            match holder.slot().value.swap_if(Value::NULL, value) {
                Ok(()) => {
                    holder.arrays.used.fetch_add(1, Relaxed);
                    self.note_change();
                    return Ok(true);
                }
                Err(found) if found == Value::MOVED => (holder, current) = holder.reload(),
                Err(found) => current = found,
            }
        }
    }

    /// Publishes `value` into slot `index` as `presence` says: whether the
    /// key is in with it now, or the value that stays.
    fn publish(
        &self,
        arrays: &Arrays,
        index: usize,
        value: Value,
        presence: Presence,
    ) -> Result<bool, Value> {
        match presence {
            Presence::Replace => Ok(self.store_into(arrays, index, value)),
            Presence::Keep => self.fill_empty(arrays, index, value),
        }
    }
}

impl Arrays {
    /// Hands out the next slot for `hash` and `key` (its value stays NULL
    /// until published); `None` when every slot is taken.
    fn claim_slot(&self, hash: i64, key: Value) -> Option<usize> {
        let mut index = self.claimed.load(Relaxed);
        loop {
            if index >= self.slots.len() {
                return None;
            }
            match self
                .claimed
                .compare_exchange_weak(index, index + 1, AcqRel, Relaxed)
            {
                Ok(_) => break,
                Err(now) => index = now,
            }
        }
        let slot = &self.slots[index];
        slot.hash.store(hash, Relaxed);
        slot.key.store(key, Release);
        Some(index)
    }

    /// Hands out no more slots, as if full: those not handed out yet are
    /// dead for good (REMOVED, as abandoned ones), so that a growth can
    /// begin (which moves every slot).
    fn close(&self) {
        let claimed = self.claimed.swap(self.slots.len(), AcqRel);
        for slot in &self.slots[claimed.min(self.slots.len())..] {
            let _ = slot.value.swap_if(Value::NULL, Value::REMOVED);
        }
    }

    /// A claimed slot that never got a position: dead for good (its value
    /// REMOVED, so that only a slot still being inserted holds NULL; one
    /// already moved is dead in the successor).
    fn abandon(&self, claimed: Option<usize>) {
        if let Some(index) = claimed {
            let slot = &self.slots[index];
            slot.key.store(Value::NULL, Release);
            let _ = slot.value.swap_if(Value::NULL, Value::REMOVED);
        }
    }
}

impl DictTable {
    /// Sets `key` to `value` in a *shared* table with no write section
    /// (see the module): a new key takes a slot, a present one gets the
    /// new value, or with [`Presence::Keep`] keeps its own (`Present`).
    /// Shares both first (the barrier). `Full` and `NeedsEq` leave the
    /// table as it was: the caller grows it (`grow_shared`, or in a write
    /// section) or compares outside it, and starts again.
    pub fn insert_shared(
        &self,
        hash: i64,
        key: Value,
        value: Value,
        presence: Presence,
        mut fast_eq: impl FnMut(Value) -> Option<bool>,
    ) -> SharedInsert {
        crate::heap::share::share_all(&[key, value]);
        let Some(arrays) = self.current() else {
            return SharedInsert::Full;
        };
        let mask = arrays.mask();
        'insertion: loop {
            let mut mine = None;
            let mut at = home(hash, mask);
            let mut removed_passed = 0;
            let done = |removed_passed| {
                if removed_passed > CROWDED {
                    SharedInsert::Crowded
                } else {
                    SharedInsert::Done
                }
            };
            loop {
                let position = arrays.indices[at].load(Acquire);
                // The key's place: the first EMPTY position, or the first
                // naming a removed entry of this same key (its position is
                // reused, so that inserting and removing one key over and
                // over does not lengthen its probe).
                let free = match position {
                    EMPTY => true,
                    DELETED => {
                        removed_passed += 1;
                        false
                    }
                    index => {
                        let slot = &arrays.slots[index as usize];
                        let stored = slot.key.load(Acquire);
                        let same_key = || {
                            if slot.hash.load(Relaxed) != hash || stored.is_null() {
                                Some(false)
                            } else if stored == key {
                                Some(true)
                            } else {
                                None
                            }
                        };
                        let equal = match same_key() {
                            None => fast_eq(stored),
                            known => known,
                        };
                        let Some(equal) = equal else {
                            arrays.abandon(mine);
                            return SharedInsert::NeedsEq(stored);
                        };
                        if equal {
                            match self.publish(arrays, index as usize, value, presence) {
                                Ok(true) => {
                                    arrays.abandon(mine);
                                    return done(removed_passed);
                                }
                                Ok(false) => {}
                                Err(present) => {
                                    arrays.abandon(mine);
                                    return SharedInsert::Present(present);
                                }
                            }
                        }
                        // Removed (just now, perhaps): a place for the key
                        // if it was this key's entry, else a position to pass.
                        let removed = arrays.value_at(index as usize).1 == Value::REMOVED;
                        if removed && !equal {
                            removed_passed += 1;
                        }
                        equal && removed
                    }
                };
                if !free {
                    at = (at + 1) & mask;
                    continue;
                }
                // Arrays being replaced give no key a new position. Were a
                // growth under way, the key's entry seen removed may be
                // one it copied live and that was removed in the copy:
                // this slot, copied live after it, would give the key a
                // second entry there (after the removed one, which a later
                // insertion reuses). The caller helps the growth end.
                if !arrays.successor.load(Acquire).is_null() {
                    arrays.abandon(mine);
                    return SharedInsert::Full;
                }
                let index = match mine {
                    Some(index) => index,
                    None => match arrays.claim_slot(hash, key) {
                        Some(index) => *mine.insert(index),
                        None => return SharedInsert::Full,
                    },
                };
                if arrays.indices[at]
                    .compare_exchange(position, index as u32, AcqRel, Acquire)
                    .is_err()
                {
                    // Another writer took the position: look at what it
                    // holds now (the same position again).
                    continue;
                }
                match self.publish(arrays, index, value, presence) {
                    Ok(true) => return done(removed_passed),
                    // Removed by another thread as soon as it was in (or
                    // moved to a new generation before it was): this
                    // insertion comes after that.
                    Ok(false) => continue 'insertion,
                    // Set by another writer of the key while pending.
                    Err(present) => return SharedInsert::Present(present),
                }
            }
        }
    }

    /// Removes `key` from a *shared* table with no write section (see the
    /// module), returning its entry.
    pub fn remove_shared(
        &self,
        hash: i64,
        key: Value,
        mut fast_eq: impl FnMut(Value) -> Option<bool>,
    ) -> SharedRemove {
        let Some(arrays) = self.current() else {
            return SharedRemove::Absent;
        };
        let mask = arrays.mask();
        let mut at = home(hash, mask);
        let mut removed_passed = 0;
        loop {
            let position = arrays.indices[at].load(Acquire);
            if position == EMPTY {
                return SharedRemove::Absent;
            }
            if position == DELETED {
                removed_passed += 1;
            } else {
                let index = position as usize;
                let slot = &arrays.slots[index];
                let stored = slot.key.load(Acquire);
                let (mut holder, mut current) = arrays.value_at(index);
                if stored.is_null() || current == Value::REMOVED {
                    removed_passed += 1;
                } else if slot.hash.load(Relaxed) == hash && live(current) {
                    let equal = if stored == key {
                        Some(true)
                    } else {
                        fast_eq(stored)
                    };
                    match equal {
                        Some(true) => {
                            while live(current) {
                                match holder.slot().value.swap_if(current, Value::REMOVED) {
                                    Ok(()) => {
                                        // The key stays: a later insertion
                                        // of it reuses this position.
                                        holder.arrays.used.fetch_sub(1, Relaxed);
                                        self.note_change();
                                        return SharedRemove::Removed {
                                            entry: Entry {
                                                hash,
                                                key: stored,
                                                value: current,
                                            },
                                            crowded: removed_passed > CROWDED,
                                        };
                                    }
                                    Err(found) if found == Value::MOVED => {
                                        (holder, current) = holder.reload()
                                    }
                                    Err(found) => current = found,
                                }
                            }
                        }
                        Some(false) => {}
                        None => return SharedRemove::NeedsEq(stored),
                    }
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// Removes the live entry at `index`, returning it.
    pub fn remove_at(&mut self, index: usize) -> Entry {
        let entry = self.entry(index).expect("remove_at: a live entry");
        let arrays = self.current_mut().expect("a live entry has arrays");
        unindex(&arrays.indices, entry.hash, index);
        let slot = &arrays.slots[index];
        slot.key.store(Value::NULL, Relaxed);
        slot.value.store(Value::REMOVED, Relaxed);
        *arrays.used.get_mut() -= 1;
        self.bump_version();
        entry
    }

    /// Removes and returns the last live entry of a *shared* table with no
    /// write section (`dict.popitem`, `set.pop`): a compare-and-swap of its
    /// value to REMOVED, as `remove_shared` does; the key and position
    /// stay. The scan down from the last claimed slot skips `dead_range`
    /// and records the dead run it passed, so that popping the table
    /// empty costs one pass, not one pass per entry.
    pub fn pop_last_shared(&self) -> Option<Entry> {
        let arrays = self.current()?;
        let claimed = arrays.claimed.load(Acquire);
        let known = arrays.dead_range.load(Acquire);
        let (dead_low, dead_high) = ((known >> 32) as usize, (known & 0xFFFF_FFFF) as usize);
        // The end of the run of dead slots just above `index` (removed
        // or abandoned: final while the table is shared).
        let mut dead_end = claimed;
        let mut index = claimed;
        while index > 0 {
            if index == dead_high && dead_low < dead_high {
                index = dead_low;
                continue;
            }
            index -= 1;
            let (mut holder, mut current) = arrays.value_at(index);
            if current.is_null() {
                // Claimed, its insertion not yet published: not dead, and
                // not an entry yet.
                dead_end = index;
                continue;
            }
            while live(current) {
                let slot = holder.slot();
                let key = slot.key.load(Acquire);
                match slot.value.swap_if(current, Value::REMOVED) {
                    Ok(()) => {
                        holder.arrays.used.fetch_sub(1, Relaxed);
                        self.note_change();
                        // [index, dead_end) is dead now. A lost race leaves
                        // the range another popper recorded.
                        let _ = arrays.dead_range.compare_exchange(
                            known,
                            ((index as u64) << 32) | dead_end as u64,
                            AcqRel,
                            Relaxed,
                        );
                        return Some(Entry {
                            hash: slot.hash.load(Relaxed),
                            key,
                            value: current,
                        });
                    }
                    Err(found) if found == Value::MOVED => (holder, current) = holder.reload(),
                    Err(found) => current = found,
                }
            }
        }
        None
    }

    /// Removes and returns the last inserted entry (`dict.popitem`).
    pub fn pop_last(&mut self) -> Option<Entry> {
        let claimed = self.entry_slots();
        let index = (0..claimed)
            .rev()
            .find(|&index| self.entry(index).is_some())?;
        let entry = self.remove_at(index);
        // The slots from `index` on are all dead: hand them out again,
        // cleared, with no position naming one (tidying their runs drops
        // those positions, so that the index does not fill up with
        // deleted ones over many `popitem`s).
        let arrays = self.current_mut().expect("an entry was there");
        *arrays.claimed.get_mut() = index;
        *arrays.dead_range.get_mut() = 0;
        for dead in index..claimed {
            let hash = arrays.slots[dead].hash.load(Relaxed);
            arrays.tidy_run(hash);
            let slot = &arrays.slots[dead];
            slot.hash.store(0, Relaxed);
            slot.key.store(Value::NULL, Relaxed);
            slot.value.store(Value::NULL, Relaxed);
        }
        Some(entry)
    }

    /// Rebuilds the run of positions around `hash`'s home (the positions
    /// between two EMPTY ones) from its live entries alone, dropping the
    /// positions of removed ones (see `CROWDED`); their slots stay dead
    /// until the next growth compacts the slots.
    pub fn tidy_run(&mut self, hash: i64) {
        if let Some(arrays) = self.current_mut() {
            arrays.tidy_run(hash);
        }
    }

    /// Empties the table. A shared one keeps its index length (up to
    /// `CLEARED_SHARED_ROOM`): refilling it would otherwise grow it again
    /// step by step.
    pub fn clear(&mut self) {
        let shared = self.is_shared();
        let keep = match self.current_mut() {
            Some(arrays) if shared => arrays.indices.len().min(CLEARED_SHARED_ROOM),
            _ => 0,
        };
        let arrays = if keep == 0 {
            null_mut()
        } else {
            Box::into_raw(Arrays::with_index_length(keep))
        };
        self.set_arrays(arrays);
        self.bump_version();
    }

    /// Grows the table if every slot is taken (the one change of a shared
    /// table that needs the write borrow when keys are only inserted and
    /// `grow_shared` declines).
    pub fn make_room(&mut self) {
        let full = match self.current_mut() {
            Some(arrays) => *arrays.claimed.get_mut() == arrays.slots.len(),
            None => true,
        };
        if full {
            self.grow();
        }
    }

    /// Moves the live entries, in order, into new arrays sized for them
    /// and as many again (a shared table whose slots went mostly to
    /// removed entries: see `index_length_for_compaction`).
    fn grow(&mut self) {
        let shared = self.is_shared();
        let (live, claimed, index_length) = match self.current_mut() {
            Some(arrays) => (
                *arrays.used.get_mut(),
                *arrays.claimed.get_mut(),
                arrays.indices.len(),
            ),
            None => (0, 0, 0),
        };
        let length = if shared && live * 2 <= claimed {
            index_length_for_compaction(live, index_length)
        } else {
            index_length_after_growth(live)
        };
        let mut new = Arrays::with_index_length(length);
        let mut count = 0;
        if let Some(old) = self.current() {
            for index in 0..claimed {
                if let Some(entry) = old.entry(index) {
                    let slot = &new.slots[count];
                    slot.hash.store(entry.hash, Relaxed);
                    slot.key.store(entry.key, Relaxed);
                    slot.value.store(entry.value, Relaxed);
                    place(&new.indices, &new.slots, entry.hash, count as u32);
                    count += 1;
                }
            }
        }
        *new.claimed.get_mut() = count;
        *new.used.get_mut() = count;
        self.set_arrays(Box::into_raw(new));
        // Entry indices changed (caches of them must not hold).
        self.bump_version();
    }

    /// Grows a full *shared* table with no write section, or helps the
    /// growth under way end (see the module): new arrays with twice the
    /// index length take every slot at the same index, or, when most of
    /// its slots went to entries since removed, new arrays sized for what
    /// is left take the others in order (a compaction). A clear under way
    /// is ended instead (its empty arrays have room). `false` when it must
    /// grow in a write section instead (`make_room`): the last slots of
    /// the growth are still being moved by another thread. `true` when it
    /// has room (grown meanwhile, perhaps by others).
    pub fn grow_shared(&self, retired: &RetiredArrays) -> bool {
        match self.growth() {
            Growth::Room => true,
            Growth::Clearing { old, new } => {
                self.end_clear(old, new, retired);
                true
            }
            Growth::Moving { old, new } => self.help_growth_end(old, new, retired),
        }
    }

    /// Answers a crowded run of positions in a *shared* table (`Crowded`,
    /// `SharedRemove::Removed { crowded }`) with no write section when at
    /// least an eighth of its slots are dead: it compacts (a growth that
    /// takes only what is not removed, see `grow_shared`), whose index
    /// names live entries alone. The table hands out no slot from then on
    /// (`Arrays::close`). The compaction's cost, a pass over the slots, is
    /// paid at most once per eighth of them removed. A growth or clear
    /// under way gives the table a new index anyway: the run is left to
    /// it (after helping the growth). `false` when the caller must tidy
    /// the run in a write section (`tidy_run`): few slots are dead.
    pub fn tidy_shared(&self, retired: &RetiredArrays) -> bool {
        let Some(arrays) = self.current() else {
            return true;
        };
        if arrays.successor.load(Acquire).is_null() {
            let claimed = arrays.claimed.load(Acquire);
            let dead = claimed.saturating_sub(arrays.used.load(Relaxed));
            if dead * 8 < claimed {
                return false;
            }
            arrays.close();
            install_successor(arrays, arrays.compacted());
        }
        self.grow_shared(retired);
        true
    }

    /// Moves chunks of the growth from `old` to `new` while any is left:
    /// whether the growth has ended (`new` current; otherwise the last
    /// chunks are still being moved by other threads).
    fn help_growth_end(&self, old: *mut Arrays, new: *mut Arrays, retired: &RetiredArrays) -> bool {
        while let Some(published) = self.move_chunk(old, new, retired) {
            if published {
                return true;
            }
        }
        // Every chunk is taken, and other threads are moving the last
        // ones: each a copy of at most `MOVE_CHUNK` slots inside one
        // operation, which reaches no safepoint. Give them a few chances
        // to end before the caller falls back on a write section, which
        // would stop every worker to wait for the same copies. Bounded:
        // a mover whose thread is not running (parked in another
        // worker's stop, or descheduled) is left to the section.
        for _ in 0..GROWTH_END_YIELDS {
            if self.arrays.load(Acquire) != old {
                return true;
            }
            std::thread::yield_now();
        }
        self.arrays.load(Acquire) != old
    }

    /// Whether the table has room, or a clear or growth under way (a
    /// growth begun here if it was full).
    fn growth(&self) -> Growth {
        // The pointer itself, not one made from a reference: it goes to
        // `retired`, which frees it as the box it came from.
        let old_pointer = self.arrays.load(Acquire);
        // SAFETY: as in `current`.
        let Some(old) = (unsafe { old_pointer.as_ref() }) else {
            // A table with no arrays yet gets its first ones (another
            // thread's, if it was first).
            install_new_arrays(&self.arrays, Arrays::with_index_length(8));
            return Growth::Room;
        };
        let mut new = old.successor.load(Acquire);
        if new.is_null() {
            // A full table hands out no slot any more: `claimed` stays at
            // the capacity, and every slot moves.
            let claimed = old.claimed.load(Acquire);
            if claimed < old.slots.len() {
                return Growth::Room;
            }
            let successor = if old.used.load(Relaxed) * 2 <= claimed {
                old.compacted()
            } else {
                let mut grown = Arrays::with_index_length(old.indices.len() * 2);
                *grown.claimed.get_mut() = claimed;
                grown
            };
            new = install_successor(old, successor);
        }
        // SAFETY: a successor stays allocated like any generation (see
        // `current`): it is current, or will be, or was, and is retired
        // only once replaced in turn.
        if unsafe { &*new }.slots_to_move == 0 {
            // A clear's new arrays.
            return Growth::Clearing {
                old: old_pointer,
                new,
            };
        }
        Growth::Moving {
            old: old_pointer,
            new,
        }
    }

    /// Moves the next chunk of a growth's slots from `old` to `new` (see
    /// the module): `None` when every chunk is taken; `Some(true)` when it
    /// moved the last and made `new` current, retiring `old`.
    fn move_chunk(
        &self,
        old_pointer: *mut Arrays,
        new_pointer: *mut Arrays,
        retired: &RetiredArrays,
    ) -> Option<bool> {
        // SAFETY: `old` was current when this growth was found, `new` is
        // its successor; both stay allocated while a thread is inside an
        // operation (see `current`).
        let (old, new) = unsafe { (&*old_pointer, &*new_pointer) };
        let total = new.slots_to_move;
        let start = new.move_cursor.fetch_add(MOVE_CHUNK, Relaxed);
        if start >= total {
            return None;
        }
        let end = (start + MOVE_CHUNK).min(total);
        for index in start..end {
            old.move_slot(new, index);
        }
        // The movers' stores are released here and acquired by the last.
        let moved = new.slots_moved.fetch_add(end - start, AcqRel) + (end - start);
        if moved < total {
            return Some(false);
        }
        // Old arrays with a successor are replaced by it alone: they are
        // still current.
        if new.forward.is_empty() {
            self.arrays.store(new_pointer, Release);
        } else {
            // Entry indices change, as in a clear.
            let made_current = self.change_generation(old_pointer, new_pointer);
            debug_assert!(made_current, "only the last mover replaces the arrays");
        }
        retired.push(old_pointer);
        Some(true)
    }

    /// Empties a *shared* table with no write section: new, empty arrays
    /// become current at once; a thread still inside an operation on the
    /// old ones does it before the clear. A growth under way is helped to
    /// its end first; a clear under way is ended, and this one with it
    /// (the table is empty when it ends). `false` when it must clear in a
    /// write section: another thread is moving a growth's last slots.
    pub fn clear_shared(&self, retired: &RetiredArrays) -> bool {
        loop {
            // As in `growth`: the pointer goes to `retired`.
            let old_pointer = self.arrays.load(Acquire);
            // SAFETY: as in `current`.
            let Some(old) = (unsafe { old_pointer.as_ref() }) else {
                return true;
            };
            let successor = old.successor.load(Acquire);
            if !successor.is_null() {
                // SAFETY: as in `growth`.
                if unsafe { &*successor }.slots_to_move == 0 {
                    self.end_clear(old_pointer, successor, retired);
                    return true;
                }
                if !self.help_growth_end(old_pointer, successor, retired) {
                    return false;
                }
                continue;
            }
            let length = old.indices.len().min(CLEARED_SHARED_ROOM);
            let cleared = Arrays::with_index_length(length);
            let Some(new) = install_new_arrays(&old.successor, cleared) else {
                continue;
            };
            self.end_clear(old_pointer, new, retired);
            return true;
        }
    }

    /// Makes a clear's empty arrays `new` current in place of `old`, and
    /// retires `old`: the clearing thread's step, which any thread that
    /// finds the clear under way takes too (whoever comes first makes the
    /// change; the others find it made).
    fn end_clear(&self, old: *mut Arrays, new: *mut Arrays, retired: &RetiredArrays) {
        if self.change_generation(old, new) {
            retired.push(old);
        }
    }

    /// Makes `new` current in place of `old` (whether it did: another
    /// thread may have) where entry indices change (a clear, a
    /// compaction), counted as under way meanwhile: an entry index read
    /// then may belong to either generation, and nobody keeps one
    /// (`settled_version`). The version moves on by one step. Counting,
    /// not a flag: a second change may begin before the first one ends
    /// (once its arrays are current), and the version must stay
    /// unsettled until both have ended. (A cache read from the new arrays
    /// then sees the count or the step, never the version it was filled
    /// at: the count went up before the store that made them current.)
    fn change_generation(&self, old: *mut Arrays, new: *mut Arrays) -> bool {
        self.version_and_shared.fetch_add(1, Release);
        let made_current = self
            .arrays
            .compare_exchange(old, new, AcqRel, Acquire)
            .is_ok();
        self.version_and_shared.fetch_add(VERSION_STEP - 1, Release);
        made_current
    }

    pub fn trace(&self, marker: &mut Marker) {
        if let Some(arrays) = self.current() {
            let claimed = arrays.claimed.load(Acquire);
            for slot in &arrays.slots[..claimed] {
                marker.mark(slot.key.load(Relaxed));
                marker.mark(slot.value.load(Relaxed));
            }
        }
    }
}

impl Arrays {
    /// Moves slot `index` to `new`, a growth's arrays (at the same index,
    /// or at the one `forward` gives in a compaction), and indexes it
    /// there if it holds an entry: the value word becomes MOVED once the
    /// copy is written (a writer that changed it first makes it copy
    /// again); from then on the slot's readers and writers go on in `new`.
    /// A removed or abandoned slot, or one still being inserted (that
    /// writer finds it gone and starts again), is dead there; one removed
    /// before a compaction began stays here, dead (nothing changes a
    /// removed slot). A key has at most one slot copied live (see
    /// `insert_shared`), so the order in which movers index theirs does
    /// not matter.
    fn move_slot(&self, new: &Arrays, index: usize) {
        let slot = &self.slots[index];
        let to = new.forwarded(index);
        if to == NOT_FORWARDED as usize {
            return;
        }
        let moved = &new.slots[to];
        let mut value = slot.value.load(Acquire);
        loop {
            // After the value: an insertion still pending when the mover
            // began writes its hash before it publishes.
            let hash = slot.hash.load(Relaxed);
            moved.hash.store(hash, Relaxed);
            let entry = live(value);
            if entry {
                moved.key.store(slot.key.load(Acquire), Relaxed);
                moved.value.store(value, Relaxed);
                // Before the MOVED: a removal in `new` counts down after.
                new.used.fetch_add(1, Relaxed);
            } else {
                moved.key.store(Value::NULL, Relaxed);
                moved.value.store(Value::REMOVED, Relaxed);
            }
            match slot.value.swap_if(value, Value::MOVED) {
                Ok(()) => {
                    if entry {
                        place_moved(&new.indices, hash, to as u32);
                    }
                    return;
                }
                Err(found) => {
                    if entry {
                        new.used.fetch_sub(1, Relaxed);
                    }
                    value = found;
                }
            }
        }
    }

    /// Arrays for a compaction of these, full ones: every slot not removed
    /// yet (a removed one stays dead) gets the next index there, in order,
    /// and the index is sized for them (`index_length_for_compaction`).
    /// A slot removed after this pass still gets its index, dead there.
    fn compacted(&self) -> Box<Arrays> {
        let mut kept = 0;
        let forward: Box<[u32]> = self
            .slots
            .iter()
            .map(|slot| {
                if slot.value.load(Acquire) == Value::REMOVED {
                    NOT_FORWARDED
                } else {
                    kept += 1;
                    kept - 1
                }
            })
            .collect();
        let length = index_length_for_compaction(kept as usize, self.indices.len());
        let mut compacted = Arrays::with_index_length(length);
        compacted.forward = forward;
        *compacted.claimed.get_mut() = kept as usize;
        compacted
    }

    /// `DictTable::tidy_run` (under the write borrow).
    fn tidy_run(&self, hash: i64) {
        let mask = self.mask();
        let mut start = home(hash, mask);
        // The index is at most two-thirds full: both walks meet an EMPTY.
        while self.indices[(start + mask) & mask].load(Relaxed) != EMPTY {
            start = (start + mask) & mask;
        }
        let mut live = Vec::new();
        let mut at = start;
        loop {
            let position = self.indices[at].load(Relaxed);
            if position == EMPTY {
                break;
            }
            self.indices[at].store(EMPTY, Relaxed);
            if position != DELETED && self.entry(position as usize).is_some() {
                live.push(position);
            }
            at = (at + 1) & mask;
        }
        for index in live {
            let hash = self.slots[index as usize].hash.load(Relaxed);
            place(&self.indices, &self.slots, hash, index);
        }
    }
}

/// Stores `arrays` into `place` (a table's current arrays, or a
/// generation's successor) if it is still null; `None`, and `arrays`
/// freed, if another thread's are there.
fn install_new_arrays(place: &AtomicPtr<Arrays>, arrays: Box<Arrays>) -> Option<*mut Arrays> {
    let new = Box::into_raw(arrays);
    match place.compare_exchange(null_mut(), new, AcqRel, Acquire) {
        Ok(_) => Some(new),
        Err(_) => {
            // SAFETY: never published: this thread's own allocation.
            drop(unsafe { Box::from_raw(new) });
            None
        }
    }
}

/// Names `successor`, arrays to move every slot of `old` into, as `old`'s
/// successor, unless another thread named one first: the one named.
fn install_successor(old: &Arrays, mut successor: Box<Arrays>) -> *mut Arrays {
    successor.slots_to_move = old.slots.len();
    install_new_arrays(&old.successor, successor).unwrap_or_else(|| old.successor.load(Acquire))
}

/// Puts slot `index` at the first EMPTY position of `hash`'s probe in a
/// growth's new arrays, which the threads moving slots index at once
/// (compare-and-swap) and nobody else reads or writes yet.
fn place_moved(indices: &[AtomicU32], hash: i64, index: u32) {
    let mask = indices.len() - 1;
    let mut at = home(hash, mask);
    while indices[at]
        .compare_exchange(EMPTY, index, Relaxed, Relaxed)
        .is_err()
    {
        at = (at + 1) & mask;
    }
}

/// Puts slot `index` at the first free position of `hash`'s probe: an
/// EMPTY or DELETED one, or one naming a removed entry. (Under the write
/// borrow: no probe of another thread runs meanwhile. Taking the first
/// one keeps the rule the shared paths rely on: no position of a key
/// comes after an EMPTY position or a removed entry of that key.)
fn place(indices: &[AtomicU32], slots: &[Slot], hash: i64, index: u32) {
    let mask = indices.len() - 1;
    let mut at = home(hash, mask);
    loop {
        match indices[at].load(Relaxed) {
            EMPTY | DELETED => break,
            taken if !live(slots[taken as usize].value.load(Relaxed)) => break,
            _ => at = (at + 1) & mask,
        }
    }
    indices[at].store(index, Relaxed);
}

/// Marks the position naming slot `index` (if any) deleted.
fn unindex(indices: &[AtomicU32], hash: i64, index: usize) {
    if indices.is_empty() {
        return;
    }
    let mask = indices.len() - 1;
    let mut at = home(hash, mask);
    loop {
        match indices[at].load(Relaxed) {
            EMPTY => return,
            position if position as usize == index => {
                indices[at].store(DELETED, Relaxed);
                return;
            }
            _ => at = (at + 1) & mask,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(n: i64) -> Value {
        Value::small_int(n).unwrap()
    }

    fn find(table: &DictTable, n: i64, hash: i64) -> Option<usize> {
        match table.probe(hash, |key| Some(key == int(n))) {
            Probe::Found(index, _) => Some(index),
            _ => None,
        }
    }

    fn same(n: i64) -> impl FnMut(Value) -> Option<bool> {
        move |key| Some(key == int(n))
    }

    #[test]
    fn equal_hashes_do_not_make_equal_keys() {
        let mut table = DictTable::new();
        for n in 0..100 {
            table.insert_new(7, int(n), int(n * 10));
        }
        assert_eq!(table.len(), 100);
        for n in 0..100 {
            let index = find(&table, n, 7).unwrap();
            assert_eq!(table.entry(index).unwrap().value(), int(n * 10));
        }
        assert!(find(&table, 100, 7).is_none());
    }

    #[test]
    fn removal_keeps_order_and_probing() {
        let mut table = DictTable::new();
        for n in 0..50 {
            table.insert_new(n % 5, int(n), Value::NONE);
        }
        for n in (0..50).step_by(2) {
            let index = find(&table, n, n % 5).unwrap();
            table.remove_at(index);
        }
        assert_eq!(table.len(), 25);
        let keys: Vec<i64> = table
            .keys()
            .iter()
            .map(|key| key.as_small_int().unwrap())
            .collect();
        assert_eq!(keys, (1..50).step_by(2).collect::<Vec<_>>());
        for n in 50..200 {
            table.insert_new(n % 5, int(n), Value::NONE);
        }
        assert!(find(&table, 199, 4).is_some());
        assert!(find(&table, 2, 2).is_none());
    }

    #[test]
    fn needs_eq_reports_undecidable_candidates() {
        let mut table = DictTable::new();
        table.insert_new(1, int(1), Value::NONE);
        assert!(matches!(table.probe(1, |_| None), Probe::NeedsEq(ref c) if c.len() == 1));
    }

    #[test]
    fn shared_paths_insert_rebind_and_remove_in_order() {
        let table = DictTable::with_capacity(16);
        for n in 0..10 {
            assert!(matches!(
                table.insert_shared(n % 3, int(n), int(n), Presence::Replace, same(n)),
                SharedInsert::Done
            ));
        }
        assert!(matches!(
            table.insert_shared(4 % 3, int(4), int(40), Presence::Replace, same(4)),
            SharedInsert::Done
        ));
        assert_eq!(table.len(), 10);
        assert!(matches!(
            table.remove_shared(2, int(2), same(2)),
            SharedRemove::Removed { entry, .. } if entry.value() == int(2)
        ));
        assert!(matches!(
            table.remove_shared(2, int(2), same(2)),
            SharedRemove::Absent
        ));
        // Inserted again, the key goes to the end (as in CPython).
        assert!(matches!(
            table.insert_shared(2, int(2), int(20), Presence::Replace, same(2)),
            SharedInsert::Done
        ));
        let items: Vec<(i64, i64)> = table
            .items()
            .iter()
            .map(|(key, value)| (key.as_small_int().unwrap(), value.as_small_int().unwrap()))
            .collect();
        assert_eq!(
            items,
            vec![
                (0, 0),
                (1, 1),
                (3, 3),
                (4, 40),
                (5, 5),
                (6, 6),
                (7, 7),
                (8, 8),
                (9, 9),
                (2, 20)
            ]
        );
        assert!(matches!(
            table.insert_shared(0, int(99), Value::NONE, Presence::Replace, |_| None),
            SharedInsert::NeedsEq(_)
        ));
    }

    /// What `ops` does with a shared table's outcomes (tidying a crowded
    /// run needs the write borrow: a write section in the engine).
    fn churn(table: &mut DictTable, n: i64) {
        match table.insert_shared(0, int(n), int(n), Presence::Replace, same(n)) {
            SharedInsert::Done => {}
            SharedInsert::Crowded => table.tidy_run(0),
            SharedInsert::Full => {
                table.grow();
                table.insert_new(0, int(n), int(n));
            }
            SharedInsert::NeedsEq(_) | SharedInsert::Present(_) => unreachable!(),
        }
        match table.remove_shared(0, int(n), same(n)) {
            SharedRemove::Removed { crowded, .. } => {
                if crowded {
                    table.tidy_run(0)
                }
            }
            _ => panic!("key {n} not found"),
        }
    }

    #[test]
    fn a_key_inserted_and_removed_over_and_over_keeps_its_probe_short() {
        let mut table = DictTable::with_capacity(if cfg!(miri) { 512 } else { 4096 });
        for n in 1..=100 {
            table.insert_new(n, int(n), int(n));
        }
        // Far more rounds than positions a probe may pass (`CROWDED`).
        let rounds = if cfg!(miri) { 200 } else { 3000 };
        for _ in 0..rounds {
            churn(&mut table, 0);
        }
        let taken = table
            .current()
            .unwrap()
            .indices
            .iter()
            .filter(|position| position.load(Relaxed) != EMPTY)
            .count();
        assert!(
            taken <= 100 + CROWDED as usize + 2,
            "{taken} positions taken"
        );
        assert_eq!(table.len(), 100);
        assert!(find(&table, 0, 0).is_none());
        for n in 1..=100 {
            assert_eq!(find(&table, n, n), Some(n as usize - 1));
        }
    }

    #[test]
    fn popitem_over_and_over_does_not_fill_the_index() {
        let mut table = DictTable::new();
        for n in 0..6 {
            table.insert_new(n, int(n), Value::NONE);
        }
        let rounds = if cfg!(miri) { 300 } else { 10_000 };
        for round in 0..rounds {
            let last = table.pop_last().unwrap();
            // Another hash each time: the same home would reuse the position.
            let key = 100 + round;
            table.insert_new(key * 7919, int(key), Value::NONE);
            assert_eq!(table.len(), 6, "after popping {:?}", last.key);
        }
        let taken = table
            .current()
            .unwrap()
            .indices
            .iter()
            .filter(|position| position.load(Relaxed) != EMPTY)
            .count();
        assert_eq!(taken, 6);
    }

    #[test]
    fn a_full_shared_table_asks_for_growth() {
        let table = DictTable::with_capacity(1);
        let capacity = table.current().unwrap().slots.len();
        for n in 0..capacity as i64 {
            assert!(matches!(
                table.insert_shared(n, int(n), Value::NONE, Presence::Replace, same(n)),
                SharedInsert::Done
            ));
        }
        assert!(matches!(
            table.insert_shared(-1, int(-1), Value::NONE, Presence::Replace, same(-1)),
            SharedInsert::Full
        ));
        assert_eq!(table.len(), capacity);
    }

    #[test]
    fn pop_last_hands_dead_slots_out_again() {
        let table = DictTable::with_capacity(8);
        for n in 0..6 {
            table.insert_shared(n, int(n), Value::NONE, Presence::Replace, same(n));
        }
        table.remove_shared(5, int(5), same(5));
        table.remove_shared(4, int(4), same(4));
        let mut table = table;
        let last = table.pop_last().unwrap();
        assert_eq!(last.key, int(3));
        assert_eq!(table.entry_slots(), 3);
        table.insert_new(4, int(4), Value::NONE);
        assert!(find(&table, 4, 4).is_some());
        assert!(find(&table, 5, 5).is_none());
        assert_eq!(table.keys(), vec![int(0), int(1), int(2), int(4)]);
    }

    fn keys_of(table: &DictTable) -> Vec<i64> {
        table
            .keys()
            .iter()
            .map(|key| key.as_small_int().unwrap())
            .collect()
    }

    #[test]
    fn pop_last_shared_pops_newest_first_through_dead_runs_and_new_entries() {
        let table = DictTable::with_capacity(64);
        for n in 0..10 {
            table.insert_shared(n, int(n), int(n * 10), Presence::Replace, same(n));
        }
        // Removed entries at the end and in the middle are skipped.
        table.remove_shared(9, int(9), same(9));
        table.remove_shared(7, int(7), same(7));
        let popped = table.pop_last_shared().unwrap();
        assert_eq!((popped.key, popped.value()), (int(8), int(80)));
        assert_eq!(table.pop_last_shared().unwrap().key, int(6));
        // Entries inserted after pops come out first, then the older ones
        // below the recorded dead run.
        table.insert_shared(20, int(20), int(200), Presence::Replace, same(20));
        table.insert_shared(21, int(21), int(210), Presence::Replace, same(21));
        table.remove_shared(21, int(21), same(21));
        assert_eq!(table.pop_last_shared().unwrap().key, int(20));
        assert_eq!(table.pop_last_shared().unwrap().key, int(5));
        // A key popped is gone to lookups, and may come back.
        assert!(find(&table, 5, 5).is_none());
        table.insert_shared(5, int(5), int(55), Presence::Replace, same(5));
        assert_eq!(keys_of(&table), vec![0, 1, 2, 3, 4, 5]);
        assert_eq!(table.len(), 6);
        let mut rest = Vec::new();
        while let Some(entry) = table.pop_last_shared() {
            rest.push(entry.key.as_small_int().unwrap());
        }
        assert_eq!(rest, vec![5, 4, 3, 2, 1, 0]);
        assert!(table.is_empty());
        assert!(table.pop_last_shared().is_none());
    }

    #[test]
    fn an_insertion_not_yet_published_is_neither_popped_nor_skipped_for_good() {
        let table = DictTable::with_capacity(16);
        for n in 0..3 {
            table.insert_shared(n, int(n), int(n), Presence::Replace, same(n));
        }
        // A slot claimed by a writer that has not published its value yet.
        let arrays = table.current().unwrap();
        let pending = arrays.claim_slot(7, int(7)).unwrap();
        assert_eq!(table.pop_last_shared().unwrap().key, int(2));
        assert!(table.fill_empty(arrays, pending, int(70)).unwrap());
        assert_eq!(table.pop_last_shared().unwrap().key, int(7));
        assert_eq!(table.pop_last_shared().unwrap().key, int(1));
    }

    #[test]
    fn threads_popping_one_shared_table_take_each_entry_once() {
        let count: i64 = if cfg!(miri) { 60 } else { 20_000 };
        let table = DictTable::with_capacity(count as usize * 2);
        for n in 0..count {
            table.insert_shared(n, int(n), int(n), Presence::Replace, same(n));
        }
        let table = &table;
        let popped: Vec<Vec<i64>> = std::thread::scope(|scope| {
            let poppers: Vec<_> = (0..4)
                .map(|thread| {
                    scope.spawn(move || {
                        let mut mine = Vec::new();
                        let mut next = count + thread * count;
                        while let Some(entry) = table.pop_last_shared() {
                            mine.push(entry.key.as_small_int().unwrap());
                            // Now and then a new entry, popped by someone.
                            if mine.len() % 7 == 0 && next < count + thread * count + count / 20 {
                                table.insert_shared(
                                    next,
                                    int(next),
                                    int(0),
                                    Presence::Replace,
                                    same(next),
                                );
                                next += 1;
                            }
                        }
                        mine
                    })
                })
                .collect();
            poppers
                .into_iter()
                .map(|popper| popper.join().unwrap())
                .collect()
        });
        let mut all: Vec<i64> = popped.concat();
        let total = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), total, "an entry was popped twice");
        assert!(all.iter().take(count as usize).copied().eq(0..count));
        assert!(table.is_empty());
        // Each thread's own pops come newest first among the original keys.
        for mine in &popped {
            let original: Vec<i64> = mine.iter().copied().filter(|&n| n < count).collect();
            assert!(original.windows(2).all(|pair| pair[0] > pair[1]));
        }
    }

    /// Positions a probe for key `n` (hash `n`, as for an int) reads
    /// before it meets the key.
    fn probe_length(table: &DictTable, n: i64) -> usize {
        let arrays = table.current().unwrap();
        let mask = arrays.mask();
        let mut at = home(n, mask);
        let mut read = 1;
        loop {
            let position = arrays.indices[at].load(Relaxed);
            assert_ne!(position, EMPTY, "key {n} not found");
            if position != DELETED && arrays.slots[position as usize].key.load(Relaxed) == int(n) {
                return read;
            }
            read += 1;
            at = (at + 1) & mask;
        }
    }

    #[test]
    fn ints_in_progressions_or_interleaved_ranges_do_not_pile_up() {
        let count = if cfg!(miri) { 200 } else { 20_000 };
        let progressions = [1, 16, 4096, 1 << 20, 1 << 32]
            .map(|stride| (0..count).map(|i| i * stride).collect::<Vec<i64>>());
        // Two ranges inserted in turn: 0, far, 1, far + 1, ...
        let interleaved: Vec<i64> = (0..count / 2).flat_map(|i| [i, 10 * count + i]).collect();
        let negative: Vec<i64> = (0..count).map(|i| -i).collect();
        for keys in progressions.iter().chain([&interleaved, &negative]) {
            let mut table = DictTable::new();
            for &key in keys {
                table.insert_new(key, int(key), Value::NONE);
            }
            let lengths: Vec<usize> = keys.iter().map(|&key| probe_length(&table, key)).collect();
            let mean = lengths.iter().sum::<usize>() as f64 / count as f64;
            let longest = lengths.iter().max().copied().unwrap_or(0);
            assert!(mean < 3.5, "keys {:?}...: mean probe {mean}", &keys[..4]);
            assert!(
                longest < 16,
                "keys {:?}...: longest probe {longest}",
                &keys[..4]
            );
        }
    }

    /// Inserts through the shared path, growing with no write borrow (and
    /// trying again while another thread grows the table).
    fn insert_growing(table: &DictTable, retired: &RetiredArrays, n: i64, value: i64) {
        let mut declined = 0;
        loop {
            match table.insert_shared(n, int(n), int(value), Presence::Replace, same(n)) {
                SharedInsert::Done | SharedInsert::Crowded | SharedInsert::Present(_) => return,
                SharedInsert::Full => {
                    if !table.grow_shared(retired) {
                        declined += 1;
                        assert!(declined < 1_000_000, "only a write section could grow it");
                        std::thread::yield_now();
                    }
                }
                SharedInsert::NeedsEq(_) => unreachable!("ints compare natively"),
            }
        }
    }

    #[test]
    fn a_shared_table_grows_without_the_write_borrow_and_keeps_entry_indices() {
        let retired = RetiredArrays::default();
        let table = DictTable::with_capacity(4);
        let first_slots = table.current().unwrap().slots.len();
        for n in 0..40 {
            insert_growing(&table, &retired, n, n * 10);
        }
        assert!(retired.len() >= 2, "grew {} times", retired.len());
        assert!(table.current().unwrap().slots.len() > first_slots);
        assert_eq!(table.len(), 40);
        // Entries keep their slots (an index found before a growth still
        // names its key after it), in insertion order.
        for n in 0..40 {
            assert_eq!(find(&table, n, n), Some(n as usize));
            assert_eq!(
                table
                    .entry_of_key(n as usize, int(n))
                    .unwrap()
                    .unwrap()
                    .value(),
                int(n * 10)
            );
        }
        assert_eq!(table.keys(), (0..40).map(int).collect::<Vec<_>>());
        // A reader still holding the first generation is sent on to the
        // current one for every slot: values changed since are seen.
        let oldest = retired.len();
        assert!(oldest > 0);
        let first = {
            let mut at = retired.head.load(Acquire);
            // SAFETY: (a test) the list is not freed until the end.
            unsafe {
                while !(*at).next_retired.load(Relaxed).is_null() {
                    at = (*at).next_retired.load(Relaxed);
                }
                &*at
            }
        };
        table.insert_shared(2, int(2), int(-2), Presence::Replace, same(2));
        assert!(matches!(
            table.remove_shared(3, int(3), same(3)),
            SharedRemove::Removed { .. }
        ));
        assert_eq!(first.entry(2).unwrap().value(), int(-2));
        assert!(first.entry(3).is_none());
        assert_eq!(first.value_at(1).1, int(10));
        // SAFETY: no other thread; nothing reads the old generations now.
        unsafe { retired.free_all() };
        assert!(retired.is_empty());
        assert_eq!(table.len(), 39);
    }

    /// A shared table of `count` entries (key n, value n), every slot
    /// taken, with a growth begun and its first chunk moved.
    fn a_growth_one_chunk_in(
        count: i64,
        retired: &RetiredArrays,
    ) -> (DictTable, *mut Arrays, *mut Arrays) {
        let table = DictTable::with_capacity(count as usize);
        for n in 0..count {
            insert_growing(&table, retired, n, n);
        }
        let slots = table.current().unwrap().slots.len() as i64;
        for n in count..slots {
            insert_growing(&table, retired, n, n);
        }
        assert!(retired.is_empty(), "no growth while filling");
        let Growth::Moving { old, new } = table.growth() else {
            panic!("a full table begins a growth");
        };
        assert_eq!(table.move_chunk(old, new, retired), Some(false));
        (table, old, new)
    }

    #[test]
    fn a_growth_under_way_is_helped_to_its_end_by_the_next_writer() {
        let retired = RetiredArrays::default();
        let (table, old, new) = a_growth_one_chunk_in(3 * MOVE_CHUNK as i64, &retired);
        let moved = 5; // in the first chunk
        let unmoved = 2 * MOVE_CHUNK as i64 + 5;
        assert_eq!(table.arrays.load(Acquire), old, "still current");
        // Both halves are read and changed through the old arrays.
        for n in [moved, unmoved] {
            assert_eq!(table.find_value(n, |key| key == int(n)), Some(int(n)));
            assert!(matches!(
                table.insert_shared(n, int(n), int(-n), Presence::Replace, same(n)),
                SharedInsert::Done
            ));
        }
        for n in [moved + 1, unmoved + 1] {
            assert!(matches!(
                table.remove_shared(n, int(n), same(n)),
                SharedRemove::Removed { .. }
            ));
        }
        // A new key needs the new arrays: its writer helps move the rest.
        let fresh = 100_000;
        assert!(matches!(
            table.insert_shared(fresh, int(fresh), int(1), Presence::Replace, same(fresh)),
            SharedInsert::Full
        ));
        assert!(table.grow_shared(&retired));
        assert_eq!(table.arrays.load(Acquire), new, "the growth ended");
        assert_eq!(table.move_chunk(old, new, &retired), None);
        assert_eq!(retired.len(), 1);
        insert_growing(&table, &retired, fresh, 1);
        let slots = table.entry_slots() as i64;
        assert_eq!(table.len() as i64, slots - 2);
        for n in 0..slots - 1 {
            let expected = match n {
                _ if n == moved || n == unmoved => Some(int(-n)),
                _ if n == moved + 1 || n == unmoved + 1 => None,
                _ => Some(int(n)),
            };
            assert_eq!(
                table.find_value(n, |key| key == int(n)),
                expected,
                "key {n}"
            );
            if expected.is_some() {
                assert_eq!(
                    find(&table, n, n),
                    Some(n as usize),
                    "key {n} kept its index"
                );
            }
        }
        assert_eq!(
            table.find_value(fresh, |key| key == int(fresh)),
            Some(int(1))
        );
        // SAFETY: no other thread; nothing reads the old generations now.
        unsafe { retired.free_all() };
    }

    #[test]
    fn a_clear_during_a_growth_ends_the_growth_then_clears() {
        let retired = RetiredArrays::default();
        let (table, old, new) = a_growth_one_chunk_in(2 * MOVE_CHUNK as i64, &retired);
        assert!(table.clear_shared(&retired));
        assert_eq!(retired.len(), 2, "the grown arrays, then those");
        let current = table.arrays.load(Acquire);
        assert!(current != old && current != new);
        assert!(table.is_empty());
        assert_eq!(table.entry_slots(), 0);
        assert!(table.settled_version().is_some());
        insert_growing(&table, &retired, 7, 70);
        assert_eq!(table.keys(), [int(7)]);
        // SAFETY: no other thread; nothing reads the old generations now.
        unsafe { retired.free_all() };
    }

    /// A full shared table of `slots` entries (key n, value n) of which
    /// only the keys `kept` selects are still in.
    fn a_full_table_mostly_removed(
        count: i64,
        kept: impl Fn(i64) -> bool,
        retired: &RetiredArrays,
    ) -> DictTable {
        let table = DictTable::with_capacity(count as usize);
        let slots = table.current().unwrap().slots.len() as i64;
        for n in 0..slots {
            insert_growing(&table, retired, n, n);
        }
        for n in (0..slots).filter(|&n| !kept(n)) {
            table.remove_shared(n, int(n), same(n));
        }
        assert!(retired.is_empty(), "no growth while filling");
        table
    }

    #[test]
    fn a_mostly_removed_shared_table_compacts_without_the_write_borrow() {
        let retired = RetiredArrays::default();
        let kept = |n: i64| n % 5 == 1;
        let table = a_full_table_mostly_removed(40, kept, &retired);
        let slots = table.entry_slots() as i64;
        let live: Vec<i64> = (0..slots).filter(|&n| kept(n)).collect();
        let index_of_last = find(&table, live[3], live[3]).unwrap();
        let before = table.version();
        assert!(matches!(
            table.insert_shared(999, int(999), int(9), Presence::Replace, same(999)),
            SharedInsert::Full
        ));
        assert!(table.grow_shared(&retired));
        assert_eq!(retired.len(), 1);
        assert_eq!(
            table.version(),
            before + VERSION_STEP,
            "entry indices changed: the version moved, and settled"
        );
        // Only the live entries were kept, in order, at the first indices.
        assert_eq!(table.entry_slots(), live.len());
        assert_eq!(table.len(), live.len());
        assert_eq!(keys_of(&table), live);
        for (index, &n) in live.iter().enumerate() {
            assert_eq!(find(&table, n, n), Some(index));
            assert_eq!(table.find_value(n, |key| key == int(n)), Some(int(n)));
        }
        // An index found before names another key now (or none).
        assert!(table.entry_of_key(index_of_last, int(live[3])).is_err());
        insert_growing(&table, &retired, 999, 9);
        assert_eq!(table.keys().last(), Some(&int(999)));
        assert_eq!(table.len(), live.len() + 1);
        // SAFETY: no other thread; nothing reads the old generations now.
        unsafe { retired.free_all() };
    }

    #[test]
    fn a_crowded_shared_table_with_dead_slots_compacts_instead_of_tidying() {
        let retired = RetiredArrays::default();
        let table = DictTable::with_capacity(64);
        let slots = table.current().unwrap().slots.len();
        for n in 0..40 {
            insert_growing(&table, &retired, n, n);
        }
        // Few dead slots: the run is tidied in a write section.
        table.remove_shared(0, int(0), same(0));
        assert!(!table.tidy_shared(&retired));
        assert!(retired.is_empty());
        for n in 1..20 {
            table.remove_shared(n, int(n), same(n));
        }
        let before = table.version();
        assert!(table.tidy_shared(&retired));
        assert_eq!(retired.len(), 1, "compacted");
        assert_eq!(table.version(), before + VERSION_STEP);
        assert_eq!(keys_of(&table), (20..40).collect::<Vec<_>>());
        assert_eq!(table.entry_slots(), 20);
        // The slots never handed out were closed, not carried over.
        let current = table.current().unwrap();
        assert!(current.slots.len() >= slots, "room again");
        for n in 20..40 {
            assert_eq!(find(&table, n, n), Some(n as usize - 20));
        }
        insert_growing(&table, &retired, 100, 1);
        assert_eq!(table.keys().last(), Some(&int(100)));
        assert_eq!(retired.len(), 1, "the insertion had room");
        // SAFETY: no other thread; nothing reads the old generations now.
        unsafe { retired.free_all() };
    }

    #[test]
    fn a_compaction_under_way_sends_readers_and_writers_to_the_new_indices() {
        let retired = RetiredArrays::default();
        let kept = |n: i64| n % 4 == 0;
        let table = a_full_table_mostly_removed(3 * MOVE_CHUNK as i64, kept, &retired);
        let slots = table.entry_slots() as i64;
        let Growth::Moving { old, new } = table.growth() else {
            panic!("a full table begins a growth");
        };
        assert_eq!(table.move_chunk(old, new, &retired), Some(false));
        // SAFETY: (a test) both stay allocated until `free_all` below.
        let (old_arrays, new_arrays) = unsafe { (&*old, &*new) };
        assert_eq!(new_arrays.forward.len(), slots as usize);
        assert_eq!(new_arrays.forwarded(8), 2, "keys 0 and 4 before it");
        assert_eq!(new_arrays.forward[9], NOT_FORWARDED, "removed before");
        let moved = 8; // in the first chunk
        let unmoved = 2 * MOVE_CHUNK as i64 + 8;
        assert_eq!(table.arrays.load(Acquire), old, "still current");
        // Both halves are read and changed through the old arrays; those
        // moved at the index their place in the live ones gives.
        for n in [moved, unmoved] {
            assert_eq!(table.find_value(n, |key| key == int(n)), Some(int(n)));
            assert!(matches!(
                table.insert_shared(n, int(n), int(-n), Presence::Replace, same(n)),
                SharedInsert::Done
            ));
            assert_eq!(table.entry(n as usize).unwrap().value(), int(-n));
        }
        assert_eq!(new_arrays.slots[2].value.load(Acquire), int(-moved));
        assert_eq!(old_arrays.value_at(8).0.index, 2);
        for n in [moved + 4, unmoved + 4] {
            assert!(matches!(
                table.remove_shared(n, int(n), same(n)),
                SharedRemove::Removed { .. }
            ));
            assert!(table.entry(n as usize).is_none());
        }
        assert!(matches!(
            table.remove_shared(moved + 1, int(moved + 1), same(moved + 1)),
            SharedRemove::Absent
        ));
        // A new key needs the new arrays: its writer helps move the rest.
        let fresh = 100_000;
        assert!(matches!(
            table.insert_shared(fresh, int(fresh), int(1), Presence::Replace, same(fresh)),
            SharedInsert::Full
        ));
        assert!(table.grow_shared(&retired));
        assert_eq!(table.arrays.load(Acquire), new, "the compaction ended");
        assert!(table.settled_version().is_some());
        insert_growing(&table, &retired, fresh, 1);
        let expected: Vec<(i64, i64)> = (0..slots)
            .filter(|&n| kept(n) && n != moved + 4 && n != unmoved + 4)
            .map(|n| (n, if n == moved || n == unmoved { -n } else { n }))
            .chain([(fresh, 1)])
            .collect();
        let found: Vec<(i64, i64)> = table
            .items()
            .iter()
            .map(|(key, value)| (key.as_small_int().unwrap(), value.as_small_int().unwrap()))
            .collect();
        assert_eq!(found, expected);
        assert_eq!(table.len(), expected.len());
        for (n, value) in expected {
            assert_eq!(table.find_value(n, |key| key == int(n)), Some(int(value)));
        }
        // SAFETY: no other thread; nothing reads the old generations now.
        unsafe { retired.free_all() };
    }

    #[test]
    fn an_empty_shared_table_gets_its_first_arrays_without_the_write_borrow() {
        let retired = RetiredArrays::default();
        let table = DictTable::new();
        assert!(matches!(
            table.insert_shared(1, int(1), int(10), Presence::Replace, same(1)),
            SharedInsert::Full
        ));
        assert!(table.grow_shared(&retired));
        insert_growing(&table, &retired, 1, 10);
        assert_eq!(table.keys(), [int(1)]);
        assert!(retired.is_empty(), "nothing replaced");
    }

    #[test]
    fn a_clear_under_way_is_ended_by_the_next_clear_or_writer_that_finds_it() {
        for next_is_a_clear in [true, false] {
            let retired = RetiredArrays::default();
            let table = DictTable::with_capacity(8);
            for n in 0..5 {
                insert_growing(&table, &retired, n, n);
            }
            let before = table.version();
            // Another thread's clear, stopped after naming its arrays.
            let old = table.arrays.load(Acquire);
            // SAFETY: (a test) current, allocated until the end.
            let pending =
                install_new_arrays(unsafe { &(*old).successor }, Arrays::with_index_length(8))
                    .unwrap();
            assert_eq!(table.len(), 5, "not cleared yet");
            if next_is_a_clear {
                assert!(table.clear_shared(&retired));
            } else {
                assert!(matches!(
                    table.insert_shared(9, int(9), int(9), Presence::Replace, same(9)),
                    SharedInsert::Full
                ));
                assert!(table.grow_shared(&retired));
                insert_growing(&table, &retired, 9, 9);
            }
            assert_eq!(table.arrays.load(Acquire), pending, "the clear ended");
            assert_eq!(retired.len(), 1);
            let expected: Vec<i64> = if next_is_a_clear { vec![] } else { vec![9] };
            assert_eq!(keys_of(&table), expected);
            let after = table.settled_version().expect("settled");
            assert!(after > before);
            // The clearing thread goes on: it finds the change made.
            table.end_clear(old, pending, &retired);
            assert_eq!(retired.len(), 1, "retired once");
            assert_eq!(keys_of(&table), expected);
            assert!(table.settled_version().is_some());
            // SAFETY: no other thread; nothing reads the old generations now.
            unsafe { retired.free_all() };
        }
    }

    #[test]
    fn overlapping_generation_changes_keep_the_version_unsettled_until_both_end() {
        // A second clear or compaction may begin on the arrays the first
        // made current before the first counted itself out: the version
        // must not look settled between the second's swap and its end.
        let retired = RetiredArrays::default();
        let table = DictTable::with_capacity(8);
        insert_growing(&table, &retired, 1, 1);
        table.note_shared();
        let before = table.settled_version().expect("settled");
        assert!(table.is_shared());
        let word = &table.version_and_shared;
        let first = install_new_arrays(&AtomicPtr::new(null_mut()), Arrays::with_index_length(8));
        let second = install_new_arrays(&AtomicPtr::new(null_mut()), Arrays::with_index_length(8));
        let (first, second) = (first.unwrap(), second.unwrap());
        // The first change: counted in, made current, not counted out yet.
        word.fetch_add(1, Release);
        let original = table.arrays.swap(first, Release);
        assert_eq!(table.settled_version(), None);
        // The second begins and ends meanwhile.
        retired.push(first);
        assert!(table.change_generation(first, second));
        assert_eq!(
            table.settled_version(),
            None,
            "the first is still under way"
        );
        table.note_change();
        assert_eq!(table.settled_version(), None);
        // The first ends.
        word.fetch_add(VERSION_STEP - 1, Release);
        let after = table.settled_version().expect("both ended");
        assert_eq!(after, before + 3 * VERSION_STEP);
        assert!(table.is_shared(), "the count never touches the flag");
        retired.push(original);
        // SAFETY: no other thread; nothing reads the old generations now.
        unsafe { retired.free_all() };
    }

    #[test]
    fn a_version_that_overflows_wraps_and_keeps_the_flag_and_count() {
        let table = DictTable::new();
        table.note_shared();
        table
            .version_and_shared
            .fetch_or(!(VERSION_STEP - 1), Relaxed);
        table.note_change();
        assert!(table.is_shared());
        assert_eq!(table.settled_version(), Some(0));
    }

    #[test]
    fn a_shared_clear_starts_new_arrays_and_old_indices_go_stale() {
        let retired = RetiredArrays::default();
        let table = DictTable::with_capacity(8);
        for n in 0..5 {
            insert_growing(&table, &retired, n, n);
        }
        let before = table.version();
        let index_of_4 = find(&table, 4, 4).unwrap();
        assert!(table.clear_shared(&retired));
        assert_eq!(
            table.version(),
            before + VERSION_STEP,
            "changed, and settled"
        );
        assert!(table.settled_version().is_some());
        assert!(table.is_empty());
        assert_eq!(table.entry_slots(), 0);
        assert_eq!(retired.len(), 1);
        // Refilled: slot `index_of_4` now holds another key.
        for n in 10..15 {
            insert_growing(&table, &retired, n, n);
        }
        assert!(table.entry_of_key(index_of_4, int(4)).is_err());
        assert_eq!(
            table.entry_of_key(0, int(10)).unwrap().unwrap().value(),
            int(10)
        );
        assert_eq!(table.keys(), (10..15).map(int).collect::<Vec<_>>());
        // An old generation's successor blocks a second replacement of it;
        // the current one is replaced again.
        assert!(table.clear_shared(&retired));
        assert_eq!(retired.len(), 2);
        // SAFETY: no other thread; nothing reads the old generations now.
        unsafe { retired.free_all() };
        assert!(DictTable::new().clear_shared(&retired), "nothing to clear");
    }

    #[test]
    fn threads_growing_and_clearing_one_shared_table_never_mix_keys_up() {
        // Keys 0..8, each value `8 * n + key`: whatever a reader finds
        // for a key, through a probe's index or an iteration, is that
        // key's, while writers grow (or compact) the table and two
        // clearers empty it, ending each other's clears.
        let rounds: i64 = if cfg!(miri) { 40 } else { 4000 };
        let retired = RetiredArrays::default();
        let table = DictTable::with_capacity(2);
        let writers_done = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for writer in 0..2 {
                let (table, retired, writers_done) = (&table, &retired, &writers_done);
                scope.spawn(move || {
                    for n in 0..rounds {
                        let key = (n + writer * 3) % 8;
                        insert_growing(table, retired, key, 8 * n + key);
                        if n % 5 == 4 {
                            table.remove_shared(key, int(key), same(key));
                        }
                    }
                    writers_done.fetch_add(1, AcqRel);
                });
            }
            for _ in 0..2 {
                let (table, retired, writers_done) = (&table, &retired, &writers_done);
                scope.spawn(move || {
                    while writers_done.load(Acquire) < 2 {
                        table.clear_shared(retired);
                        std::thread::yield_now();
                    }
                });
            }
            let table = &table;
            scope.spawn(move || {
                for n in 0..rounds {
                    let key = n % 8;
                    if let Probe::Found(index, stored) = table.probe(key, same(key)) {
                        if let Ok(Some(entry)) = table.entry_of_key(index, stored) {
                            assert_eq!(entry.value().as_small_int().unwrap() % 8, key);
                        }
                    }
                    for entry in table.live_entries() {
                        let key = entry.key.as_small_int().unwrap();
                        assert_eq!(entry.value().as_small_int().unwrap() % 8, key);
                    }
                }
            });
        });
        assert!(table.len() <= 8);
        assert_eq!(table.len(), table.live_entries().count());
        // SAFETY: the threads are done; nothing reads old generations.
        unsafe { retired.free_all() };
    }

    #[test]
    fn threads_inserting_new_keys_move_the_growths_together_and_lose_none() {
        // Every writer that finds the table full helps move its slots;
        // each key inserted once, from four threads, with its value.
        let per_thread: i64 = if cfg!(miri) { 60 } else { 20_000 };
        let retired = RetiredArrays::default();
        let table = DictTable::with_capacity(2);
        std::thread::scope(|scope| {
            for writer in 0..4 {
                let (table, retired) = (&table, &retired);
                scope.spawn(move || {
                    for n in 0..per_thread {
                        let key = n * 4 + writer;
                        insert_growing(table, retired, key, 3 * key);
                    }
                });
            }
        });
        let total = 4 * per_thread;
        assert_eq!(table.len() as i64, total);
        let mut keys = keys_of(&table);
        keys.sort_unstable();
        assert_eq!(keys, (0..total).collect::<Vec<_>>());
        for key in 0..total {
            assert_eq!(table.find_value(key, |k| k == int(key)), Some(int(3 * key)));
        }
        // SAFETY: the threads are done; nothing reads old generations.
        unsafe { retired.free_all() };
    }

    #[test]
    fn a_scan_from_the_first_slot_finds_an_entry_while_threads_fill_and_drain_the_table() {
        // Two writers each keep their last 32 keys: insert a new one,
        // remove the one 32 before. The table is never empty once both
        // have 32, but its entries keep moving to fresh slots and new
        // generations (compactions). A reader asking for the first entry
        // (`next(iter(d))`) must always get one: a scan that found nothing
        // in a generation replaced under it looks again in the new one.
        const WINDOW: i64 = 32;
        let rounds: i64 = if cfg!(miri) { 200 } else { 30_000 };
        let retired = RetiredArrays::default();
        let table = DictTable::with_capacity(2);
        let (warm, reading, done) = (
            AtomicUsize::new(0),
            AtomicUsize::new(0),
            AtomicUsize::new(0),
        );
        std::thread::scope(|scope| {
            for writer in 0..2 {
                let (table, retired, warm, reading, done) =
                    (&table, &retired, &warm, &reading, &done);
                scope.spawn(move || {
                    for n in 0..rounds {
                        if n == WINDOW {
                            // Go on only once the reader reads.
                            while reading.load(Acquire) == 0 {
                                std::thread::yield_now();
                            }
                        }
                        let key = n * 2 + writer;
                        insert_growing(table, retired, key, key);
                        if n >= WINDOW {
                            let old = key - 2 * WINDOW;
                            assert!(matches!(
                                table.remove_shared(old, int(old), same(old)),
                                SharedRemove::Removed { .. }
                            ));
                        } else if n == WINDOW - 1 {
                            warm.fetch_add(1, AcqRel);
                        }
                    }
                    done.fetch_add(1, AcqRel);
                });
            }
            let (table, warm, reading, done) = (&table, &warm, &reading, &done);
            scope.spawn(move || {
                while warm.load(Acquire) < 2 {
                    std::thread::yield_now();
                }
                while done.load(Acquire) < 2 {
                    assert!(
                        table.entry_from(0).is_ok(),
                        "no entry found in a full table"
                    );
                    reading.store(1, Release);
                }
            });
        });
        assert_eq!(table.len(), 2 * WINDOW as usize);
        assert!(retired.len() >= 2, "replaced {} times", retired.len());
    }

    #[test]
    fn threads_inserting_and_removing_their_own_keys_compact_together_and_lose_none() {
        // Four writers each insert new keys and remove them two later, so
        // the table's slots go mostly to removed entries and it compacts
        // over and over under them, entries moving to new indices. Eight
        // keys inserted first, rebound by the writers now and then (value
        // `8 * n + key`), are read all along: never missing, never
        // holding another key's value.
        let rounds: i64 = if cfg!(miri) { 150 } else { 20_000 };
        let retired = RetiredArrays::default();
        let table = DictTable::with_capacity(2);
        for key in 0..8 {
            insert_growing(&table, &retired, key, key);
        }
        let writers_done = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for writer in 0..4 {
                let (table, retired, writers_done) = (&table, &retired, &writers_done);
                scope.spawn(move || {
                    for n in 0..rounds {
                        let key = 1000 + n * 4 + writer;
                        insert_growing(table, retired, key, key);
                        if n >= 2 {
                            let old = key - 8;
                            assert!(matches!(
                                table.remove_shared(old, int(old), same(old)),
                                SharedRemove::Removed { .. }
                            ));
                        }
                        if n % 16 == writer {
                            insert_growing(table, retired, n % 8, 8 * n + n % 8);
                        }
                    }
                    writers_done.fetch_add(1, AcqRel);
                });
            }
            let (table, writers_done) = (&table, &writers_done);
            scope.spawn(move || {
                while writers_done.load(Acquire) < 4 {
                    for key in 0..8 {
                        let value = table.find_value(key, |k| k == int(key));
                        let value = value.expect("a key never removed is found");
                        assert_eq!(value.as_small_int().unwrap() % 8, key);
                        if let Probe::Found(index, stored) = table.probe(key, same(key)) {
                            if let Ok(Some(entry)) = table.entry_of_key(index, stored) {
                                assert_eq!(entry.key, int(key));
                            }
                        }
                    }
                }
            });
        });
        let mut expected: Vec<i64> = (0..8).collect();
        for writer in 0..4 {
            expected.extend([rounds - 2, rounds - 1].map(|n| 1000 + n * 4 + writer));
        }
        expected.sort_unstable();
        let mut keys = keys_of(&table);
        keys.sort_unstable();
        assert_eq!(keys, expected, "each key in once, the removed ones gone");
        assert_eq!(table.len(), expected.len());
        assert!(retired.len() >= 4, "compacted {} times", retired.len());
        // SAFETY: the threads are done; nothing reads old generations.
        unsafe { retired.free_all() };
    }

    #[test]
    fn keys_reinserted_while_the_table_grows_stay_once_each() {
        // The removers keep most slots live: the table grows.
        reinsert_while_growing(|table| table.len() * 2 > table.entry_slots() + 8);
    }

    #[test]
    fn keys_reinserted_while_the_table_compacts_stay_once_each() {
        // The removers remove every other time: the table also compacts.
        reinsert_while_growing(|_| true);
    }

    /// Two threads insert and remove the same four keys (every other
    /// insertion followed by a removal, when `remove` allows) while a
    /// third inserts new ones, so that each table grows or compacts under
    /// them: a key removed in the new arrays must not come back in a
    /// second slot beside one its old arrays published meanwhile.
    fn reinsert_while_growing(remove: impl Fn(&DictTable) -> bool + Sync) {
        let (tables, rounds): (usize, i64) = if cfg!(miri) { (2, 12) } else { (150, 200) };
        for _ in 0..tables {
            let retired = RetiredArrays::default();
            let table = DictTable::with_capacity(2);
            let started = AtomicUsize::new(0);
            let start_together = |started: &AtomicUsize| {
                started.fetch_add(1, AcqRel);
                while started.load(Acquire) < 3 {
                    std::thread::yield_now();
                }
            };
            std::thread::scope(|scope| {
                for writer in 0..2 {
                    let (table, retired, started, remove) = (&table, &retired, &started, &remove);
                    scope.spawn(move || {
                        start_together(started);
                        for n in 0..rounds {
                            let key = (n + writer) % 4;
                            insert_growing(table, retired, key, 8 * n + key);
                            if (n + writer) % 2 == 0 && remove(table) {
                                table.remove_shared(key, int(key), same(key));
                            }
                        }
                        for key in 0..4 {
                            insert_growing(table, retired, key, key);
                        }
                    });
                }
                let (table, retired, started) = (&table, &retired, &started);
                scope.spawn(move || {
                    start_together(started);
                    for key in 100..100 + rounds {
                        insert_growing(table, retired, key, key);
                    }
                });
            });
            let mut keys = keys_of(&table);
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), table.keys().len(), "a key in two slots");
            assert_eq!(keys.len(), 4 + rounds as usize);
            assert_eq!(table.len(), keys.len());
            // SAFETY: the threads are done; nothing reads old generations.
            unsafe { retired.free_all() };
        }
    }
}
