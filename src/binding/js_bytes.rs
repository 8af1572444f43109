//! Body pieces handed to JS without a copy: an external Buffer over the `Bytes` (a slice of
//! hyper's read buffer, usually), which stays alive until V8 collects the Buffer. Copying
//! each piece into a fresh allocation cost one memcpy per byte received.

use bytes::Bytes;
use napi::bindgen_prelude::{BufferSlice, ToNapiValue, TypeName, ValueType};
use napi::{sys, Env};

/// A body piece on its way to JS as a Buffer.
pub struct JsBytes(pub Bytes);

impl TypeName for JsBytes {
    fn type_name() -> &'static str {
        "Buffer"
    }

    fn value_type() -> ValueType {
        ValueType::Object
    }
}

impl ToNapiValue for JsBytes {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        let js_env = Env::from_raw(env);
        let bytes = val.0;
        if bytes.is_empty() {
            let empty = BufferSlice::copy_from(&js_env, [])?;
            return ToNapiValue::to_napi_value(env, empty);
        }
        let data = bytes.as_ptr().cast_mut();
        let len = bytes.len();
        // SAFETY: `data..data + len` belongs to `bytes`, which the finalizer owns (and
        // drops) once V8 lets go of the Buffer; no other Buffer is made over it.
        let slice = BufferSlice::from_external(&js_env, data, len, bytes, |_, bytes| drop(bytes))?;
        ToNapiValue::to_napi_value(env, slice)
    }
}
