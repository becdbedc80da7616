//! Issue 9, one error path: every kind of mistake in a spec — a wrong type,
//! an unknown field, a missing field, a bad value — is refused naming its
//! field path and its line as data (S16), in the API's `field` and `line`
//! and on the committee page, and nothing is created.

use serde_json::json;

use crate::domain_support::*;

/// The spec with the first `find` replaced by `replace`.
fn spec_with(find: &str, replace: &str) -> String {
    let spec = spec_for_days(9);
    assert!(spec.contains(find), "fixture has no {find:?}");
    spec.replacen(find, replace, 1)
}

/// Posts the spec to the committee page's form; answers status and page.
async fn post_page(c: &Committee, spec: &str) -> (u16, String) {
    let form = reqwest::multipart::Form::new().text("spec", spec.to_string());
    let res = c
        .client
        .post(
            c.app
                .url(&format!("/committee/elections/new?csrf={}", c.csrf)),
        )
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[actix_web::test]
async fn every_kind_of_spec_mistake_names_its_path_and_line() {
    let c = Committee::spawn().await;
    let cases = [
        (
            "a wrong type",
            spec_with("trustees = 3", "trustees = \"three\""),
            "trustees",
            7,
            "expected a whole number",
        ),
        (
            "a wrong type in a table",
            spec_with("name = \"Clerical\"", "name = 7"),
            "units[3].name",
            25,
            "expected a string",
        ),
        (
            "an unknown field",
            spec_with("name = \"Clerical\"", "name = \"Clerical\"\nsize = 40"),
            "units[3].size",
            26,
            "unknown field `size`",
        ),
        (
            "an unknown field in an inline table",
            spec_with(
                "{ id = \"no\", en = \"No\", es = \"No\" }",
                "{ id = \"no\", en = \"No\", es = \"No\", fr = \"Non\" }",
            ),
            "questions[0].options[1].fr",
            42,
            "unknown field `fr`",
        ),
        (
            // The line is the question's `[[questions]]` header.
            "a missing field",
            spec_with("rule = \"majority\"", ""),
            "questions[0].rule",
            39,
            "missing field `rule`",
        ),
        (
            "a bad value",
            spec_with("rule = \"majority\"", "rule = \"most\""),
            "questions[0].rule",
            43,
            "`most` is not a rule",
        ),
    ];
    for (what, spec, field, line, says) in cases {
        let (status, error) = c.create(&spec).await;
        assert_eq!(status, 400, "{what}: {error}");
        assert_eq!(error["field"], field, "{what}: {error}");
        assert_eq!(error["line"], json!(line), "{what}: {error}");
        let message = error["error"].as_str().unwrap();
        assert!(message.contains(says), "{what}: {message}");

        let (status, html) = post_page(&c, &spec).await;
        assert_eq!(status, 400, "{what}: {html}");
        for shown in [
            format!("Line {line},"),
            format!("field <code>{field}</code>"),
            says.to_string(),
        ] {
            assert!(
                html.contains(&shown),
                "{what}: {shown:?} not on the page:\n{html}"
            );
        }
    }
    let res = c
        .client
        .get(c.app.url("/api/v1/elections"))
        .send()
        .await
        .unwrap();
    let list: serde_json::Value = res.json().await.unwrap();
    assert_eq!(list, json!([]), "nothing was created");
}
