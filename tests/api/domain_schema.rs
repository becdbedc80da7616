//! Issue 9: migrations/sqlite and migrations/postgres must produce the same
//! tables and columns (src/db/schema.rs is written once for both). Both
//! folders are applied to real, fresh databases and their catalogues
//! compared: column names, nullability and types. The PostgreSQL half needs
//! RATIFY_TEST_DATABASE_URL (set in CI); without it only SQLite is read.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Text};

use crate::helpers::*;

/// Table and column → (comparable type, NOT NULL).
type Columns = BTreeMap<(String, String), (String, bool)>;

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    declared: String,
    #[diesel(sql_type = Integer)]
    not_null: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    not_null: bool,
}

fn migrated(url: &str) {
    let mut settings =
        ratify::config::Settings::load(Some(std::path::Path::new("config/test.toml"))).unwrap();
    settings.database.url = url.to_string();
    let db = ratify::db::Db::connect(&settings.database).expect("connect");
    db.migrate().expect("migrate");
}

/// SQLite's declared types in PostgreSQL's words. `INTEGER PRIMARY KEY`
/// is the 64-bit rowid and can never be NULL.
fn sqlite_columns(path: &std::path::Path) -> Columns {
    let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy()).unwrap();
    let rows: Vec<SqliteColumn> = diesel::sql_query(
        "SELECT m.name AS table_name, p.name AS column_name, p.type AS declared, \
                p.\"notnull\" AS not_null, p.pk AS pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
           AND m.name NOT LIKE '\\_\\_diesel%' ESCAPE '\\'",
    )
    .load(&mut conn)
    .unwrap();
    rows.into_iter()
        .map(|c| {
            let rowid = c.declared.eq_ignore_ascii_case("INTEGER") && c.pk == 1;
            let ty = match c.declared.to_ascii_uppercase().as_str() {
                "INTEGER" if rowid => "bigint",
                "INTEGER" => "integer",
                "BIGINT" => "bigint",
                "TEXT" => "text",
                "BLOB" => "bytea",
                "BOOLEAN" => "boolean",
                other => panic!(
                    "{}.{}: teach this test the SQLite type {other}",
                    c.table_name, c.column_name
                ),
            };
            (
                (c.table_name, c.column_name),
                (ty.to_string(), c.not_null == 1 || rowid),
            )
        })
        .collect()
}

fn pg_columns(url: &str) -> Columns {
    let mut conn = diesel::PgConnection::establish(url).unwrap();
    let rows: Vec<PgColumn> = diesel::sql_query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, \
                data_type::text AS data_type, (is_nullable = 'NO') AS not_null \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '\\_\\_diesel%'",
    )
    .load(&mut conn)
    .unwrap();
    rows.into_iter()
        .map(|c| ((c.table_name, c.column_name), (c.data_type, c.not_null)))
        .collect()
}

fn differences(sqlite: &Columns, pg: &Columns) -> Vec<String> {
    let mut out = Vec::new();
    for (key, s) in sqlite {
        match pg.get(key) {
            None => out.push(format!("{}.{} only on SQLite", key.0, key.1)),
            Some(p) if p != s => out.push(format!(
                "{}.{}: SQLite {} {}, PostgreSQL {} {}",
                key.0,
                key.1,
                s.0,
                if s.1 { "NOT NULL" } else { "NULL" },
                p.0,
                if p.1 { "NOT NULL" } else { "NULL" }
            )),
            Some(_) => {}
        }
    }
    for key in pg.keys().filter(|k| !sqlite.contains_key(*k)) {
        out.push(format!("{}.{} only on PostgreSQL", key.0, key.1));
    }
    out
}

#[test]
fn both_migration_folders_make_the_same_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("schema.db");
    migrated(&format!("sqlite://{}", file.display()));
    let sqlite = sqlite_columns(&file);
    // The catalogue really was read: the tables the code queries are there.
    for table in ["accounts", "elections", "members", "audit_entries"] {
        assert!(
            sqlite.keys().any(|(t, _)| t == table),
            "no {table} on SQLite: {sqlite:?}"
        );
    }
    assert_eq!(
        sqlite[&("elections".to_string(), "id".to_string())],
        ("bigint".to_string(), true)
    );
    // Each fact stored once (issue 9): the window lives in the spec and the
    // election key in election_keys, not in copies on the elections row.
    for copy in ["opens_at", "closes_at", "time_zone", "public_key"] {
        assert!(
            !sqlite.contains_key(&("elections".to_string(), copy.to_string())),
            "elections.{copy} is a second copy"
        );
    }
    assert!(sqlite.contains_key(&("election_keys".to_string(), "body".to_string())));

    if !on_postgres() {
        println!("note: {PG_ENV} is not set; compared nothing with PostgreSQL (CI sets it)");
        return;
    }
    let database = TestDatabase::fresh(tmp.path());
    let url = database.url.clone();
    migrated(&url);
    let pg = pg_columns(&url);
    drop(database);
    let diff = differences(&sqlite, &pg);
    assert!(
        diff.is_empty(),
        "the migrations differ:\n{}",
        diff.join("\n")
    );
}

#[test]
fn the_comparison_sees_a_difference() {
    let mut sqlite = Columns::new();
    sqlite.insert(("t".into(), "a".into()), ("bigint".into(), true));
    let mut pg = sqlite.clone();
    assert!(differences(&sqlite, &pg).is_empty());
    pg.insert(("t".into(), "a".into()), ("bigint".into(), false));
    pg.insert(("t".into(), "b".into()), ("text".into(), false));
    let diff = differences(&sqlite, &pg);
    assert_eq!(diff.len(), 2, "{diff:?}");
}
