//! `ListItems`: a list's elements, in one of two representations, and the
//! write barrier and copy-on-write protocol of a list's stores.
//!
//! A *local* list (one thread reaches it) keeps a plain `Vec<Value>`,
//! changed in place under its `PyCell`'s counted write borrow. When the
//! sharing walk reaches the list it becomes *shared* for good: its items
//! move into a `SharedVec` (the persistent vector of `shared/vector.rs`),
//! which any thread reads through a pinned snapshot without waiting and
//! which every change replaces by building the next version and publishing
//! it with a compare-and-swap (except a store over an item of the trie,
//! made in its leaf's atomic slot), so concurrent writers lose nothing and
//! readers are never stopped (DESIGN.md, "Memory model"). Replaced
//! versions wait on the list's own retire list until the collector, with
//! every worker stopped, reclaims them while it traces the list.
//!
//! Reads go through `ListItems::view` (one version: its length and order
//! stay as they are, though another thread's store over an item may show
//! while it is read) or the one-shot helpers beside it. Changes go
//! through the methods of
//! `PyCell<ListItems>` at the bottom, which pick the representation; each
//! one shares what it stores into a shared list before publishing it (the
//! invariant of `heap/share.rs`: a shared object refers only to shared
//! objects). Rule, as for borrows: a view must not live across a call that
//! can run Python code (a safepoint may reclaim its version).

use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Arc;

use super::PyCell;
use crate::heap::retired::note_retired_into;
use crate::heap::share::{share, share_all};
use crate::shared::retire::RetireList;
use crate::shared::vector::{SharedVec, Snapshot};
use crate::value::Value;

pub struct ListItems {
    /// The elements while the list is local (empty once it is shared).
    items: Vec<Value>,
    /// Null while local; the shared representation from then on (set once,
    /// by the owner thread, before any other thread can reach the list).
    shared: AtomicPtr<SharedList>,
}

/// A shared list's items and the versions its writers replaced.
struct SharedList {
    items: SharedVec<Value>,
    retired: Arc<RetireList>,
}

impl SharedList {
    /// Appends `values` (already shared): in place when no other worker
    /// runs (see `PyCell<ListItems>::set_at`), else by compare-and-swap.
    fn extend(&self, values: &[Value]) {
        if crate::sched::enter_write_section_if_alone() {
            // SAFETY: every other worker is idle and waits for the section
            // to close before it runs again, so none holds a view, and
            // the caller holds none.
            unsafe { self.items.extend_in_place(values) };
            crate::sched::leave_write_section();
        } else {
            note_retired_into(&self.retired, self.items.extend_from_slice(values));
        }
    }
}

impl From<Vec<Value>> for ListItems {
    fn from(items: Vec<Value>) -> ListItems {
        ListItems {
            items,
            shared: AtomicPtr::new(std::ptr::null_mut()),
        }
    }
}

impl Drop for ListItems {
    fn drop(&mut self) {
        let shared = *self.shared.get_mut();
        if !shared.is_null() {
            // SAFETY: set once from `Box::into_raw` in `become_shared`;
            // `&mut self` means no view of it is alive.
            drop(unsafe { Box::from_raw(shared) });
        }
    }
}

/// One version of a list's items (see the module doc).
#[derive(Clone, Copy)]
pub enum ListView<'a> {
    Local(&'a [Value]),
    Shared(Snapshot<'a, Value>),
}

impl<'a> ListView<'a> {
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            ListView::Local(items) => items.len(),
            ListView::Shared(snapshot) => snapshot.len(),
        }
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn get(&self, index: usize) -> Option<Value> {
        match self {
            ListView::Local(items) => items.get(index).copied(),
            ListView::Shared(snapshot) => snapshot.get(index),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Value> + 'a {
        match *self {
            ListView::Local(items) => Either::Left(items.iter().copied()),
            ListView::Shared(snapshot) => Either::Right(snapshot.iter()),
        }
    }

    pub fn to_vec(&self) -> Vec<Value> {
        match self {
            ListView::Local(items) => items.to_vec(),
            ListView::Shared(snapshot) => snapshot.to_vec(),
        }
    }

    /// The items as consecutive slices (one when local).
    pub fn for_each_slice(&self, mut visit: impl FnMut(&[Value])) {
        match self {
            ListView::Local(items) => visit(items),
            ListView::Shared(snapshot) => snapshot.for_each_chunk(visit),
        }
    }

    /// The items as a slice: borrowed when local, copied when shared.
    pub fn as_slice(&self) -> std::borrow::Cow<'a, [Value]> {
        match *self {
            ListView::Local(items) => std::borrow::Cow::Borrowed(items),
            ListView::Shared(snapshot) => std::borrow::Cow::Owned(snapshot.to_vec()),
        }
    }
}

/// The iterator of either representation.
enum Either<L, R> {
    Left(L),
    Right(R),
}

impl<L: Iterator<Item = Value>, R: Iterator<Item = Value>> Iterator for Either<L, R> {
    type Item = Value;

    #[inline]
    fn next(&mut self) -> Option<Value> {
        match self {
            Either::Left(items) => items.next(),
            Either::Right(items) => items.next(),
        }
    }
}

impl ListItems {
    pub fn new(items: Vec<Value>) -> ListItems {
        ListItems::from(items)
    }

    /// No elements.
    pub fn empty() -> ListItems {
        ListItems::from(Vec::new())
    }

    #[inline(always)]
    fn shared_list(&self) -> Option<&SharedList> {
        // Acquire: pairs with the Release store in `become_shared` (other
        // threads reach the list only after that, through a publication
        // that orders it anyway; this keeps the argument local).
        let shared = self.shared.load(Ordering::Acquire);
        // SAFETY: set once from `Box::into_raw` and freed only by our drop.
        (!shared.is_null()).then(|| unsafe { &*shared })
    }

    pub fn is_shared(&self) -> bool {
        self.shared_list().is_some()
    }

    /// The current items, one version.
    #[inline(always)]
    pub fn view(&self) -> ListView<'_> {
        match self.shared_list() {
            None => ListView::Local(&self.items),
            Some(shared) => ListView::Shared(shared.items.snapshot()),
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.view().len()
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    #[inline]
    pub fn get(&self, index: usize) -> Option<Value> {
        self.view().get(index)
    }

    pub fn to_vec(&self) -> Vec<Value> {
        self.view().to_vec()
    }

    /// Empty, and (while local) never grown since it was emptied by
    /// `take`: how `list.sort` tells that Python code it ran (a key or
    /// `__lt__`) appended to the list, even if it then removed the items.
    pub fn is_pristine(&self) -> bool {
        match self.view() {
            ListView::Local(_) => self.items.capacity() == 0,
            ListView::Shared(snapshot) => snapshot.is_empty(),
        }
    }

    /// Switches to the shared representation (the sharing walk, on the
    /// owner thread). `moved`: the items, taken out when no other borrow of
    /// the cell was alive; `None`: they are copied instead, and the stale
    /// `Vec` is left to whoever still reads it (freed with the list).
    fn become_shared(&self, moved: Option<Vec<Value>>) {
        if self.is_shared() {
            return;
        }
        let retired = Arc::new(RetireList::new());
        let items = match moved {
            Some(items) => SharedVec::from_slice(&items, Arc::clone(&retired)),
            None => SharedVec::from_slice(&self.items, Arc::clone(&retired)),
        };
        let shared = Box::into_raw(Box::new(SharedList { items, retired }));
        // Release: the version is complete before the pointer is seen.
        self.shared.store(shared, Ordering::Release);
    }

    /// Frees the versions writers replaced since the last call.
    ///
    /// # Safety
    /// No thread holds a view (or snapshot) of this list taken before now:
    /// the collector calls it with every worker stopped at a safepoint.
    pub unsafe fn reclaim_retired(&self) {
        if let Some(shared) = self.shared_list() {
            // SAFETY: the caller's promise is `reclaim`'s.
            unsafe { shared.retired.reclaim() };
        }
    }
}

const PATH_WRITE_BYTES: usize = 256;

/// A list's items for a search that runs Python `==` between reads
/// (`index`, `count`, `remove`, `in`): a shared list is searched in a copy
/// of one version, since other threads' changes would shift items past
/// the search (it could miss an item that was there all along); a local
/// list is read in place, item by item, as CPython does (seeing what
/// `__eq__` itself changes).
pub enum SearchItems<'a> {
    InPlace(&'a PyCell<ListItems>),
    Copy(Vec<Value>),
}

impl<'a> SearchItems<'a> {
    pub fn of(cell: &'a PyCell<ListItems>) -> SearchItems<'a> {
        match cell.shared_list() {
            Some(shared) => SearchItems::Copy(shared.items.to_vec()),
            None => SearchItems::InPlace(cell),
        }
    }

    pub fn get(&self, index: usize) -> Option<Value> {
        match self {
            SearchItems::InPlace(cell) => cell.borrow().get(index),
            SearchItems::Copy(items) => items.get(index).copied(),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            SearchItems::InPlace(cell) => cell.borrow().len(),
            SearchItems::Copy(items) => items.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why `pop_at` removed nothing.
#[derive(Debug, PartialEq, Eq)]
pub enum PopError {
    Empty,
    OutOfRange,
}

/// The changes to a list, whatever its representation. Each takes the
/// cell: a local list is changed in place under a counted write borrow, a
/// shared one by compare-and-swap without any borrow (so without a write
/// section). Positions come from `pick`, given the length of the version
/// the change lands on.
impl PyCell<ListItems> {
    fn shared_list(&self) -> Option<&SharedList> {
        self.read_shared().and_then(ListItems::shared_list)
    }

    /// The sharing walk's switch (see `ListItems::become_shared`).
    pub fn become_shared(&self) {
        match self.try_borrow_mut() {
            Some(mut local) => {
                let items = std::mem::take(&mut local.items);
                local.become_shared(Some(items));
            }
            None => self.borrow().become_shared(None),
        }
    }

    #[inline]
    pub fn push(&self, value: Value) {
        match self.shared_list() {
            None => self.borrow_mut().items.push(value),
            Some(shared) => {
                share(value);
                shared.extend(&[value]);
            }
        }
    }

    pub fn extend_from_slice(&self, values: &[Value]) {
        match self.shared_list() {
            None => self.borrow_mut().items.extend_from_slice(values),
            Some(shared) => {
                share_all(values);
                shared.extend(values);
            }
        }
    }

    /// Inserts at the position `pick` makes of the length (it clamps).
    pub fn insert_at(&self, pick: impl Fn(usize) -> usize, value: Value) {
        match self.shared_list() {
            None => {
                let mut local = self.borrow_mut();
                let position = pick(local.items.len());
                local.items.insert(position, value);
            }
            Some(shared) => {
                share(value);
                if crate::sched::enter_write_section_if_alone() {
                    // No other worker runs (see `set_at`): the items move
                    // up in place instead of a rebuild.
                    // SAFETY: as in `set_at`.
                    unsafe { shared.items.insert_in_place(&pick, value) };
                    crate::sched::leave_write_section();
                    return;
                }
                self.edit_shared(shared, |items| {
                    let position = pick(items.len());
                    items.insert(position, value);
                });
            }
        }
    }

    /// Replaces the item at the position `pick` makes of the length;
    /// `false` (and no change) when it finds none.
    #[inline]
    pub fn set_at(&self, pick: impl Fn(usize) -> Option<usize>, value: Value) -> bool {
        match self.shared_list() {
            None => {
                let mut local = self.borrow_mut();
                match pick(local.items.len()) {
                    Some(position) => {
                        local.items[position] = value;
                        true
                    }
                    None => false,
                }
            }
            Some(shared) => {
                share(value);
                if crate::sched::enter_write_section_if_alone() {
                    // No other worker runs: the section stops nobody, and
                    // inside it the current version can change in place
                    // (no allocation, nothing retired).
                    // SAFETY: every other worker is idle and waits for the
                    // section to close before it runs again, so none holds
                    // a view (views never live across a safepoint), and
                    // this thread holds none here.
                    let done =
                        unsafe { shared.items.set_in_place(|len| pick(len).ok_or(()), value) };
                    crate::sched::leave_write_section();
                    return done.is_ok();
                }
                match shared.items.set_at(|len| pick(len).ok_or(()), value) {
                    Ok(published) => {
                        if published {
                            note_retired_into(&shared.retired, PATH_WRITE_BYTES);
                        }
                        true
                    }
                    Err(()) => false,
                }
            }
        }
    }

    /// Removes and returns the item at the position `pick` makes of the
    /// length.
    pub fn pop_at(&self, pick: impl Fn(usize) -> Option<usize>) -> Result<Value, PopError> {
        let choose = |len: usize| match len {
            0 => Err(PopError::Empty),
            _ => pick(len).ok_or(PopError::OutOfRange),
        };
        match self.shared_list() {
            None => {
                let mut local = self.borrow_mut();
                let position = choose(local.items.len())?;
                Ok(local.items.remove(position))
            }
            Some(shared) => {
                if crate::sched::enter_write_section_if_alone() {
                    // No other worker runs (see `set_at`): the items move
                    // down in place instead of a rebuild.
                    // SAFETY: as in `set_at`.
                    let popped = unsafe { shared.items.remove_in_place(choose) };
                    crate::sched::leave_write_section();
                    return popped;
                }
                let len = shared.items.len();
                let popped = shared.items.pop_at(choose);
                note_retired_into(&shared.retired, PATH_WRITE_BYTES + 8 * len);
                popped
            }
        }
    }

    /// Takes every element out, leaving the list empty.
    pub fn take(&self) -> Vec<Value> {
        match self.shared_list() {
            None => std::mem::take(&mut self.borrow_mut().items),
            Some(shared) => self.edit_shared(shared, std::mem::take),
        }
    }

    /// For a shared list: the stamp of its current version and a copy of
    /// its items (see `replace_if_unchanged`); `None` for a local one.
    pub fn shared_copy(&self) -> Option<(u64, Vec<Value>)> {
        let shared = self.shared_list()?;
        let snapshot = shared.items.snapshot();
        Some((snapshot.stamp(), snapshot.to_vec()))
    }

    /// Replaces a shared list's items with `values` if nothing was written
    /// since `shared_copy` gave `stamp` and `seen`.
    pub fn replace_if_unchanged(&self, stamp: u64, seen: &[Value], values: Vec<Value>) -> bool {
        let Some(shared) = self.shared_list() else {
            return false;
        };
        share_all(&values);
        note_retired_into(&shared.retired, PATH_WRITE_BYTES + 8 * values.len());
        shared.items.replace_if_unchanged(stamp, seen, &values)
    }

    /// Removes every element.
    pub fn clear(&self) {
        drop(self.take());
    }

    /// Replaces every element.
    pub fn replace_all(&self, values: Vec<Value>) {
        match self.shared_list() {
            None => self.borrow_mut().items = values,
            Some(shared) => {
                share_all(&values);
                self.edit_shared(shared, |items| items.clone_from(&values));
            }
        }
    }

    /// The general change: `edit` gets the items as a plain `Vec` (in
    /// place when local; a copy that then replaces them all, in O(n), when
    /// shared, and then it may run more than once, on a fresh copy, if
    /// another writer won the race: it must have no other effect). What it
    /// stores must be values already in the list or values the caller has
    /// passed through `share_all` if the list may be shared (use the
    /// methods above for new values).
    pub fn edit<R>(&self, mut edit: impl FnMut(&mut Vec<Value>) -> R) -> R {
        match self.shared_list() {
            None => edit(&mut self.borrow_mut().items),
            Some(shared) => self.edit_shared(shared, edit),
        }
    }

    /// `edit` for values the caller has not shared: they are shared before
    /// the shared list publishes them.
    pub fn edit_storing<R>(&self, mut edit: impl FnMut(&mut Vec<Value>) -> R) -> R {
        match self.shared_list() {
            None => edit(&mut self.borrow_mut().items),
            Some(shared) => self.edit_shared(shared, |items| {
                let result = edit(items);
                share_all(items);
                result
            }),
        }
    }

    fn edit_shared<R>(&self, shared: &SharedList, edit: impl FnMut(&mut Vec<Value>) -> R) -> R {
        let len = shared.items.len();
        let result = shared.items.update(edit);
        note_retired_into(&shared.retired, PATH_WRITE_BYTES + 8 * len);
        result
    }
}
