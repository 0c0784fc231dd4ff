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

/// Reads the package at `path` (a folder, `.zip` or `.xlsx`), keeping up to
/// `max_problems` problems (the rest are counted). Every cell is
/// checked as it is read; problems are collected in the builder, which the
/// caller finishes with the register's ids to check references.
///
/// Errors only when the path itself cannot be read; a damaged zip or
/// workbook, an empty file or a bad cell are problems of the package.
pub fn read_package(path: &Path, max_problems: usize) -> Result<PackageBuilder, IoError> {
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
    match PackageFormat::of(path)? {
        PackageFormat::Folder => {
            let files = Files::Folder(path.to_path_buf());
            Ok(read_files(&files, &stem(path), "", max_problems))
        }
        PackageFormat::Zip => {
            let bytes = std::fs::read(path).map_err(read_err)?;
            let label = path.file_name().map_or_else(
                || "package.zip".into(),
                |n| n.to_string_lossy().into_owned(),
            );
            match unzip(&bytes) {
                Ok(entries) => Ok(read_files(
                    &Files::Zip(entries),
                    &stem(path),
                    &format!("{label} › "),
                    max_problems,
                )),
                Err(message) => {
                    let mut pkg = PackageBuilder::new(stem(path)).with_problem_limit(max_problems);
                    pkg.file_problem(&label, message);
                    Ok(pkg)
                }
            }
        }
        PackageFormat::Xlsx => {
            let bytes = std::fs::read(path).map_err(read_err)?;
            let label = path.file_name().map_or_else(
                || "package.xlsx".into(),
                |n| n.to_string_lossy().into_owned(),
            );
            let mut pkg = PackageBuilder::new(stem(path)).with_problem_limit(max_problems);
            xlsx::read_workbook(&bytes, &label, &mut pkg);
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

/// Reads every entry of a zip into memory, stripping one common top folder.
fn unzip(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let damaged = |e: &dyn std::fmt::Display| {
        format!("is not a readable zip archive (truncated or damaged?): {e}")
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let mut entries = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| damaged(&e))?;
        if file.is_dir() {
            continue;
        }
        let name = file.name().map_err(|e| damaged(&e))?.replace('\\', "/");
        if name.starts_with("__MACOSX/") || name.ends_with("/.DS_Store") || name == ".DS_Store" {
            continue;
        }
        let mut data = Vec::new();
        file.read_to_end(&mut data)
            .map_err(|e| damaged(&format!("entry {name}: {e}")))?;
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
    pkg
}
