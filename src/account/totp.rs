//! Optional second factor: RFC 6238 TOTP (6 digits, 30 s, SHA-1 — what
//! phone authenticator apps expect).

use totp_rs::{Algorithm, Secret, TOTP};

use crate::error::{Error, Result};

fn totp(secret_b32: &str, account: &str) -> Result<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_string())
        .to_bytes()
        .map_err(|_| Error::Internal("stored TOTP secret is not base32".into()))?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some("ratify".into()),
        account.to_string(),
    )
    .map_err(|e| Error::Internal(format!("TOTP: {e}")))
}

/// A new random secret, base32, 160 bits.
pub fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 20];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
        .map_err(|_| Error::Internal("random generator failed".into()))?;
    Ok(Secret::Raw(bytes.to_vec()).to_encoded().to_string())
}

/// The `otpauth://` URL an authenticator app scans or imports.
pub fn provisioning_url(secret_b32: &str, account: &str) -> Result<String> {
    Ok(totp(secret_b32, account)?.get_url())
}

/// Length of a time step (RFC 6238 §4.1, X = 30 s).
pub const STEP_SECONDS: u64 = 30;

/// Checks a code at `unix_seconds`, allowing one step of clock skew.
pub fn check(secret_b32: &str, account: &str, code: &str, unix_seconds: u64) -> bool {
    matching_step(secret_b32, account, code, unix_seconds).is_some()
}

/// The time step whose code `code` is (one step of skew either way), or
/// `None`. The caller refuses a step at or before the last one accepted, so
/// a code seen over a shoulder or in a proxy log cannot be used again
/// (RFC 6238 §5.2). Compared in constant time.
pub fn matching_step(
    secret_b32: &str,
    account: &str,
    code: &str,
    unix_seconds: u64,
) -> Option<u64> {
    use subtle::ConstantTimeEq;
    let totp = totp(secret_b32, account).ok()?;
    let code = code.trim().as_bytes();
    let now = unix_seconds / STEP_SECONDS;
    let mut found = None;
    for step in [now.saturating_sub(1), now, now + 1] {
        let expected = totp.generate(step * STEP_SECONDS);
        if bool::from(expected.as_bytes().ct_eq(code)) {
            found = Some(step);
        }
    }
    found
}

/// The code for a given time (the tests make codes with it).
pub fn code_at(secret_b32: &str, account: &str, unix_seconds: u64) -> Result<String> {
    Ok(totp(secret_b32, account)?.generate(unix_seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_verify_only_near_their_time() {
        let secret = new_secret().unwrap();
        let t = 1_733_198_400;
        let code = code_at(&secret, "a@x.org", t).unwrap();
        assert!(check(&secret, "a@x.org", &code, t));
        assert!(check(&secret, "a@x.org", &code, t + 30));
        assert!(!check(&secret, "a@x.org", &code, t + 300));
        let other = new_secret().unwrap();
        assert!(!check(&other, "a@x.org", &code, t));
    }

    #[test]
    fn the_matching_step_is_the_codes_own() {
        let secret = new_secret().unwrap();
        let t = 1_733_198_400;
        let code = code_at(&secret, "a@x.org", t).unwrap();
        let step = t / STEP_SECONDS;
        assert_eq!(matching_step(&secret, "a@x.org", &code, t), Some(step));
        assert_eq!(matching_step(&secret, "a@x.org", &code, t + 30), Some(step));
        assert_eq!(matching_step(&secret, "a@x.org", &code, t - 30), Some(step));
        assert_eq!(matching_step(&secret, "a@x.org", "12345", t), None);
    }
}
