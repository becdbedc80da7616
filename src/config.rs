//! Typed configuration, loaded in layers (style guide §8):
//! the embedded `config/default.toml`, then the file named by `--config`,
//! then `RATIFY__SECTION__KEY` environment variables.
//!
//! Every struct denies unknown fields, so a misspelt key fails at start-up
//! with its full name instead of being silently ignored.

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Toml};
use figment::Figment;
use serde::Deserialize;

use crate::error::Error;

/// The embedded default, so the binary runs from any directory.
pub const DEFAULT_TOML: &str = include_str!("../config/default.toml");
/// Prefix of environment overrides: `RATIFY__SERVER__BIND=0.0.0.0:80`.
pub const ENV_PREFIX: &str = "RATIFY__";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub keys: KeySettings,
    pub mail: MailSettings,
    pub audit: AuditSettings,
    pub log: LogSettings,
    pub election: ElectionSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    pub bind: String,
    pub public_base_url: String,
    pub https: bool,
    pub workers: usize,
    pub max_body_bytes: usize,
    pub max_upload_bytes: usize,
    /// Reverse proxies whose `X-Forwarded-For` is believed (S17): empty
    /// means the header is ignored and the TCP peer is the client.
    pub trusted_proxies: Vec<ProxyRange>,
    /// Argon2 runs at once (sign-in, password change); 0 means one per
    /// core. Each holds a 19 MiB buffer (S11).
    pub password_hash_concurrency: usize,
    /// Requests a minute one client may make to ballot links (`/vote/…`,
    /// S17). A whole worksite behind one NAT shares it: each member needs
    /// three requests (ballot, review, cast).
    pub vote_requests_per_minute: u32,
    /// Seconds a client has to send a request's head (actix answers 408).
    pub client_request_timeout_secs: u64,
    /// Seconds a client has to send a request's whole body (408).
    pub body_timeout_secs: u64,
}

/// One trusted proxy: an address (`10.0.0.5`, `::1`) or a CIDR range
/// (`10.0.0.0/8`, `fd00::/8`), matched by the `ipnet` crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct ProxyRange(ipnet::IpNet);

impl ProxyRange {
    /// True when `ip` is in this range (an IPv4-mapped IPv6 address counts
    /// as its IPv4 address).
    pub fn contains(&self, ip: std::net::IpAddr) -> bool {
        let ip = match ip {
            std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, std::net::IpAddr::V4),
            v4 => v4,
        };
        self.0.contains(&ip)
    }
}

impl TryFrom<String> for ProxyRange {
    type Error = String;

    fn try_from(s: String) -> Result<ProxyRange, String> {
        let text = s.trim();
        text.parse::<ipnet::IpNet>()
            .or_else(|_| text.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
            .map(ProxyRange)
            .map_err(|_| format!("`{s}` is not an IP address or CIDR range such as 10.0.0.0/8"))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub pool_size: u32,
    pub connection_timeout_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySettings {
    pub dir: PathBuf,
    pub token_hmac_file: String,
    pub checkpoint_signing_file: String,
    pub session_file: String,
    pub generate_missing: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailTransport {
    File,
    Smtp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransport,
    pub outbox_dir: PathBuf,
    pub from: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: SmtpSecurity,
    pub smtp_username: String,
    pub smtp_password_file: String,
    /// PEM certificates trusted, besides the public web PKI, to sign the
    /// relay's certificate (a relay with a private CA); "" for none.
    pub smtp_ca_file: String,
    /// Connections kept open to the relay, each sending in turn (issue 12).
    pub smtp_pool_size: usize,
    /// Seconds to wait for the relay (connecting, each command) before a
    /// try counts as a temporary failure. The reply to a message's final
    /// `.` is awaited longer (ten minutes, RFC 5321 §4.5.3.2.6).
    pub smtp_timeout_secs: u64,
    /// Messages per second over all connections; 0: as fast as the relay
    /// takes them.
    pub rate_per_second: u32,
    /// Messages the worker claims per run (its lease covers them).
    pub batch_size: u32,
    /// Seconds a worker holds the messages it claimed, renewed every third
    /// of it while it sends them; a worker that stops renewing (killed)
    /// leaves them to another worker (or this one, restarted) after this.
    pub lease_secs: u64,
    /// Seconds the idle worker sleeps before looking at the outbox again.
    pub poll_interval_secs: u64,
    /// The first retry after a temporary failure (4xx) waits this many
    /// seconds, doubling per try, capped at an hour.
    pub retry_base_secs: u64,
    /// Tries before a message that keeps failing temporarily is recorded
    /// as undeliverable.
    pub max_attempts: u32,
    /// Domain of the per-message return path `bounce+<id>@DOMAIN` (VERP);
    /// empty: the domain of `from`.
    pub bounce_domain: String,
    /// Domains whose mailboxes the employer controls: members whose only
    /// address is there are counted and not mailed without a committee
    /// decision.
    pub employer_domains: Vec<String>,
    /// A PEM private key (RSA or Ed25519) to DKIM-sign with; empty: no DKIM.
    pub dkim_key_file: String,
    pub dkim_selector: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditSettings {
    pub origin: String,
    pub checkpoint_interval_secs: u64,
}

/// Bounds on every election's window (docs/committee-guide.md, "The spec").
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectionSettings {
    /// The longest window a new election may have, in days.
    pub max_window_days: u32,
    /// How many days, in total, extensions may add to the close an
    /// election was created with.
    pub max_extension_days: u32,
    /// How many trustee slots one account may hold when the key is
    /// published (issue 10: one account must not hold the whole key).
    pub max_trustee_slots_per_account: u32,
}

impl ElectionSettings {
    /// The most either setting may be: ten years, far beyond any vote, and
    /// well inside the years RFC 3339 can write.
    pub const MAX_DAYS: u32 = 3660;

    pub fn limits(&self) -> crate::election::WindowLimits {
        crate::election::WindowLimits {
            max_length: chrono::Duration::days(self.max_window_days.into()),
            max_extension: chrono::Duration::days(self.max_extension_days.into()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub level: String,
    pub format: LogFormat,
}

impl Settings {
    /// Loads the layers. `file` is the `--config` argument; a missing file is
    /// an error unless it is the default path, which the embedded copy covers.
    pub fn load(file: Option<&Path>) -> Result<Settings, Error> {
        let mut figment = Figment::from(Toml::string(DEFAULT_TOML));
        if let Some(path) = file {
            if !path.exists() && path != Path::new(DEFAULT_PATH) {
                return Err(Error::Config(format!(
                    "config file {} does not exist",
                    path.display()
                )));
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Env::prefixed(ENV_PREFIX).split("__"));
        let settings: Settings = figment.extract().map_err(config_error)?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks that serde's types cannot express.
    fn validate(&self) -> Result<(), Error> {
        let invalid = |key: &str, why: &str| Err(Error::Config(format!("{key}: {why}")));
        if self.server.bind.parse::<std::net::SocketAddr>().is_err() {
            return invalid("server.bind", "expected HOST:PORT with an IP address");
        }
        let base = &self.server.public_base_url;
        if !(base.starts_with("http://") || base.starts_with("https://")) || base.ends_with('/') {
            return invalid(
                "server.public_base_url",
                "expected http(s)://host[:port][/path] without a trailing slash",
            );
        }
        if crate::db::Backend::from_url(&self.database.url).is_none() {
            return invalid(
                "database.url",
                "expected sqlite://PATH or postgres://USER@HOST/DB",
            );
        }
        if self.server.client_request_timeout_secs == 0 || self.server.body_timeout_secs == 0 {
            return invalid(
                "server.body_timeout_secs",
                "client_request_timeout_secs and body_timeout_secs must be at least 1",
            );
        }
        if self.database.pool_size == 0 {
            return invalid("database.pool_size", "must be at least 1");
        }
        if self.server.max_body_bytes < 1024 {
            return invalid("server.max_body_bytes", "must be at least 1024");
        }
        for (key, days) in [
            ("election.max_window_days", self.election.max_window_days),
            (
                "election.max_extension_days",
                self.election.max_extension_days,
            ),
        ] {
            if !(1..=ElectionSettings::MAX_DAYS).contains(&days) {
                return invalid(key, "must be from 1 to 3660 (days)");
            }
        }
        if self.election.max_trustee_slots_per_account == 0 {
            return invalid(
                "election.max_trustee_slots_per_account",
                "must be at least 1",
            );
        }
        if self.server.vote_requests_per_minute == 0 {
            return invalid("server.vote_requests_per_minute", "must be at least 1");
        }
        if self.server.password_hash_concurrency > 1024 {
            return invalid("server.password_hash_concurrency", "must be at most 1024");
        }
        self.validate_mail()?;
        if self.audit.checkpoint_interval_secs == 0 {
            return invalid("audit.checkpoint_interval_secs", "must be at least 1");
        }
        if self
            .log
            .level
            .parse::<tracing_subscriber::EnvFilter>()
            .is_err()
        {
            return invalid("log.level", "not a valid tracing filter");
        }
        Ok(())
    }
}

impl Settings {
    fn validate_mail(&self) -> Result<(), Error> {
        let invalid = |key: &str, why: &str| Err(Error::Config(format!("mail.{key}: {why}")));
        let m = &self.mail;
        if m.from.parse::<lettre::message::Mailbox>().is_err() {
            return invalid(
                "from",
                "expected an address such as \"Elections <elections@example.org>\"",
            );
        }
        if m.smtp_pool_size == 0 || m.smtp_pool_size > 64 {
            return invalid("smtp_pool_size", "must be from 1 to 64");
        }
        if m.batch_size == 0 || m.max_attempts == 0 || m.smtp_timeout_secs == 0 {
            return invalid(
                "batch_size",
                "batch_size, max_attempts and smtp_timeout_secs must be at least 1",
            );
        }
        if m.poll_interval_secs == 0 || m.retry_base_secs == 0 || m.lease_secs == 0 {
            return invalid(
                "poll_interval_secs",
                "poll_interval_secs, retry_base_secs and lease_secs must be at least 1",
            );
        }
        if m.lease_secs <= m.smtp_timeout_secs {
            return invalid("lease_secs", "must be longer than smtp_timeout_secs");
        }
        if m.dkim_key_file.is_empty() != m.dkim_selector.is_empty() {
            return invalid(
                "dkim_selector",
                "set both dkim_key_file and dkim_selector, or neither",
            );
        }
        Ok(())
    }
}

/// The path `--config` defaults to.
pub const DEFAULT_PATH: &str = "config/default.toml";

/// Figment's error already names the key path ("for key `server.bnd`"); keep
/// every message of the chain so the operator sees all problems at once.
fn config_error(err: figment::Error) -> Error {
    let messages: Vec<String> = err.into_iter().map(|e| e.to_string()).collect();
    Error::Config(messages.join("; "))
}

#[cfg(test)]
// figment's Jail closures return figment::Error, which is large; tests only.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_is_valid() {
        figment::Jail::expect_with(|_| {
            let s = Settings::load(None).expect("default config");
            assert_eq!(s.server.bind, "127.0.0.1:8080");
            assert_eq!(s.database.url, "sqlite://var/ratify.db");
            Ok(())
        });
    }

    #[test]
    fn file_overrides_default_and_env_overrides_file() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "layer.toml",
                "[server]\nbind = \"127.0.0.1:9000\"\n[database]\npool_size = 3\n",
            )?;
            let s = Settings::load(Some(Path::new("layer.toml"))).unwrap();
            assert_eq!(s.server.bind, "127.0.0.1:9000");
            assert_eq!(s.database.pool_size, 3);
            // Untouched keys keep the embedded default.
            assert_eq!(s.mail.transport, MailTransport::File);

            jail.set_env("RATIFY__SERVER__BIND", "127.0.0.1:9100");
            jail.set_env("RATIFY__MAIL__TRANSPORT", "smtp");
            let s = Settings::load(Some(Path::new("layer.toml"))).unwrap();
            assert_eq!(s.server.bind, "127.0.0.1:9100");
            assert_eq!(s.mail.transport, MailTransport::Smtp);
            assert_eq!(s.database.pool_size, 3);
            Ok(())
        });
    }

    #[test]
    fn unknown_key_is_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("bad.toml", "[server]\nbnd = \"127.0.0.1:1\"\n")?;
            let err = Settings::load(Some(Path::new("bad.toml"))).unwrap_err();
            let msg = err.to_string();
            assert!(msg.contains("bnd"), "{msg}");
            Ok(())
        });
    }

    #[test]
    fn wrong_type_from_env_is_named() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("RATIFY__DATABASE__POOL_SIZE", "many");
            let msg = Settings::load(None).unwrap_err().to_string();
            assert!(msg.to_lowercase().contains("database.pool_size"), "{msg}");
            Ok(())
        });
    }

    #[test]
    fn invalid_value_is_named() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("RATIFY__DATABASE__URL", "mysql://nope");
            let msg = Settings::load(None).unwrap_err().to_string();
            assert!(msg.contains("database.url"), "{msg}");
            Ok(())
        });
    }

    #[test]
    fn election_limits_default_to_60_days_and_are_bounded() {
        figment::Jail::expect_with(|jail| {
            let s = Settings::load(None).unwrap();
            assert_eq!(s.election.max_window_days, 60);
            assert_eq!(s.election.max_extension_days, 60);
            assert_eq!(
                s.election.limits(),
                crate::election::WindowLimits::default()
            );
            jail.set_env("RATIFY__ELECTION__MAX_EXTENSION_DAYS", "0");
            let msg = Settings::load(None).unwrap_err().to_string();
            assert!(msg.contains("election.max_extension_days"), "{msg}");
            jail.set_env("RATIFY__ELECTION__MAX_EXTENSION_DAYS", "100000");
            let msg = Settings::load(None).unwrap_err().to_string();
            assert!(msg.contains("election.max_extension_days"), "{msg}");
            Ok(())
        });
    }

    #[test]
    fn trusted_proxies_parse_and_match() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "p.toml",
                "[server]\ntrusted_proxies = [\"10.0.0.0/8\", \"192.0.2.7\", \"fd00::/8\"]\n",
            )?;
            let s = Settings::load(Some(Path::new("p.toml"))).unwrap();
            let p = &s.server.trusted_proxies;
            let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
            assert!(p[0].contains(ip("10.200.3.4")));
            assert!(!p[0].contains(ip("11.0.0.1")));
            assert!(p[1].contains(ip("192.0.2.7")));
            assert!(!p[1].contains(ip("192.0.2.8")));
            assert!(p[1].contains(ip("::ffff:192.0.2.7")));
            assert!(p[2].contains(ip("fd12::1")));
            assert!(!p[2].contains(ip("10.0.0.1")));
            // Empty by default: forwarded headers are ignored.
            assert!(Settings::load(None)
                .unwrap()
                .server
                .trusted_proxies
                .is_empty());
            Ok(())
        });
    }

    #[test]
    fn a_bad_trusted_proxy_is_named() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("p.toml", "[server]\ntrusted_proxies = [\"10.0.0.0/33\"]\n")?;
            let msg = Settings::load(Some(Path::new("p.toml")))
                .unwrap_err()
                .to_string();
            assert!(msg.contains("trusted_proxies"), "{msg}");
            assert!(msg.contains("10.0.0.0/33"), "{msg}");
            Ok(())
        });
    }

    #[test]
    fn mail_settings_are_checked_and_named() {
        figment::Jail::expect_with(|jail| {
            let s = Settings::load(None).unwrap();
            assert!(s.mail.employer_domains.is_empty());
            assert!(s.mail.lease_secs > s.mail.smtp_timeout_secs);
            for (key, value, named) in [
                ("RATIFY__MAIL__LEASE_SECS", "30", "mail.lease_secs"),
                ("RATIFY__MAIL__FROM", "not an address", "mail.from"),
                ("RATIFY__MAIL__SMTP_POOL_SIZE", "0", "mail.smtp_pool_size"),
                ("RATIFY__MAIL__DKIM_SELECTOR", "s1", "mail.dkim_selector"),
            ] {
                jail.set_env(key, value);
                let msg = Settings::load(None).unwrap_err().to_string();
                assert!(msg.contains(named), "{key}: {msg}");
                jail.clear_env();
            }
            jail.set_env("RATIFY__MAIL__EMPLOYER_DOMAINS", "[\"acme.com\"]");
            let s = Settings::load(None).unwrap();
            assert_eq!(s.mail.employer_domains, ["acme.com"]);
            Ok(())
        });
    }

    #[test]
    fn missing_explicit_file_is_an_error() {
        figment::Jail::expect_with(|_| {
            let msg = Settings::load(Some(Path::new("nope.toml")))
                .unwrap_err()
                .to_string();
            assert!(msg.contains("nope.toml"), "{msg}");
            Ok(())
        });
    }
}
