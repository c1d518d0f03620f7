//! Exact duplicates: group by size, then by hashes of more and more of the content,
//! as `menage.files.duplicates` (the reference) does, stage for stage:
//!
//! 1. size (no read); hardlinks to one inode are one file; empty files apart;
//! 2. small files (up to 16 KiB) hashed whole in one read, larger ones by their first block;
//! 3. files from 1 MiB by their last block;
//! 4. the whole content.
//!
//! Reads run on a pool of threads, skipping what the hash cache already knows, each
//! file opened by its name in its folder (folders held open per thread, files taken by
//! path so by folder). On a rotational disk, every thread first hashes the files whose
//! bytes the page cache already holds (`cachestat(2)`, which starts no read: no seek to
//! order there); what must come from the disk is then read by one thread in inode order,
//! which on ext4 and XFS follows the disk's layout closely, without a FIEMAP call per file.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::hash::{self, Kind, BLOCK, TAIL_MIN, WHOLE_LIMIT};
use crate::paths::Paths;
use crate::sys;
use crate::walk::Counters;

/// The file columns the stages need.
pub struct Files<'a> {
    pub paths: &'a Paths,
    pub size: &'a [i64],
    pub dev: &'a [u64],
    pub ino: &'a [u64],
    pub mtime_ns: &'a [i64],
    pub nlink: &'a [u32],
}

/// One kind of digest for the files: 16 bytes each, and whether it is known (the
/// caller's buffers, filled in place). With `members` (sorted file numbers), only those
/// files have a place (the heads and tails: files above 16 KiB); a digest of another
/// file is never needed.
pub struct Column<'a> {
    pub data: &'a mut [u8],
    pub known: &'a mut [u8],
    pub members: Option<&'a [u32]>,
}

impl Column<'_> {
    fn place(&self, i: usize) -> Option<usize> {
        match self.members {
            None => Some(i),
            Some(members) => members.binary_search(&(i as u32)).ok(),
        }
    }

    pub fn get(&self, i: usize) -> Option<&[u8]> {
        let at = self.place(i)?;
        if self.known[at] != 0 {
            Some(&self.data[16 * at..16 * at + 16])
        } else {
            None
        }
    }

    fn set(&mut self, i: usize, digest: &[u8; 16]) {
        if let Some(at) = self.place(i) {
            self.data[16 * at..16 * at + 16].copy_from_slice(digest);
            self.known[at] = 1;
        }
    }
}

pub struct Digests<'a> {
    pub head: Column<'a>,
    pub tail: Column<'a>,
    pub full: Column<'a>,
}

impl<'a> Digests<'a> {
    fn of(&mut self, kind: Kind) -> &mut Column<'a> {
        match kind {
            Kind::Whole | Kind::Full => &mut self.full,
            Kind::Head => &mut self.head,
            Kind::Tail => &mut self.tail,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// solid-state or unknown: the biggest files first, every thread reading
    Parallel,
    /// rotational: one reader, in inode order
    Inode,
}

pub struct Outcome {
    /// groups of file numbers (one per inode), each sorted, the list sorted as the report
    pub groups: Vec<Vec<usize>>,
    pub empty: Vec<usize>,
    pub issues: Vec<(usize, &'static str, String)>,
    /// the first path of each inode seen under several paths, and its other paths
    pub links: Vec<(usize, Vec<usize>)>,
    pub computed: usize,
    pub files_read: usize,
    pub bytes_read: u64,
}

/// Stage progress, read by the thread that reports it: (stage, bytes done, bytes to do).
pub struct Progress {
    pub stage: AtomicUsize,
    pub done: AtomicUsize,
    pub total: AtomicUsize,
}

impl Progress {
    pub fn new() -> Progress {
        Progress {
            stage: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            total: AtomicUsize::new(0),
        }
    }
}

pub const STAGES: [Kind; 4] = [Kind::Whole, Kind::Head, Kind::Tail, Kind::Full];

/// Files read between two writes of their digests: the outcomes (40 bytes each) of ten
/// million files at once would be 400 MB.
const BATCH: usize = 1 << 16;

/// Other paths of each inode seen more than once, by its first path (the smallest:
/// files are sorted by path).
pub fn collapse_hardlinks(files: &Files) -> Vec<(usize, Vec<usize>)> {
    let mut by_inode: HashMap<(u64, u64), Vec<usize>> = HashMap::new();
    for i in 0..files.size.len() {
        if files.nlink[i] > 1 {
            by_inode
                .entry((files.dev[i], files.ino[i]))
                .or_default()
                .push(i);
        }
    }
    let mut links: Vec<(usize, Vec<usize>)> = by_inode
        .into_values()
        .filter(|same| same.len() > 1)
        .map(|mut same| {
            same.sort_unstable_by(|&a, &b| files.paths.get(a).cmp(&files.paths.get(b)));
            let first = same.remove(0);
            (first, same)
        })
        .collect();
    links.sort_unstable_by_key(|(first, _)| *first);
    links
}

struct Hasher<'a> {
    files: &'a Files<'a>,
    digests: &'a mut Digests<'a>,
    order: Order,
    pool: &'a rayon::ThreadPool,
    progress: &'a Progress,
    counters: &'a Counters,
    issues: Vec<(usize, &'static str, String)>,
    read_whole: Vec<u8>,
    computed: usize,
    files_read: usize,
    bytes_read: u64,
}

impl Hasher<'_> {
    fn cost(&self, kind: Kind, i: usize) -> usize {
        let size = self.files.size[i] as usize;
        match kind {
            Kind::Head | Kind::Tail => size.min(BLOCK),
            _ => size,
        }
    }

    fn run(&mut self, kind: Kind, indices: Vec<usize>) {
        let column = self.digests.of(kind);
        let mut todo: Vec<usize> = indices
            .into_iter()
            .filter(|&i| column.get(i).is_none())
            .collect();
        if todo.is_empty() {
            return;
        }
        let files = self.files;
        if kind == Kind::Full {
            // big files first, so that no thread is left alone with one at the end
            todo.sort_by(|&a, &b| files.size[b].cmp(&files.size[a]))
        } else {
            // by folder: each reader opens a file by its name in a folder it holds open
            // (in path order, a folder's files are split by its subfolders' trees)
            sort_by_folder(files.paths, &mut todo);
        }
        let total: usize = todo.iter().map(|&i| self.cost(kind, i)).sum();
        let progress = self.progress;
        progress.stage.store(
            STAGES.iter().position(|&k| k == kind).unwrap(),
            Ordering::Relaxed,
        );
        progress.done.store(0, Ordering::Relaxed);
        progress.total.store(total, Ordering::Relaxed);
        let counters = self.counters;
        let partial = matches!(kind, Kind::Head | Kind::Tail);
        let cost = move |i: usize| {
            let size = files.size[i] as usize;
            if partial {
                size.min(BLOCK)
            } else {
                size
            }
        };
        let cancelled = || -> hash::Outcome { Err(("cancelled", String::new())) };
        let is_cancelled = || counters.cancel.load(Ordering::Relaxed);
        let pool = self.pool;
        let min_len = if kind == Kind::Full { 1 } else { 32 };
        let inode_order = self.order == Order::Inode;
        let probe = inode_order && hash::can_probe();
        // failures by their place in `todo`, so that they come in its order whatever the
        // order of the reads
        let mut failures: Vec<(usize, hash::Failure)> = Vec::new();
        // in inode order: the files the page cache does not hold, by their place in `todo`
        let mut left: Vec<usize> = Vec::new();
        let mut start = 0;
        for batch in todo.chunks(BATCH) {
            let outcomes: Vec<Option<hash::Outcome>> = if inode_order && !probe {
                vec![None; batch.len()]
            } else {
                pool.install(|| {
                    batch
                        .par_iter()
                        .with_min_len(min_len)
                        .map(|&i| {
                            if is_cancelled() {
                                return Some(cancelled());
                            }
                            let (size, mtime_ns) = (files.size[i], files.mtime_ns[i]);
                            // in inode order, every thread hashes what the page cache
                            // already holds (no seek to order); what must come from the
                            // disk is left to one reader, in inode order, below
                            let outcome = if probe {
                                hash::hash_if_cached(kind, files.paths, i, size, mtime_ns)
                            } else {
                                Some(hash::hash(kind, files.paths, i, size, mtime_ns))
                            };
                            if outcome.is_some() {
                                progress.done.fetch_add(cost(i), Ordering::Relaxed);
                            }
                            outcome
                        })
                        .collect()
                })
            };
            for (k, outcome) in (start..).zip(outcomes) {
                match outcome {
                    Some(outcome) => self.record(kind, todo[k], k, outcome, &mut failures),
                    None => left.push(k),
                }
            }
            start += batch.len();
        }
        pool.broadcast(|_| hash::forget_folders());
        if inode_order {
            left.sort_unstable_by_key(|&k| (files.dev[todo[k]], files.ino[todo[k]]));
            for k in left {
                let i = todo[k];
                let outcome = if is_cancelled() {
                    cancelled()
                } else {
                    hash::hash(kind, files.paths, i, files.size[i], files.mtime_ns[i])
                };
                progress.done.fetch_add(cost(i), Ordering::Relaxed);
                self.record(kind, i, k, outcome, &mut failures);
            }
            hash::forget_folders();
        }
        if is_cancelled() {
            // the digests computed are kept, for the caller to save
            return;
        }
        self.files_read += todo.len();
        self.bytes_read += total as u64;
        // in the order of the reference: by size for whole reads, by path otherwise
        if kind == Kind::Full {
            failures.sort_unstable_by_key(|(k, _)| *k);
        } else {
            failures.sort_unstable_by_key(|(k, _)| todo[*k]);
        }
        self.computed += todo.len() - failures.len();
        self.issues.extend(
            failures
                .into_iter()
                .map(|(k, (issue, detail))| (todo[k], issue, detail)),
        );
        if kind == Kind::Whole {
            for &i in &todo {
                self.read_whole[i] = 1;
            }
        }
    }

    /// Keep the digest of file `i` (at place `k` of the stage's files), or its failure;
    /// a read stopped by a cancel is neither.
    fn record(
        &mut self,
        kind: Kind,
        i: usize,
        k: usize,
        outcome: hash::Outcome,
        failures: &mut Vec<(usize, hash::Failure)>,
    ) {
        match outcome {
            Ok(digest) => self.digests.of(kind).set(i, &digest),
            Err(("cancelled", _)) => {}
            Err(failure) => failures.push((k, failure)),
        }
    }
}

/// Split each group by digest, keeping subgroups of two or more (in first-seen order).
fn split(groups: Vec<Vec<usize>>, column: &Column<'_>) -> Vec<Vec<usize>> {
    let mut result = Vec::new();
    for group in groups {
        let mut by_digest: HashMap<&[u8], usize> = HashMap::new();
        let mut subs: Vec<Vec<usize>> = Vec::new();
        for i in group {
            if let Some(d) = column.get(i) {
                let slot = *by_digest.entry(d).or_insert_with(|| {
                    subs.push(Vec::new());
                    subs.len() - 1
                });
                subs[slot].push(i);
            }
        }
        result.extend(subs.into_iter().filter(|s| s.len() > 1));
    }
    result
}

/// Files by folder, then by path (by path alone when the paths are whole).
fn sort_by_folder(paths: &Paths, files: &mut [usize]) {
    match &paths.prefix {
        Some(prefix) => files.sort_unstable_by_key(|&i| (prefix.folders[i], i)),
        None => files.sort_unstable(),
    }
}

fn flat(groups: &[Vec<usize>]) -> Vec<usize> {
    groups.iter().flatten().copied().collect()
}

/// The stages, run one at a time by the caller (who reports progress in between).
pub struct Pipeline<'a> {
    hasher: Hasher<'a>,
    links: Vec<(usize, Vec<usize>)>,
    empty: Vec<usize>,
    small: Vec<Vec<usize>>,
    large: Vec<Vec<usize>>,
    with_tail: Vec<Vec<usize>>,
    last: Vec<Vec<usize>>,
    next: usize,
}

/// The readers: `threads` of them; in inode order, they read only what the page cache
/// holds (the disk's reads are left to one of them, in order).
pub fn make_pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|k| format!("menage-reader-{k}"))
        .build()
        .expect("a pool of reader threads")
}

impl<'a> Pipeline<'a> {
    pub fn new(
        files: &'a Files<'a>,
        digests: &'a mut Digests<'a>,
        order: Order,
        pool: &'a rayon::ThreadPool,
        progress: &'a Progress,
        counters: &'a Counters,
    ) -> Pipeline<'a> {
        let n = files.size.len();
        let links = collapse_hardlinks(files);
        let mut extra = vec![false; n];
        for (_, others) in &links {
            for &i in others {
                extra[i] = true;
            }
        }
        // same-size groups from the file numbers sorted by size (4 bytes a file, where a
        // map of sizes to lists cost about 80): in order of first appearance, as in Python
        let mut empty = Vec::new();
        let mut by_size: Vec<u32> = (0..n as u32).filter(|&i| !extra[i as usize]).collect();
        by_size.retain(|&i| {
            if files.size[i as usize] == 0 {
                empty.push(i as usize);
                false
            } else {
                true
            }
        });
        // stable: within a size, files stay in path order
        by_size.par_sort_by_key(|&i| files.size[i as usize]);
        let mut groups: Vec<Vec<usize>> = by_size
            .chunk_by(|&a, &b| files.size[a as usize] == files.size[b as usize])
            .filter(|same| same.len() > 1)
            .map(|same| same.iter().map(|&i| i as usize).collect())
            .collect();
        drop(by_size);
        // the groups in the order their first file comes (the Python engine's dict order)
        groups.sort_unstable_by_key(|g| g[0]);
        let mut small = Vec::new();
        let mut large = Vec::new();
        for group in groups {
            if files.size[group[0]] <= WHOLE_LIMIT {
                small.push(group);
            } else {
                large.push(group);
            }
        }
        let hasher = Hasher {
            files,
            digests,
            order,
            pool,
            progress,
            counters,
            issues: Vec::new(),
            read_whole: vec![0; n],
            computed: 0,
            files_read: 0,
            bytes_read: 0,
        };
        Pipeline {
            hasher,
            links,
            empty,
            small,
            large,
            with_tail: Vec::new(),
            last: Vec::new(),
            next: 0,
        }
    }

    /// Take the digests of the small files the walk read as it listed them
    /// (`walk::Config::read_small`; 20-byte records: file number, native order, then
    /// digest): each counts as read by the whole-file stage, which then reads only the
    /// others. A digest the hash cache already gave, or of a file the stage would not
    /// read, is left out.
    pub fn take_walk_digests(&mut self, records: &[u8]) {
        let h = &mut self.hasher;
        let n = h.files.size.len();
        let mut read_by_stage = vec![false; n];
        for &i in self.small.iter().flatten() {
            read_by_stage[i] = true;
        }
        for record in records.chunks_exact(20) {
            let i = u32::from_ne_bytes(record[..4].try_into().unwrap()) as usize;
            if i >= n || !read_by_stage[i] || h.digests.full.get(i).is_some() {
                continue;
            }
            h.digests.full.set(i, record[4..].try_into().unwrap());
            h.read_whole[i] = 1;
            h.computed += 1;
            h.files_read += 1;
            h.bytes_read += h.files.size[i] as u64;
        }
    }

    /// Run the next stage; its kind, or None when every stage has run.
    pub fn step(&mut self) -> Option<Kind> {
        let stage = self.next;
        self.next += 1;
        let h = &mut self.hasher;
        match stage {
            0 => {
                let small = std::mem::take(&mut self.small);
                h.run(Kind::Whole, flat(&small));
                self.last = split(small, &h.digests.full);
                Some(Kind::Whole)
            }
            1 => {
                let large = std::mem::take(&mut self.large);
                h.run(Kind::Head, flat(&large));
                let large = split(large, &h.digests.head);
                let files = h.files;
                let (with_tail, rest): (Vec<_>, Vec<_>) = large
                    .into_iter()
                    .partition(|g| files.size[g[0]] >= TAIL_MIN);
                self.with_tail = with_tail;
                self.large = rest;
                Some(Kind::Head)
            }
            2 => {
                let with_tail = std::mem::take(&mut self.with_tail);
                h.run(Kind::Tail, flat(&with_tail));
                self.large.extend(split(with_tail, &h.digests.tail));
                Some(Kind::Tail)
            }
            3 => {
                let large = std::mem::take(&mut self.large);
                h.run(Kind::Full, flat(&large));
                self.last.extend(split(large, &h.digests.full));
                Some(Kind::Full)
            }
            _ => None,
        }
    }

    /// Check again the files read whole (full reads checked themselves), sort the groups.
    pub fn finish(self) -> Outcome {
        let mut hasher = self.hasher;
        let files = hasher.files;
        // the files to check, by folder, checked by the readers (each `lstat` by its
        // name in a folder held open), their answers then taken group by group
        let mut recheck: Vec<usize> = self
            .last
            .iter()
            .flatten()
            .copied()
            .filter(|&i| hasher.read_whole[i] != 0)
            .collect();
        sort_by_folder(files.paths, &mut recheck);
        // 0: unchanged, CHANGED, or the errno of a file gone
        const CHANGED: i32 = -1;
        let verdicts: Vec<i32> = hasher.pool.install(|| {
            recheck
                .par_iter()
                .with_min_len(32)
                .map(|&i| match hash::lstat(files.paths, i) {
                    Err(e) => e,
                    Ok(st) if st.size != files.size[i] || st.mtime_ns != files.mtime_ns[i] => {
                        CHANGED
                    }
                    Ok(_) => 0,
                })
                .collect()
        });
        hasher.pool.broadcast(|_| hash::forget_folders());
        let mut answers: Vec<(u32, i32)> = recheck
            .into_iter()
            .zip(verdicts)
            .filter(|&(_, verdict)| verdict != 0)
            .map(|(i, verdict)| (i as u32, verdict))
            .collect();
        answers.sort_unstable();
        let mut groups = Vec::new();
        for group in self.last {
            let mut kept = Vec::with_capacity(group.len());
            for i in group {
                match answers.binary_search_by_key(&(i as u32), |a| a.0) {
                    Err(_) => kept.push(i),
                    Ok(at) if answers[at].1 == CHANGED => hasher.issues.push((
                        i,
                        "changed",
                        "modified during the scan; not compared".to_string(),
                    )),
                    Ok(at) => hasher
                        .issues
                        .push((i, "vanished", sys::strerror(answers[at].1))),
                }
            }
            if kept.len() > 1 {
                kept.sort_unstable();
                groups.push(kept);
            }
        }
        let redundant = |g: &Vec<usize>| files.size[g[0]] as i128 * (g.len() as i128 - 1);
        groups.sort_by(|a, b| {
            redundant(b)
                .cmp(&redundant(a))
                .then_with(|| files.paths.get(a[0]).cmp(&files.paths.get(b[0])))
        });
        Outcome {
            groups,
            empty: self.empty,
            issues: hasher.issues,
            links: self.links,
            computed: hasher.computed,
            files_read: hasher.files_read,
            bytes_read: hasher.bytes_read,
        }
    }
}
