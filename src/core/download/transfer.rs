//! A download's transfer: the response body written to a temporary file beside the target
//! (`<name>.crdownload`, Chromium's intermediate file) and renamed to the target once
//! whole, so no half file ever has the final name. Pausing stops reading, and so the socket
//! (back-pressure); cancelling removes the temporary file; a failure keeps it (a resumption
//! continues it) and says which of Chromium's interrupt reasons it was.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use bytes::Bytes;

use crate::core::client::prefetch::Prefetched;
use crate::core::client::response::ResponseBody;
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

/// Chromium's intermediate file for `target`: `<name>.crdownload` beside it.
pub fn intermediate_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".crdownload");
    target.with_file_name(name)
}

/// The temporary file for a new transfer to `target`: Chromium's intermediate name, unless
/// a file has it already (an interrupted download never resumed, which a later
/// `createInterruptedDownload` may still want); then one with a number of its own.
pub async fn partial_path(target: &Path) -> PathBuf {
    let intermediate = intermediate_path(target);
    // Asked off the runtime's threads, as every file operation here is.
    if !tokio::fs::try_exists(&intermediate).await.unwrap_or(false) {
        return intermediate;
    }
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

/// Where an earlier process's interrupted download of `target` left its bytes, and how many
/// of the `offset` bytes the app recorded the file truly holds: our intermediate file, else
/// the target itself (Electron hands Chromium one path as both the current and the target
/// path). A process that ended may not have written its last pieces, so a shorter file
/// continues from its own length (Chromium would start over). `None`: nothing to continue.
pub fn find_partial(target: &Path, offset: u64) -> Option<(PathBuf, u64)> {
    if offset == 0 {
        return None;
    }
    [intermediate_path(target), target.to_path_buf()]
        .into_iter()
        .find_map(|path| {
            let metadata = std::fs::metadata(&path).ok().filter(|m| m.is_file())?;
            let held = metadata.len().min(offset);
            Some((path, held))
        })
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

/// Where a transfer's bytes go before the rename.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Partial {
    /// A new temporary file beside the target.
    New,
    /// An interrupted download's temporary file, continued after its first `offset` bytes
    /// (the server answered a `Range` request with them; anything after is cut off).
    Continue {
        /// The file.
        path: PathBuf,
        /// The bytes already there.
        offset: u64,
    },
}

/// Writes `body` to `target` through a temporary file beside it, reporting the bytes
/// received so far to `progress` (at most every 100 ms, and at the end).
pub async fn save(
    body: impl Pieces,
    target: &Path,
    control: &Control,
    progress: impl FnMut(u64),
) -> Outcome {
    save_into(body, target, Partial::New, control, progress).await
}

/// As `save`, into `partial` (a new file, or an interrupted one continued); progress counts
/// the bytes already there.
pub async fn save_into(
    mut body: impl Pieces,
    target: &Path,
    partial: Partial,
    control: &Control,
    mut progress: impl FnMut(u64),
) -> Outcome {
    let (partial, offset) = match partial {
        Partial::New => (partial_path(target).await, None),
        Partial::Continue { path, offset } => (path, Some(offset)),
    };
    let interrupted = |reason| Outcome::Interrupted {
        reason,
        partial: partial.clone(),
    };
    if let Some(dir) = target.parent() {
        if let Err(e) = tokio::fs::create_dir_all(dir).await {
            return interrupted(InterruptReason::of_io(&e));
        }
    }
    let (file, written) = start_writer(partial.clone(), offset);
    let mut paused = control.paused.subscribe();
    let (mut received, mut reported) = (offset.unwrap_or(0), Instant::now());
    let ended = loop {
        if *paused.borrow() {
            tokio::select! {
                _ = control.cancelled.cancelled() => break End::Cancelled,
                _ = paused.wait_for(|p| !*p) => continue,
            }
        }
        // A pause takes effect between reads (a read is not abandoned half-way).
        let piece = tokio::select! {
            biased;
            _ = control.cancelled.cancelled() => break End::Cancelled,
            piece = body.next_piece(READ_SIZE) => piece,
        };
        match piece {
            Ok(Some(bytes)) => {
                received += bytes.len() as u64;
                // Waits while the disk is behind; refused only when the writer stopped on
                // an error, which `written` says.
                let sent = tokio::select! {
                    biased;
                    _ = control.cancelled.cancelled() => break End::Cancelled,
                    sent = file.send(bytes) => sent.is_ok(),
                };
                if !sent {
                    break End::Whole;
                }
                if reported.elapsed() >= REPORT_EVERY {
                    reported = Instant::now();
                    progress(received);
                }
            }
            Ok(None) => break End::Whole,
            Err(e) => break End::Broken(InterruptReason::of_net(e)),
        }
    };
    drop(file);
    let written = written
        .await
        .unwrap_or_else(|e| Err(std::io::Error::other(e)));
    match (ended, written) {
        (End::Cancelled, _) => {
            let _ = tokio::fs::remove_file(&partial).await;
            Outcome::Cancelled
        }
        (_, Err(e)) => interrupted(InterruptReason::of_io(&e)),
        (End::Broken(reason), Ok(())) => {
            // What the partial file holds: a resumption asks for the rest from there.
            progress(received);
            interrupted(reason)
        }
        (End::Whole, Ok(())) => {
            progress(received);
            match tokio::fs::rename(&partial, target).await {
                Ok(()) => Outcome::Completed,
                Err(e) => interrupted(InterruptReason::of_io(&e)),
            }
        }
    }
}

/// How the reading loop ended.
enum End {
    Whole,
    Cancelled,
    Broken(InterruptReason),
}

/// Pieces in flight to the disk.
const WRITE_QUEUE: usize = 8;

/// The file side of a transfer: a blocking task of its own writing the pieces it is sent
/// with plain `write` calls (tokio's file handles cost a thread hand-off per write), at most
/// a few pieces behind the network: when the disk is slower, sending waits, and so does the
/// socket. The handle resolves once everything sent is written, or at the first error.
fn start_writer(
    path: PathBuf,
    continue_at: Option<u64>,
) -> (
    tokio::sync::mpsc::Sender<Bytes>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Bytes>(WRITE_QUEUE);
    let written = tokio::task::spawn_blocking(move || {
        use std::io::{Seek, SeekFrom, Write};
        let mut file = match continue_at {
            None => std::fs::File::create(&path)?,
            Some(offset) => {
                let mut file = std::fs::OpenOptions::new().write(true).open(&path)?;
                file.set_len(offset)?;
                file.seek(SeekFrom::Start(offset))?;
                file
            }
        };
        while let Some(piece) = rx.blocking_recv() {
            file.write_all(&piece)?;
        }
        Ok(())
    });
    (tx, written)
}

#[cfg(test)]
#[path = "transfer_tests.rs"]
mod tests;
