//! Numbers compared with a tolerance.
//!
//! One rule for every suite: `a` and `b` are close when
//! `|a − b| ≤ rel · max(|a|, |b|) + abs`, and two NaNs (a value that is
//! missing on both sides) are close to each other and to nothing else.

use serde_json::Value;

/// Whether `a` and `b` agree: `|a − b| ≤ rel · max(|a|, |b|) + abs`; NaN
/// agrees only with NaN.
pub fn close(a: f64, b: f64, rel: f64, abs: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a == b {
        // Equal infinities too.
        return true;
    }
    (a - b).abs() <= rel * a.abs().max(b.abs()) + abs
}

/// Asserts that `got` and `want` have the same length and agree element by
/// element ([`close`]); the message names `what` and the first index that
/// does not.
///
/// # Panics
/// When the lengths differ or an element does not agree.
#[track_caller]
pub fn assert_all_close(what: &str, got: &[f64], want: &[f64], rel: f64, abs: f64) {
    assert_eq!(got.len(), want.len(), "{what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            close(*g, *w, rel, abs),
            "{what}[{i}]: got {g}, want {w} (rel {rel}, abs {abs})"
        );
    }
}

/// Whether two JSON values agree as numbers to `rel` (and `rel` absolutely
/// near zero, see [`close`]), or are both without a value (`null`).
pub fn close_json(a: &Value, b: &Value, rel: f64) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => close(x, y, rel, rel),
        _ => a.is_null() && b.is_null(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_is_relative_for_large_values_and_absolute_near_zero() {
        assert!(close(1e6, 1e6 + 0.5, 1e-6, 0.0));
        assert!(!close(1e6, 1e6 + 2.0, 1e-6, 0.0));
        assert!(close(0.0, 1e-13, 0.0, 1e-12));
        assert!(!close(0.0, 1e-11, 0.0, 1e-12));
    }

    #[test]
    fn nan_agrees_only_with_nan() {
        assert!(close(f64::NAN, f64::NAN, 0.0, 0.0));
        assert!(!close(f64::NAN, 1.0, 1.0, 1.0));
        assert!(!close(1.0, f64::NAN, 1.0, 1.0));
        assert!(close(f64::INFINITY, f64::INFINITY, 0.0, 0.0));
    }

    #[test]
    fn json_numbers_and_nulls() {
        assert!(close_json(
            &Value::from(1.0),
            &Value::from(1.0 + 1e-12),
            1e-9
        ));
        assert!(!close_json(&Value::from(1.0), &Value::from(1.1), 1e-9));
        assert!(close_json(&Value::Null, &Value::Null, 1e-9));
        assert!(!close_json(&Value::Null, &Value::from(0.0), 1e-9));
    }

    #[test]
    #[should_panic(expected = "v[1]: got 2, want 3")]
    fn assert_all_close_names_the_first_difference() {
        assert_all_close("v", &[1.0, 2.0], &[1.0, 3.0], 1e-9, 0.0);
    }
}
