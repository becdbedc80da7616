//! Where an export writes the election record's files: a directory
//! (`ratify record export --out DIR`) or a tar archive (the download for
//! auditors). The export writes each file once, through [`RecordSink`], so
//! the directory and the archive hold the same bytes (issue 14).

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A place the record's files go. Paths are the record's own
/// (`log/entries.jsonl`, docs/audit-format.md), `/`-separated.
pub trait RecordSink {
    /// A directory of the record, even if it ends up empty.
    fn dir(&mut self, path: &str) -> Result<()>;

    /// The file at `path`: exactly `size` bytes, read from `body`. The size
    /// comes first because a tar header carries it before the data, and
    /// the large files (the log, the ballots) are streamed, never held.
    fn put(&mut self, path: &str, size: u64, body: &mut dyn Read) -> Result<()>;

    /// A small file whose text is at hand.
    fn put_text(&mut self, path: &str, text: &str) -> Result<()> {
        self.put(path, text.len() as u64, &mut text.as_bytes())
    }
}

/// A file whose body was not the size announced: the record changed under
/// the export, or a size query disagrees with the rows.
fn wrong_size(path: &str, size: u64, wrote: u64) -> Error {
    Error::Internal(format!(
        "record file {path}: announced {size} bytes, wrote {wrote}"
    ))
}

/// The record as files under a directory (the command line's export).
pub struct DirSink {
    root: PathBuf,
}

impl DirSink {
    pub fn new(root: &Path) -> DirSink {
        DirSink {
            root: root.to_path_buf(),
        }
    }
}

impl RecordSink for DirSink {
    fn dir(&mut self, path: &str) -> Result<()> {
        let dir = self.root.join(path);
        fs::create_dir_all(&dir).map_err(|e| Error::io(dir, e))
    }

    fn put(&mut self, path: &str, size: u64, body: &mut dyn Read) -> Result<()> {
        let file = self.root.join(path);
        if let Some(parent) = file.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mut out = fs::File::create(&file)
            .map(io::BufWriter::new)
            .map_err(|e| Error::io(&file, e))?;
        let wrote = io::copy(body, &mut out).map_err(|e| Error::io(&file, e))?;
        out.flush().map_err(|e| Error::io(&file, e))?;
        if wrote != size {
            return Err(wrong_size(path, size, wrote));
        }
        Ok(())
    }
}

/// The record as a tar archive written to `W` (the download), every file
/// under one top directory (`<slug>-record/`) so that `tar -xf` makes one
/// directory to verify rather than scattering files.
///
/// The archive is reproducible: owner root, modes 0644/0755 and one fixed
/// time for every entry, so two downloads of a certified (unchanging)
/// record are the same bytes and an auditor can publish its digest.
pub struct TarSink<W: Write> {
    builder: tar::Builder<W>,
    top: String,
    mtime: u64,
    dirs: BTreeSet<String>,
}

impl<W: Write> TarSink<W> {
    /// `top` is the archive's one directory; `mtime` (seconds since the
    /// epoch) every entry's time.
    pub fn new(out: W, top: &str, mtime: u64) -> TarSink<W> {
        TarSink {
            builder: tar::Builder::new(out),
            top: top.trim_end_matches('/').to_string(),
            mtime,
            dirs: BTreeSet::new(),
        }
    }

    /// Ends the archive (its two zero blocks) and hands back the writer.
    pub fn finish(self) -> Result<W> {
        self.builder.into_inner().map_err(archive_error)
    }

    fn header(&self, kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(kind);
        header.set_mode(mode);
        header.set_size(size);
        header.set_mtime(self.mtime);
        header.set_uid(0);
        header.set_gid(0);
        header
    }

    /// Adds `dir` and any of its ancestors not added yet, parents first.
    fn add_dirs(&mut self, dir: &str) -> Result<()> {
        let mut path = self.top.clone();
        for part in std::iter::once("").chain(dir.split('/').filter(|p| !p.is_empty())) {
            if !part.is_empty() {
                path = format!("{path}/{part}");
            }
            if self.dirs.insert(path.clone()) {
                let mut header = self.header(tar::EntryType::Directory, 0o755, 0);
                self.builder
                    .append_data(&mut header, format!("{path}/"), io::empty())
                    .map_err(archive_error)?;
            }
        }
        Ok(())
    }
}

fn archive_error(e: io::Error) -> Error {
    Error::io("record archive", e)
}

impl<W: Write> RecordSink for TarSink<W> {
    fn dir(&mut self, path: &str) -> Result<()> {
        self.add_dirs(path)
    }

    fn put(&mut self, path: &str, size: u64, body: &mut dyn Read) -> Result<()> {
        let parent = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        self.add_dirs(parent)?;
        let mut header = self.header(tar::EntryType::Regular, 0o644, size);
        // The tar crate pads after however many bytes it copied; a body
        // of the wrong length would shift every later entry, so it is
        // counted and refused (the download then ends in an error rather
        // than a corrupt archive that looks whole).
        let mut counted = Counted {
            inner: (&mut *body).take(size),
            n: 0,
        };
        self.builder
            .append_data(&mut header, format!("{}/{path}", self.top), &mut counted)
            .map_err(archive_error)?;
        let wrote = counted.n;
        if wrote != size || body.read(&mut [0u8]).map_err(archive_error)? != 0 {
            return Err(wrong_size(path, size, wrote));
        }
        Ok(())
    }
}

struct Counted<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

/// A file made of lines fetched a page at a time (the log's entries, the
/// ballots), read as bytes: each line followed by `\n`. A fetch error is
/// kept and given back by [`PagedLines::finish`], so the export fails
/// with the database's error, not an I/O one.
pub struct PagedLines<F> {
    next_page: F,
    page: Vec<u8>,
    at: usize,
    done: bool,
    failed: Option<Error>,
}

impl<F: FnMut() -> Result<Option<Vec<String>>>> PagedLines<F> {
    /// `next_page` returns the next lines, or `None` once there are no more.
    pub fn new(next_page: F) -> PagedLines<F> {
        PagedLines {
            next_page,
            page: Vec::new(),
            at: 0,
            done: false,
            failed: None,
        }
    }

    /// The outcome of writing these lines: the fetch's error if one
    /// stopped them, else the sink's own.
    pub fn finish(self, written: Result<()>) -> Result<()> {
        match self.failed {
            Some(e) => Err(e),
            None => written,
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        while self.at == self.page.len() && !self.done {
            self.page.clear();
            self.at = 0;
            match (self.next_page)() {
                Ok(Some(lines)) => {
                    for line in lines {
                        self.page.extend_from_slice(line.as_bytes());
                        self.page.push(b'\n');
                    }
                }
                Ok(None) => self.done = true,
                Err(e) => {
                    self.done = true;
                    self.failed = Some(e);
                    return Err(io::Error::other("reading the record's rows failed"));
                }
            }
        }
        Ok(())
    }
}

impl<F: FnMut() -> Result<Option<Vec<String>>>> Read for PagedLines<F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.fill()?;
        let n = buf.len().min(self.page.len() - self.at);
        buf[..n].copy_from_slice(&self.page[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(pages: Vec<Vec<&'static str>>) -> impl FnMut() -> Result<Option<Vec<String>>> {
        let mut pages = pages.into_iter();
        move || {
            Ok(pages
                .next()
                .map(|p| p.into_iter().map(String::from).collect()))
        }
    }

    #[test]
    fn paged_lines_read_as_one_file() {
        let mut r = PagedLines::new(lines(vec![vec!["a", "bc"], vec![], vec!["d"]]));
        let mut text = String::new();
        r.read_to_string(&mut text).unwrap();
        assert_eq!(text, "a\nbc\nd\n");
    }

    #[test]
    fn a_fetch_error_is_given_back_as_itself() {
        let mut calls = 0;
        let r = PagedLines::new(move || {
            calls += 1;
            match calls {
                1 => Ok(Some(vec!["a".to_string()])),
                _ => Err(Error::NotFound("gone".into())),
            }
        });
        let mut sink = TarSink::new(Vec::new(), "r", 0);
        let mut r = r;
        let written = sink.put("x", 2, &mut r);
        assert!(matches!(r.finish(written), Err(Error::NotFound(_))));
    }

    fn unpack(archive: Vec<u8>) -> Vec<(String, Vec<u8>)> {
        let mut a = tar::Archive::new(&archive[..]);
        a.entries()
            .unwrap()
            .map(|e| {
                let mut e = e.unwrap();
                let path = e.path().unwrap().to_string_lossy().into_owned();
                let mut body = Vec::new();
                e.read_to_end(&mut body).unwrap();
                (path, body)
            })
            .collect()
    }

    #[test]
    fn the_archive_holds_each_file_under_one_directory_with_its_parents() {
        let mut sink = TarSink::new(Vec::new(), "e-record", 1_700_000_000);
        sink.put_text("record.json", "{}\n").unwrap();
        sink.put_text("log/checkpoints/1.note", "n\n").unwrap();
        let files = unpack(sink.finish().unwrap());
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "e-record/",
                "e-record/record.json",
                "e-record/log/",
                "e-record/log/checkpoints/",
                "e-record/log/checkpoints/1.note"
            ]
        );
        assert_eq!(files[4].1, b"n\n");
    }

    #[test]
    fn a_body_of_the_wrong_size_is_refused() {
        let mut sink = TarSink::new(Vec::new(), "r", 0);
        assert!(sink.put("short", 5, &mut &b"abc"[..]).is_err());
        let mut sink = TarSink::new(Vec::new(), "r", 0);
        assert!(sink.put("long", 2, &mut &b"abc"[..]).is_err());
        let dir = tempfile::tempdir().unwrap();
        assert!(DirSink::new(dir.path())
            .put("x", 5, &mut &b"abc"[..])
            .is_err());
    }

    #[test]
    fn the_same_files_make_the_same_archive() {
        let make = || {
            let mut sink = TarSink::new(Vec::new(), "r", 42);
            sink.put_text("a.json", "1\n").unwrap();
            sink.finish().unwrap()
        };
        assert_eq!(make(), make());
    }
}
