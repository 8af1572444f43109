//! `protocol.registerSource(scheme, { routes })` (Electron 45, experimental): a scheme
//! served from directories on disk with no JS handler. A request picks a route (one whose
//! `host` matches beats one without, then the longest `path` prefix), the rest of its path
//! is resolved inside the route's `root` (never outside it, symlinks included), a path
//! ending in `/` gets the route's `index`, and the file is served as `file:` serves it
//! (Content-Type by extension, Range). Anything else (no route, a method other than GET or
//! HEAD, a missing file, a path leaving `root`) is `net::ERR_FILE_NOT_FOUND`.

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use percent_encoding::percent_decode_str;

use super::{file, Handler, ProtocolRequest, ProtocolResponse};
use crate::core::net_error::NetError;

/// One route of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The host it serves (lower case), or any.
    pub host: Option<String>,
    /// The path prefix it serves, percent-encoded as in URLs, starting with `/`.
    pub path: String,
    /// The directory it serves from (absolute).
    pub root: PathBuf,
    /// The file served for a path ending in `/`; empty for none.
    pub index: String,
    /// Headers added to every file it serves (the file loader's own win).
    pub headers: Vec<(String, String)>,
}

/// A scheme's routes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    routes: Vec<Route>,
}

/// Why a source was refused (the message of the TypeError).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError(pub String);

impl Source {
    /// A source of `routes`, checked: paths start with `/`, roots are absolute.
    pub fn new(routes: Vec<Route>) -> Result<Self, SourceError> {
        for (i, route) in routes.iter().enumerate() {
            if !route.path.starts_with('/') {
                return Err(SourceError(format!(
                    "routes[{i}].match.path must start with '/'"
                )));
            }
            if !route.root.is_absolute() {
                return Err(SourceError(format!(
                    "routes[{i}].source.root must be an absolute path"
                )));
            }
        }
        Ok(Self { routes })
    }

    /// The route serving `host` and `path`: a host match first, then the longest prefix.
    fn route_for(&self, host: &str, path: &str) -> Option<&Route> {
        self.routes
            .iter()
            .filter(|r| {
                r.host
                    .as_deref()
                    .is_none_or(|h| h.eq_ignore_ascii_case(host))
            })
            .filter(|r| is_prefix(&r.path, path))
            .max_by_key(|r| (r.host.is_some(), r.path.len()))
    }

    /// The file a request for `host` and `path` is served from.
    async fn file_for(&self, host: &str, path: &str) -> Result<(PathBuf, &Route), NetError> {
        let route = self.route_for(host, path).ok_or(NetError::FileNotFound)?;
        let mut file = route.root.clone();
        for segment in path[route.path.len()..]
            .split('/')
            .filter(|s| !s.is_empty())
        {
            let segment = percent_decode_str(segment)
                .decode_utf8()
                .map_err(|_| NetError::FileNotFound)?;
            if segment == ".." || segment == "." || segment.contains(['/', '\\', '\0']) {
                return Err(NetError::FileNotFound);
            }
            file.push(segment.as_ref());
        }
        if path.ends_with('/') {
            if route.index.is_empty() {
                return Err(NetError::FileNotFound);
            }
            file.push(&route.index);
        }
        // Nothing outside root, whatever symlinks inside it point at.
        let (root, real) = tokio::try_join!(
            tokio::fs::canonicalize(&route.root),
            tokio::fs::canonicalize(&file)
        )
        .map_err(|_| NetError::FileNotFound)?;
        if !real.starts_with(&root) {
            return Err(NetError::FileNotFound);
        }
        Ok((real, route))
    }

    /// Serves one request.
    pub async fn serve(&self, request: &ProtocolRequest) -> Result<ProtocolResponse, NetError> {
        if request.method != "GET" && request.method != "HEAD" {
            return Err(NetError::FileNotFound);
        }
        let host = request.url.host_str().unwrap_or("");
        let (path, route) = self.file_for(host, request.url.path()).await?;
        let mut response = file::serve_path(&path, request).await?;
        let own = std::mem::take(&mut response.head.headers);
        let mut headers: Vec<(String, String)> = route
            .headers
            .iter()
            .filter(|(name, _)| !own.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)))
            .cloned()
            .collect();
        headers.extend(own);
        response.head.headers = headers;
        Ok(response)
    }
}

/// Whether `prefix` starts `path` at a segment boundary (`/a` serves `/a` and `/a/b`, not
/// `/ab`).
fn is_prefix(prefix: &str, path: &str) -> bool {
    path.starts_with(prefix)
        && (prefix.ends_with('/')
            || path.len() == prefix.len()
            || path.as_bytes()[prefix.len()] == b'/')
}

impl Handler for Source {
    fn handle(
        &self,
        request: ProtocolRequest,
    ) -> Pin<Box<dyn Future<Output = Result<ProtocolResponse, NetError>> + Send>> {
        let source = self.clone();
        Box::pin(async move { source.serve(&request).await })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(host: Option<&str>, path: &str, root: &str) -> Route {
        Route {
            host: host.map(str::to_owned),
            path: path.to_owned(),
            root: PathBuf::from(root),
            index: "index.html".to_owned(),
            headers: Vec::new(),
        }
    }

    #[test]
    fn picks_host_routes_then_the_longest_prefix() {
        let source = Source::new(vec![
            route(None, "/", "/any"),
            route(None, "/assets", "/assets-any"),
            route(Some("app"), "/", "/app"),
        ])
        .unwrap();
        let root = |host, path| source.route_for(host, path).map(|r| r.root.clone());
        assert_eq!(root("app", "/assets/x.js"), Some(PathBuf::from("/app")));
        assert_eq!(
            root("other", "/assets/x.js"),
            Some(PathBuf::from("/assets-any"))
        );
        assert_eq!(root("other", "/assetsx"), Some(PathBuf::from("/any")));
        assert_eq!(root("APP", "/"), Some(PathBuf::from("/app")));
        assert!(Source::new(vec![route(None, "x", "/a")]).is_err());
        assert!(Source::new(vec![route(None, "/", "relative")]).is_err());
    }
}
