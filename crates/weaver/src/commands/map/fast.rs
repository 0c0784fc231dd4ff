//! The activity file parsed on every core: a plain file (UTF-8, no quotes,
//! one record per line) is cut into chunks at line ends, each parsed into
//! interned ids on its own thread, and the chunks joined in file order.
//! Anything unusual is left to the careful reader of `input.rs`.

use weaver_io::csv_table::{PlainParts, line_count, plain_parts};
use weaver_mapping::input::{ActivityColumns, ClusterType, Definition, Interner};

/// Column positions of an activity file.
#[derive(Debug, Clone, Copy)]
struct ActivityLayout {
    fields: usize,
    region: usize,
    industry: usize,
    year: usize,
    employment: usize,
    establishments: Option<usize>,
    wages: Option<usize>,
    kind: Option<usize>,
    cluster_type: Option<usize>,
}

/// What one chunk of an activity file parsed on its own thread found: its
/// texts, with ids local to the chunk (the chunk's rows are written into
/// its part of the shared columns with these local ids).
#[derive(Default)]
struct ActivityChunk<'a> {
    regions: Interner<'a>,
    industries: Interner<'a>,
    kinds: Interner<'a>,
    /// Type of each local industry as first seen.
    types: Vec<Option<ClusterType>>,
}

/// One chunk's part of the output columns (empty slices for absent ones).
struct ChunkColumns<'s> {
    region: &'s mut [u32],
    industry: &'s mut [u32],
    kind: &'s mut [u32],
    year: &'s mut [i32],
    employment: &'s mut [f64],
    establishments: &'s mut [f64],
    wages: &'s mut [f64],
}

/// A number cell of the fast path: NaN for an empty cell (no value),
/// `None` for anything the careful reader should look at.
#[inline]
fn fast_number(t: &str) -> Option<f64> {
    let t = t.trim();
    if t.is_empty() {
        return Some(f64::NAN);
    }
    let b = t.as_bytes();
    if b.len() <= 15 && b.iter().all(u8::is_ascii_digit) {
        // Exact: every integer below 10^15 is a double.
        let v = b.iter().fold(0u64, |v, &d| v * 10 + u64::from(d - b'0'));
        return Some(v as f64);
    }
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Some(v),
        _ => None,
    }
}

/// Parses the lines of one chunk (whole lines, no quotes) into `out`, which
/// has room for exactly its [`line_count`] rows; `None` when a line needs
/// the careful reader (wrong field count, empty required cell, bad number,
/// type conflict, blank line, stray carriage return).
fn parse_activity_chunk<'a>(
    text: &'a str,
    l: &ActivityLayout,
    out: ChunkColumns<'_>,
) -> Option<ActivityChunk<'a>> {
    let mut ch = ActivityChunk::default();
    let mut fields: Vec<&'a str> = vec![""; l.fields];
    let mut last_region: Option<(&'a str, u32)> = None;
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut row = 0;
    while pos < bytes.len() {
        // One pass over the line: its fields and its end. The bytes looked
        // for are ASCII, so every cut falls between characters.
        let mut n = 0;
        let mut start = pos;
        let mut i = pos;
        loop {
            match bytes.get(i) {
                Some(b',') => {
                    *fields.get_mut(n)? = &text[start..i];
                    n += 1;
                    start = i + 1;
                }
                Some(b'\n') | None => break,
                // A carriage return only just before the line end.
                Some(b'\r') if matches!(bytes.get(i + 1), Some(b'\n') | None) => break,
                Some(b'\r') => return None,
                Some(_) => {}
            }
            i += 1;
        }
        *fields.get_mut(n)? = &text[start..i];
        n += 1;
        let line_empty = i == pos;
        pos = match bytes.get(i) {
            Some(b'\r') => i + 2,
            _ => i + 1,
        };
        if line_empty || n != l.fields || row >= out.region.len() {
            return None;
        }
        let text_of = |i: usize| Some(fields[i].trim()).filter(|t| !t.is_empty());
        let region = text_of(l.region)?;
        let industry = text_of(l.industry)?;
        out.year[row] = fields[l.year].trim().parse().ok()?;
        out.employment[row] = fast_number(fields[l.employment])?;
        let rid = match last_region {
            Some((name, id)) if name == region => id,
            _ => ch.regions.id(region),
        };
        last_region = Some((region, rid));
        let iid = ch.industries.id(industry);
        out.region[row] = rid;
        out.industry[row] = iid;
        if let Some(e) = l.establishments {
            out.establishments[row] = fast_number(fields[e])?;
        }
        if let Some(w) = l.wages {
            out.wages[row] = fast_number(fields[w])?;
        }
        if let Some(k) = l.kind {
            out.kind[row] = ch.kinds.id(fields[k].trim());
        }
        if let Some(t) = l.cluster_type {
            let t = fields[t].trim();
            let t = if t.is_empty() {
                None
            } else {
                Some(ClusterType::parse(t)?)
            };
            if iid as usize == ch.types.len() {
                ch.types.push(t);
            } else if ch.types[iid as usize] != t {
                return None;
            }
        }
        row += 1;
    }
    (row == out.region.len()).then_some(ch)
}

/// `v` cut into consecutive parts of the given sizes (the last ones shorter
/// if `v` runs out).
fn split_parts<'s, T>(mut v: &'s mut [T], sizes: &[usize]) -> Vec<&'s mut [T]> {
    sizes
        .iter()
        .map(|&c| {
            let whole = std::mem::take(&mut v);
            let (head, tail) = whole.split_at_mut(c.min(whole.len()));
            v = tail;
            head
        })
        .collect()
}

/// Parses an activity file held in memory on `threads` threads: the body is
/// cut into chunks at line ends, each chunk parsed into ids of its own, and
/// the chunks joined in file order, so ids follow first appearance exactly
/// as in a serial read. Returns `None` for a file the `csv` reader must
/// handle: not UTF-8, any quote, a missing column, or any cell it would
/// reject (the careful reader then reports it with its line).
pub(super) fn fast_activity(
    bytes: &[u8],
    threads: usize,
    min_chunk: usize,
) -> Option<(ActivityColumns, Option<Vec<Definition>>)> {
    // The header, and the body cut after line ends into chunks of at least
    // `min_chunk` bytes (weaver-io's plain-text path).
    let PlainParts {
        header,
        parts: pieces,
    } = plain_parts(bytes, threads, min_chunk)?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let layout = ActivityLayout {
        fields: header.len(),
        region: col("region")?,
        industry: col("industry")?,
        year: col("year")?,
        employment: col("employment")?,
        establishments: col("establishments"),
        wages: col("wages"),
        kind: col("kind"),
        cluster_type: col("type"),
    };
    // The columns, allocated once at their full length; each chunk fills
    // its own part (no copies of millions of rows).
    let counts: Vec<usize> = pieces.iter().map(|p| line_count(p)).collect();
    let n: usize = counts.iter().sum();
    let len = |present: bool| if present { n } else { 0 };
    let mut out = ActivityColumns {
        region: vec![0; n],
        industry: vec![0; n],
        kind: vec![0; len(layout.kind.is_some())],
        year: vec![0; n],
        employment: vec![f64::NAN; n],
        establishments: vec![f64::NAN; len(layout.establishments.is_some())],
        wages: vec![f64::NAN; len(layout.wages.is_some())],
        ..Default::default()
    };
    let none = vec![0; counts.len()];
    let sizes = |present: bool| if present { &counts[..] } else { &none[..] };
    let mut region = split_parts(&mut out.region, &counts).into_iter();
    let mut industry = split_parts(&mut out.industry, &counts).into_iter();
    let mut kind = split_parts(&mut out.kind, sizes(layout.kind.is_some())).into_iter();
    let mut year = split_parts(&mut out.year, &counts).into_iter();
    let mut employment = split_parts(&mut out.employment, &counts).into_iter();
    let mut establishments = split_parts(
        &mut out.establishments,
        sizes(layout.establishments.is_some()),
    )
    .into_iter();
    let mut wages = split_parts(&mut out.wages, sizes(layout.wages.is_some())).into_iter();
    let parts: Vec<ChunkColumns<'_>> = (0..counts.len())
        .map(|_| {
            Some(ChunkColumns {
                region: region.next()?,
                industry: industry.next()?,
                kind: kind.next()?,
                year: year.next()?,
                employment: employment.next()?,
                establishments: establishments.next()?,
                wages: wages.next()?,
            })
        })
        .collect::<Option<_>>()?;
    let chunks: Vec<Option<ActivityChunk<'_>>> = if pieces.len() == 1 {
        parts
            .into_iter()
            .map(|part| parse_activity_chunk(pieces[0], &layout, part))
            .collect()
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = pieces
                .iter()
                .zip(parts)
                .map(|(&p, part)| s.spawn(move || parse_activity_chunk(p, &layout, part)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        })
    };
    let chunks: Vec<ActivityChunk<'_>> = chunks.into_iter().collect::<Option<_>>()?;
    // Join in file order: local ids to global ones.
    let (mut regions, mut industries, mut kinds) = (
        Interner::default(),
        Interner::default(),
        Interner::default(),
    );
    let mut types: Vec<Option<ClusterType>> = Vec::new();
    let mut start = 0;
    for (ch, &count) in chunks.iter().zip(&counts) {
        fn map<'a>(local: &Interner<'a>, global: &mut Interner<'a>) -> Vec<u32> {
            local.names().iter().map(|name| global.id(name)).collect()
        }
        let (rmap, imap, kmap) = (
            map(&ch.regions, &mut regions),
            map(&ch.industries, &mut industries),
            map(&ch.kinds, &mut kinds),
        );
        if layout.cluster_type.is_some() {
            for (local, &global) in imap.iter().enumerate() {
                let t = ch.types[local];
                if global as usize == types.len() {
                    types.push(t);
                } else if types[global as usize] != t {
                    return None;
                }
            }
        }
        let rows = start..start + count;
        start += count;
        for r in &mut out.region[rows.clone()] {
            *r = rmap[*r as usize];
        }
        for i in &mut out.industry[rows.clone()] {
            *i = imap[*i as usize];
        }
        if layout.kind.is_some() {
            for k in &mut out.kind[rows] {
                *k = kmap[*k as usize];
            }
        }
    }
    let own =
        |i: &Interner<'_>| -> Vec<String> { i.names().iter().map(|s| (*s).to_owned()).collect() };
    out.regions = own(&regions);
    out.industries = own(&industries);
    out.kinds = own(&kinds);
    let definitions = layout.cluster_type.map(|_| {
        out.industries
            .iter()
            .zip(types)
            .map(|(i, t)| Definition {
                industry: i.clone(),
                cluster: i.clone(),
                cluster_type: t,
            })
            .collect()
    });
    Some((out, definitions))
}

#[cfg(test)]
mod tests {
    use super::*;
    use weaver_mapping::input::ActivityColumns;

    const ACTIVITY: &str = "\u{feff}Region, industry ,year,employment,establishments,kind,type\r\n\
        R1,A,2020,10,2,state,traded\r\n\
        R1,B,2020,30, ,state,\r\n\
        R2, A ,2020,12.5,1,,traded\r\n\
        R2,C,2020,1e3,4,,local\r\n\
        R3,A,2021,0,0,county,traded\r\n\
        R3,C,2021,,,county,local\r\n\
        R1,C,2021,7,3,state,local\r\n\
        R4,B,2021,5,1,,";

    fn careful(text: &str) -> (ActivityColumns, Option<Vec<Definition>>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.csv");
        std::fs::write(&path, text).unwrap();
        let (rows, defs) = super::super::input::read_activity_rows(&path).unwrap();
        (ActivityColumns::from_rows(&rows), defs)
    }

    #[test]
    fn fast_reader_reads_what_the_csv_reader_reads() {
        let (want_rows, want_defs) = careful(ACTIVITY);
        for threads in [1, 2, 3, 8] {
            let (got, defs) = fast_activity(ACTIVITY.as_bytes(), threads, 16).unwrap();
            // Same rows and tables; the kind table may hold "" for rows
            // without a kind where the careful reader has `None`.
            assert_eq!(got.to_rows(), want_rows.to_rows(), "{threads} threads");
            assert_eq!(got.regions, want_rows.regions);
            assert_eq!(got.industries, want_rows.industries);
            assert_eq!(defs, want_defs);
        }
        // Without a final line end, and with \n only.
        let plain = ACTIVITY.replace("\r\n", "\n");
        let (got, _) = fast_activity(plain.as_bytes(), 2, 16).unwrap();
        assert_eq!(got.to_rows(), want_rows.to_rows());
    }

    #[test]
    fn fast_reader_leaves_anything_unusual_to_the_csv_reader() {
        let header = "region,industry,year,employment,type\n";
        for body in [
            "R1,\"A\",2020,1,\n",                         // quotes
            "R1,A,2020,1,\n\nR2,A,2020,1,\n",             // blank line
            "R1,A,2020,1\n",                              // too few fields
            "R1,A,2020,-1,\n",                            // negative
            "R1,A,20x0,1,\n",                             // bad year
            "R1,,2020,1,\n",                              // empty industry
            "R1,A,2020,1,traded\r\rR2,A,2020,1,traded\n", // stray \r
            "R1,A,2020,1,bulk\n",                         // bad type
        ] {
            let text = format!("{header}{body}");
            assert!(fast_activity(text.as_bytes(), 2, 8).is_none(), "{body:?}");
        }
        // A type conflict between two chunks is found when they are joined.
        let text = format!("{header}R1,A,2020,1,traded\nR2,B,2020,1,\nR3,A,2020,1,local\n");
        assert!(fast_activity(text.as_bytes(), 1, 8).is_none());
        assert!(fast_activity(text.as_bytes(), 3, 8).is_none());
        // A missing column goes to the careful reader, which names it.
        assert!(fast_activity(b"region,industry,year\nR1,A,2020\n", 1, 8).is_none());
    }
}
