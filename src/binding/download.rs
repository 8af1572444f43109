//! Downloads over the requests JS starts (`net.rs`): the body of request `id` saved to a
//! file by the core's transfer (`core::download::transfer`), paused, resumed or cancelled
//! by id, its progress and its end queued as events (`DownloadProgress`, `DownloadDone`).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use napi_derive::napi;

use super::net::{finish, take_body};
use super::net_events::{self, Event};
use crate::core::download::filename;
use crate::core::download::transfer::{self, Control, Outcome, Partial};

fn controls() -> &'static Mutex<HashMap<u32, Control>> {
    static CONTROLS: OnceLock<Mutex<HashMap<u32, Control>>> = OnceLock::new();
    CONTROLS.get_or_init(Mutex::default)
}

fn control(id: u32) -> Option<Control> {
    controls()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&id)
        .cloned()
}

/// Saves request `id`'s body at `path` through a temporary file beside it, or through
/// `partial` continued after its first `offset` bytes (a resumption); answers with
/// `DownloadDone` (progress comes as `DownloadProgress` meanwhile).
#[napi]
pub fn net_save_body(id: u32, path: String, partial: Option<String>, offset: Option<f64>) {
    let into = match partial {
        Some(partial) => Partial::Continue {
            path: PathBuf::from(partial),
            offset: offset.unwrap_or(0.0).max(0.0) as u64,
        },
        None => Partial::New,
    };
    let control = Control::default();
    controls()
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(id, control.clone());
    napi::bindgen_prelude::spawn(async move {
        let (outcome, received) = match take_body(id).await {
            None => (Outcome::Cancelled, 0),
            Some(body) => {
                let mut received = 0;
                let outcome =
                    transfer::save_into(body, &PathBuf::from(path), into, &control, |n| {
                        received = n;
                        net_events::push(id, Event::DownloadProgress { received: n });
                    })
                    .await;
                (outcome, received)
            }
        };
        controls()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&id);
        finish(id);
        let (state, reason, partial) = match outcome {
            Outcome::Completed => ("completed", None, None),
            Outcome::Cancelled => ("cancelled", None, None),
            Outcome::Interrupted { reason, partial } => (
                "interrupted",
                Some(reason.name()),
                Some(partial.to_string_lossy().into_owned()),
            ),
        };
        net_events::push(
            id,
            Event::DownloadDone {
                state,
                reason,
                received,
                partial,
            },
        );
    });
}

/// Pauses (stops reading) or resumes download `id`.
#[napi]
pub fn net_save_pause(id: u32, paused: bool) {
    if let Some(control) = control(id) {
        if paused {
            control.pause();
        } else {
            control.resume();
        }
    }
}

/// Cancels download `id`: its temporary file is removed, and it ends `cancelled`.
#[napi]
pub fn net_save_cancel(id: u32) {
    if let Some(control) = control(id) {
        control.cancel();
    }
}

/// The file name Chromium would save a download from `url` under.
#[napi]
pub fn download_file_name(url: String, content_disposition: String, mime_type: String) -> String {
    let url =
        url::Url::parse(&url).unwrap_or_else(|_| url::Url::parse("about:blank").expect("a URL"));
    let disposition = (!content_disposition.is_empty()).then_some(content_disposition.as_str());
    filename::suggested(&url, disposition, &mime_type)
}

/// A free path for `name` in `dir`: the name, else Chromium's `name (1).ext`…, passing over
/// files that exist and the `reserved` targets of downloads under way (`''` when every one
/// of them is taken).
#[napi]
pub fn download_unique_path(dir: String, name: String, reserved: Vec<String>) -> String {
    let taken =
        |p: &std::path::Path| p.exists() || reserved.iter().any(|r| p == std::path::Path::new(r));
    filename::unique(std::path::Path::new(&dir), &name, taken)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The bytes an earlier process's download of a target left behind.
#[napi(object)]
pub struct PartialFile {
    /// The file holding them.
    pub path: String,
    /// How many of the recorded bytes it holds.
    pub offset: f64,
}

/// Where an interrupted download of `target` recorded at `offset` bytes can continue from
/// (`createInterruptedDownload`); `null` when there is nothing to continue.
#[napi]
pub fn download_find_partial(target: String, offset: f64) -> Option<PartialFile> {
    let offset = if offset.is_finite() && offset > 0.0 {
        offset as u64
    } else {
        0
    };
    transfer::find_partial(std::path::Path::new(&target), offset).map(|(path, held)| PartialFile {
        path: path.to_string_lossy().into_owned(),
        offset: held as f64,
    })
}
