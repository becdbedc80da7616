//! The `ratify serve` under test: a child process on the work directory's
//! config, watched through /proc for its memory.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::setup::WorkDir;
use crate::Args;

pub struct Serve {
    child: Child,
    pub address: String,
}

impl Serve {
    /// Starts `ratify --config … serve` and waits until `/readyz` answers.
    pub fn start(args: &Args, work: &WorkDir) -> Result<Serve, String> {
        let ratify = ratify_binary(args)?;
        let log_path = work.dir.join("serve.log");
        let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
        let child = Command::new(&ratify)
            .arg("--config")
            .arg(&work.config)
            .arg("serve")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log)
            .spawn()
            .map_err(|e| format!("starting {}: {e}", ratify.display()))?;
        let bind = work.settings.server.bind.clone();
        let mut serve = Serve {
            child,
            address: format!("http://{bind}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while !ready(&bind) {
            if Instant::now() > deadline || serve.child.try_wait().ok().flatten().is_some() {
                serve.stop();
                return Err(format!(
                    "ratify serve did not start; see {}",
                    log_path.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(serve)
    }

    /// A memory figure of the server from /proc/PID/status, in KiB
    /// (`VmHWM` is the peak resident set, `VmRSS` the current one).
    pub fn rss_kib(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// SIGTERM (a graceful stop), then wait for the process.
    pub fn stop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// A run that fails half-way does not leave the server running.
impl Drop for Serve {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `--ratify`, or the `ratify` beside this binary (same target directory).
fn ratify_binary(args: &Args) -> Result<PathBuf, String> {
    if let Some(path) = &args.ratify {
        return Ok(path.clone());
    }
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let beside = me.with_file_name("ratify");
    if beside.exists() {
        Ok(beside)
    } else {
        Err(format!(
            "{} not found: run `cargo build --release` first, or pass --ratify PATH",
            beside.display()
        ))
    }
}

/// Whether `GET /readyz` answers 200.
fn ready(bind: &str) -> bool {
    let Ok(mut stream) = std::net::TcpStream::connect(bind) else {
        return false;
    };
    let request = format!("GET /readyz HTTP/1.1\r\nHost: {bind}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.1 200")
}
