//! Ballot emails per second to an SMTP server on loopback (issue 12 bar:
//! ≥ 300/s, aim 1,000): real ballot messages (composed by
//! `mail::Composer`, ~3 kB each) through `mail::smtp::SmtpPool` with one
//! connection and with four, and — for comparison — through stock lettre's
//! blocking `SmtpConnection`, which never sets TCP_NODELAY.
//!
//! Two servers: a minimal SMTP sink written here (answers every command at
//! once; measures the client), and aiosmtpd (`tests/smtp/sink.py`, the
//! tests' server, which also writes each message to a file) when
//! RATIFY_SMTP_PYTHON names a Python that has it, in the clear and over
//! implicit TLS (a throwaway certificate); and any server already
//! listening on loopback port RATIFY_BENCH_SMTP_PORT.
//! Run: `cargo bench --bench smtp_throughput`.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use lettre::address::Envelope;
use lettre::transport::smtp::client::{Certificate, SmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use ratify::config::{MailTransport, Settings, SmtpSecurity};
use ratify::election::{ElectionState, Language, StoredElection};
use ratify::mail::lease::Lease;
use ratify::mail::smtp::{Delivery, Outgoing, SmtpPool};
use ratify::mail::{Composer, Draft, Kind};
use ratify_testkit::SpecFixture;

/// One connection of the minimal sink: 250 to everything, 354 to DATA.
fn serve_connection(stream: TcpStream) {
    stream.set_nodelay(true).ok();
    let mut out = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let _ = out.write_all(b"220 sink ESMTP\r\n");
    let mut line = Vec::new();
    let mut in_data = false;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).unwrap_or(0) == 0 {
            return;
        }
        let reply: &[u8] = if in_data {
            if line == b".\r\n" {
                in_data = false;
                b"250 2.0.0 queued\r\n"
            } else {
                continue;
            }
        } else {
            let upper = line.to_ascii_uppercase();
            if upper.starts_with(b"EHLO") {
                b"250-sink\r\n250-8BITMIME\r\n250 SIZE 10485760\r\n"
            } else if upper.starts_with(b"DATA") {
                in_data = true;
                b"354 go ahead\r\n"
            } else if upper.starts_with(b"QUIT") {
                let _ = out.write_all(b"221 bye\r\n");
                return;
            } else {
                b"250 OK\r\n"
            }
        };
        if out.write_all(reply).is_err() {
            return;
        }
    }
}

fn start_rust_sink() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve_connection(stream));
        }
    });
    port
}

/// The server process, and the directory it records into (removed when
/// the server is dropped).
struct Aiosmtpd {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Aiosmtpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_aiosmtpd(options: &[String]) -> Option<(u16, Aiosmtpd)> {
    let python = std::env::var("RATIFY_SMTP_PYTHON").ok()?;
    let dir = tempfile::tempdir().unwrap();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(python)
        .args(["tests/smtp/sink.py", "--port", &port.to_string(), "--dir"])
        .arg(dir.path())
        .args(options)
        .stdout(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + Duration::from_secs(20);
    while !dir.path().join("ready").exists() {
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((port, Aiosmtpd { child, _dir: dir }))
}

/// `n` real ballot emails, composed as the worker composes them.
fn messages(n: usize) -> (Settings, Vec<(Envelope, Vec<u8>)>) {
    let mut settings = Settings::load(None).unwrap();
    settings.mail.transport = MailTransport::Smtp;
    settings.mail.from = "Elections <elections@union.example>".into();
    let spec = ratify::election::parse_spec(&SpecFixture::far_future("bench").toml()).unwrap();
    let e = StoredElection {
        id: 1,
        spec,
        stored_state: ElectionState::KeyPublished,
        public_key: None,
    };
    let composer = Composer::new(&settings.mail, &settings.server).unwrap();
    let rng = ring::rand::SystemRandom::new();
    let out = (0..n)
        .map(|i| {
            let token = ratify::credential::Token::generate(&rng).unwrap();
            let id = ratify::credential::random_message_id(&rng).unwrap();
            let email = format!("member{i}@example.org");
            let draft = Draft {
                kind: Kind::Ballot,
                message_id: &id,
                to_name: "Member",
                to_email: &email,
                language: if i % 3 == 0 {
                    Language::Es
                } else {
                    Language::En
                },
                token: token.expose(),
            };
            composer.compose(&e, &draft).unwrap()
        })
        .collect();
    (settings, out)
}

fn outgoing(prepared: &[(Envelope, Vec<u8>)]) -> Vec<Outgoing> {
    prepared
        .iter()
        .enumerate()
        .map(|(i, (envelope, bytes))| Outgoing {
            id: i as i64,
            envelope: envelope.clone(),
            bytes: bytes.clone(),
        })
        .collect()
}

/// A throwaway certificate for 127.0.0.1 (cert.pem, key.pem in the dir).
fn throwaway_certificate() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let key = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    std::fs::write(dir.path().join("cert.pem"), key.cert.pem()).unwrap();
    std::fs::write(dir.path().join("key.pem"), key.signing_key.serialize_pem()).unwrap();
    dir
}

/// `tls_ca`: the relay speaks implicit TLS with a certificate from this
/// CA file.
fn bench_server(c: &mut Criterion, server: &str, port: u16, tls_ca: Option<&str>) {
    let (mut settings, prepared) = messages(500);
    settings.mail.smtp_port = port;
    let stock_tls = tls_ca.map(|ca| {
        settings.mail.smtp_security = SmtpSecurity::Tls;
        settings.mail.smtp_ca_file = ca.to_string();
        let pem = std::fs::read(ca).unwrap();
        TlsParameters::builder("127.0.0.1".into())
            .add_root_certificate(Certificate::from_pem(&pem).unwrap())
            .build()
            .unwrap()
    });
    let mut group = c.benchmark_group(format!("smtp to {server}"));
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));

    let stock = &prepared[..20];
    group.throughput(Throughput::Elements(stock.len() as u64));
    group.bench_function("stock lettre, 1 connection (Nagle)", |b| {
        let mut conn = SmtpConnection::connect(
            ("127.0.0.1", port),
            None,
            &ClientId::Domain("union.example".into()),
            stock_tls.as_ref(),
            None,
        )
        .unwrap();
        b.iter(|| {
            for (envelope, bytes) in stock {
                conn.send(envelope, bytes).unwrap();
            }
        })
    });

    for pool_size in [1usize, 4] {
        settings.mail.smtp_pool_size = pool_size;
        let mut pool = SmtpPool::new(&settings.mail, "union.example").unwrap();
        group.throughput(Throughput::Elements(prepared.len() as u64));
        group.bench_function(
            format!("ratify, {pool_size} connection(s), TCP_NODELAY"),
            |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let batch = outgoing(&prepared);
                        let start = Instant::now();
                        let lease = Lease::new(
                            0..batch.len() as i64,
                            Instant::now() + Duration::from_secs(600),
                        );
                        let done = pool.send_all(batch, Arc::new(lease));
                        total += start.elapsed();
                        assert!(
                            done.iter().all(|(_, d)| matches!(d, Delivery::Accepted(_))),
                            "{:?}",
                            done.first()
                        );
                    }
                    total
                })
            },
        );
        pool.close();
    }
    group.finish();
}

fn bench(c: &mut Criterion) {
    let port = start_rust_sink();
    bench_server(c, "a minimal loopback sink", port, None);
    // Any SMTP server already listening on loopback (another MTA, or
    // `python -m aiosmtpd -n -c aiosmtpd.handlers.Sink -l 127.0.0.1:PORT`).
    if let Some(port) = std::env::var("RATIFY_BENCH_SMTP_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
    {
        bench_server(c, "the server on RATIFY_BENCH_SMTP_PORT", port, None);
    }
    if let Some((port, _server)) = start_aiosmtpd(&[]) {
        bench_server(c, "aiosmtpd", port, None);
        // Implicit TLS (port 465 style) over the no-delay socket too.
        let certs = throwaway_certificate();
        let path = |name: &str| certs.path().join(name).to_string_lossy().into_owned();
        let tls = [
            "--security",
            "tls",
            "--cert",
            &path("cert.pem"),
            "--key",
            &path("key.pem"),
        ];
        let tls: Vec<String> = tls.iter().map(|s| s.to_string()).collect();
        let (port, _tls_server) = start_aiosmtpd(&tls).expect("aiosmtpd with implicit TLS");
        bench_server(
            c,
            "aiosmtpd over implicit TLS",
            port,
            Some(&path("cert.pem")),
        );
    } else {
        println!("skipped aiosmtpd: set RATIFY_SMTP_PYTHON to a Python that has aiosmtpd");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
