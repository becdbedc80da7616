//! DKIM signing (RFC 6376) with lettre's signer, when a key is configured:
//! an RSA key as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), or an Ed25519 key
//! (RFC 8463) as the base64 of its 32 secret bytes.

use lettre::message::dkim::{DkimConfig, DkimSigningAlgorithm, DkimSigningKey};

use crate::config::MailSettings;
use crate::error::{Error, Result};

pub fn load(mail: &MailSettings, domain: &str) -> Result<Option<DkimConfig>> {
    if mail.dkim_key_file.is_empty() {
        return Ok(None);
    }
    let path = std::path::Path::new(&mail.dkim_key_file);
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let algorithm = if text.contains("BEGIN RSA PRIVATE KEY") {
        DkimSigningAlgorithm::Rsa
    } else {
        DkimSigningAlgorithm::Ed25519
    };
    let key = DkimSigningKey::new(text.trim(), algorithm).map_err(|e| {
        Error::Config(format!(
            "mail.dkim_key_file: {} is not an RSA PKCS#1 PEM key nor a base64 Ed25519 key ({e})",
            path.display()
        ))
    })?;
    Ok(Some(DkimConfig::default_config(
        mail.dkim_selector.clone(),
        domain.to_string(),
        key,
    )))
}
