//! `setCertificateVerifyProc` across the boundary: a JS function (the JS face wraps the
//! user's proc so it always returns a Promise of a code) as the core's `VerifyProc`.
//! The threadsafe function is weak, so a registered proc never keeps Node alive.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::threadsafe_function::ThreadsafeFunction;

use crate::core::tls::{VerifyDecision, VerifyProc, VerifyRequest};

/// The JS proc: takes the request as JSON, resolves with a code.
pub struct JsVerifyProc {
    tsfn: Arc<ThreadsafeFunction<String, Promise<i32>, String, Status, false, true>>,
}

impl JsVerifyProc {
    /// Wraps a JS function.
    pub fn new(f: Function<String, Promise<i32>>) -> Result<Self> {
        let tsfn = f
            .build_threadsafe_function::<String>()
            .callee_handled::<false>()
            .weak::<true>()
            .build()?;
        Ok(Self {
            tsfn: Arc::new(tsfn),
        })
    }
}

impl VerifyProc for JsVerifyProc {
    fn verify(
        &self,
        request: VerifyRequest,
    ) -> Pin<Box<dyn Future<Output = std::result::Result<VerifyDecision, String>> + Send>> {
        let payload = super::tls_wire::verify_request_json(&request);
        let tsfn = self.tsfn.clone();
        Box::pin(async move {
            let promise = tsfn
                .call_async_catch(payload)
                .await
                .map_err(|e| e.reason.clone())?;
            promise.await.map_err(|e| e.reason.clone())
        })
    }
}
