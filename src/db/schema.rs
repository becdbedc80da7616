//! The tables, written once for both backends (see migrations/sqlite and
//! migrations/postgres, which must stay column-for-column identical).

diesel::table! {
    accounts (id) {
        id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        totp_secret -> Nullable<Text>,
        failed_logins -> Integer,
        locked_until -> Nullable<BigInt>,
        disabled -> Bool,
        created_at -> BigInt,
        totp_last_step -> Nullable<BigInt>,
    }
}

diesel::table! {
    sessions (id_hash) {
        id_hash -> Text,
        account_id -> BigInt,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    sign_in_failures (email, client) {
        email -> Text,
        client -> Text,
        failed -> Integer,
        first_failed_at -> BigInt,
        locked_until -> Nullable<BigInt>,
    }
}

diesel::table! {
    elections (id) {
        id -> BigInt,
        slug -> Text,
        spec -> Text,
        state -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    members (id) {
        id -> BigInt,
        election_id -> BigInt,
        member_number -> Text,
        name -> Text,
        email -> Text,
        unit -> Text,
        language -> Text,
        eligible -> Bool,
        has_voted -> Bool,
        search_key -> Text,
    }
}

diesel::table! {
    audit_logs (id) {
        id -> BigInt,
        name -> Text,
        size -> BigInt,
        head_time -> BigInt,
        head_hash -> Nullable<Binary>,
    }
}

diesel::table! {
    audit_entries (log_id, idx) {
        log_id -> BigInt,
        idx -> BigInt,
        leaf_hash -> Binary,
        body -> Text,
    }
}

diesel::table! {
    audit_nodes (log_id, level, idx) {
        log_id -> BigInt,
        level -> Integer,
        idx -> BigInt,
        hash -> Binary,
    }
}

diesel::table! {
    audit_checkpoints (log_id, size) {
        log_id -> BigInt,
        size -> BigInt,
        note -> Text,
    }
}

diesel::joinable!(sessions -> accounts (account_id));
diesel::joinable!(members -> elections (election_id));
diesel::joinable!(audit_entries -> audit_logs (log_id));
diesel::joinable!(audit_nodes -> audit_logs (log_id));
diesel::joinable!(audit_checkpoints -> audit_logs (log_id));

diesel::allow_tables_to_appear_in_same_query!(
    accounts,
    sessions,
    sign_in_failures,
    elections,
    members,
    audit_logs,
    audit_entries,
    audit_nodes,
    audit_checkpoints,
);

diesel::table! {
    trustee_files (election_id, kind, trustee_index) {
        election_id -> BigInt,
        kind -> Text,
        trustee_index -> Integer,
        body -> Text,
    }
}

diesel::table! {
    election_keys (election_id) {
        election_id -> BigInt,
        body -> Text,
    }
}

diesel::table! {
    tallies (election_id) {
        election_id -> BigInt,
        request -> Text,
        groups -> Text,
    }
}

diesel::joinable!(trustee_files -> elections (election_id));
diesel::joinable!(election_keys -> elections (election_id));
diesel::joinable!(tallies -> elections (election_id));
diesel::allow_tables_to_appear_in_same_query!(trustee_files, election_keys, tallies, elections);

diesel::table! {
    credentials (id) {
        id -> BigInt,
        election_id -> BigInt,
        member_id -> BigInt,
        token_hash -> Binary,
        state -> Text,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        election_id -> BigInt,
        member_id -> BigInt,
        kind -> Text,
        message_id -> Text,
        token -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> BigInt,
        lease_until -> Nullable<BigInt>,
        reply -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::joinable!(credentials -> members (member_id));
diesel::joinable!(outbox -> members (member_id));
diesel::joinable!(outbox -> elections (election_id));
diesel::allow_tables_to_appear_in_same_query!(credentials, outbox);
diesel::allow_tables_to_appear_in_same_query!(credentials, members);
diesel::allow_tables_to_appear_in_same_query!(credentials, elections);
diesel::allow_tables_to_appear_in_same_query!(credentials, election_keys);
diesel::allow_tables_to_appear_in_same_query!(members, election_keys);
diesel::allow_tables_to_appear_in_same_query!(outbox, members);
diesel::allow_tables_to_appear_in_same_query!(outbox, elections);

diesel::table! {
    ballots (election_id, tracker) {
        election_id -> BigInt,
        tracker -> Text,
        unit -> Text,
        body -> Text,
    }
}

diesel::joinable!(ballots -> elections (election_id));
diesel::allow_tables_to_appear_in_same_query!(ballots, elections);

diesel::table! {
    trustee_slots (election_id, trustee_index) {
        election_id -> BigInt,
        trustee_index -> Integer,
        account_id -> Nullable<BigInt>,
    }
}

diesel::joinable!(trustee_slots -> elections (election_id));
diesel::joinable!(trustee_slots -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(trustee_slots, accounts);
diesel::allow_tables_to_appear_in_same_query!(trustee_slots, elections);

diesel::table! {
    election_closes (election_id) {
        election_id -> BigInt,
        salt -> Text,
        per_unit -> Text,
    }
}

diesel::table! {
    results (election_id) {
        election_id -> BigInt,
        body -> Text,
        decrypted_by -> Text,
    }
}

diesel::table! {
    certifications (election_id, account_id) {
        election_id -> BigInt,
        account_id -> BigInt,
        position -> Integer,
    }
}

diesel::table! {
    certificates (election_id) {
        election_id -> BigInt,
        body -> Text,
    }
}

diesel::joinable!(certifications -> accounts (account_id));
diesel::allow_tables_to_appear_in_same_query!(certifications, accounts);
