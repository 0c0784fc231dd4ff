//! Who is calling: cookie sessions (HTTP-only, SameSite=Strict, with a CSRF
//! token for every write), API tokens for scripts, passwords hashed with
//! argon2id, and login throttling kept in the database so that every server
//! process sees it.

use std::sync::OnceLock;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{Method, header};
use sha2::{Digest, Sha256};
use weaver_store::{Principal, Store};

use crate::AppState;
use crate::error::ApiError;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "weaver_session";
/// The header a cookie session's writes must carry.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Failed logins of one account from one client address within
/// [`THROTTLE_WINDOW`] before that address's logins to it are refused.
pub const MAX_FAILURES: i64 = 5;
/// Failed logins from one client address, over every account, within
/// [`THROTTLE_WINDOW`] before its logins are refused.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
/// Failed logins of one account from every address within
/// [`THROTTLE_WINDOW`] before its logins are refused (an attack from many
/// addresses; an attacker at one address reaches it only through
/// [`MAX_FAILURES_PER_ADDRESS`] of others).
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 50;
/// The window of the failed-login limits.
pub const THROTTLE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The failed-login limits, as the store takes them.
pub const LOGIN_LIMITS: weaver_store::LoginLimits = weaver_store::LoginLimits {
    window: THROTTLE_WINDOW,
    per_account_address: MAX_FAILURES,
    per_address: MAX_FAILURES_PER_ADDRESS,
    per_account: MAX_FAILURES_PER_ACCOUNT,
};

/// The client's address, for throttling: the connection's peer, or, when
/// the peer is one of the trusted proxies, the right-most address of
/// `X-Forwarded-For` that is not a trusted proxy (the left-most entries are
/// whatever the client sent, and are never believed). `unknown` when the
/// server was not given the peer (a test calling the router directly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// The client address of a request whose peer is `peer`, trusting
/// `X-Forwarded-For` only from `trusted` proxies.
pub fn client_address(
    peer: Option<std::net::IpAddr>,
    forwarded_for: &[&str],
    trusted: &[std::net::IpAddr],
) -> String {
    let Some(peer) = peer else {
        return "unknown".to_owned();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    // Each proxy appends the address it was reached from: read from the
    // right, past the trusted proxies, to the first address none of ours added.
    let hops = forwarded_for
        .iter()
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        match hop.parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip.to_string(),
            // Not an address: a proxy of ours would not write it; what is
            // left of it is the client's say, and the last proxy is the client.
            Err(_) => break,
        }
    }
    peer.to_string()
}

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(ClientAddress(client_address(
            peer,
            &forwarded,
            &state.config.trusted_proxies,
        )))
    }
}
/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 10;

/// A fresh random secret: 32 bytes from the operating system, as hex.
pub fn new_secret() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::internal("make a secret", e))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The SHA-256 of a secret, as the store keeps it.
pub fn secret_hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Hashes a password with argon2id (the crate's defaults: OWASP's 19 MiB,
/// 2 passes, 1 lane), off the async threads.
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    check_password_rules(&password)?;
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
        let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r)
    .map_err(|e| ApiError::internal("hash the password", e))
}

/// Refuses passwords too short to be safe.
pub fn check_password_rules(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(ApiError::bad_request(format!(
            "a password needs at least {MIN_PASSWORD_LEN} characters"
        )));
    }
    Ok(())
}

/// Whether `password` matches an argon2 hash (off the async threads).
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    // Without a hash, verify against a made-up one anyway, so that an unknown
    // e-mail takes as long as a wrong password.
    static DUMMY: OnceLock<String> = OnceLock::new();
    let known = hash.is_some();
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| {
            DUMMY
                .get_or_init(|| {
                    let salt = SaltString::encode_b64(b"weaver-dummy-salt").expect("fixed salt");
                    Argon2::default()
                        .hash_password(b"no such user", &salt)
                        .map(|h| h.to_string())
                        .unwrap_or_default()
                })
                .clone()
        });
        PasswordHash::new(&hash).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
        && known
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A session cookie; writes must carry this CSRF token.
    Session {
        /// The SHA-256 of the cookie's value.
        token_hash: String,
        /// The session's CSRF token.
        csrf: String,
    },
    /// An API token (no CSRF: a browser never sends it by itself).
    Token,
}

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct Caller {
    /// Who, with the sets their rights come from.
    pub principal: Principal,
    /// How they signed in.
    pub credential: Credential,
}

fn cookie_value<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

async fn identify(parts: &Parts, store: &Store) -> Result<Option<Caller>, ApiError> {
    if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
        let token = auth
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "the Authorization header must be 'Bearer <token>'",
                )
            })?;
        let Some(principal) = store.token_principal(&secret_hash(token)).await? else {
            return Err(ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "this API token is not valid (revoked, or its account is disabled)",
            ));
        };
        return Ok(Some(Caller {
            principal,
            credential: Credential::Token,
        }));
    }
    let Some(cookie) = cookie_value(parts, SESSION_COOKIE) else {
        return Ok(None);
    };
    let token_hash = secret_hash(cookie);
    let Some((principal, csrf)) = store.session_principal(&token_hash).await? else {
        // An expired or unknown cookie: the caller is the public.
        return Ok(None);
    };
    if parts.method != Method::GET && parts.method != Method::HEAD {
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if sent != Some(csrf.as_str()) {
            return Err(ApiError::forbidden(
                "a write with a session cookie must carry the session's CSRF token in the \
                 X-CSRF-Token header (it is returned by login and by GET /api/v1/auth/me)",
            ));
        }
    }
    Ok(Some(Caller {
        principal,
        credential: Credential::Session { token_hash, csrf },
    }))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        identify(parts, &state.store)
            .await?
            .ok_or_else(ApiError::unauthenticated)
    }
}

impl OptionalFromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, ApiError> {
        identify(parts, &state.store).await
    }
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, ttl: Duration, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
        ttl.as_secs(),
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that ends a session.
pub fn clear_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

#[cfg(test)]
mod tests {
    use super::client_address;

    #[test]
    fn the_client_is_the_right_most_address_no_trusted_proxy_added() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        assert_eq!(client_address(None, &["1.2.3.4"], &trusted), "unknown");
        // An untrusted peer: the header is the client's say, ignored.
        assert_eq!(
            client_address(Some(ip("192.0.2.1")), &["1.2.3.4"], &trusted),
            "192.0.2.1"
        );
        assert_eq!(client_address(Some(ip("192.0.2.1")), &[], &[]), "192.0.2.1");
        // Two proxies of ours; the client put a lie in front.
        assert_eq!(
            client_address(
                Some(ip("10.0.0.2")),
                &["6.6.6.6, 203.0.113.5, 10.0.0.1"],
                &trusted
            ),
            "203.0.113.5"
        );
        // Several header lines read as one list.
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &["6.6.6.6", "203.0.113.5"], &trusted),
            "203.0.113.5"
        );
        // No header, or nothing but our proxies, or garbage: the peer.
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &[], &trusted),
            "10.0.0.1"
        );
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &["10.0.0.2"], &trusted),
            "10.0.0.1"
        );
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), &["not-an-ip"], &trusted),
            "10.0.0.1"
        );
    }
}
