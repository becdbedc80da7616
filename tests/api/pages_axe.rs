//! Issue 11, done when: every committee page, driven in headless Chromium
//! as each role at 360 px (a phone) and at 1280 px, passes axe-core's WCAG
//! 2.1 AA rules with no violation, and at 360 px nothing scrolls sideways.
//! Screenshots are kept under target/screenshots/ (the committee guide's
//! images in docs/img/ are copied from target/screenshots/guide/).
//!
//! axe-core comes from the npm registry: `.ci/run` installs it and points
//! RATIFY_AXE_JS at `axe.min.js` (default: target/axe/node_modules/axe-core/
//! axe.min.js, where `npm install --prefix target/axe axe-core@4` puts it).
//! Without it the test says "skipped: axe-core not installed", and fails
//! instead when RATIFY_REQUIRE_BROWSER=1 (as in CI).

use std::io::Write as _;
use std::path::PathBuf;

use chrono::Duration;
use ratify::account::Role;
use serde_json::json;

use crate::helpers::*;
use ratify::clock::Clock;

const AXE_VAR: &str = "RATIFY_AXE_JS";
const TAGS: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const PHONE: u32 = 360;
const DESKTOP: u32 = 1280;

/// axe-core's source, or `None` after saying why the test is skipped.
fn axe_source() -> Option<String> {
    let path = std::env::var(AXE_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join("target/axe/node_modules/axe-core/axe.min.js"));
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) if std::env::var(REQUIRE_BROWSER).is_ok_and(|v| v == "1") => panic!(
            "axe-core not found at {} ({e}): run `npm install --prefix target/axe axe-core@4` \\
             or set {AXE_VAR} ({REQUIRE_BROWSER}=1)",
            path.display()
        ),
        Err(_) => {
            let _ = writeln!(std::io::stderr(), "skipped: axe-core not installed");
            None
        }
    }
}

/// What one look at a page found wrong.
struct Findings {
    problems: Vec<String>,
    shots: PathBuf,
}

impl Findings {
    /// Opens `path` and checks it at both widths, as `who`.
    async fn check(
        &mut self,
        b: &Browser,
        app: &TestApp,
        axe: &str,
        who: &str,
        name: &str,
        path: &str,
    ) {
        b.goto(&app.url(path)).await;
        self.check_here(b, axe, who, name).await;
    }

    /// Checks the page the browser is on at both widths.
    async fn check_here(&mut self, b: &Browser, axe: &str, who: &str, name: &str) {
        for (width, mobile) in [(PHONE, true), (DESKTOP, false)] {
            b.emulate(width, 900, mobile).await;
            b.find("h1").await;
            let at = format!("{who} {name} at {width} px");
            let injected = b
                .execute(&format!("{axe}\nreturn typeof axe;"), vec![])
                .await;
            assert_eq!(injected, json!("object"), "axe did not load");
            let result = b
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     axe.run(document, { runOnly: { type: 'tag', values: arguments[0] },
                                         resultTypes: ['violations'] })
                       .then(r => done({ passed: r.passes.length,
                             violations: r.violations.map(v => v.id + ' (' + v.help + '): '
                             + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')) }))
                       .catch(e => done({ passed: 0, violations: ['axe failed: ' + e] }));",
                    vec![json!(TAGS)],
                )
                .await;
            // The rules ran: even the smallest page passes several.
            let passed = result["passed"].as_u64().unwrap_or(0);
            assert!(
                passed >= 5,
                "{at}: axe checked only {passed} rules: {result}"
            );
            for v in result["violations"].as_array().into_iter().flatten() {
                self.problems
                    .push(format!("{at}: {}", v.as_str().unwrap_or_default()));
            }
            let sizes = b
                .execute(
                    "return [document.documentElement.scrollWidth, window.innerWidth];",
                    vec![],
                )
                .await;
            let (scroll, inner) = (sizes[0].as_u64().unwrap(), sizes[1].as_u64().unwrap());
            // A phone lays out a page wider than itself and zooms out.
            if inner != u64::from(width) {
                self.problems
                    .push(format!("{at}: laid out {inner} px wide, zoomed out to fit"));
            }
            if scroll > inner {
                self.problems.push(format!(
                    "{at}: scrolls sideways ({scroll} px wide in {inner} px)"
                ));
            }
            let file = format!("{who}-{name}-{width}.png");
            b.screenshot(&self.shots.join(file)).await;
        }
    }
}

/// Pages whose screenshots the committee guide shows (docs/img/).
async fn guide_shot(b: &Browser, dir: &std::path::Path, name: &str) {
    b.emulate(1000, 760, false).await;
    b.find("h1").await;
    b.screenshot(&dir.join(format!("{name}.png"))).await;
}

#[actix_web::test]
async fn every_committee_page_passes_axe_at_phone_and_desktop_widths() {
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(b) = Browser::start(DESKTOP, 900).await else {
        return;
    };
    let shots = workspace().join("target/screenshots");
    let guide = shots.join("guide");
    std::fs::create_dir_all(&guide).unwrap();
    let mut found = Findings {
        problems: Vec::new(),
        shots: shots.clone(),
    };
    let app = TestApp::spawn().await;
    let opens_in = Duration::hours(1);
    app.create_election(&SpecFixture::from_now(opens_in, Duration::hours(5)));
    for role in Role::ALL {
        app.create_account(email_of(role), role);
    }
    let base = format!("/committee/elections/{SLUG}");

    // Before signing in: the sign-in page and the public pages.
    found
        .check(&b, &app, &axe, "anyone", "sign-in", "/login")
        .await;
    b.type_into("#email", email_of(Role::Committee)).await;
    guide_shot(&b, &guide, "sign-in").await;
    found.check(&b, &app, &axe, "anyone", "start", "/").await;
    found
        .check(
            &b,
            &app,
            &axe,
            "anyone",
            "public-election",
            &format!("/elections/{SLUG}"),
        )
        .await;
    found
        .check(
            &b,
            &app,
            &axe,
            "anyone",
            "public-not-found",
            "/elections/no-such",
        )
        .await;

    // The committee's forms, with their refusals and results.
    b.sign_in(&app, email_of(Role::Committee)).await;
    b.goto(&app.url("/committee/elections/new")).await;
    let bad_spec = app.tmp.path().join("bad.toml");
    std::fs::write(
        &bad_spec,
        SpecFixture::from_now(Duration::days(9), Duration::days(2)).toml(),
    )
    .unwrap();
    b.type_into("#spec_file", &bad_spec.to_string_lossy()).await;
    b.click("form[enctype] button[type=submit]").await;
    b.find("#problem").await;
    guide_shot(&b, &guide, "spec-error").await;
    found.check_here(&b, &axe, "committee", "spec-error").await;

    let bad_roll = app.tmp.path().join("bad-roll.csv");
    std::fs::write(
        &bad_roll,
        "member_number,name,email,unit,language\n1001,Ana Ruiz,ana@example.org,CO,es\n1002,Bo Li,bo-at-example.org,XH,en\n1003,Cy Diaz,cy@example.org,U8,fr\n1001,Dee Moss,dee@example.org,CO,en\n",
    )
    .unwrap();
    b.goto(&app.url(&format!("{base}/roll"))).await;
    b.type_into("#roll", &bad_roll.to_string_lossy()).await;
    b.click("form[enctype] button[type=submit]").await;
    b.find("#problems").await;
    guide_shot(&b, &guide, "roll-errors").await;
    found.check_here(&b, &axe, "committee", "roll-errors").await;

    let good_roll = app.tmp.path().join("roll.csv");
    std::fs::write(&good_roll, roll::csv(&roll::spread(4012))).unwrap();
    b.goto(&app.url(&format!("{base}/roll"))).await;
    b.type_into("#roll", &good_roll.to_string_lossy()).await;
    b.click("form[enctype] button[type=submit]").await;
    b.find("#imported").await;
    assert!(
        !b.current_url().await.contains("csrf"),
        "a token in the address"
    );
    guide_shot(&b, &guide, "roll-imported").await;
    found
        .check_here(&b, &axe, "committee", "roll-imported")
        .await;
    found
        .check(
            &b,
            &app,
            &axe,
            "committee",
            "correct-spec",
            &format!("{base}/spec"),
        )
        .await;
    b.goto(&app.url(&base)).await;
    guide_shot(&b, &guide, "election-draft").await;
    app.key_ceremony(SLUG);

    // Every page as every role: a draft ready to publish, then open.
    let other_account = {
        let mut conn = app.db.get().unwrap();
        ratify::account::list_accounts(&mut conn)
            .unwrap()
            .into_iter()
            .find(|a| a.email == email_of(Role::Auditor))
            .unwrap()
            .id
    };
    let draft_pages = [
        ("elections", "/committee".to_string()),
        ("new-election", "/committee/elections/new".into()),
        ("election-ready", base.clone()),
        ("roll", format!("{base}/roll")),
        ("members", format!("{base}/members?q=M00001")),
        ("members-none", format!("{base}/members?q=Z9")),
        ("publish-key", format!("{base}/publish-key")),
        ("delete-draft", format!("{base}/delete")),
        ("accounts", "/committee/accounts".into()),
        (
            "disable-account",
            format!("/committee/accounts/{other_account}/disable"),
        ),
        ("password", "/account/password".into()),
        ("not-found", "/committee/elections/no-such".into()),
    ];
    for role in Role::ALL {
        let who = role.as_str();
        b.clear_cookies().await;
        b.sign_in(&app, email_of(role)).await;
        for (name, path) in &draft_pages {
            found.check(&b, &app, &axe, who, name, path).await;
        }
        found
            .check(
                &b,
                &app,
                &axe,
                who,
                "election-es",
                &format!("{base}?lang=es"),
            )
            .await;
    }
    app.publish_key(SLUG);
    app.clock.advance(opens_in + Duration::minutes(10));
    for role in Role::ALL {
        let who = role.as_str();
        b.clear_cookies().await;
        b.sign_in(&app, email_of(role)).await;
        found
            .check(&b, &app, &axe, who, "election-open", &base)
            .await;
        if role != Role::Trustee {
            found
                .check(
                    &b,
                    &app,
                    &axe,
                    who,
                    "ballots-open",
                    &format!("{base}/ballots"),
                )
                .await;
        }
        found
            .check(
                &b,
                &app,
                &axe,
                who,
                "members-open",
                &format!("{base}/members?q=M0000"),
            )
            .await;
        if role == Role::Committee {
            b.goto(&app.url(&base)).await;
            guide_shot(&b, &guide, "election-open").await;
        }
    }
    b.close().await;
    assert!(
        found.problems.is_empty(),
        "{} problems (screenshots in {}):\n{}",
        found.problems.len(),
        shots.display(),
        found.problems.join("\n")
    );
}

/// The member's pages (issue 13) in both languages, driven as a member
/// does — the ballot, the ballot with a skipped question, the review, the
/// receipt, the used link, an unknown link — pass axe at phone and desktop
/// widths without sideways scrolling. Screenshots: target/screenshots/voter.
#[actix_web::test]
async fn every_voter_page_passes_axe_at_phone_and_desktop_widths() {
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(b) = Browser::start(DESKTOP, 900).await else {
        return;
    };
    let shots = workspace().join("target/screenshots/voter");
    std::fs::create_dir_all(&shots).unwrap();
    let mut found = Findings {
        problems: Vec::new(),
        shots,
    };
    let app = TestApp::spawn().await;
    let links =
        crate::vote_support::open_election(&app, "vote-axe", &ratify_testkit::roll::spread(2));
    // spread(): member 0 reads Spanish, member 1 English.
    for (i, who) in [(0, "es"), (1, "en")] {
        let link = format!("/vote/{}", links[i].1.expose());
        found.check(&b, &app, &axe, who, "ballot", &link).await;
        // Each click loads a new page: wait for an element only it has.
        b.click("form button[type=submit]").await;
        b.find("#answer-lbfo-error").await;
        found.check_here(&b, &axe, who, "ballot-problems").await;
        b.click("#answer-lbfo-no").await;
        b.click("#answer-strike-yes").await;
        b.click("form button[type=submit]").await;
        b.find("#cast").await;
        found.check_here(&b, &axe, who, "review").await;
        b.click("#cast").await;
        b.find("#tracker").await;
        found.check_here(&b, &axe, who, "receipt").await;
        found.check(&b, &app, &axe, who, "used-link", &link).await;
    }
    found
        .check(&b, &app, &axe, "anyone", "unknown-link", "/vote/not-a-link")
        .await;
    b.close().await;
    assert_eq!(crate::vote_support::counts(&app), (2, 2, 2));
    assert!(found.problems.is_empty(), "{}", found.problems.join("\n"));
}

/// The results pages (issue 14) — the committee's results page with its
/// charts and certification form, the public page with certified results,
/// and the ballot lookup with its inclusion proof — pass axe at phone and
/// desktop widths. Screenshots: target/screenshots/results.
#[actix_web::test]
async fn every_results_page_passes_axe_at_phone_and_desktop_widths() {
    let Some(axe) = axe_source() else {
        return;
    };
    let Some(b) = Browser::start(DESKTOP, 900).await else {
        return;
    };
    let shots = workspace().join("target/screenshots/results");
    std::fs::create_dir_all(&shots).unwrap();
    let mut found = Findings {
        problems: Vec::new(),
        shots,
    };
    let app = TestApp::spawn().await;
    let slug = "results-axe";
    let (secrets, tracker) = crate::tally_support::closed_election(&app, slug);
    app.create_account(email_of(Role::Committee), Role::Committee);
    b.sign_in(&app, email_of(Role::Committee)).await;
    let results = format!("/committee/elections/{slug}/results");
    found
        .check(&b, &app, &axe, "committee", "results-closed", &results)
        .await;
    let tally = crate::tally_support::run_tally(&app, slug).request;
    for secret in &secrets[..2] {
        crate::tally_support::submit_share(&app, slug, secret, &tally).unwrap();
    }
    found
        .check(&b, &app, &axe, "committee", "results", &results)
        .await;
    let c2 = "second@example.org";
    app.create_account(c2, Role::Committee);
    for email in [email_of(Role::Committee), c2] {
        let mut conn = app.db.get().unwrap();
        let pw = secrecy::SecretString::from(PASSWORD.to_string());
        let who = ratify::certify::check_certifier(&mut conn, email, &pw).unwrap();
        let keys = ratify::keys::Keys::load(&app.settings.keys).unwrap();
        let signer = ratify::audit::signer(&keys, &app.settings.audit).unwrap();
        ratify::certify::certify(
            &mut conn,
            slug,
            &who,
            &signer,
            &app.settings.audit,
            app.clock.now(),
        )
        .unwrap();
    }
    found
        .check(&b, &app, &axe, "committee", "certified", &results)
        .await;
    found
        .check(
            &b,
            &app,
            &axe,
            "anyone",
            "public-results",
            &format!("/elections/{slug}"),
        )
        .await;
    found
        .check(
            &b,
            &app,
            &axe,
            "anyone",
            "lookup",
            &format!("/elections/{slug}/ballots/{tracker}"),
        )
        .await;
    b.close().await;
    assert!(found.problems.is_empty(), "{}", found.problems.join("\n"));
}
