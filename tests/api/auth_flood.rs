//! S11: a flood of sign-ins cannot exhaust memory or the database pool
//! (issue 9: 400 sign-ins grew the server to 1.9 GB, the pool ran dry and
//! committee pages took 5-7 s).

use std::time::{Duration, Instant};

use ratify::account::Role;

use crate::auth_support::*;
use crate::helpers::*;

const CHAIR: &str = "chair@example.org";

/// Waits (bounded) until `ready()`; panics with `what` otherwise.
async fn wait_until(what: &str, ready: impl Fn() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out: {what}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Sign-ins waiting for argon2 hold no database connection, and never more
/// run at once than the hasher has permits. The hasher's gate parks every
/// run that got a permit, so the test sees the flood mid-way without
/// depending on timing: with a pool of ONE connection, a committee page
/// must still answer while twelve sign-ins are in flight.
#[actix_web::test]
async fn a_sign_in_flood_waits_for_permits_and_leaves_the_pool_free() {
    let (app, passwords) = spawn_seeing_passwords(|s| {
        s.server.trusted_proxies = vec!["127.0.0.1".to_string().try_into().unwrap()];
        s.server.password_hash_concurrency = 2;
        s.database.pool_size = 1;
    })
    .await;
    app.create_account(CHAIR, Role::Committee);
    let chair = Visitor::new(&app, "203.0.113.1");
    assert_eq!(chair.sign_in(CHAIR, PASSWORD, "").await.0, 303);
    let runs_before = passwords.runs();

    let gate = passwords.hold().await;
    let flood: Vec<Visitor> = (0..12)
        .map(|i| Visitor::new(&app, &format!("198.51.100.{}", i + 1)))
        .collect();
    let handle =
        actix_web::rt::spawn(
            async move { sign_in_together(&flood, CHAIR, "not the password").await },
        );
    wait_until("two sign-ins hold the two permits", || {
        passwords.parked() == 2
    })
    .await;

    // Mid-flood: two sign-ins hold permits, ten wait for one; the single
    // pooled connection is free, so the committee's page answers.
    let page = chair
        .client
        .get(app.url("/committee"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(passwords.parked(), 2, "no third run got past the permits");
    assert_eq!(passwords.runs(), runs_before, "nothing ran while parked");

    drop(gate);
    let statuses = handle.await.unwrap();
    assert!(statuses.iter().all(|s| *s == 401), "{statuses:?}");
    assert_eq!(
        passwords.runs() - runs_before,
        12,
        "one argon2 run per sign-in"
    );
    assert!(
        passwords.peak_concurrency() <= 2,
        "peak {}",
        passwords.peak_concurrency()
    );
}

/// The load driver behind docs/performance.md ("Sign-in flood"): starts the
/// real `ratify serve` on loopback, sends 400 concurrent sign-ins from 400
/// forwarded addresses, and reports the server's peak RSS (VmHWM). Run:
///   cargo test --test api auth_flood::sign_in_flood_peak_rss -- --ignored --nocapture
/// (add RATIFY_TEST_DATABASE_URL=... for PostgreSQL).
#[test]
#[ignore = "load driver: run by hand, see docs/performance.md"]
fn sign_in_flood_peak_rss() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let database = TestDatabase::fresh(tmp.path());
    let db_url = database.url.clone();
    let config = tmp.path().join("flood.toml");
    std::fs::write(
        &config,
        format!(
            "[server]\nbind = \"127.0.0.1:{port}\"\npublic_base_url = \"http://127.0.0.1:{port}\"\n\
             trusted_proxies = [\"127.0.0.1\"]\n\
             [database]\nurl = \"{db_url}\"\n\
             [keys]\ndir = \"{keys}\"\n[mail]\noutbox_dir = \"{outbox}\"\n[log]\nlevel = \"warn\"\n",
            keys = tmp.path().join("keys").display(),
            outbox = tmp.path().join("outbox").display(),
        ),
    )
    .unwrap();
    let settings = ratify::config::Settings::load(Some(&config)).unwrap();
    {
        let db = ratify::db::Db::connect(&settings.database).unwrap();
        db.migrate().unwrap();
        let mut conn = db.get().unwrap();
        let new = ratify::account::NewAccount {
            email: CHAIR.into(),
            name: "Chair".into(),
            role: Role::Committee,
            password: secrecy::SecretString::from(PASSWORD.to_string()),
            totp: false,
        };
        ratify::account::create_account(
            &mut conn,
            &ratify::account::ReadyAccount::prepare_blocking(new).unwrap(),
            None,
            chrono::Utc::now(),
        )
        .unwrap();
    }
    let server = std::process::Command::new(env!("CARGO_BIN_EXE_ratify"))
        .args(["--config", &path_str(&config), "serve"])
        .env_remove("RUST_LOG")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start ratify serve");
    // Killed however the driver ends, so no server outlives the test.
    let server = KillOnDrop(server);
    let base = format!("http://127.0.0.1:{port}");
    let report = actix_web::rt::System::new().block_on(flood(&base, server.0.id()));
    drop(server);
    println!("{report}");
    assert!(report.peak_rss_kib < 300 * 1024, "{report}");
    assert_eq!(report.server_errors, 0, "{report}");
}

struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

struct FloodReport {
    baseline_rss_kib: u64,
    peak_rss_kib: u64,
    sign_ins: usize,
    server_errors: usize,
    seconds: f64,
    slowest_health_ms: u128,
}

impl std::fmt::Display for FloodReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "sign-ins: {}, 5xx: {}, wall: {:.1} s, server RSS before: {} MiB, peak (VmHWM): {} MiB, \
             slowest /readyz during the flood: {} ms",
            self.sign_ins,
            self.server_errors,
            self.seconds,
            self.baseline_rss_kib / 1024,
            self.peak_rss_kib / 1024,
            self.slowest_health_ms
        )
    }
}

fn proc_status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

async fn flood(base: &str, pid: u32) -> FloodReport {
    let plain = reqwest::Client::new();
    let start = Instant::now();
    loop {
        if let Ok(r) = plain.get(format!("{base}/readyz")).send().await {
            if r.status() == 200 {
                break;
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    let baseline_rss_kib = proc_status_kib(pid, "VmRSS:");
    const N: usize = 400;
    let start = Instant::now();
    let handles: Vec<_> = (0..N)
        .map(|i| {
            let base = base.to_string();
            actix_web::rt::spawn(async move {
                let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
                let client = jar_client(jar);
                let xff = format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256);
                let page = client
                    .get(format!("{base}/login"))
                    .header("x-forwarded-for", &xff)
                    .send()
                    .await?
                    .text()
                    .await?;
                let token = csrf_in(&page).unwrap_or_default();
                // Half the right password, half a wrong one.
                let password = if i % 2 == 0 {
                    PASSWORD
                } else {
                    "a wrong password here"
                };
                let res = client
                    .post(format!("{base}/login?csrf={token}"))
                    .header("x-forwarded-for", &xff)
                    .form(&[("email", CHAIR), ("password", password), ("totp", "")])
                    .send()
                    .await?;
                Ok::<u16, reqwest::Error>(res.status().as_u16())
            })
        })
        .collect();
    // Meanwhile: how long does a page that needs the database take?
    let mut slowest_health_ms = 0;
    while handles.iter().any(|h| !h.is_finished()) {
        let t = Instant::now();
        let ok = plain
            .get(format!("{base}/readyz"))
            .send()
            .await
            .map(|r| r.status().as_u16());
        slowest_health_ms = slowest_health_ms.max(t.elapsed().as_millis());
        assert_eq!(ok.ok(), Some(200), "readyz during the flood");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
    let mut server_errors = 0;
    for h in handles {
        match h.await.unwrap() {
            Ok(s) if s >= 500 => server_errors += 1,
            Ok(_) => {}
            Err(e) => panic!("request failed: {e}"),
        }
    }
    FloodReport {
        baseline_rss_kib,
        peak_rss_kib: proc_status_kib(pid, "VmHWM:"),
        sign_ins: N,
        server_errors,
        seconds: start.elapsed().as_secs_f64(),
        slowest_health_ms,
    }
}

/// Creating an account hashes its password with a permit and without a
/// database connection (issue 9): with one pooled connection and the hasher
/// parked mid-creation, the committee's page still answers; the account is
/// created once the hasher runs.
#[actix_web::test]
async fn creating_an_account_hashes_without_holding_a_connection() {
    let (app, passwords) = spawn_seeing_passwords(|s| {
        s.server.password_hash_concurrency = 1;
        s.database.pool_size = 1;
    })
    .await;
    app.create_account("admin@example.org", Role::Admin);
    let (admin, csrf) = app.signed_in("admin@example.org").await;
    let gate = passwords.hold().await;
    let create = admin
        .post(app.url("/api/v1/accounts"))
        .header("X-CSRF-Token", csrf)
        .json(&serde_json::json!({
            "email": "new@example.org", "name": "New Member", "role": "auditor",
            "password": "a long enough passphrase", "totp": false
        }))
        .send();
    let handle = actix_web::rt::spawn(create);
    wait_until("the creation waits in the hasher", || {
        passwords.parked() == 1
    })
    .await;

    let page = admin.get(app.url("/committee")).send().await.unwrap();
    assert_eq!(page.status(), 200, "the one connection is free");

    drop(gate);
    let created = handle.await.unwrap().unwrap();
    assert_eq!(created.status(), 201);
    let list = admin
        .get(app.url("/api/v1/accounts"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("new@example.org"), "{list}");
}
