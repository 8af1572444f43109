//! The cookie jar of one session: cookies grouped by site in memory, every write mirrored
//! to the session's store when the cookie should outlive the process, Chromium's
//! SetCanonicalCookie/GetCookieList/DeleteCookies semantics, and change notifications.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::access::{sort_for_request, RequestScope};
use super::change::{ChangeCause, ChangeLog, ChangeSink};
use super::cookie::{CanonicalCookie, SameSite};
use super::create::{candidate_from_details, reject, scheme_takes_cookies, SetDetails};
use super::domain::{is_on_path, jar_key};
use super::eviction::{
    pick_global_victims, purge_site, take_expired, DOMAIN_MAX_COOKIES, MAX_COOKIES,
    SAFE_FROM_GLOBAL_PURGE,
};
use super::exclusion::ExclusionReason;
use super::filter::CookieFilter;
use super::persist;
use crate::core::store::KvTree;
use crate::core::time::{self, Micros, UniqueClock};
use crate::core::Result;

/// A session's cookies.
pub struct CookieJar {
    state: Mutex<JarState>,
    tree: Option<Arc<dyn KvTree>>,
    persist_session_cookies: bool,
    pub(super) sink: Arc<ChangeSink>,
}

pub(super) struct JarState {
    /// Cookies by site (registrable domain, or host when it has none).
    pub(super) sites: HashMap<String, Vec<CanonicalCookie>>,
    pub(super) total: usize,
    clock: UniqueClock,
    /// A lower bound of every cookie's last access; the global purge (which only takes
    /// cookies unused for 30 days) is skipped while it is recent, as Chromium does, so that
    /// a large jar does not scan itself on every insertion.
    earliest_access: Micros,
}

impl Default for JarState {
    fn default() -> Self {
        Self {
            sites: HashMap::new(),
            total: 0,
            clock: UniqueClock::default(),
            earliest_access: Micros::MAX,
        }
    }
}

impl CookieJar {
    /// A jar that keeps nothing beyond the process.
    pub fn in_memory(sink: Arc<ChangeSink>) -> Self {
        Self {
            state: Mutex::default(),
            tree: None,
            persist_session_cookies: false,
            sink,
        }
    }

    /// Opens the jar stored in `tree`. Expired cookies, and session cookies unless
    /// `persist_session_cookies`, are dropped from the store (as Chromium does at start-up);
    /// entries this version cannot decode are left untouched.
    pub fn open(
        tree: Arc<dyn KvTree>,
        persist_session_cookies: bool,
        sink: Arc<ChangeSink>,
    ) -> Result<Self> {
        let now = time::now();
        let mut state = JarState::default();
        let mut stale = Vec::new();
        tree.for_each(&mut |key, bytes| {
            let Some(cookie) = persist::decode(bytes) else {
                return;
            };
            if cookie.is_expired(now) || (!cookie.is_persistent() && !persist_session_cookies) {
                stale.push(key.to_vec());
                return;
            }
            state.clock.observe(cookie.creation);
            state.earliest_access = state.earliest_access.min(cookie.last_access);
            state.total += 1;
            let site = jar_key(&cookie.domain);
            match state.sites.get_mut(site) {
                Some(list) => list.push(cookie),
                None => {
                    let site = site.to_owned();
                    state.sites.insert(site, vec![cookie]);
                }
            }
        })?;
        for key in stale {
            tree.remove(&key)?;
        }
        Ok(Self {
            state: Mutex::new(state),
            tree: Some(tree),
            persist_session_cookies,
            sink,
        })
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, JarState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Number of cookies held (expired ones not yet swept included).
    pub fn len(&self) -> usize {
        self.lock().total
    }

    /// True when the jar holds no cookie.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn is_stored(&self, cookie: &CanonicalCookie) -> bool {
        self.tree.is_some() && (cookie.is_persistent() || self.persist_session_cookies)
    }

    /// Electron's `cookies.set(details)`: Chromium's CreateSanitizedCookie then
    /// SetCanonicalCookie with HttpOnly access granted only to an HttpOnly cookie.
    pub fn set(&self, details: &SetDetails) -> Result<()> {
        // One clock read serves the whole call (it is a measurable part of a set).
        let now = time::now();
        let candidate = candidate_from_details(details, now)?;
        if !scheme_takes_cookies(&candidate.url) {
            return Err(reject(ExclusionReason::NoncookieableScheme));
        }
        let mut cookie = candidate.cookie;
        if cookie.same_site == SameSite::NoRestriction && !cookie.secure {
            return Err(reject(ExclusionReason::SameSiteNoneInsecure));
        }
        let mut log = ChangeLog::new(&self.sink);
        let mut state = self.lock();
        let stamp = state.clock.tick_at(now);
        if candidate.stamp_creation {
            cookie.creation = stamp;
            cookie.last_access = stamp;
            cookie.last_update = stamp;
        }
        self.insert(&mut state, cookie, candidate.secure_source, now, &mut log)?;
        drop(state);
        log.deliver();
        Ok(())
    }

    /// Chromium's SetCanonicalCookie from the point the cookie is valid.
    fn insert(
        &self,
        state: &mut JarState,
        mut cookie: CanonicalCookie,
        secure_source: bool,
        now: Micros,
        log: &mut ChangeLog,
    ) -> Result<()> {
        let site_key = jar_key(&cookie.domain).to_owned();
        let site = state
            .sites
            .get(&site_key)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if !secure_source && site.iter().any(|c| would_shadow_secure(c, &cookie)) {
            return Err(reject(ExclusionReason::OverwriteSecure));
        }
        let existing = site.iter().position(|c| c.is_equivalent(&cookie));
        if let Some(old) = existing.map(|i| &site[i]) {
            if old.http_only && !cookie.http_only {
                return Err(reject(ExclusionReason::OverwriteHttpOnly));
            }
        }
        let already_expired = cookie.is_expired(cookie.creation);
        let store_new = !already_expired && self.is_stored(&cookie);
        let old_stored = existing.is_some_and(|i| self.is_stored(&site[i]));
        // Storage first, so that a failed write leaves the jar as it was.
        if let Some(tree) = &self.tree {
            if store_new {
                tree.insert(&persist::key(&cookie), &persist::encode(&cookie))?;
            } else if old_stored {
                tree.remove(&persist::key(&cookie))?;
            }
        }

        let site = state.sites.entry(site_key.clone()).or_default();
        let mut cause = ChangeCause::Inserted;
        if let Some(i) = existing {
            let old = site.remove(i);
            state.total -= 1;
            log.record(
                &old,
                if already_expired {
                    ChangeCause::ExpiredOverwrite
                } else {
                    ChangeCause::Overwrite
                },
            );
            if old.value == cookie.value {
                cookie.creation = old.creation;
                cause = if old.has_equivalent_data(&cookie) {
                    ChangeCause::InsertedNoChangeOverwrite
                } else {
                    ChangeCause::InsertedNoValueChangeOverwrite
                };
            }
        }
        if already_expired {
            if site.is_empty() {
                state.sites.remove(&site_key);
            }
            return Ok(());
        }
        log.record(&cookie, cause);
        state.earliest_access = state.earliest_access.min(cookie.last_access);
        site.push(cookie);
        state.total += 1;
        self.collect_garbage(state, &site_key, now, log)
    }

    /// Chromium's GarbageCollect after an insertion into `site_key`.
    fn collect_garbage(
        &self,
        state: &mut JarState,
        site_key: &str,
        now: Micros,
        log: &mut ChangeLog,
    ) -> Result<()> {
        if let Some(site) = state.sites.get_mut(site_key) {
            if site.len() > DOMAIN_MAX_COOKIES {
                let expired = take_expired(site, now);
                let evicted = purge_site(site);
                state.total -= expired.len() + evicted.len();
                self.forget(&expired, ChangeCause::Expired, log)?;
                self.forget(&evicted, ChangeCause::Evicted, log)?;
            }
        }
        if state.total > MAX_COOKIES && state.earliest_access < now - SAFE_FROM_GLOBAL_PURGE {
            self.sweep_expired(state, now, log)?;
            let sites = state.sites.iter().map(|(k, v)| (k.as_str(), v.as_slice()));
            let victims = pick_global_victims(sites, state.total, now);
            for (site_key, victim) in victims {
                if let Some(site) = state.sites.get_mut(&site_key) {
                    site.retain(|c| !c.is_equivalent(&victim));
                }
                state.total -= 1;
                self.forget(std::slice::from_ref(&victim), ChangeCause::Evicted, log)?;
            }
            state.sites.retain(|_, v| !v.is_empty());
            state.earliest_access = state
                .sites
                .values()
                .flatten()
                .map(|c| c.last_access)
                .min()
                .unwrap_or(Micros::MAX);
        }
        Ok(())
    }

    /// Removes removed cookies from the store and reports them.
    pub(super) fn forget(
        &self,
        removed: &[CanonicalCookie],
        cause: ChangeCause,
        log: &mut ChangeLog,
    ) -> Result<()> {
        for cookie in removed {
            if self.is_stored(cookie) {
                if let Some(tree) = &self.tree {
                    tree.remove(&persist::key(cookie))?;
                }
            }
            log.record(cookie, cause);
        }
        Ok(())
    }

    fn sweep_expired(&self, state: &mut JarState, now: Micros, log: &mut ChangeLog) -> Result<()> {
        for site in state.sites.values_mut() {
            let expired = take_expired(site, now);
            state.total -= expired.len();
            self.forget(&expired, ChangeCause::Expired, log)?;
        }
        state.sites.retain(|_, v| !v.is_empty());
        Ok(())
    }

    /// Electron's `cookies.get(filter)`: with a URL, the cookies a request to it would carry
    /// (HttpOnly included, SameSite ignored); without, all cookies. Sorted as Chromium sorts
    /// them: longer paths first, then earlier creation. Expired cookies are removed on the way.
    pub fn get(&self, filter: &CookieFilter) -> Result<Vec<CanonicalCookie>> {
        self.with_matching(filter, |cookies| {
            cookies.iter().map(|c| (*c).clone()).collect()
        })
    }

    /// `get` without copies: hands the matching cookies, in `get`'s order, to `f` while the
    /// jar is locked (the binding serialises them straight from here).
    pub fn with_matching<T>(
        &self,
        filter: &CookieFilter,
        f: impl FnOnce(&[&CanonicalCookie]) -> T,
    ) -> Result<T> {
        match filter.url.as_deref().filter(|u| !u.is_empty()) {
            Some(url) => self.with_scope(RequestScope::parse(url), filter, f),
            None => {
                let mut log = ChangeLog::new(&self.sink);
                let mut guard = self.lock();
                self.sweep_expired(&mut guard, time::now(), &mut log)?;
                let mut matching: Vec<_> = guard
                    .sites
                    .values()
                    .flatten()
                    .filter(|c| filter.matches(c))
                    .collect();
                sort_for_request(&mut matching);
                let out = f(&matching);
                drop(guard);
                log.deliver();
                Ok(out)
            }
        }
    }

    /// The cookies a request in `scope` may read that also match `filter`, in request order;
    /// none when the scope is `None` (a URL without cookies). Expired ones go on the way.
    pub(super) fn with_scope<T>(
        &self,
        scope: Option<RequestScope>,
        filter: &CookieFilter,
        f: impl FnOnce(&[&CanonicalCookie]) -> T,
    ) -> Result<T> {
        let mut log = ChangeLog::new(&self.sink);
        let mut guard = self.lock();
        let state = &mut *guard;
        let site = scope
            .as_ref()
            .and_then(|r| state.sites.get_mut(jar_key(&r.host)));
        let mut matching = Vec::new();
        if let (Some(scope), Some(site)) = (&scope, site) {
            let expired = take_expired(site, time::now());
            state.total -= expired.len();
            self.forget(&expired, ChangeCause::Expired, &mut log)?;
            matching.extend(
                site.iter()
                    .filter(|c| scope.includes(c) && filter.matches(c)),
            );
        }
        sort_for_request(&mut matching);
        let out = f(&matching);
        drop(guard);
        log.deliver();
        Ok(out)
    }
}

/// Chromium's rule that an insecure origin may not set a cookie that would shadow a Secure
/// one: same name, domains matching either way, and a path inside the secure cookie's.
fn would_shadow_secure(existing: &CanonicalCookie, new: &CanonicalCookie) -> bool {
    let bare = |d: &str| d.trim_start_matches('.').to_owned();
    existing.secure
        && existing.name == new.name
        && (existing.is_domain_match(&bare(&new.domain))
            || new.is_domain_match(&bare(&existing.domain)))
        && is_on_path(&existing.path, &new.path)
}
