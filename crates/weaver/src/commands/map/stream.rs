//! The clusters table written as CSV without holding it in memory, on
//! every core: the same bytes as [`Table::write_csv`](crate::output::Table::write_csv).

use std::path::Path;

use anyhow::Context;
use weaver_mapping::panel::Panel;

use super::clusters::ClustersResult;

/// Region and cluster codes as CSV fields (quoted where needed) and years as
/// text, made once for all rows.
pub(super) struct CsvNames {
    pub(super) regions: Vec<Vec<u8>>,
    pub(super) clusters: Vec<Vec<u8>>,
    pub(super) years: Vec<Vec<u8>>,
}

impl CsvNames {
    fn new(panel: &Panel) -> CsvNames {
        CsvNames {
            regions: panel.regions.iter().map(|r| csv_field(r)).collect(),
            clusters: panel.clusters.iter().map(|c| csv_field(c)).collect(),
            years: panel
                .years
                .iter()
                .map(|y| y.to_string().into_bytes())
                .collect(),
        }
    }
}

/// `text` as the `csv` writer writes it inside a record (quoted only when it
/// holds a comma, a quote or a line break).
fn csv_field(text: &str) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    // A second field keeps an empty text unquoted, as inside a longer record.
    let mut out = match w.write_record([text, ""]) {
        Ok(()) => w.into_inner().unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    out.truncate(out.len().saturating_sub(2)); // the ",\n" after the field
    out
}

/// Writes the clusters table as CSV (docs/methods.md's conventions, the same
/// bytes as [`Table::write_csv`]) without holding it in memory: rows are
/// formatted in blocks, each block cut into one piece per thread, and the
/// pieces written in order while the next block is formatted.
pub(super) fn write_clusters_csv(
    out: Option<&Path>,
    result: &ClustersResult,
    panel: &Panel,
    threads: usize,
) -> anyhow::Result<()> {
    let (mut sink, name): (Box<dyn std::io::Write>, String) = match out {
        Some(p) => (
            Box::new(
                std::fs::File::create(p)
                    .with_context(|| format!("cannot create {}", p.display()))?,
            ),
            p.display().to_string(),
        ),
        None => (
            Box::new(std::io::stdout().lock()),
            "standard output".to_owned(),
        ),
    };
    write_clusters(&mut sink, &name, result, panel, threads, 1 << 16)
}

/// [`write_clusters_csv`] into `sink` (named `name` in errors), `piece` rows
/// per thread at a time.
fn write_clusters(
    sink: &mut dyn std::io::Write,
    name: &str,
    result: &ClustersResult,
    panel: &Panel,
    threads: usize,
    piece: usize,
) -> anyhow::Result<()> {
    let names = CsvNames::new(panel);
    let mut header = result.columns().join(",");
    header.push('\n');
    let write_err = |e: std::io::Error| anyhow::anyhow!("cannot write {name}: {e}");
    sink.write_all(header.as_bytes()).map_err(write_err)?;
    let n = panel.cells.len();
    let (threads, piece) = (threads.max(1), piece.max(1));
    let format = |range: std::ops::Range<usize>, mut buf: Vec<u8>| {
        buf.clear();
        for i in range {
            result.write_row(panel, &names, i, &mut buf);
        }
        buf
    };
    if threads == 1 || n <= piece {
        let mut buf = Vec::new();
        for start in (0..n).step_by(piece) {
            buf = format(start..(start + piece).min(n), buf);
            sink.write_all(&buf).map_err(write_err)?;
        }
    } else {
        // Formatted pieces waiting to be written, and spare buffers.
        let mut ready: Vec<Vec<u8>> = Vec::new();
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let mut start = 0;
        while start < n || !ready.is_empty() {
            let ranges: Vec<std::ops::Range<usize>> = (0..threads)
                .map(|t| {
                    let a = (start + t * piece).min(n);
                    a..(a + piece).min(n)
                })
                .filter(|r| !r.is_empty())
                .collect();
            start = (start + threads * piece).min(n);
            let bufs: Vec<Vec<u8>> = ranges
                .iter()
                .map(|_| spare.pop().unwrap_or_default())
                .collect();
            let written = std::thread::scope(|s| -> anyhow::Result<Vec<Vec<u8>>> {
                let handles: Vec<_> = ranges
                    .into_iter()
                    .zip(bufs)
                    .map(|(r, b)| s.spawn(|| format(r, b)))
                    .collect();
                for b in &ready {
                    sink.write_all(b).map_err(write_err)?;
                }
                handles
                    .into_iter()
                    .map(|h| {
                        h.join()
                            .map_err(|_| anyhow::anyhow!("a formatting thread failed"))
                    })
                    .collect()
            })?;
            spare.append(&mut ready);
            ready = written;
        }
    }
    sink.flush().map_err(write_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::args::ClassificationMethod;
    use super::super::clusters::classify;
    use super::*;

    #[test]
    fn streamed_csv_is_the_table_writers_text() {
        let text = "region,industry,year,employment,establishments\n\
            \"North, East\",A,2020,10,2\n\
            \"Say \"\"hi\"\"\",A,2020,30,\n\
            \"North, East\",\"B,2\",2020,0.1,1\n\
            South,\"B,2\",2020,0,0\n\
            South,A,2020,3.25,1\n\
            West,A,2020,1e20,7\n\
            West,\"B,2\",2020,0,\n\
            \"North, East\",A,2021,11,2\n\
            South,A,2021,0,0\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, text).unwrap();
        let (rows, _) = super::super::input::read_activity_rows(&path).unwrap();
        let cols = weaver_mapping::input::ActivityColumns::from_rows(&rows);
        let panel = Panel::build_columns(&cols, None, None).unwrap();
        for method in [
            ClassificationMethod::Cmp,
            ClassificationMethod::Eco,
            ClassificationMethod::Quadrant,
        ] {
            for pct in [false, true] {
                let mut r = classify(&panel, method).unwrap();
                if pct {
                    r.add_percentiles(&panel).unwrap();
                }
                let mut want = Vec::new();
                r.table(&panel).write_csv(&mut want).unwrap();
                for (threads, piece) in [(1, 1 << 16), (2, 1), (3, 2), (4, 100)] {
                    let mut got = Vec::new();
                    write_clusters(&mut got, "test", &r, &panel, threads, piece).unwrap();
                    assert_eq!(
                        String::from_utf8(got).unwrap(),
                        String::from_utf8(want.clone()).unwrap(),
                        "{method:?}, percentiles {pct}, {threads} threads"
                    );
                }
            }
        }
    }
}
