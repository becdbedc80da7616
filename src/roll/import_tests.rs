use std::time::Instant;

use super::*;

fn units() -> Vec<UnitCode> {
    ["U1", "U2", "U3", "U4", "U5", "U6", "XH"]
        .into_iter()
        .map(|u| UnitCode::parse(u).unwrap())
        .collect()
}

fn csv(rows: &[&str]) -> Vec<u8> {
    let mut s = String::from(HEADER);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s.into_bytes()
}

#[track_caller]
fn refused(bytes: &[u8]) -> RollErrors {
    match parse_roll(bytes, &units()) {
        Ok(roll) => panic!("roll accepted with {} rows", roll.len()),
        Err(e) => e,
    }
}

#[track_caller]
fn only_error(bytes: &[u8], line: u64, field: &str, needle: &str) -> RollError {
    let errs = refused(bytes);
    assert_eq!(errs.errors.len(), 1, "{errs}");
    let e = errs.errors[0].clone();
    assert_eq!((e.line, e.field), (line, field), "{e}");
    assert!(
        e.message.to_string().contains(needle),
        "{needle:?} not in: {e}"
    );
    e
}

/// n members spread over the units: member i is in unit U(i % 6 + 1), except
/// every 1000th, who is Extra Help.
fn generated(n: usize) -> Vec<u8> {
    let mut s = String::with_capacity(n * 64);
    s.push_str(HEADER);
    s.push_str("\r\n");
    for i in 0..n {
        let unit = if i % 1000 == 999 {
            "XH".to_owned()
        } else {
            format!("U{}", i % 6 + 1)
        };
        let lang = if i % 3 == 0 { "es" } else { "en" };
        s.push_str(&format!(
            "{},Member {i},member{i}@example.org,{unit},{lang}\r\n",
            100_000 + i
        ));
    }
    s.into_bytes()
}

#[test]
fn acceptance_example_parses() {
    let roll = parse_roll(
        &csv(&["100001,Ana Example,ana@example.org,U1,es"]),
        &units(),
    )
    .unwrap();
    assert_eq!(roll.len(), 1);
    let r = &roll.rows()[0];
    assert_eq!(r.member_number.as_str(), "100001");
    assert_eq!(r.name.as_str(), "Ana Example");
    assert_eq!(r.email.as_str(), "ana@example.org");
    assert_eq!(r.unit.as_str(), "U1");
    assert_eq!(r.language, Language::Es);
    assert_eq!(roll.member("100001").unwrap().name.as_str(), "Ana Example");
}

#[test]
fn bom_crlf_quotes_and_spaces_are_tolerated() {
    let bytes = b"\xEF\xBB\xBFmember_number,name,email,unit,language\r\n\
                  100001 ,\"Example, Ana\" ,Ana@Example.org,U1,ES\r\n\
                  \r\n\
                  ,,,,\r\n\
                  100002,Bo,bo@example.org,XH,en\r\n";
    let roll = parse_roll(bytes, &units()).unwrap();
    assert_eq!(roll.len(), 2);
    assert_eq!(roll.rows()[0].member_number.as_str(), "100001");
    assert_eq!(roll.rows()[0].name.as_str(), "Example, Ana");
    assert_eq!(roll.rows()[0].email.as_str(), "Ana@Example.org");
    assert_eq!(roll.rows()[0].language, Language::Es);
    assert_eq!(roll.rows()[1].unit.as_str(), "XH");
}

#[test]
fn counts_per_unit_for_5000_members() {
    let roll = parse_roll(&generated(5000), &units()).unwrap();
    assert_eq!(roll.len(), 5000);
    let counts = roll.counts_per_unit();
    let get = |u: &str| counts[&UnitCode::parse(u).unwrap()];
    // 5 members (999, 1999, ...) are Extra Help; the other 4995 cycle U1..U6.
    assert_eq!(get("XH"), 5);
    let mut expect = [0u64; 6];
    for i in 0..5000 {
        if i % 1000 != 999 {
            expect[i % 6] += 1;
        }
    }
    for (k, n) in expect.iter().enumerate() {
        assert_eq!(get(&format!("U{}", k + 1)), *n, "U{}", k + 1);
    }
    assert_eq!(counts.values().sum::<u64>(), 5000);
    assert_eq!(counts.len(), 7);
}

#[test]
fn counts_include_units_without_members() {
    let roll = parse_roll(&csv(&["1,A,a@example.org,U1,en"]), &units()).unwrap();
    let counts = roll.counts_per_unit();
    assert_eq!(counts.len(), 7);
    assert_eq!(counts[&UnitCode::parse("U1").unwrap()], 1);
    assert_eq!(counts[&UnitCode::parse("XH").unwrap()], 0);
}

#[test]
fn wrong_header_is_refused_clearly() {
    let bytes = b"member_number,email,name,unit,language\n1,a@example.org,A,U1,en\n";
    let e = only_error(
        bytes,
        1,
        "header",
        "found `member_number,email,name,unit,language`",
    );
    assert!(e.message.to_string().contains(HEADER), "{e}");
    only_error(
        b"member_number,name,email,unit\n1,A,a@example.org,U1\n",
        1,
        "header",
        HEADER,
    );
    only_error(
        b"1,A,a@example.org,U1,en\n",
        1,
        "header",
        "found `1,A,a@example.org,U1,en`",
    );
}

#[test]
fn empty_file_and_header_only_are_refused() {
    only_error(b"", 1, "header", "empty");
    only_error(b"\xEF\xBB\xBF", 1, "header", "empty");
    only_error(HEADER.as_bytes(), 2, "file", "no members");
    only_error(
        format!("{HEADER}\r\n\r\n").as_bytes(),
        2,
        "file",
        "no members",
    );
}

#[test]
fn wrong_column_count_names_the_line() {
    let bytes = csv(&[
        "1,A,a@example.org,U1,en",
        "2,B,b@example.org,U1",
        "3,C,c@example.org,U1,en,extra",
    ]);
    let errs = refused(&bytes);
    assert_eq!(errs.errors.len(), 2, "{errs}");
    assert_eq!((errs.errors[0].line, errs.errors[0].field), (3, "row"));
    assert!(
        errs.errors[0].message.to_string().contains("found 4"),
        "{errs}"
    );
    assert_eq!((errs.errors[1].line, errs.errors[1].field), (4, "row"));
    assert!(
        errs.errors[1].message.to_string().contains("found 6"),
        "{errs}"
    );
}

#[test]
fn empty_fields_are_refused_each_by_name() {
    let errs = refused(&csv(&["1,A,a@example.org,U1,en", "2, ,,U1,"]));
    let got: Vec<(u64, &str)> = errs.errors.iter().map(|e| (e.line, e.field)).collect();
    assert_eq!(got, [(3, "name"), (3, "email"), (3, "language")], "{errs}");
    only_error(
        &csv(&[",A,a@example.org,U1,en"]),
        2,
        "member_number",
        "empty",
    );
    only_error(&csv(&["1,A,a@example.org,,en"]), 2, "unit", "empty");
}

#[test]
fn bad_member_number_name_and_email_are_refused() {
    only_error(
        &csv(&["100 001,A,a@example.org,U1,en"]),
        2,
        "member_number",
        "`100 001`",
    );
    only_error(
        &csv(&["1,A,a@example.org,U1,en", "2,B,bob@,U1,en"]),
        3,
        "email",
        "`bob@`",
    );
    only_error(
        &csv(&["1,A,Ana <a@example.org>,U1,en"]),
        2,
        "email",
        "Ana <a@example.org>",
    );
    only_error(
        &csv(&["1,\"Ana\nExample\",a@example.org,U1,en"]),
        2,
        "name",
        "line break",
    );
}

#[test]
fn unknown_unit_is_named() {
    let e = only_error(
        &csv(&["1,A,a@example.org,U1,en", "2,B,b@example.org,U9,en"]),
        3,
        "unit",
        "`U9`",
    );
    assert!(
        e.message.to_string().contains("U1, U2, U3, U4, U5, U6, XH"),
        "{e}"
    );
    let e = only_error(
        &csv(&["1,A,a@example.org,xh,en"]),
        2,
        "unit",
        "did you mean `XH`?",
    );
    assert!(e.message.to_string().contains("`xh`"), "{e}");
    only_error(&csv(&["1,A,a@example.org,U 1,en"]), 2, "unit", "`U 1`");
}

#[test]
fn language_must_be_en_or_es() {
    only_error(&csv(&["1,A,a@example.org,U1,fr"]), 2, "language", "`fr`");
    only_error(
        &csv(&["1,A,a@example.org,U1,english"]),
        2,
        "language",
        "`english`",
    );
}

#[test]
fn duplicate_member_numbers_name_both_lines() {
    let bytes = csv(&[
        "100001,A,a@example.org,U1,en",
        "100002,B,b@example.org,U1,en",
        "100001,C,c@example.org,U2,es",
    ]);
    let e = only_error(&bytes, 4, "member_number", "`100001`");
    assert!(e.message.to_string().contains("line 2"), "{e}");
}

#[test]
fn duplicate_emails_ignoring_case_name_both_lines() {
    let bytes = csv(&[
        "1,A,ana@example.org,U1,en",
        "2,B,b@example.org,U1,en",
        "3,C,ANA@Example.org,U2,es",
    ]);
    let e = only_error(&bytes, 4, "email", "`ANA@Example.org`");
    assert!(e.message.to_string().contains("line 2"), "{e}");
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_nothing_is_returned() {
    let bytes = csv(&[
        "1,A,a@example.org,U1,en",
        "2,B,not-an-email,U1,en",
        "3,C,c@example.org,U1,en",
        "4,D,d@example.org,U7,de",
        "1,E,e@example.org,U1,en",
        "6,F,f@example.org,U1,en",
    ]);
    let errs = refused(&bytes);
    let got: Vec<(u64, &str)> = errs.errors.iter().map(|e| (e.line, e.field)).collect();
    assert_eq!(
        got,
        [
            (3, "email"),
            (5, "unit"),
            (5, "language"),
            (6, "member_number")
        ],
        "{errs}"
    );
    assert_eq!(errs.more, 0);
    let shown = errs.to_string();
    assert!(
        shown.starts_with("the roll was not imported: 4 problems"),
        "{shown}"
    );
    assert!(
        shown.contains("\nline 3, email: `not-an-email` is not a valid email address"),
        "{shown}"
    );
    assert!(
        errs.summary()
            .contains("4 problems, the first: line 3, email"),
        "{}",
        errs.summary()
    );
}

#[test]
fn line_numbers_count_quoted_newlines_and_blank_lines() {
    let bytes = b"member_number,name,email,unit,language\n\
                  1,\"A\",a@example.org,U1,en\n\
                  \n\
                  2,B,b@example.org,U1,xx\n";
    only_error(bytes, 4, "language", "`xx`");
    let bytes = b"member_number,name,email,unit,language\n\
                  1,\"A\nB\",a@example.org,U1,en\n\
                  2,B,b@example.org,U1,xx\n";
    let errs = refused(bytes);
    assert_eq!(
        errs.errors
            .iter()
            .map(|e| (e.line, e.field))
            .collect::<Vec<_>>(),
        [(2, "name"), (4, "language")]
    );
}

#[test]
fn invalid_utf8_is_refused_naming_the_field() {
    let mut bytes = csv(&[]);
    bytes.extend_from_slice(b"1,Jos\xe9,a@example.org,U1,en\n");
    only_error(&bytes, 2, "name", "UTF-8");
}

#[test]
fn error_list_is_capped_and_the_rest_counted() {
    let n = MAX_REPORTED_ERRORS + 500;
    let rows: Vec<String> = (0..n)
        .map(|i| format!("{i},N,n{i}@example.org,U9,en"))
        .collect();
    let refs: Vec<&str> = rows.iter().map(String::as_str).collect();
    let errs = refused(&csv(&refs));
    assert_eq!(errs.errors.len(), MAX_REPORTED_ERRORS);
    assert_eq!(errs.more, 500);
    assert_eq!(errs.total(), n as u64);
    assert_eq!(
        errs.errors.last().unwrap().line,
        MAX_REPORTED_ERRORS as u64 + 1
    );
    assert!(errs.to_string().ends_with("... and 500 more"));
}

#[test]
fn roll_hash_pins_the_documented_bytes() {
    let roll = parse_roll(
        &csv(&[
            "2,Bo B,Bo@example.org,U2,en",
            "10,Ana,ana@example.org,U1,es",
        ]),
        &units(),
    )
    .unwrap();
    // Byte order of member numbers: "10" < "2".
    let expected = ring::digest::digest(
        &ring::digest::SHA256,
        b"ratify-roll-v1\x1e10\x1fAna\x1fana@example.org\x1fU1\x1fes\x1e2\x1fBo B\x1fBo@example.org\x1fU2\x1fen\x1e",
    );
    assert_eq!(roll.roll_hash().as_slice(), expected.as_ref());
    assert_eq!(roll.roll_hash_hex(), hex::encode(expected.as_ref()));
}

#[test]
fn roll_hash_ignores_file_form_but_not_content() {
    let a = parse_roll(
        &csv(&["1,Ana,ana@example.org,U1,es", "2,Bo,bo@example.org,U2,en"]),
        &units(),
    )
    .unwrap();
    let b = parse_roll(
        b"\xEF\xBB\xBFmember_number,name,email,unit,language\r\n2 ,Bo,bo@example.org,U2,EN\r\n1,\"Ana\",ana@example.org,U1,es\r\n",
        &units(),
    )
    .unwrap();
    assert_eq!(a.roll_hash(), b.roll_hash());
    for changed in [
        ["1,Ana,ana@example.org,U1,en", "2,Bo,bo@example.org,U2,en"],
        ["1,Ana,ana@example.org,U3,es", "2,Bo,bo@example.org,U2,en"],
        ["1,Anna,ana@example.org,U1,es", "2,Bo,bo@example.org,U2,en"],
        ["1,Ana,Ana@example.org,U1,es", "2,Bo,bo@example.org,U2,en"],
        ["3,Ana,ana@example.org,U1,es", "2,Bo,bo@example.org,U2,en"],
    ] {
        let c = parse_roll(&csv(&changed), &units()).unwrap();
        assert_ne!(a.roll_hash(), c.roll_hash(), "{changed:?}");
    }
}

#[test]
fn from_rows_applies_the_same_checks() {
    let roll = parse_roll(
        &csv(&["1,Ana,ana@example.org,U1,es", "2,Bo,bo@example.org,U2,en"]),
        &units(),
    )
    .unwrap();
    let mut rows = roll.clone().into_rows();
    assert_eq!(Roll::from_rows(rows.clone(), &units()).unwrap(), roll);
    rows[1].email = Email::parse("ANA@example.org").unwrap();
    let errs = Roll::from_rows(rows.clone(), &units()).unwrap_err();
    assert_eq!((errs.errors[0].line, errs.errors[0].field), (3, "email"));
    let only_u2 = [UnitCode::parse("U2").unwrap()];
    let errs = Roll::from_rows(roll.into_rows(), &only_u2).unwrap_err();
    assert_eq!((errs.errors[0].line, errs.errors[0].field), (2, "unit"));
    assert!(Roll::from_rows(Vec::new(), &units()).is_err());
}

#[test]
#[ignore = "timing: run with --release -- --ignored"]
fn parses_500k_members_quickly() {
    let bytes = generated(500_000);
    let start = Instant::now();
    let roll = parse_roll(&bytes, &units()).unwrap();
    let parsed = start.elapsed();
    let hash_start = Instant::now();
    let _ = roll.roll_hash();
    eprintln!(
        "500k rows ({} MB): parse {parsed:?}, hash {:?}",
        bytes.len() / 1_000_000,
        hash_start.elapsed()
    );
    assert_eq!(roll.len(), 500_000);
    assert!(parsed.as_secs() < 30, "took {parsed:?}");
}

#[test]
fn crlf_blank_lines_do_not_shift_line_numbers() {
    let bytes = b"\r\nmember_number,name,email,unit,language\r\n1,A,a@example.org,U1,en\r\n\r\n\r\n2,B,b@example.org,U1,xx\r\n\r\n";
    only_error(bytes, 6, "language", "`xx`");
    let bytes = b"member_number,name,email\r\n";
    only_error(bytes, 1, "header", "found `member_number,name,email`");
}

#[test]
fn an_overlong_first_line_is_refused_without_echoing_it() {
    for roll in [
        "x".repeat(5_000_000),
        format!(
            "{},name,email,unit,language\n1,A,a@example.org,U1,en\n",
            "m".repeat(2_000)
        ),
    ] {
        let errors = parse_roll(roll.as_bytes(), &units()).unwrap_err();
        assert_eq!(errors.total(), 1);
        let e = &errors.errors[0];
        assert_eq!((e.line, e.field), (1, "header"));
        assert!(
            e.message.to_string().len() < 400,
            "{}",
            e.message.to_string().len()
        );
        assert!(e.message.to_string().ends_with("…`"), "{}", e.message);
    }
}
