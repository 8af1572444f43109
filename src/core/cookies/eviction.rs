//! Chromium's cookie limits: per site (180 cookies, purged to 150 by priority, non-secure
//! first, least recently used first) and in all (3300, purged to 3000 among cookies unused
//! for 30 days). The jar calls these after every insertion.

use super::cookie::{CanonicalCookie, Priority};
use crate::core::time::{Micros, DAY};

/// Most cookies one site (registrable domain) may hold.
pub const DOMAIN_MAX_COOKIES: usize = 180;
/// How far below the maximum a site purge goes.
pub const DOMAIN_PURGE_COOKIES: usize = 30;
/// Most cookies a jar may hold.
pub const MAX_COOKIES: usize = 3300;
/// How far below the maximum a global purge goes.
pub const PURGE_COOKIES: usize = 300;
/// Cookies used within this long are safe from the global purge.
pub const SAFE_FROM_GLOBAL_PURGE: Micros = 30 * DAY;

/// How many cookies of each priority a site purge protects (low, medium, high).
const DOMAIN_QUOTAS: [usize; 3] = [30, 50, 70];

/// Chromium's purge rounds: priority, and whether secure cookies are spared in the round.
const PURGE_ROUNDS: [(Priority, bool); 6] = [
    (Priority::Low, true),
    (Priority::Low, false),
    (Priority::Medium, true),
    (Priority::High, true),
    (Priority::Medium, false),
    (Priority::High, false),
];

fn quota_index(p: Priority) -> usize {
    match p {
        Priority::Low => 0,
        Priority::Medium => 1,
        Priority::High => 2,
    }
}

/// Removes expired cookies from a site's list, returning them.
pub fn take_expired(cookies: &mut Vec<CanonicalCookie>, now: Micros) -> Vec<CanonicalCookie> {
    if !cookies.iter().any(|c| c.is_expired(now)) {
        return Vec::new();
    }
    let (expired, live) = std::mem::take(cookies)
        .into_iter()
        .partition(|c| c.is_expired(now));
    *cookies = live;
    expired
}

/// When a site holds more than the maximum, evicts down to 150 and returns the evicted.
pub fn purge_site(cookies: &mut Vec<CanonicalCookie>) -> Vec<CanonicalCookie> {
    let mut evicted = Vec::new();
    if cookies.len() <= DOMAIN_MAX_COOKIES {
        return evicted;
    }
    let purge_goal = cookies.len() - (DOMAIN_MAX_COOKIES - DOMAIN_PURGE_COOKIES);
    cookies.sort_by_key(|c| c.last_access);
    let mut quotas = DOMAIN_QUOTAS;
    for (priority, protect_secure) in PURGE_ROUNDS {
        if evicted.len() >= purge_goal {
            break;
        }
        let goal = purge_goal - evicted.len();
        let quota = &mut quotas[quota_index(priority)];
        purge_least_recent(cookies, priority, quota, goal, protect_secure, &mut evicted);
    }
    evicted
}

/// Chromium's PurgeLeastRecentMatches for one round.
fn purge_least_recent(
    cookies: &mut Vec<CanonicalCookie>,
    priority: Priority,
    to_protect: &mut usize,
    purge_goal: usize,
    protect_secure: bool,
    evicted: &mut Vec<CanonicalCookie>,
) {
    let at_priority = cookies.iter().filter(|c| c.priority == priority).count();
    if at_priority <= *to_protect {
        return;
    }
    let secure = if protect_secure {
        cookies
            .iter()
            .filter(|c| c.priority == priority && c.secure)
            .count()
    } else {
        0
    };
    let mut deletable = at_priority
        - if protect_secure {
            secure.max(*to_protect)
        } else {
            *to_protect
        };
    let mut removed = 0;
    let mut i = 0;
    while removed < purge_goal && i < cookies.len() && deletable > 0 {
        let c = &cookies[i];
        if c.priority == priority && !(protect_secure && c.secure) {
            evicted.push(cookies.remove(i));
            removed += 1;
            deletable -= 1;
        } else {
            i += 1;
        }
    }
    *to_protect -= (*to_protect).min(secure);
}

/// Picks the cookies a global purge evicts from a jar holding `total` live cookies: the
/// least recently used, non-secure before secure, only among those unused for 30 days.
/// Returns each victim with the key of the site it sits in.
pub fn pick_global_victims<'a>(
    sites: impl Iterator<Item = (&'a str, &'a [CanonicalCookie])>,
    total: usize,
    now: Micros,
) -> Vec<(String, CanonicalCookie)> {
    if total <= MAX_COOKIES {
        return Vec::new();
    }
    let mut purge_goal = total - (MAX_COOKIES - PURGE_COOKIES);
    let safe_date = now - SAFE_FROM_GLOBAL_PURGE;
    let mut old_non_secure = Vec::new();
    let mut old_secure = Vec::new();
    for (key, cookies) in sites {
        for c in cookies.iter().filter(|c| c.last_access < safe_date) {
            if c.secure {
                old_secure.push((key, c));
            } else {
                old_non_secure.push((key, c));
            }
        }
    }
    let mut victims = Vec::new();
    for mut group in [old_non_secure, old_secure] {
        group.sort_by_key(|(_, c)| c.last_access);
        let take = purge_goal.min(group.len());
        victims.extend(
            group
                .into_iter()
                .take(take)
                .map(|(k, c)| (k.to_owned(), c.clone())),
        );
        purge_goal -= take;
    }
    victims
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::cookies::cookie::SameSite;

    fn cookie(i: usize, secure: bool, priority: Priority) -> CanonicalCookie {
        CanonicalCookie {
            name: format!("c{i}"),
            value: String::new(),
            domain: "example.com".into(),
            path: "/".into(),
            creation: i as i64,
            expiry: None,
            last_access: i as i64,
            last_update: i as i64,
            secure,
            http_only: false,
            same_site: SameSite::Lax,
            priority,
        }
    }

    #[test]
    fn site_purge_takes_least_recent_non_secure_first() {
        let mut cookies: Vec<_> = (0..181)
            .map(|i| cookie(i, i % 2 == 0, Priority::Medium))
            .collect();
        let evicted = purge_site(&mut cookies);
        assert_eq!(cookies.len(), 150);
        assert_eq!(evicted.len(), 31);
        assert!(evicted.iter().all(|c| !c.secure));
        assert_eq!(evicted[0].name, "c1");
        assert_eq!(evicted[30].name, "c61");
    }

    #[test]
    fn site_purge_spares_high_priority() {
        let mut cookies: Vec<_> = (0..181)
            .map(|i| {
                cookie(
                    i,
                    false,
                    if i < 100 {
                        Priority::High
                    } else {
                        Priority::Low
                    },
                )
            })
            .collect();
        let evicted = purge_site(&mut cookies);
        assert_eq!(evicted.len(), 31);
        assert!(evicted.iter().all(|c| c.priority == Priority::Low));
    }
}
