//! The two hot cookie calls, `cookies.set` and `cookies.get`, as raw Node-API functions.
//! napi-derive's generated glue (a borrow scope, the class unwrap, an owned `String` per
//! argument) cost more than the cookie work itself: about 0.7 µs of a 2.5 µs set, where
//! the core needs about 1 µs. These read their few arguments straight from Node-API (the
//! strings into a stack buffer), hold their session through the function's own data
//! pointer, and throw the core's errors with message and `code` set here, as
//! `super::error` does for every other call.
//!
//! Arguments (optional ones undefined when not given). `set(url, texts, flags, sameSite,
//! expirationDate, creationDate, lastAccessDate)`: `texts` is name, value, domain and path
//! joined by NUL (one string crosses instead of four; a field holding a NUL itself shows up
//! as a wrong count and is refused as a control character, as Chromium refuses it).
//! `get(url, name, domain, path, flags)` returns the list in `cookie_wire`'s form. `flags`
//! are `CookieArg` bits: the booleans, and whether each was given.

use std::borrow::Cow;
use std::ffi::{c_char, c_void, CString};
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::Arc;

use napi::bindgen_prelude::{Env, Status, Unknown};
use napi::sys;
use napi_derive::napi;

use super::cookie_wire;
use crate::core::cookies::create::reject;
use crate::core::cookies::exclusion::ExclusionReason;
use crate::core::cookies::{CookieFilter, SetDetails};
use crate::core::session::Session;
use crate::core::Error;

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

type Callback = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

/// A JS function calling `callback` with `session` as its data; the session's reference is
/// released when the function is collected.
fn function(
    env: &Env,
    name: &std::ffi::CStr,
    callback: Callback,
    session: &Arc<Session>,
) -> napi::Result<Unknown<'static>> {
    let data = Arc::into_raw(session.clone()) as *mut c_void;
    let mut value = ptr::null_mut();
    // SAFETY: plain Node-API calls on the JS thread; `data` is released by `release`, once.
    unsafe {
        let status = sys::napi_create_function(
            env.raw(),
            name.as_ptr(),
            name.to_bytes().len() as isize,
            Some(callback),
            data,
            &mut value,
        );
        if status != sys::Status::napi_ok {
            drop(Arc::from_raw(data as *const Session));
            return Err(napi::Error::new(
                Status::from(status),
                "napi_create_function",
            ));
        }
        let status = sys::napi_add_finalizer(
            env.raw(),
            value,
            data,
            Some(release),
            ptr::null_mut(),
            ptr::null_mut(),
        );
        if status != sys::Status::napi_ok {
            drop(Arc::from_raw(data as *const Session));
            return Err(napi::Error::new(Status::from(status), "napi_add_finalizer"));
        }
        Ok(Unknown::from_raw_unchecked(env.raw(), value))
    }
}

unsafe extern "C" fn release(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    // SAFETY: `data` came from `Arc::into_raw` in `function`, and is released only here.
    drop(unsafe { Arc::from_raw(data as *const Session) });
}

/// What a raw call ends with, before it becomes a JS value or a throw.
enum Failure {
    /// A core error: thrown as `Error` with its message and code.
    Core(Error),
    /// Node-API refused an argument (the JS face passes the right types, so this is a bug).
    Argument,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self::Core(error)
    }
}

/// The most arguments a raw call takes.
const ARGS: usize = 7;

/// The arguments of one call.
struct Args {
    env: sys::napi_env,
    values: [sys::napi_value; ARGS],
    session: *const Session,
}

impl Args {
    /// SAFETY: `env` and `info` are the callback's own.
    unsafe fn read(env: sys::napi_env, info: sys::napi_callback_info) -> Result<Self, Failure> {
        let mut count = ARGS;
        let mut values = [ptr::null_mut(); ARGS];
        let mut data = ptr::null_mut();
        let status = unsafe {
            sys::napi_get_cb_info(
                env,
                info,
                &mut count,
                values.as_mut_ptr(),
                ptr::null_mut(),
                &mut data,
            )
        };
        if status != sys::Status::napi_ok || data.is_null() {
            return Err(Failure::Argument);
        }
        Ok(Self {
            env,
            values,
            session: data as *const Session,
        })
    }

    fn session(&self) -> &Session {
        // SAFETY: the function holds its session alive (see `function`).
        unsafe { &*self.session }
    }

    /// Argument `i` as UTF-8: into `stack` when it fits, else onto the heap. (The stack
    /// buffer is not zeroed first: that alone cost as much as reading the strings.)
    fn string<'a>(
        &self,
        i: usize,
        stack: &'a mut [MaybeUninit<u8>],
    ) -> Result<Cow<'a, str>, Failure> {
        let value = self.values[i];
        // SAFETY: `stack` is writable for its length.
        let copied = unsafe { self.write_utf8(value, stack.as_mut_ptr().cast(), stack.len()) }?;
        if copied + 1 < stack.len() {
            // SAFETY: Node-API initialized the first `copied` bytes.
            let bytes = unsafe { std::slice::from_raw_parts(stack.as_ptr().cast::<u8>(), copied) };
            // V8 writes well-formed UTF-8 (a lone surrogate becomes U+FFFD).
            return Ok(match std::str::from_utf8(bytes) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(bytes),
            });
        }
        // It may not have fit: ask for the length (a null buffer) and read it whole.
        // SAFETY: a null buffer is only measured; `heap` is writable for its length.
        let length = unsafe { self.write_utf8(value, ptr::null_mut(), 0) }?;
        let mut heap = vec![0u8; length + 1];
        let copied = unsafe { self.write_utf8(value, heap.as_mut_ptr(), heap.len()) }?;
        heap.truncate(copied);
        Ok(Cow::Owned(String::from_utf8(heap).unwrap_or_else(|e| {
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        })))
    }

    /// Writes string `value` as UTF-8 into `buffer` (at most `length - 1` bytes and a NUL);
    /// the bytes written, or with a null `buffer` the bytes the whole string takes.
    ///
    /// SAFETY: `buffer` is null or writable for `length` bytes.
    unsafe fn write_utf8(
        &self,
        value: sys::napi_value,
        buffer: *mut u8,
        length: usize,
    ) -> Result<usize, Failure> {
        let mut written = 0usize;
        let status = unsafe {
            sys::napi_get_value_string_utf8(
                self.env,
                value,
                buffer as *mut c_char,
                length,
                &mut written,
            )
        };
        if status != sys::Status::napi_ok {
            return Err(Failure::Argument);
        }
        Ok(written)
    }

    /// Argument `i` as UTF-8, `None` when it is undefined or null.
    fn optional_string<'a>(
        &self,
        i: usize,
        stack: &'a mut [MaybeUninit<u8>],
    ) -> Result<Option<Cow<'a, str>>, Failure> {
        if self.is_nullish(i)? {
            return Ok(None);
        }
        self.string(i, stack).map(Some)
    }

    fn is_nullish(&self, i: usize) -> Result<bool, Failure> {
        let mut kind = sys::ValueType::napi_undefined;
        // SAFETY: reads the type of an argument (a missing one reads as undefined).
        let status = unsafe { sys::napi_typeof(self.env, self.values[i], &mut kind) };
        if status != sys::Status::napi_ok {
            return Err(Failure::Argument);
        }
        Ok(matches!(
            kind,
            sys::ValueType::napi_undefined | sys::ValueType::napi_null
        ))
    }

    fn flags(&self, i: usize) -> Result<u32, Failure> {
        let mut flags = 0u32;
        // SAFETY: reads a number argument.
        let status = unsafe { sys::napi_get_value_uint32(self.env, self.values[i], &mut flags) };
        if status != sys::Status::napi_ok {
            return Err(Failure::Argument);
        }
        Ok(flags)
    }

    /// Argument `i` as a number, `None` when it is undefined.
    fn number(&self, i: usize) -> Result<Option<f64>, Failure> {
        let mut kind = sys::ValueType::napi_undefined;
        // SAFETY: reads the type, then the number, of an argument.
        unsafe {
            if sys::napi_typeof(self.env, self.values[i], &mut kind) != sys::Status::napi_ok {
                return Err(Failure::Argument);
            }
            if kind != sys::ValueType::napi_number {
                return Ok(None);
            }
            let mut number = 0f64;
            if sys::napi_get_value_double(self.env, self.values[i], &mut number)
                != sys::Status::napi_ok
            {
                return Err(Failure::Argument);
            }
            Ok(Some(number))
        }
    }
}

/// Runs a raw call: its value, or a JS throw for its failure. A panic is thrown too (an
/// `extern "C"` function must never unwind into Node).
fn run(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    call: fn(&Args) -> Result<Option<String>, Failure>,
) -> sys::napi_value {
    // SAFETY: `env` and `info` are the callback's own.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let args = unsafe { Args::read(env, info) }?;
        call(&args)
    }))
    .unwrap_or_else(|_| {
        Err(Failure::Core(Error::Storage(
            "the cookie call panicked".to_owned(),
        )))
    });
    let mut value = ptr::null_mut();
    // SAFETY: plain Node-API calls on the JS thread.
    unsafe {
        match outcome {
            Ok(None) => sys::napi_get_undefined(env, &mut value),
            Ok(Some(text)) => sys::napi_create_string_utf8(
                env,
                text.as_ptr() as *const c_char,
                text.len() as isize,
                &mut value,
            ),
            Err(Failure::Core(error)) => {
                throw(env, error.code(), &error.to_string());
                return ptr::null_mut();
            }
            Err(Failure::Argument) => {
                let code = c"ERR_INVALID_ARG_TYPE";
                let message = c"a raw cookie call got an argument of the wrong type";
                sys::napi_throw_type_error(env, code.as_ptr(), message.as_ptr());
                return ptr::null_mut();
            }
        };
    }
    value
}

/// SAFETY: on the JS thread, in a callback.
unsafe fn throw(env: sys::napi_env, code: &str, message: &str) {
    let text = |s: &str| CString::new(s.replace('\0', "\\0")).unwrap_or_default();
    let (code, message) = (text(code), text(message));
    unsafe { sys::napi_throw_error(env, code.as_ptr(), message.as_ptr()) };
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
