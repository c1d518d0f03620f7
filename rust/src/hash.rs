//! Read as little of a file as needed, and hash it: the rules of
//! `menage.files.hashing` (the reference), outcome for outcome.
//!
//! Every open uses `O_NOFOLLOW | O_NONBLOCK` (a file swapped for a link or a FIFO after
//! the walk can neither redirect nor block a read) and `O_NOATIME` where allowed. Digests
//! are xxh3-128 in canonical (big-endian) form, as Python's `xxhash.xxh3_128_digest`.

use std::cell::RefCell;
use std::os::fd::OwnedFd;

use xxhash_rust::xxh3::{xxh3_128, Xxh3};

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

fn open_failed(path: &[u8], errno: i32) -> Result<OwnedFd, Failure> {
    let mut errno = errno;
    if errno == libc::EPERM || errno == libc::EACCES {
        // O_NOATIME is only allowed on our own files; plain read access may still work
        match sys::open(path, BASE_FLAGS) {
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

fn open(path: &[u8]) -> Result<OwnedFd, Failure> {
    match sys::open(path, FLAGS) {
        Ok(fd) => Ok(fd),
        Err(e) => open_failed(path, e),
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

/// Read until `want` bytes or the end of the file.
fn read_up_to(fd: &OwnedFd, buf: &mut [u8]) -> Result<usize, i32> {
    let mut total = 0;
    while total < buf.len() {
        let n = sys::read(fd, &mut buf[total..])?;
        if n == 0 {
            break;
        }
        total += n;
    }
    Ok(total)
}

/// The first `limit` bytes (the whole file when `limit` is None), in one read.
fn hash_small(path: &[u8], size: i64, limit: Option<usize>) -> Outcome {
    let fd = open(path)?;
    let want = match limit {
        None => size as usize + 1,
        Some(limit) => limit.min(size as usize),
    };
    BUFFER.with(|cell| {
        let mut buf = cell.borrow_mut();
        if buf.len() < want {
            buf.resize(want, 0);
        }
        let count = read_up_to(&fd, &mut buf[..want]).map_err(read_failed)?;
        let expected = if limit.is_none() { size as usize } else { want };
        if count == expected {
            Ok(digest(&buf[..count]))
        } else {
            Err(changed("size changed since the walk"))
        }
    })
}

fn hash_tail(path: &[u8], size: i64) -> Outcome {
    let fd = open(path)?;
    let count = BLOCK.min(size as usize);
    let mut buf = [0u8; BLOCK];
    let n = sys::pread(&fd, &mut buf[..count], size - count as i64).map_err(read_failed)?;
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
fn hash_full(path: &[u8], size: i64, mtime_ns: i64) -> Outcome {
    let fd = open(path)?;
    check_unchanged(&fd, size, mtime_ns)?;
    sys::advise_sequential(&fd);
    let mut hasher = Xxh3::new();
    let mut total: i64 = 0;
    BUFFER.with(|cell| -> Result<(), Failure> {
        let mut buf = cell.borrow_mut();
        if buf.len() < CHUNK {
            buf.resize(CHUNK, 0);
        }
        loop {
            let n = sys::read(&fd, &mut buf[..CHUNK]).map_err(read_failed)?;
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
    check_unchanged(&fd, size, mtime_ns)?;
    Ok(hasher.digest128().to_be_bytes())
}

pub fn hash(kind: Kind, path: &[u8], size: i64, mtime_ns: i64) -> Outcome {
    match kind {
        Kind::Whole => hash_small(path, size, None),
        Kind::Head => hash_small(path, size, Some(BLOCK)),
        Kind::Tail => hash_tail(path, size),
        Kind::Full => hash_full(path, size, mtime_ns),
    }
}
