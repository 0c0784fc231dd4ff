//! The in-memory cache of one process (engine results are cached in the
//! database instead, `result_cache.rs`).
//!
//! Pages of lists answered at a register version, kept in memory so that the
//! same list asked again (the public cluster list, a popular search, the
//! first page of a cluster's members) costs one look-up of the version
//! instead of its statements.
//!
//! The principals of credentials (API tokens and sessions) are kept the
//! same way, for at most [`VERSION_TRUSTED_FOR`] and until this store's
//! next change (account changes included): a signed-in request then needs
//! no statement either.
//!
//! A page is keyed by the statement that made it, with every bound value,
//! so the reader's rights are part of the key: the rows a principal may see
//! are spelled out in the statement's condition and values (the sets of
//! [`crate::Principal`]). Every change to the register bumps its version in
//! the change's own transaction (and `restore` bumps it too), and a page is
//! only served to a request that read the version it was made at, so a page
//! is never served after a change it does not show. Changes made to the
//! database by other programs than Weaver are not seen until the next
//! change Weaver makes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use weaver_core::Value;
use weaver_core::schema::Storage;

use crate::access::Principal;
use crate::records::Page;

/// Most rows the cache holds over all its pages.
pub const MAX_CACHED_ROWS: usize = 20_000;

/// Most pages the cache holds.
const MAX_PAGES: usize = 1_000;

/// Most credentials whose principals are kept.
const MAX_PRINCIPALS: usize = 10_000;

/// How long a register version read from the database is taken as current
/// for changes made by other processes (the command line, another server).
/// Changes made through this [`crate::Store`] are seen at once.
pub const VERSION_TRUSTED_FOR: Duration = Duration::from_millis(50);

/// The pages of the current register version.
#[derive(Debug, Default)]
pub(crate) struct PageCache {
    inner: Mutex<Inner>,
    /// The pages being made: a request that misses waits for the one
    /// already making the same page instead of making it again (two hundred
    /// readers of a popular page after a change would otherwise all run its
    /// statements at once).
    flights: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// The register version last read from the database, and when.
    known: Mutex<Option<(i64, Instant)>>,
    /// Bumped after every change this store commits: a version read
    /// before the change is not kept after it.
    generation: AtomicU64,
    /// Principals of credentials (and a session's CSRF token), when read,
    /// and the generation they were read at.
    principals: Mutex<HashMap<String, KnownPrincipal>>,
}

/// A credential's principal (and a session's CSRF token) as read at `at`
/// in `generation`.
#[derive(Debug)]
struct KnownPrincipal {
    principal: Principal,
    csrf: Option<String>,
    at: Instant,
    generation: u64,
}

#[derive(Debug, Default)]
struct Inner {
    /// The version the pages were made at.
    version: i64,
    /// A counter of look-ups, to find the least recently used page.
    clock: u64,
    /// Rows held over all pages.
    rows: usize,
    pages: HashMap<String, Entry>,
}

#[derive(Debug)]
struct Entry {
    page: Arc<Page>,
    used: u64,
}

/// The key of the page a statement with these bound values makes.
pub(crate) fn key(sql: &str, args: &[(Value, Storage)]) -> String {
    let mut k = String::with_capacity(sql.len() + 16 * args.len());
    k.push_str(sql);
    for (v, s) in args {
        // Debug output escapes control characters, so "\0" separates.
        let _ = write!(k, "\0{v:?}:{s:?}");
    }
    k
}

impl PageCache {
    /// The page of `key` made at `version`, if there is one.
    pub fn get(&self, version: i64, key: &str) -> Option<Arc<Page>> {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if inner.version != version {
            return None;
        }
        inner.clock += 1;
        let now = inner.clock;
        let entry = inner.pages.get_mut(key)?;
        entry.used = now;
        Some(entry.page.clone())
    }

    /// Keeps the page of `key` made at `version`; pages of older versions
    /// go, and the least recently used ones while over the bounds.
    pub fn put(&self, version: i64, key: String, page: Arc<Page>) {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if version < inner.version || page.rows.len() > MAX_CACHED_ROWS / 4 {
            return;
        }
        if version > inner.version {
            inner.pages.clear();
            inner.rows = 0;
            inner.version = version;
        }
        inner.clock += 1;
        let used = inner.clock;
        inner.rows += page.rows.len();
        if let Some(old) = inner.pages.insert(key, Entry { page, used }) {
            inner.rows -= old.page.rows.len();
        }
        while inner.rows > MAX_CACHED_ROWS || inner.pages.len() > MAX_PAGES {
            let Some(oldest) = inner
                .pages
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(gone) = inner.pages.remove(&oldest) {
                inner.rows -= gone.page.rows.len();
            }
        }
    }

    /// The page of `key` at `version`: the one kept, or the one `make`
    /// makes, which is then kept. However many ask for a missing page at the
    /// same time, it is made once: the others wait for it.
    pub async fn shared<E>(
        &self,
        version: i64,
        key: String,
        make: impl Future<Output = Result<Page, E>>,
    ) -> Result<Arc<Page>, E> {
        if let Some(page) = self.get(version, &key) {
            return Ok(page);
        }
        let flight = {
            let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
            flights.entry(key.clone()).or_default().clone()
        };
        let made = async {
            let _making = flight.lock().await;
            // Made meanwhile by the reader this one waited for?
            if let Some(page) = self.get(version, &key) {
                return Ok(page);
            }
            let page = Arc::new(make.await?);
            self.put(version, key.clone(), page.clone());
            Ok(page)
        }
        .await;
        // Made or failed: the next to miss starts afresh.
        let mut flights = self.flights.lock().unwrap_or_else(|e| e.into_inner());
        flights.remove(&key);
        made
    }

    /// The register version, if one read less than [`VERSION_TRUSTED_FOR`]
    /// ago and since this store's last change is known.
    pub fn known_version(&self) -> Option<i64> {
        let known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        known
            .filter(|(_, at)| at.elapsed() < VERSION_TRUSTED_FOR)
            .map(|(v, _)| v)
    }

    /// The count of changes this store has committed, to pass to
    /// [`PageCache::learned`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// `version` was read from the database, starting at `at`, when
    /// `generation` changes had been committed; kept unless a change was
    /// committed since.
    pub fn learned(&self, generation: u64, version: i64, at: Instant) {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) == generation {
            *known = Some((version, at));
        }
    }

    /// This store committed a change (to the register or to accounts): the
    /// next reader asks the database, for the version and for principals.
    pub fn changed(&self) {
        let mut known = self.known.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::SeqCst);
        *known = None;
        drop(known);
        self.principals
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// The principal (and CSRF token) of `credential`, if read less than
    /// [`VERSION_TRUSTED_FOR`] ago and since this store's last change.
    pub fn principal(&self, credential: &str) -> Option<(Principal, Option<String>)> {
        let principals = self.principals.lock().unwrap_or_else(|e| e.into_inner());
        let k = principals.get(credential)?;
        let fresh = k.generation == self.generation.load(Ordering::SeqCst)
            && k.at.elapsed() < VERSION_TRUSTED_FOR;
        fresh.then(|| (k.principal.clone(), k.csrf.clone()))
    }

    /// Keeps the principal of `credential` read from `at` in `generation`
    /// (unless a change was committed since).
    pub fn keep_principal(
        &self,
        credential: &str,
        generation: u64,
        at: Instant,
        principal: Principal,
        csrf: Option<String>,
    ) {
        let mut principals = self.principals.lock().unwrap_or_else(|e| e.into_inner());
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if principals.len() >= MAX_PRINCIPALS {
            principals.retain(|_, k| k.at.elapsed() < VERSION_TRUSTED_FOR);
            if principals.len() >= MAX_PRINCIPALS {
                principals.clear();
            }
        }
        principals.insert(
            credential.to_owned(),
            KnownPrincipal {
                principal,
                csrf,
                at,
                generation,
            },
        );
    }

    /// Pages and rows held (for tests).
    #[cfg(test)]
    fn size(&self) -> (usize, usize) {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        (inner.pages.len(), inner.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Record;

    fn page(rows: usize) -> Arc<Page> {
        Arc::new(Page::new(
            rows as i64,
            (0..rows)
                .map(|i| Record {
                    row_id: Some(i as i64),
                    values: vec![Value::Int(i as i64)],
                })
                .collect(),
        ))
    }

    #[test]
    fn keys_differ_by_every_bound_value_and_its_type() {
        let a = key("SELECT 1", &[(Value::Text("x".into()), Storage::Text)]);
        let b = key("SELECT 1", &[(Value::Text("y".into()), Storage::Text)]);
        let c = key("SELECT 1", &[(Value::Int(1), Storage::Text)]);
        let d = key("SELECT 1", &[(Value::Text("1".into()), Storage::Text)]);
        let e = key(
            "SELECT 1",
            &[
                (Value::Text("a".into()), Storage::Text),
                (Value::Text("b".into()), Storage::Text),
            ],
        );
        let f = key("SELECT 1", &[(Value::Text("a\0b".into()), Storage::Text)]);
        let all = [&a, &b, &c, &d, &e, &f];
        for (i, x) in all.iter().enumerate() {
            for y in &all[i + 1..] {
                assert_ne!(x, y);
            }
        }
    }

    #[test]
    fn a_page_is_served_only_at_its_version() {
        let cache = PageCache::default();
        cache.put(3, "k".into(), page(2));
        assert_eq!(cache.get(3, "k").map(|p| p.total), Some(2));
        assert!(cache.get(4, "k").is_none());
        assert!(cache.get(3, "other").is_none());
        // A newer version empties the cache; an older one's page is not kept.
        cache.put(4, "j".into(), page(1));
        assert!(cache.get(3, "k").is_none());
        assert_eq!(cache.size(), (1, 1));
        cache.put(3, "k".into(), page(2));
        assert_eq!(cache.size(), (1, 1));
    }

    #[test]
    fn readers_missing_the_same_page_together_make_it_once() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let cache = PageCache::default();
        let made = std::sync::atomic::AtomicUsize::new(0);
        let make = || async {
            made.fetch_add(1, Ordering::SeqCst);
            // The others ask while this one is being made.
            tokio::task::yield_now().await;
            Ok::<_, ()>(Page::new(1, Vec::new()))
        };
        let (a, b, c) = rt.block_on(async {
            tokio::join!(
                cache.shared(1, "k".into(), make()),
                cache.shared(1, "k".into(), make()),
                cache.shared(1, "j".into(), make()),
            )
        });
        assert!(Arc::ptr_eq(&a.unwrap(), &b.unwrap()));
        assert!(c.is_ok());
        assert_eq!(made.load(Ordering::SeqCst), 2, "k once, j once");
        assert!(cache.flights.lock().unwrap().is_empty());
    }

    #[test]
    fn the_least_recently_used_pages_go_first_when_full() {
        let cache = PageCache::default();
        let big = MAX_CACHED_ROWS / 4;
        for k in ["a", "b", "c", "d"] {
            cache.put(1, k.into(), page(big));
        }
        assert_eq!(cache.size(), (4, MAX_CACHED_ROWS));
        assert!(cache.get(1, "a").is_some());
        cache.put(1, "e".into(), page(1));
        // "b" was the least recently used: it went, "a" (just read) stayed.
        assert!(cache.get(1, "b").is_none());
        assert!(cache.get(1, "a").is_some());
        assert_eq!(cache.size(), (4, 3 * big + 1));
        // A page larger than a quarter of the budget is not kept at all.
        cache.put(1, "huge".into(), page(big + 1));
        assert!(cache.get(1, "huge").is_none());
    }
}
