//! The JSON API under /api/v1 for the committee's actions.

use actix_web::web;

pub fn configure(_cfg: &mut web::ServiceConfig) {}
