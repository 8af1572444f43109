//! Downloads (`ses.downloadURL`, `will-download`, DownloadItem). Built in steps: so far the
//! name a download is saved under (`filename`); the transfer itself comes next.

pub mod filename;
