//! The elections committee's pages (server-rendered, no JavaScript).

use actix_web::web;

pub fn configure(_cfg: &mut web::ServiceConfig) {}
