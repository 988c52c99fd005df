//! `SharedRing`, the persistent double-ended queue behind a
//! `collections.deque` that several threads can reach (a `queue.Queue`'s
//! items, a `Condition`'s waiters): readers never wait and never write
//! shared memory, writers publish whole new versions with a
//! compare-and-swap (`published.rs`), so concurrent appends and pops lose
//! and duplicate nothing and stop no other thread.
//!
//! A `Version` is two immutable stacks of `Arc` nodes, shared between
//! versions: the items are `front` from its top down, then `back` from its
//! bottom up. Pushing or popping at either end makes a version that shares
//! everything but one node, in O(1). Popping an end whose stack is empty
//! rebuilds the version from its items, split evenly between the stacks
//! (O(n), after which at least n/2 pops at either end are O(1) again: the
//! cost spreads to O(1) per operation). Everything else (indexing, inserting
//! or deleting in the middle, rotating) is O(n), as in the two-stack deque
//! it is, or a rebuild.
//!
//! ```text
//!   items:   a b c d e            front: a -> b -> c        (top: a)
//!                                 back:  e -> d             (top: e)
//!   push_back(f):   back' = f -> (e -> d)      shares e, d and all of front
//!   pop_front():    front' = (b -> c)          returns a
//! ```
//!
//! Reclamation and memory ordering are `Published`'s: a replaced version
//! goes to the `RetireList` and is freed at a quiescent point only, so a
//! reader may walk the version it loaded until then.

use std::sync::Arc;

use super::published::Published;
use super::retire::RetireList;

struct Node<T> {
    value: T,
    below: Stack<T>,
}

type Stack<T> = Option<Arc<Node<T>>>;

/// One immutable state of the ring.
struct Version<T> {
    front: Stack<T>,
    front_len: usize,
    back: Stack<T>,
    back_len: usize,
}

/// The items of `stack`, top first.
fn walk<T: Copy>(stack: &Stack<T>) -> impl Iterator<Item = T> + '_ {
    let mut at = stack.as_deref();
    std::iter::from_fn(move || {
        let node = at?;
        at = node.below.as_deref();
        Some(node.value)
    })
}

/// A stack whose top is `items[0]`.
fn stack_of<T: Copy>(items: &[T]) -> Stack<T> {
    items
        .iter()
        .rev()
        .fold(None, |below, &value| Some(Arc::new(Node { value, below })))
}

impl<T> Drop for Version<T> {
    /// Unlinks the stacks node by node: dropping a long one recursively
    /// would overflow the native stack. A node another version still
    /// holds stops the walk (that version frees the rest).
    fn drop(&mut self) {
        for stack in [self.front.take(), self.back.take()] {
            let mut next = stack;
            while let Some(node) = next {
                next = match Arc::try_unwrap(node) {
                    Ok(mut node) => node.below.take(),
                    Err(_) => None,
                };
            }
        }
    }
}

impl<T: Copy> Version<T> {
    /// `items`, split evenly between the stacks (the odd one in front).
    fn from_items(items: &[T]) -> Version<T> {
        let front_len = items.len().div_ceil(2);
        let (front, back) = items.split_at(front_len);
        let back_reversed: Vec<T> = back.iter().rev().copied().collect();
        Version {
            front: stack_of(front),
            front_len,
            back: stack_of(&back_reversed),
            back_len: back.len(),
        }
    }

    fn len(&self) -> usize {
        self.front_len + self.back_len
    }

    fn items(&self) -> Vec<T> {
        let mut items: Vec<T> = walk(&self.front).collect();
        let start = items.len();
        items.extend(walk(&self.back));
        items[start..].reverse();
        items
    }

    fn get(&self, index: usize) -> Option<T> {
        if index < self.front_len {
            walk(&self.front).nth(index)
        } else if index < self.len() {
            walk(&self.back).nth(self.len() - 1 - index)
        } else {
            None
        }
    }

    fn pushed_back(&self, value: T) -> Version<T> {
        Version {
            front: self.front.clone(),
            front_len: self.front_len,
            back: Some(Arc::new(Node {
                value,
                below: self.back.clone(),
            })),
            back_len: self.back_len + 1,
        }
    }

    fn pushed_front(&self, value: T) -> Version<T> {
        Version {
            front: Some(Arc::new(Node {
                value,
                below: self.front.clone(),
            })),
            front_len: self.front_len + 1,
            back: self.back.clone(),
            back_len: self.back_len,
        }
    }

    /// The first item and the version without it.
    fn popped_front(&self) -> Option<(T, Version<T>)> {
        match &self.front {
            Some(top) => Some((
                top.value,
                Version {
                    front: top.below.clone(),
                    front_len: self.front_len - 1,
                    back: self.back.clone(),
                    back_len: self.back_len,
                },
            )),
            None if self.back_len == 0 => None,
            None => Version::from_items(&self.items()).popped_front(),
        }
    }

    /// The last item and the version without it.
    fn popped_back(&self) -> Option<(T, Version<T>)> {
        match &self.back {
            Some(top) => Some((
                top.value,
                Version {
                    front: self.front.clone(),
                    front_len: self.front_len,
                    back: top.below.clone(),
                    back_len: self.back_len - 1,
                },
            )),
            None if self.front_len == 0 => None,
            None if self.front_len == 1 => Some((
                self.front.as_ref().expect("one item").value,
                Version::from_items(&[]),
            )),
            // `from_items` leaves the back the smaller half, never empty
            // for two items or more.
            None => Version::from_items(&self.items()).popped_back(),
        }
    }
}

/// Which end of the ring.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum End {
    Front,
    Back,
}

pub struct SharedRing<T: Copy + Send + Sync> {
    versions: Published<Version<T>>,
}

impl<T: Copy + Send + Sync> SharedRing<T> {
    pub fn from_items(items: &[T], retired: Arc<RetireList>) -> SharedRing<T> {
        SharedRing {
            versions: Published::new(Version::from_items(items), retired),
        }
    }

    pub fn len(&self) -> usize {
        self.versions.load().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The items, front to back, as of one moment.
    pub fn to_vec(&self) -> Vec<T> {
        self.versions.load().items()
    }

    /// The item at the index `pick` makes of the length, both of one
    /// version (O(1) at either end, O(n) towards the middle; no copy).
    pub fn get_at(&self, pick: impl FnOnce(usize) -> Option<usize>) -> Option<T> {
        let version = self.versions.load();
        pick(version.len()).and_then(|index| version.get(index))
    }

    /// Pushes `value` at `end`; with `limit`, first drops items from the
    /// other end until there is room (nothing is pushed with a limit of 0).
    pub fn push(&self, end: End, value: T, limit: Option<usize>) {
        if limit == Some(0) {
            return;
        }
        let _ = self.versions.publish(|current| {
            let mut trimmed: Option<Version<T>> = None;
            if let Some(limit) = limit {
                loop {
                    let from = trimmed.as_ref().unwrap_or(current);
                    if from.len() < limit {
                        break;
                    }
                    let dropped = match end {
                        End::Back => from.popped_front(),
                        End::Front => from.popped_back(),
                    };
                    match dropped {
                        Some((_, next)) => trimmed = Some(next),
                        None => break,
                    }
                }
            }
            let from = trimmed.as_ref().unwrap_or(current);
            let pushed = match end {
                End::Back => from.pushed_back(value),
                End::Front => from.pushed_front(value),
            };
            Ok::<_, std::convert::Infallible>((pushed, ()))
        });
    }

    /// Pops the item at `end`, if any.
    pub fn pop(&self, end: End) -> Option<T> {
        self.versions
            .publish(|current| {
                let popped = match end {
                    End::Front => current.popped_front(),
                    End::Back => current.popped_back(),
                };
                popped.map(|(value, next)| (next, value)).ok_or(())
            })
            .ok()
    }

    /// Replaces the items with what `edit` makes of a copy of them (run
    /// again if another writer got in first); `edit`'s result.
    pub fn update<R>(&self, mut edit: impl FnMut(&mut Vec<T>) -> R) -> R {
        let result = self.versions.publish(|current| {
            let mut items = current.items();
            let result = edit(&mut items);
            Ok::<_, std::convert::Infallible>((Version::from_items(&items), result))
        });
        match result {
            Ok(result) => result,
            Err(never) => match never {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(items: &[u64]) -> SharedRing<u64> {
        SharedRing::from_items(items, Arc::new(RetireList::new()))
    }

    #[test]
    fn pushes_and_pops_at_both_ends_keep_the_order() {
        let shared = ring(&[]);
        let mut model = std::collections::VecDeque::new();
        for step in 0..2000u64 {
            match step * 7 % 5 {
                0 | 1 => {
                    shared.push(End::Back, step, None);
                    model.push_back(step);
                }
                2 => {
                    shared.push(End::Front, step, None);
                    model.push_front(step);
                }
                3 => assert_eq!(shared.pop(End::Front), model.pop_front()),
                _ => assert_eq!(shared.pop(End::Back), model.pop_back()),
            }
            assert_eq!(shared.len(), model.len());
        }
        assert_eq!(shared.to_vec(), model.iter().copied().collect::<Vec<_>>());
        for (index, &item) in model.iter().enumerate() {
            assert_eq!(shared.get_at(|_| Some(index)), Some(item));
        }
        assert_eq!(shared.get_at(Some), None);
        assert_eq!(
            shared.get_at(|len| len.checked_sub(1)),
            model.back().copied()
        );
        assert_eq!(shared.get_at(|_| None), None);
        while let Some(item) = model.pop_back() {
            assert_eq!(shared.pop(End::Back), Some(item));
        }
        assert_eq!(shared.pop(End::Front), None);
        assert_eq!(shared.pop(End::Back), None);
    }

    #[test]
    fn a_long_ring_drops_without_deep_recursion() {
        let count = if cfg!(miri) { 2_000 } else { 1_000_000 };
        let items: Vec<u64> = (0..count).collect();
        let shared = ring(&items);
        shared.push(End::Back, 1, None);
        assert_eq!(shared.len(), count as usize + 1);
        drop(shared);
    }

    #[test]
    fn a_limit_drops_from_the_other_end() {
        let shared = ring(&[1, 2, 3]);
        shared.push(End::Back, 4, Some(3));
        assert_eq!(shared.to_vec(), vec![2, 3, 4]);
        shared.push(End::Front, 0, Some(2));
        assert_eq!(shared.to_vec(), vec![0, 2]);
        shared.push(End::Back, 9, Some(0));
        assert_eq!(shared.to_vec(), vec![0, 2]);
        shared.update(|items| items.insert(1, 7));
        assert_eq!(shared.to_vec(), vec![0, 7, 2]);
    }

    /// Producers push at the back while consumers pop at the front, all
    /// at once: every item comes out exactly once.
    #[test]
    fn threads_pushing_and_popping_at_once_lose_and_duplicate_nothing() {
        const PRODUCERS: u64 = 4;
        const EACH: u64 = if cfg!(miri) { 40 } else { 5000 };
        let shared = ring(&[]);
        let popped = std::sync::atomic::AtomicU64::new(0);
        let mut seen: Vec<u64> = std::thread::scope(|scope| {
            for producer in 0..PRODUCERS {
                let shared = &shared;
                scope.spawn(move || {
                    for n in 0..EACH {
                        shared.push(End::Back, producer * EACH + n, None);
                    }
                });
            }
            let consumers: Vec<_> = (0..PRODUCERS)
                .map(|_| {
                    let (shared, popped) = (&shared, &popped);
                    scope.spawn(move || {
                        let mut got = Vec::new();
                        while popped.load(std::sync::atomic::Ordering::SeqCst) < PRODUCERS * EACH {
                            if let Some(item) = shared.pop(End::Front) {
                                popped.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                                got.push(item);
                            } else {
                                std::thread::yield_now();
                            }
                        }
                        got
                    })
                })
                .collect();
            consumers
                .into_iter()
                .flat_map(|consumer| consumer.join().unwrap())
                .collect()
        });
        seen.sort_unstable();
        assert_eq!(seen, (0..PRODUCERS * EACH).collect::<Vec<_>>());
        assert!(shared.is_empty());
    }
}
