//! The request extractors of `/api/v1`. Each one's rejection is the API's
//! own error ([`ApiError`]), so a handler takes plain values and a malformed
//! path, query string or body never reaches it:
//!
//! - [`Json`], [`Query`], [`Path`]: axum's extractors with the API's error
//!   shape (`invalid_json`, `too_large`, `unsupported_media_type`, or
//!   `invalid` naming the path or the query string);
//! - [`JobNumber`] and [`MethodFile`]: a path and a body whose refusal names
//!   what they are;
//! - [`Allowed`]: a signed-in [`Caller`] whose role passes a [`Rule`] ([`Admin`],
//!   [`Importer`], [`Exporter`], [`Reminder`]), refused with the rule's 403.
//!
//! Extractors run in the order of the handler's arguments: a handler lists
//! them in the order its checks are answered (who, then the path, then the
//! query string, then the body, which comes last).

use std::marker::PhantomData;
use std::ops::Deref;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use weaver_core::enums::Role;
use weaver_store::Principal;

use crate::AppState;
use crate::auth::Caller;
use crate::error::ApiError;

/// A JSON body (refused as the API's error), and a JSON answer.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Json(value))
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// A query string (refused as the API's error).
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

/// The path's parameters (refused as the API's error).
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Path(value))
    }
}

/// The number of a background job, from `/jobs/{id}`.
#[derive(Debug, Clone, Copy)]
pub struct JobNumber(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for JobNumber {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(n) = axum::extract::Path::<i64>::from_request_parts(parts, state)
            .await
            .map_err(|r| {
                ApiError::bad_request(format!("a job is named by its number: {}", r.body_text()))
            })?;
        Ok(JobNumber(n))
    }
}

/// A method file (TOML text) sent as the body.
#[derive(Debug, Clone)]
pub struct MethodFile(pub String);

impl<S: Send + Sync> FromRequest<S> for MethodFile {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let text = String::from_request(req, state).await.map_err(|r| {
            ApiError::new(
                r.status(),
                "invalid",
                format!("the method file: {}", r.body_text()),
            )
        })?;
        Ok(MethodFile(text))
    }
}

/// Who may call an operation, by role: what [`Allowed`] checks.
pub trait Rule {
    /// The message of the 403 for everyone else.
    const REFUSAL: &'static str;
    /// Whether `who` may.
    fn allows(who: &Principal) -> bool;
}

/// A signed-in caller the rule `R` allows (401 without a credential, 403
/// with `R`'s message for a caller it does not allow). Derefs to the
/// [`Caller`].
#[derive(Debug, Clone)]
pub struct Allowed<R> {
    /// The caller.
    pub caller: Caller,
    rule: PhantomData<fn() -> R>,
}

impl<R> Deref for Allowed<R> {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl<R: Rule> FromRequestParts<AppState> for Allowed<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if !R::allows(&caller.principal) {
            return Err(ApiError::forbidden(R::REFUSAL));
        }
        Ok(Allowed {
            caller,
            rule: PhantomData,
        })
    }
}

/// Admins manage accounts.
#[derive(Debug)]
pub enum ManagesAccounts {}

impl Rule for ManagesAccounts {
    const REFUSAL: &'static str = "only an admin may manage accounts";
    fn allows(who: &Principal) -> bool {
        who.is_admin()
    }
}

/// Admins import packages; cluster managers too, holding only their own
/// clusters' rows (checked row by row by the store).
#[derive(Debug)]
pub enum ImportsPackages {}

impl Rule for ImportsPackages {
    const REFUSAL: &'static str = "a package is imported by admins, and by cluster managers \
                                   for their own clusters' rows";
    fn allows(who: &Principal) -> bool {
        matches!(who.role, Role::Admin | Role::Manager)
    }
}

/// Admins and programme officers export the register.
#[derive(Debug)]
pub enum ExportsRegister {}

impl Rule for ExportsRegister {
    const REFUSAL: &'static str = "the whole register is exported by admins and programme \
                                   officers; others list the rows they may see table by table";
    fn allows(who: &Principal) -> bool {
        matches!(who.role, Role::Admin | Role::Officer)
    }
}

/// Admins and programme officers send a campaign's reminders.
#[derive(Debug)]
pub enum SendsReminders {}

impl Rule for SendsReminders {
    const REFUSAL: &'static str = "reminders are sent by programme officers and admins";
    fn allows(who: &Principal) -> bool {
        matches!(who.role, Role::Admin | Role::Officer)
    }
}

/// An admin, managing accounts.
pub type Admin = Allowed<ManagesAccounts>;
/// An admin or a cluster manager, importing a package.
pub type Importer = Allowed<ImportsPackages>;
/// An admin or officer, exporting the register.
pub type Exporter = Allowed<ExportsRegister>;
/// An admin or officer, reminding a campaign's managers.
pub type Reminder = Allowed<SendsReminders>;
