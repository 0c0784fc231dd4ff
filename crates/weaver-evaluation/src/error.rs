//! The error type of the evaluation engine.

/// Everything that can go wrong in the evaluation engine. Each variant names
/// the thing at fault (indicator, unit, period, dimension, method key) so that
/// a person can fix the input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// The method description is not valid TOML or does not have the expected shape.
    #[error("method description: {message}")]
    MethodSyntax {
        /// What the TOML parser or the schema check said, with line and column.
        message: String,
    },
    /// A key of the method description holds a value that is not allowed.
    #[error("method description: `{key}` = {value:?} is not allowed; expected {expected}")]
    MethodValue {
        /// The key, e.g. `method.normalisation`.
        key: String,
        /// The value found.
        value: String,
        /// What is allowed.
        expected: String,
    },
    /// The method needs a parameter that was not given (methods never fall back
    /// to a hidden default).
    #[error("method description: {what} needs `{key}`")]
    MissingParameter {
        /// The method choice that needs it, e.g. `aggregation = "generalised"`.
        what: String,
        /// The missing key, e.g. `method.power`.
        key: String,
    },
    /// An indicator id is not in the indicator list.
    #[error("unknown indicator `{indicator}` ({context})")]
    UnknownIndicator {
        /// The id that was not found.
        indicator: String,
        /// Where it was referenced.
        context: String,
    },
    /// An indicator id appears twice in the indicator list.
    #[error("indicator `{indicator}` is defined twice")]
    DuplicateIndicator {
        /// The repeated id.
        indicator: String,
    },
    /// Two observations share unit, indicator and period.
    #[error("two values for unit `{unit}`, indicator `{indicator}`, period `{period}`")]
    DuplicateObservation {
        /// The unit.
        unit: String,
        /// The indicator.
        indicator: String,
        /// The period.
        period: String,
    },
    /// A value is not finite (NaN or infinite) where a number was expected.
    #[error("value of {what} is not a finite number: {value}")]
    NotFinite {
        /// What the value is (e.g. `unit a, indicator x, period 2024`).
        what: String,
        /// The value.
        value: f64,
    },
    /// The input has nothing to compute on.
    #[error("no data: {what}")]
    Empty {
        /// What is empty.
        what: String,
    },
    /// A period was asked for that has no observations.
    #[error("period `{period}` has no observations")]
    UnknownPeriod {
        /// The period asked for.
        period: String,
    },
    /// Weights are negative, not finite or all zero.
    #[error("weights of {node}: {problem}")]
    BadWeights {
        /// The node (dimension id or `index`).
        node: String,
        /// What is wrong.
        problem: String,
    },
    /// An AHP pairwise matrix is malformed (not square, not positive, not reciprocal).
    #[error("AHP matrix of {node}: {problem}")]
    AhpMatrix {
        /// The node whose matrix it is.
        node: String,
        /// What is wrong.
        problem: String,
    },
    /// The AHP judgements are too inconsistent (CR ≥ 0.1) and `force` was not set.
    #[error(
        "AHP matrix of {node} is inconsistent: CR = {cr:.4} ≥ 0.1 (set `force = true` to accept it)"
    )]
    AhpInconsistent {
        /// The node whose matrix it is.
        node: String,
        /// The consistency ratio found.
        cr: f64,
    },
    /// A method cannot be applied to these values (e.g. geometric mean of a
    /// non-positive value, benefit of the doubt on negative values).
    #[error("{method} cannot be applied: {problem}")]
    NotApplicable {
        /// The method.
        method: String,
        /// Why, with the unit/indicator at fault.
        problem: String,
    },
    /// Too little data for the method (e.g. PCA with fewer than 3 complete units).
    #[error("{method} needs more data: {problem}")]
    TooLittleData {
        /// The method.
        method: String,
        /// What is missing.
        problem: String,
    },
    /// A numerical routine did not converge.
    #[error("{method} did not converge: {problem}")]
    NoConvergence {
        /// The routine.
        method: String,
        /// Details.
        problem: String,
    },
    /// An option is out of its allowed range.
    #[error("option `{option}` = {value} is out of range: {expected}")]
    BadOption {
        /// The option name.
        option: String,
        /// The value given.
        value: String,
        /// What is allowed.
        expected: String,
    },
}
