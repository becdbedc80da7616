//! Liveness and readiness for load balancers and operators.

use actix_web::{get, web, HttpResponse};

use crate::web::AppState;

/// Alive: the process answers HTTP.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}

/// Ready: the database answers. 503 otherwise, so a load balancer stops
/// sending members to a server that cannot record their ballots.
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let db = state.db.clone();
    let outcome = actix_web::rt::task::spawn_blocking(move || db.ping()).await;
    match outcome {
        Ok(Ok(())) => HttpResponse::Ok()
            .content_type("text/plain")
            .body("ready\n"),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "not ready");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database unavailable\n")
        }
        Err(_) => HttpResponse::ServiceUnavailable().finish(),
    }
}
