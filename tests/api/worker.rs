//! The job runner inside `ratify serve`: the checkpointer signs new log
//! entries within its interval (S13) and stops with the server.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use ratify::account::{self, NewAccount, Role};
use secrecy::SecretString;

use crate::helpers::{free_port, path_str, stop_serve, TestApp};

fn checkpoints(app: &TestApp) -> i64 {
    let mut conn = app.db.get().unwrap();
    diesel::sql_query("SELECT COUNT(*) AS n FROM audit_checkpoints")
        .get_result::<Count>(&mut conn)
        .unwrap()
        .n
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[actix_web::test]
async fn serve_signs_new_entries_within_the_interval_and_stops_its_jobs() {
    let app = TestApp::spawn().await;
    let mut conn = app.db.get().unwrap();
    let new = NewAccount {
        email: "worker@example.org".into(),
        name: "Worker Test".into(),
        role: Role::Committee,
        password: SecretString::from("a long enough password"),
        totp: false,
    };
    account::create_account(
        &mut conn,
        &account::ReadyAccount::prepare_blocking(new).unwrap(),
        None,
        chrono::Utc::now(),
    )
    .unwrap();
    drop(conn);
    assert_eq!(checkpoints(&app), 0, "the harness signs nothing by itself");

    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_ratify"))
        .args(["--config", "config/test.toml", "serve"])
        .env("RATIFY__SERVER__BIND", format!("127.0.0.1:{port}"))
        .env("RATIFY__DATABASE__URL", &app.settings.database.url)
        .env("RATIFY__KEYS__DIR", path_str(&app.settings.keys.dir))
        .env(
            "RATIFY__MAIL__OUTBOX_DIR",
            path_str(&app.tmp.path().join("outbox")),
        )
        .env("RATIFY__AUDIT__CHECKPOINT_INTERVAL_SECS", "1")
        .env("RATIFY__LOG__LEVEL", "debug")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    let deadline = Instant::now() + Duration::from_secs(30);
    while checkpoints(&app) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    let signed = checkpoints(&app);

    let (status, logs) = stop_serve(&mut child);
    assert_eq!(signed, 1, "one checkpoint for the one grown log: {logs}");
    assert!(status.success(), "{logs}");
    assert!(
        logs.contains("background job stopped"),
        "the checkpointer stops with the server: {logs}"
    );
}
