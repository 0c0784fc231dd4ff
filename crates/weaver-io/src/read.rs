//! Reading a package from a folder, a zip or a workbook.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use weaver_core::PackageBuilder;

use crate::{IoError, csvfile, datapackage, xlsx};

/// The three shapes of a package on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageFormat {
    /// A folder of CSV files with `datapackage.json`.
    Folder,
    /// A `.zip` of such a folder.
    Zip,
    /// An `.xlsx` workbook with a sheet per table.
    Xlsx,
}

impl PackageFormat {
    /// The format of `path`: a folder if it is one (or, for output, has no
    /// extension), otherwise by its extension.
    pub fn of(path: &Path) -> Result<PackageFormat, IoError> {
        if path.is_dir() {
            return Ok(PackageFormat::Folder);
        }
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("zip") => Ok(PackageFormat::Zip),
            Some("xlsx") => Ok(PackageFormat::Xlsx),
            None if !path.exists() => Ok(PackageFormat::Folder),
            _ => Err(IoError::UnknownFormat(path.display().to_string())),
        }
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "package".into())
}

/// Caps on what a `.zip` package or an `.xlsx` workbook may expand to, so
/// that a small archive of highly compressed data (a zip bomb) is refused
/// after reading at most the cap instead of filling memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArchiveLimits {
    /// Largest total expanded size of the archive's entries, in bytes.
    pub max_expanded: u64,
    /// Most entries (files and folders) the archive may hold.
    pub max_entries: usize,
}

impl ArchiveLimits {
    /// The default cap on the expanded size: 1024 MiB.
    pub const DEFAULT_MAX_EXPANDED: u64 = 1024 << 20;
    /// The default cap on the number of entries.
    pub const DEFAULT_MAX_ENTRIES: usize = 1000;
}

impl Default for ArchiveLimits {
    fn default() -> ArchiveLimits {
        ArchiveLimits {
            max_expanded: ArchiveLimits::DEFAULT_MAX_EXPANDED,
            max_entries: ArchiveLimits::DEFAULT_MAX_ENTRIES,
        }
    }
}

/// A byte count as people read caps: whole MiB when it is one.
fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

/// Why an archive could not be read.
#[derive(Debug)]
enum ArchiveError {
    /// Not a readable archive: a problem of the package.
    Damaged(String),
    /// Past a cap: the whole upload is refused.
    TooLarge(String),
}

fn too_many_entries(n: usize, limits: &ArchiveLimits) -> ArchiveError {
    ArchiveError::TooLarge(format!(
        "holds {n} entries, more than the cap of {} (setting --max-entries, WEAVER_MAX_ENTRIES)",
        limits.max_entries
    ))
}

fn expands_past(entry: &str, limits: &ArchiveLimits) -> ArchiveError {
    ArchiveError::TooLarge(format!(
        "entry '{entry}' expands past the cap of {} on the archive's expanded size \
         (setting --max-expanded-mb, WEAVER_MAX_EXPANDED_MB)",
        size_text(limits.max_expanded)
    ))
}

/// Reads `reader` to its end into `out`, but never more than `room + 1`
/// bytes: `Ok(false)` if it holds more than `room`.
fn read_capped(
    reader: impl Read,
    room: u64,
    out: &mut impl std::io::Write,
) -> std::io::Result<bool> {
    let copied = std::io::copy(&mut reader.take(room.saturating_add(1)), out)?;
    Ok(copied <= room)
}

/// Checks an archive's entries against `limits` by expanding each one
/// into nothing (the decompressed bytes are counted, not kept): the check
/// of a workbook before its reader, which keeps what it expands.
fn check_archive(
    reader: impl Read + std::io::Seek,
    limits: &ArchiveLimits,
) -> Result<(), ArchiveError> {
    let damaged = |e: &dyn std::fmt::Display| ArchiveError::Damaged(e.to_string());
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| damaged(&e))?;
    if archive.len() > limits.max_entries {
        return Err(too_many_entries(archive.len(), limits));
    }
    let mut expanded = 0u64;
    for i in 0..archive.len() {
        let file = archive.by_index(i).map_err(|e| damaged(&e))?;
        let name = file
            .name()
            .map_or_else(|_| "?".to_owned(), |n| n.into_owned());
        let room = limits.max_expanded - expanded;
        if file.size() > room {
            return Err(expands_past(&name, limits));
        }
        let mut counter = Counter(0);
        let within = read_capped(file, room, &mut counter)
            .map_err(|e| damaged(&format!("entry {name}: {e}")))?;
        if !within {
            return Err(expands_past(&name, limits));
        }
        expanded += counter.0;
    }
    Ok(())
}

/// A writer that only counts.
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Reads the package at `path` (a folder, `.zip` or `.xlsx`), keeping up to
/// `max_problems` problems (the rest are counted), within the default
/// [`ArchiveLimits`]. See [`read_package_limited`].
pub fn read_package(path: &Path, max_problems: usize) -> Result<PackageBuilder, IoError> {
    read_package_limited(path, max_problems, &ArchiveLimits::default())
}

/// Reads the package at `path` (a folder, `.zip` or `.xlsx`), keeping up to
/// `max_problems` problems (the rest are counted). Every cell is
/// checked as it is read; problems are collected in the builder, which the
/// caller finishes with the register's ids to check references.
///
/// A zip or workbook is read from the file as a stream, entry by entry;
/// one with more entries than `limits` allows is refused before any is
/// expanded, and one whose entries expand past the cap is refused after
/// expanding at most the cap ([`IoError::TooLarge`], naming the entry).
///
/// Errors only when the path itself cannot be read or an archive is past
/// a cap; a damaged zip or workbook, an empty file or a bad cell are
/// problems of the package.
pub fn read_package_limited(
    path: &Path,
    max_problems: usize,
    limits: &ArchiveLimits,
) -> Result<PackageBuilder, IoError> {
    let read_err = |source| IoError::Read {
        path: path.display().to_string(),
        source,
    };
    if !path.exists() {
        return Err(read_err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file or folder",
        )));
    }
    let too_large = |message| IoError::TooLarge {
        path: path.display().to_string(),
        message,
    };
    let open = || {
        std::fs::File::open(path)
            .map(std::io::BufReader::new)
            .map_err(read_err)
    };
    match PackageFormat::of(path)? {
        PackageFormat::Folder => {
            let files = Files::Folder(path.to_path_buf());
            Ok(read_files(&files, &stem(path), "", max_problems))
        }
        PackageFormat::Zip => {
            let label = path.file_name().map_or_else(
                || "package.zip".into(),
                |n| n.to_string_lossy().into_owned(),
            );
            match unzip(open()?, limits) {
                Ok(entries) => Ok(read_files(
                    &Files::Zip(entries),
                    &stem(path),
                    &format!("{label} › "),
                    max_problems,
                )),
                Err(ArchiveError::TooLarge(message)) => Err(too_large(message)),
                Err(ArchiveError::Damaged(message)) => {
                    let mut pkg = PackageBuilder::new(stem(path)).with_problem_limit(max_problems);
                    pkg.file_problem(
                        &label,
                        format!("is not a readable zip archive (truncated or damaged?): {message}"),
                    );
                    Ok(pkg)
                }
            }
        }
        PackageFormat::Xlsx => {
            let label = path.file_name().map_or_else(
                || "package.xlsx".into(),
                |n| n.to_string_lossy().into_owned(),
            );
            let mut pkg = PackageBuilder::new(stem(path)).with_problem_limit(max_problems);
            match check_archive(open()?, limits) {
                Err(ArchiveError::TooLarge(message)) => return Err(too_large(message)),
                // The workbook reader names what is wrong with a damaged one.
                Err(ArchiveError::Damaged(_)) | Ok(()) => {}
            }
            xlsx::read_workbook(open()?, &label, &mut pkg);
            Ok(pkg)
        }
    }
}

/// The files of a folder or of a zip.
enum Files {
    Folder(PathBuf),
    Zip(BTreeMap<String, Vec<u8>>),
}

impl Files {
    fn names(&self) -> Vec<String> {
        match self {
            Files::Folder(dir) => {
                let mut names: Vec<String> = std::fs::read_dir(dir)
                    .map(|rd| {
                        rd.filter_map(Result::ok)
                            .filter(|e| e.path().is_file())
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                names.sort();
                names
            }
            Files::Zip(entries) => entries.keys().cloned().collect(),
        }
    }

    fn read(&self, name: &str) -> Result<Vec<u8>, String> {
        match self {
            Files::Folder(dir) => {
                std::fs::read(dir.join(name)).map_err(|e| format!("cannot read the file: {e}"))
            }
            Files::Zip(entries) => entries
                .get(name)
                .cloned()
                .ok_or_else(|| "no such file in the package".into()),
        }
    }
}

/// Reads every entry of a zip into memory, stripping one common top
/// folder, within `limits`: the entry count is checked before any entry is
/// expanded, and each entry is expanded only up to the room left under the
/// cap (its declared size is checked first, its actual size as it streams).
fn unzip(
    reader: impl Read + std::io::Seek,
    limits: &ArchiveLimits,
) -> Result<BTreeMap<String, Vec<u8>>, ArchiveError> {
    let damaged = |e: &dyn std::fmt::Display| ArchiveError::Damaged(e.to_string());
    let mut archive = zip::ZipArchive::new(reader).map_err(|e| damaged(&e))?;
    if archive.len() > limits.max_entries {
        return Err(too_many_entries(archive.len(), limits));
    }
    let mut entries = BTreeMap::new();
    let mut expanded = 0u64;
    for i in 0..archive.len() {
        let file = archive.by_index(i).map_err(|e| damaged(&e))?;
        if file.is_dir() {
            continue;
        }
        let name = file.name().map_err(|e| damaged(&e))?.replace('\\', "/");
        if name.starts_with("__MACOSX/") || name.ends_with("/.DS_Store") || name == ".DS_Store" {
            continue;
        }
        let room = limits.max_expanded - expanded;
        if file.size() > room {
            return Err(expands_past(&name, limits));
        }
        let mut data = Vec::new();
        let within = read_capped(file, room, &mut data)
            .map_err(|e| damaged(&format!("entry {name}: {e}")))?;
        if !within {
            return Err(expands_past(&name, limits));
        }
        expanded += data.len() as u64;
        entries.insert(name, data);
    }
    // A zip of a folder holds `folder/table.csv`: drop the common folder.
    let prefix = entries
        .keys()
        .next()
        .and_then(|n| n.split_once('/'))
        .map(|(p, _)| format!("{p}/"));
    if let Some(prefix) = prefix
        && entries.keys().all(|n| n.starts_with(&prefix))
    {
        entries = entries
            .into_iter()
            .map(|(n, d)| (n[prefix.len()..].to_owned(), d))
            .collect();
    }
    Ok(entries)
}

fn read_files(
    files: &Files,
    default_name: &str,
    label: &str,
    max_problems: usize,
) -> PackageBuilder {
    let names = files.names();
    let mut name = default_name.to_owned();
    let mut tables: Vec<(String, String)> = Vec::new();
    let mut problems: Vec<(String, String)> = Vec::new();
    if names.iter().any(|n| n == "datapackage.json") {
        let file = format!("{label}datapackage.json");
        match files
            .read("datapackage.json")
            .and_then(|b| String::from_utf8(b).map_err(|_| "is not UTF-8 text".to_owned()))
        {
            Ok(text) => {
                match datapackage::parse(&text) {
                    Ok((pkg_name, resources)) => {
                        if let Some(n) = pkg_name {
                            name = n;
                        }
                        for r in resources {
                            if r.path.contains("..") || r.path.starts_with('/') {
                                problems.push((file.clone(), format!("resource '{}': path '{}' must be a file inside the package", r.name, r.path)));
                            } else {
                                tables.push((r.name, r.path));
                            }
                        }
                    }
                    Err(message) => problems.push((file, message)),
                }
            }
            Err(message) => problems.push((file, message)),
        }
    } else {
        for n in &names {
            if let Some(table) = n.strip_suffix(".csv").or_else(|| n.strip_suffix(".CSV"))
                && !n.contains('/')
            {
                tables.push((table.to_owned(), n.clone()));
            }
        }
    }
    let mut pkg = PackageBuilder::new(name).with_problem_limit(max_problems);
    for (file, message) in problems {
        pkg.file_problem(&file, message);
    }
    if tables.is_empty() && pkg.problems.is_empty() {
        pkg.file_problem(
            if label.is_empty() { default_name } else { label.trim_end_matches(" › ") },
            "holds no tables: expected CSV files named after the tables (organizations.csv, ties.csv, …)",
        );
    }
    let listed: Vec<&str> = tables.iter().map(|(_, p)| p.as_str()).collect();
    for n in &names {
        if n.ends_with(".csv")
            && !listed.contains(&n.as_str())
            && names.iter().any(|x| x == "datapackage.json")
        {
            pkg.notice(format!(
                "{label}{n}: ignored (not listed in datapackage.json)"
            ));
        }
    }
    for (table, path) in &tables {
        let file = format!("{label}{path}");
        match files.read(path) {
            Ok(bytes) => csvfile::read_table(&bytes, table, &file, &mut pkg),
            Err(message) => pkg.file_problem(&file, message),
        }
    }
    let boundaries = crate::geojson::BOUNDARIES_FILE;
    if names.iter().any(|n| n == boundaries) {
        let file = format!("{label}{boundaries}");
        match files
            .read(boundaries)
            .and_then(|b| String::from_utf8(b).map_err(|_| "is not UTF-8 text".to_owned()))
            .and_then(|text| crate::geojson::check_boundaries(&file, &text))
        {
            Ok(b) => pkg.boundaries(b),
            Err(message) => pkg.file_problem(&file, message),
        }
    }
    pkg
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Read, Seek, SeekFrom, Write};

    use super::*;

    /// A reader that counts the bytes it hands out.
    struct Counting<R> {
        inner: R,
        read: u64,
    }

    impl<R: Read> Read for Counting<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.read += n as u64;
            Ok(n)
        }
    }

    impl<R: Seek> Seek for Counting<R> {
        fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
            self.inner.seek(pos)
        }
    }

    /// A zip of `entries`, each `(name, size)` of zeros, deflated.
    fn zip_of(entries: &[(&str, usize)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        let chunk = vec![b'0'; 1 << 16];
        for (name, size) in entries {
            w.start_file(*name, options).unwrap();
            let mut left = *size;
            while left > 0 {
                let n = left.min(chunk.len());
                w.write_all(&chunk[..n]).unwrap();
                left -= n;
            }
        }
        w.finish().unwrap().into_inner()
    }

    const MIB: u64 = 1 << 20;

    fn too_large(r: Result<impl std::fmt::Debug, ArchiveError>) -> String {
        match r {
            Err(ArchiveError::TooLarge(m)) => m,
            other => panic!("expected a refusal past the cap, got {other:?}"),
        }
    }

    #[test]
    fn an_entry_expanding_past_the_cap_is_refused_without_being_expanded() {
        // 64 MiB of one byte deflates to ~64 KiB.
        let bytes = zip_of(&[("observations.csv", 64 << 20)]);
        assert!(bytes.len() < 1 << 20, "{}", bytes.len());
        let limits = ArchiveLimits {
            max_expanded: MIB,
            max_entries: 10,
        };
        let mut source = Counting {
            inner: Cursor::new(&bytes),
            read: 0,
        };
        let message = too_large(unzip(&mut source, &limits));
        assert!(message.contains("'observations.csv'"), "{message}");
        assert!(message.contains("1 MiB"), "{message}");
        // Only the directory and the entry's header were read: not its data.
        assert!(
            source.read < bytes.len() as u64 / 4,
            "read {} of {} bytes",
            source.read,
            bytes.len()
        );
    }

    #[test]
    fn an_entry_is_expanded_at_most_to_the_cap_whatever_its_header_says() {
        // What a lying header leaves: the stream itself is cut at the cap.
        let mut source = Counting {
            inner: std::io::repeat(b'0'),
            read: 0,
        };
        let mut out = Counter(0);
        assert!(!read_capped(&mut source, MIB, &mut out).unwrap());
        assert_eq!(source.read, MIB + 1);
        assert_eq!(out.0, MIB + 1);
        let mut exact = Counting {
            inner: std::io::repeat(b'0').take(MIB),
            read: 0,
        };
        assert!(read_capped(&mut exact, MIB, &mut Counter(0)).unwrap());
        assert_eq!(exact.read, MIB);
    }

    #[test]
    fn the_cap_covers_the_entries_together() {
        let bytes = zip_of(&[("a.csv", 600 << 10), ("b.csv", 600 << 10)]);
        let limits = ArchiveLimits {
            max_expanded: MIB,
            max_entries: 10,
        };
        let message = too_large(unzip(Cursor::new(&bytes), &limits));
        assert!(message.contains("'b.csv'"), "{message}");
        let roomy = ArchiveLimits {
            max_expanded: 2 * MIB,
            max_entries: 10,
        };
        let entries = unzip(Cursor::new(&bytes), &roomy).unwrap();
        assert_eq!(entries["a.csv"].len(), 600 << 10);
        assert_eq!(entries["b.csv"].len(), 600 << 10);
    }

    #[test]
    fn too_many_entries_are_refused_before_any_is_expanded() {
        let names: Vec<String> = (0..6).map(|i| format!("t{i}.csv")).collect();
        let entries: Vec<(&str, usize)> = names.iter().map(|n| (n.as_str(), 1 << 16)).collect();
        let bytes = zip_of(&entries);
        let limits = ArchiveLimits {
            max_expanded: MIB,
            max_entries: 5,
        };
        let message = too_large(unzip(Cursor::new(&bytes), &limits));
        assert!(message.contains("6 entries"), "{message}");
        assert!(message.contains("cap of 5"), "{message}");
        let message = too_large(check_archive(Cursor::new(&bytes), &limits));
        assert!(message.contains("6 entries"), "{message}");
    }

    #[test]
    fn a_workbook_past_the_cap_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bomb.xlsx");
        std::fs::write(
            &path,
            zip_of(&[
                ("xl/workbook.xml", 100),
                ("xl/worksheets/sheet1.xml", 8 << 20),
            ]),
        )
        .unwrap();
        let limits = ArchiveLimits {
            max_expanded: MIB,
            max_entries: 10,
        };
        match read_package_limited(&path, 20, &limits) {
            Err(IoError::TooLarge { path: p, message }) => {
                assert!(p.ends_with("bomb.xlsx"), "{p}");
                assert!(message.contains("'xl/worksheets/sheet1.xml'"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        // The workbook check counts what it expands, it does not keep it.
        let mut source = Counting {
            inner: Cursor::new(std::fs::read(&path).unwrap()),
            read: 0,
        };
        too_large(check_archive(&mut source, &limits));
        assert!(source.read < std::fs::metadata(&path).unwrap().len() / 4 + 1024);
    }

    #[test]
    fn a_normal_zip_package_passes_the_caps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pkg.zip");
        let mut w = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        w.start_file("pkg/programmes.csv", options).unwrap();
        w.write_all(b"id,name\np1,Programme one\n").unwrap();
        w.finish().unwrap();
        let limits = ArchiveLimits {
            max_expanded: 1024,
            max_entries: 1,
        };
        let pkg = read_package_limited(&path, 20, &limits).unwrap();
        assert!(pkg.problems.is_empty(), "{:?}", pkg.problems);
        let tight = ArchiveLimits {
            max_expanded: 10,
            max_entries: 1,
        };
        assert!(matches!(
            read_package_limited(&path, 20, &tight),
            Err(IoError::TooLarge { .. })
        ));
    }
}
