//! Cleaning's per-block state on disk. A hundred times the bench corpus has ten million
//! blocks: their sketches, and the tables that compare them across documents, would take
//! gigabytes of memory. They live in unnamed scratch files instead (gone when the run ends,
//! even by a crash), and the comparisons sort one slice of them at a time.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::BlockSketch;
use crate::scratch::ByteFile;

/// Bytes of one block on disk: its index, words (with the labelled flag), fp and sim.
const BLOCK_BYTES: usize = 24;
/// The top bit of a stored word count: the block is labelled.
const LABELLED: u32 = 1 << 31;

/// The block sketches of many documents, appended one document after another.
pub struct BlockFile {
    bytes: ByteFile,
}

impl BlockFile {
    pub fn new(dir: &Path) -> io::Result<BlockFile> {
        Ok(BlockFile {
            bytes: ByteFile::new(dir)?,
        })
    }

    /// Appends `blocks`; returns where they start.
    pub fn append(&mut self, blocks: &[BlockSketch]) -> io::Result<u64> {
        let encoded: Vec<u8> = blocks.iter().flat_map(encode).collect();
        self.bytes.append(&encoded)
    }

    /// Ends appending: from now on the blocks are read.
    pub fn seal(&mut self) -> io::Result<()> {
        self.bytes.seal()
    }

    /// The `count` blocks appended at `offset`.
    pub fn read(&self, offset: u64, count: u32) -> io::Result<Vec<BlockSketch>> {
        let bytes = self.bytes.read(offset, count as usize * BLOCK_BYTES)?;
        Ok(bytes.chunks_exact(BLOCK_BYTES).map(decode).collect())
    }

    /// A reader of all blocks from the start, in the order they were appended.
    pub fn scan(&self) -> io::Result<BlockScan<'_>> {
        Ok(BlockScan {
            reader: self.bytes.reader()?,
        })
    }
}

pub struct BlockScan<'a> {
    reader: BufReader<&'a File>,
}

impl BlockScan<'_> {
    /// The next `count` blocks, into `out` (emptied first).
    pub fn next_into(&mut self, count: u32, out: &mut Vec<BlockSketch>) -> io::Result<()> {
        out.clear();
        let mut bytes = [0u8; BLOCK_BYTES];
        for _ in 0..count {
            self.reader.read_exact(&mut bytes)?;
            out.push(decode(&bytes));
        }
        Ok(())
    }
}

fn encode(block: &BlockSketch) -> [u8; BLOCK_BYTES] {
    let mut out = [0u8; BLOCK_BYTES];
    let words = block.words.min(LABELLED - 1) | if block.labelled { LABELLED } else { 0 };
    out[0..4].copy_from_slice(&block.index.to_le_bytes());
    out[4..8].copy_from_slice(&words.to_le_bytes());
    out[8..16].copy_from_slice(&block.fp.to_le_bytes());
    out[16..24].copy_from_slice(&block.sim.to_le_bytes());
    out
}

fn decode(bytes: &[u8]) -> BlockSketch {
    let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let words = u32_at(4);
    BlockSketch {
        index: u32_at(0),
        words: words & !LABELLED,
        labelled: words & LABELLED != 0,
        fp: u64_at(8),
        sim: u64_at(16),
    }
}

/// A record to compare across documents: a fingerprint first, then two numbers whose
/// meaning is the caller's. Records sort by all three.
pub type Record = (u64, u32, u32);

const RECORD_BYTES: usize = 16;
/// Records sorted in memory at once: the memory cleaning needs, whatever the corpus size.
/// Unit tests use tiny partitions, so that every cleaning test crosses partitions.
const PARTITION_BYTES: u64 = if cfg!(test) { 1 << 10 } else { 16 << 20 };
/// More files than this and a partition may outgrow its share; the bound keeps the number
/// of open scratch files reasonable (a thousand times the bench corpus stays under it).
const MAX_PARTITIONS: u64 = 512;

/// Records spread over scratch files by their fingerprint, so that all records of one
/// fingerprint are in one file, and each file can be sorted on its own.
pub struct Partitions {
    files: Vec<BufWriter<File>>,
}

impl Partitions {
    /// Partitions for about `expected` records, in scratch files in `dir`.
    pub fn new(dir: &Path, expected: u64) -> io::Result<Partitions> {
        let count = (expected * RECORD_BYTES as u64)
            .div_ceil(PARTITION_BYTES)
            .clamp(1, MAX_PARTITIONS);
        let files = (0..count)
            .map(|_| {
                Ok(BufWriter::with_capacity(
                    1 << 14,
                    tempfile::tempfile_in(dir)?,
                ))
            })
            .collect::<io::Result<_>>()?;
        Ok(Partitions { files })
    }

    pub fn push(&mut self, record: Record) -> io::Result<()> {
        // Fingerprints are hashes: their top bits spread records evenly.
        let part = ((record.0 >> 40) % self.files.len() as u64) as usize;
        let mut bytes = [0u8; RECORD_BYTES];
        bytes[0..8].copy_from_slice(&record.0.to_le_bytes());
        bytes[8..12].copy_from_slice(&record.1.to_le_bytes());
        bytes[12..16].copy_from_slice(&record.2.to_le_bytes());
        self.files[part].write_all(&bytes)
    }

    /// Calls `each` with the records of every partition in turn, sorted.
    pub fn for_each_sorted(
        self,
        mut each: impl FnMut(&[Record]) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut records: Vec<Record> = Vec::new();
        let mut bytes = Vec::new();
        for file in self.files {
            let mut file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.seek(SeekFrom::Start(0))?;
            bytes.clear();
            file.read_to_end(&mut bytes)?;
            records.clear();
            records.extend(bytes.chunks_exact(RECORD_BYTES).map(|r| {
                (
                    u64::from_le_bytes(r[0..8].try_into().expect("8 bytes")),
                    u32::from_le_bytes(r[8..12].try_into().expect("4 bytes")),
                    u32::from_le_bytes(r[12..16].try_into().expect("4 bytes")),
                )
            }));
            records.sort_unstable();
            each(&records)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(index: u32, words: u32, labelled: bool) -> BlockSketch {
        BlockSketch {
            index,
            fp: u64::from(index).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            sim: u64::MAX - u64::from(index),
            words,
            labelled,
        }
    }

    #[test]
    fn blocks_come_back_as_they_went_in() {
        let dir = tempfile::tempdir().unwrap();
        let mut file = BlockFile::new(dir.path()).unwrap();
        let first = vec![block(0, 12, false), block(3, 1, true)];
        let second = vec![block(1, 400, true)];
        assert_eq!(file.append(&first).unwrap(), 0);
        let at = file.append(&second).unwrap();
        assert_eq!(file.append(&[]).unwrap(), at + BLOCK_BYTES as u64);
        file.seal().unwrap();
        assert_eq!(file.read(at, 1).unwrap(), second);
        assert_eq!(file.read(0, 2).unwrap(), first);
        let mut scan = file.scan().unwrap();
        let mut out = Vec::new();
        scan.next_into(2, &mut out).unwrap();
        assert_eq!(out, first);
        scan.next_into(1, &mut out).unwrap();
        assert_eq!(out, second);
        assert!(scan.next_into(1, &mut out).is_err());
    }

    #[test]
    fn each_partition_holds_whole_fingerprints_sorted() {
        let dir = tempfile::tempdir().unwrap();
        // Enough records for several partitions.
        let expected = 3 * PARTITION_BYTES / RECORD_BYTES as u64;
        let mut parts = Partitions::new(dir.path(), expected).unwrap();
        assert!(parts.files.len() >= 3);
        let mut pushed = Vec::new();
        for i in 0..20_000u64 {
            let fp = (i % 997).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let record = (fp, (i % 7) as u32, i as u32);
            parts.push(record).unwrap();
            pushed.push(record);
        }
        let mut seen = Vec::new();
        let mut fps_per_part: Vec<Vec<u64>> = Vec::new();
        parts
            .for_each_sorted(|records| {
                assert!(records.is_sorted());
                seen.extend_from_slice(records);
                fps_per_part.push(records.iter().map(|r| r.0).collect());
                Ok(())
            })
            .unwrap();
        seen.sort_unstable();
        pushed.sort_unstable();
        assert_eq!(seen, pushed);
        // No fingerprint is split between two partitions.
        for (i, a) in fps_per_part.iter().enumerate() {
            for b in &fps_per_part[i + 1..] {
                assert!(a.iter().all(|fp| !b.contains(fp)));
            }
        }
    }
}
