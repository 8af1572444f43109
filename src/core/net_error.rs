//! Chromium's network error codes (net/base/net_error_list.h): the `net::ERR_*` strings
//! Electron rejects with, and their numbers, which `setCertificateVerifyProc` callbacks use.

macro_rules! net_errors {
    ($($variant:ident = $code:expr, $name:literal;)*) => {
        /// A Chromium network error.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum NetError {
            $(#[doc = concat!("`net::", $name, "` (", stringify!($code), ")")] $variant,)*
        }

        impl NetError {
            /// Chromium's number for it (negative).
            pub fn code(self) -> i32 {
                match self { $(Self::$variant => $code,)* }
            }

            /// The name without the `net::` prefix (`ERR_CONNECTION_REFUSED`).
            pub fn name(self) -> &'static str {
                match self { $(Self::$variant => $name,)* }
            }

            /// The error for a Chromium number, if it is one we know.
            pub fn from_code(code: i32) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)* _ => None }
            }

            /// The error for a name without the `net::` prefix, if it is one we know.
            pub fn from_name(name: &str) -> Option<Self> {
                match name { $($name => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

net_errors! {
    Failed = -2, "ERR_FAILED";
    Aborted = -3, "ERR_ABORTED";
    InvalidArgument = -4, "ERR_INVALID_ARGUMENT";
    FileNotFound = -6, "ERR_FILE_NOT_FOUND";
    Unexpected = -9, "ERR_UNEXPECTED";
    FileTooBig = -8, "ERR_FILE_TOO_BIG";
    AccessDenied = -10, "ERR_ACCESS_DENIED";
    NotImplemented = -11, "ERR_NOT_IMPLEMENTED";
    InsufficientResources = -12, "ERR_INSUFFICIENT_RESOURCES";
    TimedOut = -7, "ERR_TIMED_OUT";
    BlockedByClient = -20, "ERR_BLOCKED_BY_CLIENT";
    ConnectionClosed = -100, "ERR_CONNECTION_CLOSED";
    ConnectionReset = -101, "ERR_CONNECTION_RESET";
    ConnectionRefused = -102, "ERR_CONNECTION_REFUSED";
    ConnectionAborted = -103, "ERR_CONNECTION_ABORTED";
    ConnectionFailed = -104, "ERR_CONNECTION_FAILED";
    NameNotResolved = -105, "ERR_NAME_NOT_RESOLVED";
    InternetDisconnected = -106, "ERR_INTERNET_DISCONNECTED";
    SslProtocolError = -107, "ERR_SSL_PROTOCOL_ERROR";
    AddressInvalid = -108, "ERR_ADDRESS_INVALID";
    AddressUnreachable = -109, "ERR_ADDRESS_UNREACHABLE";
    TunnelConnectionFailed = -111, "ERR_TUNNEL_CONNECTION_FAILED";
    ProxyAuthUnsupported = -115, "ERR_PROXY_AUTH_UNSUPPORTED";
    SocksConnectionFailed = -120, "ERR_SOCKS_CONNECTION_FAILED";
    ProxyAuthRequested = -127, "ERR_PROXY_AUTH_REQUESTED";
    SslVersionOrCipherMismatch = -113, "ERR_SSL_VERSION_OR_CIPHER_MISMATCH";
    ConnectionTimedOut = -118, "ERR_CONNECTION_TIMED_OUT";
    ProxyConnectionFailed = -130, "ERR_PROXY_CONNECTION_FAILED";
    ProxyCertificateInvalid = -136, "ERR_PROXY_CERTIFICATE_INVALID";
    NameResolutionFailed = -137, "ERR_NAME_RESOLUTION_FAILED";
    CertCommonNameInvalid = -200, "ERR_CERT_COMMON_NAME_INVALID";
    CertDateInvalid = -201, "ERR_CERT_DATE_INVALID";
    CertAuthorityInvalid = -202, "ERR_CERT_AUTHORITY_INVALID";
    CertContainsErrors = -203, "ERR_CERT_CONTAINS_ERRORS";
    CertRevoked = -206, "ERR_CERT_REVOKED";
    CertInvalid = -207, "ERR_CERT_INVALID";
    CertWeakSignatureAlgorithm = -208, "ERR_CERT_WEAK_SIGNATURE_ALGORITHM";
    InvalidUrl = -300, "ERR_INVALID_URL";
    DisallowedUrlScheme = -301, "ERR_DISALLOWED_URL_SCHEME";
    UnknownUrlScheme = -302, "ERR_UNKNOWN_URL_SCHEME";
    TooManyRedirects = -310, "ERR_TOO_MANY_REDIRECTS";
    UnsafeRedirect = -311, "ERR_UNSAFE_REDIRECT";
    InvalidRedirect = -303, "ERR_INVALID_REDIRECT";
    UnsafePort = -312, "ERR_UNSAFE_PORT";
    InvalidResponse = -320, "ERR_INVALID_RESPONSE";
    InvalidChunkedEncoding = -321, "ERR_INVALID_CHUNKED_ENCODING";
    MethodNotSupported = -322, "ERR_METHOD_NOT_SUPPORTED";
    EmptyResponse = -324, "ERR_EMPTY_RESPONSE";
    ResponseHeadersTooBig = -325, "ERR_RESPONSE_HEADERS_TOO_BIG";
    RequestRangeNotSatisfiable = -328, "ERR_REQUEST_RANGE_NOT_SATISFIABLE";
    ContentDecodingFailed = -330, "ERR_CONTENT_DECODING_FAILED";
    Http2ProtocolError = -337, "ERR_HTTP2_PROTOCOL_ERROR";
    InvalidAuthCredentials = -338, "ERR_INVALID_AUTH_CREDENTIALS";
    UnsupportedAuthScheme = -339, "ERR_UNSUPPORTED_AUTH_SCHEME";
    ResponseHeadersMultipleContentLength = -346, "ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH";
    ResponseHeadersMultipleLocation = -348, "ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION";
    ContentLengthMismatch = -354, "ERR_CONTENT_LENGTH_MISMATCH";
    IncompleteChunkedEncoding = -355, "ERR_INCOMPLETE_CHUNKED_ENCODING";
    InvalidHttpResponse = -370, "ERR_INVALID_HTTP_RESPONSE";
    CacheMiss = -400, "ERR_CACHE_MISS";
    CacheReadFailure = -401, "ERR_CACHE_READ_FAILURE";
}

impl NetError {
    /// The string Electron rejects with: `net::ERR_CONNECTION_REFUSED`.
    pub fn message(self) -> String {
        format!("net::{}", self.name())
    }
}

impl std::fmt::Display for NetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "net::{}", self.name())
    }
}

impl std::error::Error for NetError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes_round_trip() {
        assert_eq!(
            NetError::ConnectionRefused.message(),
            "net::ERR_CONNECTION_REFUSED"
        );
        assert_eq!(NetError::ConnectionRefused.code(), -102);
        assert_eq!(
            NetError::from_code(-202),
            Some(NetError::CertAuthorityInvalid)
        );
        assert_eq!(NetError::from_code(1), None);
        assert_eq!(
            NetError::from_name("ERR_UNKNOWN_URL_SCHEME").map(NetError::code),
            Some(-302)
        );
        assert_eq!(NetError::from_name("ERR_NOT_A_THING"), None);
    }
}
