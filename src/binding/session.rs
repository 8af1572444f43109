//! The native half of `Session`: identity, storage location, and opening storage off the
//! JS thread.

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi_derive::napi;

use super::cookies::NativeCookies;
use super::error::IntoJs;
use crate::core::session::Session;

/// A session as JS holds it.
#[napi]
pub struct NativeSession {
    inner: Arc<Session>,
}

impl NativeSession {
    pub(crate) fn new(inner: Arc<Session>) -> Self {
        Self { inner }
    }
}

/// Runs blocking storage work on tokio's blocking pool and resolves a Promise with it.
pub(crate) fn blocking_promise<'env, T, F>(env: &'env Env, work: F) -> Result<PromiseRaw<'env, T>>
where
    T: 'static + Send + ToNapiValue,
    F: 'static + Send + FnOnce() -> crate::core::Result<T>,
{
    env.spawn_future(async move {
        match tokio::task::spawn_blocking(work).await {
            Ok(result) => result.into_js(),
            Err(e) => Err(napi::Error::from_reason(format!(
                "Storage task failed: {e}"
            ))),
        }
    })
}

#[napi]
impl NativeSession {
    /// Process-unique id, so that JS keeps one Session object per native session.
    #[napi(getter)]
    pub fn id(&self) -> u32 {
        self.inner.id()
    }

    /// The partition string (or path for `fromPath`).
    #[napi(getter)]
    pub fn partition(&self) -> String {
        self.inner.partition().to_owned()
    }

    /// The storage directory, or null in memory.
    #[napi(getter)]
    pub fn storage_path(&self) -> Option<String> {
        self.inner
            .storage_path()
            .map(|p| p.to_string_lossy().into_owned())
    }

    /// True when data outlives the process.
    #[napi]
    pub fn is_persistent(&self) -> bool {
        self.inner.is_persistent()
    }

    /// True once storage is open (then cookie calls answer synchronously).
    #[napi]
    pub fn is_open(&self) -> bool {
        self.inner.is_open()
    }

    /// Opens storage on the blocking pool; rejects with a message naming the partition
    /// when it cannot (locked by another process, unreadable directory).
    #[napi]
    pub fn open<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let session = self.inner.clone();
        blocking_promise(env, move || session.open())
    }

    /// Makes every change so far durable (fsync) before resolving.
    #[napi]
    pub fn flush<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let session = self.inner.clone();
        blocking_promise(env, move || session.flush_storage())
    }

    /// The native cookie API of this session.
    #[napi]
    pub fn cookies(&self) -> NativeCookies {
        NativeCookies::new(self.inner.clone())
    }
}
