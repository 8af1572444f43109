//! Per-session protocol handlers (`ses.protocol`): which schemes a handler serves (the
//! binding's JS bridge implements `Handler`), the schemes served from directories
//! (`registerSource`, `source`), the built-in `file:` handler with Range support and `data:`
//! handler, and what the request stack asks a handler. Which JS function answers, and the
//! handle/register/intercept bookkeeping, live in the JS face; the core only needs to know
//! whether a scheme is taken, and by what.

pub mod data;
pub mod file;
pub mod source;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use url::Url;

use tokio::io::AsyncRead;

use crate::core::message::ResponseHead;
use crate::core::net_error::NetError;

/// What a handler is asked.
#[derive(Debug, Clone)]
pub struct ProtocolRequest {
    /// The URL.
    pub url: Url,
    /// Method.
    pub method: String,
    /// Request headers as they would go out.
    pub headers: Vec<(String, String)>,
    /// The body, when it is in memory.
    pub body: Option<Bytes>,
}

/// A handler's answer.
pub struct ProtocolResponse {
    /// Status line and headers (`url` is the request's).
    pub head: ResponseHead,
    /// The body.
    pub body: ProtocolBody,
}

/// The body of a handler's answer (the request stack reads it like a network body).
pub enum ProtocolBody {
    /// All of it, in memory.
    Full(Bytes),
    /// Pieces a producer feeds (a JS handler's stream); an `Err` piece fails the read.
    Channel(tokio::sync::mpsc::Receiver<Result<Bytes, NetError>>),
    /// The bytes of a reader, already limited to the right length (files).
    Reader(Pin<Box<dyn AsyncRead + Send>>),
}

/// Serves the schemes it was registered for (in the binding: JS functions).
pub trait Handler: Send + Sync {
    /// Answers one request.
    fn handle(
        &self,
        request: ProtocolRequest,
    ) -> Pin<Box<dyn Future<Output = Result<ProtocolResponse, NetError>> + Send>>;
}

/// A session's handled schemes and the handler serving them.
#[derive(Default)]
pub struct Protocols {
    schemes: RwLock<HashSet<String>>,
    handler: RwLock<Option<Arc<dyn Handler>>>,
    sources: RwLock<HashMap<String, Arc<source::Source>>>,
}

impl Protocols {
    /// Installs the bridge that serves handled schemes (once per session, by the binding).
    pub fn set_handler(&self, handler: Arc<dyn Handler>) {
        *self.handler.write().unwrap_or_else(|p| p.into_inner()) = Some(handler);
    }

    /// Marks `scheme` as handled or not.
    pub fn set_handled(&self, scheme: &str, handled: bool) {
        let mut schemes = self.schemes.write().unwrap_or_else(|p| p.into_inner());
        if handled {
            schemes.insert(scheme.to_ascii_lowercase());
        } else {
            schemes.remove(&scheme.to_ascii_lowercase());
        }
    }

    /// Serves `scheme` from `source` (`registerSource`), or stops (`None`).
    pub fn set_source(&self, scheme: &str, source: Option<source::Source>) {
        let mut sources = self.sources.write().unwrap_or_else(|p| p.into_inner());
        match source {
            Some(source) => sources.insert(scheme.to_ascii_lowercase(), Arc::new(source)),
            None => sources.remove(&scheme.to_ascii_lowercase()),
        };
    }

    /// The handler for `scheme`, when one serves it: the JS bridge, or a source.
    pub fn handler_for(&self, scheme: &str) -> Option<Arc<dyn Handler>> {
        if self
            .schemes
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .contains(scheme)
        {
            return self
                .handler
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
        }
        let sources = self.sources.read().unwrap_or_else(|p| p.into_inner());
        let source = sources.get(scheme)?.clone();
        Some(source)
    }
}
