//! Cookie change notifications with Chromium's causes, spelled as Electron emits them, and
//! the sink through which the jar reports them to whoever listens.

use std::sync::{Arc, RwLock};

use super::cookie::CanonicalCookie;

/// Why a cookie changed (Chromium's CookieChangeCause).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeCause {
    /// A new cookie was stored.
    Inserted,
    /// An identical cookie was stored over an existing one.
    InsertedNoChangeOverwrite,
    /// A cookie with the same value but other attributes was stored over an existing one.
    InsertedNoValueChangeOverwrite,
    /// Deleted by an explicit call.
    Explicit,
    /// Deleted because a new cookie took its place.
    Overwrite,
    /// Deleted because it expired.
    Expired,
    /// Deleted by the per-site or global limits.
    Evicted,
    /// Deleted because it was overwritten by an already expired cookie.
    ExpiredOverwrite,
}

impl ChangeCause {
    /// Electron's string for the cause.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inserted => "inserted",
            Self::InsertedNoChangeOverwrite => "inserted-no-change-overwrite",
            Self::InsertedNoValueChangeOverwrite => "inserted-no-value-change-overwrite",
            Self::Explicit => "explicit",
            Self::Overwrite => "overwrite",
            Self::Expired => "expired",
            Self::Evicted => "evicted",
            Self::ExpiredOverwrite => "expired-overwrite",
        }
    }

    /// True when the change took the cookie out of the jar (Electron's `removed`).
    pub fn is_removal(self) -> bool {
        !matches!(
            self,
            Self::Inserted | Self::InsertedNoChangeOverwrite | Self::InsertedNoValueChangeOverwrite
        )
    }
}

/// One change: the cookie concerned (the old one for a removal) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct CookieChange {
    /// The cookie added or removed.
    pub cookie: CanonicalCookie,
    /// Why.
    pub cause: ChangeCause,
}

/// Receives the jar's changes, in order, after the jar's lock is released.
pub trait ChangeListener: Send + Sync {
    /// Called once per change.
    fn cookie_changed(&self, change: &CookieChange);
}

/// Where a jar reports changes; nothing is recorded while nobody listens.
#[derive(Default)]
pub struct ChangeSink {
    listener: RwLock<Option<Arc<dyn ChangeListener>>>,
}

impl ChangeSink {
    /// Installs (or with `None` removes) the listener.
    pub fn set_listener(&self, listener: Option<Arc<dyn ChangeListener>>) {
        *self.listener.write().unwrap_or_else(|p| p.into_inner()) = listener;
    }

    /// The current listener, if any.
    pub fn listener(&self) -> Option<Arc<dyn ChangeListener>> {
        self.listener
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Changes gathered under the jar's lock and delivered after it.
pub struct ChangeLog {
    listener: Option<Arc<dyn ChangeListener>>,
    changes: Vec<CookieChange>,
}

impl ChangeLog {
    /// A log for one operation; it records only if someone listens.
    pub fn new(sink: &ChangeSink) -> Self {
        Self {
            listener: sink.listener(),
            changes: Vec::new(),
        }
    }

    /// Records a change (cloning the cookie only when someone listens).
    pub fn record(&mut self, cookie: &CanonicalCookie, cause: ChangeCause) {
        if self.listener.is_some() {
            self.changes.push(CookieChange {
                cookie: cookie.clone(),
                cause,
            });
        }
    }

    /// Delivers the recorded changes in order.
    pub fn deliver(self) {
        if let Some(listener) = self.listener {
            for change in &self.changes {
                listener.cookie_changed(change);
            }
        }
    }
}
