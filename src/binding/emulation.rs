//! A session's network emulation from JS (`ses.enableNetworkEmulation`,
//! `disableNetworkEmulation`): the conditions handed to the core's emulation.

use napi_derive::napi;

use super::session::NativeSession;
use crate::core::emulation::NetworkConditions;

#[napi]
impl NativeSession {
    /// `ses.enableNetworkEmulation(options)` (checked by the JS face): latency in
    /// milliseconds, throughputs in bytes per second (0: unthrottled); applies to requests
    /// already running too.
    #[napi]
    pub fn enable_network_emulation(
        &self,
        offline: bool,
        latency_ms: f64,
        download: f64,
        upload: f64,
    ) {
        self.inner.net().emulation.set(NetworkConditions {
            offline,
            latency: std::time::Duration::from_secs_f64(latency_ms.max(0.0) / 1000.0),
            download,
            upload,
        });
    }

    /// `ses.disableNetworkEmulation()`.
    #[napi]
    pub fn disable_network_emulation(&self) {
        self.inner.net().emulation.set(NetworkConditions::default());
    }
}
