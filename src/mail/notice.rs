//! Printed ballot notices (issue 12): one page per member with their link,
//! a QR code of it, the window and instructions in their language, for
//! hand delivery or post. The `qrcode` crate encodes the link (error
//! correction level M); it is drawn here as SVG squares, four modules of
//! quiet zone around it (ISO/IEC 18004), so the page needs no image file
//! and nothing remote.

use std::fmt::Write as _;

use askama::Template;
use fluent_bundle::FluentArgs;
use qrcode::{Color, EcLevel, QrCode};

use crate::credential::Notice;
use crate::election::{Language, StoredElection};
use crate::error::{Error, Result};
use crate::i18n::{local_time, Tr};

struct Page {
    lang: &'static str,
    member_number: String,
    heading: String,
    greeting: String,
    member_line: String,
    intro: String,
    window: String,
    scan: String,
    qr_svg: String,
    link: String,
    private: String,
    unexpected: String,
}

#[derive(Template)]
#[template(path = "mail/notices.html")]
struct Notices {
    title: String,
    notices: Vec<Page>,
}

/// The quiet zone around the code, in modules.
const QUIET: usize = 4;

/// The link as an SVG QR code: one square per dark module.
pub fn qr_svg(link: &str) -> Result<String> {
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M)
        .map_err(|e| Error::Internal(format!("QR code: {e}")))?;
    let width = code.width();
    let size = width + 2 * QUIET;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>"
    );
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == Color::Dark {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            let _ = write!(svg, "<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\"/>");
        }
    }
    svg.push_str("</svg>");
    Ok(svg)
}

/// The HTML document of notices, one page each, in each member's language.
pub fn render_notices(e: &StoredElection, base_url: &str, notices: &[Notice]) -> Result<String> {
    let mut pages = Vec::with_capacity(notices.len());
    for n in notices {
        let language: Language = n.language.parse().unwrap_or(Language::En);
        let tr = Tr(language);
        let title = e.spec.title().get(language).to_string();
        let window = e.spec.window();
        let mut args = FluentArgs::new();
        args.set("title", title);
        args.set("name", n.name.clone());
        args.set("number", n.member_number.clone());
        args.set("unit", n.unit.clone());
        args.set(
            "opens",
            local_time(tr, e.spec.time_zone(), window.opens_at()),
        );
        args.set(
            "closes",
            local_time(tr, e.spec.time_zone(), window.closes_at()),
        );
        let link = format!("{base_url}/vote/{}", n.token.expose());
        pages.push(Page {
            lang: tr.code(),
            member_number: n.member_number.clone(),
            heading: tr.t_with("notice-heading", &args),
            greeting: tr.t_with("mail-greeting", &args),
            member_line: tr.t_with("notice-member", &args),
            intro: tr.t_with("mail-intro-reissue", &args),
            window: tr.t_with("mail-window", &args),
            scan: tr.t("notice-scan"),
            qr_svg: qr_svg(&link)?,
            link,
            private: tr.t("mail-private"),
            unexpected: tr.t("mail-unexpected"),
        });
    }
    let mut args = FluentArgs::new();
    args.set("title", e.spec.title().get(Language::En).to_string());
    Notices {
        title: Tr(Language::En).t_with("notice-title", &args),
        notices: pages,
    }
    .render()
    .map_err(|e| Error::Internal(format!("notice template: {e}")))
}
