//! A download's transfer: the response body written to a temporary file beside the target
//! (`<name>.<n>.crdownload`, as Chromium's intermediate files) and renamed to the target once
//! whole, so no half file ever has the final name. Pausing stops reading, and so the socket
//! (back-pressure); cancelling removes the temporary file; a failure keeps it (a resumption
//! continues it) and says which of Chromium's interrupt reasons it was.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use bytes::Bytes;

use crate::core::client::response::{Prefetched, ResponseBody};
use crate::core::net_error::NetError;

/// The most bytes read from the body at once.
const READ_SIZE: usize = 1 << 20;
/// The least time between two progress reports.
const REPORT_EVERY: Duration = Duration::from_millis(100);

/// Why a download stopped short (Chromium's DownloadInterruptReason, by its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterruptReason {
    /// The file could not be written.
    FileFailed,
    /// Permission to write the file was denied.
    FileAccessDenied,
    /// The disk is full.
    FileNoSpace,
    /// The file name is too long for the file system.
    FileNameTooLong,
    /// The connection failed mid-body.
    NetworkFailed,
    /// The connection was dropped.
    NetworkDisconnected,
}

impl InterruptReason {
    /// Chromium's name (`download_interrupt_reason_values.h`).
    pub fn name(self) -> &'static str {
        match self {
            Self::FileFailed => "FILE_FAILED",
            Self::FileAccessDenied => "FILE_ACCESS_DENIED",
            Self::FileNoSpace => "FILE_NO_SPACE",
            Self::FileNameTooLong => "FILE_NAME_TOO_LONG",
            Self::NetworkFailed => "NETWORK_FAILED",
            Self::NetworkDisconnected => "NETWORK_DISCONNECTED",
        }
    }

    fn of_io(error: &std::io::Error) -> Self {
        match error.kind() {
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => Self::FileAccessDenied,
            ErrorKind::StorageFull => Self::FileNoSpace,
            ErrorKind::InvalidFilename => Self::FileNameTooLong,
            _ => Self::FileFailed,
        }
    }

    fn of_net(error: NetError) -> Self {
        match error {
            NetError::ConnectionReset | NetError::ConnectionClosed | NetError::EmptyResponse => {
                Self::NetworkDisconnected
            }
            _ => Self::NetworkFailed,
        }
    }
}

/// How a transfer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The whole body is at the target path.
    Completed,
    /// Cancelled: the temporary file is gone.
    Cancelled,
    /// Stopped short: what was written stays in `partial` for a resumption.
    Interrupted {
        /// Why.
        reason: InterruptReason,
        /// The temporary file holding what arrived.
        partial: PathBuf,
    },
}

/// What the owner of a transfer can do to it while it runs.
#[derive(Clone)]
pub struct Control {
    paused: watch::Sender<bool>,
    cancelled: CancellationToken,
}

impl Default for Control {
    fn default() -> Self {
        Self {
            paused: watch::channel(false).0,
            cancelled: CancellationToken::new(),
        }
    }
}

impl Control {
    /// Stops reading (and so the socket) until `resume`.
    pub fn pause(&self) {
        self.paused.send_replace(true);
    }

    /// Reads on after `pause`.
    pub fn resume(&self) {
        self.paused.send_replace(false);
    }

    /// Whether the transfer is paused.
    pub fn is_paused(&self) -> bool {
        *self.paused.borrow()
    }

    /// Ends the transfer and removes its temporary file.
    pub fn cancel(&self) {
        self.cancelled.cancel();
    }
}

/// The temporary file for `target`: beside it, named after it.
pub fn partial_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unique = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    target.with_file_name(format!("{name}.{unique}.crdownload"))
}

/// A body read piece by piece (a response body, or one read ahead).
pub trait Pieces: Send {
    /// The next piece of at most `limit` bytes; `None` at the end.
    fn next_piece(
        &mut self,
        limit: usize,
    ) -> impl std::future::Future<Output = Result<Option<Bytes>, NetError>> + Send;
}

impl Pieces for ResponseBody {
    fn next_piece(
        &mut self,
        limit: usize,
    ) -> impl std::future::Future<Output = Result<Option<Bytes>, NetError>> + Send {
        self.read(limit)
    }
}

impl Pieces for Prefetched {
    fn next_piece(
        &mut self,
        limit: usize,
    ) -> impl std::future::Future<Output = Result<Option<Bytes>, NetError>> + Send {
        self.read(limit)
    }
}

/// Writes `body` to `target` through a temporary file beside it, reporting the bytes
/// received so far to `progress` (at most every 100 ms, and at the end).
pub async fn save(
    mut body: impl Pieces,
    target: &Path,
    control: &Control,
    mut progress: impl FnMut(u64),
) -> Outcome {
    let partial = partial_path(target);
    let interrupted = |reason| Outcome::Interrupted {
        reason,
        partial: partial.clone(),
    };
    if let Some(dir) = target.parent() {
        if let Err(e) = tokio::fs::create_dir_all(dir).await {
            return interrupted(InterruptReason::of_io(&e));
        }
    }
    let file = match tokio::fs::File::create(&partial).await {
        Ok(file) => file,
        Err(e) => return interrupted(InterruptReason::of_io(&e)),
    };
    let mut file = tokio::io::BufWriter::with_capacity(READ_SIZE, file);
    let mut paused = control.paused.subscribe();
    let (mut received, mut reported) = (0u64, Instant::now());
    let cancelled = loop {
        if *paused.borrow() {
            tokio::select! {
                _ = control.cancelled.cancelled() => break true,
                _ = paused.wait_for(|p| !*p) => continue,
            }
        }
        // A pause takes effect between reads (a read is not abandoned half-way).
        let piece = tokio::select! {
            biased;
            _ = control.cancelled.cancelled() => break true,
            piece = body.next_piece(READ_SIZE) => piece,
        };
        match piece {
            Ok(Some(bytes)) => {
                if let Err(e) = file.write_all(&bytes).await {
                    return interrupted(InterruptReason::of_io(&e));
                }
                received += bytes.len() as u64;
                if reported.elapsed() >= REPORT_EVERY {
                    reported = Instant::now();
                    progress(received);
                }
            }
            Ok(None) => break false,
            Err(e) => {
                let _ = file.flush().await;
                return interrupted(InterruptReason::of_net(e));
            }
        }
    };
    if cancelled {
        drop(file);
        let _ = tokio::fs::remove_file(&partial).await;
        return Outcome::Cancelled;
    }
    progress(received);
    if let Err(e) = file.flush().await {
        return interrupted(InterruptReason::of_io(&e));
    }
    drop(file);
    match tokio::fs::rename(&partial, target).await {
        Ok(()) => Outcome::Completed,
        Err(e) => interrupted(InterruptReason::of_io(&e)),
    }
}

#[cfg(test)]
#[path = "transfer_tests.rs"]
mod tests;
