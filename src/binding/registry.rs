//! `app.setPath('sessionData' | 'userData')` and `session.fromPartition` / `fromPath`.

use std::path::Path;

use napi_derive::napi;

use super::error::{Code, IntoJs};
use super::session::NativeSession;
use crate::core::registry;
use crate::core::session::SessionOptions;

/// Sets the directory persistent partitions live under.
#[napi]
pub fn set_session_data_path(path: String) -> napi::Result<(), Code> {
    registry::global()
        .set_session_data_path(Path::new(&path))
        .into_js()
}

/// The directory persistent partitions live under.
#[napi]
pub fn get_session_data_path() -> String {
    registry::global()
        .session_data_path()
        .to_string_lossy()
        .into_owned()
}

/// The platform's default `userData` directory for this package.
#[napi]
pub fn default_session_data_path() -> String {
    registry::default_session_data()
        .to_string_lossy()
        .into_owned()
}

/// `session.fromPartition(partition, options)`.
#[napi]
pub fn session_from_partition(
    partition: String,
    persist_session_cookies: bool,
    cache: bool,
) -> napi::Result<NativeSession, Code> {
    let options = SessionOptions {
        persist_session_cookies,
        cache_disabled: !cache,
    };
    let lookup = registry::global()
        .from_partition(&partition, options)
        .into_js()?;
    Ok(NativeSession::new(lookup.session))
}

/// `session.fromPath(path, options)`.
#[napi]
pub fn session_from_path(
    path: String,
    persist_session_cookies: bool,
    cache: bool,
) -> napi::Result<NativeSession, Code> {
    let options = SessionOptions {
        persist_session_cookies,
        cache_disabled: !cache,
    };
    let lookup = registry::global()
        .from_path(Path::new(&path), options)
        .into_js()?;
    Ok(NativeSession::new(lookup.session))
}

/// Flushes every open session's storage, synchronously (for process exit): the HTTP
/// caches' commits under way first (waited for at most 10 s, so a stuck disk cannot hold
/// the exit), then the cookie stores.
#[napi]
pub fn flush_all_storage() -> napi::Result<(), Code> {
    let (done, finished) = std::sync::mpsc::channel();
    napi::bindgen_prelude::spawn(async move {
        registry::global().flush_caches().await;
        let _ = done.send(());
    });
    let _ = finished.recv_timeout(std::time::Duration::from_secs(10));
    registry::global().flush_all().into_js()
}

/// `app.commandLine.appendSwitch('host-resolver-rules', rules)`: process-wide, as in Chromium.
#[napi]
pub fn set_host_resolver_rules(rules: String) {
    crate::core::connect::rules::set_global(&rules);
}

/// `app.commandLine.appendSwitch('disk-cache-size', bytes)`: the HTTP cache limit of
/// sessions made afterwards.
#[napi]
pub fn set_disk_cache_size(bytes: String) {
    crate::core::cache::set_max_bytes(&bytes);
}

/// `protocol.registerSchemesAsPrivileged`: the custom schemes that are standard.
#[napi]
pub fn set_standard_schemes(schemes: Vec<String>) {
    crate::core::web_request::set_standard_schemes(schemes);
}
