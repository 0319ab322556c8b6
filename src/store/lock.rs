//! One writer at a time: an exclusive OS file lock on `index/LOCK`, holding the writer's pid.
//!
//! The lock is the operating system's (`flock` on Unix), so it dies with its process: a run
//! killed with `kill -9` leaves no stale lock behind, and the next run simply takes it. The
//! pid inside the file only names the holder in messages. Searches never take the lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

const LOCK: &str = "LOCK";

/// Another process holds the lock.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another polsearch index run (pid {pid}) is writing to {path}; use --wait to wait for it"
    )]
    Busy { pid: String, path: PathBuf },
    #[error("locking {path}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Held while a run writes; released when dropped or when the process ends.
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

impl WriterLock {
    /// Takes the lock of `index_dir` (created if missing). With `wait`, blocks until the
    /// holder is done; without, fails at once naming the holder's pid.
    pub fn acquire(index_dir: &Path, wait: bool) -> Result<WriterLock, LockError> {
        let path = index_dir.join(LOCK);
        let io = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(index_dir).map_err(io)?;
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) if wait => file.lock().map_err(io)?,
            Err(TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                let pid = pid.trim();
                return Err(LockError::Busy {
                    pid: if pid.is_empty() {
                        "unknown".to_string()
                    } else {
                        pid.to_string()
                    },
                    path: index_dir.to_path_buf(),
                });
            }
            Err(TryLockError::Error(err)) => return Err(io(err)),
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(WriterLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_with_the_holders_pid_then_admitted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let held = WriterLock::acquire(dir.path(), false).expect("first lock");
        match WriterLock::acquire(dir.path(), false) {
            Err(LockError::Busy { pid, .. }) => assert_eq!(pid, std::process::id().to_string()),
            other => panic!("expected Busy, got {other:?}"),
        }
        drop(held);
        WriterLock::acquire(dir.path(), false).expect("lock after release");
    }

    #[test]
    fn wait_blocks_until_the_holder_is_done() {
        let dir = tempfile::tempdir().expect("tempdir");
        let held = WriterLock::acquire(dir.path(), false).expect("first lock");
        let path = dir.path().to_path_buf();
        let waiter = std::thread::spawn(move || WriterLock::acquire(&path, true).map(|_| ()));
        std::thread::sleep(std::time::Duration::from_millis(100));
        assert!(
            !waiter.is_finished(),
            "--wait returned while the lock was held"
        );
        drop(held);
        waiter.join().expect("thread").expect("lock after wait");
    }
}
