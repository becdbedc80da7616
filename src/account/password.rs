//! Committee passwords: argon2id with OWASP's parameters (S11): m = 19 MiB,
//! t = 2, p = 1. Tokens use HMAC instead (S3): they are high-entropy.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};

use crate::error::{Error, Result};

/// Shortest password accepted: long passphrases beat complex short ones.
pub const MIN_LENGTH: usize = 12;

fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks the policy and hashes; the result is a PHC string.
pub fn hash_password(password: &SecretString) -> Result<String> {
    let pw = password.expose_secret();
    if pw.chars().count() < MIN_LENGTH {
        return Err(Error::Invalid(format!(
            "password: must be at least {MIN_LENGTH} characters"
        )));
    }
    let mut salt = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut salt)
        .map_err(|_| Error::Internal("random generator failed".into()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| Error::Internal(e.to_string()))?;
    argon2()
        .hash_password(pw.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("hashing password: {e}")))
}

/// True when `password` matches the stored PHC hash.
pub fn verify_password(password: &SecretString, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    argon2()
        .verify_password(password.expose_secret().as_bytes(), &parsed)
        .is_ok()
}

/// A hash of a random password, verified against when the email is unknown
/// so that a failed login takes as long whether or not the account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        hash_password(&SecretString::from("decoy password never used".to_string()))
            .expect("hash decoy")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_owasp_argon2id_and_verifies() {
        let pw = SecretString::from("correct horse battery".to_string());
        let phc = hash_password(&pw).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password(&pw, &phc));
        let wrong = SecretString::from("correct horse battery!".to_string());
        assert!(!verify_password(&wrong, &phc));
    }

    #[test]
    fn short_passwords_are_refused() {
        let err = hash_password(&SecretString::from("short".to_string())).unwrap_err();
        assert!(err.to_string().contains("password"));
    }
}
