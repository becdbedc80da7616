//! Public read access to election audit logs: the latest signed checkpoint,
//! entries as JSON Lines, inclusion and consistency proofs, the verifier key
//! (docs/audit-format.md §"HTTP endpoints"). Election logs are public: they
//! name no member's vote and no voter (S7). The handlers carry their own
//! OpenAPI annotations; `web::api` lists them in the document.

pub mod log;

pub use log::configure;
