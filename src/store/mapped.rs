//! The index files as this process maps them, and handing their pages back while a run goes
//! on.
//!
//! Tantivy reads an index through memory maps, and every page a map has shown stays in the
//! process's resident set until the file is closed. Linux also maps up to 64 KB around each
//! page read from the page cache (fault-around, whatever `madvise` says): on this kind of
//! machine one byte read at every megabyte of an index file left 64 KB resident per byte. A
//! merge reads its segments from end to end, so before this module the final merges of a
//! large rebuild held as much resident as they read, and the segments they could write were
//! bounded by the run's memory budget: 52 segments at a hundred times the bench corpus, and
//! each search paid for every one of them.
//!
//! [`Directory`] opens files as tantivy's own [`MmapDirectory`] does and remembers each file it
//! opened; [`release_above`] starts a thread that tells the kernel, whenever the process holds
//! more than so much of mapped files, that the pages of the maps still open are not needed. The files are immutable and the pages stay in
//! the page cache, so a later read finds the same bytes again with a minor fault, and a merge
//! holds resident only what it read since the last release.

use std::fmt;
use std::io;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex, PoisonError, Weak};
use std::thread::JoinHandle;
use std::time::Duration;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle,
    WritePtr,
};

/// Every file a [`Directory`] of this process opened, while it may still be open.
static OPENED: Mutex<Vec<Weak<dyn FileHandle>>> = Mutex::new(Vec::new());

/// Tantivy's [`MmapDirectory`], whose maps [`release`] can empty.
#[derive(Clone)]
pub struct Directory {
    inner: MmapDirectory,
}

impl Directory {
    /// The directory of the index in `path`; with `random_reads`, the kernel reads no more
    /// of a file than the page asked for (searches jump from place to place), else it reads
    /// ahead (a build reads its segments from end to end).
    pub fn open(path: &Path, random_reads: bool) -> tantivy::Result<Directory> {
        #[cfg(unix)]
        let inner = MmapDirectory::open_with_madvice(
            path,
            if random_reads {
                tantivy::directory::Advice::Random
            } else {
                tantivy::directory::Advice::Normal
            },
        );
        #[cfg(not(unix))]
        let inner = {
            let _ = random_reads;
            MmapDirectory::open(path)
        };
        Ok(Directory {
            inner: inner.map_err(tantivy::TantivyError::from)?,
        })
    }
}

impl fmt::Debug for Directory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("mapped::Directory")
            .field(&self.inner)
            .finish()
    }
}

impl tantivy::Directory for Directory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let handle = self.inner.get_file_handle(path)?;
        let mut opened = OPENED.lock().unwrap_or_else(PoisonError::into_inner);
        // Files closed since are forgotten here rather than by the releasing thread, so that
        // a process that never releases (a search) keeps a short list too.
        if opened.len() >= 64 && opened.len().is_power_of_two() {
            opened.retain(|file| file.strong_count() > 0);
        }
        opened.push(Arc::downgrade(&handle));
        Ok(handle)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.inner.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.inner.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(watch_callback)
    }
}

/// Empties the maps of every file a [`Directory`] opened and that is still open; returns
/// how many bytes of maps were released.
pub fn release() -> usize {
    let files: Vec<Arc<dyn FileHandle>> = {
        let mut opened = OPENED.lock().unwrap_or_else(PoisonError::into_inner);
        opened.retain(|file| file.strong_count() > 0);
        opened.iter().filter_map(Weak::upgrade).collect()
    };
    // Each the whole file, as tantivy's handle holds it: a view into its map, no copy. The
    // views keep the maps alive until they are released.
    let mut maps: Vec<OwnedBytes> = files
        .iter()
        .filter_map(|file| file.read_bytes(0..file.len()).ok())
        .filter(|bytes| !bytes.is_empty())
        .collect();
    // Several handles may share one map.
    maps.sort_unstable_by_key(|bytes| (bytes.as_ptr() as usize, bytes.len()));
    maps.dedup_by_key(|bytes| bytes.as_ptr() as usize);
    maps.iter()
        .map(|bytes| release_range(bytes.as_ptr() as usize, bytes.len()))
        .sum()
}

#[cfg(target_os = "linux")]
fn release_range(start: usize, len: usize) -> usize {
    let page = page_size();
    let aligned = start & !(page - 1);
    let len = len + (start - aligned);
    // SAFETY: the range lies within a live, read-only map of a file that no one writes (the
    // caller holds a view of it, so it cannot be unmapped meanwhile). MADV_DONTNEED only drops
    // the process's page-table entries: the next read of a page maps it again from the page
    // cache, with the same bytes, so no reader can observe a change.
    let done = unsafe { libc::madvise(aligned as *mut libc::c_void, len, libc::MADV_DONTNEED) };
    if done == 0 { len } else { 0 }
}

#[cfg(unix)]
fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096)
}

#[cfg(not(unix))]
fn page_size() -> usize {
    4096
}

#[cfg(not(target_os = "linux"))]
fn release_range(_start: usize, _len: usize) -> usize {
    0
}

/// A thread that looks every `period`, until the value is dropped, at how much of this
/// process's resident memory is mapped files, and calls [`release`] when it is over `limit`
/// bytes. Below the limit nothing is released: pages read again (the top of a term
/// dictionary, the field norms of the next query) cost a fault each time they are mapped
/// anew.
pub fn release_above(limit: usize, period: Duration) -> Releasing {
    let stop = Arc::new((Mutex::new(false), Condvar::new()));
    let thread = {
        let stop = Arc::clone(&stop);
        std::thread::Builder::new()
            .name("release-maps".into())
            .spawn(move || {
                let (stopped, wake) = &*stop;
                let mut stopped = stopped.lock().unwrap_or_else(PoisonError::into_inner);
                loop {
                    stopped = wake
                        .wait_timeout(stopped, period)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0;
                    if *stopped {
                        break;
                    }
                    if mapped_resident().is_none_or(|bytes| bytes > limit) {
                        release();
                    }
                }
            })
            .ok()
    };
    Releasing { stop, thread }
}

/// Bytes of this process's resident memory that are shared pages, mostly mapped files (the
/// program's too); `None` where the system does not tell.
fn mapped_resident() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let shared: usize = statm.split_whitespace().nth(2)?.parse().ok()?;
    Some(shared * page_size())
}

/// See [`release_above`]. Without a thread (the system refused one) maps are kept, as before.
pub struct Releasing {
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Releasing {
    fn drop(&mut self) {
        let (stopped, wake) = &*self.stop;
        *stopped.lock().unwrap_or_else(PoisonError::into_inner) = true;
        wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::Directory as _;

    /// The resident bytes of the maps of `path` in this process.
    #[cfg(target_os = "linux")]
    fn resident(path: &Path) -> usize {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let mut total = 0;
        let mut ours = false;
        for line in smaps.lines() {
            if let Some(rss) = line.strip_prefix("Rss:") {
                if ours {
                    total += rss
                        .trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<usize>()
                        .unwrap()
                        * 1024;
                }
            } else if line.contains('-') && line.split_whitespace().count() >= 5 {
                ours = line.ends_with(&*path.to_string_lossy());
            }
        }
        total
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn released_maps_read_the_same_bytes_and_hold_no_pages() {
        let dir = tempfile::tempdir().unwrap();
        let bytes: Vec<u8> = (0..4u32 << 20)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let path = dir.path().join("data");
        std::fs::write(&path, &bytes).unwrap();
        let directory = Directory::open(dir.path(), false).unwrap();
        // Tantivy's readers hold the file (its handle) as long as they read it.
        let slice = directory.open_read(Path::new("data")).unwrap();
        let file = slice.read_bytes().unwrap();
        // Other tests release too, at any time: read until the pages are seen resident.
        let read_whole = || {
            (0..10).any(|_| {
                assert_eq!(file.as_slice(), &bytes[..]);
                resident(&path) >= 4 << 20
            })
        };
        assert!(read_whole(), "reading the file maps its pages");

        assert!(release() >= 4 << 20);
        assert_eq!(
            resident(&path),
            0,
            "no page of the file is mapped after a release"
        );
        assert!(read_whole(), "the same view reads the same bytes again");
    }

    #[test]
    fn closed_files_are_not_released() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("gone"), vec![7u8; 1 << 16]).unwrap();
        let directory = Directory::open(dir.path(), false).unwrap();
        let handle = directory.get_file_handle(Path::new("gone")).unwrap();
        let weak = Arc::downgrade(&handle);
        drop(handle);
        release();
        assert_eq!(weak.strong_count(), 0);
        assert!(
            OPENED
                .lock()
                .unwrap()
                .iter()
                .all(|file| !Weak::ptr_eq(file, &weak)),
            "a closed file is forgotten"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_releasing_thread_empties_the_maps_over_its_limit_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data");
        std::fs::write(&path, vec![3u8; 2 << 20]).unwrap();
        let directory = Directory::open(dir.path(), false).unwrap();
        let slice = directory.open_read(Path::new("data")).unwrap();
        let file = slice.read_bytes().unwrap();
        assert!(file.iter().all(|&b| b == 3));

        // The program's own pages are over any limit of one byte.
        let releasing = release_above(1, Duration::from_millis(1));
        let emptied = (0..1000).any(|_| {
            std::thread::sleep(Duration::from_millis(1));
            resident(&path) == 0
        });
        assert!(emptied, "the thread released the file's pages");
        drop(releasing);
        assert!(file.iter().all(|&b| b == 3));
    }
}
