//! Core errors to JS errors, converted here and nowhere else: every throw and rejection of
//! the binding is an `Error` whose `message` is the core's (`net::ERR_…`, or Electron's
//! wording) and whose `code` is the core's stable code (`ERR_…`), both set natively.

use std::future::Future;

use napi::bindgen_prelude::{JsError, PromiseRaw, ToNapiValue, Unknown};
use napi::Env;

use crate::core::net_error::NetError;
use crate::core::Error;

/// The `code` of a JS error the binding makes (napi-rs writes an error's status as `code`).
#[derive(Debug, Clone, Copy)]
pub struct Code(pub &'static str);

impl AsRef<str> for Code {
    fn as_ref(&self) -> &str {
        self.0
    }
}

/// What a native function throws.
pub type Thrown = napi::Error<Code>;

/// Converts a core error into the JS error thrown (or rejected).
pub fn to_js(error: Error) -> Thrown {
    napi::Error::new(Code(error.code()), error.to_string())
}

/// Shorthand for `result.map_err(to_js)`.
pub trait IntoJs<T> {
    /// Converts the error side into a JS error.
    fn into_js(self) -> napi::Result<T, Code>;
}

impl<T, E: Into<Error>> IntoJs<T> for std::result::Result<T, E> {
    fn into_js(self) -> napi::Result<T, Code> {
        self.map_err(|e| to_js(e.into()))
    }
}

/// A network error as JS sees it: `message` `net::ERR_CONNECTION_REFUSED`, `code`
/// `ERR_CONNECTION_REFUSED`.
pub fn net_to_js(error: NetError) -> Thrown {
    to_js(error.into())
}

/// A Promise settled by `work` on tokio: a core error rejects it with the same message and
/// `code` a throw would carry. (napi-rs rejects a spawned future's error with its own status
/// as `code`, so the error object is made here, on the JS thread, and handed over as is.)
pub fn promise<'env, T, F>(env: &'env Env, work: F) -> napi::Result<PromiseRaw<'env, T>>
where
    T: 'static + Send + ToNapiValue,
    F: 'static + Send + Future<Output = Result<T, Error>>,
{
    env.spawn_future_with_callback(async move { Ok(work.await) }, |env, outcome| {
        outcome.map_err(|error| rejection(env, error))
    })
}

fn rejection(env: &Env, error: Error) -> napi::Error {
    // SAFETY: called on the JS thread with its env (the resolver of a spawned future).
    unsafe {
        let value = JsError::from(to_js(error)).into_value(env.raw());
        napi::Error::from(Unknown::from_raw_unchecked(env.raw(), value))
    }
}

/// Chromium's number for a net error name (`ERR_FAILED` -> -2), from the one table in
/// `crate::core::net_error`, so the JS face never writes the numbers itself.
#[napi_derive::napi]
pub fn net_error_number(name: String) -> Option<i32> {
    NetError::from_name(&name).map(NetError::code)
}
