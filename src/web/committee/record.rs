//! The election record's download from the pages (issue 14): for signed-in
//! staff from the close on (a link on the results page), and for anyone
//! once the results are certified (a link on the public page: observers
//! need no account to check the published result). Both are the archive
//! of `web::download`; the JSON API's is `/api/v1/elections/{slug}/record`.

use actix_web::{web, HttpRequest};

use super::page::{staff_with, PageResult};
use crate::account::Permission;
use crate::error::Error;
use crate::i18n::Lang;
use crate::record::export::Reader;
use crate::web::auth::{AuthError, Staff};
use crate::web::download;
use crate::web::public::page_not_found;
use crate::web::AppState;

/// GET /committee/elections/{slug}/record.tar
pub async fn staff(
    state: web::Data<AppState>,
    staff: Result<Staff, AuthError>,
    slug: web::Path<String>,
) -> PageResult {
    staff_with(staff, Permission::ReadElection)?;
    Ok(download::record(&state, slug.into_inner(), Reader::Staff).await?)
}

/// GET /elections/{slug}/record.tar: "not found" until certification, as
/// the certificate is, in the reader's language.
pub async fn public(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    lang: Lang,
    req: HttpRequest,
) -> PageResult {
    match download::record(&state, slug.into_inner(), Reader::Public).await {
        Ok(archive) => Ok(archive),
        Err(Error::NotFound(_)) => Ok(page_not_found(
            lang,
            req.path(),
            "record-title",
            "record-none",
            "public-not-found-home",
        )),
        Err(e) => Err(e.into()),
    }
}
