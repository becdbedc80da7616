use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::election::{Language, Rule};

const KERN: &str = include_str!("testdata/kern-lbfo-2024.toml");

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// The Kern spec with the last occurrence of `from` replaced by `to`.
fn kern_with_last(from: &str, to: &str) -> String {
    let at = KERN
        .rfind(from)
        .unwrap_or_else(|| panic!("fixture has no {from:?}"));
    format!("{}{}{}", &KERN[..at], to, &KERN[at + from.len()..])
}

fn kern_with(from: &str, to: &str) -> String {
    assert!(KERN.contains(from), "fixture has no {from:?}");
    KERN.replacen(from, to, 1)
}

#[track_caller]
fn refused(text: &str, field: &str, needle: &str) -> SpecError {
    let e = parse_spec(text).expect_err("spec accepted");
    assert_eq!(e.field, field, "wrong field in: {e}");
    assert!(e.to_string().contains(needle), "{needle:?} not in: {e}");
    e
}

#[test]
fn kern_example_parses() {
    let s = parse_spec(KERN).unwrap();
    assert_eq!(s.slug().as_str(), "kern-lbfo-2024");
    assert_eq!(
        s.title().get(Language::Es),
        "Condado de Kern: la última, mejor y final oferta del Condado"
    );
    assert_eq!(s.time_zone(), chrono_tz::America::Los_Angeles);
    // 8:00 pm PST (UTC-8) on Dec 2 is 04:00 UTC on Dec 3.
    assert_eq!(s.opens_at(), utc(2024, 12, 3, 4, 0));
    assert_eq!(s.closes_at(), utc(2024, 12, 12, 1, 0));
    assert_eq!(
        (
            s.min_unit_report(),
            s.trustees(),
            s.decrypt_threshold(),
            s.certify_quorum()
        ),
        (5, 3, 2, 2)
    );
    let units: Vec<(&str, &str)> = s
        .units()
        .iter()
        .map(|u| (u.code.as_str(), u.name.as_str()))
        .collect();
    assert_eq!(
        units,
        [
            ("U1", "Supervisory"),
            ("U2", "Professional"),
            ("U3", "Technical Services"),
            ("U4", "Clerical"),
            ("U5", "Administration"),
            ("U6", "Trades/Crafts/Labor"),
            ("XH", "Extra Help"),
        ]
    );
    assert_eq!(s.unit_codes().len(), 7);
    assert_eq!(s.unit("XH").unwrap().name, "Extra Help");
    assert!(s.unit("xh").is_none());

    let lbfo = s.question("lbfo").unwrap();
    assert_eq!(lbfo.rule(), Rule::Majority);
    assert!(lbfo.allow_blank());
    assert_eq!(lbfo.passes_on().as_str(), "yes");
    assert_eq!(lbfo.options()[1].label().get(Language::En), "No");
    let strike = s.question("strike").unwrap();
    assert_eq!(strike.rule(), Rule::AtLeast(Fraction::new(2, 3).unwrap()));
    assert_eq!(strike.option("yes").unwrap().label().es(), "Sí");
    assert_eq!(strike.option_index("no"), Some(1));
    assert!(s.question("nope").is_none());
}

#[test]
fn instants_display_in_the_election_zone() {
    let s = parse_spec(KERN).unwrap();
    assert_eq!(
        s.display_local(s.closes_at()),
        "Wed 11 Dec 2024, 5:00 pm PST"
    );
    assert_eq!(s.display_local(s.opens_at()), "Mon 2 Dec 2024, 8:00 pm PST");
    assert_eq!(
        display_local(chrono_tz::America::Los_Angeles, utc(2024, 7, 1, 19, 5)),
        "Mon 1 Jul 2024, 12:05 pm PDT"
    );
}

#[test]
fn json_form_round_trips_with_utc_instants() {
    let s = parse_spec(KERN).unwrap();
    let json = serde_json::to_string(&s).unwrap();
    assert!(
        json.contains(r#""opens_at":"2024-12-03T04:00:00Z""#),
        "{json}"
    );
    assert!(
        json.contains(r#""closes_at":"2024-12-12T01:00:00Z""#),
        "{json}"
    );
    assert!(
        json.contains(r#""time_zone":"America/Los_Angeles""#),
        "{json}"
    );
    assert!(json.contains(r#""rule":{"at_least":"2/3"}"#), "{json}");
    assert!(json.contains(r#""passes_on":"yes""#), "{json}");
    let back: ElectionSpec = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    assert_eq!(serde_json::to_string(&back).unwrap(), json);
}

#[test]
fn json_form_is_checked_too() {
    let json = serde_json::to_string(&parse_spec(KERN).unwrap()).unwrap();
    let dup = json.replacen(r#""code":"U2""#, r#""code":"U1""#, 1);
    let e = serde_json::from_str::<ElectionSpec>(&dup)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("units[1].code") && e.contains("duplicate"),
        "{e}"
    );
    let extra = json.replacen(r#""trustees":3"#, r#""trustees":3,"extra":1"#, 1);
    assert!(serde_json::from_str::<ElectionSpec>(&extra).is_err());
    let zone = json.replace("America/Los_Angeles", "Mars/Olympus");
    assert!(serde_json::from_str::<ElectionSpec>(&zone)
        .unwrap_err()
        .to_string()
        .contains("time_zone"));
    let bad_id = json.replacen(r#""id":"strike""#, r#""id":"Strike!""#, 1);
    assert!(serde_json::from_str::<ElectionSpec>(&bad_id).is_err());
}

#[test]
fn window_across_fall_back_is_one_hour_longer() {
    // Nov 2 20:00 PDT (UTC-7) to Nov 4 17:00 PST (UTC-8): 45 hours on the wall
    // clock, 46 elapsed (the hour from 1:00 to 2:00 on Nov 3 happens twice).
    let text = kern_with("2024-12-02T20:00:00", "2024-11-02T20:00:00")
        .replace("2024-12-11T17:00:00", "2024-11-04T17:00:00");
    let s = parse_spec(&text).unwrap();
    assert_eq!(s.opens_at(), utc(2024, 11, 3, 3, 0));
    assert_eq!(s.closes_at(), utc(2024, 11, 5, 1, 0));
    assert_eq!(s.closes_at() - s.opens_at(), Duration::hours(46));
    assert_eq!(s.display_local(s.opens_at()), "Sat 2 Nov 2024, 8:00 pm PDT");
}

#[test]
fn window_across_spring_forward_is_one_hour_shorter() {
    let text = kern_with("2024-12-02T20:00:00", "2024-03-09T20:00:00")
        .replace("2024-12-11T17:00:00", "2024-03-11T17:00:00");
    let s = parse_spec(&text).unwrap();
    assert_eq!(s.closes_at() - s.opens_at(), Duration::hours(44));
}

#[test]
fn time_in_the_spring_forward_gap_is_refused() {
    let e = refused(
        &kern_with("2024-12-02T20:00:00", "2024-03-10T02:30:00"),
        "opens_at",
        "2024-03-10T02:30:00",
    );
    assert!(e.message.to_string().contains("does not exist"), "{e}");
    assert_eq!(e.line, Some(3));
}

#[test]
fn ambiguous_fall_back_time_is_refused_and_an_offset_resolves_it() {
    let text = kern_with("2024-12-02T20:00:00", "2024-11-01T20:00:00")
        .replace("2024-12-11T17:00:00", "2024-11-03T01:30:00");
    let e = refused(&text, "closes_at", "2024-11-03T01:30:00");
    assert!(e.message.to_string().contains("explicit offset"), "{e}");
    assert!(
        e.message.to_string().contains("-07:00") && e.message.to_string().contains("-08:00"),
        "{e}"
    );
    assert_eq!(e.line, Some(4));

    let pst =
        parse_spec(&text.replace("2024-11-03T01:30:00", "2024-11-03T01:30:00-08:00")).unwrap();
    assert_eq!(pst.closes_at(), utc(2024, 11, 3, 9, 30));
    let pdt =
        parse_spec(&text.replace("2024-11-03T01:30:00", "2024-11-03T01:30:00-07:00")).unwrap();
    assert_eq!(pdt.closes_at(), utc(2024, 11, 3, 8, 30));
}

#[test]
fn unquoted_toml_datetime_and_short_times_are_accepted() {
    let s = parse_spec(&kern_with("\"2024-12-02T20:00:00\"", "2024-12-02T20:00:00")).unwrap();
    assert_eq!(s.opens_at(), utc(2024, 12, 3, 4, 0));
    let s = parse_spec(&kern_with("2024-12-02T20:00:00", "2024-12-02T20:00")).unwrap();
    assert_eq!(s.opens_at(), utc(2024, 12, 3, 4, 0));
    let s = parse_spec(&kern_with("2024-12-02T20:00:00", "2024-12-03T04:00:00Z")).unwrap();
    assert_eq!(s.opens_at(), utc(2024, 12, 3, 4, 0));
}

#[test]
fn optional_question_fields() {
    let text = kern_with_last(
        "rule = { at_least = \"2/3\" }",
        "rule = { at_least = \"2/3\" }\nallow_blank = false\npasses_on = \"no\"",
    );
    let s = parse_spec(&text).unwrap();
    let q = s.question("strike").unwrap();
    assert!(!q.allow_blank());
    assert_eq!(q.passes_on().as_str(), "no");
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<ElectionSpec>(&json).unwrap(), s);
    assert_eq!(
        parse_spec(&kern_with("min_unit_report = 5\n", ""))
            .unwrap()
            .min_unit_report(),
        DEFAULT_MIN_UNIT_REPORT
    );
}

#[test]
fn question_passed_uses_passes_on_and_answered_ballots() {
    let s = parse_spec(KERN).unwrap();
    let lbfo = s.question("lbfo").unwrap();
    assert!(!lbfo.passed(&[7, 29]));
    assert!(!lbfo.passed(&[10, 10]), "a tie fails");
    assert!(lbfo.passed(&[11, 10]));
    let strike = s.question("strike").unwrap();
    assert!(strike.passed(&[200, 100]));
    assert!(!strike.passed(&[199, 101]));
    assert!(!strike.passed(&[1]), "counts must match the options");
}

#[test]
fn unknown_keys_are_refused() {
    let e = refused(
        &format!("colour = \"red\"\n{KERN}"),
        "colour",
        "unknown field `colour`",
    );
    assert_eq!(e.line, Some(1));
    let e = refused(
        &kern_with("name = \"Clerical\"", "name = \"Clerical\"\nsize = 40"),
        "units[3].size",
        "size",
    );
    assert_eq!(e.line, Some(26));
    refused(
        &kern_with_last(
            "rule = { at_least = \"2/3\" }",
            "rule = { at_least = \"2/3\" }\nquorum = 3",
        ),
        "questions[1].quorum",
        "quorum",
    );
    let e = refused(
        &kern_with(
            "{ id = \"no\", en = \"No\", es = \"No\" }",
            "{ id = \"no\", en = \"No\", es = \"No\", fr = \"Non\" }",
        ),
        "questions[0].options[1].fr",
        "unknown field `fr`",
    );
    assert_eq!(e.line, Some(42));
}

#[test]
fn toml_syntax_error_names_the_line() {
    let e = parse_spec(&kern_with("trustees = 3", "trustees = = 3")).unwrap_err();
    assert_eq!(e.line, Some(7), "{e}");
    assert_eq!(e.field, "", "a syntax error belongs to no field: {e}");
    assert!(e.to_string().starts_with("line 7"), "{e}");
}

#[test]
fn missing_required_field_is_named() {
    refused(
        &kern_with("trustees = 3\n", ""),
        "trustees",
        "missing field `trustees`",
    );
    refused(
        &kern_with("slug = \"kern-lbfo-2024\"\n", ""),
        "slug",
        "missing field `slug`",
    );
}

#[test]
fn bad_top_level_values_are_refused_naming_field_and_value() {
    refused(
        &kern_with("kern-lbfo-2024", "Kern LBFO"),
        "slug",
        "Kern LBFO",
    );
    refused(
        &kern_with("America/Los_Angeles", "America/Bakersfield"),
        "time_zone",
        "America/Bakersfield",
    );
    refused(
        &kern_with("2024-12-02T20:00:00", "next tuesday"),
        "opens_at",
        "next tuesday",
    );
    refused(
        &kern_with("\"2024-12-02T20:00:00\"", "20"),
        "opens_at",
        "20",
    );
    let e = refused(
        &kern_with("2024-12-11T17:00:00", "2024-12-01T17:00:00"),
        "closes_at",
        "Sun 1 Dec 2024, 5:00 pm PST",
    );
    assert_eq!(e.line, Some(4));
    refused(
        &kern_with("2024-12-11T17:00:00", "2024-12-02T20:00:00"),
        "closes_at",
        "must be after",
    );
    refused(
        &kern_with("decrypt_threshold = 2", "decrypt_threshold = 4"),
        "decrypt_threshold",
        "`4`",
    );
    let e = refused(
        &kern_with("decrypt_threshold = 2", "decrypt_threshold = 0"),
        "decrypt_threshold",
        "`0`",
    );
    assert_eq!(e.line, Some(8));
    refused(
        &kern_with("trustees = 3", "trustees = 51"),
        "trustees",
        "`51`",
    );
    refused(
        &kern_with("trustees = 3", "trustees = -1"),
        "trustees",
        "`-1`",
    );
    refused(
        &kern_with("certify_quorum = 2", "certify_quorum = 0"),
        "certify_quorum",
        "`0`",
    );
    refused(
        &kern_with("min_unit_report = 5", "min_unit_report = 0"),
        "min_unit_report",
        "`0`",
    );
    refused(
        &kern_with(
            "es = \"Condado de Kern: la última, mejor y final oferta del Condado\"",
            "es = \"\"",
        ),
        "title.es",
        "es",
    );
}

#[test]
fn bad_units_are_refused_naming_the_unit() {
    let e = refused(
        &kern_with("code = \"U4\"", "code = \"U1\""),
        "units[3].code",
        "`U1`",
    );
    assert!(e.message.to_string().contains("units[0].code"), "{e}");
    assert_eq!(e.line, Some(24));
    refused(
        &kern_with("code = \"U4\"", "code = \"U 4\""),
        "units[3].code",
        "`U 4`",
    );
    refused(
        &kern_with("name = \"Clerical\"", "name = \" \""),
        "units[3].name",
        "empty",
    );
    let no_units: String = KERN.split("[[units]]").next().unwrap().to_owned()
        + &KERN[KERN.find("[[questions]]").unwrap()..];
    refused(&no_units, "units", "at least one");
}

#[test]
fn bad_questions_are_refused_naming_the_question() {
    let e = refused(
        &kern_with("id = \"strike\"", "id = \"lbfo\""),
        "questions[1].id",
        "`lbfo`",
    );
    assert!(e.message.to_string().contains("questions[0].id"), "{e}");
    refused(
        &kern_with("id = \"strike\"", "id = \"Strike\""),
        "questions[1].id",
        "`Strike`",
    );
    let e = refused(
        &kern_with_last("{ id = \"no\", en = \"No\"", "{ id = \"yes\", en = \"No\""),
        "questions[1].options[1].id",
        "`yes`",
    );
    assert_eq!(e.line, Some(48));
    refused(
        &kern_with_last("options = [ { id = \"yes\", en = \"Yes\", es = \"Sí\" }, { id = \"no\", en = \"No\", es = \"No\" } ]", "options = [ { id = \"yes\", en = \"Yes\", es = \"Sí\" } ]"),
        "questions[1].options",
        "at least 2 options",
    );
    refused(
        &kern_with(
            "{ id = \"no\", en = \"No\", es = \"No\" }",
            "{ id = \"no\", en = \"No\", es = \"\" }",
        ),
        "questions[0].options[1].es",
        "es",
    );
    let e = refused(
        &kern_with("rule = \"majority\"", "rule = \"plurality\""),
        "questions[0].rule",
        "plurality",
    );
    assert_eq!(e.line, Some(43));
    refused(
        &kern_with("at_least = \"2/3\"", "at_least = \"3/2\""),
        "questions[1].rule",
        "3/2",
    );
    refused(
        &kern_with("at_least = \"2/3\"", "at_least = \"0/3\""),
        "questions[1].rule",
        "0/3",
    );
    refused(
        &kern_with("at_least = \"2/3\"", "at_least = \"2/0\""),
        "questions[1].rule",
        "2/0",
    );
    refused(
        &kern_with("at_least = \"2/3\"", "at_least = 0.66"),
        "questions[1].rule",
        "0.66",
    );
    refused(
        &kern_with(
            "{ at_least = \"2/3\" }",
            "{ at_least = \"2/3\", at_most = \"1/1\" }",
        ),
        "questions[1].rule",
        "at_most",
    );
    refused(
        &kern_with_last(
            "rule = { at_least = \"2/3\" }",
            "rule = { at_least = \"2/3\" }\npasses_on = \"maybe\"",
        ),
        "questions[1].passes_on",
        "`maybe`",
    );
    let no_questions = &KERN[..KERN.find("[[questions]]").unwrap()];
    refused(no_questions, "questions", "at least one");
}

#[test]
fn missing_field_in_a_table_names_the_table() {
    // The line is the table's: its `[[questions]]` or `[[units]]` header.
    let e = refused(
        &kern_with_last("rule = { at_least = \"2/3\" }\n", ""),
        "questions[1].rule",
        "missing field `rule`",
    );
    assert_eq!(e.line, Some(45), "{e}");
    let e = refused(
        &kern_with("name = \"Clerical\"\n", ""),
        "units[3].name",
        "missing field `name`",
    );
    assert_eq!(e.line, Some(23), "{e}");
    let e = refused(
        &kern_with("id = \"lbfo\"\n", ""),
        "questions[0].id",
        "missing field `id`",
    );
    assert_eq!(e.line, Some(39), "{e}");
    // In an inline table, the inline table's line.
    let e = refused(
        &kern_with(
            "{ id = \"no\", en = \"No\", es = \"No\" }",
            "{ id = \"no\", en = \"No\" }",
        ),
        "questions[0].options[1].es",
        "missing field `es`",
    );
    assert_eq!(e.line, Some(42), "{e}");
    let e = refused(
        &kern_with(
            ", es = \"Condado de Kern: la última, mejor y final oferta del Condado\"",
            "",
        ),
        "title.es",
        "missing field `es`",
    );
    assert_eq!(e.line, Some(2), "{e}");
    // At the top level the document's own line would say nothing.
    let e = refused(
        &kern_with("trustees = 3\n", ""),
        "trustees",
        "missing field `trustees`",
    );
    assert_eq!(e.line, None, "{e}");
}

/// Wrong types are refused by serde while reading; serde_path_to_error
/// names the field path and toml's span gives the line.
#[test]
fn wrong_types_are_refused_naming_path_and_line() {
    let cases = [
        (
            kern_with("trustees = 3", "trustees = \"three\""),
            "trustees",
            7,
            "expected a whole number",
        ),
        (
            kern_with("trustees = 3", "trustees = 3.5"),
            "trustees",
            7,
            "`3.5`",
        ),
        (
            kern_with("title = {", "title = 3 #"),
            "title",
            2,
            "expected text in both languages",
        ),
        (
            kern_with("\"2024-12-02T20:00:00\"", "true"),
            "opens_at",
            3,
            "expected a date and time",
        ),
        (
            kern_with("name = \"Clerical\"", "name = 7"),
            "units[3].name",
            25,
            "integer `7`, expected a string",
        ),
        (
            kern_with("code = \"U4\"", "code = [\"U4\"]"),
            "units[3].code",
            24,
            "expected a string",
        ),
        (
            kern_with("rule = \"majority\"", "rule = 3"),
            "questions[0].rule",
            43,
            "expected a rule: use \"majority\"",
        ),
        (
            kern_with(
                "rule = \"majority\"",
                "rule = \"majority\"\nallow_blank = \"no\"",
            ),
            "questions[0].allow_blank",
            44,
            "expected a boolean",
        ),
        (
            kern_with("{ id = \"no\", en = \"No\", es = \"No\" }", "\"no\""),
            "questions[0].options[1]",
            42,
            "expected an option",
        ),
        (
            kern_with("options = [", "options = 2 #"),
            "questions[0].options",
            42,
            "expected a list",
        ),
        (
            kern_with("at_least = \"2/3\"", "at_least = [2, 3]"),
            "questions[1].rule.at_least",
            49,
            "expected a fraction in quotes",
        ),
    ];
    for (text, field, line, says) in cases {
        let e = refused(&text, field, says);
        assert_eq!(e.line, Some(line), "{e}");
    }
}

#[test]
fn unknown_fields_name_their_path_and_line() {
    let extra_table = format!("{KERN}\n[extra]\nkey = 1\n");
    let extra_line = KERN.lines().count() + 2;
    let cases = [
        (format!("colour = \"red\"\n{KERN}"), "colour", 1),
        (
            kern_with(
                "es = \"Condado de Kern",
                "fr = \"Comté\", es = \"Condado de Kern",
            ),
            "title.fr",
            2,
        ),
        (
            kern_with("name = \"Clerical\"", "name = \"Clerical\"\nsize = 40"),
            "units[3].size",
            26,
        ),
        (
            kern_with_last(
                "rule = { at_least = \"2/3\" }",
                "rule = { at_least = \"2/3\" }\nquorum = 3",
            ),
            "questions[1].quorum",
            50,
        ),
        (extra_table, "extra", extra_line),
    ];
    for (text, field, line) in cases {
        let name = field.rsplit('.').next().unwrap();
        let e = refused(&text, field, &format!("unknown field `{name}`"));
        assert_eq!(e.line, Some(line), "{e}");
    }
}

/// The stored form goes through the same reader: its refusals name the
/// field path too, and it must have every field the TOML may leave out.
#[test]
fn stored_form_names_the_path_and_needs_every_field() {
    let json = serde_json::to_string(&parse_spec(KERN).unwrap()).unwrap();
    let cases = [
        (
            json.replacen(r#""trustees":3,"#, "", 1),
            "trustees: missing field `trustees`",
        ),
        (
            json.replacen(r#""min_unit_report":5,"#, "", 1),
            "min_unit_report: missing field `min_unit_report`",
        ),
        (
            json.replacen(r#","passes_on":"yes""#, "", 1),
            "questions[0].passes_on: missing field `passes_on`",
        ),
        (
            json.replacen(r#","allow_blank":true"#, "", 1),
            "questions[0].allow_blank: missing field `allow_blank`",
        ),
        (
            json.replacen(r#""2024-12-03T04:00:00Z""#, r#""2024-12-02T20:00:00""#, 1),
            "opens_at: `2024-12-02T20:00:00` is not an RFC 3339 timestamp",
        ),
        (
            json.replacen(r#""trustees":3"#, r#""trustees":"3""#, 1),
            "expected a whole number",
        ),
    ];
    for (bad, says) in cases {
        let e = serde_json::from_str::<ElectionSpec>(&bad)
            .unwrap_err()
            .to_string();
        assert!(e.contains(says), "{says:?} not in: {e}");
    }
}

/// The stored form is the `spec` of the audit log's `election.created` entry
/// and of the stored election: its bytes must not change with the code.
#[test]
fn stored_json_form_is_byte_for_byte_stable() {
    let json = serde_json::to_string(&parse_spec(KERN).unwrap()).unwrap();
    assert_eq!(json, include_str!("testdata/kern-lbfo-2024.json"));
}
