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

use super::cookie_calls;
use super::error::{Code, IntoJs};
use crate::core::cookies::{ChangeListener, CookieChange};
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
    /// The raw `set` and `get` of these cookies (`cookie_calls` explains why they are raw,
    /// and their arguments).
    #[napi(
        ts_return_type = "{ set: (url: string | undefined, texts: string, flags: number, sameSite: string | undefined, expirationDate: number | undefined, creationDate: number | undefined, lastAccessDate: number | undefined) => void; get: (url: string | undefined, name: string | undefined, domain: string | undefined, path: string | undefined, flags: number) => string }"
    )]
    pub fn raw_calls(&self, env: Env) -> Result<Object<'static>> {
        let (set, get) = cookie_calls::make(&env, &self.session)?;
        let mut calls = Object::new(&env)?;
        calls.set_named_property("set", set)?;
        calls.set_named_property("get", get)?;
        Ok(calls)
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
