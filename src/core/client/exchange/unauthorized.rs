//! The server half of the auth stage: what a 401 leads to, in Chromium's order (the URL's
//! credentials, the session's cache, default credentials for an allow-listed server's NTLM
//! or Negotiate challenge, the caller through `login`), the next leg of an NTLM/Negotiate
//! handshake, a stale Digest nonce answered again, or the 401 delivered as the response.

use super::{Attempt, Exchange, Source};
use crate::core::auth::{self, ambient, gssapi, AuthInfo};
use crate::core::client::response::{ResponseBody, ResponseHead};
use crate::core::client::{Delivered, Step};
use crate::core::net_error::NetError;

impl Exchange {
    /// Decides what a 401 leads to: `Ok(None)` to retry with new credentials, or the step
    /// to hand back (a login prompt, or the 401 itself).
    pub(super) async fn on_unauthorized(
        &mut self,
        head: &ResponseHead,
        body: ResponseBody,
    ) -> Result<Option<Step>, NetError> {
        let deliver = |this: &mut Self, head: &ResponseHead, body| {
            Ok(Some(Step::Response(Box::new(Delivered {
                head: head.clone(),
                body,
                redirects: std::mem::take(&mut this.followed),
            }))))
        };
        if !self.spec.server_auth {
            return deliver(self, head, body);
        }
        let Some(challenge) = auth::pick_challenge(head.values("www-authenticate")) else {
            return deliver(self, head, body);
        };
        let previous = self.attempt.take();
        // A handshake's second leg: the server's token answers our first message on this
        // connection.
        if let Some(p) = previous.as_ref().filter(|p| p.source != Source::Kerberos) {
            if auth::continues(&p.challenge, &challenge) {
                self.attempt = Some(Attempt::new(challenge, p.credentials.clone(), p.source));
                return Ok(None);
            }
        }
        // Anything else starts a handshake afresh: a token belongs to the one refused.
        let mut challenge = challenge;
        challenge.params.remove("token");
        if let Some(previous) = &previous {
            if previous.source == Source::Cache {
                self.net.auth.forget(&self.spec.url, &previous.challenge);
            }
        }
        let tried = |s: Source| previous.as_ref().is_some_and(|p| p.source == s);
        // A stale Digest nonce with right credentials: answer again with the same ones, once
        // (a server that always says stale would otherwise loop for ever).
        let answered_with_credentials = previous.as_ref().filter(|p| p.source != Source::Kerberos);
        if let Some(p) = answered_with_credentials.filter(|_| !self.stale_retried) {
            if challenge
                .params
                .get("stale")
                .is_some_and(|s| s.eq_ignore_ascii_case("true"))
            {
                self.stale_retried = true;
                self.attempt = Some(Attempt::new(challenge, p.credentials.clone(), p.source));
                return Ok(None);
            }
        }
        if previous.is_none() {
            if let Some(credentials) = self.url_credentials.take() {
                self.attempt = Some(Attempt::new(challenge, credentials, Source::Url));
                return Ok(None);
            }
        }
        if !tried(Source::Cache) && !tried(Source::Caller) {
            if let Some(credentials) = self.net.auth.lookup(&self.spec.url, &challenge) {
                self.attempt = Some(Attempt::new(challenge, credentials, Source::Cache));
                return Ok(None);
            }
        }
        // Default credentials once each, and only where they are allowed: after the cache,
        // so that a single sign-on that failed is not tried again by later requests. A
        // Negotiate challenge first gets the system's Kerberos ticket, as in Chromium.
        let allowed = self.net.auth_allowlist.allows(&self.spec.url);
        if challenge.scheme == auth::Scheme::Negotiate && !self.kerberos_tried && allowed {
            self.kerberos_tried = true;
            let host = self.spec.url.host_str().unwrap_or("").to_owned();
            if let Some(header) = gssapi::negotiate_header(host).await {
                self.attempt = Some(Attempt::kerberos(challenge, header));
                return Ok(None);
            }
        }
        if challenge.scheme.is_connection_based() && !self.default_tried && allowed {
            self.default_tried = true;
            if let Some(credentials) = ambient::default_credentials() {
                self.attempt = Some(Attempt::new(challenge, credentials, Source::Default));
                return Ok(None);
            }
        }
        if !self.spec.prompt_auth {
            return deliver(self, head, body);
        }
        let info = AuthInfo {
            is_proxy: false,
            scheme: challenge.scheme.as_str(),
            host: self.spec.url.host_str().unwrap_or("").to_owned(),
            port: self.spec.url.port_or_known_default().unwrap_or(0),
            realm: challenge.realm().to_owned(),
        };
        // The redirects stay with the exchange too: a retry reaches the response.
        let delivered = Delivered {
            head: head.clone(),
            body,
            redirects: self.followed.clone(),
        };
        self.pending_login = Some((challenge, delivered));
        Ok(Some(Step::Login(info)))
    }
}
