//! The results page (issue 14): after the close, the committee's tally
//! button; the tally's reported groups and which trustees' decryption
//! shares are in, with an upload form for trustees; the results per group
//! and overall with server-drawn bar charts; and certification with the
//! password again (S11). The same use cases as `ratify tally`, `ratify
//! trustee submit`, `ratify results` and `ratify certify`.

use actix_multipart::form::{bytes::Bytes as UploadBytes, MultipartForm};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest};
use askama::Template;
use secrecy::SecretString;
use serde::Deserialize;

use super::chart::{chart, Chart};
use super::page::{fargs, percent, render_status, see_other, staff_with, Nav, PageResult};
use super::upload::read_upload;
use crate::account::Permission;
use crate::ceremony::{self, Registrar};
use crate::election::{load_election, ElectionState, StoredElection};
use crate::error::{Error, Result};
use crate::i18n::{Lang, Message};
use crate::tally::{self, Group, Results};
use crate::web::auth::{AuthError, Staff};
use crate::web::AppState;

/// A reported group with its results, shaped for the template.
pub struct GroupView {
    pub name: String,
    pub units: String,
    pub turnout_line: String,
    pub charts: Vec<(Chart, bool)>,
}

#[derive(Template)]
#[template(path = "committee/results.html")]
struct ResultsPage {
    nav: Nav,
    slug: String,
    state: String,
    can_tally: bool,
    can_submit: bool,
    can_certify: bool,
    groups: Vec<Group>,
    tally_digest: String,
    shares_line: String,
    results: Vec<GroupView>,
    certified_by: Vec<String>,
    certified_line: String,
    certified: bool,
    /// Offers the election record's download: from the close on.
    record: bool,
    done: Option<String>,
    errors: Vec<String>,
}

/// Everything the page shows, read in one go.
pub(crate) struct Standing {
    pub election: StoredElection,
    pub groups: Option<Vec<Group>>,
    pub tally_digest: String,
    pub shares: Vec<u32>,
    pub results: Option<Results>,
    pub certified_by: Vec<String>,
}

pub(crate) async fn standing(state: &AppState, slug: String) -> Result<Standing> {
    // Reading only: the close is the closer job's (or the tally's) to
    // make; a page view must not run it, with its storage rewrite.
    state
        .db
        .run(move |conn| {
            let e = load_election(conn, &slug)?;
            let groups = tally::stored_groups(conn, e.id)?;
            let tally_digest = match &groups {
                Some(_) => {
                    let request = ceremony::tally_request_of(conn, e.id)?;
                    let keys = ceremony::election_keys_of(conn, e.id)?;
                    hex::encode(request.digest(&keys))
                }
                None => String::new(),
            };
            Ok(Standing {
                shares: tally::decrypt::shares(conn, e.id)?
                    .iter()
                    .map(|s| s.trustee)
                    .collect(),
                results: tally::decrypt::stored_results(conn, e.id)?.map(|(r, _)| r),
                certified_by: crate::certify::certifiers(conn, e.id)?,
                election: e,
                groups,
                tally_digest,
            })
        })
        .await
}

/// The results shaped for a page: per group and overall, with charts.
pub(crate) fn views(nav_tr: crate::i18n::Tr, e: &StoredElection, r: &Results) -> Vec<GroupView> {
    let view = |name: String,
                units: String,
                eligible: u64,
                ballots: u64,
                qs: &[tally::results::QuestionResults]| {
        GroupView {
        name,
        units,
        turnout_line: nav_tr.t_with(
            "results-turnout",
            &fargs!("ballots" => ballots, "eligible" => eligible, "percent" => percent(ballots, eligible)),
        ),
        charts: qs.iter().map(|q| (chart(nav_tr, &e.spec, q), q.passed)).collect(),
    }
    };
    let mut out: Vec<GroupView> = r
        .groups
        .iter()
        .map(|g| {
            view(
                g.name.clone(),
                g.units.join(", "),
                g.eligible,
                g.ballots,
                &g.questions,
            )
        })
        .collect();
    let o = &r.overall;
    out.push(view(
        nav_tr.t("results-overall"),
        String::new(),
        o.eligible,
        o.ballots,
        &o.questions,
    ));
    out
}

async fn page(state: &AppState, staff: &Staff, lang: Lang, slug: String) -> Result<ResultsPage> {
    let nav = Nav::of(staff, lang, &format!("/committee/elections/{slug}/results"));
    let s = standing(state, slug.clone()).await?;
    let now = state.clock.now();
    let current = s.election.state(now);
    let results = s
        .results
        .as_ref()
        .map(|r| views(nav.tr, &s.election, r))
        .unwrap_or_default();
    Ok(ResultsPage {
        state: crate::i18n::state_label(nav.tr, current),
        can_tally: nav.can_run && current == ElectionState::Closed && s.groups.is_none(),
        can_submit: staff.may(Permission::SubmitTrusteeFile)
            && s.groups.is_some()
            && s.results.is_none(),
        can_certify: staff.may(Permission::CertifyResults)
            && current == ElectionState::Tallied
            && !s.certified_by.contains(&staff.account.email),
        groups: s.groups.unwrap_or_default(),
        tally_digest: s.tally_digest,
        shares_line: nav.tr.t_with(
            "results-shares",
            &fargs!("have" => s.shares.len(), "need" => s.election.spec.decrypt_threshold()),
        ),
        results,
        certified_line: nav.tr.t_with(
            "results-certified-by",
            &fargs!("have" => s.certified_by.len(), "need" => s.election.spec.certify_quorum()),
        ),
        certified: current == ElectionState::Certified,
        record: matches!(
            current,
            ElectionState::Closed | ElectionState::Tallied | ElectionState::Certified
        ),
        certified_by: s.certified_by,
        nav,
        slug,
        done: None,
        errors: Vec::new(),
    })
}

#[derive(Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// GET /committee/elections/{slug}/results
pub async fn show(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    query: web::Query<Done>,
) -> PageResult {
    let staff = staff_with(staff, Permission::ReadElection)?;
    let mut p = page(&state, &staff, lang, slug.into_inner()).await?;
    p.done = match query.into_inner().done.as_deref() {
        Some(d @ ("tallied" | "share" | "certified")) => {
            Some(p.nav.t(&format!("results-done-{d}")))
        }
        _ => None,
    };
    render_status(&p, StatusCode::OK)
}

/// Shows the page again with a refusal, or passes an application error on.
async fn refused(
    state: &AppState,
    staff: &Staff,
    lang: Lang,
    slug: String,
    e: Error,
) -> PageResult {
    if !e.is_refusal() {
        return Err(e.into());
    }
    let status = actix_web::ResponseError::status_code(&e);
    let mut p = page(state, staff, lang, slug).await?;
    p.errors = vec![e.to_string()];
    render_status(&p, status)
}

/// POST /committee/elections/{slug}/tally
pub async fn tally(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
) -> PageResult {
    let staff = staff_with(staff, Permission::RunElection)?;
    let slug = slug.into_inner();
    let (actor, now) = (staff.account.email.clone(), state.clock.now());
    let s = slug.clone();
    match state
        .db
        .run(move |conn| tally::tally(conn, &s, Some(&actor), now))
        .await
    {
        Ok(_) => Ok(see_other(&format!(
            "/committee/elections/{slug}/results?done=tallied"
        ))),
        Err(e) => refused(&state, &staff, lang, slug, e).await,
    }
}

#[derive(MultipartForm)]
pub struct ShareUpload {
    share: Option<UploadBytes>,
}

/// POST /committee/elections/{slug}/shares (multipart, field `share`)
pub async fn submit_share(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    payload: web::Payload,
) -> PageResult {
    let staff = staff_with(staff, Permission::SubmitTrusteeFile)?;
    let slug = slug.into_inner();
    let limit = state.settings.server.max_upload_bytes;
    let text = match read_upload::<ShareUpload>(&req, payload, limit).await {
        Ok(ShareUpload { share: Some(f) }) if !f.data.is_empty() => {
            String::from_utf8(f.data.to_vec())
                .map_err(|_| Error::Invalid(Message::new("share-not-text")))
        }
        Ok(_) => Err(Error::Invalid(Message::new("results-choose-share"))),
        Err(e) => Err(Error::Invalid(Message::untranslated(e.to_string()))),
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => return refused(&state, &staff, lang, slug, e).await,
    };
    let (id, email, now) = (
        staff.account.id,
        staff.account.email.clone(),
        state.clock.now(),
    );
    let s = slug.clone();
    let result = state
        .db
        .run(move |conn| {
            ceremony::submit_share(
                conn,
                &s,
                &text,
                Registrar::Account { id, email: &email },
                now,
            )
        })
        .await;
    match result {
        Ok(_) => Ok(see_other(&format!(
            "/committee/elections/{slug}/results?done=share"
        ))),
        Err(e) => refused(&state, &staff, lang, slug, e).await,
    }
}

#[derive(Deserialize)]
pub struct CertifyForm {
    #[serde(default)]
    password: String,
}

/// POST /committee/elections/{slug}/certify (the password again, S11)
pub async fn certify(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    lang: Lang,
    slug: web::Path<String>,
    form: web::Form<CertifyForm>,
) -> PageResult {
    let staff = staff_with(staff, Permission::CertifyResults)?;
    let slug = slug.into_inner();
    let password = SecretString::from(form.into_inner().password);
    match crate::web::api::certify_as(&state, &staff, slug.clone(), password).await {
        Ok(_) => Ok(see_other(&format!(
            "/committee/elections/{slug}/results?done=certified"
        ))),
        Err(e) => refused(&state, &staff, lang, slug, e).await,
    }
}
