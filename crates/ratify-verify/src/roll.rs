//! Check 6: the roll as logged. The roll itself is private (S7); the
//! public record carries each import's counts and hash, which must add up,
//! name only the spec's units, and say truly whether an earlier roll was
//! replaced; and a published key needs a roll before it.

use crate::layout::ENTRIES;
use crate::log::Logged;
use crate::spec::Spec;
use crate::{Check, Failure};

pub fn check_roll(spec: &Spec, entries: &[Logged]) -> Result<(), Failure> {
    let mut imports = 0;
    for e in entries {
        let fail = |why: String, field: &str| {
            Failure::new(Check::Roll, ENTRIES, why)
                .entry(e.index)
                .field(format!("data.{field}"))
        };
        if e.kind == "key.published" && imports == 0 {
            return Err(fail(
                "the key was published with no roll imported".into(),
                "public_key",
            ));
        }
        if e.kind != "roll.imported" {
            continue;
        }
        let members = e.data["members"].as_u64().unwrap_or_default();
        let per_unit = e.data["per_unit"].as_object().cloned().unwrap_or_default();
        let mut sum = 0u64;
        for (unit, n) in &per_unit {
            if !spec.units.contains(unit) {
                return Err(fail(
                    format!("unit {unit:?} is not one of the spec's units"),
                    &format!("per_unit.{unit}"),
                ));
            }
            sum = sum.saturating_add(n.as_u64().unwrap_or_default());
        }
        if sum != members || members == 0 {
            return Err(fail(
                format!("members is {members} but the units add up to {sum}"),
                "members",
            ));
        }
        if e.data["replaced"].as_bool() != Some(imports > 0) {
            return Err(fail(
                format!(
                    "replaced must be {}: {imports} earlier import(s)",
                    imports > 0
                ),
                "replaced",
            ));
        }
        imports += 1;
    }
    Ok(())
}
