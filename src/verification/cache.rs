//! A bounded cache of validated certificate chains.
//!
//! Entries are keyed by a SHA-256 digest over the document's certChain entries, each
//! prefixed with its length so that different splits of the same bytes cannot collide. A
//! hit stands in for path building only while the validation time lies inside the
//! validity window of the cached path. The least recently used entry is evicted first.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use aws_lc_rs::digest;

use super::chain::{LeafSummary, ValidatedPath};
use super::public_key::PublicKeyInfo;

/// A digest that identifies one certChain.
pub(crate) type ChainKey = [u8; 32];

/// The parts of a validated path that later documents with the same chain reuse.
#[derive(Clone, Debug)]
pub(crate) struct CachedPath {
    pub(crate) not_before: i64,
    pub(crate) not_after: i64,
    pub(crate) length: usize,
    pub(crate) leaf: LeafSummary,
    pub(crate) public_key: PublicKeyInfo,
}

impl CachedPath {
    pub(crate) fn from_path(path: &ValidatedPath) -> Self {
        Self {
            not_before: path.not_before,
            not_after: path.not_after,
            length: path.length,
            leaf: path.leaf.clone(),
            public_key: path.public_key.clone(),
        }
    }

    /// Returns whether the cached validation is still valid at `time`. Bounds are inclusive, as in
    /// certificate validity.
    pub(crate) fn covers(&self, time: i64) -> bool {
        self.not_before <= time && time <= self.not_after
    }
}

/// Hashes a certChain into a cache key.
pub(crate) fn chain_key(chain: &[Vec<u8>]) -> ChainKey {
    let mut context = digest::Context::new(&digest::SHA256);
    for certificate in chain {
        context.update(&(certificate.len() as u64).to_be_bytes());
        context.update(certificate);
    }
    let mut key = [0u8; 32];
    key.copy_from_slice(context.finish().as_ref());
    key
}

/// A thread-safe LRU map from chain digests to validated paths. The lock is held only to
/// look up or store an entry, never while a path is built.
pub(crate) struct ChainCache {
    capacity: usize,
    state: Mutex<LruState>,
}

#[derive(Default)]
struct LruState {
    clock: u64,
    entries: HashMap<ChainKey, (u64, Arc<CachedPath>)>,
    by_use: BTreeMap<u64, ChainKey>,
}

impl ChainCache {
    /// A cache of at most `capacity` chains; 0 disables caching.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            capacity,
            state: Mutex::new(LruState::default()),
        }
    }

    /// Returns the entry for `key` if it covers `time`, marking it recently used. An entry
    /// that no longer covers `time` is left for eviction.
    pub(crate) fn get(&self, key: &ChainKey, time: i64) -> Option<Arc<CachedPath>> {
        if self.capacity == 0 {
            return None;
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = state.entries.get(key).map(|(_, path)| Arc::clone(path))?;
        if !entry.covers(time) {
            return None;
        }
        state.touch(key);
        Some(entry)
    }

    /// Stores a validated path, evicting the least recently used entry when full.
    pub(crate) fn insert(&self, key: ChainKey, path: Arc<CachedPath>) {
        if self.capacity == 0 {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.remove(&key);
        while state.entries.len() >= self.capacity {
            let Some((_, oldest)) = state.by_use.pop_first() else {
                break;
            };
            state.entries.remove(&oldest);
        }
        state.clock += 1;
        let tick = state.clock;
        state.by_use.insert(tick, key);
        state.entries.insert(key, (tick, path));
    }

    /// The number of cached chains.
    pub(crate) fn len(&self) -> usize {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.entries.len()
    }
}

impl LruState {
    fn touch(&mut self, key: &ChainKey) {
        self.clock += 1;
        let tick = self.clock;
        if let Some((last_use, _)) = self.entries.get_mut(key) {
            self.by_use.remove(last_use);
            *last_use = tick;
            self.by_use.insert(tick, *key);
        }
    }

    fn remove(&mut self, key: &ChainKey) {
        if let Some((last_use, _)) = self.entries.remove(key) {
            self.by_use.remove(&last_use);
        }
    }
}
