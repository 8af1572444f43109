//! Downloads (`ses.downloadURL`, `will-download`, DownloadItem). Built in steps: so far the
//! name a download is saved under (`filename`) and the transfer of its body to that file
//! (`transfer`); starting downloads and DownloadItem come next.

pub mod filename;
pub mod transfer;
