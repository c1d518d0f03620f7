//! The walk: list every folder once, stat every entry, never open anything but folders.
//!
//! The rules are the Python engine's (`menage.files.walk`, the reference): one filesystem
//! unless asked, each real folder listed once (by device and inode, so that link loops
//! and bind mounts end), symbolic links to folders walked only when asked and only after
//! every real folder (so that files keep their real paths), FIFOs, sockets and devices
//! listed and never opened, names kept as bytes. Worker threads share a stack of folders;
//! each keeps what it finds in its own columns (a file's folder and name, not its whole
//! path: a fifth of the bytes), merged and sorted by path at the end, each part's column
//! freed as soon as it is merged.
//!
//! With `read_small`, a small file whose size an earlier file had is also hashed whole
//! as soon as its folder is listed (see [`Config::read_small`]): the only files the walk
//! opens, read by a pool of readers beside the walkers, a folder's files in inode order.

use std::collections::HashSet;
use std::ffi::CStr;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use regex::bytes::Regex;

use crate::hash::{self, WHOLE_LIMIT};
use crate::paths::{separator, Paths, Prefix};
use crate::sys::{self, Dir, Stat};

pub struct Config {
    pub roots: Vec<Vec<u8>>,
    pub follow_links: bool,
    pub cross_devices: bool,
    pub exclude: Option<Regex>,
    pub exclude_paths: bool,
    pub min_size: i64,
    pub threads: usize,
    /// Ménage's own folders, never entered, by (device, inode) (`menage.home.OwnFolders`)
    pub own_folders: HashSet<(u64, u64)>,
    /// Ménage's own files, never listed, by (device, inode)
    pub own_files: HashSet<(u64, u64)>,
    /// their SQLite side files: (device, inode) of the folder, and the name
    pub side_files: HashSet<(u64, u64, Vec<u8>)>,
    /// a folder of this name is always Ménage's (a quarantine)
    pub own_name: Vec<u8>,
    /// Hash whole, as it is listed, each small file (1 byte to 16 KiB, one link) whose
    /// size an earlier file had: the whole-file stage would read it anyway (every small
    /// file that shares its size), and reading it now finds its folder and inode in the
    /// kernel's caches, where on a tree larger than they are the stage, minutes later,
    /// reads both from the disk again. Only the first file of each size, and hardlinked
    /// files (it reads one path of an inode), are left to it.
    pub read_small: bool,
}

pub struct Counters {
    pub dirs: AtomicUsize,
    pub files: AtomicUsize,
    pub cancel: AtomicBool,
}

impl Counters {
    pub fn new() -> Arc<Counters> {
        Arc::new(Counters {
            dirs: AtomicUsize::new(0),
            files: AtomicUsize::new(0),
            cancel: AtomicBool::new(false),
        })
    }
}

pub type Issue = (Vec<u8>, &'static str, String);

/// Everything the walk found, as columns (see `menage.files.walk.Tree`).
#[derive(Default)]
pub struct Tree {
    pub dirs: Arc<Paths>,
    pub dir_parent: Vec<i64>,
    pub dir_entries: Vec<i64>,
    pub dir_unlisted: Vec<i64>,
    pub paths: Paths,
    /// 4-byte columns where the values allow: 12 bytes a file less (120 MB at ten
    /// million files)
    pub dir_of: Vec<u32>,
    pub size: Vec<i64>,
    pub dev: Vec<u64>,
    pub ino: Vec<u64>,
    pub mtime_ns: Vec<i64>,
    pub nlink: Vec<u32>,
    pub uid: Vec<u32>,
    pub symlinks: Vec<Vec<u8>>,
    pub broken_links: Vec<Vec<u8>>,
    pub specials: Vec<(Vec<u8>, &'static str)>,
    pub other_devices: Vec<Vec<u8>>,
    pub excluded: i64,
    pub issues: Vec<Issue>,
    /// Ménage's own folders and files met and left out
    pub own: Vec<Vec<u8>>,
    /// with `read_small`: the digests of the files read as they were listed, by file
    /// number
    pub walk_digests: Vec<(u32, [u8; 16])>,
}

struct Job {
    id: usize,
    path: Vec<u8>,
    root: usize,
    dev: u64,
    ino: u64,
    /// a root or a followed link: opened through links; a real subfolder is not
    follow: bool,
}

struct Deferred {
    path: Vec<u8>,
    parent: usize,
    root: usize,
    dev: u64,
    ino: u64,
}

#[derive(Default)]
struct State {
    stack: Vec<Job>,
    pending: usize,
    deferred: Vec<Deferred>,
    done: bool,
    visited: HashSet<(u64, u64)>,
    /// every folder registered so far: (path, parent id)
    dirs: Vec<(Vec<u8>, i64)>,
}

impl State {
    #[allow(clippy::too_many_arguments)]
    fn enqueue(
        &mut self,
        path: Vec<u8>,
        parent: i64,
        root: usize,
        dev: u64,
        ino: u64,
        follow: bool,
    ) {
        let id = self.dirs.len();
        self.dirs.push((path.clone(), parent));
        self.pending += 1;
        self.stack.push(Job {
            id,
            path,
            root,
            dev,
            ino,
            follow,
        });
    }
}

#[derive(Default)]
struct Part {
    entries: Vec<(usize, i64)>,
    unlisted: Vec<usize>,
    /// the files' names end to end (their folder is `dir_of`)
    buf: Vec<u8>,
    ends: Vec<usize>,
    dir_of: Vec<u32>,
    size: Vec<i64>,
    dev: Vec<u64>,
    ino: Vec<u64>,
    mtime_ns: Vec<i64>,
    nlink: Vec<u32>,
    uid: Vec<u32>,
    symlinks: Vec<Vec<u8>>,
    broken_links: Vec<Vec<u8>>,
    specials: Vec<(Vec<u8>, &'static str)>,
    other_devices: Vec<Vec<u8>>,
    excluded: i64,
    issues: Vec<Issue>,
    own: Vec<Vec<u8>>,
    /// files hashed as they were listed: (their place in this part, digest)
    early: Vec<(u32, [u8; 16])>,
}

impl Part {
    fn name(&self, k: usize) -> &[u8] {
        let start = if k == 0 { 0 } else { self.ends[k - 1] };
        &self.buf[start..self.ends[k]]
    }
}

pub fn issue_kind(errno: i32) -> &'static str {
    if errno == libc::ENOENT || errno == libc::ESTALE {
        "vanished"
    } else {
        "unreadable"
    }
}

fn special_kind(st: &Stat) -> &'static str {
    let kind = st.kind();
    if kind == libc::S_IFIFO as u32 {
        "fifo"
    } else if kind == libc::S_IFSOCK as u32 {
        "socket"
    } else if kind == libc::S_IFCHR as u32 {
        "char-device"
    } else if kind == libc::S_IFBLK as u32 {
        "block-device"
    } else {
        "other"
    }
}

/// Whether a followed link leads into one of Ménage's own folders: its target, links
/// resolved, or any folder above it is one of ours (`walk.inside_own` in Python).
fn inside_own(path: &[u8], cfg: &Config) -> bool {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;

    let Ok(real) = std::fs::canonicalize(std::ffi::OsStr::from_bytes(path)) else {
        return false;
    };
    let mut current = Some(real.as_path());
    while let Some(folder) = current {
        if let Ok(meta) = std::fs::metadata(folder) {
            let name = folder.file_name().map(|n| n.as_bytes()).unwrap_or(b"");
            if cfg.own_folders.contains(&(meta.dev(), meta.ino()))
                || (!cfg.own_name.is_empty() && name == cfg.own_name.as_slice())
            {
                return true;
            }
        } else {
            return false;
        }
        current = folder.parent();
    }
    false
}

fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut path = Vec::with_capacity(dir.len() + 1 + name.len());
    path.extend_from_slice(dir);
    if !dir.ends_with(b"/") {
        path.push(b'/');
    }
    path.extend_from_slice(name);
    path
}

/// What listing a folder gave: its subfolders (path, device, inode), the links to
/// folders to follow later, and the folder still open with the files to read in it
/// (`Config::read_small`), read once the subfolders are on the stack.
#[derive(Default)]
struct Listed {
    subdirs: Vec<(Vec<u8>, u64, u64)>,
    links: Vec<Deferred>,
    to_read: Option<(Dir, Vec<u32>)>,
}

struct Walker<'a> {
    cfg: &'a Config,
    root_strip: Vec<usize>,
    state: Mutex<State>,
    wake: Condvar,
    counters: &'a Counters,
    /// with `read_small`: one bit a size from 0 to 16 KiB, set by the first file of
    /// that size
    sizes_seen: Vec<AtomicU64>,
    /// the digests the readers made, by the part (walker thread) that listed the files
    early: Vec<Mutex<Vec<(u32, [u8; 16])>>>,
    /// files handed to the readers and not read yet
    queued: AtomicUsize,
}

/// Some of one folder's files, handed to the readers: the part that listed them, the
/// folder (its path, device and inode: opened again by the reader, so that reads
/// waiting hold no descriptor), and each file's place in the part, what the walk saw of
/// it, and its name (NUL-terminated, end to end in `names`).
struct Reads {
    part: usize,
    folder: Arc<(Vec<u8>, u64, u64)>,
    files: Vec<(u32, Stat, usize)>,
    names: Vec<u8>,
}

/// Files a reader takes at once: a big folder's are read by several.
const READS_AT_ONCE: usize = 64;
/// Files handed to the readers and not read yet, beyond which a walker reads its own
/// (their names and stats wait in memory: about 25 MB).
const QUEUED_MAX: usize = 1 << 18;

impl Walker<'_> {
    /// Whether a file the walk just listed is read now (see [`Config::read_small`]).
    fn reads_now(&self, st: &Stat) -> bool {
        if !self.cfg.read_small || st.nlink != 1 || st.size < 1 || st.size > WHOLE_LIMIT {
            return false;
        }
        let (word, bit) = (st.size as usize / 64, 1u64 << (st.size % 64));
        let seen = &self.sizes_seen[word];
        // read first: the sizes met often are set early, and their word stays shared
        seen.load(Ordering::Relaxed) & bit != 0 || seen.fetch_or(bit, Ordering::Relaxed) & bit != 0
    }

    fn work<'s>(&'s self, id: usize, readers: Option<&rayon::Scope<'s>>) -> Part {
        let mut part = Part::default();
        loop {
            let job = {
                let mut state = self.state.lock().unwrap();
                loop {
                    if state.done {
                        return part;
                    }
                    if let Some(job) = state.stack.pop() {
                        break job;
                    }
                    state = self.wake.wait(state).unwrap();
                }
            };
            let Listed {
                subdirs,
                links,
                to_read,
            } = if self.counters.cancel.load(Ordering::Relaxed) {
                Listed::default()
            } else {
                self.list(&mut part, &job)
            };
            self.counters.dirs.fetch_add(1, Ordering::Relaxed);
            let mut state = self.state.lock().unwrap();
            let before = state.stack.len();
            for (path, dev, ino) in subdirs {
                // a folder reached twice (a bind mount, a followed link) is listed once
                if state.visited.insert((dev, ino)) {
                    state.enqueue(path, job.id as i64, job.root, dev, ino, false);
                }
            }
            state.deferred.extend(links);
            state.pending -= 1;
            if state.pending == 0 && !state.deferred.is_empty() {
                // every real folder is listed: now the links to folders, in path order
                let mut links = std::mem::take(&mut state.deferred);
                links.sort_by(|a, b| a.path.cmp(&b.path));
                for link in links {
                    if inside_own(&link.path, &self.cfg) {
                        // a link into one of our own folders (the quarantine's runs, a
                        // subfolder of the data folder): left out, and said so
                        part.own.push(link.path);
                        continue;
                    }
                    if state.visited.insert((link.dev, link.ino)) {
                        state.enqueue(
                            link.path,
                            link.parent as i64,
                            link.root,
                            link.dev,
                            link.ino,
                            true,
                        );
                    } else if self.cfg.own_folders.contains(&(link.dev, link.ino)) {
                        // a link to one of our own folders: left out, and said so
                        part.own.push(link.path);
                    }
                }
            }
            if state.pending == 0 {
                state.done = true;
                self.wake.notify_all();
            } else {
                let added = state.stack.len().saturating_sub(before);
                for _ in 0..added {
                    self.wake.notify_one();
                }
            }
            drop(state);
            // the subfolders are on the stack for the other walkers: now the reads
            if let Some((dir, files)) = to_read {
                self.hand_over(id, &part, &job, &dir, files, readers);
            }
        }
    }

    /// Hand the small files of one folder the listing chose (`Config::read_small`) to
    /// the readers, in inode order, a few at a time; read them here, in the folder still
    /// open, when the readers are behind.
    fn hand_over<'s>(
        &'s self,
        id: usize,
        part: &Part,
        job: &Job,
        dir: &Dir,
        mut files: Vec<u32>,
        readers: Option<&rayon::Scope<'s>>,
    ) {
        let folder = Arc::new((job.path.clone(), job.dev, job.ino));
        files.sort_unstable_by_key(|&k| part.ino[k as usize]);
        for some in files.chunks(READS_AT_ONCE) {
            let mut reads = Reads {
                part: id,
                folder: folder.clone(),
                files: Vec::with_capacity(some.len()),
                names: Vec::new(),
            };
            for &k in some {
                let k = k as usize;
                let seen = Stat {
                    mode: libc::S_IFREG as u32,
                    dev: part.dev[k],
                    ino: part.ino[k],
                    size: part.size[k],
                    mtime_ns: part.mtime_ns[k],
                    nlink: 1,
                    uid: 0,
                };
                reads.files.push((k as u32, seen, reads.names.len()));
                reads.names.extend_from_slice(part.name(k));
                reads.names.push(0);
            }
            let count = reads.files.len();
            match readers {
                Some(scope) if self.queued.load(Ordering::Relaxed) < QUEUED_MAX => {
                    self.queued.fetch_add(count, Ordering::Relaxed);
                    scope.spawn(move |_| {
                        // the folder listed, or none: its files are then the stage's
                        let (path, dev, ino) = &*reads.folder;
                        if let Ok(dir) = sys::open(path, hash::FOLDER_FLAGS) {
                            let same =
                                sys::fstat(&dir).is_ok_and(|st| (st.dev, st.ino) == (*dev, *ino));
                            if same {
                                self.read(&reads, dir.as_raw_fd());
                            }
                        }
                        self.queued.fetch_sub(count, Ordering::Relaxed);
                    });
                }
                _ => self.read(&reads, dir.fd()),
            }
        }
    }

    /// Hash files handed over by [`Walker::hand_over`] in their folder `dirfd`; keep
    /// the digests for their part.
    fn read(&self, reads: &Reads, dirfd: i32) {
        let mut digests = Vec::with_capacity(reads.files.len());
        for &(k, seen, at) in &reads.files {
            if self.counters.cancel.load(Ordering::Relaxed) {
                break;
            }
            let end = at + reads.names[at..].iter().position(|&b| b == 0).unwrap_or(0);
            let Ok(name) = CStr::from_bytes_with_nul(&reads.names[at..=end]) else {
                continue;
            };
            if let Some(digest) = hash::hash_listed(dirfd, name, &seen) {
                digests.push((k, digest));
            }
        }
        self.early[reads.part].lock().unwrap().extend(digests);
    }

    fn list(&self, part: &mut Part, job: &Job) -> Listed {
        let cfg = self.cfg;
        let mut subdirs = Vec::new();
        let mut links = Vec::new();
        let mut reads = Vec::new();
        let mut dir = match Dir::open(&job.path, !job.follow) {
            Ok(dir) => dir,
            Err(e) => {
                part.unlisted.push(job.id);
                part.issues
                    .push((job.path.clone(), issue_kind(e), sys::strerror(e)));
                return Listed::default();
            }
        };
        let dirfd = dir.fd();
        let strip = self.root_strip[job.root];
        let side_here = !cfg.side_files.is_empty()
            && cfg
                .side_files
                .iter()
                .any(|(d, i, _)| (*d, *i) == (job.dev, job.ino));
        let mut entries: i64 = 0;
        let mut found = 0;
        loop {
            let entry = match dir.next() {
                Ok(Some(entry)) => entry,
                Ok(None) => break,
                Err(e) => {
                    // readdir failed half-way (the folder was removed): keep what we have
                    part.unlisted.push(job.id);
                    part.issues
                        .push((job.path.clone(), issue_kind(e), sys::strerror(e)));
                    break;
                }
            };
            let name = entry.name;
            let name_bytes = name.to_bytes();
            let path = join(&job.path, name_bytes);
            if let Some(re) = &cfg.exclude {
                let by_path = cfg.exclude_paths && re.is_match(path.get(strip..).unwrap_or(b""));
                if re.is_match(name_bytes) || by_path {
                    part.excluded += 1;
                    entries += 1;
                    continue;
                }
            }
            let mut d_type = entry.d_type;
            let mut known: Option<Stat> = None;
            if d_type == libc::DT_UNKNOWN {
                match sys::stat_at(dirfd, name, false) {
                    Ok(st) => {
                        d_type = match st.kind() {
                            k if k == libc::S_IFDIR as u32 => libc::DT_DIR,
                            k if k == libc::S_IFREG as u32 => libc::DT_REG,
                            k if k == libc::S_IFLNK as u32 => libc::DT_LNK,
                            _ => libc::DT_FIFO,
                        };
                        known = Some(st);
                    }
                    Err(e) => {
                        entries += 1;
                        part.issues.push((path, issue_kind(e), sys::strerror(e)));
                        continue;
                    }
                }
            }
            let lstat = |known: Option<Stat>| match known {
                Some(st) => Ok(st),
                None => sys::stat_at(dirfd, name, false),
            };
            if d_type == libc::DT_DIR {
                match lstat(known) {
                    Ok(st) => {
                        let own = cfg.own_folders.contains(&(st.dev, st.ino))
                            || (!cfg.own_name.is_empty() && name_bytes == cfg.own_name.as_slice());
                        if own {
                            part.own.push(path);
                            entries += 1;
                        } else if st.dev != job.dev && !cfg.cross_devices {
                            part.other_devices.push(path);
                            entries += 1;
                        } else {
                            subdirs.push((path, st.dev, st.ino));
                        }
                    }
                    Err(e) => part.issues.push((path, issue_kind(e), sys::strerror(e))),
                }
                continue;
            }
            entries += 1;
            if d_type == libc::DT_REG {
                match lstat(known) {
                    Ok(st) => {
                        let own = cfg.own_files.contains(&(st.dev, st.ino))
                            || (side_here
                                && cfg.side_files.contains(&(
                                    job.dev,
                                    job.ino,
                                    name_bytes.to_vec(),
                                )));
                        if own {
                            part.own.push(path);
                            continue;
                        }
                        if st.size < cfg.min_size {
                            part.excluded += 1;
                            continue;
                        }
                        part.buf.extend_from_slice(name_bytes);
                        part.ends.push(part.buf.len());
                        part.dir_of.push(job.id as u32);
                        part.size.push(st.size);
                        part.dev.push(st.dev);
                        part.ino.push(st.ino);
                        part.mtime_ns.push(st.mtime_ns);
                        // only ever compared with 1: more links than 4 billion count as many
                        part.nlink.push(st.nlink.clamp(0, u32::MAX as i64) as u32);
                        part.uid.push(st.uid as u32);
                        found += 1;
                        if self.reads_now(&st) {
                            reads.push(part.ends.len() as u32 - 1);
                        }
                    }
                    Err(e) => part.issues.push((path, issue_kind(e), sys::strerror(e))),
                }
            } else if d_type == libc::DT_LNK {
                part.symlinks.push(path.clone());
                match sys::stat_at(dirfd, name, true) {
                    // dangling, or a loop of links (a -> b -> a): nothing behind it
                    Err(_) => part.broken_links.push(path),
                    Ok(target) => {
                        if cfg.follow_links && target.is_dir() {
                            if target.dev != job.dev && !cfg.cross_devices {
                                part.other_devices.push(path);
                            } else {
                                links.push(Deferred {
                                    path,
                                    parent: job.id,
                                    root: job.root,
                                    dev: target.dev,
                                    ino: target.ino,
                                });
                            }
                        }
                    }
                }
            } else {
                match lstat(known) {
                    Ok(st) => part.specials.push((path, special_kind(&st))),
                    Err(e) => part.issues.push((path, issue_kind(e), sys::strerror(e))),
                }
            }
        }
        part.entries.push((job.id, entries));
        self.counters.files.fetch_add(found, Ordering::Relaxed);
        Listed {
            subdirs,
            links,
            to_read: (!reads.is_empty()).then_some((dir, reads)),
        }
    }
}

/// Walk the roots (absolute folder paths). Errors on entries are in `issues`; only a
/// root that cannot be examined at all is an error (its errno).
pub fn walk(cfg: &Config, counters: &Counters) -> Result<Tree, (Vec<u8>, i32)> {
    let mut state = State::default();
    // our own folders count as seen: a followed link or a bind mount never enters them
    state.visited.extend(cfg.own_folders.iter().copied());
    for (n, root) in cfg.roots.iter().enumerate() {
        let st = sys::stat_path(root, true).map_err(|e| (root.clone(), e))?;
        if state.visited.insert((st.dev, st.ino)) {
            state.enqueue(root.clone(), -1, n, st.dev, st.ino, true);
        }
    }
    if state.pending == 0 {
        state.done = true;
    }
    let root_strip = cfg
        .roots
        .iter()
        .map(|r| {
            let mut end = r.len();
            while end > 0 && r[end - 1] == b'/' {
                end -= 1;
            }
            end + 1
        })
        .collect();
    let walker = Walker {
        cfg,
        root_strip,
        state: Mutex::new(state),
        wake: Condvar::new(),
        counters,
        sizes_seen: (0..=WHOLE_LIMIT as usize / 64)
            .map(|_| AtomicU64::new(0))
            .collect(),
        early: (0..cfg.threads.max(1)).map(|_| Mutex::default()).collect(),
        queued: AtomicUsize::new(0),
    };
    let threads = cfg.threads.max(1);
    let mut parts = if cfg.read_small {
        // the readers: as many as the walkers; the scope waits for every read
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|k| format!("menage-walk-reader-{k}"))
            .build()
            .expect("a pool of reader threads");
        pool.in_place_scope(|readers| walk_with(&walker, threads, Some(readers)))
    } else {
        walk_with(&walker, threads, None)
    };
    let Walker { state, early, .. } = walker;
    for (part, early) in parts.iter_mut().zip(early) {
        part.early = early.into_inner().unwrap();
    }
    let state = state.into_inner().unwrap();
    Ok(merge(state.dirs, parts))
}

/// Run the walkers (and hand reads to `readers`), each thread's part in thread order.
fn walk_with<'s>(
    walker: &'s Walker<'s>,
    threads: usize,
    readers: Option<&rayon::Scope<'s>>,
) -> Vec<Part> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|id| scope.spawn(move || walker.work(id, readers)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("walker thread"))
            .collect()
    })
}

/// Compare two paths given in pieces (folder, separator, name) as their bytes joined.
fn cmp_pieces(a: [&[u8]; 3], b: [&[u8]; 3]) -> std::cmp::Ordering {
    let (mut ia, mut oa, mut ib, mut ob) = (0, 0, 0, 0);
    loop {
        while ia < 3 && oa == a[ia].len() {
            ia += 1;
            oa = 0;
        }
        while ib < 3 && ob == b[ib].len() {
            ib += 1;
            ob = 0;
        }
        match (ia == 3, ib == 3) {
            (true, true) => return std::cmp::Ordering::Equal,
            (true, false) => return std::cmp::Ordering::Less,
            (false, true) => return std::cmp::Ordering::Greater,
            _ => {}
        }
        let n = (a[ia].len() - oa).min(b[ib].len() - ob);
        let order = a[ia][oa..oa + n].cmp(&b[ib][ob..ob + n]);
        if order != std::cmp::Ordering::Equal {
            return order;
        }
        oa += n;
        ob += n;
    }
}

/// Gather one column of every part in `files` order, freeing each part's column.
fn gather<T: Copy + Default>(
    files: &[(u32, u32)],
    parts: &mut [Part],
    column: impl Fn(&mut Part) -> &mut Vec<T>,
) -> Vec<T> {
    let columns: Vec<Vec<T>> = parts
        .iter_mut()
        .map(|p| std::mem::take(column(p)))
        .collect();
    files
        .iter()
        .map(|&(p, k)| columns[p as usize][k as usize])
        .collect()
}

/// The digests of the files read as they were listed, by their number in `files`
/// order (the parts' lists freed as they are taken).
fn early_digests(files: &[(u32, u32)], parts: &mut [Part]) -> Vec<(u32, [u8; 16])> {
    let count: usize = parts.iter().map(|p| p.early.len()).sum();
    if count == 0 {
        return Vec::new();
    }
    // each file's number by its part and place there (4 bytes a file, for this step)
    let mut counts = vec![0usize; parts.len()];
    for &(p, _) in files {
        counts[p as usize] += 1;
    }
    let starts: Vec<usize> = counts
        .iter()
        .scan(0, |total, &count| {
            let start = *total;
            *total += count;
            Some(start)
        })
        .collect();
    let mut number = vec![0u32; files.len()];
    for (n, &(p, k)) in files.iter().enumerate() {
        number[starts[p as usize] + k as usize] = n as u32;
    }
    let mut early = Vec::with_capacity(count);
    for (part, start) in parts.iter_mut().zip(starts) {
        early.extend(
            std::mem::take(&mut part.early)
                .into_iter()
                .map(|(k, digest)| (number[start + k as usize], digest)),
        );
    }
    early.sort_unstable_by_key(|e| e.0);
    early
}

/// One tree from the threads' parts, folders and files sorted by path.
fn merge(dirs: Vec<(Vec<u8>, i64)>, mut parts: Vec<Part>) -> Tree {
    use rayon::prelude::*;
    let mut tree = Tree::default();
    let mut order: Vec<usize> = (0..dirs.len()).collect();
    order.par_sort_unstable_by(|&a, &b| dirs[a].0.cmp(&dirs[b].0));
    let mut remap = vec![0i64; dirs.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old] = new as i64;
    }
    tree.dirs = Arc::new(Paths::from_iter(
        order.iter().map(|&d| dirs[d].0.as_slice()),
    ));
    tree.dir_parent = order
        .iter()
        .map(|&d| {
            let parent = dirs[d].1;
            if parent >= 0 {
                remap[parent as usize]
            } else {
                -1
            }
        })
        .collect();
    tree.dir_entries = vec![0; order.len()];
    drop(order);
    let mut unlisted = Vec::new();
    for part in &mut parts {
        for &(d, count) in &part.entries {
            tree.dir_entries[remap[d] as usize] = count;
        }
        unlisted.extend(part.unlisted.iter().map(|&d| remap[d]));
        part.entries = Vec::new();
    }
    unlisted.sort_unstable();
    unlisted.dedup();
    tree.dir_unlisted = unlisted;

    // files: (part, index in part), sorted by path (folder, separator, name)
    let mut files: Vec<(u32, u32)> = Vec::with_capacity(parts.iter().map(|p| p.ends.len()).sum());
    for (p, part) in parts.iter().enumerate() {
        files.extend((0..part.ends.len()).map(|k| (p as u32, k as u32)));
    }
    {
        let parts = &parts;
        let dirs = &dirs;
        let pieces = |(p, k): (u32, u32)| {
            let part = &parts[p as usize];
            let dir = dirs[part.dir_of[k as usize] as usize].0.as_slice();
            (
                part.dir_of[k as usize],
                [dir, separator(dir), part.name(k as usize)],
            )
        };
        files.par_sort_unstable_by(|&a, &b| {
            let (da, a) = pieces(a);
            let (db, b) = pieces(b);
            if da == db {
                a[2].cmp(b[2])
            } else {
                cmp_pieces(a, b)
            }
        });
    }
    // the names in path order, in one buffer of exactly their size, each with its
    // folder (the paths are joined when asked for); then the parts' names are freed
    let bytes = files
        .iter()
        .map(|&(p, k)| parts[p as usize].name(k as usize).len())
        .sum();
    let mut names = Paths {
        buf: Vec::with_capacity(bytes),
        ends: Vec::with_capacity(files.len()),
        prefix: None,
    };
    let mut folders = Vec::with_capacity(files.len());
    for &(p, k) in &files {
        let part = &parts[p as usize];
        names.push(part.name(k as usize));
        folders.push(remap[part.dir_of[k as usize] as usize] as u32);
    }
    names.prefix = Some(Prefix {
        dirs: tree.dirs.clone(),
        folders,
    });
    tree.paths = names;
    drop(dirs);
    for part in &mut parts {
        part.buf = Vec::new();
        part.ends = Vec::new();
    }
    tree.dir_of = gather(&files, &mut parts, |p| &mut p.dir_of)
        .into_iter()
        .map(|d| remap[d as usize] as u32)
        .collect();
    tree.size = gather(&files, &mut parts, |p| &mut p.size);
    tree.dev = gather(&files, &mut parts, |p| &mut p.dev);
    tree.ino = gather(&files, &mut parts, |p| &mut p.ino);
    tree.mtime_ns = gather(&files, &mut parts, |p| &mut p.mtime_ns);
    tree.nlink = gather(&files, &mut parts, |p| &mut p.nlink);
    tree.uid = gather(&files, &mut parts, |p| &mut p.uid);
    tree.walk_digests = early_digests(&files, &mut parts);
    drop(files);
    for part in parts {
        tree.symlinks.extend(part.symlinks);
        tree.broken_links.extend(part.broken_links);
        tree.specials.extend(part.specials);
        tree.other_devices.extend(part.other_devices);
        tree.excluded += part.excluded;
        tree.issues.extend(part.issues);
        tree.own.extend(part.own);
    }
    tree.own.sort_unstable();
    tree.symlinks.sort_unstable();
    tree.broken_links.sort_unstable();
    tree.specials.sort_unstable();
    tree.other_devices.sort_unstable();
    tree.issues.sort_by(|a, b| a.0.cmp(&b.0));
    tree
}
