//! Raw Node-API functions for the hottest synchronous calls, where napi-derive's generated
//! glue (a borrow scope, the class unwrap, an owned `String` per argument) costs more than
//! the work: the arguments are read straight from Node-API (strings into the caller's stack
//! buffer), the session rides in the function's own data pointer, and failures are thrown
//! with message and `code` set here, as `super::error` does for every other call. A panic is
//! thrown as a JS error too: an `extern "C"` function must never unwind into Node.

use std::borrow::Cow;
use std::ffi::{c_char, c_void, CString};
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::Arc;

use napi::bindgen_prelude::{Env, Status, Unknown};
use napi::sys;

use crate::core::session::Session;
use crate::core::Error;

/// A raw Node-API callback.
pub type Callback = unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value;

/// A JS function calling `callback` with `session` as its data; the session's reference is
/// released when the function is collected.
pub fn function(
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
pub enum Failure {
    /// A core error: thrown as `Error` with its message and code.
    Core(Error),
    /// Node-API refused an argument (the JS face passes the right types, so this is a bug).
    Argument,
    /// The call panicked (a bug): thrown, never unwound into Node.
    Panicked,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self::Core(error)
    }
}

/// The most arguments a raw call takes.
const ARGS: usize = 7;

/// The arguments of one call.
pub struct Args {
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

    pub fn session(&self) -> &Session {
        // SAFETY: the function holds its session alive (see `function`).
        unsafe { &*self.session }
    }

    /// Argument `i` as UTF-8: into `stack` when it fits, else onto the heap. (The stack
    /// buffer is not zeroed first: that alone cost as much as reading the strings.)
    pub fn string<'a>(
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
    pub fn optional_string<'a>(
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

    pub fn flags(&self, i: usize) -> Result<u32, Failure> {
        let mut flags = 0u32;
        // SAFETY: reads a number argument.
        let status = unsafe { sys::napi_get_value_uint32(self.env, self.values[i], &mut flags) };
        if status != sys::Status::napi_ok {
            return Err(Failure::Argument);
        }
        Ok(flags)
    }

    /// Argument `i` as a number, `None` when it is undefined.
    pub fn number(&self, i: usize) -> Result<Option<f64>, Failure> {
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
pub fn run(
    env: sys::napi_env,
    info: sys::napi_callback_info,
    call: fn(&Args) -> Result<Option<String>, Failure>,
) -> sys::napi_value {
    // SAFETY: `env` and `info` are the callback's own.
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let args = unsafe { Args::read(env, info) }?;
        call(&args)
    }))
    .unwrap_or(Err(Failure::Panicked));
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
                let message = c"a raw native call got an argument of the wrong type";
                sys::napi_throw_type_error(env, code.as_ptr(), message.as_ptr());
                return ptr::null_mut();
            }
            Err(Failure::Panicked) => {
                throw(
                    env,
                    "ERR_INTERNAL_ASSERTION",
                    "a native call failed unexpectedly",
                );
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
