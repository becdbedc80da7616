//! The S8 grouping rule (docs/audit-format.md §"Reported groups (S8)").
use super::*;

fn names(units: &[(&str, u64)], m: u64) -> Vec<(String, u64)> {
    reported_groups(units, m)
        .into_iter()
        .map(|g| (g.name, g.ballots))
        .collect()
}

fn n(name: &str, ballots: u64) -> (String, u64) {
    (name.to_string(), ballots)
}

#[test]
fn units_at_the_minimum_stand_alone_and_smaller_ones_merge() {
    let units = [("U1", 10), ("U2", 3), ("U3", 10), ("XH", 2)];
    assert_eq!(
        names(&units, 5),
        [n("U1", 10), n("U2+XH", 5), n("U3", 10)],
        "U2 and XH (3 + 2 = 5, not below 5) form one group placed at U2"
    );
}

#[test]
fn a_merged_group_still_too_small_joins_the_smallest_other_group() {
    // U2 + XH = 3 < 5: joins the smallest other group, U3 (6 < 9).
    let units = [("U1", 9), ("U2", 1), ("U3", 6), ("XH", 2)];
    assert_eq!(names(&units, 5), [n("U1", 9), n("U2+U3+XH", 9)]);
}

#[test]
fn on_a_tie_the_first_group_in_spec_order_takes_the_small_units() {
    let units = [("U1", 7), ("U2", 7), ("XH", 1)];
    assert_eq!(names(&units, 5), [n("U1+XH", 8), n("U2", 7)]);
}

#[test]
fn a_unit_with_no_ballots_is_merged_too_and_m_zero_merges_nothing() {
    let units = [("U1", 8), ("U2", 0)];
    assert_eq!(names(&units, 1), [n("U1+U2", 8)]);
    assert_eq!(names(&units, 0), [n("U1", 8), n("U2", 0)]);
}

#[test]
fn when_every_unit_is_small_they_form_one_group_even_below_the_minimum() {
    let units = [("U1", 1), ("U2", 2)];
    assert_eq!(names(&units, 5), [n("U1+U2", 3)]);
}

#[test]
fn a_single_small_unit_keeps_its_own_code_as_the_name_when_it_must_stand() {
    let units = [("U1", 2)];
    assert_eq!(names(&units, 5), [n("U1", 2)]);
}
