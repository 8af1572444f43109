//! webRequest values as they cross to JS and back: the details object each event reports
//! (Electron's field names and shapes) and the decision JS answers with, in JSON. The core
//! hands over `Details` and takes back a `Decision`; only this module knows their JS form.

use base64::Engine;
use serde_json::{json, Map, Value};

use crate::core::web_request::{is_valid_header, Decision, Details, Event};

/// The details object `event` reports, as Electron shapes it, in JSON.
pub fn details_json(details: &Details, event: Event) -> String {
    let mut o = Map::new();
    o.insert("id".into(), json!(details.id));
    o.insert("url".into(), json!(details.parsed_url.as_str()));
    o.insert("method".into(), json!(details.method));
    o.insert("resourceType".into(), json!(details.resource_type.name()));
    if let Some(id) = details.web_contents_id {
        o.insert("webContentsId".into(), json!(id));
    }
    o.insert("referrer".into(), json!(details.referrer));
    o.insert("timestamp".into(), json!(details.timestamp));
    let response = || {
        let mut headers = Map::new();
        for (name, value) in &details.response_headers {
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
            if let Some(body) = &details.upload_data {
                let b64 = base64::engine::general_purpose::STANDARD.encode(body);
                o.insert("uploadData".into(), json!([{ "bytes": b64 }]));
            }
        }
        _ => {}
    }
    if matches!(event, Event::BeforeSendHeaders | Event::SendHeaders) {
        let headers: Map<String, Value> = details
            .request_headers
            .iter()
            .map(|(n, v)| (n.clone(), json!(v)))
            .collect();
        o.insert("requestHeaders".into(), Value::Object(headers));
    }
    if matches!(
        event,
        Event::HeadersReceived | Event::ResponseStarted | Event::BeforeRedirect | Event::Completed
    ) {
        o.insert("statusLine".into(), json!(details.status_line));
        o.insert("statusCode".into(), json!(details.status_code));
        o.insert("responseHeaders".into(), response());
    }
    if matches!(
        event,
        Event::ResponseStarted | Event::BeforeRedirect | Event::Completed | Event::ErrorOccurred
    ) {
        o.insert("fromCache".into(), json!(details.from_cache));
    }
    if event == Event::BeforeRedirect {
        o.insert(
            "redirectURL".into(),
            json!(details.redirect_url.as_deref().unwrap_or("")),
        );
        if let Some(ip) = &details.ip {
            o.insert("ip".into(), json!(ip));
        }
    }
    if matches!(event, Event::Completed | Event::ErrorOccurred) {
        o.insert(
            "error".into(),
            json!(details.error.as_deref().unwrap_or("net::OK")),
        );
    }
    Value::Object(o).to_string()
}

fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The decision JS answered with; `None` when it changes nothing (or is not an object).
pub fn decision_from_json(answer: &str) -> Option<Decision> {
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
            out.extend(
                values
                    .into_iter()
                    .filter(|v| is_valid_header(name, v))
                    .map(|v| (name.clone(), v)),
            );
        }
        Some(out)
    };
    Decision {
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
    }
    .if_changing()
}
