//! Who may do what: the one table of the access policy (S11).
//!
//! Every check — the committee's pages, the JSON API, the links and forms a
//! page offers, and the `x-ratify-roles` published in the OpenAPI document —
//! asks [`Role::grants`]. There is no second list of roles anywhere: a
//! change of policy is a change of the `match` below, and the tests that
//! fetch every route as every role (tests/api/api_roles.rs,
//! tests/api/committee_pages.rs, tests/api/perm_*.rs) follow it.

use super::Role;

/// Something a signed-in account may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Read the election list, an election's page, its key-ceremony roster
    /// and its counts per unit (counts only: no member is named).
    ReadElection,
    /// Run an election: create it, import or replace its roll, extend its
    /// window, publish its key.
    RunElection,
    /// Look members up on the roll by member number: unit, language,
    /// eligibility. Nothing that says who a member is or whether they voted.
    ReadRoll,
    /// Members' names and emails, searching by them, and whether each has
    /// voted (never how, S7). Who voted is sensitive in a strike vote, so
    /// auditors and trustees never get this: S7 promises that only counts
    /// per unit and a hiding commitment leave the committee.
    ReadContacts,
    /// Create, disable and enable staff accounts.
    ManageAccounts,
    /// Register key-ceremony files (a trustee's own, or the committee's on
    /// a trustee's behalf).
    SubmitTrusteeFile,
    /// Certify an election's results (S11: with the password again). Only
    /// the committee: an admin who could also certify could make the
    /// accounts of a whole quorum alone.
    CertifyResults,
}

impl Permission {
    /// Every permission, for tables and tests.
    pub const ALL: [Permission; 7] = [
        Permission::ReadElection,
        Permission::RunElection,
        Permission::ReadRoll,
        Permission::ReadContacts,
        Permission::ManageAccounts,
        Permission::SubmitTrusteeFile,
        Permission::CertifyResults,
    ];

    /// The roles granted this permission, in [`Role::ALL`] order.
    pub fn roles(self) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| r.grants(self)).collect()
    }

    /// The names of [`Permission::roles`], as published in the OpenAPI
    /// document's `x-ratify-roles`.
    pub fn role_names(self) -> Vec<&'static str> {
        self.roles().into_iter().map(Role::as_str).collect()
    }

    /// What the permission lets one do, for a refusal a person reads
    /// ("this needs permission to run elections").
    pub fn words(self) -> &'static str {
        match self {
            Permission::ReadElection => "read elections",
            Permission::RunElection => "run elections",
            Permission::ReadRoll => "look members up on the roll",
            Permission::ReadContacts => "see members' names, emails and whether they voted",
            Permission::ManageAccounts => "manage accounts",
            Permission::SubmitTrusteeFile => "submit key-ceremony files",
            Permission::CertifyResults => "certify results",
        }
    }
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Committee, Role::Trustee, Role::Auditor];

    /// THE access table (S11: roles are checked on the server for every
    /// route, and this is what they are checked against).
    ///
    /// The promises it keeps:
    /// - S7: auditors and trustees never see who voted, nor a member's name
    ///   or email (no `ReadContacts`); auditors may look members up by
    ///   number only (`ReadRoll`), trustees not at all.
    /// - S11: only admins manage accounts; only the committee (and admins)
    ///   change an election; trustees submit their own ceremony files.
    ///
    /// Written as an exhaustive `match` so a new role or permission does
    /// not compile until someone decides who gets it.
    pub fn grants(self, permission: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match (self, permission) {
            (
                Admin,
                ReadElection | RunElection | ReadRoll | ReadContacts | ManageAccounts
                | SubmitTrusteeFile,
            ) => true,
            (
                Committee,
                ReadElection | RunElection | ReadRoll | ReadContacts | SubmitTrusteeFile,
            ) => true,
            (Committee, CertifyResults) => true,
            (Committee, ManageAccounts) => false,
            (Admin, CertifyResults) => false,
            (Trustee, ReadElection | SubmitTrusteeFile) => true,
            (Trustee, RunElection | ReadRoll | ReadContacts | ManageAccounts | CertifyResults) => {
                false
            }
            (Auditor, ReadElection | ReadRoll) => true,
            (
                Auditor,
                RunElection | ReadContacts | ManageAccounts | SubmitTrusteeFile | CertifyResults,
            ) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy written out once more, as a reader checks it: a change
    /// to [`Role::grants`] must be made here too, on purpose.
    #[test]
    fn the_table_is_the_policy() {
        use Permission::*;
        let expect = |p: Permission| -> Vec<Role> {
            match p {
                ReadElection => vec![Role::Admin, Role::Committee, Role::Trustee, Role::Auditor],
                RunElection | ReadContacts => vec![Role::Admin, Role::Committee],
                ReadRoll => vec![Role::Admin, Role::Committee, Role::Auditor],
                ManageAccounts => vec![Role::Admin],
                SubmitTrusteeFile => vec![Role::Admin, Role::Committee, Role::Trustee],
                CertifyResults => vec![Role::Committee],
            }
        };
        for p in Permission::ALL {
            assert_eq!(p.roles(), expect(p), "{p:?}");
        }
    }

    #[test]
    fn auditors_and_trustees_never_see_contacts_or_who_voted() {
        // S7, S11.
        assert!(!Role::Auditor.grants(Permission::ReadContacts));
        assert!(!Role::Trustee.grants(Permission::ReadContacts));
        assert!(!Role::Trustee.grants(Permission::ReadRoll));
        assert!(!Role::Auditor.grants(Permission::RunElection));
    }

    #[test]
    fn role_names_are_published_in_role_order() {
        assert_eq!(
            Permission::SubmitTrusteeFile.role_names(),
            ["admin", "committee", "trustee"]
        );
    }
}
