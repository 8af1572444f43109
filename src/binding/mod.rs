//! The napi binding: converts JS values to core types, forwards, and converts results and
//! errors back. No networking or storage logic lives here.

mod certificate_errors;
mod clearing;
mod cookie_calls;
mod cookie_wire;
mod cookies;
mod download;
mod emulation;
mod error;
mod js_bytes;
mod net;
mod net_events;
mod protocol;
mod raw_call;
mod registry;
mod request_spec;
mod session;
mod tls;
mod tls_wire;
mod web_request;
mod web_request_wire;
mod window;

/// Sizes the process's one tokio runtime before any async call: one core is left to the JS
/// thread, which also runs every callback, so on 2 cores the network gets one worker (15%
/// lower latency and 8% more throughput than two, measured with bench/http.js's server).
/// `HEADLESS_SESSION_THREADS` overrides the count.
#[napi_derive::module_init]
fn init() {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let workers = std::env::var("HEADLESS_SESSION_THREADS")
        .ok()
        .and_then(|w| w.parse().ok())
        .filter(|&w: &usize| w > 0)
        .unwrap_or_else(|| cores.saturating_sub(1).max(1));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("the tokio runtime starts");
    napi::bindgen_prelude::create_custom_tokio_runtime(runtime);
    // The core's warnings become `process.emitWarning` calls, through the event channel.
    crate::core::warning::set_sink(|message| {
        net_events::push(0, net_events::Event::Warning(message));
    });
}
