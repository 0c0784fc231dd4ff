//! Writing the register's tables as a package.

use std::io::Write;
use std::path::Path;

use weaver_core::TableData;

use crate::read::PackageFormat;
use crate::{IoError, datapackage, xlsx};

/// One table as CSV text: a header with every column, then the rows, `\n`
/// line ends, UTF-8 without byte order mark.
fn table_csv(t: &TableData) -> Result<Vec<u8>, IoError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let err = |e: csv::Error| IoError::Write {
        path: format!("{}.csv", t.schema.name),
        message: e.to_string(),
    };
    w.write_record(t.schema.columns.iter().map(|c| c.name))
        .map_err(err)?;
    for row in &t.rows {
        w.write_record(row.iter().map(|v| v.to_text()))
            .map_err(err)?;
    }
    w.into_inner().map_err(|e| IoError::Write {
        path: format!("{}.csv", t.schema.name),
        message: e.to_string(),
    })
}

/// Writes `tables` to `path` as a package named `name`: a folder (created if
/// needed), a `.zip` or an `.xlsx`, chosen by the path. The output depends
/// only on the tables, so the same register always gives the same files.
pub fn write_package(
    path: &Path,
    name: &str,
    tables: &[TableData],
) -> Result<PackageFormat, IoError> {
    write_package_with(path, name, tables, None)
}

/// [`write_package`] with `properties` (a JSON object) added to the top
/// level of `datapackage.json`, as the Frictionless specification allows
/// (a workbook has no descriptor: the properties are not written there).
pub fn write_package_with(
    path: &Path,
    name: &str,
    tables: &[TableData],
    properties: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Result<PackageFormat, IoError> {
    write_package_full(path, name, tables, None, properties)
}

/// [`write_package_with`] with the regions' boundaries (a GeoJSON document,
/// written as it is) as `regions.geojson` in a folder or a zip. A workbook
/// has no place for them: they are left out, and the caller is told by
/// the format returned.
pub fn write_package_full(
    path: &Path,
    name: &str,
    tables: &[TableData],
    boundaries: Option<&str>,
    properties: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Result<PackageFormat, IoError> {
    use crate::geojson::BOUNDARIES_FILE;
    let werr = |e: std::io::Error| IoError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    let format = PackageFormat::of(path)?;
    let schemas: Vec<_> = tables.iter().map(|t| t.schema).collect();
    let descriptor = datapackage::descriptor(name, &schemas, properties);
    match format {
        PackageFormat::Folder => {
            std::fs::create_dir_all(path).map_err(werr)?;
            for t in tables {
                std::fs::write(path.join(format!("{}.csv", t.schema.name)), table_csv(t)?)
                    .map_err(werr)?;
            }
            std::fs::write(path.join("datapackage.json"), descriptor).map_err(werr)?;
            if let Some(doc) = boundaries {
                std::fs::write(path.join(BOUNDARIES_FILE), doc).map_err(werr)?;
            }
        }
        PackageFormat::Zip => {
            let zerr = |e: zip::result::ZipError| IoError::Write {
                path: path.display().to_string(),
                message: e.to_string(),
            };
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            // A fixed timestamp keeps the archive's bytes a function of its contents.
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .last_modified_time(zip::DateTime::default());
            zip.start_file("datapackage.json", options).map_err(zerr)?;
            zip.write_all(descriptor.as_bytes()).map_err(werr)?;
            for t in tables {
                zip.start_file(format!("{}.csv", t.schema.name), options)
                    .map_err(zerr)?;
                zip.write_all(&table_csv(t)?).map_err(werr)?;
            }
            if let Some(doc) = boundaries {
                zip.start_file(BOUNDARIES_FILE, options).map_err(zerr)?;
                zip.write_all(doc.as_bytes()).map_err(werr)?;
            }
            let bytes = zip.finish().map_err(zerr)?.into_inner();
            std::fs::write(path, bytes).map_err(werr)?;
        }
        PackageFormat::Xlsx => {
            let bytes = xlsx::write_workbook(tables, properties)?;
            std::fs::write(path, bytes).map_err(werr)?;
        }
    }
    Ok(format)
}
