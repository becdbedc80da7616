//! Issue 13, "Done when": a member completes the vote with the keyboard
//! only — Tab to move, Space and the arrow keys to choose, Enter to send —
//! from their ballot link through the review to the receipt, in English
//! and in Spanish, at phone (360 px) and desktop (1280 px) widths. No
//! element is clicked; the receipt's tracker is then looked up in the
//! election's record. Screenshots: target/screenshots/keyboard/.

use std::path::Path;

use ratify_testkit::roll;

use crate::helpers::*;
use crate::vote_support::*;

/// What has the focus: its id, else its tag and type (`BUTTON:submit`).
async fn focused(b: &Browser) -> String {
    let script = "const e = document.activeElement; \
                  return !e ? '' : (e.id || (e.tagName + ':' + (e.type || '')));";
    b.execute(script, vec![])
        .await
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// Presses Tab until `target` has the focus (as [`focused`] names it).
async fn tab_to(b: &Browser, target: &str) {
    let mut seen = Vec::new();
    for _ in 0..40 {
        b.press(&TAB.to_string()).await;
        let now = focused(b).await;
        if now == target {
            return;
        }
        seen.push(now);
    }
    panic!("Tab never reached {target}; it went through {seen:?}");
}

async fn checked(b: &Browser, id: &str) -> bool {
    let script = format!("return document.getElementById('{id}').checked;");
    b.execute(&script, vec![]).await.as_bool().unwrap_or(false)
}

async fn text_of(b: &Browser, id: &str) -> String {
    let script = format!("return document.getElementById('{id}').textContent;");
    b.execute(&script, vec![])
        .await
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// One member's whole vote by keyboard; returns the receipt's tracker.
async fn vote_by_keyboard(b: &Browser, link: &str, shots: &Path, name: &str) -> String {
    b.goto(link).await;
    b.find("#window").await;
    b.screenshot(&shots.join(format!("{name}-1-ballot.png")))
        .await;
    // Question 1: Tab into its group, Space chooses the focused option.
    tab_to(b, "answer-lbfo-yes").await;
    b.press(" ").await;
    assert!(checked(b, "answer-lbfo-yes").await, "Space chose nothing");
    // Question 2: Tab to its group, the down arrow moves to "No".
    tab_to(b, "answer-strike-yes").await;
    b.press(&ARROW_DOWN.to_string()).await;
    assert_eq!(focused(b).await, "answer-strike-no");
    assert!(checked(b, "answer-strike-no").await);
    // Enter on the review button.
    tab_to(b, "BUTTON:submit").await;
    b.press(&ENTER.to_string()).await;
    b.find("#cast").await;
    let review = b.source().await;
    assert!(
        review.contains(r#"name="answer-lbfo" value="yes""#)
            && review.contains(r#"name="answer-strike" value="no""#),
        "the review shows other choices:\n{review}"
    );
    b.screenshot(&shots.join(format!("{name}-2-review.png")))
        .await;
    tab_to(b, "cast").await;
    b.press(&ENTER.to_string()).await;
    b.find("#tracker").await;
    b.screenshot(&shots.join(format!("{name}-3-receipt.png")))
        .await;
    text_of(b, "tracker").await
}

#[actix_web::test]
async fn members_vote_with_the_keyboard_only_in_english_and_spanish() {
    let Some(b) = Browser::start(1280, 900).await else {
        return;
    };
    let shots = workspace().join("target/screenshots/keyboard");
    std::fs::create_dir_all(&shots).unwrap();
    let app = TestApp::spawn().await;
    // spread(): members 0 and 3 read Spanish, 1 and 2 English.
    let links = open_election(&app, "vote-keys", &roll::spread(4));
    let flows = [
        (0, "es", 360),
        (1, "en", 360),
        (2, "en", 1280),
        (3, "es", 1280),
    ];
    for (i, lang, width) in flows {
        b.emulate(width, if width < 600 { 740 } else { 900 }, width < 600)
            .await;
        let link = app.url(&format!("/vote/{}", links[i].1.expose()));
        let name = format!("{lang}-{width}");
        let tracker = vote_by_keyboard(&b, &link, &shots, &name).await;
        let receipt = b.source().await;
        assert!(
            receipt.contains(&format!("lang=\"{lang}\"")),
            "{name}: {receipt}"
        );
        assert_eq!(tracker.len(), 64, "{name}: the full tracker is shown");
        // The tracker is in the election: its public lookup finds it.
        let lookup = app
            .get(&format!("/elections/vote-keys/ballots/{tracker}?lang=en"))
            .await;
        assert_eq!(lookup.status(), 200, "{name}: tracker not in the record");
        assert!(lookup.text().await.unwrap().contains("is in the record"));
    }
    b.close().await;
    assert_eq!(
        counts(&app),
        (4, 4, 4),
        "four ballots, four voters, four used links"
    );
    for (_, lang, width) in flows {
        for step in ["1-ballot", "2-review", "3-receipt"] {
            let shot = shots.join(format!("{lang}-{width}-{step}.png"));
            assert!(
                std::fs::metadata(&shot).unwrap().len() > 1000,
                "{}",
                shot.display()
            );
        }
    }
}
