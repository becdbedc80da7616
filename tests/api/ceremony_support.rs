//! Helpers for the key-ceremony tests (issue 10): trustees with their own
//! accounts, registering files through the real HTTP API.

use ratify::account::Role;
use ratify::clock::Clock;
use ratify_crypto::{self as crypto, ConfirmOutcome, Deal, Roster, TrusteeFile, TrusteeSecret};
use reqwest::Client;
use serde_json::Value;

use crate::helpers::*;

/// A signed-in account: its client and CSRF token.
pub struct Account {
    pub client: Client,
    pub csrf: String,
}

/// Creates `email` with `role` and signs it in.
pub async fn account(app: &TestApp, email: &str, role: Role) -> Account {
    app.create_account(email, role);
    let (client, csrf) = app.signed_in(email).await;
    Account { client, csrf }
}

/// POSTs a JSON body; returns the status and the JSON answer (or Null).
pub async fn post(app: &TestApp, who: &Account, path: &str, body: String) -> (u16, Value) {
    let res = who
        .client
        .post(app.url(path))
        .header("X-CSRF-Token", &who.csrf)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn get(app: &TestApp, who: &Account, path: &str) -> Value {
    let res = who.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(res.status(), 200, "GET {path}");
    res.json().await.unwrap()
}

/// Registers a trustee file as `who`.
pub async fn register(app: &TestApp, who: &Account, file: &TrusteeFile) -> (u16, Value) {
    let path = format!("/api/v1/elections/{SLUG}/trustee-files");
    post(app, who, &path, file.to_json()).await
}

pub async fn roster(app: &TestApp, who: &Account) -> Roster {
    let v = get(app, who, &format!("/api/v1/elections/{SLUG}/roster")).await;
    serde_json::from_value(v).unwrap()
}

pub async fn publish(app: &TestApp, who: &Account) -> (u16, Value) {
    let path = format!("/api/v1/elections/{SLUG}/publish-key");
    post(app, who, &path, String::new()).await
}

/// An election with a roll, and one trustee account per trustee slot.
pub struct Ceremony {
    pub chair: Account,
    pub trustees: Vec<Account>,
    pub secrets: Vec<TrusteeSecret>,
}

impl Ceremony {
    pub async fn new(app: &TestApp) -> Ceremony {
        app.create_election(&SpecFixture::far_future(SLUG));
        app.import_roll_of(SLUG, 12);
        let chair = account(app, "chair@example.org", Role::Committee).await;
        let mut trustees = Vec::new();
        for i in 1..=3 {
            trustees.push(account(app, &format!("trustee{i}@example.org"), Role::Trustee).await);
        }
        let mut rng = crypto::os_rng();
        let secrets = (0..3).map(|_| crypto::keygen(&mut rng).0).collect();
        Ceremony {
            chair,
            trustees,
            secrets,
        }
    }

    /// Every trustee registers its public key with its own account, in
    /// order (trustee i holds slot i).
    pub async fn register_publics(&self, app: &TestApp) {
        for (who, s) in self.trustees.iter().zip(&self.secrets) {
            let (status, b) = register(app, who, &TrusteeFile::Public(s.public())).await;
            assert_eq!(status, 201, "{b}");
        }
    }

    /// Every trustee deals from the current roster.
    pub async fn deal_all(&self, app: &TestApp) {
        let r = roster(app, &self.chair).await;
        for (who, s) in self.trustees.iter().zip(&self.secrets) {
            let d = crypto::deal(s, &r).unwrap();
            let (status, b) = register(app, who, &TrusteeFile::Deal(d)).await;
            assert_eq!(status, 201, "{b}");
        }
    }

    /// Trustee `j`'s (1-based) confirmation from the current roster.
    pub async fn confirmation(&self, app: &TestApp, j: usize) -> crypto::Confirmation {
        let r = roster(app, &self.chair).await;
        match crypto::confirm(&self.secrets[j - 1], &r).unwrap() {
            ConfirmOutcome::Confirmed(c) => c,
            ConfirmOutcome::Complaint(c) => panic!("trustee {j} complained: {c:?}"),
        }
    }

    pub async fn confirm(&self, app: &TestApp, j: usize) {
        let c = self.confirmation(app, j).await;
        let (status, b) = register(app, &self.trustees[j - 1], &TrusteeFile::Confirmation(c)).await;
        assert_eq!(status, 201, "{b}");
    }
}

/// The election log's entries as JSON.
pub fn election_entries(app: &TestApp) -> Vec<Value> {
    let mut conn = app.db.get().unwrap();
    let e = ratify::election::load_election(&mut conn, SLUG).unwrap();
    ratify::audit::entries(&mut conn, &e.log(), 0, 10_000)
        .unwrap()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A deal whose share for trustee `victim` is garbage, signed by its dealer
/// (a cheating program: every public check passes).
pub fn cheating_deal(secret: &TrusteeSecret, roster: &Roster, victim: u32) -> Deal {
    let mut d = crypto::deal(secret, roster).unwrap();
    let share = d.shares.iter_mut().find(|s| s.recipient == victim).unwrap();
    share.ciphertext = vec![7; 48];
    d.signature = crypto::sign(secret, "deal", &d.digest());
    d
}

/// Sets up `slug`'s ceremony on the server's side (as the command line
/// would) up to trustee 2's upheld complaint against trustee 3's deal.
pub fn upheld_complaint(app: &TestApp, slug: &str) -> Vec<TrusteeSecret> {
    let mut conn = app.db.get().unwrap();
    let now = app.clock.now();
    let register = |conn: &mut _, f: TrusteeFile| {
        ratify::ceremony::register_trustee_file(conn, slug, &f.to_json(), SETUP, now).unwrap();
    };
    let mut rng = crypto::os_rng();
    let secrets: Vec<TrusteeSecret> = (0..3).map(|_| crypto::keygen(&mut rng).0).collect();
    for s in &secrets {
        register(&mut conn, TrusteeFile::Public(s.public()));
    }
    let r = ratify::ceremony::roster(&mut conn, slug).unwrap();
    register(
        &mut conn,
        TrusteeFile::Deal(crypto::deal(&secrets[0], &r).unwrap()),
    );
    register(
        &mut conn,
        TrusteeFile::Deal(crypto::deal(&secrets[1], &r).unwrap()),
    );
    register(
        &mut conn,
        TrusteeFile::Deal(cheating_deal(&secrets[2], &r, 2)),
    );
    let r = ratify::ceremony::roster(&mut conn, slug).unwrap();
    let ConfirmOutcome::Complaint(c) = crypto::confirm(&secrets[1], &r).unwrap() else {
        panic!("trustee 2 got a bad share");
    };
    register(&mut conn, TrusteeFile::Complaint(c));
    secrets
}
