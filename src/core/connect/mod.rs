//! The connect stack: how a request's connection is made. Outermost first:
//!
//! 1. proxy route: the way out a connector was made for (DIRECT or one proxy). The request
//!    stack picks it from the session's route for the URL and falls over to the next way
//!    itself (`crate::core::client::route`), so that it always knows which proxy carries a
//!    request and whose credentials go with it;
//! 2. connector: direct TCP to the resolved addresses (`dns`, `rules`, `tcp`), or TCP to
//!    the proxy (TLS to it for HTTPS proxies), then HTTP CONNECT (`tunnel`) or a SOCKS4/4a/5
//!    handshake (tokio-socks; names resolved by the proxy) to reach the server;
//! 3. TLS (rustls, ALPN h2/http1.1; the chain is verified and the verify proc asked before
//!    the connection is handed to the client);
//! 4. the head tap (`head_tap`: the server's spelling of HTTP/1 response heads);
//! 5. throttle (`throttle`: network emulation's throughputs on the byte stream).
//!
//! `Connector` is the tower service hyper-util's pooled client calls for each new
//! connection; its failures carry the `NetError` the request fails with.

pub mod dns;
pub mod head_tap;
pub mod rules;
pub mod stream;
pub mod tcp;
pub mod throttle;
pub mod tunnel;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use rustls::pki_types::ServerName;
use tokio_rustls::TlsConnector;

use self::dns::HostResolver;
use self::stream::{Conn, Stream};
use crate::core::emulation::Emulation;
use crate::core::identity::SessionIdentity;
use crate::core::net_error::NetError;
use crate::core::proxy::{ProxyScheme, ProxyServer, ProxyService};
use crate::core::tls::verify::verify_chain;
use crate::core::tls::TlsContext;

/// Makes connections for one session, one way out (DIRECT or through one proxy).
#[derive(Clone)]
pub struct Connector {
    resolver: Arc<HostResolver>,
    tls: Arc<TlsContext>,
    proxies: Arc<ProxyService>,
    identity: Arc<SessionIdentity>,
    emulation: Arc<Emulation>,
    via: ProxyServer,
}

impl Connector {
    /// A direct connector with the session's resolver, TLS context, proxy auth cache,
    /// identity (a CONNECT carries the session's User-Agent) and network emulation.
    pub fn new(
        resolver: Arc<HostResolver>,
        tls: Arc<TlsContext>,
        proxies: Arc<ProxyService>,
        identity: Arc<SessionIdentity>,
        emulation: Arc<Emulation>,
    ) -> Self {
        Self {
            resolver,
            tls,
            proxies,
            identity,
            emulation,
            via: ProxyServer::direct(),
        }
    }

    /// The same session's connector going out `via` (DIRECT or a proxy).
    pub fn via(&self, via: ProxyServer) -> Self {
        Self {
            via,
            ..self.clone()
        }
    }

    async fn connect(self, uri: Uri) -> Result<Conn, NetError> {
        let secure = uri.scheme_str() == Some("https");
        let host = uri.host().ok_or(NetError::InvalidUrl)?;
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let port = uri.port_u16().unwrap_or(if secure { 443 } else { 80 });
        // The stack, outermost first: the way out this connector was made for (proxy route),
        // then `direct` (DNS, TCP, TLS) or `through` (DNS and TCP to the proxy, TLS to an
        // HTTPS proxy, CONNECT or SOCKS, TLS to the server), then the throttle.
        let mut conn = if self.via.is_direct() {
            self.direct(&host, port, secure).await?
        } else {
            self.through(&self.via, &host, port, secure).await?
        };
        conn.throttle(self.emulation.clone());
        Ok(conn)
    }

    async fn direct(&self, host: &str, port: u16, secure: bool) -> Result<Conn, NetError> {
        let addresses = self.resolver.resolve(host, port).await?;
        let tcp = tcp::connect(&addresses).await?;
        if !secure {
            return Ok(Conn::new(Stream::Plain(tcp)));
        }
        self.tls_to_server(Stream::Plain(tcp), host)
            .await
            .map(Conn::new)
    }

    /// Reaches `host:port` through `proxy`. Failures to reach the proxy itself are
    /// Chromium's proxy errors, so that the route can fall over.
    async fn through(
        &self,
        proxy: &ProxyServer,
        host: &str,
        port: u16,
        secure: bool,
    ) -> Result<Conn, NetError> {
        let addresses = self
            .resolver
            .resolve(&proxy.host, proxy.port)
            .await
            .map_err(|_| NetError::ProxyConnectionFailed)?;
        let tcp = tcp::connect(&addresses)
            .await
            .map_err(|_| NetError::ProxyConnectionFailed)?;
        let tunnel = match proxy.scheme {
            ProxyScheme::Socks4 | ProxyScheme::Socks5 => {
                Stream::Plain(socks(proxy, tcp, host, port).await?)
            }
            ProxyScheme::Http | ProxyScheme::Https => {
                let to_proxy = if proxy.scheme == ProxyScheme::Https {
                    self.tls_to_proxy(tcp, &proxy.host).await?
                } else {
                    Stream::Plain(tcp)
                };
                if !secure {
                    return Ok(Conn::via_http_proxy(to_proxy));
                }
                let agent = self.identity.get().user_agent.clone();
                let authority = tunnel::authority(host, port);
                let answer = self
                    .proxies
                    .auth
                    .authorization(proxy, "CONNECT", &authority)
                    .await;
                tunnel::connect(to_proxy, host, port, answer, &agent)
                    .await
                    .map_err(|(error, challenge)| {
                        if let Some(challenge) = challenge {
                            self.proxies.auth.note_challenge(proxy, &challenge);
                        }
                        error
                    })?
            }
            ProxyScheme::Direct => unreachable!("DIRECT is handled by the caller"),
        };
        if !secure {
            return Ok(Conn::new(tunnel));
        }
        self.tls_to_server(tunnel, host).await.map(Conn::new)
    }

    /// TLS to an HTTPS proxy, verified against the trust anchors (no verify proc: the
    /// proc is for servers), HTTP/1.1 only.
    async fn tls_to_proxy(
        &self,
        tcp: tokio::net::TcpStream,
        host: &str,
    ) -> Result<Stream, NetError> {
        let name =
            ServerName::try_from(host.to_owned()).map_err(|_| NetError::ProxyConnectionFailed)?;
        let mut config = (*self.tls.client_config()).clone();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let tls = TlsConnector::from(Arc::new(config))
            .connect(name, Stream::Plain(tcp))
            .await
            .map_err(|_| NetError::ProxyConnectionFailed)?;
        let chain: Vec<_> = tls
            .get_ref()
            .1
            .peer_certificates()
            .map(|c| c.iter().map(|d| d.clone().into_owned()).collect())
            .unwrap_or_default();
        if verify_chain(self.tls.provider(), &chain, host)
            .error
            .is_some()
        {
            return Err(NetError::ProxyCertificateInvalid);
        }
        Ok(Stream::Tls(Box::new(tls)))
    }

    /// TLS to the server over `inner`, verified (and the verify proc asked) before use.
    async fn tls_to_server(&self, inner: Stream, host: &str) -> Result<Stream, NetError> {
        let server_name =
            ServerName::try_from(host.to_owned()).map_err(|_| NetError::InvalidUrl)?;
        let connector = TlsConnector::from(self.tls.client_config());
        let tls = connector
            .connect(server_name, inner)
            .await
            .map_err(|e| tls_handshake_error(&e))?;
        let chain: Vec<_> = tls
            .get_ref()
            .1
            .peer_certificates()
            .map(|c| c.iter().map(|d| d.clone().into_owned()).collect())
            .unwrap_or_default();
        let verdict = verify_chain(self.tls.provider(), &chain, host);
        let decided = self.tls.proc.decide(host, &chain, verdict).await;
        self.tls.overrides.apply(host, &chain, decided)?;
        Ok(Stream::Tls(Box::new(tls)))
    }
}

/// The SOCKS handshake (SOCKS5 and SOCKS4a send the name; the proxy resolves it).
async fn socks(
    proxy: &ProxyServer,
    tcp: tokio::net::TcpStream,
    host: &str,
    port: u16,
) -> Result<tokio::net::TcpStream, NetError> {
    let target = (host, port);
    let result = match (proxy.scheme, &proxy.credentials) {
        (ProxyScheme::Socks5, Some((user, pass))) => {
            tokio_socks::tcp::Socks5Stream::connect_with_password_and_socket(
                tcp, target, user, pass,
            )
            .await
            .map(|s| s.into_inner())
        }
        (ProxyScheme::Socks5, None) => {
            tokio_socks::tcp::Socks5Stream::connect_with_socket(tcp, target)
                .await
                .map(|s| s.into_inner())
        }
        _ => tokio_socks::tcp::Socks4Stream::connect_with_socket(tcp, target)
            .await
            .map(|s| s.into_inner()),
    };
    result.map_err(|_| NetError::SocksConnectionFailed)
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
        Box::pin(async move { this.connect(uri).await })
    }
}
