//! The whole election of ../shared/spec/acceptance.md, driven from outside:
//! the `ratify` command line, `ratify serve` over HTTP, and real email
//! through an SMTP server on loopback, on the test's database (SQLite, or
//! PostgreSQL with RATIFY_TEST_DATABASE_URL). Real time: the window opens
//! about a minute after the election is created and lasts a minute.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use ratify::credential::Token;
use ratify_testkit::{Member, SpecFixture};
use serde_json::Value;

use crate::helpers::*;
use crate::mail_support::*;
use crate::vote_support::*;

const SLUG: &str = "kern-lbfo-2024";
const COMMITTEE: [&str; 3] = [
    "chair@union.example",
    "secretary@union.example",
    "member@union.example",
];

struct Scenario {
    env: Vec<(String, String)>,
    dir: PathBuf,
}

impl Scenario {
    fn ok(&self, args: &[&str]) -> String {
        ratify_ok(args, &self.env)
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.ok(&all)).expect("--json prints JSON")
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = ratify_with(args, &self.env, b"");
        assert!(!out.status.success(), "ratify {args:?} should have failed");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    fn path(&self, name: &str) -> String {
        path_str(&self.dir.join(name))
    }

    /// The key ceremony of three trustees, each step a command.
    fn ceremony(&self) {
        for t in 1..=3 {
            let key = self.path(&format!("trustee{t}"));
            self.ok(&["trustee", "keygen", "--out", &key]);
            self.ok(&["trustee", "register", SLUG, &format!("{key}/public.json")]);
        }
        for step in ["deal", "confirm"] {
            let roster = self.path(&format!("roster-{step}.json"));
            self.ok(&["trustee", "roster", SLUG, "--out", &roster]);
            for t in 1..=3 {
                let out = self.path(&format!("{step}{t}.json"));
                let key = self.path(&format!("trustee{t}"));
                self.ok(&[
                    "trustee", step, "--key", &key, "--roster", &roster, "--out", &out,
                ]);
                self.ok(&["trustee", "register", SLUG, &out]);
            }
        }
        self.ok(&["election", "publish-key", SLUG]);
    }
}

/// `ratify serve` on a port of its own; returns the child and its address.
fn start_serve(env: &[(String, String)]) -> (Child, String) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_ratify"))
        .args(["--config", "config/test.toml", "serve"])
        .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .env("RATIFY__SERVER__BIND", format!("127.0.0.1:{port}"))
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start ratify serve");
    let address = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "ratify serve did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (child, address)
}

async fn sleep_until(t: chrono::DateTime<Utc>) {
    let wait = (t - Utc::now()).to_std().unwrap_or_default();
    actix_web::rt::time::sleep(wait).await;
}

/// Known choices for the voters, in roll order: lbfo alternates (an even
/// number of voters ties it, and a tie fails a majority); strike is left
/// blank by every tenth voter, and of the others exactly two thirds say
/// yes (exactly 2/3 passes `at_least = "2/3"`).
fn choices(voters: &[&Member]) -> BTreeMap<String, (&'static str, &'static str)> {
    let mut blank: Vec<bool> = (0..voters.len()).map(|k| k % 10 == 9).collect();
    let mut answered: Vec<usize> = (0..voters.len()).filter(|k| !blank[*k]).collect();
    while !answered.len().is_multiple_of(3) {
        blank[answered.pop().unwrap()] = true;
    }
    voters
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let lbfo = if k % 2 == 0 { "yes" } else { "no" };
            let strike = match answered.iter().position(|a| *a == k) {
                None => "",
                Some(i) if i % 3 == 2 => "no",
                Some(_) => "yes",
            };
            (m.number.clone(), (lbfo, strike))
        })
        .collect()
}

/// What the results must say for a group of `units`.
fn expect_group(g: &Value, roll: &[Member], chosen: &BTreeMap<String, (&str, &str)>) {
    let units: Vec<&str> = g["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    let members: Vec<&Member> = roll
        .iter()
        .filter(|m| units.contains(&m.unit.as_str()))
        .collect();
    assert_eq!(g["eligible"], members.len(), "eligible of {}", g["name"]);
    let votes: Vec<(&str, &str)> = members
        .iter()
        .filter_map(|m| chosen.get(&m.number).copied())
        .collect();
    assert_eq!(g["ballots"], votes.len(), "ballots of {}", g["name"]);
    let count = |f: &dyn Fn(&(&str, &str)) -> bool| votes.iter().filter(|v| f(v)).count();
    let q = &g["questions"];
    assert_eq!(q[0]["id"], "lbfo");
    assert_eq!(
        q[0]["counts"]["yes"],
        count(&|v| v.0 == "yes"),
        "{}",
        g["name"]
    );
    assert_eq!(
        q[0]["counts"]["no"],
        count(&|v| v.0 == "no"),
        "{}",
        g["name"]
    );
    assert_eq!(
        q[1]["counts"]["yes"],
        count(&|v| v.1 == "yes"),
        "{}",
        g["name"]
    );
    assert_eq!(
        q[1]["counts"]["no"],
        count(&|v| v.1 == "no"),
        "{}",
        g["name"]
    );
    assert_eq!(q[1]["blank"], count(&|v| v.1.is_empty()), "{}", g["name"]);
}

#[actix_web::test]
async fn the_whole_election_of_the_acceptance_scenario() {
    let Some(sink) = SmtpSink::start() else {
        return;
    };
    let app = TestApp::spawn().await;
    let mut env = mail_env(&app, &sink);
    env.push(("RATIFY__AUDIT__CHECKPOINT_INTERVAL_SECS".into(), "1".into()));
    let s = Scenario {
        env,
        dir: app.tmp.path().join("scenario"),
    };
    std::fs::create_dir_all(&s.dir).unwrap();

    // 2. The election: 300 members, Extra Help 3; three trustees, k = 2;
    // a quorum of two certifies.
    for email in COMMITTEE {
        let out = ratify_with(
            &[
                "account",
                "create",
                "--email",
                email,
                "--name",
                "Committee",
                "--role",
                "committee",
                "--password-stdin",
            ],
            &s.env,
            PASSWORD.as_bytes(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let opens = Utc::now() + chrono::Duration::seconds(75);
    let closes = opens + chrono::Duration::seconds(60);
    let spec = s.dir.join("spec.toml");
    std::fs::write(&spec, SpecFixture::kern().window_at(opens, closes).toml()).unwrap();
    assert_eq!(s.ok(&["election", "create", &path_str(&spec)]).trim(), SLUG);
    let roll = ratify_testkit::roll::in_units(&[
        ("U1", 50),
        ("U2", 50),
        ("U3", 50),
        ("U4", 50),
        ("U5", 50),
        ("U6", 47),
        ("XH", 3),
    ]);
    let csv = s.dir.join("roll.csv");
    std::fs::write(&csv, ratify_testkit::roll::csv(&roll)).unwrap();
    s.ok(&["roll", "import", SLUG, &path_str(&csv)]);
    s.ceremony();

    // 3. Ballots by email: one message per member with one link, in the
    // member's language.
    let (mut server, address) = start_serve(&s.env);
    s.ok(&["ballots", "send", SLUG]);
    let mail = sink.wait_for(300, Duration::from_secs(120));
    let by_email: BTreeMap<&str, &Member> = roll.iter().map(|m| (m.email.as_str(), m)).collect();
    let mut tokens: BTreeMap<String, Token> = BTreeMap::new();
    for msg in &mail {
        let m = by_email[msg.rcpt_tos[0].as_str()];
        let spanish = msg.text.contains("Condado de Kern");
        assert_eq!(
            spanish,
            m.language == "es",
            "message to {} in the wrong language",
            m.email
        );
        assert!(tokens
            .insert(m.number.clone(), Token::parse(&msg.token()).unwrap())
            .is_none());
    }
    assert_eq!(tokens.len(), 300);

    // 4. Before opening: refused with a clear page. Mail scanners may open
    // links any number of times (S5).
    let client = voter_client();
    let first = &roll[0].number;
    let link = |t: &Token| format!("{address}/vote/{}", t.expose());
    let early = client.get(link(&tokens[first])).send().await.unwrap();
    assert_eq!(early.status(), 403);
    // One member's ballot is reissued: the old link is refused, the new
    // one (by email) works.
    let lost = roll[1].number.clone();
    s.ok(&[
        "ballots",
        "reissue",
        SLUG,
        &lost,
        "--reason",
        "lost the email",
    ]);
    let reissued = sink.wait_for(301, Duration::from_secs(60));
    let new = Token::parse(&reissued[300].token()).unwrap();
    let old = tokens.insert(lost.clone(), new).unwrap();
    sleep_until(opens + chrono::Duration::seconds(1)).await;
    // A fresh client: the server closed the idle keep-alive connection.
    let client = voter_client();
    assert_eq!(client.get(link(&old)).send().await.unwrap().status(), 409);
    for _ in 0..3 {
        assert_eq!(
            client
                .get(link(&tokens[first]))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
    }

    // Repeated and concurrent casts with one link record one ballot.
    let voters: Vec<&Member> = roll.iter().filter(|m| !m.number.ends_with('7')).collect();
    let chosen = choices(&voters);
    let (l, st) = chosen[first];
    let racing: Vec<_> = (0..8)
        .map(|_| {
            let (address, token) = (address.clone(), tokens[first].clone());
            actix_web::rt::spawn(async move {
                let link = format!("{address}/vote/{}", token.expose());
                let res = voter_client()
                    .post(&link)
                    .form(&answers(l, st))
                    .send()
                    .await
                    .unwrap();
                res.status().as_u16()
            })
        })
        .collect();
    let mut won = 0;
    for r in racing {
        if r.await.unwrap() == 303 {
            won += 1;
        }
    }
    assert_eq!(won, 1, "one link cast {won} ballots");
    for m in voters.iter().skip(1) {
        let (lbfo, strike) = chosen[&m.number];
        let (status, _) = cast_at(&address, &tokens[&m.number], lbfo, strike).await;
        assert_eq!(status, 303, "member {} could not vote", m.number);
    }
    assert!(Utc::now() < closes, "casting took longer than the window");

    // After the close: refused.
    sleep_until(closes + chrono::Duration::seconds(6)).await;
    let client = voter_client();
    let late = roll.iter().find(|m| m.number.ends_with('7')).unwrap();
    assert_eq!(
        client
            .get(link(&tokens[&late.number]))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );

    // 5. Tally; two of three trustees decrypt (a forged share is refused
    // naming its trustee); results per group and overall.
    let tally = s.path("tally.json");
    let t = s.json(&["tally", SLUG, "--out", &tally]);
    let names: Vec<&str> = t["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("XH") && n.contains('+')),
        "Extra Help is merged: {names:?}"
    );
    for k in [1, 3] {
        let share = s.path(&format!("share{k}.json"));
        s.ok(&[
            "trustee",
            "decrypt",
            "--key",
            &s.path(&format!("trustee{k}")),
            "--tally",
            &tally,
            "--out",
            &share,
        ]);
    }
    let forged = s.path("forged.json");
    let mut bad: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path("share1.json")).unwrap()).unwrap();
    bad["shares"][0][0][0]["share"] = bad["shares"][0][0][1]["share"].clone();
    std::fs::write(&forged, bad.to_string()).unwrap();
    assert!(s
        .fails(&["trustee", "submit", SLUG, &forged])
        .contains("trustee 1"));
    s.ok(&["trustee", "submit", SLUG, &s.path("share3.json")]);
    s.ok(&["trustee", "submit", SLUG, &s.path("share1.json")]);
    let results = s.json(&["results", SLUG]);
    assert_eq!(results["state"], "tallied");
    for g in results["groups"].as_array().unwrap() {
        expect_group(g, &roll, &chosen);
    }
    let mut overall = results["overall"].clone();
    overall["units"] = serde_json::json!(["U1", "U2", "U3", "U4", "U5", "U6", "XH"]);
    overall["name"] = "overall".into();
    expect_group(&overall, &roll, &chosen);
    assert_eq!(
        overall["questions"][0]["passed"], false,
        "a tie fails a majority"
    );
    assert_eq!(
        overall["questions"][1]["passed"], true,
        "exactly 2/3 passes"
    );

    // 6. Two committee members certify; the record verifies.
    for email in &COMMITTEE[..2] {
        let out = ratify_with(
            &["certify", SLUG, "--email", email, "--password-stdin"],
            &s.env,
            PASSWORD.as_bytes(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(s.json(&["results", SLUG])["state"], "certified");
    assert!(s
        .fails(&[
            "election",
            "extend",
            SLUG,
            "--closes-at",
            "2099-01-01T00:00:00",
            "--reason",
            "late"
        ])
        .contains("ratify:"));
    let record = s.dir.join("record");
    s.ok(&[
        "record",
        "export",
        SLUG,
        "--out",
        &path_str(&record),
        "--private",
    ]);
    stop_serve(&mut server);
    verify_and_tamper(&s, &record);
}

/// `ratify audit verify` passes the record, and fails every tampered copy
/// with a reason that names what broke (step 7).
fn verify_and_tamper(s: &Scenario, record: &Path) {
    let verify =
        |dir: &Path| ratify_with(&["--json", "audit", "verify", &path_str(dir)], &s.env, b"");
    let out = verify(record);
    assert!(
        out.status.success(),
        "the record does not verify: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    for (name, tamper, names) in crate::acceptance_tamper::cases() {
        let copy = s.dir.join(format!("tampered-{name}"));
        copy_dir(record, &copy);
        tamper(&copy);
        let out = verify(&copy);
        assert!(
            !out.status.success(),
            "{name}: the tampering was not detected"
        );
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(
            report.contains(names),
            "{name}: the failure does not name {names}: {report}"
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
