//! Many paths in one buffer: the bytes end to end, and where each one ends.
//!
//! A million paths cost their bytes plus 8 bytes each, instead of a Python `bytes`
//! object each (33 bytes of header, a pointer in a list, and the allocator's rounding).

#[derive(Default, Clone)]
pub struct Paths {
    pub buf: Vec<u8>,
    pub ends: Vec<u64>,
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

    pub fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.buf[start..self.ends[i] as usize]
    }

    /// The last component of path `i`.
    pub fn name(&self, i: usize) -> &[u8] {
        let path = self.get(i);
        match path.iter().rposition(|&b| b == b'/') {
            Some(at) => &path[at + 1..],
            None => path,
        }
    }
}
