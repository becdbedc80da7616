//! `ratify serve`: migrate, load keys, listen, run until SIGTERM/SIGINT.

use std::sync::Arc;

use crate::clock::SystemClock;
use crate::config::Settings;
use crate::error::{Error, Result};
use crate::keys::Keys;
use crate::web::{self, AppState};
use crate::worker::{Checkpointer, Closer, MailWorker, Workers};

use super::Report;

pub fn run(settings: Settings) -> Result<Report> {
    crate::telemetry::init(&settings.log);
    let db = super::open_database(&settings)?;
    let keys = Keys::load(&settings.keys)?;
    // The outbox will hold ballot tokens (S3): 0700 like the keys.
    crate::keys::create_private_dir(&settings.mail.outbox_dir)?;
    let listener = web::bind(&settings)?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::Internal(e.to_string()))?;
    let signer = crate::audit::signer(&keys, &settings.audit)?;
    // Background jobs stop when the server does (or when this function
    // returns early: `Workers` stops them on drop).
    let mut workers = Workers::new();
    workers.spawn(Checkpointer::new(
        db.clone(),
        signer,
        settings.audit.clone(),
    ))?;
    workers.spawn(MailWorker::new(db.clone(), &settings)?)?;
    workers.spawn(Closer::new(db.clone()))?;
    let state = AppState::new(settings, db, keys, Arc::new(SystemClock))?;
    tracing::info!(%address, backend = state.db.backend().name(), "ratify is listening");
    actix_web::rt::System::new().block_on(async move {
        let server = web::start(state, listener)?;
        server
            .await
            .map_err(|e| Error::Internal(format!("server stopped: {e}")))
    })?;
    workers.stop();
    Ok(Report::new(
        "ratify stopped",
        serde_json::json!({ "stopped": true }),
    ))
}
