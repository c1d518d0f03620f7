//! Many paths in one buffer: the bytes end to end, and where each one ends.
//!
//! A million paths cost their bytes plus 8 bytes each, instead of a Python `bytes`
//! object each (33 bytes of header, a pointer in a list, and the allocator's rounding).
//! The walk's files go further: each is kept as its name and its folder's number, the
//! folders' paths held once (`prefix`), and a path is joined when asked for: about 32
//! bytes a file instead of the 140 of a whole path (on the bench's corpus).

use std::borrow::Cow;
use std::sync::Arc;

#[derive(Default, Clone)]
pub struct Paths {
    /// the items' bytes end to end: whole paths, or names under `prefix`
    pub buf: Vec<u8>,
    pub ends: Vec<u64>,
    /// when set, item `i` is the name of a file in folder `folders[i]` of `dirs`
    pub prefix: Option<Prefix>,
}

#[derive(Clone)]
pub struct Prefix {
    pub dirs: Arc<Paths>,
    pub folders: Vec<u32>,
}

/// The separator a path takes between a folder and a name.
pub fn separator(dir: &[u8]) -> &'static [u8] {
    if dir.ends_with(b"/") {
        b""
    } else {
        b"/"
    }
}

impl Paths {
    pub fn from_iter<'a>(items: impl Iterator<Item = &'a [u8]>) -> Paths {
        let mut paths = Paths::default();
        for item in items {
            paths.push(item);
        }
        paths.buf.shrink_to_fit();
        paths
    }

    pub fn push(&mut self, path: &[u8]) {
        self.buf.extend_from_slice(path);
        self.ends.push(self.buf.len() as u64);
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Item `i` as stored (the whole path, or its name under a prefix).
    fn item(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[start..self.ends[i] as usize]
    }

    /// Path `i`.
    pub fn get(&self, i: usize) -> Cow<'_, [u8]> {
        match &self.prefix {
            None => Cow::Borrowed(self.item(i)),
            Some(prefix) => {
                let dir = prefix.dirs.item(prefix.folders[i] as usize);
                let name = self.item(i);
                let sep = separator(dir);
                let mut path = Vec::with_capacity(dir.len() + sep.len() + name.len());
                path.extend_from_slice(dir);
                path.extend_from_slice(sep);
                path.extend_from_slice(name);
                Cow::Owned(path)
            }
        }
    }

    /// Ask the CPU to bring path `i`'s offsets (and its folder's number) into the cache:
    /// a list in size order reads the paths at random, a cache miss each.
    pub fn prefetch_offsets(&self, i: usize) {
        prefetch(&self.ends, i.saturating_sub(1));
        prefetch(&self.ends, i);
        if let Some(prefix) = &self.prefix {
            prefetch(&prefix.folders, i);
        }
    }

    /// Ask the CPU to bring path `i`'s bytes (its name, and its folder's offsets) into the
    /// cache, once its offsets are there (`prefetch_offsets`, some items earlier).
    pub fn prefetch_bytes(&self, i: usize) {
        if let Some(&start) = i.checked_sub(1).map_or(Some(&0), |j| self.ends.get(j)) {
            prefetch(&self.buf, start as usize);
        }
        if let Some(prefix) = &self.prefix {
            if let Some(&folder) = prefix.folders.get(i) {
                prefix.dirs.prefetch_offsets(folder as usize);
            }
        }
    }

    /// Path `i` in three parts end to end (its folder, a separator, its name), without
    /// joining them; a whole path is its first part.
    pub fn parts(&self, i: usize) -> [&[u8]; 3] {
        match &self.prefix {
            None => [self.item(i), b"", b""],
            Some(prefix) => {
                let dir = prefix.dirs.item(prefix.folders[i] as usize);
                [dir, separator(dir), self.item(i)]
            }
        }
    }

    /// Append path `i` to `out`.
    pub fn extend_into(&self, i: usize, out: &mut Vec<u8>) {
        match &self.prefix {
            None => out.extend_from_slice(self.item(i)),
            Some(prefix) => {
                let dir = prefix.dirs.item(prefix.folders[i] as usize);
                out.extend_from_slice(dir);
                out.extend_from_slice(separator(dir));
                out.extend_from_slice(self.item(i));
            }
        }
    }

    /// The last component of path `i`.
    pub fn name(&self, i: usize) -> &[u8] {
        let item = self.item(i);
        if self.prefix.is_some() {
            return item;
        }
        match item.iter().rposition(|&b| b == b'/') {
            Some(at) => &item[at + 1..],
            None => item,
        }
    }

    /// Bytes used (the items, their ends, the folders' numbers; not the folders' paths,
    /// which are the tree's `dirs`).
    pub fn nbytes(&self) -> usize {
        self.buf.len()
            + 8 * self.ends.len()
            + self.prefix.as_ref().map_or(0, |p| 4 * p.folders.len())
    }
}

/// Ask the CPU to bring `items[i]` into its cache (nothing when `i` is out of range or
/// on another architecture): a hint, never a read.
pub fn prefetch<T>(items: &[T], i: usize) {
    #[cfg(target_arch = "x86_64")]
    if i < items.len() {
        // SAFETY: a prefetch never faults, and the address is within `items`
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(items.as_ptr().add(i) as *const i8);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = (items, i);
}
