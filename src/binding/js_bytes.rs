//! Body pieces handed to JS as Buffers that V8 allocates, the bytes copied in once. An
//! external Buffer over the Rust memory would save that copy, but V8 counts such memory as
//! external pressure: streaming 256 MiB then started four full mark-compacts of the heap,
//! which cost more than the copy (bench/stream-client.js: median ~85 ms against ~55 ms),
//! while Buffers V8 allocates die young and go with scavenges.

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
        let buffer = BufferSlice::copy_from(&Env::from_raw(env), &val.0)?;
        ToNapiValue::to_napi_value(env, buffer)
    }
}
