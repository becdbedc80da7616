//! Delivery status notifications (RFC 3464) that arrive after the relay
//! accepted a message: most bounces do. The MTA pipes each one to
//! `ratify mail bounce` (docs/operations.md); we find which of our
//! messages it is about — by the VERP return path `bounce+<id>@…` it was
//! sent to, or else by the Message-ID in the returned headers — and read
//! the per-recipient `Action`, `Status` and `Diagnostic-Code`.
//!
//! Only what a report needs is parsed: header blocks (RFC 5322 with
//! folding) and multipart bodies (RFC 2046) with their boundaries.

/// What a report says about one of our messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bounce {
    /// Our message id (the `<id>` of `bounce+<id>@…`).
    pub message_id: String,
    /// `failed`, `delayed`, `delivered`, `relayed` or `expanded`.
    pub action: String,
    /// The RFC 3463 status code, e.g. `5.1.1`.
    pub status: String,
    pub diagnostic: Option<String>,
}

impl Bounce {
    /// The words recorded as the message's reply.
    pub fn reply(&self) -> String {
        match &self.diagnostic {
            Some(d) => format!("DSN {} {}: {d}", self.action, self.status),
            None => format!("DSN {} {}", self.action, self.status),
        }
    }

    /// A permanent failure (RFC 3464 §2.3.3 `failed`, status class 5).
    pub fn is_failure(&self) -> bool {
        self.action.eq_ignore_ascii_case("failed")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BounceError {
    #[error("the input is empty: expected one delivery status notification (RFC 3464) on standard input")]
    Empty,
    #[error("this is not a delivery status notification: expected Content-Type multipart/report with report-type=delivery-status (RFC 3464), found {0}")]
    NotReport(String),
    #[error("the report has no message/delivery-status part")]
    NoStatusPart,
    #[error("the delivery-status part has no recipient block with both Action and Status fields")]
    NoRecipient,
    #[error("the report's Status {0:?} is not a status code such as 5.1.1 (RFC 3463)")]
    BadStatus(String),
    #[error("the report names none of our messages: no bounce+<id>@ recipient and no Message-ID of ours in the returned headers")]
    NoMessageId,
}

type Headers = Vec<(String, String)>;

/// Splits a header block from its body; unfolds continuation lines.
fn split_headers(text: &str) -> (Headers, &str) {
    let (head, body) = match text
        .find("\r\n\r\n")
        .map(|i| (i, 4))
        .into_iter()
        .chain(text.find("\n\n").map(|i| (i, 2)))
        .min_by_key(|(i, _)| *i)
    {
        Some((i, len)) => (&text[..i], &text[i + len..]),
        None => (text, ""),
    };
    (parse_fields(head), body)
}

fn parse_fields(block: &str) -> Headers {
    let mut fields: Headers = Vec::new();
    for line in block.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with([' ', '\t']) {
            if let Some(last) = fields.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
        } else if let Some((name, value)) = line.split_once(':') {
            fields.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    fields
}

fn field<'a>(fields: &'a Headers, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A Content-Type's parameter (`boundary`, `report-type`), unquoted.
fn parameter(content_type: &str, name: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case(name)
            .then(|| v.trim().trim_matches('"').to_string())
    })
}

/// The parts of a multipart body.
fn parts<'a>(body: &'a str, boundary: &str) -> Vec<&'a str> {
    let delimiter = format!("--{boundary}");
    let mut out = Vec::new();
    for (i, chunk) in body.split(delimiter.as_str()).enumerate() {
        if i == 0 || chunk.starts_with("--") {
            continue; // the preamble, and the closing delimiter's epilogue
        }
        out.push(chunk.trim_start_matches(['\r', '\n']));
    }
    out
}

/// The message id in a VERP address `bounce+<id>@domain`.
fn verp_id(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("bounce+")? + "bounce+".len();
    let id: String = lower[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    (lower[start + id.len()..].starts_with('@') && is_our_id(&id)).then_some(id)
}

/// Our ids are 24 base32 characters (`credential::random_message_id`).
fn is_our_id(id: &str) -> bool {
    id.len() == 24
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b))
}

/// The id in a `Message-ID: <id@domain>` among returned headers.
fn message_id_header(fields: &Headers) -> Option<String> {
    let v = field(fields, "message-id")?;
    let inner = v.trim().trim_start_matches('<');
    let id = inner.split('@').next()?.to_ascii_lowercase();
    is_our_id(&id).then_some(id)
}

/// Reads one report. `recipient` is the address the MTA delivered it to
/// (its pipe's `${recipient}`), when known.
pub fn parse(raw: &[u8], recipient: Option<&str>) -> Result<Bounce, BounceError> {
    let text = String::from_utf8_lossy(raw);
    if text.trim().is_empty() {
        return Err(BounceError::Empty);
    }
    let (headers, body) = split_headers(&text);
    let content_type = field(&headers, "content-type")
        .unwrap_or("text/plain")
        .to_string();
    let is_report = content_type
        .to_ascii_lowercase()
        .starts_with("multipart/report")
        && parameter(&content_type, "report-type")
            .is_some_and(|t| t.eq_ignore_ascii_case("delivery-status"));
    let boundary = parameter(&content_type, "boundary");
    let (true, Some(boundary)) = (is_report, boundary) else {
        return Err(BounceError::NotReport(content_type));
    };
    let mut status_block = None;
    let mut returned_id = None;
    for part in parts(body, &boundary) {
        let (part_headers, part_body) = split_headers(part);
        let ct = field(&part_headers, "content-type")
            .unwrap_or("text/plain")
            .to_ascii_lowercase();
        if ct.starts_with("message/delivery-status") {
            status_block = Some(part_body.to_string());
        } else if ct.starts_with("text/rfc822-headers") || ct.starts_with("message/rfc822") {
            returned_id = message_id_header(&split_headers(part_body).0);
        }
    }
    let status_block = status_block.ok_or(BounceError::NoStatusPart)?;
    let (action, status, diagnostic) = recipient_fields(&status_block)?;
    let from_headers = ["to", "delivered-to", "x-original-to", "envelope-to"]
        .iter()
        .filter_map(|name| field(&headers, name))
        .find_map(verp_id);
    let message_id = recipient
        .and_then(verp_id)
        .or(from_headers)
        .or(returned_id)
        .ok_or(BounceError::NoMessageId)?;
    Ok(Bounce {
        message_id,
        action,
        status,
        diagnostic,
    })
}

/// The first per-recipient block (RFC 3464 §2.3) with Action and Status.
fn recipient_fields(block: &str) -> Result<(String, String, Option<String>), BounceError> {
    let normalized = block.replace("\r\n", "\n");
    for group in normalized.split("\n\n") {
        let fields = parse_fields(group);
        let (Some(action), Some(status)) = (field(&fields, "action"), field(&fields, "status"))
        else {
            continue;
        };
        let code = status.split_whitespace().next().unwrap_or("");
        let numbers: Vec<&str> = code.split('.').collect();
        let valid = numbers.len() == 3
            && ["2", "4", "5"].contains(&numbers[0])
            && numbers[1..]
                .iter()
                .all(|n| !n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()));
        if !valid {
            return Err(BounceError::BadStatus(status.to_string()));
        }
        let diagnostic = field(&fields, "diagnostic-code").map(str::to_string);
        return Ok((action.to_ascii_lowercase(), code.to_string(), diagnostic));
    }
    Err(BounceError::NoRecipient)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "abcdefghijklmnopqrstuvwx";

    fn report(to: &str, status: &str) -> String {
        format!(
            "From: MAILER-DAEMON@mx.example.org\r\nTo: {to}\r\nSubject: Undelivered\r\n\
             Content-Type: multipart/report; report-type=delivery-status;\r\n boundary=\"B1\"\r\n\r\n\
             preamble\r\n--B1\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n\
             --B1\r\nContent-Type: message/delivery-status\r\n\r\n\
             Reporting-MTA: dns; mx.example.org\r\n\r\n\
             Final-Recipient: rfc822; ana@example.org\r\nAction: failed\r\n\
             Status: {status}\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n\
             --B1\r\nContent-Type: text/rfc822-headers\r\n\r\n\
             Message-ID: <{ID}@example.org>\r\nSubject: Your ballot\r\n\r\n--B1--\r\n"
        )
    }

    #[test]
    fn a_failure_report_names_the_verp_id_status_and_diagnostic() {
        let b = parse(
            report(&format!("bounce+{ID}@example.org"), "5.1.1").as_bytes(),
            None,
        )
        .unwrap();
        assert_eq!(b.message_id, ID);
        assert_eq!(b.status, "5.1.1");
        assert!(b.is_failure());
        assert!(
            b.reply().contains("550 5.1.1 no such user"),
            "{}",
            b.reply()
        );
    }

    #[test]
    fn the_returned_message_id_is_used_when_the_recipient_is_not_verp() {
        let b = parse(report("postmaster@example.org", "5.2.2").as_bytes(), None).unwrap();
        assert_eq!(b.message_id, ID);
    }

    #[test]
    fn malformed_reports_are_refused_with_what_is_wrong() {
        assert_eq!(parse(b"", None), Err(BounceError::Empty));
        let plain = "From: a@b\r\nContent-Type: text/plain\r\n\r\nhello";
        assert!(matches!(
            parse(plain.as_bytes(), None),
            Err(BounceError::NotReport(_))
        ));
        let bad = report("postmaster@example.org", "9.9");
        assert!(matches!(
            parse(bad.as_bytes(), None),
            Err(BounceError::BadStatus(_))
        ));
        let no_id = report("postmaster@example.org", "5.1.1").replace(ID, "not-ours");
        assert_eq!(parse(no_id.as_bytes(), None), Err(BounceError::NoMessageId));
    }
}
