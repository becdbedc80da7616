//! The acceptance election (Kern County's LBFO vote,
//! src/election/testdata/kern-lbfo-2024.toml) with its slug and window
//! changed where a test needs them.

use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// The acceptance spec, as the spec parser's own tests read it.
pub const KERN_TOML: &str = include_str!("../../../src/election/testdata/kern-lbfo-2024.toml");
/// Its slug.
pub const SLUG: &str = "kern-lbfo-2024";
/// Its bargaining units, in spec order (`XH` is Extra Help).
pub const UNITS: [&str; 7] = ["U1", "U2", "U3", "U4", "U5", "U6", "XH"];

/// A spec to write out: the acceptance spec under `slug`, open from
/// `opens_at` to `closes_at` (TOML datetime text: local time in the
/// election's zone, or RFC 3339 with an offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFixture {
    pub slug: String,
    pub opens_at: String,
    pub closes_at: String,
}

impl SpecFixture {
    /// The acceptance spec as written (December 2024, long past).
    pub fn kern() -> SpecFixture {
        SpecFixture {
            slug: SLUG.to_string(),
            opens_at: "2024-12-02T20:00:00".to_string(),
            closes_at: "2024-12-11T17:00:00".to_string(),
        }
    }

    /// Opening `opens_in` from now and closing `closes_in` from now.
    pub fn from_now(opens_in: Duration, closes_in: Duration) -> SpecFixture {
        Self::kern().window_at(Utc::now() + opens_in, Utc::now() + closes_in)
    }

    /// The same December window in 2099: far enough ahead that any test may
    /// extend it or publish its key whenever the suite runs.
    pub fn far_future(slug: &str) -> SpecFixture {
        SpecFixture {
            slug: slug.to_string(),
            opens_at: "2099-12-02T20:00:00".to_string(),
            closes_at: "2099-12-11T17:00:00".to_string(),
        }
    }

    pub fn slug(mut self, slug: &str) -> SpecFixture {
        self.slug = slug.to_string();
        self
    }

    pub fn window_at(mut self, opens_at: DateTime<Utc>, closes_at: DateTime<Utc>) -> SpecFixture {
        let rfc3339 = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
        self.opens_at = rfc3339(opens_at);
        self.closes_at = rfc3339(closes_at);
        self
    }

    /// The spec's TOML text.
    pub fn toml(&self) -> String {
        let mut replaced = 0;
        let text: Vec<String> = KERN_TOML
            .lines()
            .map(|line| {
                let set = |key: &str, value: &str| format!("{key} = \"{value}\"");
                let key = line.split_once(" = ").map(|(k, _)| k);
                let new = match key {
                    Some("slug") => set("slug", &self.slug),
                    Some("opens_at") => set("opens_at", &self.opens_at),
                    Some("closes_at") => set("closes_at", &self.closes_at),
                    _ => return line.to_string(),
                };
                replaced += 1;
                new
            })
            .collect();
        // Guards against the acceptance spec changing shape under us.
        assert_eq!(
            replaced, 3,
            "kern-lbfo-2024.toml lost slug/opens_at/closes_at"
        );
        text.join("\n") + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_and_slug_are_replaced_and_nothing_else() {
        let toml = SpecFixture::far_future("other").toml();
        assert!(toml.contains("slug = \"other\"\n"));
        assert!(toml.contains("opens_at = \"2099-12-02T20:00:00\"\n"));
        assert!(toml.contains("closes_at = \"2099-12-11T17:00:00\"\n"));
        assert!(!toml.contains("2024"));
        assert_eq!(toml.lines().count(), KERN_TOML.lines().count());
        assert_eq!(SpecFixture::kern().toml().trim_end(), KERN_TOML.trim_end());
    }
}
