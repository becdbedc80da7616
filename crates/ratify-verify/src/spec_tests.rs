//! Tests of `spec.rs`.
use super::*;

#[test]
fn z_and_offset_forms_are_the_same_instant() {
    assert_eq!(instant("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(
        instant("2024-12-12T01:00:00Z"),
        instant("2024-12-12T01:00:00+00:00")
    );
    assert_eq!(
        instant("2024-12-11T17:00:00-08:00"),
        instant("2024-12-12T01:00:00Z")
    );
    assert_eq!(
        instant("2026-11-22T09:10:00.250Z").map(|t| t % 1000),
        Some(250)
    );
    assert_eq!(instant("2024-13-01T00:00:00Z"), None);
    assert_eq!(instant("2024-12-12 01:00:00Z"), None);
}

#[test]
fn a_rule_fraction_is_digits_from_one_to_one() {
    assert_eq!(
        (fraction("2/3"), fraction("1/1")),
        (Some((2, 3)), Some((1, 1)))
    );
    for bad in ["+2/3", "0/3", "4/3", "2/"] {
        assert_eq!(fraction(bad), None, "{bad}");
    }
}
