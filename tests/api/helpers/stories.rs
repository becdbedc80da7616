//! Story helpers: the steps tests are written in ("the chair signs in",
//! "an election is created", "700 members are imported", "the trustees
//! hold the key ceremony"), taken directly against the app's database the
//! way the CLI would, so a test spends its lines on what it proves. The
//! data comes from the shared fixtures (`ratify_testkit`).

use ratify::account::Role;
use ratify::clock::Clock;
use ratify_crypto::TrusteeSecret;
use ratify_testkit::{roll, Member, SpecFixture};

use super::TestApp;

/// The actor the setup steps write into the audit log.
pub const SETUP: Option<&str> = Some("setup@example.org");

/// A signed-in person: their own cookie jar and the session's CSRF token.
pub struct Signed {
    pub client: reqwest::Client,
    pub csrf: String,
    pub email: String,
}

/// The account each role signs in with.
pub fn email_of(role: Role) -> &'static str {
    match role {
        Role::Admin => "admin@example.org",
        Role::Committee => "chair@example.org",
        Role::Auditor => "auditor@example.org",
        Role::Trustee => "trustee@example.org",
    }
}

impl TestApp {
    /// Signs in as `role`'s account ([`email_of`]), creating it first if
    /// this app does not have it yet.
    pub async fn sign_in_as(&self, role: Role) -> Signed {
        let email = email_of(role);
        let exists = {
            let mut conn = self.db.get().unwrap();
            ratify::account::list_accounts(&mut conn)
                .unwrap()
                .iter()
                .any(|a| a.email == email)
        };
        if !exists {
            self.create_account(email, role);
        }
        let (client, csrf) = self.signed_in(email).await;
        Signed {
            client,
            csrf,
            email: email.to_string(),
        }
    }

    /// Creates an election from `spec` (as `ratify election create`
    /// would); returns its slug.
    pub fn create_election(&self, spec: &SpecFixture) -> String {
        let spec = ratify::election::parse_spec(&spec.toml()).expect("the fixture spec parses");
        let mut conn = self.db.get().unwrap();
        ratify::election::create_election(&mut conn, &spec, SETUP, self.clock.now()).unwrap();
        spec.slug().to_string()
    }

    /// Imports `members` as the election's roll (as `ratify roll import`).
    pub fn import_roll(&self, slug: &str, members: &[Member]) {
        let mut conn = self.db.get().unwrap();
        let e = ratify::election::load_election(&mut conn, slug).unwrap();
        let csv = roll::csv(members);
        let parsed = ratify::roll::parse_roll(csv.as_bytes(), &e.spec.unit_codes()).unwrap();
        ratify::roll::import_roll(&mut conn, slug, &parsed, SETUP, self.clock.now(), |_| {})
            .unwrap();
    }

    /// Imports `n` members spread over the units ([`roll::spread`]).
    pub fn import_roll_of(&self, slug: &str, n: usize) -> Vec<Member> {
        let members = roll::spread(n);
        self.import_roll(slug, &members);
        members
    }

    /// The spec's trustees hold the whole key ceremony; their files are
    /// registered straight into the database.
    pub fn key_ceremony(&self, slug: &str) -> Vec<TrusteeSecret> {
        let trustees = {
            let mut conn = self.db.get().unwrap();
            ratify::election::load_election(&mut conn, slug)
                .unwrap()
                .spec
                .trustees() as usize
        };
        let mut conn = self.db.get().unwrap();
        let now = self.clock.now();
        ratify_testkit::key_ceremony(
            trustees,
            |file| {
                ratify::ceremony::register_trustee_file(
                    &mut conn,
                    slug,
                    &file.to_json(),
                    SETUP,
                    now,
                )
                .unwrap();
            },
            || {
                let mut conn = self.db.get().unwrap();
                ratify::ceremony::roster(&mut conn, slug).unwrap()
            },
        )
    }

    /// Publishes the election key (after the ceremony and the roll).
    pub fn publish_key(&self, slug: &str) {
        let mut conn = self.db.get().unwrap();
        ratify::ceremony::publish_key(&mut conn, slug, SETUP, self.clock.now(), 1).unwrap();
    }
}
