//! The election record as one download (issue 14; product.md: an auditor
//! "downloads the election record and runs `ratify audit verify`"): a tar
//! archive of the public record, made by the same code as `ratify record
//! export` (`record::export::write_election` into a `record::sink::TarSink`),
//! so its files are the export's bytes.
//!
//! The record of a 500,000-ballot election is hundreds of MB, so it is
//! never held: a blocking thread writes the archive into a bounded channel
//! that feeds actix's streaming body. When the client reads slowly the
//! channel fills and the writer waits (back-pressure); at most
//! `CHUNK * CHUNKS_IN_FLIGHT` bytes of a download are in memory.

use std::io::{self, BufWriter, Write};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::Bytes;
use actix_web::HttpResponse;
use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::{mpsc, oneshot, Semaphore};

use crate::config::AuditSettings;
use crate::db::Db;
use crate::error::{Error, Result};
use crate::keys::Keys;
use crate::record::export::{downloadable, write_election, Part, Reader};
use crate::record::sink::TarSink;
use crate::web::AppState;

/// Bytes per message on the channel.
const CHUNK: usize = 64 * 1024;
/// Messages the channel holds before the writer waits for the client.
const CHUNKS_IN_FLIGHT: usize = 16;
/// Downloads made at once. Each holds a database connection and a blocking
/// thread for as long as its client reads, and the public download needs
/// no account (S17: abuse must not exhaust the pool); later requests wait
/// their turn.
pub const AT_ONCE: usize = 2;
/// A client that reads nothing for this long loses its download, so a
/// stalled connection cannot hold one of the [`AT_ONCE`] places forever.
const STALL_LIMIT: Duration = Duration::from_secs(60);
/// How often a writer whose channel is full looks again. tokio's channel
/// has no blocking send with a deadline; a short sleep costs nothing next
/// to the client's own pace.
const FULL_POLL: Duration = Duration::from_millis(2);

/// The places for downloads at once, shared by every worker.
pub fn places() -> Arc<Semaphore> {
    Arc::new(Semaphore::new(AT_ONCE))
}

/// The public record of `slug` as `<slug>-record.tar`, if `reader` may
/// have it now (`record::export::downloadable`); the refusal otherwise,
/// as an error, before any byte is sent.
pub async fn record(state: &AppState, slug: String, reader: Reader) -> Result<HttpResponse> {
    let place = state
        .record_downloads
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| Error::Internal("the download places are closed".into()))?;
    let (ready_tx, ready_rx) = oneshot::channel();
    let (tx, rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let job = Job {
        db: state.db.clone(),
        keys: state.keys.clone(),
        audit: state.settings.audit.clone(),
        slug: slug.clone(),
        reader,
        now: state.clock.now(),
    };
    actix_web::rt::task::spawn_blocking(move || {
        let _place = place;
        job.run(ready_tx, tx);
    });
    ready_rx
        .await
        .map_err(|_| Error::Internal("the record download stopped before it began".into()))??;
    Ok(HttpResponse::Ok()
        .content_type("application/x-tar")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!("{slug}-record.tar"))],
        })
        .streaming(Chunks(rx)))
}

/// One download's work on its blocking thread.
struct Job {
    db: Db,
    keys: Arc<Keys>,
    audit: AuditSettings,
    slug: String,
    reader: Reader,
    now: chrono::DateTime<chrono::Utc>,
}

type Chunk = io::Result<Bytes>;

impl Job {
    /// Says whether the download may begin (`ready`), then writes it.
    fn run(self, ready: oneshot::Sender<Result<()>>, tx: mpsc::Sender<Chunk>) {
        let begun = (|| {
            let mut conn = self.db.get()?;
            let signer = crate::audit::signer(&self.keys, &self.audit)?;
            let election = downloadable(&mut conn, &self.slug, self.reader, self.now)?;
            Ok((conn, signer, election))
        })();
        let (mut conn, signer, election) = match begun {
            Ok(b) => b,
            Err(e) => {
                let _ = ready.send(Err(e));
                return;
            }
        };
        if ready.send(Ok(())).is_err() {
            return; // The request went away while waiting.
        }
        // Every entry carries the close's time: the same record makes the
        // same archive (`TarSink`).
        let mtime = election.spec.closes_at().timestamp().max(0) as u64;
        let out = BufWriter::with_capacity(CHUNK, ChannelWriter(tx.clone()));
        let mut sink = TarSink::new(out, &format!("{}-record", self.slug), mtime);
        let written = write_election(
            &mut conn,
            &election,
            &signer,
            &self.audit,
            Part::Public,
            &mut sink,
        )
        .and_then(|_| sink.finish())
        .and_then(|mut out| out.flush().map_err(|e| Error::io("record archive", e)));
        if let Err(e) = written {
            self.failed(&e, &tx);
        }
    }

    /// Ends a download that could not be written to its end. The client's
    /// own leaving is not a fault; anything else is logged and the
    /// response is broken off (no final chunk), so the client sees an
    /// error rather than a short archive that looks whole.
    fn failed(&self, e: &Error, tx: &mpsc::Sender<Chunk>) {
        match e {
            Error::Io { source, .. }
                if matches!(
                    source.kind(),
                    io::ErrorKind::BrokenPipe | io::ErrorKind::TimedOut
                ) =>
            {
                tracing::info!(slug = %self.slug, reason = %source, "record download ended by the client");
            }
            _ => {
                tracing::error!(slug = %self.slug, error = %e, "record download failed");
                let _ = send(tx, Err(io::Error::other("the record could not be written")));
            }
        }
    }
}

/// Sends `chunk`, waiting while the channel is full, up to [`STALL_LIMIT`].
fn send(tx: &mpsc::Sender<Chunk>, chunk: Chunk) -> io::Result<()> {
    let started = Instant::now();
    let mut chunk = chunk;
    loop {
        match tx.try_send(chunk) {
            Ok(()) => return Ok(()),
            Err(TrySendError::Closed(_)) => {
                return Err(io::Error::new(
                    io::ErrorKind::BrokenPipe,
                    "the client went away",
                ))
            }
            Err(TrySendError::Full(back)) => {
                if started.elapsed() >= STALL_LIMIT {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client stopped reading",
                    ));
                }
                chunk = back;
                std::thread::sleep(FULL_POLL);
            }
        }
    }
}

/// The archive's bytes into the channel.
struct ChannelWriter(mpsc::Sender<Chunk>);

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        send(&self.0, Ok(Bytes::copy_from_slice(buf)))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The channel as actix's response body.
struct Chunks(mpsc::Receiver<Chunk>);

impl futures_core::Stream for Chunks {
    type Item = Chunk;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Chunk>> {
        self.0.poll_recv(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_channel_waits_then_gives_up_on_a_client_gone() {
        let (tx, rx) = mpsc::channel(1);
        send(&tx, Ok(Bytes::from_static(b"a"))).unwrap();
        drop(rx);
        let e = send(&tx, Ok(Bytes::from_static(b"b"))).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::BrokenPipe);
    }

    #[test]
    fn the_writer_sends_what_it_is_given() {
        let (tx, mut rx) = mpsc::channel(4);
        let mut w = ChannelWriter(tx);
        w.write_all(b"record").unwrap();
        assert_eq!(&rx.try_recv().unwrap().unwrap()[..], b"record");
    }
}
