//! Decoding CSV bytes (UTF-8 with or without BOM, UTF-16 with BOM, GB18030)
//! and feeding their rows to a table builder.

use std::borrow::Cow;

use rayon::prelude::*;
use weaver_core::PackageBuilder;
use weaver_core::package::{CheckedRow, TableBuilder};

/// Files from this size are read on every core, cut into parts at record
/// ends ([`record_cuts`]); below, starting the threads costs more than it
/// saves.
const PARALLEL_BYTES: usize = 4 << 20;

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
    read_table_from(bytes, table, file, pkg, PARALLEL_BYTES);
}

/// [`read_table`], on every core from `parallel_bytes` of text.
fn read_table_from(
    bytes: &[u8],
    table: &str,
    file: &str,
    pkg: &mut PackageBuilder,
    parallel_bytes: usize,
) {
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
    if text.len() >= parallel_bytes && rayon::current_num_threads() > 1 {
        let cuts = record_cuts(&text, delimiter, rayon::current_num_threads() * 4);
        if cuts.len() > 2 {
            read_rows_parallel(&text, &cuts, delimiter, &mut builder);
            return;
        }
    }
    let (read, error) = each_record(&mut reader, |n, cells| builder.push_row(n + 1, cells));
    if let Some(e) = error {
        // The csv crate only fails on I/O or UTF-8, both excluded here, but
        // stay safe: name the place (reading stopped there).
        let line = e.position().map_or(read + 2, |p| p.record() as usize + 1);
        builder.problem_at(line, format!("cannot read the row: {e}"));
    }
}

/// Calls `each(n, cells)` for every record `reader` reads that is not
/// blank, `n` counting every record read (from 1). Returns how many were
/// read, and the error of a record that could not be read (reading stops
/// there).
fn each_record<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    mut each: impl FnMut(usize, &[&str]),
) -> (usize, Option<csv::Error>) {
    let mut record = csv::StringRecord::new();
    let mut read = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return (read, None),
            Err(e) => return (read, Some(e)),
        }
        read += 1;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cells: Vec<&str> = record.iter().collect();
        each(read, &cells);
    }
}

/// Where to cut `text` into about `pieces` parts of whole records: the end
/// of the header record, record starts after it, and the text's end; empty
/// when a quote-free text's header ends at no `\n` (a lone CR: left to one
/// reader).
///
/// Text without a quote character can be cut after any `\n` (no line end is
/// inside a quoted cell), found by a byte search; other text is run through
/// the CSV parser itself (`csv_core`, as the `csv` reader does, without
/// keeping the cells), so a cut is never inside a quoted cell.
fn record_cuts(text: &str, delimiter: u8, pieces: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let target = |k: usize| bytes.len() * k / pieces;
    let mut cuts = Vec::with_capacity(pieces + 1);
    if !bytes.contains(&b'"') {
        let Some(end) = text.find('\n') else {
            return cuts;
        };
        if text[..end].trim_end_matches('\r').contains('\r') {
            // A lone CR ends the header: leave such a file to one reader.
            return cuts;
        }
        cuts.push(end + 1);
        for k in 1..pieces {
            // Bytes, not text: `at` may fall inside a character; a `\n`
            // byte never does.
            let at = target(k).max(*cuts.last().unwrap_or(&0));
            match bytes[at..].iter().position(|&b| b == b'\n') {
                Some(n) if at + n + 1 < bytes.len() => cuts.push(at + n + 1),
                _ => break,
            }
        }
    } else {
        let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        // The cells are not kept: these buffers are only written over.
        let (mut cells, mut ends) = (vec![0u8; 1 << 16], vec![0usize; 1 << 10]);
        let mut at = 0;
        loop {
            let (result, read, _, _) = reader.read_record(&bytes[at..], &mut cells, &mut ends);
            at += read;
            match result {
                csv_core::ReadRecordResult::Record
                    if cuts.is_empty() || at >= target(cuts.len()) && at < bytes.len() =>
                {
                    cuts.push(at);
                }
                csv_core::ReadRecordResult::End => break,
                _ => {}
            }
        }
    }
    cuts.push(bytes.len());
    cuts.dedup();
    cuts
}

/// What one part of a file gave: its rows checked, how many records it
/// held, and a record that could not be read (its line within the part).
struct Part {
    rows: Vec<CheckedRow>,
    records: usize,
    error: Option<(usize, String)>,
}

/// Reads the rows of `text` between the `cuts` of [`record_cuts`] (the first
/// ends the header) in parts, one thread each, and accepts them into the
/// table in file order, so that rows, row numbers, duplicates and problems
/// come out exactly as a reading from start to end gives them.
fn read_rows_parallel(text: &str, cuts: &[usize], delimiter: u8, builder: &mut TableBuilder<'_>) {
    let checker = builder.checker();
    let parts: Vec<Part> = cuts
        .par_windows(2)
        .map(|w| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(&text.as_bytes()[w[0]..w[1]]);
            let mut rows = Vec::new();
            let (records, error) = each_record(&mut reader, |n, cells| {
                rows.push(checker.check(n + 1, cells))
            });
            Part {
                rows,
                records,
                error: error.map(|e| (records + 2, format!("cannot read the row: {e}"))),
            }
        })
        .collect();
    let mut offset = 0;
    for part in parts {
        for row in part.rows {
            builder.accept(row, offset);
        }
        if let Some((line, message)) = part.error {
            builder.problem_at(offset + line, message);
            break;
        }
        offset += part.records;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `csv` as table `table` of a package, in one piece or in parts on
    /// three threads, and returns what came out: rows with their spreadsheet
    /// rows, and every problem.
    fn read(table: &str, csv: &str, parallel: bool) -> (Vec<String>, Vec<String>) {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let mut pkg = PackageBuilder::new("p").with_problem_limit(1_000);
        let from = if parallel { 0 } else { usize::MAX };
        pool.install(|| read_table_from(csv.as_bytes(), table, "t.csv", &mut pkg, from));
        let problems = pkg.problems.list().iter().map(|p| p.to_string()).collect();
        let tables = match pkg.finish(&|_, _| true) {
            Ok(p) => p.tables,
            Err(_) => Vec::new(),
        };
        let rows = tables
            .iter()
            .flat_map(|t| {
                t.rows
                    .iter()
                    .zip(&t.lines)
                    .map(|(r, l)| format!("{l}: {r:?}"))
            })
            .collect();
        (rows, problems)
    }

    #[test]
    fn a_file_read_in_parts_reads_as_in_one_piece() {
        // Bad cells, duplicates far apart (so in different parts), blank
        // lines, CRLF and LF line ends, a trailing line without its end.
        let mut csv = String::from("source,target,kind,start,weight\r\n");
        for i in 0..3_000 {
            match i % 500 {
                7 => csv.push_str("o1,o2,contract,2020,1\r\n"),
                11 => csv.push('\n'),
                13 => csv.push_str(&format!("o{i},o{i},supply,,\n")),
                17 => csv.push_str(&format!("o{i},x{i},bribe,2020,heavy\n")),
                19 => csv.push_str(&format!("o{i},x{i}\n")),
                _ => csv.push_str(&format!(
                    "o{i},x{i},supply,{},{}\r\n",
                    2000 + i % 20,
                    1 + i % 5
                )),
            }
        }
        csv.push_str("z1,z2,other,2021,1");
        let serial = read("ties", &csv, false);
        let parallel = read("ties", &csv, true);
        assert!(serial.0.is_empty(), "the package has problems: no tables");
        assert_eq!(serial.1.len(), 5 + 6 * 4, "{:#?}", serial.1);
        let duplicate = "t.csv, row 1007, column source: duplicate row: \
                         (source, target, kind, start) is already on row 9";
        assert!(serial.1.iter().any(|p| p == duplicate), "{:#?}", serial.1);
        assert_eq!(serial, parallel);
        // Without the bad rows, every row comes out, in order, with its row
        // number (blank lines are not rows).
        let mut good = String::from("source,target,kind,start,weight\n");
        for i in 0..3_000 {
            if i % 500 == 11 {
                good.push_str("\r\n");
            }
            good.push_str(&format!(
                "o{i},x{i},supply,{},{}\n",
                2000 + i % 20,
                1 + i % 5
            ));
        }
        let serial = read("ties", &good, false);
        assert!(serial.1.is_empty(), "{:#?}", serial.1);
        assert_eq!(serial.0.len(), 3_000);
        assert!(
            serial.0[2_999].starts_with("3001: [Text(\"o2999\")"),
            "{}",
            serial.0[2_999]
        );
        assert_eq!(serial, read("ties", &good, true));
        // Quoted cells (some with line ends or delimiters inside, which are
        // never cut), and a stray quote inside an unquoted cell: read in
        // parts found by the CSV parser, exactly as in one piece.
        let mut quoted = String::from("source,target,kind,start,weight\n");
        for i in 0..3_000 {
            match i % 400 {
                3 => quoted.push_str(&format!("\"o{i}\",\"x\n{i}\",supply,2020,1\n")),
                5 => quoted.push_str(&format!("\"o{i},b\",x{i},\"sup\"\"ply\",2020,1\n")),
                7 => quoted.push_str(&format!("o{i}\"q,x{i},supply,2020,1\n")),
                _ => quoted.push_str(&format!("\"o{i}\",\"x{i}\",supply,{},1\r\n", 2000 + i % 20)),
            }
        }
        let serial = read("ties", &quoted, false);
        assert_eq!(serial.1.len(), 8 * 2, "{:#?}", serial.1);
        assert!(record_cuts(&quoted, b',', 12).len() > 10);
        assert_eq!(serial, read("ties", &quoted, true));
    }

    #[test]
    fn any_text_read_in_parts_reads_as_in_one_piece() {
        use rand::{RngExt, SeedableRng};
        // Cells, quotes, delimiters, line ends of every kind and characters
        // of three bytes, at random.
        let atoms = [
            "o1", "o2", "x", ",", ",", "\"", "\"\"", "\n", "\r\n", "\r", "有", "supply", "2020",
            " ",
        ];
        let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
        for _ in 0..300 {
            // Half the texts without quotes (cut at line ends by a byte search).
            let quotes = rng.random_bool(0.5);
            let mut text = String::from("source,target,kind,start\n");
            for _ in 0..rng.random_range(0..400) {
                let atom = atoms[rng.random_range(0..atoms.len())];
                if quotes || !atom.contains('"') {
                    text.push_str(atom);
                }
            }
            assert_eq!(
                read("ties", &text, false),
                read("ties", &text, true),
                "{text:?}"
            );
        }
    }

    #[test]
    fn files_are_cut_only_where_a_record_ends() {
        let cuts = |text: &str, pieces| record_cuts(text, b',', pieces);
        assert_eq!(cuts("a,b\r\n1,2\n3,4\n", 2), [5, 9, 13]);
        assert_eq!(cuts("a,b\n1,2\n", 1), [4, 8]);
        let none: [usize; 0] = [];
        assert_eq!(
            cuts("a,b\r1,2\n3,4\n", 2),
            none,
            "a lone CR ends the header"
        );
        assert_eq!(cuts("a,b", 2), none);
        // Quoted cells with line ends and delimiters in them are never cut.
        let text = "a,b\n1,\"x\ny\nz\"\n2,\"p,\nq\"\n3,4\n";
        let got = cuts(text, 8);
        assert_eq!(got, [4, 14, 23, 27], "{text:?}");
        for &c in &got {
            assert!(c == text.len() || text[..c].ends_with('\n'), "{c}");
        }
        // Cuts aimed inside a character (three bytes each) land after a line end.
        let names: String = (0..200).map(|i| format!("o{i},有限公司{i}\n")).collect();
        for text in [
            format!("id,name\n{names}"),
            format!("id,name\n{names}\"x\",y\n"),
        ] {
            let got = cuts(&text, 97);
            assert!(got.len() > 50, "{got:?}");
            for &c in &got {
                assert!(text.is_char_boundary(c) && text[..c].ends_with('\n'), "{c}");
            }
        }
    }
}
