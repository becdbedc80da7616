//! N clients, each one keep-alive connection, casting ballots until every
//! member has voted. Each ballot is the three requests of a browser: GET
//! the ballot page, POST the review, POST the cast (a 303 to the receipt).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratify::credential::Token;

use crate::form;

/// What happened, per ballot.
#[derive(Debug, Default)]
pub struct Outcome {
    pub wall: Duration,
    /// The cast request's latency, for each receipt.
    pub cast: Vec<Duration>,
    /// The whole ballot's (three requests) latency, for each receipt.
    pub ballot: Vec<Duration>,
    /// Every request's latency.
    pub request: Vec<Duration>,
    /// Failed ballots by what went wrong.
    pub errors: BTreeMap<String, usize>,
}

impl Outcome {
    pub fn receipts(&self) -> usize {
        self.cast.len()
    }

    fn merge(&mut self, other: Outcome) {
        self.cast.extend(other.cast);
        self.ballot.extend(other.ballot);
        self.request.extend(other.request);
        for (kind, n) in other.errors {
            *self.errors.entry(kind).or_default() += n;
        }
    }
}

/// Casts one ballot per token from `connections` concurrent clients.
pub fn drive(address: &str, tokens: &[Token], connections: usize) -> Result<Outcome, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let tokens: Arc<Vec<Token>> = Arc::new(tokens.to_vec());
    let next = Arc::new(AtomicUsize::new(0));
    runtime.block_on(async {
        let started = Instant::now();
        let clients: Vec<_> = (0..connections)
            .map(|_| {
                let (tokens, next) = (tokens.clone(), next.clone());
                let address = address.to_string();
                tokio::spawn(async move { client(&address, &tokens, &next).await })
            })
            .collect();
        let mut total = Outcome::default();
        for c in clients {
            total.merge(c.await.map_err(|e| e.to_string())??);
        }
        total.wall = started.elapsed();
        Ok(total)
    })
}

async fn client(address: &str, tokens: &[Token], next: &AtomicUsize) -> Result<Outcome, String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(1)
        .build()
        .map_err(|e| e.to_string())?;
    let mut outcome = Outcome::default();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(token) = tokens.get(i) else {
            return Ok(outcome);
        };
        let started = Instant::now();
        match ballot(&http, address, token, i, &mut outcome.request).await {
            Ok(cast) => {
                outcome.cast.push(cast);
                outcome.ballot.push(started.elapsed());
            }
            Err(kind) => *outcome.errors.entry(kind).or_default() += 1,
        }
    }
}

/// The voter's own address, as a trusted proxy reports it: 10.x.y.z from
/// the ballot's number (S17 limits each client, not the benchmark).
fn client_address(i: usize) -> String {
    format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255)
}

/// One member's ballot; the cast request's latency, or what failed.
async fn ballot(
    http: &reqwest::Client,
    address: &str,
    token: &Token,
    i: usize,
    latencies: &mut Vec<Duration>,
) -> Result<Duration, String> {
    let link = format!("{address}/vote/{}", token.expose());
    let from = client_address(i);
    let (status, page) = timed(latencies, http.get(&link), &from).await?;
    expect(status, 200, "ballot page")?;
    let mut seed = i as u64 + 1;
    let choices = form::choose(&page, |n| pick(&mut seed, n));
    let review = http.post(format!("{link}/review")).form(&choices);
    let (status, page) = timed(latencies, review, &from).await?;
    expect(status, 200, "review")?;
    let started = Instant::now();
    let cast = http.post(&link).form(&form::cast_fields(&page));
    let (status, _) = timed(latencies, cast, &from).await?;
    expect(status, 303, "cast")?;
    Ok(started.elapsed())
}

async fn timed(
    latencies: &mut Vec<Duration>,
    request: reqwest::RequestBuilder,
    from: &str,
) -> Result<(u16, String), String> {
    let started = Instant::now();
    let res = request
        .header("X-Forwarded-For", from)
        .send()
        .await
        .map_err(|e| format!("connection: {e}"))?;
    let status = res.status().as_u16();
    let body = res.text().await.map_err(|e| format!("body: {e}"))?;
    latencies.push(started.elapsed());
    Ok((status, body))
}

fn expect(status: u16, wanted: u16, step: &str) -> Result<(), String> {
    if status == wanted {
        Ok(())
    } else {
        Err(format!("{step}: HTTP {status}"))
    }
}

/// A small xorshift: varied answers without a random-number crate.
fn pick(seed: &mut u64, n: usize) -> usize {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    (*seed % n as u64) as usize
}
