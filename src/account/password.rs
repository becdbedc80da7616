//! Committee passwords: argon2id with OWASP's parameters (S11): m = 19 MiB,
//! t = 2, p = 1. Tokens use HMAC instead (S3): they are high-entropy.
//!
//! The server hashes and verifies through [`Passwords`]: at most a fixed
//! number of argon2 runs at once (about one per core), each in a 19 MiB
//! buffer that is kept and reused. A flood of sign-ins then waits for a
//! permit instead of allocating 19 MiB per request (issue 9 measured
//! 1.9 GB for 400 parallel sign-ins), so peak memory stays flat (S11).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use argon2::password_hash::{Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use tokio::sync::{RwLock, Semaphore};

use crate::error::{Error, Result};
use crate::i18n::Message;

/// Shortest password accepted: long passphrases beat complex short ones.
pub const MIN_LENGTH: usize = 12;
/// Longest password accepted: argon2 hashes any length, but a megabyte
/// "password" is a cheap way to make the server work.
pub const MAX_LENGTH: usize = 1024;

/// OWASP's argon2id parameters (S11).
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
const OUTPUT_LEN: usize = 32;
/// A stored hash asking for more memory than this is refused rather than
/// computed: it did not come from this program.
const MAX_M_COST_KIB: u32 = 256 * 1024;

fn params() -> Params {
    Params::new(M_COST_KIB, T_COST, P_COST, Some(OUTPUT_LEN)).expect("valid argon2 parameters")
}

fn argon2(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks the length policy; the message names the field.
pub fn check_policy(password: &SecretString) -> Result<()> {
    let n = password.expose_secret().chars().count();
    if n < MIN_LENGTH {
        return Err(Error::field(
            "password",
            Message::new("password-too-short").with("n", MIN_LENGTH),
        ));
    }
    if n > MAX_LENGTH {
        return Err(Error::field(
            "password",
            Message::new("password-too-long").with("n", MAX_LENGTH),
        ));
    }
    Ok(())
}

fn random_salt() -> Result<SaltString> {
    let mut salt = [0u8; 16];
    ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut salt)
        .map_err(|_| Error::Internal("random generator failed".into()))?;
    SaltString::encode_b64(&salt).map_err(|e| Error::Internal(e.to_string()))
}

/// Hashes into `memory`; the result is a PHC string
/// (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
fn hash_with(password: &[u8], salt: &SaltString, memory: &mut Vec<Block>) -> Result<String> {
    let params = params();
    fit(memory, params.block_count());
    let mut raw = [0u8; 16];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut raw)
        .map_err(|e| Error::Internal(format!("salt: {e}")))?;
    let mut out = [0u8; OUTPUT_LEN];
    argon2(params)
        .hash_password_into_with_memory(password, salt_bytes, &mut out, &mut memory[..])
        .map_err(|e| Error::Internal(format!("hashing password: {e}")))?;
    let out = Output::new(&out).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(format!(
        "$argon2id$v=19$m={M_COST_KIB},t={T_COST},p={P_COST}${}${out}",
        salt.as_str()
    ))
}

/// True when `password` matches the PHC string `phc`, computed in `memory`.
/// The comparison is constant-time.
fn verify_with(password: &[u8], phc: &str, memory: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(parsed.algorithm) else {
        return false;
    };
    let version = parsed
        .version
        .map_or(Ok(Version::V0x13), Version::try_from)
        .unwrap_or(Version::V0x13);
    let decimal = |name: &str| parsed.params.get_decimal(name);
    let (Some(m), Some(t), Some(p)) = (decimal("m"), decimal("t"), decimal("p")) else {
        return false;
    };
    if m > MAX_M_COST_KIB {
        return false;
    }
    let Ok(params) = Params::new(m, t, p, Some(expected.len())) else {
        return false;
    };
    let mut raw_salt = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut raw_salt) else {
        return false;
    };
    fit(memory, params.block_count());
    let mut out = vec![0u8; expected.len()];
    let computed = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        password,
        salt,
        &mut out,
        &mut memory[..],
    );
    computed.is_ok() && bool::from(out.as_slice().ct_eq(expected.as_bytes()))
}

/// Grows a reused buffer when a stored hash needs more blocks; never shrinks
/// it, so the steady state allocates nothing.
fn fit(memory: &mut Vec<Block>, blocks: usize) {
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
}

/// Checks the policy and hashes, allocating its own memory (the command
/// line, which hashes one password and exits). The server uses
/// [`Passwords::hash`].
pub fn hash_password(password: &SecretString) -> Result<String> {
    check_policy(password)?;
    hash_with(
        password.expose_secret().as_bytes(),
        &random_salt()?,
        &mut Vec::new(),
    )
}

/// True when `password` matches the stored PHC hash (allocating, blocking:
/// sign-in uses the bounded [`Passwords::verify`]; certification, rare and
/// already signed in, checks the password again with this, S11).
pub fn verify_password(password: &SecretString, phc: &str) -> bool {
    verify_with(password.expose_secret().as_bytes(), phc, &mut Vec::new())
}

/// A hash of a random password, verified against when the email is unknown
/// or the sign-in is refused before the password matters (locked), so every
/// refusal costs one argon2 run and takes as long as any other.
pub fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| {
        let mut bytes = [0u8; 32];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes)
            .expect("system random");
        let salt = random_salt().expect("system random");
        hash_with(&bytes, &salt, &mut Vec::new()).expect("hash decoy")
    })
}

/// The server's password hasher: bounded concurrency, reused memory.
pub struct Passwords {
    permits: Semaphore,
    size: usize,
    /// One buffer per permit, taken while a permit is held.
    buffers: Mutex<Vec<Vec<Block>>>,
    /// Held for reading by every run; a test or the load driver holding it
    /// for writing parks runs just before argon2 starts ([`Passwords::hold`]).
    gate: Arc<RwLock<()>>,
    running: AtomicUsize,
    peak: AtomicUsize,
    waiting_at_gate: AtomicUsize,
    runs: AtomicU64,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords")
            .field("permits", &self.size)
            .finish()
    }
}

impl Passwords {
    /// At most `permits` argon2 runs at once; 0 means one per core.
    pub fn new(permits: usize) -> Arc<Passwords> {
        let size = match permits {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        Arc::new(Passwords {
            permits: Semaphore::new(size),
            size,
            buffers: Mutex::new(Vec::with_capacity(size)),
            gate: Arc::new(RwLock::new(())),
            running: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
            waiting_at_gate: AtomicUsize::new(0),
            runs: AtomicU64::new(0),
        })
    }

    /// Verifies `password` against `phc` (the decoy when `phc` is `None`).
    pub async fn verify(self: &Arc<Self>, password: &SecretString, phc: Option<&str>) -> bool {
        let password = password.clone();
        let phc = phc.unwrap_or_else(|| decoy_hash()).to_string();
        self.run(move |memory| verify_with(password.expose_secret().as_bytes(), &phc, memory))
            .await
            .unwrap_or(false)
    }

    /// Checks the policy and hashes a new password.
    pub async fn hash(self: &Arc<Self>, password: &SecretString) -> Result<String> {
        check_policy(password)?;
        let password = password.clone();
        let salt = random_salt()?;
        self.run(move |memory| hash_with(password.expose_secret().as_bytes(), &salt, memory))
            .await?
    }

    /// Runs `work` with a permit and a reused buffer on the blocking pool.
    async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| Error::Internal("password hasher closed".into()))?;
        self.waiting_at_gate.fetch_add(1, Ordering::SeqCst);
        let _open = self.gate.read().await;
        self.waiting_at_gate.fetch_sub(1, Ordering::SeqCst);
        let mut memory = self.take_buffer();
        let this = Arc::clone(self);
        let (value, memory) = actix_web::rt::task::spawn_blocking(move || {
            let now = this.running.fetch_add(1, Ordering::SeqCst) + 1;
            this.peak.fetch_max(now, Ordering::SeqCst);
            this.runs.fetch_add(1, Ordering::SeqCst);
            let value = work(&mut memory);
            this.running.fetch_sub(1, Ordering::SeqCst);
            (value, memory)
        })
        .await
        .map_err(|e| Error::Internal(format!("password task failed: {e}")))?;
        self.put_buffer(memory);
        Ok(value)
    }

    fn take_buffer(&self) -> Vec<Block> {
        self.buffers
            .lock()
            .map(|mut b| b.pop())
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    fn put_buffer(&self, memory: Vec<Block>) {
        if let Ok(mut buffers) = self.buffers.lock() {
            if buffers.len() < self.size {
                buffers.push(memory);
            }
        }
    }

    /// How many argon2 runs may happen at once.
    pub fn permits(&self) -> usize {
        self.size
    }

    /// Argon2 runs so far (hash and verify): every sign-in answer costs
    /// exactly one, whatever the outcome (tests count them).
    pub fn runs(&self) -> u64 {
        self.runs.load(Ordering::SeqCst)
    }

    /// The most argon2 runs seen at the same moment.
    pub fn peak_concurrency(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Runs holding a permit and parked by [`Passwords::hold`].
    pub fn parked(&self) -> usize {
        self.waiting_at_gate.load(Ordering::SeqCst)
    }

    /// Parks every run that gets a permit until the guard is dropped: tests
    /// use it to show that a sign-in waiting for argon2 holds no database
    /// connection.
    pub async fn hold(&self) -> tokio::sync::OwnedRwLockWriteGuard<()> {
        Arc::clone(&self.gate).write_owned().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::PasswordVerifier;

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
    fn hashes_agree_with_the_reference_verifier_both_ways() {
        let pw = "correct horse battery";
        let ours = hash_password(&SecretString::from(pw.to_string())).unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(pw.as_bytes(), &parsed)
            .is_ok());
        // A hash made by the crate's own PasswordHasher (as older ratify
        // versions stored) still verifies.
        use argon2::password_hash::PasswordHasher;
        let salt = random_salt().unwrap();
        let theirs = argon2(Params::new(M_COST_KIB, T_COST, P_COST, None).unwrap())
            .hash_password(pw.as_bytes(), &salt)
            .unwrap()
            .to_string();
        assert!(verify_password(
            &SecretString::from(pw.to_string()),
            &theirs
        ));
        assert!(!verify_password(
            &SecretString::from("nope".to_string()),
            &theirs
        ));
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        let err = hash_password(&SecretString::from("short".to_string())).unwrap_err();
        assert!(err.to_string().contains("password"));
        let err = hash_password(&SecretString::from("x".repeat(MAX_LENGTH + 1))).unwrap_err();
        assert!(err.to_string().contains("at most"));
    }

    #[actix_web::test]
    async fn the_pool_reuses_its_buffers_and_counts_runs() {
        let passwords = Passwords::new(1);
        let pw = SecretString::from("correct horse battery".to_string());
        let phc = passwords.hash(&pw).await.unwrap();
        assert!(passwords.verify(&pw, Some(&phc)).await);
        assert!(!passwords.verify(&pw, None).await);
        assert_eq!(passwords.runs(), 3);
        assert_eq!(passwords.peak_concurrency(), 1);
        assert_eq!(passwords.buffers.lock().unwrap().len(), 1);
    }
}
