//! Core errors to JS errors, converted here and nowhere else. The JS face turns them into
//! plain `Error`s with the same message (and, for `net::ERR_*`, a `code`).

use crate::core::net_error::NetError;
use crate::core::Error;

/// Converts a core error into the napi error thrown (or rejected) in JS.
pub fn to_js(error: Error) -> napi::Error {
    napi::Error::from_reason(error.to_string())
}

/// Shorthand for `result.map_err(to_js)`.
pub trait IntoJs<T> {
    /// Converts the error side into a JS error.
    fn into_js(self) -> napi::Result<T>;
}

impl<T> IntoJs<T> for crate::core::Result<T> {
    fn into_js(self) -> napi::Result<T> {
        self.map_err(to_js)
    }
}

/// A network error as JS sees it: `Error('net::ERR_CONNECTION_REFUSED')`.
pub fn net_to_js(error: NetError) -> napi::Error {
    napi::Error::from_reason(net_message(error))
}

/// A network error's message, for errors that travel as events rather than throws.
pub fn net_message(error: NetError) -> String {
    error.message()
}

/// `text` with the userinfo of every URL in it masked, for messages the JS face composes
/// (one implementation: `crate::core::redact`).
#[napi_derive::napi]
pub fn redact_userinfo(text: String) -> String {
    crate::core::redact::userinfo(&text).into_owned()
}

/// Chromium's number for a net error name (`ERR_FAILED` -> -2), from the one table in
/// `crate::core::net_error`, so the JS face never writes the numbers itself.
#[napi_derive::napi]
pub fn net_error_number(name: String) -> Option<i32> {
    NetError::from_name(&name).map(NetError::code)
}
