//! Shared steps for the after-the-window tests (issue 14): an election
//! whose members voted with known choices, then closed by the clock.

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use ratify::clock::Clock;
use ratify_crypto::TrusteeSecret;
use ratify_testkit::{Member, SpecFixture};

use crate::helpers::*;
use crate::vote_support::*;

/// After the fixture's window (it closes 2099-12-11).
pub fn after_the_vote() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2099, 12, 12, 9, 0, 0).unwrap()
}

/// Who voted what: member number → (lbfo, strike), "" for blank strike.
pub type Choices = BTreeMap<String, (&'static str, &'static str)>;

/// A voted election: the roll `units`, everyone but `abstain` members of
/// each unit voting with `choose(i)`; returns the trustees' secrets, the
/// roll and the choices cast.
pub async fn voted_election(
    app: &TestApp,
    slug: &str,
    units: &[(&str, usize)],
    abstain: usize,
    choose: impl Fn(usize) -> (&'static str, &'static str),
) -> (Vec<TrusteeSecret>, Vec<Member>, Choices) {
    let members = ratify_testkit::roll::in_units(units);
    let slug = app.create_election(&SpecFixture::far_future(slug));
    app.import_roll(&slug, &members);
    let secrets = app.key_ceremony(&slug);
    app.publish_key(&slug);
    let tokens = issue_links(app, &slug, &members);
    app.clock.set(during_the_vote());
    let mut choices = Choices::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, (m, token)) in tokens.iter().enumerate() {
        let n = seen.entry(m.unit.clone()).or_default();
        *n += 1;
        if *n <= abstain {
            continue;
        }
        let (lbfo, strike) = choose(i);
        let (status, _) = cast(app, token, lbfo, strike).await;
        assert_eq!(status, 303, "member {} could not vote", m.number);
        choices.insert(m.number.clone(), (lbfo, strike));
    }
    (secrets, members, choices)
}

/// The counts the choices should give for the members of `units`:
/// question → option → count, and blanks per question.
/// Counts per (question, option), and blanks per question.
pub type Expected = (
    BTreeMap<(&'static str, &'static str), u64>,
    BTreeMap<&'static str, u64>,
);

pub fn expected(members: &[Member], choices: &Choices, units: &[String]) -> Expected {
    let mut counts = BTreeMap::new();
    let mut blank = BTreeMap::from([("lbfo", 0), ("strike", 0)]);
    for m in members.iter().filter(|m| units.contains(&m.unit)) {
        if let Some((lbfo, strike)) = choices.get(&m.number) {
            *counts.entry(("lbfo", *lbfo)).or_insert(0) += 1;
            if strike.is_empty() {
                *blank.get_mut("strike").unwrap() += 1;
            } else {
                *counts.entry(("strike", *strike)).or_insert(0) += 1;
            }
        }
    }
    (counts, blank)
}

/// Tallies as the command line would, after the window.
pub fn run_tally(app: &TestApp, slug: &str) -> ratify::tally::Tallied {
    let mut conn = app.db.get().unwrap();
    ratify::tally::tally(&mut conn, slug, Some("cli:test"), app.clock.now()).unwrap()
}

/// Trustee `index` (0-based) decrypts the tally and submits the share.
pub fn submit_share(
    app: &TestApp,
    slug: &str,
    secret: &TrusteeSecret,
    tally: &ratify_crypto::TallyRequest,
) -> Result<ratify::ceremony::ShareAccepted, ratify::error::Error> {
    let share = ratify_crypto::decrypt_share(secret, tally).unwrap();
    let mut conn = app.db.get().unwrap();
    ratify::ceremony::submit_share(
        &mut conn,
        slug,
        &ratify_crypto::to_json(&share),
        ratify::ceremony::Registrar::Server("cli:test"),
        app.clock.now(),
    )
}

/// An election whose window is over and closed, built through the
/// library with explicit times (the app's clock stays where it is, so
/// signed-in sessions live on): two members of U1, one of whom voted
/// (lbfo yes, strike blank). Returns the trustees' secrets and the tracker.
pub fn closed_election(app: &TestApp, slug: &str) -> (Vec<TrusteeSecret>, String) {
    let members = ratify_testkit::roll::in_units(&[("U1", 2)]);
    let slug = app.create_election(&SpecFixture::far_future(slug));
    app.import_roll(&slug, &members);
    let secrets = app.key_ceremony(&slug);
    app.publish_key(&slug);
    let tokens = issue_links(app, &slug, &members);
    let mut conn = app.db.get().unwrap();
    let hash = tokens[0].1.hash(
        ratify::keys::Keys::load(&app.settings.keys)
            .unwrap()
            .token_hmac(),
    );
    let voter = ratify::ballot::voter(&mut conn, &hash, during_the_vote())
        .unwrap()
        .expect("the link works during the vote");
    let answers = ratify::ballot::answers::read(
        &voter.election.spec,
        &[
            ("answer-lbfo".into(), "yes".into()),
            ("answer-strike".into(), "".into()),
        ],
    )
    .unwrap();
    let sealed = ratify::ballot::seal(&voter, &answers).unwrap();
    let receipt = ratify::ballot::cast(&mut conn, &hash, &sealed, during_the_vote())
        .unwrap()
        .expect("cast");
    let e = ratify::election::load_election(&mut conn, &slug).unwrap();
    ratify::tally::close_if_due(&mut conn, &e, after_the_vote()).unwrap();
    (secrets, receipt.tracker)
}

/// [`closed_election`], tallied. Returns the secrets and the tally request.
pub fn tallied_election(
    app: &TestApp,
    slug: &str,
) -> (Vec<TrusteeSecret>, ratify_crypto::TallyRequest) {
    let (secrets, _) = closed_election(app, slug);
    let mut conn = app.db.get().unwrap();
    let t = ratify::tally::tally(&mut conn, slug, Some("cli:test"), after_the_vote()).unwrap();
    (secrets, t.request)
}

/// Gives trustee slot `trustee` of `slug` to the account `email` (as if
/// that account had registered the slot's public key), when it exists.
pub fn hold_slot(app: &TestApp, slug: &str, trustee: i32, email: &str) {
    use diesel::prelude::*;
    use ratify::db::schema::{accounts, elections, trustee_slots};
    let mut conn = app.db.get().unwrap();
    let Ok(account) = accounts::table
        .filter(accounts::email.eq(email))
        .select(accounts::id)
        .first::<i64>(&mut *conn)
    else {
        return;
    };
    let election: i64 = elections::table
        .filter(elections::slug.eq(slug))
        .select(elections::id)
        .first(&mut *conn)
        .unwrap();
    diesel::update(
        trustee_slots::table
            .filter(trustee_slots::election_id.eq(election))
            .filter(trustee_slots::trustee_index.eq(trustee)),
    )
    .set(trustee_slots::account_id.eq(Some(account)))
    .execute(&mut *conn)
    .unwrap();
}
