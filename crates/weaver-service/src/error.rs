//! The service's errors: what the caller asked for is invalid, absent or
//! not theirs to read, the store failed, or an engine refused its input.

use weaver_store::StoreError;

/// Why a question could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The question is malformed (a bad period, an unknown option value, too
    /// much work for one request …): the message names the place and the
    /// problem.
    #[error("{0}")]
    Invalid(String),
    /// There is nothing the caller may read to answer it.
    #[error("{0}")]
    NotFound(String),
    /// The caller may not ask it.
    #[error("{0}")]
    Forbidden(String),
    /// The register could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An engine refused the input it was given from the register (a fault
    /// of the register's data or of this crate, not of the question).
    #[error("{context}: {message}")]
    Engine {
        /// What was being computed.
        context: String,
        /// The engine's message.
        message: String,
    },
}

impl ServiceError {
    /// An [`ServiceError::Engine`] error about `context`.
    pub fn engine(context: impl Into<String>, e: impl std::fmt::Display) -> ServiceError {
        ServiceError::Engine {
            context: context.into(),
            message: e.to_string(),
        }
    }

    /// An [`ServiceError::Invalid`] error.
    pub fn invalid(message: impl Into<String>) -> ServiceError {
        ServiceError::Invalid(message.into())
    }
}

/// The service's result.
pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

impl From<weaver_core::period::PeriodError> for ServiceError {
    /// A bad period is a malformed question, with the one message for it.
    fn from(e: weaver_core::period::PeriodError) -> ServiceError {
        ServiceError::Invalid(e.to_string())
    }
}
