//! Thin, safe wrappers over the few system calls the core makes (Unix only).

use std::ffi::{CStr, CString};
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// What `stat` says of an entry, as the Python engine reads it from `os.stat_result`.
#[derive(Clone, Copy, Debug)]
pub struct Stat {
    pub mode: u32,
    pub dev: u64,
    pub ino: u64,
    pub size: i64,
    pub mtime_ns: i64,
    pub nlink: i64,
    pub uid: i64,
}

impl Stat {
    fn from_raw(st: &libc::stat) -> Stat {
        #[allow(clippy::unnecessary_cast)]
        Stat {
            mode: st.st_mode as u32,
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            size: st.st_size as i64,
            mtime_ns: (st.st_mtime as i64) * 1_000_000_000 + st.st_mtime_nsec as i64,
            nlink: st.st_nlink as i64,
            uid: st.st_uid as i64,
        }
    }

    pub fn kind(&self) -> u32 {
        self.mode & (libc::S_IFMT as u32)
    }

    pub fn is_dir(&self) -> bool {
        self.kind() == libc::S_IFDIR as u32
    }

    pub fn is_reg(&self) -> bool {
        self.kind() == libc::S_IFREG as u32
    }
}

/// The message `strerror` gives for an error number, as Python's ``OSError.strerror``.
pub fn strerror(errno: i32) -> String {
    let text = io::Error::from_raw_os_error(errno).to_string();
    match text.rfind(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

pub fn errno() -> i32 {
    io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}

pub fn cstring(path: &[u8]) -> Result<CString, i32> {
    CString::new(path).map_err(|_| libc::EINVAL)
}

/// `stat` (following links) or `lstat` of a path.
pub fn stat_path(path: &[u8], follow: bool) -> Result<Stat, i32> {
    let c = cstring(path)?;
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let rc = unsafe {
        if follow {
            libc::stat(c.as_ptr(), &mut st)
        } else {
            libc::lstat(c.as_ptr(), &mut st)
        }
    };
    if rc != 0 {
        return Err(errno());
    }
    Ok(Stat::from_raw(&st))
}

/// `fstatat` relative to an open folder.
pub fn stat_at(dirfd: i32, name: &CStr, follow: bool) -> Result<Stat, i32> {
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    let flags = if follow { 0 } else { libc::AT_SYMLINK_NOFOLLOW };
    let rc = unsafe { libc::fstatat(dirfd, name.as_ptr(), &mut st, flags) };
    if rc != 0 {
        return Err(errno());
    }
    Ok(Stat::from_raw(&st))
}

pub fn fstat(fd: &OwnedFd) -> Result<Stat, i32> {
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd.as_raw_fd(), &mut st) } != 0 {
        return Err(errno());
    }
    Ok(Stat::from_raw(&st))
}

pub fn open(path: &[u8], flags: i32) -> Result<OwnedFd, i32> {
    let c = cstring(path)?;
    let fd = unsafe { libc::open(c.as_ptr(), flags) };
    if fd < 0 {
        return Err(errno());
    }
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `openat` of a name in a folder the caller holds open, by its raw descriptor.
pub fn open_in(dirfd: i32, name: &CStr, flags: i32) -> Result<OwnedFd, i32> {
    let fd = unsafe { libc::openat(dirfd, name.as_ptr(), flags) };
    if fd < 0 {
        return Err(errno());
    }
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// Whether every page of bytes `offset..offset + len` of an open file is in the page
/// cache, by `cachestat(2)` (Linux 6.5+), which starts no read. None: the system cannot
/// tell (another system, an older kernel, a filesystem without a page cache).
pub fn cached(fd: &OwnedFd, offset: u64, len: u64) -> Option<bool> {
    #[cfg(target_os = "linux")]
    {
        #[repr(C)]
        struct Range {
            off: u64,
            len: u64,
        }
        #[repr(C)]
        #[derive(Default)]
        struct CacheStat {
            nr_cache: u64,
            nr_dirty: u64,
            nr_writeback: u64,
            nr_evicted: u64,
            nr_recently_evicted: u64,
        }
        // the same number on every architecture (the syscall table unified from 6.5)
        const SYS_CACHESTAT: libc::c_long = 451;
        if len == 0 {
            return Some(true);
        }
        let range = Range { off: offset, len };
        let mut stat = CacheStat::default();
        let rc = unsafe {
            libc::syscall(
                SYS_CACHESTAT,
                fd.as_raw_fd(),
                &range as *const Range,
                &mut stat as *mut CacheStat,
                0u32,
            )
        };
        if rc != 0 {
            return None;
        }
        let page = page_size();
        let pages = (offset + len - 1) / page - offset / page + 1;
        Some(stat.nr_cache >= pages)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (fd, offset, len);
        None
    }
}

/// What [`pread_cached`] read.
pub enum CachedRead {
    /// this many bytes, all from the page cache (fewer than asked: the rest is not in
    /// the cache, or the file ends)
    Read(usize),
    /// the first page asked for is not in the cache
    NotCached,
    /// this system or filesystem cannot read without waiting (not Linux, or
    /// `RWF_NOWAIT` refused)
    Unsupported,
}

/// One `preadv2(…, RWF_NOWAIT)` (Linux 4.14+): what the page cache holds of the bytes
/// from `offset`, never waiting for the disk. Where a `cachestat` then a read took two
/// calls, this takes one.
pub fn pread_cached(fd: &OwnedFd, buf: &mut [u8], offset: i64) -> Result<CachedRead, i32> {
    #[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
    loop {
        let iov = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        let n = unsafe {
            libc::preadv2(
                fd.as_raw_fd(),
                &iov,
                1,
                offset as libc::off_t,
                libc::RWF_NOWAIT,
            )
        };
        if n >= 0 {
            return Ok(CachedRead::Read(n as usize));
        }
        match errno() {
            libc::EINTR => continue,
            libc::EAGAIN => return Ok(CachedRead::NotCached),
            libc::EOPNOTSUPP | libc::ENOSYS | libc::EINVAL => return Ok(CachedRead::Unsupported),
            e => return Err(e),
        }
    }
    #[cfg(not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))]
    {
        let _ = (fd, buf, offset);
        Ok(CachedRead::Unsupported)
    }
}

/// Whether byte `offset` of a file starts a page: a read that stops there without
/// waiting may have stopped at the cache's edge, not at the file's end.
pub fn starts_page(offset: u64) -> bool {
    #[cfg(target_os = "linux")]
    {
        offset % page_size() == 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = offset;
        true
    }
}

#[cfg(target_os = "linux")]
fn page_size() -> u64 {
    use std::sync::OnceLock;
    static PAGE: OnceLock<u64> = OnceLock::new();
    *PAGE.get_or_init(|| {
        let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        if size > 0 {
            size as u64
        } else {
            4096
        }
    })
}

/// One `read`, retried on EINTR.
pub fn read(fd: &OwnedFd, buf: &mut [u8]) -> Result<usize, i32> {
    loop {
        let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = errno();
        if e != libc::EINTR {
            return Err(e);
        }
    }
}

/// One `pread`, retried on EINTR.
pub fn pread(fd: &OwnedFd, buf: &mut [u8], offset: i64) -> Result<usize, i32> {
    loop {
        let n = unsafe {
            libc::pread(
                fd.as_raw_fd(),
                buf.as_mut_ptr().cast(),
                buf.len(),
                offset as libc::off_t,
            )
        };
        if n >= 0 {
            return Ok(n as usize);
        }
        let e = errno();
        if e != libc::EINTR {
            return Err(e);
        }
    }
}

/// Tell the kernel a file will be read from start to end (read-ahead); Linux only.
pub fn advise_sequential(fd: &OwnedFd) {
    #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
    unsafe {
        libc::posix_fadvise(fd.as_raw_fd(), 0, 0, libc::POSIX_FADV_SEQUENTIAL);
    }
    #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
    let _ = fd;
}

/// An open folder being listed.
pub struct Dir {
    dir: *mut libc::DIR,
}

// The DIR stream is used by one thread at a time (moved, never shared).
unsafe impl Send for Dir {}

/// One entry of a folder: its name and the type `readdir` gave (DT_*).
pub struct Entry<'a> {
    pub name: &'a CStr,
    pub d_type: u8,
}

impl Dir {
    pub fn open(path: &[u8], nofollow: bool) -> Result<Dir, i32> {
        let mut flags = libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC;
        if nofollow {
            flags |= libc::O_NOFOLLOW;
        }
        let fd = open(path, flags)?;
        let dir = unsafe { libc::fdopendir(fd.as_raw_fd()) };
        if dir.is_null() {
            return Err(errno());
        }
        // the DIR stream owns the descriptor from now on
        std::mem::forget(fd);
        Ok(Dir { dir })
    }

    pub fn fd(&self) -> i32 {
        unsafe { libc::dirfd(self.dir) }
    }

    /// The next entry other than `.` and `..`; `Ok(None)` at the end.
    pub fn next(&mut self) -> Result<Option<Entry<'_>>, i32> {
        loop {
            unsafe { set_errno(0) };
            let ent = unsafe { libc::readdir(self.dir) };
            if ent.is_null() {
                let e = errno_raw();
                return if e != 0 { Err(e) } else { Ok(None) };
            }
            let ent = unsafe { &*ent };
            let name = unsafe { CStr::from_ptr(ent.d_name.as_ptr()) };
            let bytes = name.to_bytes();
            if bytes == b"." || bytes == b".." {
                continue;
            }
            return Ok(Some(Entry {
                name,
                d_type: ent.d_type,
            }));
        }
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        unsafe {
            libc::closedir(self.dir);
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
unsafe fn errno_location() -> *mut i32 {
    libc::__errno_location()
}

#[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
unsafe fn errno_location() -> *mut i32 {
    libc::__error()
}

unsafe fn set_errno(value: i32) {
    *errno_location() = value;
}

fn errno_raw() -> i32 {
    unsafe { *errno_location() }
}

/// Give the memory freed by worker threads back to the system (glibc keeps it in each
/// thread's arena otherwise: after a walk of a million files, tens of megabytes).
pub fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    unsafe {
        libc::malloc_trim(0);
    }
}
