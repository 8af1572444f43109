//! The server half of the auth stage: what a 401 leads to, in Chromium's order (the URL's
//! credentials, the session's cache, default credentials for an allow-listed server's NTLM
//! or Negotiate challenge, the caller through `login`), the next leg of an NTLM/Negotiate
//! handshake, a stale Digest nonce answered again, or the 401 delivered as the response.

use super::{Attempt, Exchange, Source};
use crate::core::auth::{self, ambient, AuthInfo};
use crate::core::client::response::{ResponseBody, ResponseHead};
use crate::core::client::{Delivered, Step};
use crate::core::net_error::NetError;

impl Exchange {
    /// Decides what a 401 leads to: `Ok(None)` to retry with new credentials, or the step
    /// to hand back (a login prompt, or the 401 itself).
    pub(super) fn on_unauthorized(
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
        let Some(challenge) = auth::pick_challenge(head.values("www-authenticate")) else {
            return deliver(self, head, body);
        };
        let previous = self.attempt.take();
        // A handshake's second leg: the server's token answers our first message on this
        // connection.
        if let Some(p) = &previous {
            if auth::continues(&p.challenge, &challenge) {
                self.attempt = Some(Attempt {
                    challenge,
                    credentials: p.credentials.clone(),
                    source: p.source,
                });
                return Ok(None);
            }
        }
        if let Some(previous) = &previous {
            if previous.source == Source::Cache {
                self.net.auth.forget(&self.spec.url, &previous.challenge);
            }
        }
        let tried = |s: Source| previous.as_ref().is_some_and(|p| p.source == s);
        // A stale Digest nonce with right credentials: answer again with the same ones, once
        // (a server that always says stale would otherwise loop for ever).
        if let Some(p) = previous.as_ref().filter(|_| !self.stale_retried) {
            if challenge
                .params
                .get("stale")
                .is_some_and(|s| s.eq_ignore_ascii_case("true"))
            {
                self.stale_retried = true;
                self.attempt = Some(Attempt {
                    challenge,
                    credentials: p.credentials.clone(),
                    source: p.source,
                });
                return Ok(None);
            }
        }
        if previous.is_none() {
            if let Some(credentials) = self.url_credentials.take() {
                self.attempt = Some(Attempt {
                    challenge,
                    credentials,
                    source: Source::Url,
                });
                return Ok(None);
            }
        }
        if !tried(Source::Cache) && !tried(Source::Caller) {
            if let Some(credentials) = self.net.auth.lookup(&self.spec.url, &challenge) {
                self.attempt = Some(Attempt {
                    challenge,
                    credentials,
                    source: Source::Cache,
                });
                return Ok(None);
            }
        }
        // Default credentials once, and only where they are allowed: after the cache, so
        // that a single sign-on that failed is not tried again by later requests.
        if challenge.scheme.is_connection_based()
            && !self.default_tried
            && self.net.auth_allowlist.allows(&self.spec.url)
        {
            self.default_tried = true;
            if let Some(credentials) = ambient::default_credentials() {
                self.attempt = Some(Attempt {
                    challenge,
                    credentials,
                    source: Source::Default,
                });
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
        let delivered = Delivered {
            head: head.clone(),
            body,
            redirects: std::mem::take(&mut self.followed),
        };
        self.pending_login = Some((challenge, delivered));
        Ok(Some(Step::Login(info)))
    }
}
