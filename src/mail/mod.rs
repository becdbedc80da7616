//! Ballot email (issue 12): composing each message in the member's
//! language (`compose`), DKIM (`dkim`), the relay connections (`smtp`,
//! `implicit_tls`) and this worker's hold on its batch (`lease`), one
//! run of the outbox (`deliver`), bounces that arrive later (`bounce`),
//! delivery counts per unit (`delivery`) and printed notices (`notice`).
//! The outbox itself is `db::outbox`; issuing the credentials a message
//! carries is `credential`.

pub mod bounce;
pub mod compose;
mod deliver;
pub mod delivery;
mod dkim;
mod implicit_tls;
pub mod lease;
pub mod notice;
pub mod smtp;

pub use bounce::{Bounce, BounceError};
pub use compose::{Composer, Draft, Kind};
pub use deliver::{retry_delay, Deliverer};
pub use delivery::{apply_bounce, delivery_report, member_statuses, DeliveryReport, UnitDelivery};
