//! The member's pages (issue 13): `GET /vote/{token}` (the ballot), `POST
//! /vote/{token}/review` (the choices shown back, or the ballot again with
//! the problems beside their questions), `POST /vote/{token}` (the cast),
//! and `GET /elections/{slug}/ballots/{tracker}` (the receipt, and the
//! public lookup of a tracker).
//!
//! GET and HEAD change nothing (S5): mail scanners open every link. The
//! token is read from the matched path here and nowhere else; it is never
//! logged (the request span records the route pattern only, S4), and an
//! unknown or malformed link gets one page for both (S16). Pages are in
//! the member's language: an explicit choice (`?lang=`), then the roll's.

mod lookup;
mod page;
mod reviewed;

pub use reviewed::Reviewed;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use crate::ballot::{self, answers, Refusal, Voter};
use crate::credential::{Token, TokenHash};
use crate::i18n::{Lang, Language};
use crate::web::public::{server_error_page, Chrome};
use crate::web::AppState;
use page::*;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/vote/{token}", web::get().to(show_ballot))
        .route("/vote/{token}", web::post().to(cast))
        .route("/vote/{token}/review", web::post().to(review))
        .route("/elections/{slug}/ballots", web::get().to(lookup::find))
        .route(
            "/elections/{slug}/ballots/{tracker}",
            web::get().to(lookup::lookup),
        );
}

/// The link's token, if the path holds one of the right shape.
fn token_of(req: &HttpRequest) -> Option<Token> {
    req.match_info().get("token").and_then(Token::parse)
}

/// The frame of a ballot page: the language switch stays on this link.
/// (The token appears in the page's own links only, as in its address.)
fn chrome(lang: Language, token: &Token) -> Chrome {
    let tr = Lang(lang).tr();
    let switch_href = format!("/vote/{}?lang={}", token.expose(), tr.other().as_str());
    Chrome { tr, switch_href }
}

pub(super) fn html(status: StatusCode, page: &impl Template, lang: Lang) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(error) => {
            tracing::error!(%error, "vote page");
            server_error_page(lang)
        }
    }
}

fn refusal_page(req: &HttpRequest, refusal: Refusal) -> HttpResponse {
    let lang = Lang::of(req);
    let (heading, text) = refusal_text(lang.tr(), refusal);
    let status = match refusal {
        Refusal::Unknown => StatusCode::NOT_FOUND,
        Refusal::NotOpenYet { .. } | Refusal::Closed => StatusCode::FORBIDDEN,
        Refusal::Used | Refusal::Revoked => StatusCode::CONFLICT,
    };
    let page = ReceiptPage {
        chrome: Chrome::new(lang, "/"),
        heading,
        text,
        found: false,
        short: String::new(),
        tracker: String::new(),
        slug: String::new(),
        proof: None,
    };
    html(status, &page, lang)
}

/// Entries kept before the limiter forgets clients whose minute is over.
const LIMITER_ENTRIES_BEFORE_SWEEP: usize = 10_000;

/// S17: too many requests from one client to ballot links get 429 before
/// any lookup. Clients are named as for sign-in (trusted proxies only).
fn over_limit(req: &HttpRequest, state: &AppState) -> Option<HttpResponse> {
    let client = crate::web::auth::client::address(req, &state.settings.server.trusted_proxies)?;
    let key = crate::web::auth::client::key(client);
    if state.vote_limiter.len() > LIMITER_ENTRIES_BEFORE_SWEEP {
        state.vote_limiter.retain_recent();
    }
    if state.vote_limiter.check_key(&key).is_ok() {
        return None;
    }
    let tr = Lang::of(req).tr();
    Some(
        HttpResponse::TooManyRequests()
            .insert_header(("Retry-After", "60"))
            .content_type("text/plain; charset=utf-8")
            .body(tr.t("vote-too-many")),
    )
}

/// The link in `req` and its hash, or the response that refuses it.
// The refusal is the response itself, made once per refused request:
// boxing it would buy nothing.
#[allow(clippy::result_large_err)]
fn link_of(
    req: &HttpRequest,
    state: &AppState,
) -> std::result::Result<(Token, TokenHash), HttpResponse> {
    if let Some(refused) = over_limit(req, state) {
        return Err(refused);
    }
    let Some(token) = token_of(req) else {
        return Err(refusal_page(req, Refusal::Unknown));
    };
    let hash = token.hash(state.keys.token_hmac());
    Ok((token, hash))
}

/// The holder of the link in `req`, or the response that refuses it.
async fn voter_of(
    req: &HttpRequest,
    state: &AppState,
) -> std::result::Result<(Token, TokenHash, Voter), HttpResponse> {
    let (token, hash) = link_of(req, state)?;
    let now = state.clock.now();
    match state
        .db
        .run(move |conn| ballot::voter(conn, &hash, now))
        .await
    {
        Ok(Ok(voter)) => Ok((token, hash, voter)),
        Ok(Err(refusal)) => Err(refusal_page(req, refusal)),
        Err(error) => Err(failed(req, error)),
    }
}

/// [`voter_of`] for a review or a cast: the holder the link's previous
/// page (the ballot, the review) looked up moments ago (`reviewed`; the
/// cast writer decides again whether the link may vote), else from the
/// database.
async fn caster_of(
    req: &HttpRequest,
    state: &AppState,
) -> std::result::Result<(Token, TokenHash, Voter), HttpResponse> {
    let (token, hash) = link_of(req, state)?;
    let Some(voter) = state.reviewed.take(&hash) else {
        return voter_of(req, state).await;
    };
    match ballot::cast::refusal("active", &voter.election, state.clock.now()) {
        Some(refused) => Err(refusal_page(req, refused)),
        None => Ok((token, hash, voter)),
    }
}

pub(super) fn failed(req: &HttpRequest, error: crate::error::Error) -> HttpResponse {
    // The error never holds a token (S4): tokens are only ever `Token`.
    tracing::error!(%error, "vote request failed");
    server_error_page(Lang::of(req))
}

fn language(req: &HttpRequest, voter: &Voter) -> Language {
    Lang::chosen(req).unwrap_or(voter.language)
}

/// The form's fields, as sent.
fn fields_of(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn ballot_page(
    lang: Language,
    token: &Token,
    voter: &Voter,
    fields: &[(String, String)],
    problems: &[(usize, ballot::AnswerProblem)],
) -> HttpResponse {
    let chrome = chrome(lang, token);
    let tr = chrome.tr;
    let spec = &voter.election.spec;
    let (title, window) = title_and_window(tr, spec);
    let page = BallotPage {
        title,
        window,
        review_action: format!("/vote/{}/review", token.expose()),
        questions: questions(tr, spec, fields, problems),
        has_errors: !problems.is_empty(),
        chrome,
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    html(status, &page, Lang(lang))
}

async fn show_ballot(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    match voter_of(&req, &state).await {
        Ok((token, hash, voter)) => {
            state.reviewed.remember(&hash, &voter);
            ballot_page(language(&req, &voter), &token, &voter, &[], &[])
        }
        Err(res) => res,
    }
}

async fn review(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let (token, hash, voter) = match caster_of(&req, &state).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    // Whatever this answers (the review, or the ballot again), the next
    // request of this link finds its holder here.
    state.reviewed.remember(&hash, &voter);
    let lang = language(&req, &voter);
    let fields = fields_of(&body);
    if fields.iter().any(|(k, _)| k == "change") {
        return ballot_page(lang, &token, &voter, &fields, &[]);
    }
    let spec = &voter.election.spec;
    let answers = match answers::read(spec, &fields) {
        Ok(answers) => answers,
        Err(problems) => return ballot_page(lang, &token, &voter, &fields, &problems),
    };
    let chrome = chrome(lang, &token);
    let tr = chrome.tr;
    let page = ReviewPage {
        title: spec.title().get(lang).to_string(),
        choices: chosen(tr, spec, &answers),
        fields: answers::fields(spec, &answers),
        cast_action: format!("/vote/{}", token.expose()),
        review_action: format!("/vote/{}/review", token.expose()),
        chrome,
    };
    html(StatusCode::OK, &page, Lang(lang))
}

async fn cast(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let (token, hash, voter) = match caster_of(&req, &state).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    let lang = language(&req, &voter);
    let fields = fields_of(&body);
    let answers = match answers::read(&voter.election.spec, &fields) {
        Ok(answers) => answers,
        Err(problems) => return ballot_page(lang, &token, &voter, &fields, &problems),
    };
    // Encrypting is the slow part: on the blocking pool, without a
    // database connection; the plaintext is dropped with this request.
    let sealed = match web::block(move || ballot::seal(&voter, &answers)).await {
        Ok(Ok(sealed)) => sealed,
        Ok(Err(error)) => return failed(&req, error),
        Err(_) => return server_error_page(Lang(lang)),
    };
    let now = state.clock.now();
    // Committed with the other casts waiting (group commit), before the
    // receipt is shown (S19).
    match state.casts.cast(hash, sealed, now).await {
        // Committed before the receipt is shown (S19); post/redirect/get,
        // so a reload does not post again.
        Ok(Ok(receipt)) => HttpResponse::SeeOther()
            .insert_header((
                "Location",
                format!(
                    "/elections/{}/ballots/{}?cast=1&lang={}",
                    receipt.slug,
                    receipt.tracker,
                    lang.as_str()
                ),
            ))
            .finish(),
        Ok(Err(refusal)) => refusal_page(&req, refusal),
        Err(error) => failed(&req, error),
    }
}
