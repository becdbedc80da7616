//! Issue 9: `var/`, the SQLite database and its WAL/SHM files were created
//! 0644 — names, emails, password hashes and TOTP secrets readable by any
//! local user. Directories are now 0700 and files 0600, whatever the umask
//! (these tests run ratify under `umask 000`), and a key directory anyone
//! may write to is refused.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::*;

/// `ratify ARGS` run in `dir` with the embedded default configuration
/// (no config file there), under `umask 000` so no mode comes from a
/// friendly umask.
fn ratify_in(dir: &Path, args: &[&str], env: &[(&str, String)]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("umask 000 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_ratify"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_LOG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("run ratify")
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

fn assert_mode(path: &Path, want: u32) {
    assert_eq!(mode(path), want, "{} is {:o}", path.display(), mode(path));
}

#[test]
fn migrate_with_the_embedded_default_creates_var_and_the_database_private() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(&mut ratify_in(tmp.path(), &["migrate"], &[]));
    assert!(out.status.success(), "{}", stderr(&out));
    let var = tmp.path().join("var");
    assert_mode(&var, 0o700);
    assert_mode(&var.join("ratify.db"), 0o600);
}

#[test]
fn a_database_left_readable_by_an_older_install_is_made_private() {
    let tmp = tempfile::tempdir().unwrap();
    let out = run(&mut ratify_in(tmp.path(), &["migrate"], &[]));
    assert!(out.status.success(), "{}", stderr(&out));
    let db = tmp.path().join("var/ratify.db");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = run(&mut ratify_in(tmp.path(), &["migrate"], &[]));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_mode(&db, 0o600);
}

#[test]
fn serve_keeps_var_keys_outbox_database_wal_and_shm_private() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = ratify_in(
        tmp.path(),
        &["serve"],
        &[("RATIFY__SERVER__BIND", format!("127.0.0.1:{port}"))],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let up = wait_until_up(port);
    let var = tmp.path().join("var");
    let checks = || {
        assert_mode(&var, 0o700);
        assert_mode(&var.join("keys"), 0o700);
        for key in ["token_hmac.key", "checkpoint_ed25519.pk8", "session.key"] {
            assert_mode(&var.join("keys").join(key), 0o600);
        }
        assert_mode(&var.join("outbox"), 0o700);
        // While the server runs, SQLite keeps its WAL and shared memory.
        for file in ["ratify.db", "ratify.db-wal", "ratify.db-shm"] {
            assert_mode(&var.join(file), 0o600);
        }
    };
    let outcome = up.map(|()| std::panic::catch_unwind(checks));
    let (_, logs) = stop_serve(&mut child);
    match outcome {
        Err(e) => panic!("{e}: {logs}"),
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Ok(Ok(())) => {}
    }
}

#[test]
fn serve_refuses_a_key_directory_every_user_may_write() {
    let tmp = tempfile::tempdir().unwrap();
    let keys = tmp.path().join("keys");
    std::fs::create_dir(&keys).unwrap();
    std::fs::set_permissions(&keys, std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = run(&mut ratify_in(
        tmp.path(),
        &["serve"],
        &[
            ("RATIFY__SERVER__BIND", format!("127.0.0.1:{}", free_port())),
            ("RATIFY__KEYS__DIR", path_str(&keys)),
        ],
    ));
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("every local user") && err.contains("chmod 700"),
        "{err}"
    );
    assert!(
        std::fs::read_dir(&keys).unwrap().next().is_none(),
        "no key was written there"
    );
}

fn wait_until_up(port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            let mut answer = String::new();
            let _ = s.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("ratify serve did not come up on port {port}"))
}
