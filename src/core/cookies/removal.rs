//! Deleting cookies from a jar: Electron's `cookies.remove(url, name)` (what a request to the
//! URL would carry, by name) and clearing whole sites (`clearData`, `clearStorageData`).

use super::access::RequestScope;
use super::change::{ChangeCause, ChangeLog};
use super::cookie::CanonicalCookie;
use super::domain::jar_key;
use super::jar::CookieJar;
use crate::core::Result;

impl CookieJar {
    /// Deletes every cookie of the sites (jar keys: registrable domains, else hosts) that
    /// `site_selected` picks, as Electron's `clearData`/`clearStorageData` clear cookies at
    /// the registrable-domain level. Returns how many went.
    pub fn remove_sites(&self, site_selected: impl Fn(&str) -> bool) -> Result<usize> {
        let mut log = ChangeLog::new(&self.sink);
        let mut state = self.lock();
        let doomed_sites: Vec<String> = state
            .sites
            .keys()
            .filter(|k| site_selected(k))
            .cloned()
            .collect();
        let mut removed = 0;
        for key in doomed_sites {
            if let Some(site) = state.sites.remove(&key) {
                let doomed: Vec<CanonicalCookie> = site.into_iter().collect();
                self.forget(&doomed, ChangeCause::Explicit, &mut log)?;
                state.total -= doomed.len();
                removed += doomed.len();
            }
        }
        drop(state);
        log.deliver();
        Ok(removed)
    }

    /// Electron's `cookies.remove(url, name)`: deletes every cookie called `name` that a
    /// request to `url` would carry. Returns how many went.
    pub fn remove(&self, url: &str, name: &str) -> Result<usize> {
        let Some(request) = RequestScope::parse(url) else {
            return Ok(0);
        };
        let mut log = ChangeLog::new(&self.sink);
        let mut state = self.lock();
        let site_key = jar_key(&request.host).to_owned();
        let Some(site) = state.sites.get_mut(&site_key) else {
            return Ok(0);
        };
        let doomed: Vec<CanonicalCookie> = site
            .iter()
            .filter(|c| c.name == name && request.includes(c))
            .cloned()
            .collect();
        self.forget(&doomed, ChangeCause::Explicit, &mut log)?;
        site.retain(|c| !(c.name == name && request.includes(c)));
        if site.is_empty() {
            state.sites.remove(&site_key);
        }
        state.total -= doomed.len();
        drop(state);
        log.deliver();
        Ok(doomed.len())
    }
}
