//! What listeners see and what they answer: Electron's details object, with the fields of
//! each event, and the decision a blocking listener returns (`cancel`, `redirectURL`,
//! `requestHeaders`, `responseHeaders`, `statusLine`).

use base64::Engine;
use bytes::Bytes;
use serde_json::{json, Map, Value};
use url::Url;

use super::Event;

/// Everything known about a request so far; each event reports its own subset.
#[derive(Debug, Clone)]
pub struct Details {
    /// Per-session request id.
    pub id: u64,
    /// The URL, parsed (for filters).
    pub parsed_url: Url,
    /// Method.
    pub method: String,
    /// Electron's resource type (`other` for requests made from Node).
    pub resource_type: String,
    /// The Referer, or empty.
    pub referrer: String,
    /// Milliseconds since the epoch when the event fired.
    pub timestamp: f64,
    /// The request body, when there is one in memory.
    pub upload_data: Option<Bytes>,
    /// Request headers as they will go out.
    pub request_headers: Vec<(String, String)>,
    /// `HTTP/1.1 200 OK`.
    pub status_line: String,
    /// Status code (0 before a response).
    pub status_code: u16,
    /// Response headers as received.
    pub response_headers: Vec<(String, String)>,
    /// The server's IP address, when connected.
    pub ip: Option<String>,
    /// Where a redirect goes.
    pub redirect_url: Option<String>,
    /// `net::OK` on completion, the error string on failure.
    pub error: Option<String>,
}

impl Details {
    /// Details of a new request.
    pub fn new(id: u64, url: Url, method: &str, referrer: &str) -> Self {
        Self {
            id,
            parsed_url: url,
            method: method.to_owned(),
            resource_type: "other".to_owned(),
            referrer: referrer.to_owned(),
            timestamp: 0.0,
            upload_data: None,
            request_headers: Vec::new(),
            status_line: String::new(),
            status_code: 0,
            response_headers: Vec::new(),
            ip: None,
            redirect_url: None,
            error: None,
        }
    }

    /// Stamps the time of the event about to fire.
    pub fn stamp(&mut self) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        self.timestamp = now.as_secs_f64() * 1000.0;
    }

    /// The JSON object `event` reports.
    pub fn to_json(&self, event: Event) -> String {
        let mut o = Map::new();
        o.insert("id".into(), json!(self.id));
        o.insert("url".into(), json!(self.parsed_url.as_str()));
        o.insert("method".into(), json!(self.method));
        o.insert("resourceType".into(), json!(self.resource_type));
        o.insert("referrer".into(), json!(self.referrer));
        o.insert("timestamp".into(), json!(self.timestamp));
        let response = || {
            let mut headers = Map::new();
            for (name, value) in &self.response_headers {
                match headers.get_mut(name) {
                    Some(Value::Array(values)) => values.push(json!(value)),
                    _ => {
                        headers.insert(name.clone(), json!([value]));
                    }
                }
            }
            Value::Object(headers)
        };
        match event {
            Event::BeforeRequest | Event::BeforeSendHeaders => {
                if let Some(body) = &self.upload_data {
                    let b64 = base64::engine::general_purpose::STANDARD.encode(body);
                    o.insert("uploadData".into(), json!([{ "bytes": b64 }]));
                }
            }
            _ => {}
        }
        if matches!(event, Event::BeforeSendHeaders | Event::SendHeaders) {
            let headers: Map<String, Value> = self
                .request_headers
                .iter()
                .map(|(n, v)| (n.clone(), json!(v)))
                .collect();
            o.insert("requestHeaders".into(), Value::Object(headers));
        }
        if matches!(
            event,
            Event::HeadersReceived
                | Event::ResponseStarted
                | Event::BeforeRedirect
                | Event::Completed
        ) {
            o.insert("statusLine".into(), json!(self.status_line));
            o.insert("statusCode".into(), json!(self.status_code));
            o.insert("responseHeaders".into(), response());
        }
        if matches!(
            event,
            Event::ResponseStarted
                | Event::BeforeRedirect
                | Event::Completed
                | Event::ErrorOccurred
        ) {
            o.insert("fromCache".into(), json!(false));
        }
        if event == Event::BeforeRedirect {
            o.insert(
                "redirectURL".into(),
                json!(self.redirect_url.as_deref().unwrap_or("")),
            );
            if let Some(ip) = &self.ip {
                o.insert("ip".into(), json!(ip));
            }
        }
        if matches!(event, Event::Completed | Event::ErrorOccurred) {
            o.insert(
                "error".into(),
                json!(self.error.as_deref().unwrap_or("net::OK")),
            );
        }
        Value::Object(o).to_string()
    }
}

/// What the listeners of a blocking event decided, merged along the chain by the JS side.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decision {
    /// Stop the request with `net::ERR_BLOCKED_BY_CLIENT`.
    pub cancel: bool,
    /// Go here instead (an internal 307).
    pub redirect_url: Option<String>,
    /// Replace the request headers with these.
    pub request_headers: Option<Vec<(String, String)>>,
    /// Replace the response headers with these.
    pub response_headers: Option<Vec<(String, String)>>,
    /// Replace the status line.
    pub status_line: Option<String>,
    /// A listener threw: fail the request with this message.
    pub error: Option<String>,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn valid_value(value: &str) -> bool {
    !value.contains(['\0', '\r', '\n'])
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Decision {
    /// Parses the JS answer; `None` when it changes nothing.
    pub fn from_json(answer: &str) -> Option<Self> {
        let value: Value = serde_json::from_str(answer).ok()?;
        let o = value.as_object()?;
        let headers = |key: &str, multi: bool| -> Option<Vec<(String, String)>> {
            let map = o.get(key)?.as_object()?;
            let mut out = Vec::new();
            for (name, value) in map {
                let values: Vec<String> = match value {
                    // A response header may repeat; a request header's values join into one.
                    Value::Array(items) if multi => items.iter().filter_map(text).collect(),
                    Value::Array(items) => {
                        vec![items.iter().filter_map(text).collect::<Vec<_>>().join(", ")]
                    }
                    other => text(other).into_iter().collect(),
                };
                // Invalid names or values are dropped, as Electron drops them.
                if !valid_name(name) {
                    continue;
                }
                out.extend(
                    values
                        .into_iter()
                        .filter(|v| valid_value(v))
                        .map(|v| (name.clone(), v)),
                );
            }
            Some(out)
        };
        let decision = Self {
            cancel: o.get("cancel").and_then(Value::as_bool).unwrap_or(false),
            redirect_url: o
                .get("redirectURL")
                .and_then(Value::as_str)
                .map(str::to_owned),
            request_headers: headers("requestHeaders", false),
            response_headers: headers("responseHeaders", true),
            status_line: o
                .get("statusLine")
                .and_then(Value::as_str)
                .map(str::to_owned),
            error: o.get("error").and_then(Value::as_str).map(str::to_owned),
        };
        (decision != Self::default()).then_some(decision)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_parse_and_drop_invalid_headers() {
        assert_eq!(Decision::from_json("{}"), None);
        assert_eq!(Decision::from_json("not json"), None);
        let d = Decision::from_json(
            r#"{"requestHeaders":{"X-A":"1","Bad Name":"x","X-B":["a","b"],"X-C":"a\nb"},"cancel":false}"#,
        )
        .unwrap();
        assert_eq!(
            d.request_headers.unwrap(),
            vec![
                ("X-A".to_owned(), "1".to_owned()),
                ("X-B".to_owned(), "a, b".to_owned())
            ]
        );
        let d = Decision::from_json(
            r#"{"responseHeaders":{"Set-Cookie":["a=1","b=2"]},"statusLine":"HTTP/1.1 404 Not Found"}"#,
        )
        .unwrap();
        assert_eq!(d.response_headers.unwrap().len(), 2);
        assert_eq!(d.status_line.as_deref(), Some("HTTP/1.1 404 Not Found"));
        assert!(Decision::from_json(r#"{"cancel":true}"#).unwrap().cancel);
    }

    #[test]
    fn details_report_each_events_fields() {
        let mut d = Details::new(7, Url::parse("http://h/p").unwrap(), "GET", "");
        d.status_code = 200;
        d.response_headers = vec![("x".into(), "1".into()), ("x".into(), "2".into())];
        let v: Value = serde_json::from_str(&d.to_json(Event::Completed)).unwrap();
        assert_eq!(v["error"], "net::OK");
        assert_eq!(v["responseHeaders"]["x"], json!(["1", "2"]));
        assert_eq!(v["fromCache"], false);
        let v: Value = serde_json::from_str(&d.to_json(Event::BeforeRequest)).unwrap();
        assert!(v.get("responseHeaders").is_none());
        assert_eq!(v["id"], 7);
    }
}
