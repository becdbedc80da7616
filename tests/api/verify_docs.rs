//! Issue 10: the roll hash of docs/audit-format.md ("The roll hash") is
//! recomputed from the document's own words and numbers: its byte recipe
//! applied to its roll by this test, and its roll imported through the real
//! import, both give the hash the document prints.

use ratify::clock::Clock;

use crate::helpers::*;

const DOC: &str = include_str!("../../docs/audit-format.md");

/// The text of the code block whose fence reads ```` ```NAME ````.
fn block(name: &str) -> &'static str {
    let fence = format!("```{name}\n");
    let start = DOC.find(&fence).expect("the block") + fence.len();
    let end = DOC[start..].find("```").unwrap() + start;
    &DOC[start..end]
}

fn documented_hash() -> &'static str {
    let at = DOC.find("roll_hash = ").unwrap() + "roll_hash = ".len();
    &DOC[at..at + 64]
}

/// The documented bytes: "ratify-roll-v1" 0x1E, then each member sorted by
/// member number, fields joined by 0x1F, each row ended by 0x1E.
fn by_the_recipe(csv: &str) -> String {
    let mut rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    rows.sort_by(|a, b| a[0].as_bytes().cmp(b[0].as_bytes()));
    let mut bytes = b"ratify-roll-v1\x1e".to_vec();
    for r in rows {
        bytes.extend_from_slice(r.join("\x1f").as_bytes());
        bytes.push(0x1e);
    }
    hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes))
}

#[actix_web::test]
async fn the_documented_roll_hash_is_what_the_recipe_and_the_import_give() {
    let csv = block("roll");
    assert_eq!(by_the_recipe(csv), documented_hash());

    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::far_future(SLUG));
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
    let roll = ratify::roll::parse_roll(csv.as_bytes(), &e.spec.unit_codes()).unwrap();
    let imported =
        ratify::roll::import_roll(&mut conn, SLUG, &roll, SETUP, app.clock.now(), |_| {}).unwrap();
    assert_eq!(imported.roll_hash, documented_hash());
}
