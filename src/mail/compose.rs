//! One ballot email (issue 12): the member's language, plain text and
//! HTML, the election's title, the window in the election's time zone, the
//! link `{public_base_url}/vote/{token}`, what to do if it was not
//! expected. No images at all, so no remote image or tracking pixel.
//! Each message has its own Message-ID and VERP return path
//! `bounce+<id>@domain`, so a bounce names the message it is about.

use askama::Template;
use fluent_bundle::FluentArgs;
use lettre::address::Envelope;
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::Address;

use crate::config::{MailSettings, ServerSettings};
use crate::election::{Language, StoredElection};
use crate::error::{Error, Result};
use crate::i18n::Message;
use crate::i18n::{local_time, Tr};

/// What kind of message: the first ballot, a reminder or a reissue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ballot,
    Reminder,
    Reissue,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "ballot" => Some(Kind::Ballot),
            "reminder" => Some(Kind::Reminder),
            "reissue" => Some(Kind::Reissue),
            _ => None,
        }
    }

    fn ids(self) -> (&'static str, &'static str) {
        match self {
            Kind::Ballot => ("mail-subject-ballot", "mail-intro-ballot"),
            Kind::Reminder => ("mail-subject-reminder", "mail-intro-reminder"),
            Kind::Reissue => ("mail-subject-reissue", "mail-intro-reissue"),
        }
    }
}

/// The words of one message, shared by its text and HTML parts.
#[derive(Template)]
#[template(path = "mail/ballot.txt")]
struct TextPart<'a> {
    greeting: &'a str,
    intro: &'a str,
    window: &'a str,
    link_label: &'a str,
    link: &'a str,
    private: &'a str,
    unexpected: &'a str,
    signature: &'a str,
}

#[derive(Template)]
#[template(path = "mail/ballot.html")]
struct HtmlPart<'a> {
    lang: &'a str,
    subject: &'a str,
    greeting: &'a str,
    intro: &'a str,
    window: &'a str,
    link_label: &'a str,
    button: &'a str,
    link: &'a str,
    private: &'a str,
    unexpected: &'a str,
    signature: &'a str,
}

/// One member's message to build.
pub struct Draft<'a> {
    pub kind: Kind,
    pub message_id: &'a str,
    pub to_name: &'a str,
    pub to_email: &'a str,
    pub language: Language,
    /// The token's text: only ever placed into the link.
    pub token: &'a str,
}

/// Builds messages with the configured sender, domain, base URL and
/// optional DKIM key.
pub struct Composer {
    from: Mailbox,
    domain: String,
    base_url: String,
    dkim: Option<lettre::message::dkim::DkimConfig>,
}

impl std::fmt::Debug for Composer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Composer")
            .field("from", &self.from.to_string())
            .field("dkim", &self.dkim.is_some())
            .finish()
    }
}

impl Composer {
    pub fn new(mail: &MailSettings, server: &ServerSettings) -> Result<Composer> {
        let from: Mailbox = mail
            .from
            .parse()
            .map_err(|e| Error::Config(format!("mail.from: {e}")))?;
        let domain = if mail.bounce_domain.is_empty() {
            from.email.domain().to_string()
        } else {
            mail.bounce_domain.clone()
        };
        let dkim = super::dkim::load(mail, from.email.domain())?;
        Ok(Composer {
            from,
            domain,
            base_url: server.public_base_url.clone(),
            dkim,
        })
    }

    /// The VERP return path of a message: `bounce+<id>@domain`.
    pub fn return_path(&self, message_id: &str) -> String {
        format!("bounce+{message_id}@{}", self.domain)
    }

    /// The ballot link `{public_base_url}/vote/{token}`.
    pub fn link(&self, token: &str) -> String {
        format!("{}/vote/{token}", self.base_url)
    }

    /// The envelope and the RFC 5322 bytes to hand to the relay.
    pub fn compose(&self, e: &StoredElection, d: &Draft<'_>) -> Result<(Envelope, Vec<u8>)> {
        let tr = Tr(d.language);
        let title = e.spec.title().get(d.language).to_string();
        let (subject_id, intro_id) = d.kind.ids();
        let mut args = FluentArgs::new();
        args.set("title", title.clone());
        args.set("name", d.to_name.to_string());
        let window = e.spec.window();
        args.set(
            "opens",
            local_time(tr, e.spec.time_zone(), window.opens_at()),
        );
        args.set(
            "closes",
            local_time(tr, e.spec.time_zone(), window.closes_at()),
        );
        let subject = tr.t_with(subject_id, &args);
        let (greeting, intro) = (
            tr.t_with("mail-greeting", &args),
            tr.t_with(intro_id, &args),
        );
        let window = tr.t_with("mail-window", &args);
        let (label, private) = (tr.t("mail-link-label"), tr.t("mail-private"));
        let (unexpected, signature) = (tr.t("mail-unexpected"), tr.t("mail-signature"));
        let link = self.link(d.token);
        let text = TextPart {
            greeting: &greeting,
            intro: &intro,
            window: &window,
            link_label: &label,
            link: &link,
            private: &private,
            unexpected: &unexpected,
            signature: &signature,
        };
        let html = HtmlPart {
            lang: tr.code(),
            subject: &subject,
            greeting: &greeting,
            intro: &intro,
            window: &window,
            link_label: &label,
            button: &tr.t("mail-button"),
            link: &link,
            private: &private,
            unexpected: &unexpected,
            signature: &signature,
        };
        let render = |r: askama::Result<String>| {
            r.map_err(|e| Error::Internal(format!("mail template: {e}")))
        };
        let body = MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(render(text.render())?),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(render(html.render())?),
            );
        self.finish(d, subject, body)
    }

    fn finish(
        &self,
        d: &Draft<'_>,
        subject: String,
        body: MultiPart,
    ) -> Result<(Envelope, Vec<u8>)> {
        let bad_to = |_| {
            Error::Invalid(Message::untranslated(format!(
                "the member's address {:?} cannot be mailed",
                d.to_email
            )))
        };
        let to_address: Address = d.to_email.parse().map_err(bad_to)?;
        let to = Mailbox::new(Some(d.to_name.to_string()), to_address.clone());
        let return_path: Address = self
            .return_path(d.message_id)
            .parse()
            .map_err(|e| Error::Config(format!("mail.bounce_domain: {e}")))?;
        let envelope = Envelope::new(Some(return_path), vec![to_address])
            .map_err(|e| Error::Internal(format!("mail envelope: {e}")))?;
        let mut message = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(format!("<{}@{}>", d.message_id, self.domain)))
            .envelope(envelope.clone())
            .multipart(body)
            .map_err(|e| Error::Internal(format!("mail message: {e}")))?;
        if let Some(dkim) = &self.dkim {
            message.sign(dkim);
        }
        Ok((envelope, message.formatted()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;
    use crate::election::ElectionState;

    fn election() -> StoredElection {
        let spec =
            crate::election::parse_spec(include_str!("../election/testdata/kern-lbfo-2024.toml"))
                .unwrap();
        StoredElection {
            id: 1,
            spec,
            stored_state: ElectionState::KeyPublished,
            public_key: None,
        }
    }

    fn draft(language: Language) -> Draft<'static> {
        Draft {
            kind: Kind::Ballot,
            message_id: "abcdefghijklmnopqrstuvwx",
            to_name: "Ana Example",
            to_email: "ana@example.org",
            language,
            token: "tokentokentokentokentokentoken22",
        }
    }

    #[test]
    fn a_ballot_email_has_its_id_return_path_link_and_no_images() {
        let settings = Settings::load(None).unwrap();
        let composer = Composer::new(&settings.mail, &settings.server).unwrap();
        let (envelope, bytes) = composer.compose(&election(), &draft(Language::Es)).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(
            envelope.from().unwrap().to_string(),
            "bounce+abcdefghijklmnopqrstuvwx@localhost"
        );
        assert!(
            text.contains("Message-ID: <abcdefghijklmnopqrstuvwx@localhost>"),
            "{text}"
        );
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("text/plain") && text.contains("text/html"));
        assert!(!text.to_lowercase().contains("<img"));
        assert!(!text.contains("DKIM-Signature"), "no key, no signature");
    }

    #[test]
    fn a_configured_key_signs_with_dkim() {
        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("dkim.key");
        use base64::Engine;
        std::fs::write(
            &key,
            base64::engine::general_purpose::STANDARD.encode([9u8; 32]),
        )
        .unwrap();
        let mut settings = Settings::load(None).unwrap();
        settings.mail.dkim_key_file = key.to_string_lossy().into_owned();
        settings.mail.dkim_selector = "ballots".into();
        let composer = Composer::new(&settings.mail, &settings.server).unwrap();
        let (_, bytes) = composer.compose(&election(), &draft(Language::En)).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("DKIM-Signature"), "{text}");
        assert!(
            text.contains("s=ballots") && text.contains("a=ed25519-sha256"),
            "{text}"
        );
    }
}
