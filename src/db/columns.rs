//! Domain enums as text columns, mapped once (issue 9): a row holds an
//! `ElectionState`, a `Role` or a `Language`, never a string that each
//! reader parses (and might default silently). A stored value the program
//! does not know is a deserialization error naming the column's type, not
//! a fallback to some state (a draft allows changes).
//!
//! The impls are generic over the backend, so they serve SQLite,
//! PostgreSQL and the `MultiConnection` backend alike.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::account::Role;
use crate::election::{ElectionState, Language};

/// `ToSql`/`FromSql` as the enum's stable name (`as_str`/`parse`).
macro_rules! text_column {
    ($ty:ty, $parse:expr) => {
        impl<DB> ToSql<Text, DB> for $ty
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> FromSql<Text, DB> for $ty
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                let parse: fn(&str) -> Option<$ty> = $parse;
                parse(&text).ok_or_else(|| {
                    format!(
                        "the stored {} \"{}\" is not one this program knows",
                        stringify!($ty),
                        crate::election::text::echo(&text)
                    )
                    .into()
                })
            }
        }
    };
}

text_column!(ElectionState, |s| s.parse().ok());
text_column!(Role, Role::parse);
// Stored lower-case by the roll import; `parse` also takes `EN`.
text_column!(Language, |s| s.parse().ok());

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::dsl::sql;
    use diesel::prelude::*;
    use diesel::sqlite::SqliteConnection;

    fn conn() -> SqliteConnection {
        SqliteConnection::establish(":memory:").unwrap()
    }

    #[test]
    fn every_value_round_trips_through_its_column() {
        let mut c = conn();
        for state in ElectionState::ALL {
            let back: ElectionState = diesel::select(state.into_sql::<Text>())
                .get_result(&mut c)
                .unwrap();
            assert_eq!(back, state);
        }
        for role in [Role::Admin, Role::Committee, Role::Trustee, Role::Auditor] {
            let back: Role = diesel::select(role.into_sql::<Text>())
                .get_result(&mut c)
                .unwrap();
            assert_eq!(back, role);
        }
        for lang in Language::ALL {
            let back: Language = diesel::select(lang.into_sql::<Text>())
                .get_result(&mut c)
                .unwrap();
            assert_eq!(back, lang);
        }
    }

    /// An unknown stored state is an error, never a silent `Draft` (the
    /// one state that allows changes).
    #[test]
    fn an_unknown_stored_value_is_an_error_not_a_default() {
        let mut c = conn();
        let state = diesel::select(sql::<Text>("'drafty'")).get_result::<ElectionState>(&mut c);
        let message = format!("{:?}", state.unwrap_err());
        assert!(
            message.contains("ElectionState") && message.contains("drafty"),
            "{message}"
        );
        let role = diesel::select(sql::<Text>("'superuser'")).get_result::<Role>(&mut c);
        assert!(role.is_err());
        let lang = diesel::select(sql::<Text>("'fr'")).get_result::<Language>(&mut c);
        assert!(lang.is_err());
    }
}
