//! A session's HTTP cache and stored data from JS: `getCacheSize`, `clearCache`, and the
//! cookie and cache parts of `clearData`/`clearStorageData`.

use napi::bindgen_prelude::*;
use napi_derive::napi;

use super::error::promise;
use super::session::NativeSession;

#[napi]
impl NativeSession {
    /// `ses.clearData`/`clearStorageData` for cookies and the HTTP cache: `origins` (checked
    /// by the JS face) limit it, or with `exclude` are the ones kept.
    #[napi]
    pub fn clear_data<'env>(
        &self,
        env: &'env Env,
        cookies: bool,
        cache: bool,
        origins: Option<Vec<String>>,
        exclude: bool,
    ) -> Result<PromiseRaw<'env, ()>> {
        let session = self.inner.clone();
        let origins = origins.map(|list| {
            list.iter()
                .filter_map(|o| url::Url::parse(o).ok().map(|u| u.origin()))
                .collect()
        });
        promise(env, async move {
            session.clear_data(cookies, cache, origins, exclude).await
        })
    }

    /// `ses.getCacheSize()`: bytes the HTTP cache holds.
    #[napi]
    pub fn get_cache_size<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, f64>> {
        let cache = self.inner.net().cache.clone();
        promise(env, async move { Ok(cache.size().await as f64) })
    }

    /// `ses.clearCache()`: every stored response dropped.
    #[napi]
    pub fn clear_cache<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, ()>> {
        let cache = self.inner.net().cache.clone();
        promise(env, async move {
            cache.clear().await;
            Ok(())
        })
    }
}
