//! Scratch files: what a run writes once and reads back later, kept on disk rather than in
//! memory so that the run's memory does not grow with the corpus. They have no name (gone
//! when the run ends, even by a crash) and live beside the index, on its disk.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Byte strings appended to a scratch file and read back by position, or in order as frames.
pub struct ByteFile {
    file: BufWriter<File>,
    len: u64,
    sealed: bool,
}

impl ByteFile {
    pub fn new(dir: &Path) -> io::Result<ByteFile> {
        Ok(ByteFile {
            file: BufWriter::with_capacity(1 << 16, tempfile::tempfile_in(dir)?),
            len: 0,
            sealed: false,
        })
    }

    /// Appends `bytes`; returns where they start.
    pub fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        assert!(!self.sealed, "bytes are appended before they are read");
        let offset = self.len;
        self.file.write_all(bytes)?;
        self.len += bytes.len() as u64;
        Ok(offset)
    }

    /// Appends `bytes` with their length before them, to be read back in order by
    /// [`ByteFile::frames`] without an index in memory.
    pub fn append_frame(&mut self, bytes: &[u8]) -> io::Result<()> {
        let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
        self.append(&len.to_le_bytes())?;
        self.append(bytes)?;
        Ok(())
    }

    /// Ends appending: from now on the bytes are read.
    pub fn seal(&mut self) -> io::Result<()> {
        self.file.flush()?;
        self.sealed = true;
        Ok(())
    }

    /// The `len` bytes appended at `offset`.
    pub fn read(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut file = self.at(offset)?;
        let mut bytes = vec![0u8; len];
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    }

    /// A buffered reader of everything appended, from the start.
    pub fn reader(&self) -> io::Result<BufReader<&File>> {
        Ok(BufReader::with_capacity(1 << 16, self.at(0)?))
    }

    /// The frames appended, in order (a file of frames only).
    pub fn frames(&self) -> io::Result<Frames<'_>> {
        Ok(Frames {
            reader: self.reader()?,
            left: self.len,
        })
    }

    /// The file, positioned at `offset`.
    fn at(&self, offset: u64) -> io::Result<&File> {
        assert!(self.sealed, "bytes are read once appending has ended");
        let mut file = self.file.get_ref();
        file.seek(SeekFrom::Start(offset))?;
        Ok(file)
    }
}

/// Reads the frames of a [`ByteFile`] one after another.
pub struct Frames<'a> {
    reader: BufReader<&'a File>,
    left: u64,
}

impl Frames<'_> {
    /// The next frame into `out` (replacing what it held); false after the last.
    pub fn next_into(&mut self, out: &mut Vec<u8>) -> io::Result<bool> {
        if self.left == 0 {
            return Ok(false);
        }
        let mut len = [0u8; 4];
        self.reader.read_exact(&mut len)?;
        let len = u32::from_le_bytes(len);
        out.clear();
        out.resize(len as usize, 0);
        self.reader.read_exact(out)?;
        self.left = self
            .left
            .checked_sub(4 + u64::from(len))
            .ok_or_else(|| io::Error::other("a frame runs past the end of its scratch file"))?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_strings_come_back_by_position() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = ByteFile::new(dir.path()).unwrap();
        let a = file.append(b"erste").unwrap();
        let b = file.append(b"").unwrap();
        let c = file.append(b"dritte Zeile").unwrap();
        file.seal().unwrap();
        assert_eq!(file.read(c, 12).unwrap(), b"dritte Zeile");
        assert_eq!(file.read(a, 5).unwrap(), b"erste");
        assert_eq!(file.read(b, 0).unwrap(), b"");
    }

    #[test]
    fn frames_come_back_in_order_and_end() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = ByteFile::new(dir.path()).unwrap();
        let long = vec![0xC3u8; 100_000];
        for frame in [&b"eins"[..], b"", &long, b"\0\n"] {
            file.append_frame(frame).unwrap();
        }
        file.seal().unwrap();
        let mut frames = file.frames().unwrap();
        let mut out = vec![7u8; 3];
        let mut seen = Vec::new();
        while frames.next_into(&mut out).unwrap() {
            seen.push(out.clone());
        }
        assert_eq!(
            seen,
            vec![b"eins".to_vec(), Vec::new(), long, b"\0\n".to_vec()]
        );
        // Read again from the start: a second reader sees the same frames.
        let mut again = file.frames().unwrap();
        assert!(again.next_into(&mut out).unwrap());
        assert_eq!(out, b"eins");
    }

    #[test]
    fn an_empty_file_has_no_frames() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = ByteFile::new(dir.path()).unwrap();
        file.seal().unwrap();
        assert!(!file.frames().unwrap().next_into(&mut Vec::new()).unwrap());
    }
}
