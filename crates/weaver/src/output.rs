//! Tables that the engine commands print, following docs/methods.md (Conventions):
//! CSV with a header (UTF-8, comma separated) or, with `--json`, a JSON array of
//! objects; floats in shortest round-trip form, an undefined value as an empty
//! cell (JSON `null`), booleans as `true`/`false`.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// One cell of an output table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, printed as given (ids exactly as in the input).
    Str(String),
    /// An integer.
    Int(i64),
    /// A float; NaN prints as an empty cell (`null` in JSON).
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// No value: an empty cell (`null` in JSON).
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Str(s.to_owned())
    }
}
impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Str(s)
    }
}
impl From<f64> for Cell {
    fn from(x: f64) -> Self {
        Cell::Float(x)
    }
}
impl From<i64> for Cell {
    fn from(x: i64) -> Self {
        Cell::Int(x)
    }
}
impl From<usize> for Cell {
    fn from(x: usize) -> Self {
        Cell::Int(i64::try_from(x).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Cell {
    fn from(b: bool) -> Self {
        Cell::Bool(b)
    }
}
impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

/// Formats a float in shortest round-trip form; NaN is the empty string
/// ([`push_f64`], the one float formatter of the tables).
///
/// ```
/// assert_eq!(weaver::output::format_f64(0.1), "0.1");
/// assert_eq!(weaver::output::format_f64(2.0), "2");
/// assert_eq!(weaver::output::format_f64(f64::NAN), "");
/// ```
pub fn format_f64(x: f64) -> String {
    let mut out = Vec::with_capacity(24);
    push_f64(&mut out, x);
    // push_f64 writes ASCII only.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `x` as the tables print a float: the shortest digits that read
/// back as `x`, as Rust's `Display` writes them (plain decimal notation,
/// whole numbers without a fraction), `0` for ±0, `inf`/`-inf`, and
/// nothing for NaN (an empty cell); without allocating, so that streamed
/// tables (`map clusters`) print millions of cells fast.
#[inline]
pub fn push_f64(out: &mut Vec<u8>, x: f64) {
    if x.is_nan() {
    } else if x.is_infinite() {
        out.extend_from_slice(if x > 0.0 { b"inf" } else { b"-inf" });
    } else if x == 0.0 {
        out.push(b'0');
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        // Display prints a whole double below 10^15 as its integer.
        push_int(out, x as i64);
    } else if may_tie(x) {
        use std::io::Write as _;
        let _ = write!(out, "{x}");
    } else {
        push_shortest(out, x);
    }
}

/// Whether `x` might lie exactly halfway between its two nearest shortest
/// decimals, where `Display` rounds the tie up and `zmij` to even (e.g.
/// 2171119003000000.25 → `…000.3` and `…000.2`).
///
/// A tie needs x's exact decimal expansion to be one digit longer than the
/// shortest digits, so at most 18 significant digits. x = m·2⁻ᵍ with m odd has
/// at least 1 + q of them when x ≥ 1, and those of m·5^q (more than 0.69·q)
/// when x < 1; so a tie needs q ≤ 25 fractional bits, i.e. x·2²⁶ whole, or x a
/// whole number too large for that test. Such values (short dyadic
/// fractions, huge whole numbers) go to `Display`; the check costs a multiply.
#[inline]
fn may_tie(x: f64) -> bool {
    x.abs() >= 9_007_199_254_740_992.0 || (x * 67_108_864.0).fract() == 0.0
}

/// Appends a finite, nonzero `x` as `Display` writes it: the shortest digits
/// that read back as `x` (the closest such digits), laid out in plain decimal
/// notation with no exponent (`0.0000001`, `1e20` as `100000000000000000000`).
///
/// The digits come from `zmij` (Schubfach, the same shortest-and-closest
/// digits as the standard library's Grisu/Dragon formatter, several times
/// faster); only their layout is redone here, because `zmij` switches to
/// exponent notation for very small and very large values.
#[inline]
fn push_shortest(out: &mut Vec<u8>, x: f64) {
    let mut buf = zmij::Buffer::new();
    let text = buf.format_finite(x).as_bytes();
    let (negative, text) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    // mantissa[e±exp]: the digits and where the decimal point falls.
    let (mantissa, exp) = match text.iter().position(|&b| b == b'e') {
        Some(e) => (&text[..e], parse_exp(&text[e + 1..])),
        None => (text, 0),
    };
    let mut digits = [0u8; 40];
    let mut n = 0;
    // Position of the decimal point counted in digits from the first one.
    let mut point: i32 = mantissa.len() as i32;
    for (i, &b) in mantissa.iter().enumerate() {
        if b == b'.' {
            point = i as i32;
        } else if n < digits.len() {
            digits[n] = b;
            n += 1;
        }
    }
    point += exp;
    // Leading zeros ("0.001") move the point; trailing zeros are dropped.
    let lead = digits[..n].iter().take_while(|&&d| d == b'0').count();
    let digits = &digits[lead..n];
    point -= lead as i32;
    let digits = &digits[..digits.iter().rposition(|&d| d != b'0').map_or(0, |p| p + 1)];
    if negative {
        out.push(b'-');
    }
    let len = digits.len() as i32;
    if point <= 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-point) as usize));
        out.extend_from_slice(digits);
    } else if point < len {
        out.extend_from_slice(&digits[..point as usize]);
        out.push(b'.');
        out.extend_from_slice(&digits[point as usize..]);
    } else {
        out.extend_from_slice(digits);
        out.extend(std::iter::repeat_n(b'0', (point - len) as usize));
    }
}

/// The exponent after `e` in `zmij`'s output (`+20`, `-07`, `5`).
#[inline]
fn parse_exp(t: &[u8]) -> i32 {
    let (sign, t) = match t.split_first() {
        Some((b'-', rest)) => (-1, rest),
        Some((b'+', rest)) => (1, rest),
        _ => (1, t),
    };
    sign * t
        .iter()
        .fold(0i32, |v, &d| v * 10 + i32::from(d.wrapping_sub(b'0')))
}

/// Appends the decimal digits of `v`.
#[inline]
pub fn push_int(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    let mut u = v.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[k..]);
}

impl Cell {
    fn to_csv(&self) -> String {
        match self {
            Cell::Str(s) => s.clone(),
            Cell::Int(i) => i.to_string(),
            Cell::Float(x) => format_f64(*x),
            Cell::Bool(b) => b.to_string(),
            Cell::Empty => String::new(),
        }
    }

    fn to_json(&self) -> serde_json::Value {
        match self {
            Cell::Str(s) => serde_json::Value::String(s.clone()),
            Cell::Int(i) => serde_json::Value::from(*i),
            Cell::Float(x) => serde_json::Number::from_f64(*x)
                .map_or(serde_json::Value::Null, serde_json::Value::Number),
            Cell::Bool(b) => serde_json::Value::Bool(*b),
            Cell::Empty => serde_json::Value::Null,
        }
    }
}

/// A table of results: a header and rows of cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// An empty table with these columns.
    pub fn new<S: AsRef<str>>(columns: &[S]) -> Self {
        Table {
            columns: columns.iter().map(|c| c.as_ref().to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends one row.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len());
        self.rows.push(row);
    }

    /// Writes the table as CSV.
    pub fn write_csv<W: Write>(&self, out: W) -> anyhow::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.columns)?;
        for row in &self.rows {
            w.write_record(row.iter().map(Cell::to_csv))?;
        }
        w.flush()?;
        Ok(())
    }

    /// The table as a JSON array of objects, one per row.
    pub fn to_json(&self) -> serde_json::Value {
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let obj = self
                    .columns
                    .iter()
                    .zip(row)
                    .map(|(c, v)| (c.clone(), v.to_json()))
                    .collect::<serde_json::Map<_, _>>();
                serde_json::Value::Object(obj)
            })
            .collect();
        serde_json::Value::Array(rows)
    }

    /// Writes the table to `out` (a file) or to standard output; as JSON when
    /// `json` is set, as CSV otherwise.
    pub fn emit(&self, out: Option<&Path>, json: bool) -> anyhow::Result<()> {
        let write = |w: &mut dyn Write| -> anyhow::Result<()> {
            if json {
                serde_json::to_writer_pretty(&mut *w, &self.to_json())?;
                writeln!(w)?;
                Ok(())
            } else {
                self.write_csv(w)
            }
        };
        match out {
            Some(path) => {
                let file = std::fs::File::create(path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                let mut buf = std::io::BufWriter::new(file);
                write(&mut buf)?;
                buf.flush()?;
                Ok(())
            }
            None => {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                write(&mut lock)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_follows_the_conventions() {
        let mut t = Table::new(&["node", "x", "flag", "n"]);
        t.push(vec!["a".into(), 0.5.into(), true.into(), 3_i64.into()]);
        t.push(vec![
            "b,c".into(),
            f64::NAN.into(),
            false.into(),
            Cell::Empty,
        ]);
        let mut buf = Vec::new();
        t.write_csv(&mut buf).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "node,x,flag,n\na,0.5,true,3\n\"b,c\",,false,\n"
        );
        let json = t.to_json();
        assert_eq!(json[1]["x"], serde_json::Value::Null);
        assert_eq!(json[0]["x"], serde_json::json!(0.5));
    }

    /// The tables' float convention written with `Display`.
    fn display(x: f64) -> String {
        if x.is_nan() {
            String::new()
        } else if x.is_infinite() {
            if x > 0.0 { "inf".into() } else { "-inf".into() }
        } else if x == 0.0 {
            "0".into()
        } else {
            format!("{x}")
        }
    }

    #[test]
    fn numbers_print_as_display_prints_them() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -3.0,
            12.5,
            1e-7,
            0.1 + 0.2,
            999_999_999_999_999.0,
            // Ties between two shortest decimals (Display rounds them up).
            2_171_119_003_000_000.2,
            1.0 + 2f64.powi(-17),
            0.5 + 2f64.powi(-25),
            f64::MIN_POSITIVE,
            5e-324,
            -1.5e-7,
            f64::MAX,
            1e15,
            1e20,
            -2.5e300,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            let mut out = Vec::new();
            push_f64(&mut out, x);
            assert_eq!(String::from_utf8(out).unwrap(), display(x));
        }
        // Shortest digits of many doubles: LQ-like ratios, values across the
        // whole exponent range and random bit patterns, as Display prints them.
        use rand::{Rng as _, SeedableRng as _};
        let mut rng = rand_pcg::Pcg64::seed_from_u64(0x5eed);
        let mut out = Vec::new();
        for i in 0..300_000u32 {
            let x = match i % 3 {
                0 => {
                    f64::from(rng.next_u32() % 100_000 + 1) / f64::from(rng.next_u32() % 7_919 + 1)
                }
                1 => {
                    (f64::from(rng.next_u32()) / 1e5)
                        * 10f64.powi((rng.next_u32() % 80) as i32 - 40)
                }
                _ => f64::from_bits(rng.next_u64()),
            };
            if !x.is_finite() {
                continue;
            }
            out.clear();
            push_f64(&mut out, x);
            assert_eq!(std::str::from_utf8(&out).unwrap(), display(x), "{x:e}");
        }
        let mut out = Vec::new();
        push_int(&mut out, i64::MIN);
        assert_eq!(String::from_utf8(out).unwrap(), i64::MIN.to_string());
    }
}
