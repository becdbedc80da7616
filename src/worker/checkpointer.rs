//! The checkpointer job: signs a checkpoint of every log that grew, so a
//! signed head covers new entries within `audit.checkpoint_interval_secs`
//! (S13).

use std::time::Duration;

use ratify_tlog::Signer;

use super::{Job, Outcome};
use crate::audit::checkpoint_all;
use crate::config::AuditSettings;
use crate::db::Db;
use crate::error::Result;

pub struct Checkpointer {
    db: Db,
    signer: Signer,
    settings: AuditSettings,
}

impl Checkpointer {
    pub fn new(db: Db, signer: Signer, settings: AuditSettings) -> Checkpointer {
        Checkpointer {
            db,
            signer,
            settings,
        }
    }
}

impl Job for Checkpointer {
    fn name(&self) -> &'static str {
        "checkpointer"
    }

    fn interval(&self) -> Duration {
        Duration::from_secs(self.settings.checkpoint_interval_secs)
    }

    fn run_once(&mut self) -> Result<Outcome> {
        let mut conn = self.db.get()?;
        let made = checkpoint_all(&mut conn, &self.signer, &self.settings)?;
        if made > 0 {
            tracing::debug!(made, "signed checkpoints");
        }
        Ok(Outcome::Idle)
    }
}
