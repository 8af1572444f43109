//! A request's `RequestSpec` from the positional arguments JS starts it with: the
//! `RequestFlag` bits (defined here, exported to JS), the initiator and what it loads.

use std::sync::Arc;

use napi_derive::napi;

use super::net_events::{self, Event};
use crate::core::cache::CacheMode;
use crate::core::client::priority::Priority;
use crate::core::client::upload_progress::ProgressReport;
use crate::core::client::{RedirectMode, RequestBody, RequestSpec};
use crate::core::resource_type::ResourceType;

/// Bits of a request's `flags`, defined here once and exported to JS as `RequestFlag`.
#[napi]
pub enum RequestFlag {
    /// A streamed body fed with `netWrite`/`netEndUpload`.
    Chunked = 1,
    /// Follow redirects (else stop at each).
    Follow = 2,
    /// Attach and store session cookies.
    Cookies = 4,
    /// Stop at a 401/407 with a login step.
    PromptAuth = 8,
    /// Skip the session's protocol handlers.
    BypassHandlers = 16,
    /// `credentials: 'omit'`: no server auth at all (no URL, cached or default credentials,
    /// no login step).
    OmitCredentials = 32,
    /// Report the body's progress with `UploadProgress` events.
    UploadProgress = 64,
    /// `priorityIncremental: true`.
    PriorityIncremental = 128,
    /// The urgency plus one, times this (0: the default, IDLE).
    PriorityUnit = 256,
    /// The cache mode (0 default, 1 no-store, 2 reload, 3 no-cache, 4 force-cache,
    /// 5 only-if-cached), times this.
    CacheModeUnit = 2048,
    /// The body stays here (none of it comes with the head): a download saves it.
    KeepBody = 16384,
}

pub(crate) fn has_flag(flags: u32, flag: RequestFlag) -> bool {
    flags & flag as u32 != 0
}

/// What a request loads, and for which webContents.
pub(crate) struct Loading {
    /// Electron's resource type (`other` for requests from the API).
    pub resource_type: ResourceType,
    /// The webContents it loads for.
    pub web_contents_id: Option<u32>,
}

/// The spec of request `id`: `flags` are `RequestFlag` bits, `origin` the initiator ('' for
/// none; one that does not parse is opaque, as Chromium's).
#[allow(clippy::too_many_arguments)]
pub(crate) fn build(
    id: u32,
    method: String,
    url: url::Url,
    headers: Vec<(String, String)>,
    body: RequestBody,
    flags: u32,
    origin: &str,
    loading: Loading,
) -> RequestSpec {
    RequestSpec {
        method,
        url,
        headers,
        body,
        redirect: if has_flag(flags, RequestFlag::Follow) {
            RedirectMode::Follow
        } else {
            RedirectMode::Stop
        },
        use_cookies: has_flag(flags, RequestFlag::Cookies),
        prompt_auth: has_flag(flags, RequestFlag::PromptAuth),
        server_auth: !has_flag(flags, RequestFlag::OmitCredentials),
        bypass_custom_handlers: has_flag(flags, RequestFlag::BypassHandlers),
        cache_mode: match flags / RequestFlag::CacheModeUnit as u32 % 8 {
            1 => CacheMode::NoStore,
            2 => CacheMode::Reload,
            3 => CacheMode::NoCache,
            4 => CacheMode::ForceCache,
            5 => CacheMode::OnlyIfCached,
            _ => CacheMode::Default,
        },
        priority: Priority {
            urgency: match flags / RequestFlag::PriorityUnit as u32 % 8 {
                0 => Priority::default().urgency,
                n => (n - 1).min(5) as u8,
            },
            incremental: has_flag(flags, RequestFlag::PriorityIncremental),
        },
        upload_progress: has_flag(flags, RequestFlag::UploadProgress).then(|| {
            let report: ProgressReport = Arc::new(move |position, total| {
                net_events::push(id, Event::UploadProgress { position, total })
            });
            report
        }),
        initiator: (!origin.is_empty()).then(|| {
            url::Url::parse(origin).map_or_else(|_| url::Origin::new_opaque(), |u| u.origin())
        }),
        resource_type: loading.resource_type,
        web_contents_id: loading.web_contents_id,
    }
}
