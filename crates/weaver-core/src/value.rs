//! A checked cell value and its canonical text form.

use compact_str::CompactString;

/// One checked cell of the register or of a package.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// No value (an empty cell).
    Null,
    /// Text (also dates, periods, enum names and lists, in canonical form),
    /// inline up to 24 bytes.
    Text(CompactString),
    /// A whole number (also years and booleans stored as 0/1 by the store).
    Int(i64),
    /// A finite number.
    Float(f64),
    /// A boolean.
    Bool(bool),
}

// A package of a million rows holds ten million values: keep each to the
// size of its text (24 bytes, the enum's tag in the text's spare byte).
const _: () = assert!(std::mem::size_of::<Value>() == 24);

impl Value {
    /// The canonical text of the value, as export writes it: floats in shortest
    /// round-trip form, booleans `true`/`false`, nothing for `Null`.
    ///
    /// ```
    /// use weaver_core::Value;
    /// assert_eq!(Value::Float(1250000.0).to_text(), "1250000");
    /// assert_eq!(Value::Float(0.1).to_text(), "0.1");
    /// assert_eq!(Value::Bool(true).to_text(), "true");
    /// assert_eq!(Value::Null.to_text(), "");
    /// ```
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(x) => format_float(*x),
            Value::Bool(b) => b.to_string(),
        }
    }

    /// The text, if this is text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(x) => Some(*x),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        }
    }

    /// Whether there is no value.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
}

/// Shortest round-trip form of a finite float, without a `-0`.
pub fn format_float(x: f64) -> String {
    if x == 0.0 {
        "0".to_owned()
    } else {
        format!("{x}")
    }
}
