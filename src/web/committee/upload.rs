//! Reading an uploaded form (multipart) under a size limit from the
//! settings (S16: bodies are size-limited). The body is read only after the
//! route has checked who is asking, then handed to actix-multipart's parser;
//! the scope's `MultipartFormConfig` is unbounded because the limit here
//! already applies.

use actix_multipart::form::{MultipartCollect, MultipartForm};
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest};

/// Why an uploaded form could not be read. Its text is for people; the
/// status comes from the variant.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the form must be sent as multipart/form-data (a file upload form)")]
    NotMultipart,
    #[error("the upload did not arrive whole: {0}")]
    Incomplete(String),
    #[error("the file is too large: uploads are limited to {}", size_words(*.limit))]
    TooLarge { limit: usize },
    #[error("the form could not be read: {0}")]
    Unreadable(String),
}

impl UploadError {
    pub fn status(&self) -> StatusCode {
        match self {
            UploadError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}

/// The form, or why it could not be read.
pub async fn read_upload<T: MultipartCollect + 'static>(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<T, UploadError> {
    let is_multipart = req
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Err(UploadError::NotMultipart);
    }
    let bytes = match payload.to_bytes_limited(limit).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(e)) => return Err(UploadError::Incomplete(e.to_string())),
        Err(_) => return Err(UploadError::TooLarge { limit }),
    };
    let mut body = actix_web::dev::Payload::from(bytes);
    MultipartForm::<T>::from_request(req, &mut body)
        .await
        .map(MultipartForm::into_inner)
        .map_err(|e| UploadError::Unreadable(e.to_string()))
}

/// "128 MB", "64 KB".
pub fn size_words(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MB", bytes >> 20)
    } else if bytes >= 1 << 10 {
        format!("{} KB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}
