//! The connect stack: how a request's connection is made. Outermost first:
//!
//! 1. proxy route (rules, bypass, PAC, failover) -- the proxy issue slots in here;
//! 2. connector: direct TCP to the resolved addresses (`dns`, `rules`, `tcp`) -- HTTP
//!    CONNECT and SOCKS connectors slot in beside it;
//! 3. TLS (rustls, ALPN h2/http1.1; the chain is verified and the verify proc asked before
//!    the connection is handed to the client);
//! 4. throttle (network emulation on the byte stream) -- the emulation issue slots in here.
//!
//! `Connector` is the tower service hyper-util's pooled client calls for each new
//! connection; its failures carry the `NetError` the request fails with.

pub mod dns;
pub mod rules;
pub mod stream;
pub mod tcp;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use rustls::pki_types::ServerName;
use tokio_rustls::TlsConnector;

use self::dns::HostResolver;
use self::stream::{Conn, Stream};
use crate::core::net_error::NetError;
use crate::core::tls::verify::verify_chain;
use crate::core::tls::TlsContext;

/// Makes connections for one session.
#[derive(Clone)]
pub struct Connector {
    resolver: Arc<HostResolver>,
    tls: Arc<TlsContext>,
}

impl Connector {
    /// A connector using the session's resolver and TLS context.
    pub fn new(resolver: Arc<HostResolver>, tls: Arc<TlsContext>) -> Self {
        Self { resolver, tls }
    }

    async fn connect(self, uri: Uri) -> Result<Stream, NetError> {
        let secure = uri.scheme_str() == Some("https");
        let host = uri.host().ok_or(NetError::InvalidUrl)?.to_owned();
        let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
        let addresses = self.resolver.resolve(&host, port).await?;
        let tcp = tcp::connect(&addresses).await?;
        if !secure {
            return Ok(Stream::Plain(tcp));
        }
        let bare_host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let server_name =
            ServerName::try_from(bare_host.clone()).map_err(|_| NetError::InvalidUrl)?;
        let connector = TlsConnector::from(self.tls.client_config());
        let tls = connector
            .connect(server_name, tcp)
            .await
            .map_err(|e| tls_handshake_error(&e))?;
        let chain: Vec<_> = tls
            .get_ref()
            .1
            .peer_certificates()
            .map(|c| c.iter().map(|d| d.clone().into_owned()).collect())
            .unwrap_or_default();
        let verdict = verify_chain(self.tls.provider(), &chain, &bare_host);
        self.tls.proc.decide(&bare_host, &chain, verdict).await?;
        Ok(Stream::Tls(Box::new(tls)))
    }
}

fn tls_handshake_error(e: &std::io::Error) -> NetError {
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        return crate::core::tls::verify::certificate_error(inner);
    }
    match tcp::io_error(e) {
        NetError::ConnectionFailed => NetError::SslProtocolError,
        other => other,
    }
}

impl tower_service::Service<Uri> for Connector {
    type Response = Conn;
    type Error = NetError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, NetError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), NetError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, uri: Uri) -> Self::Future {
        let this = self.clone();
        Box::pin(async move { this.connect(uri).await.map(Conn::new) })
    }
}
