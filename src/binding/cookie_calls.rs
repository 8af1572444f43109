//! The two hot cookie calls, `cookies.set` and `cookies.get`, as raw Node-API functions
//! (`super::raw_call`): napi-derive's generated glue cost more than the cookie work itself,
//! about 0.7 µs of a 2.5 µs set, where the core needs about 1 µs.
//!
//! Arguments (optional ones undefined when not given). `set(url, texts, flags, sameSite,
//! expirationDate, creationDate, lastAccessDate)`: `texts` is name, value, domain and path
//! joined by NUL (one string crosses instead of four; a field holding a NUL itself shows up
//! as a wrong count and is refused as a control character, as Chromium refuses it).
//! `get(url, name, domain, path, flags)` returns the list in `cookie_wire`'s form. `flags`
//! are `CookieArg` bits: the booleans, and whether each was given.

use std::borrow::Cow;
use std::mem::MaybeUninit;
use std::sync::Arc;

use napi::bindgen_prelude::{Env, Unknown};
use napi::sys;
use napi_derive::napi;

use super::cookie_wire;
use super::raw_call::{function, run, Args, Failure};
use crate::core::cookies::create::reject;
use crate::core::cookies::exclusion::ExclusionReason;
use crate::core::cookies::{CookieFilter, SetDetails};
use crate::core::session::Session;

/// The `flags` bits of the raw cookie calls, exported to JS (binding.d.ts).
#[napi]
pub enum CookieArg {
    /// `secure` was given.
    SecureGiven = 1,
    /// The value of `secure`.
    Secure = 2,
    /// `httpOnly` was given.
    HttpOnlyGiven = 4,
    /// The value of `httpOnly`.
    HttpOnly = 8,
    /// get: `session` was given.
    SessionGiven = 16,
    /// The value of `session`.
    Session = 32,
}

fn has(flags: u32, arg: CookieArg) -> bool {
    flags & arg as u32 != 0
}

fn tri(flags: u32, given: CookieArg, value: CookieArg) -> Option<bool> {
    has(flags, given).then(|| has(flags, value))
}

/// Makes the raw `set` and `get` of `session`'s cookies.
pub fn make(
    env: &Env,
    session: &Arc<Session>,
) -> napi::Result<(Unknown<'static>, Unknown<'static>)> {
    Ok((
        function(env, c"set", set_callback, session)?,
        function(env, c"get", get_callback, session)?,
    ))
}

unsafe extern "C" fn set_callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    run(env, info, set)
}

unsafe extern "C" fn get_callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    run(env, info, get)
}

fn set(args: &Args) -> Result<Option<String>, Failure> {
    let mut url_buffer = [MaybeUninit::uninit(); 2048];
    let mut texts_buffer = [MaybeUninit::uninit(); 4096];
    let mut same_site_buffer = [MaybeUninit::uninit(); 64];
    let url = args.optional_string(0, &mut url_buffer)?;
    let texts = args.string(1, &mut texts_buffer)?;
    let flags = args.flags(2)?;
    let same_site = args.optional_string(3, &mut same_site_buffer)?;
    let mut fields = texts.split('\0');
    let (Some(name), Some(value), Some(domain), Some(path), None) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return Err(reject(ExclusionReason::DisallowedCharacter).into());
    };
    let details = SetDetails {
        url,
        name: Some(Cow::Borrowed(name)),
        value: Some(Cow::Borrowed(value)),
        domain: Some(Cow::Borrowed(domain)),
        path: Some(Cow::Borrowed(path)),
        secure: tri(flags, CookieArg::SecureGiven, CookieArg::Secure),
        http_only: tri(flags, CookieArg::HttpOnlyGiven, CookieArg::HttpOnly),
        expiration_date: args.number(4)?,
        creation_date: args.number(5)?,
        last_access_date: args.number(6)?,
        same_site,
    };
    args.session().cookies()?.set(&details)?;
    Ok(None)
}

fn get(args: &Args) -> Result<Option<String>, Failure> {
    let mut buffers = [[MaybeUninit::uninit(); 1024]; 4];
    let [url, name, domain, path] = &mut buffers;
    let flags = args.flags(4)?;
    let filter = CookieFilter {
        url: args.optional_string(0, url)?.map(Cow::into_owned),
        name: args.optional_string(1, name)?.map(Cow::into_owned),
        domain: args.optional_string(2, domain)?.map(Cow::into_owned),
        path: args.optional_string(3, path)?.map(Cow::into_owned),
        secure: tri(flags, CookieArg::SecureGiven, CookieArg::Secure),
        session: tri(flags, CookieArg::SessionGiven, CookieArg::Session),
        http_only: tri(flags, CookieArg::HttpOnlyGiven, CookieArg::HttpOnly),
    };
    let jar = args.session().cookies()?;
    Ok(Some(jar.with_matching(&filter, cookie_wire::encode)?))
}
