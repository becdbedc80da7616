//! Issues 4 and 6 through the real command line: an election from a spec,
//! the roll, the trustees' key ceremony with files moved by hand, the key
//! published and the spec frozen (decryption shares: tally_flow.rs, acceptance.rs).

use std::path::{Path, PathBuf};

use chrono::Duration;

use crate::helpers::*;

/// A roll of `n` members: three in Extra Help (a unit below the spec's
/// `min_unit_report`, S8), the rest spread over U1–U6.
pub fn roll_csv(n: usize) -> String {
    let rest = n - 3;
    let mut units = vec![("XH", 3)];
    for (i, unit) in UNITS[..6].iter().enumerate() {
        units.push((unit, rest / 6 + usize::from(i < rest % 6)));
    }
    roll::csv(&roll::in_units(&units))
}

/// Runs `ratify` against this app's database and keys.
pub struct Cli<'a> {
    pub app: &'a TestApp,
}

impl Cli<'_> {
    pub fn run(&self, args: &[&str]) -> std::process::Output {
        let mut all = vec!["--config", "config/test.toml"];
        all.extend_from_slice(args);
        let keys = path_str(&self.app.tmp.path().join("keys"));
        ratify(
            &all,
            &[
                ("RATIFY__DATABASE__URL", &self.app.settings.database.url),
                ("RATIFY__KEYS__DIR", &keys),
            ],
        )
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "ratify {args:?} failed: {}",
            stderr(&out)
        );
        stdout(&out)
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.push("--json");
        serde_json::from_str(&self.ok(&a)).unwrap()
    }
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Creates the election, imports a roll and runs the whole key ceremony;
/// returns the trustees' key directories.
pub fn ceremony(
    cli: &Cli,
    members: usize,
    opens_in: Duration,
    closes_in: Duration,
) -> Vec<PathBuf> {
    let tmp = cli.app.tmp.path();
    let spec = write(
        tmp,
        "spec.toml",
        &SpecFixture::from_now(opens_in, closes_in).toml(),
    );
    assert_eq!(
        cli.ok(&["election", "create", &path_str(&spec)]).trim(),
        SLUG
    );
    let roll = write(tmp, "roll.csv", &roll_csv(members));
    cli.ok(&["roll", "import", SLUG, &path_str(&roll)]);
    let dirs: Vec<PathBuf> = (1..=3).map(|i| tmp.join(format!("trustee{i}"))).collect();
    for d in &dirs {
        cli.ok(&["trustee", "keygen", "--out", &path_str(d)]);
        cli.ok(&[
            "trustee",
            "register",
            SLUG,
            &path_str(&d.join("public.json")),
        ]);
    }
    let roster = tmp.join("roster1.json");
    cli.ok(&["trustee", "roster", SLUG, "--out", &path_str(&roster)]);
    for d in &dirs {
        let deal = d.join("deal.json");
        cli.ok(&[
            "trustee",
            "deal",
            "--key",
            &path_str(d),
            "--roster",
            &path_str(&roster),
            "--out",
            &path_str(&deal),
        ]);
        cli.ok(&["trustee", "register", SLUG, &path_str(&deal)]);
    }
    let roster = tmp.join("roster2.json");
    cli.ok(&["trustee", "roster", SLUG, "--out", &path_str(&roster)]);
    for d in &dirs {
        let c = d.join("confirm.json");
        cli.ok(&[
            "trustee",
            "confirm",
            "--key",
            &path_str(d),
            "--roster",
            &path_str(&roster),
            "--out",
            &path_str(&c),
        ]);
        cli.ok(&["trustee", "register", SLUG, &path_str(&c)]);
    }
    dirs
}

#[actix_web::test]
async fn the_key_ceremony_publishes_a_key_and_freezes_the_election() {
    let app = TestApp::spawn().await;
    let cli = Cli { app: &app };
    let dirs = ceremony(&cli, 300, Duration::hours(1), Duration::hours(3));
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(dirs[0].join("secret.key"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let before = cli.json(&["election", "show", SLUG]);
    assert_eq!(before["state"], "draft");
    assert_eq!(before["eligible"], 300);
    assert_eq!(
        before["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["code"] == "XH")
            .unwrap()["eligible"],
        3
    );

    let published = cli.json(&["election", "publish-key", SLUG]);
    let key = published["public_key"].as_str().unwrap().to_string();
    assert_eq!(key.len(), 64);
    let after = cli.json(&["election", "show", SLUG]);
    assert_eq!(after["state"], "key_published");
    assert_eq!(after["public_key"], key.as_str());

    // Frozen: no new roll, no new trustee material, no second publish.
    let roll = write(app.tmp.path(), "roll2.csv", &roll_csv(10));
    let out = cli.run(&["roll", "import", SLUG, &path_str(&roll)]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("can no longer change"),
        "{}",
        stderr(&out)
    );
    let extra = app.tmp.path().join("late");
    cli.ok(&["trustee", "keygen", "--out", &path_str(&extra)]);
    let out = cli.run(&[
        "trustee",
        "register",
        SLUG,
        &path_str(&extra.join("public.json")),
    ]);
    assert!(!out.status.success());
    assert!(!cli.run(&["election", "publish-key", SLUG]).status.success());
    assert_eq!(cli.json(&["election", "show", SLUG])["eligible"], 300);

    // Every step is in the election's audit log, with the acting operator.
    let mut conn = app.db.get().unwrap();
    let log = ratify::audit::LogName::Election(SLUG.into());
    let entries = ratify::audit::entries(&mut conn, &log, 0, 100).unwrap();
    let kinds: Vec<String> = entries
        .iter()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(kinds[0], "election.created");
    assert_eq!(kinds[1], "roll.imported");
    assert_eq!(
        kinds.iter().filter(|k| *k == "trustee.registered").count(),
        9
    );
    assert_eq!(kinds.last().unwrap(), "key.published");
    assert!(entries.iter().all(|l| l.contains("\"actor\":\"cli:")));
    assert!(
        entries.iter().all(|l| !l.contains("m100017@example.org")),
        "no emails in the log"
    );
}

#[actix_web::test]
async fn publishing_before_everyone_confirmed_is_refused_naming_who() {
    let app = TestApp::spawn().await;
    let cli = Cli { app: &app };
    let tmp = app.tmp.path();
    let spec = write(
        tmp,
        "spec.toml",
        &SpecFixture::from_now(Duration::hours(1), Duration::hours(3)).toml(),
    );
    cli.ok(&["election", "create", &path_str(&spec)]);
    let roll = write(tmp, "roll.csv", &roll_csv(20));
    cli.ok(&["roll", "import", SLUG, &path_str(&roll)]);
    let d = tmp.join("t1");
    cli.ok(&["trustee", "keygen", "--out", &path_str(&d)]);
    cli.ok(&[
        "trustee",
        "register",
        SLUG,
        &path_str(&d.join("public.json")),
    ]);
    let out = cli.run(&["election", "publish-key", SLUG]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("cannot publish the key yet"), "{err}");
    assert_eq!(cli.json(&["election", "show", SLUG])["state"], "draft");
}

#[actix_web::test]
async fn a_tampered_deal_is_refused_naming_the_trustee() {
    let app = TestApp::spawn().await;
    let cli = Cli { app: &app };
    let tmp = app.tmp.path();
    let spec = write(
        tmp,
        "spec.toml",
        &SpecFixture::from_now(Duration::hours(1), Duration::hours(3)).toml(),
    );
    cli.ok(&["election", "create", &path_str(&spec)]);
    let dirs: Vec<PathBuf> = (1..=3).map(|i| tmp.join(format!("t{i}"))).collect();
    for d in &dirs {
        cli.ok(&["trustee", "keygen", "--out", &path_str(d)]);
        cli.ok(&[
            "trustee",
            "register",
            SLUG,
            &path_str(&d.join("public.json")),
        ]);
    }
    let roster = tmp.join("roster.json");
    cli.ok(&["trustee", "roster", SLUG, "--out", &path_str(&roster)]);
    let deal = tmp.join("deal.json");
    cli.ok(&[
        "trustee",
        "deal",
        "--key",
        &path_str(&dirs[1]),
        "--roster",
        &path_str(&roster),
        "--out",
        &path_str(&deal),
    ]);
    let mut value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&deal).unwrap()).unwrap();
    // Replace one Feldman commitment with another trustee's.
    let other = value["commitments"][0].clone();
    value["commitments"][1] = other;
    let bad = write(tmp, "bad-deal.json", &value.to_string());
    let out = cli.run(&["trustee", "register", SLUG, &path_str(&bad)]);
    assert!(!out.status.success(), "a tampered deal was accepted");
    assert!(
        stderr(&out).contains('2'),
        "names trustee 2: {}",
        stderr(&out)
    );
    // Nothing was stored: the honest deal still registers.
    cli.ok(&["trustee", "register", SLUG, &path_str(&deal)]);
}
