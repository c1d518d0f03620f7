//! `menage._native`: the native core of Ménage's file engine.
//!
//! Python keeps the rules' reference implementation (`menage.files.walk`,
//! `menage.files.duplicates`); this module does the same work without a Python object
//! per file: the walk returns columns (one buffer of paths, arrays of numbers), and
//! the duplicate stages read those columns and hash files on every core, with the GIL
//! released. Long calls report progress and stop on Ctrl-C.

use std::sync::atomic::Ordering;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use pyo3::buffer::{Element, PyBuffer};
use pyo3::exceptions::{PyIndexError, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple};

mod dupes;
mod findings;
mod glob;
mod hash;
mod paths;
mod sys;
mod walk;

use paths::Paths;

/// Many paths in one buffer (a read-only sequence of ``bytes``).
#[pyclass(frozen, sequence, module = "menage._native", name = "PathBuffer")]
pub struct PyPaths {
    inner: Arc<Paths>,
}

#[pyclass(module = "menage._native", name = "PathIterator")]
pub struct PyPathsIter {
    inner: Arc<Paths>,
    next: usize,
}

#[pymethods]
impl PyPathsIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        if self.next >= self.inner.len() {
            return None;
        }
        self.next += 1;
        Some(PyBytes::new(py, &self.inner.get(self.next - 1)))
    }
}

#[pymethods]
impl PyPaths {
    /// A buffer holding ``items`` (any iterable of ``bytes``).
    #[new]
    fn new(items: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mut paths = Paths::default();
        for item in items.try_iter()? {
            let item = item?;
            paths.push(item.cast::<PyBytes>()?.as_bytes());
        }
        Ok(PyPaths {
            inner: Arc::new(paths),
        })
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __getitem__<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyBytes>> {
        let n = self.inner.len() as isize;
        let i = if index < 0 { index + n } else { index };
        if i < 0 || i >= n {
            return Err(PyIndexError::new_err("path index out of range"));
        }
        Ok(PyBytes::new(py, &self.inner.get(i as usize)))
    }

    fn __iter__(&self) -> PyPathsIter {
        PyPathsIter {
            inner: self.inner.clone(),
            next: 0,
        }
    }

    /// The position of ``path`` (the buffer must be sorted), or None.
    fn find(&self, path: &[u8]) -> Option<usize> {
        let paths = &self.inner;
        let (mut lo, mut hi) = (0, paths.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match (*paths.get(mid)).cmp(path) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Paths ``start`` to ``stop`` (clipped to the buffer) joined by NUL bytes, as
    /// ``b"\\0".join(paths[start:stop])`` gives them, without a ``bytes`` per path.
    fn joined<'py>(&self, py: Python<'py>, start: usize, stop: usize) -> Bound<'py, PyBytes> {
        let paths = &self.inner;
        let stop = stop.min(paths.len());
        let mut out: Vec<u8> = Vec::new();
        for i in start..stop {
            if i > start {
                out.push(0);
            }
            paths.extend_into(i, &mut out);
        }
        PyBytes::new(py, &out)
    }

    /// Bytes used by the buffer (paths and their ends).
    fn nbytes(&self) -> usize {
        self.inner.nbytes()
    }
}

pub fn as_bytes<T: Copy>(values: &[T]) -> &[u8] {
    // plain integers: their memory is their native-endian bytes
    unsafe { std::slice::from_raw_parts(values.as_ptr().cast(), std::mem::size_of_val(values)) }
}

fn column<'py, T: Copy>(py: Python<'py>, values: &[T]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, as_bytes(values))
}

/// A Python buffer's items read (or written) in place, without a copy: a million files'
/// column is 8 MB that need not exist twice. The buffer is held while this lives, so the
/// object can neither be resized nor freed under it.
pub struct View<T: Element> {
    _buffer: Option<PyBuffer<T>>,
    ptr: *mut T,
    len: usize,
}

// the memory is the Python object's, held by the buffer; the core reads it from its
// worker threads while the caller waits (the GIL released), and writes a column only
// from one thread at a time
unsafe impl<T: Element> Send for View<T> {}
unsafe impl<T: Element> Sync for View<T> {}

impl<T: Element> View<T> {
    fn new(obj: &Bound<'_, PyAny>, writable: bool) -> PyResult<Self> {
        // an empty array's memory may sit anywhere: nothing to read
        if obj.len().is_ok_and(|n| n == 0) {
            return Ok(View {
                _buffer: None,
                ptr: std::ptr::NonNull::dangling().as_ptr(),
                len: 0,
            });
        }
        let buffer = PyBuffer::<T>::get(obj)?;
        if writable && buffer.readonly() {
            return Err(PyValueError::new_err(
                "a read-only buffer where a writable one is needed",
            ));
        }
        let Some(slice) = buffer.as_slice_ptr() else {
            return Err(PyValueError::new_err("a buffer that is not contiguous"));
        };
        Ok(View {
            len: slice.len(),
            ptr: slice.as_ptr().cast::<T>(),
            _buffer: Some(buffer),
        })
    }

    pub fn as_mut_slice(&mut self) -> &mut [T] {
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
}

impl<T: Element> std::ops::Deref for View<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

/// A column of numbers (an ``array``, ``bytes``, ``bytearray``) read in place.
pub fn read_buffer<T: Element>(_py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<View<T>> {
    View::new(obj, false)
}

/// A ``bytearray`` (or any writable buffer) the core fills in place.
pub fn write_buffer<T: Element>(obj: &Bound<'_, PyAny>) -> PyResult<View<T>> {
    View::new(obj, true)
}

pub fn paths_of(obj: &Bound<'_, PyAny>) -> PyResult<Arc<Paths>> {
    if let Ok(paths) = obj.cast::<PyPaths>() {
        return Ok(paths.get().inner.clone());
    }
    Ok(PyPaths::new(obj)?.inner)
}

/// Run `work` on another thread with the GIL released; meanwhile, every 100 ms, stop on
/// Ctrl-C (setting `cancel`) and call `poll` (the progress callback).
fn detached<T: Send>(
    py: Python<'_>,
    counters: &walk::Counters,
    work: impl FnOnce() -> T + Send,
    mut poll: impl FnMut(Python<'_>) -> PyResult<()>,
) -> PyResult<T> {
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel();
        let rx = std::sync::Mutex::new(rx);
        scope.spawn(move || {
            let _ = tx.send(work());
        });
        let mut failure: Option<PyErr> = None;
        loop {
            let got = py.detach(|| rx.lock().unwrap().recv_timeout(Duration::from_millis(100)));
            match got {
                Ok(value) => {
                    return match failure {
                        Some(err) => Err(err),
                        None => Ok(value),
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(failure.unwrap_or_else(|| PyOSError::new_err("native worker died")))
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if failure.is_none() {
                let outcome = py.check_signals().and_then(|_| poll(py));
                if let Err(err) = outcome {
                    counters.cancel.store(true, Ordering::Relaxed);
                    failure = Some(err);
                }
            }
        }
    })
}

/// Walk folders; see ``menage.files.native.walk`` for the Python side.
#[pyfunction(name = "walk")]
#[pyo3(signature = (roots, *, follow_links, cross_devices, excludes, min_size, threads, own_folders, own_files, side_files, own_name, read_small=false, progress=None))]
#[allow(clippy::too_many_arguments)]
fn walk_tree<'py>(
    py: Python<'py>,
    roots: Vec<Vec<u8>>,
    follow_links: bool,
    cross_devices: bool,
    excludes: Vec<Vec<u8>>,
    min_size: i64,
    threads: usize,
    own_folders: Vec<(u64, u64)>,
    own_files: Vec<(u64, u64)>,
    side_files: Vec<(u64, u64, Vec<u8>)>,
    own_name: Vec<u8>,
    read_small: bool,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let exclude = glob::compile(&excludes).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let exclude_paths = excludes.iter().any(|p| {
        let mut end = p.len();
        while end > 0 && p[end - 1] == b'/' {
            end -= 1;
        }
        p[..end].contains(&b'/')
    });
    let cfg = walk::Config {
        roots,
        follow_links,
        cross_devices,
        exclude,
        exclude_paths,
        min_size,
        threads,
        own_folders: own_folders.into_iter().collect(),
        own_files: own_files.into_iter().collect(),
        side_files: side_files.into_iter().collect(),
        own_name,
        read_small,
    };
    let counters = walk::Counters::new();
    let result = detached(
        py,
        &counters,
        || walk::walk(&cfg, &counters),
        |py| match &progress {
            Some(callback) => {
                let dirs = counters.dirs.load(Ordering::Relaxed);
                let files = counters.files.load(Ordering::Relaxed);
                callback.call1((dirs, files)).map(|_| ())
            }
            None => {
                let _ = py;
                Ok(())
            }
        },
    )?;
    sys::release_memory();
    let tree = result.map_err(|(path, errno)| {
        PyOSError::new_err((
            errno,
            sys::strerror(errno),
            PyBytes::new(py, &path).unbind(),
        ))
    })?;
    tree_to_dict(py, tree)
}

/// A column as ``bytes``, freed here once copied (so that the walk's columns never
/// exist twice at once).
fn take_column<'py, T: Copy>(py: Python<'py>, values: &mut Vec<T>) -> Bound<'py, PyBytes> {
    let values = std::mem::take(values);
    column(py, &values)
}

fn tree_to_dict(py: Python<'_>, mut tree: walk::Tree) -> PyResult<Bound<'_, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("dirs", PyPaths { inner: tree.dirs })?;
    out.set_item("dir_parent", take_column(py, &mut tree.dir_parent))?;
    out.set_item("dir_entries", take_column(py, &mut tree.dir_entries))?;
    out.set_item("dir_unlisted", tree.dir_unlisted)?;
    out.set_item(
        "paths",
        PyPaths {
            inner: Arc::new(tree.paths),
        },
    )?;
    out.set_item("dir_of", take_column(py, &mut tree.dir_of))?;
    out.set_item("size", take_column(py, &mut tree.size))?;
    out.set_item("dev", take_column(py, &mut tree.dev))?;
    out.set_item("ino", take_column(py, &mut tree.ino))?;
    out.set_item("mtime_ns", take_column(py, &mut tree.mtime_ns))?;
    out.set_item("nlink", take_column(py, &mut tree.nlink))?;
    out.set_item("uid", take_column(py, &mut tree.uid))?;
    let list = |items: &[Vec<u8>]| PyList::new(py, items.iter().map(|p| PyBytes::new(py, p)));
    out.set_item("symlinks", list(&tree.symlinks)?)?;
    out.set_item("broken_links", list(&tree.broken_links)?)?;
    out.set_item("other_devices", list(&tree.other_devices)?)?;
    let specials = PyList::new(
        py,
        tree.specials.iter().map(|(p, k)| (PyBytes::new(py, p), *k)),
    )?;
    out.set_item("specials", specials)?;
    out.set_item("excluded", tree.excluded)?;
    let issues = PyList::new(
        py,
        tree.issues
            .iter()
            .map(|(p, k, d)| (PyBytes::new(py, p), *k, d.as_str())),
    )?;
    out.set_item("issues", issues)?;
    out.set_item("own", list(&tree.own)?)?;
    // the digests of the files read as they were listed: 20 bytes each, the file's
    // number (4, native order) then its digest
    let early = std::mem::take(&mut tree.walk_digests);
    let records = PyBytes::new_with(py, 20 * early.len(), |buf| {
        for (record, (i, digest)) in buf.chunks_exact_mut(20).zip(&early) {
            record[..4].copy_from_slice(&i.to_ne_bytes());
            record[4..].copy_from_slice(digest);
        }
        Ok(())
    })?;
    out.set_item("walk_digests", records)?;
    Ok(out)
}

/// A digest column's buffers, ``(data, known, members)`` as
/// ``menage.files.digests.DigestColumn.buffers`` gives them, checked against `n` files.
type ColumnViews = (View<u8>, View<u8>, Option<View<u32>>);

fn digest_column(column: &Bound<'_, PyTuple>, n: usize) -> PyResult<ColumnViews> {
    let data = write_buffer::<u8>(&column.get_item(0)?)?;
    let known = write_buffer::<u8>(&column.get_item(1)?)?;
    let members = column.get_item(2)?;
    let members = if members.is_none() {
        None
    } else {
        Some(read_buffer::<u32>(column.py(), &members)?)
    };
    let places = members.as_ref().map_or(n, |m| m.len());
    if data.len() != 16 * places || known.len() != places {
        return Err(PyValueError::new_err("digest column of the wrong length"));
    }
    if let Some(members) = &members {
        // looked up by binary search: sorted, each a file of the tree
        if members.windows(2).any(|w| w[0] >= w[1])
            || members.last().is_some_and(|&m| m as usize >= n)
        {
            return Err(PyValueError::new_err(
                "digest column members not sorted file numbers",
            ));
        }
    }
    Ok((data, known, members))
}

/// Give the memory freed since the last call back to the system (see
/// ``menage.files.native.release_memory``).
#[pyfunction]
fn release_memory(py: Python<'_>) {
    py.detach(sys::release_memory);
}

/// The numbers of the files larger than `limit` bytes, in order, as 4-byte integers
/// (see ``menage.files.digests.members_above``).
#[pyfunction]
fn members_above<'py>(
    py: Python<'py>,
    size: &Bound<'py, PyAny>,
    limit: i64,
) -> PyResult<Bound<'py, PyBytes>> {
    let size = read_buffer::<i64>(py, size)?;
    let members: Vec<u32> = (0..size.len() as u32)
        .filter(|&i| size[i as usize] > limit)
        .collect();
    Ok(column(py, &members))
}

/// Find duplicate groups among the tree's files; see ``menage.files.native``.
#[pyfunction]
#[pyo3(signature = (paths, size, dev, ino, mtime_ns, nlink, head, tail, full, *, threads, order, walk_digests=None, progress=None))]
#[allow(clippy::too_many_arguments)]
fn find_duplicates<'py>(
    py: Python<'py>,
    paths: &Bound<'py, PyAny>,
    size: &Bound<'py, PyAny>,
    dev: &Bound<'py, PyAny>,
    ino: &Bound<'py, PyAny>,
    mtime_ns: &Bound<'py, PyAny>,
    nlink: &Bound<'py, PyAny>,
    head: &Bound<'py, PyTuple>,
    tail: &Bound<'py, PyTuple>,
    full: &Bound<'py, PyTuple>,
    threads: usize,
    order: &str,
    walk_digests: Option<&[u8]>,
    progress: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let paths = paths_of(paths)?;
    let size = read_buffer::<i64>(py, size)?;
    let dev = read_buffer::<u64>(py, dev)?;
    let ino = read_buffer::<u64>(py, ino)?;
    let mtime_ns = read_buffer::<i64>(py, mtime_ns)?;
    let nlink = read_buffer::<u32>(py, nlink)?;
    let n = paths.len();
    if [
        size.len(),
        dev.len(),
        ino.len(),
        mtime_ns.len(),
        nlink.len(),
    ]
    .iter()
    .any(|&l| l != n)
    {
        return Err(PyValueError::new_err("columns of different lengths"));
    }
    // the digests are written in place, into the caller's columns
    let (mut head_data, mut head_known, head_members) = digest_column(head, n)?;
    let (mut tail_data, mut tail_known, tail_members) = digest_column(tail, n)?;
    let (mut full_data, mut full_known, full_members) = digest_column(full, n)?;
    let mut digests = dupes::Digests {
        head: dupes::Column {
            data: head_data.as_mut_slice(),
            known: head_known.as_mut_slice(),
            members: head_members.as_deref(),
        },
        tail: dupes::Column {
            data: tail_data.as_mut_slice(),
            known: tail_known.as_mut_slice(),
            members: tail_members.as_deref(),
        },
        full: dupes::Column {
            data: full_data.as_mut_slice(),
            known: full_known.as_mut_slice(),
            members: full_members.as_deref(),
        },
    };
    let order = match order {
        "inode" => dupes::Order::Inode,
        "parallel" => dupes::Order::Parallel,
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown read order {other:?}"
            )))
        }
    };
    let files = dupes::Files {
        paths: &paths,
        size: &size,
        dev: &dev,
        ino: &ino,
        mtime_ns: &mtime_ns,
        nlink: &nlink,
    };
    let counters = walk::Counters::new();
    let stage_progress = dupes::Progress::new();
    let pool = dupes::make_pool(threads);
    let mut pipeline = dupes::Pipeline::new(
        &files,
        &mut digests,
        order,
        &pool,
        &stage_progress,
        &counters,
    );
    if let Some(records) = walk_digests {
        if records.len() % 20 != 0 {
            return Err(PyValueError::new_err("walk digests of the wrong length"));
        }
        pipeline.take_walk_digests(records);
    }
    let mut failure: Option<PyErr> = None;
    loop {
        let mut last = (usize::MAX, usize::MAX);
        let poll = |_py: Python<'_>| -> PyResult<()> {
            let Some(callback) = &progress else {
                return Ok(());
            };
            let stage = stage_progress.stage.load(Ordering::Relaxed);
            let done = stage_progress.done.load(Ordering::Relaxed);
            let total = stage_progress.total.load(Ordering::Relaxed);
            if (stage, done) == last || total == 0 {
                return Ok(());
            }
            last = (stage, done);
            callback
                .call1((dupes::STAGES[stage].name(), done, total))
                .map(|_| ())
        };
        let stepped = detached(py, &counters, || pipeline.step(), poll);
        let kind = match stepped {
            Ok(Some(kind)) => kind,
            Ok(None) => break,
            Err(err) => {
                failure = Some(err);
                break;
            }
        };
        // each stage ends with its progress at 100 %, as the Python engine reports it
        let total = stage_progress.total.load(Ordering::Relaxed);
        let ran = stage_progress.stage.load(Ordering::Relaxed)
            == dupes::STAGES.iter().position(|&k| k == kind).unwrap();
        if let (Some(callback), true, true) = (&progress, total > 0, ran) {
            stage_progress.total.store(0, Ordering::Relaxed);
            if let Err(err) = callback.call1((kind.name(), total, total)) {
                counters.cancel.store(true, Ordering::Relaxed);
                failure = Some(err);
                break;
            }
        }
    }
    let outcome = pipeline.finish();
    drop(pool);
    sys::release_memory();
    if let Some(err) = failure {
        // interrupted: the digests computed so far are in the caller's columns
        return Err(err);
    }
    let out = PyDict::new(py);
    out.set_item(
        "groups",
        PyList::new(py, outcome.groups.iter().map(|g| g.clone()))?,
    )?;
    out.set_item("empty", outcome.empty)?;
    out.set_item(
        "issues",
        PyList::new(
            py,
            outcome.issues.iter().map(|(i, k, d)| (*i, *k, d.as_str())),
        )?,
    )?;
    out.set_item("links", outcome.links)?;
    out.set_item("computed", outcome.computed)?;
    out.set_item("files_read", outcome.files_read)?;
    out.set_item("bytes_read", outcome.bytes_read)?;
    Ok(out)
}

/// The files of each folder: their numbers ordered by folder (stable: by path within a
/// folder, 4-byte integers) and where each folder's start (8-byte integers, one more
/// start than folders), as two ``bytes``. Two arrays instead of a list of Python ints
/// per folder.
#[pyfunction]
fn files_by_dir<'py>(
    py: Python<'py>,
    dir_of: &Bound<'py, PyAny>,
    dirs: usize,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)> {
    let dir_of = read_buffer::<u32>(py, dir_of)?;
    if dir_of.iter().any(|&d| d as usize >= dirs) {
        return Err(PyValueError::new_err("a folder number out of range"));
    }
    let mut starts = vec![0i64; dirs + 1];
    for &d in dir_of.iter() {
        starts[d as usize + 1] += 1;
    }
    for d in 0..dirs {
        starts[d + 1] += starts[d];
    }
    let mut next = starts.clone();
    let mut order = vec![0u32; dir_of.len()];
    for (i, &d) in dir_of.iter().enumerate() {
        order[next[d as usize] as usize] = i as u32;
        next[d as usize] += 1;
    }
    Ok((column(py, &order), column(py, &starts)))
}

/// xxh3-128 of ``data``, as ``xxhash.xxh3_128_digest`` (for the tests).
#[pyfunction]
fn xxh3_128_digest<'py>(py: Python<'py>, data: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, &hash::digest(data))
}

/// Whether reads on a rotational disk first ask the page cache what it holds (the
/// default, where the system can tell); off, every read goes to one reader in inode order.
#[pyfunction]
fn probe_page_cache(enabled: bool) {
    hash::set_probing(enabled);
}

/// The regular expression a list of ``--exclude`` globs becomes (for the tests).
#[pyfunction]
fn exclude_regex(patterns: Vec<Vec<u8>>) -> PyResult<Option<String>> {
    let compiled = glob::compile(&patterns).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(compiled.map(|re| re.as_str().to_string()))
}

/// Whether ``name`` matches one of the ``--exclude`` globs (for the tests).
#[pyfunction]
fn exclude_matches(patterns: Vec<Vec<u8>>, name: &[u8]) -> PyResult<bool> {
    let compiled = glob::compile(&patterns).map_err(|e| PyValueError::new_err(e.to_string()))?;
    Ok(compiled.is_some_and(|re| re.is_match(name)))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPaths>()?;
    m.add_class::<PyPathsIter>()?;
    m.add_function(wrap_pyfunction!(walk_tree, m)?)?;
    m.add_function(wrap_pyfunction!(find_duplicates, m)?)?;
    m.add_function(wrap_pyfunction!(members_above, m)?)?;
    m.add_function(wrap_pyfunction!(release_memory, m)?)?;
    m.add_function(wrap_pyfunction!(xxh3_128_digest, m)?)?;
    m.add_function(wrap_pyfunction!(files_by_dir, m)?)?;
    m.add_function(wrap_pyfunction!(exclude_regex, m)?)?;
    m.add_function(wrap_pyfunction!(probe_page_cache, m)?)?;
    m.add_function(wrap_pyfunction!(exclude_matches, m)?)?;
    findings::register(m)?;
    m.add("BLOCK", hash::BLOCK)?;
    m.add("WHOLE_LIMIT", hash::WHOLE_LIMIT)?;
    m.add("TAIL_MIN", hash::TAIL_MIN)?;
    Ok(())
}
