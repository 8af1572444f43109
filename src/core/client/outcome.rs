//! What a request comes back with when control returns to the caller: the response with
//! the redirects followed to reach it, or a stop where the caller decides (a redirect in
//! manual mode, a login prompt). Below the exchange and the auth stages that make them.

use super::redirect::RedirectInfo;
use super::response::{ResponseBody, ResponseHead};
use crate::core::auth::AuthInfo;

/// A response handed to the caller, with the redirects followed to reach it.
pub struct Delivered {
    /// Status line and headers.
    pub head: ResponseHead,
    /// The (decoded) body.
    pub body: ResponseBody,
    /// Each redirect followed, in order.
    pub redirects: Vec<RedirectInfo>,
}

/// Where a request stands when control returns to the caller.
pub enum Step {
    /// A redirect in `Stop` mode: call `follow_redirect` or drop the exchange.
    Redirect(Box<RedirectInfo>),
    /// A 401 the caller may answer: call `answer_login`.
    Login(AuthInfo),
    /// The final response.
    Response(Box<Delivered>),
}
