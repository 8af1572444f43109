//! Partition strings to sessions, as Electron maps them: `''` is the default session (on
//! disk at the session data directory), `persist:NAME` is on disk at
//! `<sessionData>/Partitions/NAME`, any other string lives in memory, and `fromPath` takes an
//! explicit directory. The same partition (or directory) always yields the same session, so
//! a directory is never opened twice by this process.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::core::session::{Session, SessionOptions};
use crate::core::{Error, Result};

/// The process-wide registry.
pub fn global() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::default)
}

/// Sessions by partition, plus the session data directory they live under.
#[derive(Default)]
pub struct Registry {
    state: Mutex<RegistryState>,
}

#[derive(Default)]
struct RegistryState {
    session_data: Option<PathBuf>,
    sessions: HashMap<String, Arc<Session>>,
}

/// Whether a lookup found an existing session or made a new one.
pub struct Lookup {
    /// The session.
    pub session: Arc<Session>,
    /// True when this call created it (Electron's `session-created`).
    pub created: bool,
}

/// The default session data directory: the user's config directory + `/headless-session`.
pub fn default_session_data() -> PathBuf {
    dirs::config_dir()
        .or_else(dirs::home_dir)
        .unwrap_or_else(std::env::temp_dir)
        .join("headless-session")
}

/// A partition name made safe as one directory name: ASCII letters, digits, `-`, `_` and
/// `.` stay, every other byte becomes `%XX`, and the names `.` and `..` are escaped whole.
/// A name that would make too long a directory name (file systems allow 255 bytes) keeps
/// its first 120 bytes and gets a hash of the whole name instead of the rest.
pub fn partition_dir_name(name: &str) -> String {
    if name == "." || name == ".." {
        return name.replace('.', "%2E");
    }
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if out.len() > MAX_DIR_NAME {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(name.as_bytes());
        let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
        // The encoded name is ASCII, so any cut is a character boundary.
        out.truncate(120);
        out.push('~');
        out.push_str(&hex);
    }
    out
}

/// The longest directory name a partition gets as it is written.
const MAX_DIR_NAME: usize = 200;

impl Registry {
    fn lock(&self) -> std::sync::MutexGuard<'_, RegistryState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets the directory persistent partitions live under. Sessions already created keep
    /// their directories.
    pub fn set_session_data_path(&self, path: &Path) -> Result<()> {
        if !path.is_absolute() {
            return Err(Error::InvalidArgument("Path must be absolute".to_owned()));
        }
        self.lock().session_data = Some(path.to_path_buf());
        Ok(())
    }

    /// The directory persistent partitions live under.
    pub fn session_data_path(&self) -> PathBuf {
        self.lock()
            .session_data
            .clone()
            .unwrap_or_else(default_session_data)
    }

    /// Electron's `session.fromPartition`.
    pub fn from_partition(&self, partition: &str, options: SessionOptions) -> Result<Lookup> {
        let mut state = self.lock();
        let root = state
            .session_data
            .clone()
            .unwrap_or_else(default_session_data);
        let (key, storage) = if partition.is_empty() {
            (disk_key(&root), Some(root))
        } else if let Some(name) = partition.strip_prefix("persist:") {
            if name.is_empty() {
                return Err(Error::InvalidArgument(
                    "The partition 'persist:' has no name after the prefix".to_owned(),
                ));
            }
            let dir = root.join("Partitions").join(partition_dir_name(name));
            (disk_key(&dir), Some(dir))
        } else {
            (format!("memory:{partition}"), None)
        };
        Ok(state.lookup(key, || Session::new(partition.to_owned(), storage, options)))
    }

    /// Makes every open session's storage durable; the JS face calls it when the process
    /// exits normally, since process-wide sessions are never dropped.
    pub fn flush_all(&self) -> Result<()> {
        let sessions: Vec<Arc<Session>> = self.lock().sessions.values().cloned().collect();
        let mut first_error = None;
        // Only what opened holds writes; a partition that could not open (another process
        // holds it) is not tried again at exit.
        for session in sessions.into_iter().filter(|s| s.is_open()) {
            if let Err(e) = session.flush_storage() {
                first_error.get_or_insert(e);
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Makes every open session's stored HTTP responses durable (at exit, with `flush_all`).
    pub async fn flush_caches(&self) {
        let sessions: Vec<Arc<Session>> = self.lock().sessions.values().cloned().collect();
        for session in sessions {
            session.flush_cache().await;
        }
    }

    /// Electron's `session.fromPath`: a persistent session at an absolute directory.
    pub fn from_path(&self, path: &Path, options: SessionOptions) -> Result<Lookup> {
        if path.as_os_str().is_empty() {
            return Err(Error::InvalidArgument(
                "An empty path was specified".to_owned(),
            ));
        }
        if !path.is_absolute() {
            return Err(Error::InvalidArgument(
                "An absolute path was not provided".to_owned(),
            ));
        }
        let mut state = self.lock();
        let label = path.to_string_lossy().into_owned();
        Ok(state.lookup(disk_key(path), || {
            Session::new(label, Some(path.to_path_buf()), options)
        }))
    }
}

fn disk_key(path: &Path) -> String {
    format!("disk:{}", path.display())
}

impl RegistryState {
    fn lookup(&mut self, key: String, make: impl FnOnce() -> Session) -> Lookup {
        if let Some(session) = self.sessions.get(&key) {
            return Lookup {
                session: session.clone(),
                created: false,
            };
        }
        let session = Arc::new(make());
        self.sessions.insert(key, session.clone());
        Lookup {
            session,
            created: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_map_like_electron() {
        let registry = Registry::default();
        let root = tempfile::tempdir().unwrap();
        registry.set_session_data_path(root.path()).unwrap();
        let a = registry
            .from_partition("persist:a/b", SessionOptions::default())
            .unwrap();
        assert!(a.created);
        assert_eq!(
            a.session.storage_path().unwrap(),
            root.path().join("Partitions").join("a%2Fb")
        );
        let again = registry
            .from_partition("persist:a/b", SessionOptions::default())
            .unwrap();
        assert!(!again.created);
        assert!(Arc::ptr_eq(&a.session, &again.session));
        let mem = registry
            .from_partition("x", SessionOptions::default())
            .unwrap();
        assert_eq!(mem.session.storage_path(), None);
        let default = registry
            .from_partition("", SessionOptions::default())
            .unwrap();
        assert_eq!(default.session.storage_path().unwrap(), root.path());
        let by_path = registry
            .from_path(root.path(), SessionOptions::default())
            .unwrap();
        assert!(Arc::ptr_eq(&by_path.session, &default.session));
        assert!(registry
            .from_path(Path::new("rel"), SessionOptions::default())
            .is_err());
        assert_eq!(partition_dir_name(".."), "%2E%2E");
        let long = partition_dir_name(&"n".repeat(100_000));
        assert_eq!(long.len(), 120 + 1 + 32);
        assert!(long.starts_with(&"n".repeat(120)));
        assert_ne!(long, partition_dir_name(&"n".repeat(100_001)));
    }
}
