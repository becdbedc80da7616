//! Issue 9: a window is bounded (election.max_window_days,
//! election.max_extension_days), a time past year 9999 in UTC is bad input
//! naming `closes_at` (it answered 500), and every surface reads a written
//! time by the same rule (election::LocalTime).

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use serde_json::json;

use crate::domain_support::*;
use crate::helpers::*;

fn extend_path(slug: &str) -> String {
    format!("/api/v1/elections/{slug}/extend")
}

#[actix_web::test]
async fn an_extension_past_year_9999_in_utc_is_a_400_naming_closes_at() {
    let c = Committee::spawn().await;
    let (status, body) = c.create(&spec_for_days(9)).await;
    assert_eq!(status, 201, "{body}");
    let before = (c.closes_at(SLUG), c.log_size(SLUG));

    for closes_at in [
        // Year 10000 in UTC: chrono reads it, RFC 3339 cannot write it back.
        "9999-12-31T23:59:59-23:59",
        // Writable, but far past any extension the configuration allows.
        "9999-12-31T00:00:00Z",
    ] {
        let (status, error) = c
            .post_json(
                &extend_path(SLUG),
                json!({ "closes_at": closes_at, "reason": "typo in the year" }),
            )
            .await;
        assert_eq!(status, 400, "{closes_at}: {error}");
        assert_eq!(error["field"], "closes_at", "{error}");
        assert!(
            error["error"].as_str().unwrap().starts_with("closes_at"),
            "{error}"
        );
    }
    assert_eq!(
        (c.closes_at(SLUG), c.log_size(SLUG)),
        before,
        "nothing changed"
    );
}

#[actix_web::test]
async fn a_spec_past_year_9999_in_utc_is_a_400_naming_closes_at() {
    let c = Committee::spawn().await;
    let spec = spec_for_days(9);
    let spec: String = spec
        .lines()
        .map(|l| {
            if l.starts_with("closes_at") {
                "closes_at = \"9999-12-31T23:59:59-23:59\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (status, error) = c.create(&spec).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["field"], "closes_at", "{error}");
    assert_eq!(error["line"], 4, "{error}");
    assert!(error["error"].as_str().unwrap().contains("9999"), "{error}");
    let (status, _) = c.create(&spec_for_days(9)).await;
    assert_eq!(status, 201, "the same spec with a sane window is accepted");
}

#[actix_web::test]
async fn a_window_longer_than_the_configured_maximum_is_refused() {
    let app = TestApp::spawn_configured(|s| s.election.max_window_days = 10).await;
    let c = Committee::with_app(app).await;
    let (status, error) = c.create(&spec_for_days(11)).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["field"], "closes_at", "{error}");
    let message = error["error"].as_str().unwrap();
    assert!(
        message.contains("10 days") && message.contains("max_window_days"),
        "{message}"
    );
    let (status, body) = c.create(&spec_for_days(10)).await;
    assert_eq!(status, 201, "{body}");
}

#[actix_web::test]
async fn the_default_maximum_window_is_60_days() {
    let c = Committee::spawn().await;
    let (status, error) = c.create(&spec_for_days(61)).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["field"], "closes_at", "{error}");
    let (status, body) = c.create(&spec_for_days(60)).await;
    assert_eq!(status, 201, "{body}");
}

#[actix_web::test]
async fn extensions_together_stay_within_the_configured_total() {
    let app = TestApp::spawn_configured(|s| s.election.max_extension_days = 3).await;
    let c = Committee::with_app(app).await;
    let (status, _) = c.create(&spec_for_days(9)).await;
    assert_eq!(status, 201);
    let created = c.closes_at(SLUG);
    let path = extend_path(SLUG);
    let extend = |to: chrono::DateTime<Utc>| {
        c.post_json(
            &path,
            json!({ "closes_at": to.to_rfc3339(), "reason": "a storm closed the worksites" }),
        )
    };

    let (status, body) = extend(created + Duration::days(2)).await;
    assert_eq!(status, 200, "{body}");
    // A second extension may not take the total past three days.
    let (status, error) = extend(created + Duration::days(3) + Duration::minutes(1)).await;
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["field"], "closes_at", "{error}");
    assert!(
        error["error"]
            .as_str()
            .unwrap()
            .contains("max_extension_days"),
        "{error}"
    );
    assert_eq!(c.closes_at(SLUG), created + Duration::days(2));
    let (status, body) = extend(created + Duration::days(3)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(c.closes_at(SLUG), created + Duration::days(3));
    // Created, then two extensions: the refusal left no entry.
    assert_eq!(c.log_size(SLUG), 3);
}

#[actix_web::test]
async fn a_bad_reason_is_a_400_naming_reason() {
    let c = Committee::spawn().await;
    let (status, _) = c.create(&spec_for_days(9)).await;
    assert_eq!(status, 201);
    let later = (c.closes_at(SLUG) + Duration::days(1)).to_rfc3339();
    for reason in [
        "storm\u{0}",
        "storm\nflood",
        "storm \u{202E}doolf",
        &"r".repeat(501),
    ] {
        let (status, error) = c
            .post_json(
                &extend_path(SLUG),
                json!({ "closes_at": later, "reason": reason }),
            )
            .await;
        assert_eq!(status, 400, "{reason:?}: {error}");
        assert_eq!(error["field"], "reason", "{error}");
    }
    assert_eq!(c.log_size(SLUG), 1);
}

#[actix_web::test]
async fn the_cli_refuses_a_year_past_9999_and_an_unbounded_extension() {
    let c = Committee::spawn().await;
    let (status, _) = c.create(&spec_for_days(9)).await;
    assert_eq!(status, 201);
    let before = c.closes_at(SLUG);
    let zone = chrono_tz::America::Los_Angeles;
    let local = |t: chrono::DateTime<Utc>| {
        t.with_timezone(&zone)
            .format("%Y-%m-%dT%H:%M:%S")
            .to_string()
    };
    for (closes_at, says) in [
        ("9999-12-31T23:59:59-23:59".to_string(), "9999"),
        (local(before + Duration::days(61)), "60 days"),
    ] {
        let out = ratify_on(
            &c.app,
            &[
                "election",
                "extend",
                SLUG,
                "--closes-at",
                &closes_at,
                "--reason",
                "typo",
            ],
        );
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("--closes-at") && err.contains(says), "{err}");
    }
    assert_eq!(c.closes_at(SLUG), before);
    let out = ratify_on(
        &c.app,
        &[
            "election",
            "extend",
            SLUG,
            "--closes-at",
            &local(before + Duration::days(1)),
            "--reason",
            "storm",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(c.closes_at(SLUG), before + Duration::days(1));
}

#[actix_web::test]
async fn the_cli_refuses_a_spec_whose_window_is_too_long() {
    let app = TestApp::spawn().await;
    let file = app.tmp.path().join("long.toml");
    std::fs::write(&file, spec_for_days(61)).unwrap();
    let out = ratify_on(&app, &["election", "create", &path_str(&file)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("closes_at") && err.contains("60 days"),
        "{err}"
    );
}

/// The first Sunday of November 2099, when Los Angeles falls back from
/// PDT to PST at 02:00 (01:00-01:59 happens twice).
fn fall_back_2099() -> NaiveDate {
    (1..=7)
        .map(|d| NaiveDate::from_ymd_opt(2099, 11, d).unwrap())
        .find(|d| d.weekday() == Weekday::Sun)
        .unwrap()
}

/// One rule for ambiguous local times, on the page and on the command line:
/// refused, offering both offsets; either offset is then accepted.
#[actix_web::test]
async fn page_and_cli_read_an_ambiguous_local_time_by_the_same_rule() {
    let c = Committee::spawn().await;
    let zone = chrono_tz::America::Los_Angeles;
    let day = fall_back_2099();
    let opens = zone
        .from_local_datetime(&(day - Duration::days(20)).and_hms_opt(9, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let closes = opens + Duration::days(9);
    let (status, body) = c.create(&spec_between(opens, closes)).await;
    assert_eq!(status, 201, "{body}");
    let twice = format!("{}T01:30", day.format("%Y-%m-%d"));

    let (status, html) = c
        .post_form(
            &format!("/committee/elections/{SLUG}/extend"),
            &[("closes_at", &twice), ("reason", "storm")],
        )
        .await;
    assert_eq!(status, 400);
    let out = ratify_on(
        &c.app,
        &[
            "election",
            "extend",
            SLUG,
            "--closes-at",
            &twice,
            "--reason",
            "storm",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let cli = stderr(&out);
    let earlier = format!("{}T01:30:00-07:00", day.format("%Y-%m-%d"));
    let later = format!("{}T01:30:00-08:00", day.format("%Y-%m-%d"));
    for said in [&html, &cli] {
        assert!(said.contains("happens twice"), "{said}");
    }
    // The command line offers both offsets; the page, whose box takes no
    // offset, says to choose another time, in words (issue 11).
    assert!(cli.contains(&earlier) && cli.contains(&later), "{cli}");
    assert!(
        html.contains("choose a time an hour earlier or later"),
        "{html}"
    );
    assert_eq!(c.closes_at(SLUG), closes);

    // The offset the message offers is taken as written.
    let out = ratify_on(
        &c.app,
        &[
            "election",
            "extend",
            SLUG,
            "--closes-at",
            &later,
            "--reason",
            "storm",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        c.closes_at(SLUG),
        chrono::DateTime::parse_from_rfc3339(&later).unwrap()
    );
}

#[actix_web::test]
async fn the_extend_form_shows_the_bound() {
    let c = Committee::spawn().await;
    let (status, _) = c.create(&spec_for_days(9)).await;
    assert_eq!(status, 201);
    let (status, html) = c
        .post_form(
            &format!("/committee/elections/{SLUG}/extend"),
            &[("closes_at", "9999-12-31T15:00"), ("reason", "typo")],
        )
        .await;
    assert_eq!(status, 400, "{html}");
    assert!(
        html.contains("New closing time") && html.contains("60 days"),
        "{html}"
    );
    assert_eq!(c.log_size(SLUG), 1);
}
