//! The server's three secrets (S20): the token HMAC key (S3), the Ed25519
//! checkpoint signing key (S13) and the session cookie key (S11).
//!
//! They come from files named in the configuration (paths can be set by
//! `RATIFY__KEYS__...` environment variables), never from the repository.
//! The embedded default generates missing ones on first start, mode 0600,
//! and reuses them on every later start. A key directory any local user can
//! write to is refused: anyone could replace a key there.
//!
//! The end of this file holds the helpers for every private file ratify
//! writes (keys, the SQLite database, the outbox): directories 0700, files
//! 0600, whatever the process umask.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair};
use secrecy::{ExposeSecret, SecretBox};

use crate::config::KeySettings;
use crate::error::{Error, Result};

pub const TOKEN_HMAC_FILE: &str = "token_hmac.key";
pub const CHECKPOINT_SIGNING_FILE: &str = "checkpoint_ed25519.pk8";
pub const SESSION_FILE: &str = "session.key";

/// The loaded keys. `Debug` prints no key material.
pub struct Keys {
    token_hmac: ring::hmac::Key,
    checkpoint_pkcs8: SecretBox<Vec<u8>>,
    checkpoint_public: [u8; 32],
    session: SecretBox<Vec<u8>>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("checkpoint_public", &hex::encode(self.checkpoint_public))
            .finish_non_exhaustive()
    }
}

impl Keys {
    /// Loads the keys, generating missing ones when the configuration allows.
    pub fn load(settings: &KeySettings) -> Result<Keys> {
        let rng = SystemRandom::new();
        let path = |explicit: &str, default: &str| -> PathBuf {
            if explicit.is_empty() {
                settings.dir.join(default)
            } else {
                PathBuf::from(explicit)
            }
        };
        let gen = settings.generate_missing;

        let hmac_path = path(&settings.token_hmac_file, TOKEN_HMAC_FILE);
        let sign_path = path(&settings.checkpoint_signing_file, CHECKPOINT_SIGNING_FILE);
        let session_path = path(&settings.session_file, SESSION_FILE);
        for key in [&hmac_path, &sign_path, &session_path] {
            refuse_writable_dir(key)?;
        }

        let hmac = load_or_create(&hmac_path, gen, || random_bytes(&rng, 32))?;
        if hmac.len() < 32 {
            return Err(Error::Keys(format!(
                "{}: the token HMAC key must be at least 32 bytes",
                hmac_path.display()
            )));
        }

        let pkcs8 = load_or_create(&sign_path, gen, || {
            Ed25519KeyPair::generate_pkcs8(&rng)
                .map(|doc| doc.as_ref().to_vec())
                .map_err(|_| Error::Keys("could not generate the signing key".into()))
        })?;
        let pair = Ed25519KeyPair::from_pkcs8(&pkcs8).map_err(|e| {
            Error::Keys(format!(
                "{}: not an Ed25519 PKCS#8 key ({e})",
                sign_path.display()
            ))
        })?;
        let mut checkpoint_public = [0u8; 32];
        checkpoint_public.copy_from_slice(pair.public_key().as_ref());

        let session = load_or_create(&session_path, gen, || random_bytes(&rng, 64))?;
        if session.len() < 64 {
            return Err(Error::Keys(format!(
                "{}: the session key must be at least 64 bytes",
                session_path.display()
            )));
        }

        Ok(Keys {
            token_hmac: ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &hmac),
            checkpoint_pkcs8: SecretBox::new(Box::new(pkcs8)),
            checkpoint_public,
            session: SecretBox::new(Box::new(session)),
        })
    }

    /// HMAC-SHA256(server key, token): the only form of a ballot token
    /// that is stored (S3).
    pub fn token_hmac(&self) -> &ring::hmac::Key {
        &self.token_hmac
    }

    /// The checkpoint signing key as PKCS#8 (for `audit::signer`).
    pub(crate) fn checkpoint_pkcs8(&self) -> &[u8] {
        self.checkpoint_pkcs8.expose_secret()
    }

    pub fn checkpoint_public_key(&self) -> [u8; 32] {
        self.checkpoint_public
    }

    /// Key material for signing and encrypting session cookies.
    pub fn session_key(&self) -> &[u8] {
        self.session.expose_secret()
    }
}

fn random_bytes(rng: &SystemRandom, n: usize) -> Result<Vec<u8>> {
    let mut bytes = vec![0u8; n];
    rng.fill(&mut bytes)
        .map_err(|_| Error::Keys("the system random generator failed".into()))?;
    Ok(bytes)
}

/// Reads a key file, refusing one that others can read; or creates it with
/// mode 0600 when allowed.
fn load_or_create(
    path: &Path,
    generate: bool,
    make: impl FnOnce() -> Result<Vec<u8>>,
) -> Result<Vec<u8>> {
    match fs::metadata(path) {
        Ok(meta) => {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(Error::Keys(format!(
                    "{} is readable by others (mode {mode:o}); run chmod 600 on it",
                    path.display()
                )));
            }
            fs::read(path).map_err(|e| Error::io(path, e))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && generate => {
            let bytes = make()?;
            write_secret_file(path, &bytes)?;
            tracing::info!(path = %path.display(), "generated a new key");
            Ok(bytes)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Error::Keys(format!(
            "{} is missing and keys.generate_missing is false",
            path.display()
        ))),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// Refuses a key whose directory every local user may write to: they could
/// replace the key (a session key of their choosing signs in as anyone). A
/// directory the key's group may write to is allowed, loudly.
fn refuse_writable_dir(key: &Path) -> Result<()> {
    let Some(dir) = parent_dir(key) else {
        return Ok(());
    };
    let mode = match fs::metadata(dir) {
        Ok(meta) => meta.permissions().mode() & 0o7777,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    if mode & 0o002 != 0 {
        return Err(Error::Keys(format!(
            "the key directory {} can be written by every local user (mode {mode:o}), who could replace the keys; run chmod 700 on it",
            dir.display()
        )));
    }
    if mode & 0o020 != 0 {
        tracing::warn!(
            dir = %dir.display(),
            mode = format!("{mode:o}"),
            "the key directory can be written by its group, who could replace the keys; run chmod 700 on it"
        );
    }
    Ok(())
}

fn parent_dir(path: &Path) -> Option<&Path> {
    path.parent().filter(|d| !d.as_os_str().is_empty())
}

/// Creates `dir` and any missing parents with mode 0700 (S20; the outbox
/// will hold ballot tokens, S3). A directory that already exists is left
/// as the operator made it, with a warning when others may enter it.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    match fs::metadata(dir) {
        Ok(meta) => {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o007 != 0 {
                tracing::warn!(
                    dir = %dir.display(),
                    mode = format!("{mode:o}"),
                    "a directory holding ratify's private files is open to every local user; run chmod 700 on it"
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| Error::io(dir, e)),
        Err(e) => Err(Error::io(dir, e)),
    }
}

/// Makes an existing file of ratify's own readable by its owner only
/// (the SQLite database and its -wal/-shm files), saying so when it was not.
pub fn restrict_private_file(path: &Path) -> Result<()> {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(path, e)),
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))
            .map_err(|e| Error::io(path, e))?;
        tracing::warn!(
            path = %path.display(),
            was = format!("{mode:o}"),
            "made a private file readable by its owner only (0600)"
        );
    }
    Ok(())
}

/// Creates a new file readable only by its owner; never overwrites one.
pub fn write_secret_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = parent_dir(path) {
        create_private_dir(dir)?;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| Error::io(dir, e))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| Error::io(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(dir: &Path) -> KeySettings {
        KeySettings {
            dir: dir.join("keys"),
            token_hmac_file: String::new(),
            checkpoint_signing_file: String::new(),
            session_file: String::new(),
            generate_missing: true,
        }
    }

    #[test]
    fn generated_with_0600_and_reused() {
        let tmp = tempfile::tempdir().unwrap();
        let s = settings(tmp.path());
        let first = Keys::load(&s).unwrap();
        for name in [TOKEN_HMAC_FILE, CHECKPOINT_SIGNING_FILE, SESSION_FILE] {
            let mode = fs::metadata(s.dir.join(name)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
        let bytes_before = fs::read(s.dir.join(TOKEN_HMAC_FILE)).unwrap();
        let second = Keys::load(&s).unwrap();
        assert_eq!(bytes_before, fs::read(s.dir.join(TOKEN_HMAC_FILE)).unwrap());
        assert_eq!(
            first.checkpoint_public_key(),
            second.checkpoint_public_key()
        );
        assert_eq!(first.session_key(), second.session_key());
        let tag = |k: &Keys| ring::hmac::sign(k.token_hmac(), b"t").as_ref().to_vec();
        assert_eq!(tag(&first), tag(&second));
    }

    #[test]
    fn missing_key_without_generation_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = settings(tmp.path());
        s.generate_missing = false;
        let msg = Keys::load(&s).unwrap_err().to_string();
        assert!(msg.contains(TOKEN_HMAC_FILE), "{msg}");
        assert!(!s.dir.join(TOKEN_HMAC_FILE).exists());
    }

    #[test]
    fn world_readable_key_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let s = settings(tmp.path());
        Keys::load(&s).unwrap();
        let p = s.dir.join(SESSION_FILE);
        fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
        let msg = Keys::load(&s).unwrap_err().to_string();
        assert!(msg.contains("readable by others"), "{msg}");
    }

    #[test]
    fn a_world_writable_key_directory_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let s = settings(tmp.path());
        Keys::load(&s).unwrap();
        fs::set_permissions(&s.dir, fs::Permissions::from_mode(0o777)).unwrap();
        let msg = Keys::load(&s).unwrap_err().to_string();
        assert!(msg.contains("every local user"), "{msg}");
        // Group-writable is allowed (with a warning).
        fs::set_permissions(&s.dir, fs::Permissions::from_mode(0o770)).unwrap();
        assert!(Keys::load(&s).is_ok());
    }

    #[test]
    fn private_dirs_are_created_0700_with_their_parents() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("var").join("outbox");
        create_private_dir(&dir).unwrap();
        for d in [tmp.path().join("var"), dir] {
            let mode = fs::metadata(&d).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", d.display());
        }
    }

    #[test]
    fn debug_prints_no_secret() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = Keys::load(&settings(tmp.path())).unwrap();
        let printed = format!("{keys:?}");
        assert!(!printed.contains(&hex::encode(keys.session_key())));
    }
}
