//! Decoding CSV bytes (UTF-8 with or without BOM, UTF-16 with BOM, GB18030)
//! and feeding their rows to a table builder.

use std::borrow::Cow;

use weaver_core::PackageBuilder;

/// Decodes a CSV file's bytes to text, recording a notice when the file was
/// not plain UTF-8. Returns `None`, with a problem recorded, when the bytes
/// are not text in any encoding Weaver reads.
pub(crate) fn decode<'a>(
    bytes: &'a [u8],
    file: &str,
    pkg: &mut PackageBuilder,
) -> Option<Cow<'a, str>> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Some(Cow::Borrowed(s)),
            Err(e) => {
                pkg.file_problem(
                    file,
                    format!(
                        "starts with a UTF-8 byte order mark but is not valid UTF-8 (byte {})",
                        e.valid_up_to() + 3
                    ),
                );
                None
            }
        };
    }
    for (bom, enc, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        if bytes.starts_with(bom) {
            let (text, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
            if had_errors {
                pkg.file_problem(file, format!("is not valid {name} text"));
                return None;
            }
            pkg.notice(format!("{file}: decoded from {name}"));
            return Some(text);
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(Cow::Borrowed(s)),
        Err(e) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                pkg.file_problem(
                    file,
                    format!(
                        "is neither UTF-8 (invalid byte at offset {}) nor GB18030/GBK text; save it as UTF-8 CSV",
                        e.valid_up_to()
                    ),
                );
                return None;
            }
            pkg.notice(format!(
                "{file}: not UTF-8; decoded as GB18030 (GBK), as Excel in China saves CSV"
            ));
            Some(text)
        }
    }
}

/// Reads one CSV table from `bytes` into table `table` of the package.
pub(crate) fn read_table(bytes: &[u8], table: &str, file: &str, pkg: &mut PackageBuilder) {
    let Some(text) = decode(bytes, file, pkg) else {
        return;
    };
    if text.trim().is_empty() {
        pkg.file_problem(
            file,
            format!("the file is empty; expected a header row with the columns of {table}"),
        );
        return;
    }
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if !first_line.contains(',') && first_line.contains(';') {
        pkg.notice(format!("{file}: read as ;-separated"));
        b';'
    } else if !first_line.contains(',') && first_line.contains('\t') {
        pkg.notice(format!("{file}: read as tab-separated"));
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(e) => {
            pkg.file_problem(file, format!("cannot read the header row: {e}"));
            return;
        }
    };
    let Some(mut builder) = pkg.table(table, file, &header) else {
        return;
    };
    // About one row a line (not for CR-only line ends, which only lose the hint).
    builder.reserve(text.bytes().filter(|&b| b == b'\n').count());
    let mut record = csv::StringRecord::new();
    let mut index = 0usize;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // The csv crate only fails on I/O or UTF-8, both excluded here,
                // but stay safe: name the place and stop reading this file.
                let line = e.position().map_or(index + 2, |p| p.record() as usize + 1);
                builder.problem_at(line, format!("cannot read the row: {e}"));
                break;
            }
        }
        index += 1;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cells: Vec<&str> = record.iter().collect();
        builder.push_row(index + 1, &cells);
    }
}
