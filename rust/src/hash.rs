//! Read as little of a file as needed, and hash it: the rules of
//! `menage.files.hashing` (the reference), outcome for outcome.
//!
//! Every open uses `O_NOFOLLOW | O_NONBLOCK` (a file swapped for a link or a FIFO after
//! the walk can neither redirect nor block a read) and `O_NOATIME` where allowed. Digests
//! are xxh3-128 in canonical (big-endian) form, as Python's `xxhash.xxh3_128_digest`.

use std::cell::RefCell;
use std::ffi::{CStr, CString};
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use crate::paths::Paths;
use crate::sys;

pub const BLOCK: usize = 4096;
pub const WHOLE_LIMIT: i64 = 16 * 1024;
pub const TAIL_MIN: i64 = 1024 * 1024;
const CHUNK: usize = 1024 * 1024;

const BASE_FLAGS: i32 = libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC;
#[cfg(any(target_os = "linux", target_os = "android"))]
const FLAGS: i32 = BASE_FLAGS | libc::O_NOATIME;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const FLAGS: i32 = BASE_FLAGS;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Whole,
    Head,
    Tail,
    Full,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Whole => "whole",
            Kind::Head => "head",
            Kind::Tail => "tail",
            Kind::Full => "full",
        }
    }
}

/// Why a file could not be hashed: (issue kind, detail), as `hashing.Changed`.
pub type Failure = (&'static str, String);
pub type Outcome = Result<[u8; 16], Failure>;

pub fn digest(data: &[u8]) -> [u8; 16] {
    xxh3_128(data).to_be_bytes()
}

fn changed(detail: &str) -> Failure {
    ("changed", detail.to_string())
}

fn open_failed(
    errno: i32,
    retry: impl FnOnce() -> Result<OwnedFd, i32>,
) -> Result<OwnedFd, Failure> {
    let mut errno = errno;
    if errno == libc::EPERM || errno == libc::EACCES {
        // O_NOATIME is only allowed on our own files; plain read access may still work
        match retry() {
            Ok(fd) => return Ok(fd),
            Err(again) => errno = again,
        }
    }
    if errno == libc::ENOENT || errno == libc::ESTALE {
        return Err(("vanished", sys::strerror(errno)));
    }
    if errno == libc::ELOOP {
        return Err(changed("replaced by a symbolic link"));
    }
    Err(("unreadable", sys::strerror(errno)))
}

fn open_path(path: &[u8]) -> Result<OwnedFd, Failure> {
    match sys::open(path, FLAGS) {
        Ok(fd) => Ok(fd),
        Err(e) => open_failed(e, || sys::open(path, BASE_FLAGS)),
    }
}

/// Folders opened lately by this thread (`O_PATH`): a file is opened by its name in
/// its folder, one lookup instead of one per component of its path (17 on average on
/// the bench's corpus, where that walk was the readers' biggest cost).
struct Folders {
    /// (paths' identity, folder number, the folder when it could be opened), newest last
    open: Vec<(usize, u32, Option<OwnedFd>)>,
}

const FOLDERS_KEPT: usize = 16;

thread_local! {
    static FOLDERS: RefCell<Folders> = const { RefCell::new(Folders { open: Vec::new() }) };
}

#[cfg(any(target_os = "linux", target_os = "android"))]
pub const FOLDER_FLAGS: i32 = libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub const FOLDER_FLAGS: i32 = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;

/// Close the folders this thread keeps open (at the end of each stage).
pub fn forget_folders() {
    FOLDERS.with(|cell| cell.borrow_mut().open.clear());
}

/// Run `act` on file `i` of `paths` by its name and its folder (opened, or found open);
/// None when it cannot (no folder numbers, the folder cannot be opened, or `act` fails:
/// the caller then uses the whole path, so that every failure reads as it always did).
fn in_folder<T>(
    paths: &Paths,
    i: usize,
    act: impl FnOnce(&OwnedFd, &CStr) -> Result<T, i32>,
) -> Option<T> {
    let prefix = paths.prefix.as_ref()?;
    let folder = prefix.folders[i];
    let id = Arc::as_ptr(&prefix.dirs) as usize;
    let name = CString::new(paths.name(i)).ok()?;
    FOLDERS.with(|cell| {
        let mut folders = cell.borrow_mut();
        let at = match folders
            .open
            .iter()
            .rposition(|e| e.0 == id && e.1 == folder)
        {
            Some(at) => at,
            None => {
                if folders.open.len() >= FOLDERS_KEPT {
                    folders.open.remove(0);
                }
                let dir = sys::open(&prefix.dirs.get(folder as usize), FOLDER_FLAGS).ok();
                folders.open.push((id, folder, dir));
                folders.open.len() - 1
            }
        };
        let done = folders.open[at]
            .2
            .as_ref()
            .and_then(|dir| act(dir, &name).ok());
        if at + 1 != folders.open.len() {
            let entry = folders.open.remove(at);
            folders.open.push(entry);
        }
        done
    })
}

/// Open `name` in the folder `dirfd` to read it; without `O_NOATIME` where it is refused
/// (only allowed on our own files).
fn open_named(dirfd: i32, name: &CStr) -> Result<OwnedFd, i32> {
    sys::open_in(dirfd, name, FLAGS).or_else(|e| {
        if e == libc::EPERM || e == libc::EACCES {
            sys::open_in(dirfd, name, BASE_FLAGS)
        } else {
            Err(e)
        }
    })
}

fn open_in_folder(paths: &Paths, i: usize) -> Option<OwnedFd> {
    in_folder(paths, i, |dir, name| open_named(dir.as_raw_fd(), name))
}

/// `lstat` of file `i` of `paths` (by its folder when it can).
pub fn lstat(paths: &Paths, i: usize) -> Result<sys::Stat, i32> {
    match in_folder(paths, i, |dir, name| {
        sys::stat_at(dir.as_raw_fd(), name, false)
    }) {
        Some(st) => Ok(st),
        None => sys::stat_path(&paths.get(i), false),
    }
}

fn open(paths: &Paths, i: usize) -> Result<OwnedFd, Failure> {
    match open_in_folder(paths, i) {
        Some(fd) => Ok(fd),
        None => open_path(&paths.get(i)),
    }
}

fn read_failed(errno: i32) -> Failure {
    if errno == libc::EISDIR {
        return changed("no longer a regular file");
    }
    ("unreadable", sys::strerror(errno))
}

thread_local! {
    static BUFFER: RefCell<Vec<u8>> = RefCell::new(vec![0u8; CHUNK]);
}

/// The first `limit` bytes (the whole file when `limit` is None), in one read, as the
/// Python engine reads them: a regular file gives all it has up to the count asked.
fn hash_small(fd: &OwnedFd, size: i64, limit: Option<usize>) -> Outcome {
    let want = match limit {
        None => size as usize + 1,
        Some(limit) => limit.min(size as usize),
    };
    BUFFER.with(|cell| {
        let mut buf = cell.borrow_mut();
        if buf.len() < want {
            buf.resize(want, 0);
        }
        let count = sys::read(fd, &mut buf[..want]).map_err(read_failed)?;
        let expected = if limit.is_none() { size as usize } else { want };
        if count == expected {
            Ok(digest(&buf[..count]))
        } else {
            Err(changed("size changed since the walk"))
        }
    })
}

fn hash_tail(fd: &OwnedFd, size: i64) -> Outcome {
    let count = BLOCK.min(size as usize);
    let mut buf = [0u8; BLOCK];
    let n = sys::pread(fd, &mut buf[..count], size - count as i64).map_err(read_failed)?;
    if n == count {
        Ok(digest(&buf[..count]))
    } else {
        Err(changed("shorter"))
    }
}
fn check_unchanged(fd: &OwnedFd, size: i64, mtime_ns: i64) -> Result<(), Failure> {
    let st = sys::fstat(fd).map_err(|e| ("unreadable", sys::strerror(e)))?;
    if !st.is_reg() {
        return Err(changed("no longer a regular file"));
    }
    if st.size != size || st.mtime_ns != mtime_ns {
        return Err(changed("size or modification time changed since the walk"));
    }
    Ok(())
}

/// The whole content, checking the file did not change while it was read.
fn hash_full(fd: &OwnedFd, size: i64, mtime_ns: i64) -> Outcome {
    check_unchanged(fd, size, mtime_ns)?;
    sys::advise_sequential(fd);
    let mut hasher = Xxh3::new();
    let mut total: i64 = 0;
    BUFFER.with(|cell| -> Result<(), Failure> {
        let mut buf = cell.borrow_mut();
        if buf.len() < CHUNK {
            buf.resize(CHUNK, 0);
        }
        loop {
            let n = sys::read(fd, &mut buf[..CHUNK]).map_err(read_failed)?;
            if n == 0 {
                return Ok(());
            }
            hasher.update(&buf[..n]);
            total += n as i64;
            if total > size {
                return Err(changed("grew during the scan"));
            }
        }
    })?;
    if total != size {
        return Err(changed("shorter than when the walk saw it"));
    }
    check_unchanged(fd, size, mtime_ns)?;
    Ok(hasher.digest128().to_be_bytes())
}

fn hash_open(kind: Kind, fd: &OwnedFd, size: i64, mtime_ns: i64) -> Outcome {
    match kind {
        Kind::Whole => hash_small(fd, size, None),
        Kind::Head => hash_small(fd, size, Some(BLOCK)),
        Kind::Tail => hash_tail(fd, size),
        Kind::Full => hash_full(fd, size, mtime_ns),
    }
}

/// Hash file `i` of `paths` (the walk saw `size` bytes, modified at `mtime_ns`).
pub fn hash(kind: Kind, paths: &Paths, i: usize, size: i64, mtime_ns: i64) -> Outcome {
    let fd = open(paths, i)?;
    hash_open(kind, &fd, size, mtime_ns)
}

/// A small file (up to [`WHOLE_LIMIT`]) the walk has just listed in `dirfd`, hashed
/// whole while its folder and inode are still in the kernel's caches (see
/// `walk::Config::read_small`); None when it is no longer the file the walk saw (device,
/// inode, size, modification time), or anything fails: the whole-file stage then reads
/// it again and says why it cannot, as it always does.
pub fn hash_listed(dirfd: i32, name: &CStr, seen: &sys::Stat) -> Option<[u8; 16]> {
    if seen.size < 1 || seen.size > WHOLE_LIMIT {
        return None;
    }
    let fd = open_named(dirfd, name).ok()?;
    let st = sys::fstat(&fd).ok()?;
    let same = st.is_reg()
        && (st.dev, st.ino, st.size, st.mtime_ns) == (seen.dev, seen.ino, seen.size, seen.mtime_ns);
    if !same {
        return None;
    }
    hash_small(&fd, seen.size, None).ok()
}

/// `RWF_NOWAIT` refused: ask `cachestat`, then read.
struct Unsupported;

/// A whole small file, a head or a tail hashed from the page cache in one call, as
/// [`hash_small`] and [`hash_tail`] would (None: some bytes must come from the disk;
/// a short read or a failure is left to the reader in order, which tells a change from
/// a miss).
fn read_if_cached(kind: Kind, fd: &OwnedFd, size: i64) -> Result<Option<Outcome>, Unsupported> {
    let part = BLOCK.min(size as usize);
    // (bytes asked, from, bytes the file must give)
    let (want, offset, expected) = match kind {
        // one byte more than the walk saw: a file that grew since gives it
        Kind::Whole => (size as usize + 1, 0, size as usize),
        Kind::Head => (part, 0, part),
        Kind::Tail => (part, size - part as i64, part),
        Kind::Full => return Err(Unsupported),
    };
    BUFFER.with(|cell| {
        let mut buf = cell.borrow_mut();
        if buf.len() < want {
            buf.resize(want, 0);
        }
        let count = match sys::pread_cached(fd, &mut buf[..want], offset) {
            // the reader in order reads again and fails as the reference does (a FIFO
            // swapped in since the walk cannot `pread`, but `read` gives it nothing)
            Err(_) => return Ok(None),
            Ok(sys::CachedRead::Unsupported) => return Err(Unsupported),
            Ok(sys::CachedRead::NotCached) => return Ok(None),
            Ok(sys::CachedRead::Read(count)) => count,
        };
        if count > expected {
            return Ok(Some(Err(changed("size changed since the walk"))));
        }
        if count < expected {
            return Ok(None);
        }
        if kind == Kind::Whole && sys::starts_page(size as u64) {
            // the read may have stopped at the cache's edge: is the walk's size the end?
            let mut byte = [0u8; 1];
            match sys::pread(fd, &mut byte, size) {
                Err(e) => return Ok(Some(Err(read_failed(e)))),
                Ok(0) => {}
                Ok(_) => return Ok(Some(Err(changed("size changed since the walk")))),
            }
        }
        Ok(Some(Ok(digest(&buf[..count]))))
    })
}

/// Whether reads on a rotational disk ask the page cache first (the tests' hook).
static PROBING: AtomicBool = AtomicBool::new(true);

/// Whether `cachestat` answered so far (cleared for good when it cannot: Linux before
/// 6.5; whole files are then left to the reader in order).
static CACHESTAT: AtomicBool = AtomicBool::new(true);

/// Whether this system can tell what the page cache holds (see [`hash_if_cached`]).
pub fn can_probe() -> bool {
    cfg!(target_os = "linux") && PROBING.load(Ordering::Relaxed)
}

/// Ask the page cache before reading on a rotational disk, or never (the tests' hook:
/// every read then goes to the one reader in inode order).
pub fn set_probing(enabled: bool) {
    PROBING.store(enabled, Ordering::Relaxed);
}

/// [`hash`], when every byte it reads is in the page cache (reading it then costs no
/// seek, whatever the disk); None when some must come from the disk, or when the system
/// cannot tell: the caller leaves those to its one reader, in disk order. Small files,
/// heads and tails are read without waiting (`RWF_NOWAIT`), whole files after asking
/// `cachestat`; where the first is refused, the second.
pub fn hash_if_cached(
    kind: Kind,
    paths: &Paths,
    i: usize,
    size: i64,
    mtime_ns: i64,
) -> Option<Outcome> {
    if !PROBING.load(Ordering::Relaxed) {
        return None;
    }
    let fd = match open(paths, i) {
        Ok(fd) => fd,
        Err(failure) => return Some(Err(failure)),
    };
    if kind != Kind::Full {
        if let Ok(outcome) = read_if_cached(kind, &fd, size) {
            return outcome;
        }
    }
    let len = match kind {
        Kind::Head | Kind::Tail => BLOCK.min(size as usize) as u64,
        Kind::Whole | Kind::Full => size as u64,
    };
    let offset = if kind == Kind::Tail {
        size as u64 - len
    } else {
        0
    };
    if !CACHESTAT.load(Ordering::Relaxed) {
        return None;
    }
    match sys::cached(&fd, offset, len) {
        Some(true) => Some(hash_open(kind, &fd, size, mtime_ns)),
        Some(false) => None,
        None => {
            CACHESTAT.store(false, Ordering::Relaxed);
            None
        }
    }
}
