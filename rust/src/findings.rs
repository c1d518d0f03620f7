//! Per-file findings and totals over the tree's columns, and the JSON text of long
//! lists of files: the loops that `menage.files.columns` and `menage.report.json` run
//! in Python when the core is not built (the reference the tests compare with).

use pyo3::buffer::PyBuffer;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use regex::bytes::RegexSet;

use crate::paths::{prefetch, Paths};
use crate::{paths_of, read_buffer};

/// A temporary-file name glob (`menage.files.lint`): `*` and `?` stay within a name.
fn name_glob(pattern: &[u8]) -> String {
    let mut out = String::from("(?is-u)^");
    for &b in pattern {
        match b {
            b'*' => out.push_str("[^/]*"),
            b'?' => out.push_str("[^/]"),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out.push('$');
    out
}

/// Temporary, old and big files (see ``menage.files.columns.single_file_findings``).
#[pyfunction]
#[pyo3(signature = (paths, dir_of, size, mtime_ns, extra, dir_rule, name_patterns, cutoff_ns, top))]
#[allow(clippy::too_many_arguments)]
fn single_file_findings<'py>(
    py: Python<'py>,
    paths: &Bound<'py, PyAny>,
    dir_of: &Bound<'py, PyAny>,
    size: &Bound<'py, PyAny>,
    mtime_ns: &Bound<'py, PyAny>,
    extra: &Bound<'py, PyAny>,
    dir_rule: Vec<i64>,
    name_patterns: Vec<Vec<u8>>,
    cutoff_ns: i64,
    top: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let paths = paths_of(paths)?;
    let dir_of = read_buffer::<u32>(py, dir_of)?;
    let size = read_buffer::<i64>(py, size)?;
    let mtime_ns = read_buffer::<i64>(py, mtime_ns)?;
    let extra = read_buffer::<u8>(py, extra)?;
    let rules = RegexSet::new(name_patterns.iter().map(|p| name_glob(p)))
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    let n_rules = name_patterns.len() as i64;
    let (temp, old, big, old_bytes) = py.detach(|| {
        let mut temp: Vec<(usize, i64)> = Vec::new();
        // file numbers as 4-byte integers: most files of an old tree are old
        let mut old: Vec<u32> = Vec::new();
        // summed as they come, in file order (in size order the sizes are read at random);
        // i128: a sum of i64 sizes that cannot overflow
        let mut old_bytes: i128 = 0;
        for i in 0..paths.len() {
            if extra[i] != 0 {
                continue;
            }
            let by_name = match n_rules {
                0 => None,
                _ => rules.matches(paths.name(i)).iter().next(),
            };
            let rule = match by_name {
                Some(r) => r as i64,
                None => {
                    let r = dir_rule[dir_of[i] as usize];
                    if r >= 0 {
                        n_rules + r
                    } else {
                        -1
                    }
                }
            };
            if rule >= 0 {
                temp.push((i, rule));
            }
            if mtime_ns[i] < cutoff_ns {
                old.push(i as u32);
                old_bytes += size[i] as i128;
            }
        }
        // by size, biggest first; files come by path, which breaks ties
        old.sort_by(|&a, &b| size[b as usize].cmp(&size[a as usize]).then(a.cmp(&b)));
        let mut big: Vec<u32> = (0..paths.len() as u32)
            .filter(|&i| size[i as usize] > 0 && extra[i as usize] == 0)
            .collect();
        let by_size = |a: &u32, b: &u32| size[*b as usize].cmp(&size[*a as usize]).then(a.cmp(b));
        if big.len() > top {
            if top > 0 {
                big.select_nth_unstable_by(top - 1, by_size);
            }
            big.truncate(top);
        }
        big.sort_by(by_size);
        (temp, old, big, old_bytes)
    });
    let out = PyDict::new(py);
    out.set_item("temp", temp)?;
    out.set_item("old", PyBytes::new(py, crate::as_bytes(&old)))?;
    out.set_item("big", big)?;
    out.set_item("old_bytes", old_bytes)?;
    Ok(out)
}

/// Files and bytes by category, folder and owner (see ``menage.files.columns.totals``).
#[pyfunction]
#[pyo3(signature = (paths, dir_of, size, uid, extra, in_group, depth_of, extensions, categories))]
#[allow(clippy::too_many_arguments)]
fn totals<'py>(
    py: Python<'py>,
    paths: &Bound<'py, PyAny>,
    dir_of: &Bound<'py, PyAny>,
    size: &Bound<'py, PyAny>,
    uid: &Bound<'py, PyAny>,
    extra: &Bound<'py, PyAny>,
    in_group: &Bound<'py, PyAny>,
    depth_of: Vec<i64>,
    extensions: Vec<(Vec<u8>, usize)>,
    categories: usize,
) -> PyResult<Bound<'py, PyDict>> {
    use std::collections::{BTreeMap, HashMap};
    let paths = paths_of(paths)?;
    let dir_of = read_buffer::<u32>(py, dir_of)?;
    let size = read_buffer::<i64>(py, size)?;
    let uid = read_buffer::<u32>(py, uid)?;
    let extra = read_buffer::<u8>(py, extra)?;
    let in_group = read_buffer::<u8>(py, in_group)?;
    let by_ext: HashMap<Vec<u8>, usize> = extensions.into_iter().collect();
    let other = categories - 1;
    let (cats, folders, owners) = py.detach(|| {
        let mut cats = vec![(0i64, 0i64); categories];
        let mut folders: BTreeMap<i64, (i64, i64, i64)> = BTreeMap::new();
        let mut owners: BTreeMap<i64, (i64, i64, i64)> = BTreeMap::new();
        let mut lower = Vec::new();
        for i in 0..paths.len() {
            if extra[i] != 0 {
                continue;
            }
            let name = paths.name(i);
            let category = match name.iter().rposition(|&b| b == b'.') {
                Some(dot) if dot > 0 => {
                    lower.clear();
                    lower.extend(name[dot + 1..].iter().map(|b| b.to_ascii_lowercase()));
                    by_ext.get(&lower).copied().unwrap_or(other)
                }
                _ => other,
            };
            let s = size[i];
            cats[category].0 += 1;
            cats[category].1 += s;
            let dup = if in_group[i] != 0 { s } else { 0 };
            for bucket in [
                folders.entry(depth_of[dir_of[i] as usize]).or_default(),
                owners.entry(uid[i] as i64).or_default(),
            ] {
                bucket.0 += 1;
                bucket.1 += s;
                bucket.2 += dup;
            }
        }
        (cats, folders, owners)
    });
    let out = PyDict::new(py);
    out.set_item("categories", cats)?;
    let rows = |m: BTreeMap<i64, (i64, i64, i64)>| -> Vec<(i64, i64, i64, i64)> {
        m.into_iter().map(|(k, (a, b, c))| (k, a, b, c)).collect()
    };
    out.set_item("by_folder", rows(folders))?;
    out.set_item("by_owner", rows(owners))?;
    Ok(out)
}

/// A path as a JSON string literal, as Python's ``json`` writes the PEP 383 text
/// (``bytes.decode("utf-8", "surrogateescape")``): ASCII only, `\uXXXX` escapes.
pub fn push_json_path(out: &mut String, bytes: &[u8]) {
    out.push('"');
    push_escaped(out, bytes);
    out.push('"');
}

/// Path `i` of `paths` as [`push_json_path`] writes it, from its parts as stored (a
/// folder, a separator, a name): escaping them one by one gives the same text, since
/// a UTF-8 sequence never spans a `/`.
pub fn push_json_path_of(out: &mut String, paths: &Paths, i: usize) {
    out.push('"');
    for part in paths.parts(i) {
        push_escaped(out, part);
    }
    out.push('"');
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn push_hex(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
}

/// How many items ahead the encoders ask for a file's columns (its path's bytes: half as
/// many).
const PREFETCH_AHEAD: usize = 8;

/// An integer as JSON text, by `itoa` rather than `write!` (with the paths written from
/// their parts, the old files' list of 200,000 files took 0.12 s to encode, not 0.16).
fn push_int(out: &mut String, value: impl itoa::Integer) {
    out.push_str(itoa::Buffer::new().format(value));
}

/// The bytes JSON text takes as they are: printable ASCII but `"` and `\`.
const PLAIN: [bool; 256] = {
    let mut plain = [false; 256];
    let mut b = b' ';
    while b <= b'~' {
        plain[b as usize] = b != b'"' && b != b'\\';
        b += 1;
    }
    plain
};

fn push_escaped(out: &mut String, bytes: &[u8]) {
    // most names have nothing to escape: copied as they are, up to the first that has
    let clean = bytes
        .iter()
        .position(|&b| !PLAIN[b as usize])
        .unwrap_or(bytes.len());
    // SAFETY: printable ASCII is valid UTF-8
    out.push_str(unsafe { std::str::from_utf8_unchecked(&bytes[..clean]) });
    let mut rest = &bytes[clean..];
    while !rest.is_empty() {
        let (valid, bad) = match std::str::from_utf8(rest) {
            Ok(text) => (text, 0),
            Err(e) => {
                let text = unsafe { std::str::from_utf8_unchecked(&rest[..e.valid_up_to()]) };
                (text, e.error_len().unwrap_or(rest.len() - e.valid_up_to()))
            }
        };
        for c in valid.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                ' '..='~' => out.push(c),
                _ => {
                    let mut units = [0u16; 2];
                    for unit in c.encode_utf16(&mut units) {
                        out.push_str("\\u");
                        push_hex(out, &unit.to_be_bytes());
                    }
                }
            }
        }
        let start = valid.len();
        for &b in &rest[start..start + bad] {
            out.push_str("\\udc");
            push_hex(out, &[b]);
        }
        rest = &rest[start + bad..];
    }
}

/// A contiguous buffer's items, read in place. Sound here: the caller holds the GIL for
/// the whole call, and the report's columns are never written while it runs.
fn view<T: pyo3::buffer::Element>(buffer: &PyBuffer<T>) -> PyResult<&[T]> {
    if !buffer.is_c_contiguous() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "a column is not contiguous",
        ));
    }
    Ok(unsafe { std::slice::from_raw_parts(buffer.buf_ptr() as *const T, buffer.item_count()) })
}

/// The JSON text of files ``indices[start:end]`` (``{"path", "size", "mtime_ns",
/// "device", "inode"}``), items joined by ``separator`` (see ``menage.report.json``).
/// The columns are read in place (no copy): the report asks for a few thousand at a time.
/// With ``suffixes`` (texts, and for each index the number of its text), item ``n``
/// ends with ``texts[which[n]]`` before its closing brace (the temporary files' rule).
#[pyfunction]
#[pyo3(signature = (paths, size, mtime_ns, dev, ino, indices, start, end, separator, suffixes=None))]
#[allow(clippy::too_many_arguments)]
fn json_file_items(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    size: &Bound<'_, PyAny>,
    mtime_ns: &Bound<'_, PyAny>,
    dev: &Bound<'_, PyAny>,
    ino: &Bound<'_, PyAny>,
    indices: &Bound<'_, PyAny>,
    start: usize,
    end: usize,
    separator: &str,
    suffixes: Option<(Vec<String>, Bound<'_, PyAny>)>,
) -> PyResult<String> {
    let paths = paths_of(paths)?;
    if indices.len()? == 0 {
        return Ok(String::new());
    }
    let which_buffer = match &suffixes {
        Some((_, which)) if which.len()? != indices.len()? => {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "one suffix per index",
            ));
        }
        Some((_, which)) => Some(PyBuffer::<i64>::get(which)?),
        None => None,
    };
    let which = match &which_buffer {
        Some(buffer) => Some(view(buffer)?),
        None => None,
    };
    let (size, mtime_ns) = (PyBuffer::<i64>::get(size)?, PyBuffer::<i64>::get(mtime_ns)?);
    let (dev, ino) = (PyBuffer::<u64>::get(dev)?, PyBuffer::<u64>::get(ino)?);
    let (size, mtime_ns) = (view(&size)?, view(&mtime_ns)?);
    let (dev, ino) = (view(&dev)?, view(&ino)?);
    // 8-byte file numbers, or 4-byte ones (the old files' list): this chunk's, as usize
    let end = end.min(indices.len()?);
    let start = start.min(end);
    let chunk: Vec<usize> = match PyBuffer::<u32>::get(indices) {
        Ok(narrow) => view(&narrow)?[start..end]
            .iter()
            .map(|&i| i as usize)
            .collect(),
        Err(_) => {
            let wide = PyBuffer::<i64>::get(indices)?;
            view(&wide)?[start..end]
                .iter()
                .map(|&i| i as usize)
                .collect()
        }
    };
    if chunk.iter().any(|&i| i >= paths.len()) {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "a file number out of range",
        ));
    }
    let texts = suffixes.as_ref().map(|(texts, _)| texts);
    // without the GIL: the scan's listing is written to the index meanwhile
    // (menage.files.index.Index.record_scan); the buffers stay held until the end
    let encoded = py.detach(|| {
        let mut out = String::with_capacity(end.saturating_sub(start) * 160);
        for (n, &i) in (start..end).zip(&chunk) {
            // the files come in size order, their columns read at random: ask for the
            // columns of a file some items ahead, and for its path's bytes once its
            // offsets have come (a million files in size order: 600 ns an item without,
            // 200 with; 130 in file order)
            if let Some(&ahead) = chunk.get(n - start + PREFETCH_AHEAD) {
                paths.prefetch_offsets(ahead);
                for column in [size, mtime_ns] {
                    prefetch(column, ahead);
                }
                for column in [dev, ino] {
                    prefetch(column, ahead);
                }
            }
            if let Some(&ahead) = chunk.get(n - start + PREFETCH_AHEAD / 2) {
                paths.prefetch_bytes(ahead);
            }
            if n > start {
                out.push_str(separator);
            }
            out.push_str("{\"path\":");
            push_json_path_of(&mut out, &paths, i);
            out.push_str(",\"size\":");
            push_int(&mut out, size[i]);
            out.push_str(",\"mtime_ns\":");
            push_int(&mut out, mtime_ns[i]);
            out.push_str(",\"device\":");
            push_int(&mut out, dev[i]);
            out.push_str(",\"inode\":");
            push_int(&mut out, ino[i]);
            if let (Some(texts), Some(which)) = (texts, which) {
                match texts.get(which[n] as usize) {
                    Some(text) => out.push_str(text),
                    None => return None,
                }
            }
            out.push('}');
        }
        Some(out)
    });
    encoded
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("a suffix number is out of range"))
}

/// The JSON text of the duplicate groups' items (see ``menage.report.json``).
#[pyfunction]
#[pyo3(signature = (paths, dev, ino, mtime_ns, uid, groups, separator))]
#[allow(clippy::too_many_arguments)]
fn json_group_items(
    py: Python<'_>,
    paths: &Bound<'_, PyAny>,
    dev: &Bound<'_, PyAny>,
    ino: &Bound<'_, PyAny>,
    mtime_ns: &Bound<'_, PyAny>,
    uid: &Bound<'_, PyAny>,
    groups: Vec<(i64, Vec<u8>, i64, Vec<usize>, Vec<Vec<usize>>)>,
    separator: &str,
) -> PyResult<String> {
    let paths: std::sync::Arc<Paths> = paths_of(paths)?;
    let dev = read_buffer::<u64>(py, dev)?;
    let ino = read_buffer::<u64>(py, ino)?;
    let mtime_ns = read_buffer::<i64>(py, mtime_ns)?;
    let uid = read_buffer::<u32>(py, uid)?;
    // the groups come in size order, their files' columns read at random: ask for those
    // of a file some files ahead (see json_file_items), across groups
    let ahead: Vec<usize> = groups
        .iter()
        .flat_map(|group| group.3.iter().copied())
        .collect();
    let ask = |k: usize| {
        if let Some(&i) = ahead.get(k + PREFETCH_AHEAD) {
            paths.prefetch_offsets(i);
            prefetch(&dev, i);
            prefetch(&ino, i);
            prefetch(&mtime_ns, i);
            prefetch(&uid, i);
        }
        if let Some(&i) = ahead.get(k + PREFETCH_AHEAD / 2) {
            paths.prefetch_bytes(i);
        }
    };
    Ok(py.detach(|| {
        let mut out = String::new();
        let mut k = 0;
        for (n, (size, digest, redundant, files, links)) in groups.iter().enumerate() {
            if n > 0 {
                out.push_str(separator);
            }
            out.push_str("{\"size\":");
            push_int(&mut out, *size);
            out.push_str(",\"hash\":\"");
            push_hex(&mut out, digest);
            out.push_str("\",\"redundant_bytes\":");
            push_int(&mut out, *redundant);
            out.push_str(",\"paths\":[");
            for (m, &i) in files.iter().enumerate() {
                ask(k + m);
                if m > 0 {
                    out.push(',');
                }
                push_json_path_of(&mut out, &paths, i);
            }
            k += files.len();
            out.push_str("],\"files\":[");
            // no list of links: none of the files has another name
            for (m, &i) in files.iter().enumerate() {
                let linked: &[usize] = links.get(m).map_or(&[], Vec::as_slice);
                if m > 0 {
                    out.push(',');
                }
                out.push_str("{\"path\":");
                push_json_path_of(&mut out, &paths, i);
                out.push_str(",\"device\":");
                push_int(&mut out, dev[i]);
                out.push_str(",\"inode\":");
                push_int(&mut out, ino[i]);
                out.push_str(",\"mtime_ns\":");
                push_int(&mut out, mtime_ns[i]);
                out.push_str(",\"uid\":");
                push_int(&mut out, uid[i]);
                out.push_str(",\"links\":[");
                for (k, &j) in linked.iter().enumerate() {
                    if k > 0 {
                        out.push(',');
                    }
                    push_json_path_of(&mut out, &paths, j);
                }
                out.push_str("]}");
            }
            out.push_str("]}");
        }
        out
    }))
}

/// What a folder's signature is made of: one part per file or subfolder, by name.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Part {
    Empty,
    Content(i64),
    Folder(i64),
}

/// The duplicate-folder signatures (see ``menage.files.folders.duplicate_folders``):
/// for each folder, a number shared exactly by the folders holding the same names with
/// the same contents all the way down (-1: none, a file of unique content, a listing
/// that failed, or no file at all), and its files and bytes. Equal part lists are
/// interned, so two folders share a number only when their parts are equal.
#[pyfunction]
#[pyo3(signature = (paths, dir_of, size, content, dirs, dir_parent, unlisted))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn folder_signatures<'py>(
    py: Python<'py>,
    paths: &Bound<'py, PyAny>,
    dir_of: &Bound<'py, PyAny>,
    size: &Bound<'py, PyAny>,
    content: &Bound<'py, PyAny>,
    dirs: &Bound<'py, PyAny>,
    dir_parent: &Bound<'py, PyAny>,
    unlisted: Vec<usize>,
) -> PyResult<(Vec<i64>, Vec<i64>, Vec<i64>)> {
    use std::collections::HashMap;
    let paths = paths_of(paths)?;
    let dirs = paths_of(dirs)?;
    let dir_of = read_buffer::<u32>(py, dir_of)?;
    let size = read_buffer::<i64>(py, size)?;
    let content = read_buffer::<i32>(py, content)?;
    let dir_parent = read_buffer::<i64>(py, dir_parent)?;
    let n_dirs = dirs.len();
    if dir_parent.len() != n_dirs || dir_of.len() != paths.len() || content.len() != paths.len() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "columns of different lengths",
        ));
    }
    Ok(py.detach(|| {
        // files and subfolders of each folder, in order (offsets into one list each)
        let (file_start, files) = csr(&dir_of, n_dirs);
        let (child_start, children) = csr(&dir_parent, n_dirs);
        let mut is_unlisted = vec![false; n_dirs];
        for d in unlisted {
            if d < n_dirs {
                is_unlisted[d] = true;
            }
        }
        // children before their parents: folders come by path, so after their parent
        let mut signature = vec![-1i64; n_dirs];
        let mut n_files = vec![0i64; n_dirs];
        let mut n_bytes = vec![0i64; n_dirs];
        let mut interned: HashMap<Vec<(&[u8], Part)>, i64> = HashMap::new();
        'folders: for d in (0..n_dirs).rev() {
            if is_unlisted[d] {
                continue;
            }
            let mut parts: Vec<(&[u8], Part)> = Vec::new();
            let (mut count, mut bytes) = (0i64, 0i64);
            for &i in &files[file_start[d]..file_start[d + 1]] {
                let key = if size[i] == 0 {
                    Part::Empty
                } else if content[i] >= 0 {
                    Part::Content(content[i] as i64)
                } else {
                    continue 'folders; // a file of unique content
                };
                parts.push((paths.name(i), key));
                count += 1;
                bytes += size[i];
            }
            for &c in &children[child_start[d]..child_start[d + 1]] {
                if signature[c] < 0 {
                    continue 'folders;
                }
                parts.push((dirs.name(c), Part::Folder(signature[c])));
                count += n_files[c];
                bytes += n_bytes[c];
            }
            if count == 0 {
                continue;
            }
            parts.sort_unstable();
            let next = interned.len() as i64;
            signature[d] = *interned.entry(parts).or_insert(next);
            n_files[d] = count;
            n_bytes[d] = bytes;
        }
        (signature, n_files, n_bytes)
    }))
}

/// A path as JSON text (for the tests).
#[pyfunction]
fn json_path(path: &[u8]) -> String {
    let mut out = String::new();
    push_json_path(&mut out, path);
    out
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(single_file_findings, m)?)?;
    m.add_function(wrap_pyfunction!(totals, m)?)?;
    m.add_function(wrap_pyfunction!(json_file_items, m)?)?;
    m.add_function(wrap_pyfunction!(json_group_items, m)?)?;
    m.add_function(wrap_pyfunction!(json_path, m)?)?;
    m.add_function(wrap_pyfunction!(folder_signatures, m)?)?;
    let _ = PyList::empty(m.py());
    Ok(())
}

/// The items of each owner, in order: where each owner's items start (one more start
/// than owners) and the items (offsets into one list; a negative owner is none).
fn csr<T: Copy + Into<i64>>(owner: &[T], n: usize) -> (Vec<usize>, Vec<usize>) {
    let mut start = vec![0usize; n + 1];
    for &o in owner {
        let o: i64 = o.into();
        if o >= 0 {
            start[o as usize + 1] += 1;
        }
    }
    for d in 0..n {
        start[d + 1] += start[d];
    }
    let mut fill = start.clone();
    let mut items = vec![0usize; start[n]];
    for (i, &o) in owner.iter().enumerate() {
        let o: i64 = o.into();
        if o >= 0 {
            items[fill[o as usize]] = i;
            fill[o as usize] += 1;
        }
    }
    (start, items)
}
