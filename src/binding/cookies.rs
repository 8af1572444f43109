//! The native half of `Cookies`. Operations run synchronously on the JS thread once storage
//! is open (they are memory work plus a sled write, microseconds), so that the JS face can
//! answer with an already settled Promise.
//!
//! Changes are recorded only while someone listens. Those caused by a call on the JS thread
//! are buffered and taken by the JS face right after the call (it emits them on
//! `setImmediate`, which keeps the event loop alive until they are out); changes made on
//! other threads (responses, later) cross through a weak threadsafe function, so that a
//! listener alone never keeps Node alive.

use std::sync::{Arc, Mutex};
use std::thread::ThreadId;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use super::cookie_wire;
use super::error::{to_js, Code, IntoJs};
use crate::core::cookies::create::reject;
use crate::core::cookies::exclusion::ExclusionReason;
use crate::core::cookies::{ChangeListener, CookieChange, CookieFilter, SetDetails};
use crate::core::session::Session;

/// `ses.cookies`, native half.
#[napi]
pub struct NativeCookies {
    session: Arc<Session>,
    inline_changes: Arc<Mutex<Vec<String>>>,
}

impl NativeCookies {
    pub(crate) fn new(session: Arc<Session>) -> Self {
        Self {
            session,
            inline_changes: Arc::default(),
        }
    }
}

/// Sends each change to JS as JSON `{cookie, cause, removed}`: buffered when made on the JS
/// thread, through the weak threadsafe function otherwise.
struct JsChangeListener {
    js_thread: ThreadId,
    inline: Arc<Mutex<Vec<String>>>,
    tsfn: ThreadsafeFunction<String, (), String, Status, false, true>,
}

impl ChangeListener for JsChangeListener {
    fn cookie_changed(&self, change: &CookieChange) {
        let payload = serde_json::json!({
            "cookie": change.cookie.to_electron(),
            "cause": change.cause.as_str(),
            "removed": change.cause.is_removal(),
        })
        .to_string();
        if std::thread::current().id() == self.js_thread {
            self.inline
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(payload);
        } else {
            self.tsfn
                .call(payload, ThreadsafeFunctionCallMode::NonBlocking);
        }
    }
}

#[napi]
impl NativeCookies {
    /// `cookies.set(details)`; throws Electron's rejection message. `texts` carries name,
    /// value, domain and path joined by NUL (one string crosses instead of four; a field
    /// holding a NUL itself shows up as a wrong count and is refused as a control character).
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn set(
        &self,
        url: Option<String>,
        texts: String,
        secure: Option<bool>,
        http_only: Option<bool>,
        expiration_date: Option<f64>,
        same_site: Option<String>,
        creation_date: Option<f64>,
        last_access_date: Option<f64>,
    ) -> Result<(), Code> {
        let mut fields = texts.split('\0');
        let (Some(name), Some(value), Some(domain), Some(path), None) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return Err(to_js(reject(ExclusionReason::DisallowedCharacter)));
        };
        let details = SetDetails {
            url,
            name: Some(name.to_owned()),
            value: Some(value.to_owned()),
            domain: Some(domain.to_owned()),
            path: Some(path.to_owned()),
            secure,
            http_only,
            expiration_date,
            creation_date,
            last_access_date,
            same_site,
        };
        self.session.cookies().into_js()?.set(&details).into_js()
    }

    /// `cookies.get(filter)`, answered in the compact form of `cookie_wire`.
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn get(
        &self,
        url: Option<String>,
        name: Option<String>,
        domain: Option<String>,
        path: Option<String>,
        secure: Option<bool>,
        session: Option<bool>,
        http_only: Option<bool>,
    ) -> Result<String, Code> {
        let filter = CookieFilter {
            url,
            name,
            domain,
            path,
            secure,
            session,
            http_only,
        };
        let jar = self.session.cookies().into_js()?;
        jar.with_matching(&filter, cookie_wire::encode).into_js()
    }

    /// `cookies.remove(url, name)`; returns how many cookies went.
    #[napi]
    pub fn remove(&self, url: String, name: String) -> Result<u32, Code> {
        let removed = self
            .session
            .cookies()
            .into_js()?
            .remove(&url, &name)
            .into_js()?;
        Ok(removed as u32)
    }

    /// The changes made by the last calls on the JS thread, as a JSON array, or null.
    #[napi]
    pub fn take_changes(&self) -> Option<String> {
        let mut inline = self
            .inline_changes
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if inline.is_empty() {
            return None;
        }
        let joined = format!("[{}]", inline.join(","));
        inline.clear();
        Some(joined)
    }

    /// Installs the `changed` listener (or removes it with null).
    #[napi(ts_args_type = "listener: ((change: string) => void) | null")]
    pub fn set_change_listener(&self, listener: Option<Function<String, ()>>) -> Result<()> {
        let sink = self.session.cookie_sink();
        match listener {
            None => sink.set_listener(None),
            Some(f) => {
                let tsfn = f
                    .build_threadsafe_function::<String>()
                    .callee_handled::<false>()
                    .weak::<true>()
                    .build()?;
                sink.set_listener(Some(Arc::new(JsChangeListener {
                    js_thread: std::thread::current().id(),
                    inline: self.inline_changes.clone(),
                    tsfn,
                })));
            }
        }
        Ok(())
    }
}
