//! What the elections committee and the trustees do, as functions the web
//! routes and the command line both call. Each action validates, changes
//! the database and appends its audit-log entry in one transaction (S12).

pub mod elections;
pub mod roll;
pub mod trustees;

pub use elections::{
    ballot_context, create_election, election_summary, extend_window, list_elections,
    load_election, ElectionSummary, ExtendError, StoredElection,
};
pub use roll::{
    check_search, import_roll, search_members, MemberView, RollImported, SearchError, SearchScope,
};
pub use trustees::{publish_key, register_trustee_file, roster, submit_share, Registered};
