//! Issue 9: NUL bytes (a 500 on PostgreSQL) and other characters that have
//! no place in free text are refused as bad input naming the field or line;
//! free text has length limits; and no error echoes a huge value back.

use serde_json::json;

use crate::domain_support::*;

/// The spec with the first `find` replaced by `replace`.
fn spec_with(find: &str, replace: &str) -> String {
    let spec = spec_for_days(9);
    assert!(spec.contains(find), "fixture has no {find:?}");
    spec.replacen(find, replace, 1)
}

#[actix_web::test]
async fn nul_and_hidden_characters_in_a_spec_are_refused_naming_the_field() {
    let c = Committee::spawn().await;
    let cases = [
        // TOML's \u0000 escape makes a real NUL in the value.
        (
            spec_with(
                "title = { en = \"Kern County",
                "title = { en = \"Kern\\u0000 County",
            ),
            "title.en",
            2,
            "NUL",
        ),
        (
            spec_with("name = \"Supervisory\"", "name = \"Super\\u0000visory\""),
            "units[0].name",
            13,
            "NUL",
        ),
        (
            spec_with("name = \"Supervisory\"", "name = \"Super\\nvisory\""),
            "units[0].name",
            13,
            "line break",
        ),
        (
            spec_with(
                "text = { en = \"Do you accept",
                "text = { en = \"Do you \\u202Etpecca",
            ),
            "questions[0].text.en",
            41,
            "U+202E",
        ),
        (
            spec_with(
                "{ id = \"yes\", en = \"Yes\"",
                "{ id = \"yes\", en = \"Y\\u0007es\"",
            ),
            "questions[0].options[0].en",
            42,
            "U+0007",
        ),
        (
            spec_with(
                "title = { en = \"Kern County",
                &format!("title = {{ en = \"{}", "K".repeat(200)),
            ),
            "title.en",
            2,
            "at most 200",
        ),
    ];
    for (spec, field, line, says) in cases {
        let (status, error) = c.create(&spec).await;
        assert_eq!(status, 400, "{field}: {error}");
        assert_eq!(error["field"], field, "{error}");
        assert_eq!(error["line"], line, "{error}");
        let message = error["error"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
    }
    // A question may run over several lines; nothing above was created.
    let (status, body) = c
        .create(&spec_with(
            "text = { en = \"Do you accept",
            "text = { en = \"First paragraph.\\n\\nDo you accept",
        ))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(c.log_size(SLUG), 1);
}

#[actix_web::test]
async fn nul_in_the_roll_is_refused_naming_line_and_field() {
    let c = Committee::spawn().await;
    let (status, _) = c.create(&spec_for_days(9)).await;
    assert_eq!(status, 201);
    let csv = "member_number,name,email,unit,language\n\
               100001,Ana Example,ana@example.org,U1,en\n\
               100002,Ben\0Example,ben@example.org,U1,en\n\
               100003,Cy Example,cy@example.org,U\x002,en\n\
               100004,Di \u{202E}elpmaxE,di@example.org,U1,es\n";
    let res = c
        .post(&format!("/api/v1/elections/{SLUG}/roll"), "text/csv", csv)
        .await;
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    let found: Vec<(u64, &str)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_u64().unwrap(), e["field"].as_str().unwrap()))
        .collect();
    assert_eq!(found, [(3, "name"), (4, "unit"), (5, "name")], "{body}");
    assert_eq!(c.log_size(SLUG), 1, "nothing imported");
}

#[actix_web::test]
async fn nul_in_paths_and_committee_forms_is_bad_input_not_a_500() {
    let c = Committee::spawn().await;
    let (status, _) = c.create(&spec_for_days(9)).await;
    assert_eq!(status, 201);
    // A NUL in an address is bad input (the edge refuses it before any
    // route); a slug that cannot exist is simply not found.
    for (path, status) in [
        ("/committee/elections/ab%00cd".to_string(), 400),
        ("/api/v1/elections/ab%00cd".to_string(), 400),
        (format!("/committee/elections/{}", "a".repeat(5000)), 404),
    ] {
        let res = c.client.get(c.app.url(&path)).send().await.unwrap();
        assert_eq!(res.status(), status, "{path}");
    }
    // The member search names its field.
    let res = c
        .client
        .get(
            c.app
                .url(&format!("/committee/elections/{SLUG}/members?q=ab%00cd")),
        )
        .send()
        .await
        .unwrap();
    // The edge refuses a NUL anywhere in the query before the page runs.
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("This address is not valid"), "{html}");
    // The extend form's reason.
    let later = (c.closes_at(SLUG) + chrono::Duration::days(1))
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let (status, html) = c
        .post_form(
            &format!("/committee/elections/{SLUG}/extend"),
            &[("closes_at", &later), ("reason", "storm\0")],
        )
        .await;
    assert_eq!(status, 400, "{html}");
    assert!(html.contains("Reason") && html.contains("NUL"), "{html}");
    assert_eq!(c.log_size(SLUG), 1);
}

/// Before: a 100 MB one-line roll came back twice in the error (200 MB).
#[actix_web::test]
async fn a_huge_bad_line_is_not_echoed_back() {
    let c = Committee::spawn().await;
    let (status, _) = c.create(&spec_for_days(9)).await;
    assert_eq!(status, 201);
    let huge = "x".repeat(20 << 20);
    let header_only = huge.clone();
    let long_field = format!(
        "member_number,name,email,unit,language\n{huge},Ana,ana@example.org,{huge},{huge}\n"
    );
    for csv in [header_only, long_field] {
        let res = c
            .post(&format!("/api/v1/elections/{SLUG}/roll"), "text/csv", csv)
            .await;
        assert_eq!(res.status(), 400);
        let body = res.bytes().await.unwrap();
        assert!(body.len() < 4096, "the answer is {} bytes", body.len());
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(body["error"].as_str().unwrap().contains('…'), "{body}");
    }

    // The committee page's upload form too.
    let form = reqwest::multipart::Form::new().part(
        "roll",
        reqwest::multipart::Part::bytes(huge.into_bytes()).file_name("roll.csv"),
    );
    let res = c
        .client
        .post(
            c.app
                .url(&format!("/committee/elections/{SLUG}/roll?csrf={}", c.csrf)),
        )
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let page = res.bytes().await.unwrap();
    assert!(page.len() < 64 * 1024, "the page is {} bytes", page.len());

    // A spec value and an extension's time are capped the same way.
    let (status, error) = c
        .create(&spec_with(
            "slug = \"kern-lbfo-2024\"",
            &format!("slug = \"{}\"", "s".repeat(30_000)),
        ))
        .await;
    assert_eq!(status, 400);
    assert!(
        error.to_string().len() < 1024,
        "{}",
        error.to_string().len()
    );
    let (status, error) = c
        .post_json(
            &format!("/api/v1/elections/{SLUG}/extend"),
            json!({ "closes_at": "9".repeat(30_000), "reason": "storm" }),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        error.to_string().len() < 1024,
        "{}",
        error.to_string().len()
    );
}

/// Typed views: a state the code does not know is an error, never read as
/// `draft` (the one state that lets the roll change).
#[actix_web::test]
async fn an_unknown_stored_state_is_an_error_not_a_draft() {
    use diesel::connection::SimpleConnection;
    let c = Committee::spawn().await;
    let (status, _) = c.create(&spec_for_days(9)).await;
    assert_eq!(status, 201);
    c.app
        .db
        .get()
        .unwrap()
        .batch_execute("UPDATE elections SET state = 'reopened'")
        .unwrap();
    let res = c
        .client
        .get(c.app.url(&format!("/committee/elections/{SLUG}/roll")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 500);
    let html = res.text().await.unwrap();
    assert!(!html.contains("type=\"file\""), "no upload form: {html}");
}
