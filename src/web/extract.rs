//! Reading the path and the query string (S4, S16).
//!
//! actix's `web::Path` and `web::Query` log the raw request path at DEBUG
//! when they fail, and answer with serde's message, which echoes the value
//! and names Rust types (`can not parse "AAA" to a i64`). Once
//! `/vote/{token}` exists, the raw path *is* a ballot token (S4). These
//! functions never log, never echo a value, and name the parameter that is
//! wrong in words (docs/api.md §Errors).
//!
//! The parameters a route takes are described once, with utoipa's
//! `IntoParams`: the same description is published in the OpenAPI document
//! and used here to say which parameter is missing, unknown or malformed.
//!
//! Routes call [`query`] and [`path`] *after* their role check, so a client
//! without the right role learns nothing from a 400 about a parameter
//! (S11).

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use serde::de::DeserializeOwned;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::{RefOr, Required};
use utoipa::IntoParams;

use super::surface::Surface;

/// A parameter of the path or the query string that is missing, repeated,
/// unknown or malformed. Its message names the parameter and what it must
/// be, never the value that was sent.
#[derive(Debug, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct ParamError {
    pub field: String,
    pub problem: String,
    /// The surface whose scope took the request (`web::surface`).
    pub surface: Surface,
    /// The reader's language, for the page.
    pub lang: crate::i18n::Lang,
}

/// Parses the query string into `T`.
pub fn query<T: DeserializeOwned + IntoParams>(req: &HttpRequest) -> Result<T, ParamError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(req.query_string().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    parse(req, &pairs, ParameterIn::Query)
}

/// Parses the matched path segments (`{slug}`, `{id}`) into `T`.
pub fn path<T: DeserializeOwned + IntoParams>(req: &HttpRequest) -> Result<T, ParamError> {
    let pairs: Vec<(String, String)> = req
        .match_info()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    parse(req, &pairs, ParameterIn::Path)
}

fn parse<T: DeserializeOwned + IntoParams>(
    req: &HttpRequest,
    pairs: &[(String, String)],
    location: ParameterIn,
) -> Result<T, ParamError> {
    let surface = Surface::of(req);
    let params: BTreeMap<String, Parameter> = T::into_params(|| Some(location.clone()))
        .into_iter()
        .map(|p| (p.name.clone(), p))
        .collect();
    let error = |field: &str, problem: String| ParamError {
        field: field.to_string(),
        problem,
        surface,
        lang: crate::i18n::Lang::of(req),
    };
    let mut seen = BTreeMap::new();
    for (name, value) in pairs {
        if !params.contains_key(name) {
            // Path segments always have a parameter; an unknown query
            // parameter is named so a typo does not pass silently.
            return Err(error(name, "is not a parameter of this request".into()));
        }
        if value.contains('\0') {
            return Err(error(name, "contains a NUL character".into()));
        }
        if seen.insert(name.as_str(), ()).is_some() {
            return Err(error(name, "is given more than once".into()));
        }
    }
    for (name, p) in &params {
        if matches!(p.required, Required::True) && !seen.contains_key(name.as_str()) {
            return Err(error(name, "is required".into()));
        }
    }
    // Re-encoded so the path and the query go through the same deserializer,
    // which parses numbers from text as the query string needs.
    let encoded =
        serde_urlencoded::to_string(pairs).map_err(|_| error("", "is not valid".into()))?;
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(encoded.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        // "." is the whole query, when no one parameter is to blame.
        let field = if path == "." { String::new() } else { path };
        let problem = params
            .get(&field)
            .map(|p| format!("expected {}", expected(p.schema.as_ref())))
            .unwrap_or_else(|| "is not valid".into());
        error(&field, problem)
    })
}

/// What a parameter or a field must be, from its published schema, in
/// words.
pub(crate) fn expected(schema: Option<&RefOr<Schema>>) -> String {
    let Some(RefOr::T(Schema::Object(o))) = schema else {
        return "one of the values the API document lists".into();
    };
    let bound = |n: &Option<utoipa::Number>| {
        n.as_ref().map(|n| match n {
            utoipa::Number::Int(i) => i.to_string(),
            utoipa::Number::UInt(u) => u.to_string(),
            utoipa::Number::Float(f) => f.to_string(),
        })
    };
    let is = |t: Type| match &o.schema_type {
        SchemaType::Type(s) => *s == t,
        SchemaType::Array(types) => types.contains(&t),
        SchemaType::AnyValue => false,
    };
    if is(Type::Integer) {
        match (bound(&o.minimum), bound(&o.maximum)) {
            (Some(lo), Some(hi)) => format!("a whole number from {lo} to {hi}"),
            (Some(lo), None) => format!("a whole number, {lo} or more"),
            (None, Some(hi)) => format!("a whole number, at most {hi}"),
            (None, None) => "a whole number".into(),
        }
    } else if is(Type::Boolean) {
        "true or false".into()
    } else {
        "text".into()
    }
}

impl ResponseError for ParamError {
    fn status_code(&self) -> StatusCode {
        StatusCode::BAD_REQUEST
    }

    fn error_response(&self) -> HttpResponse {
        match self.surface {
            Surface::Api => super::surface::json(
                StatusCode::BAD_REQUEST,
                self.to_string(),
                (!self.field.is_empty()).then(|| self.field.clone()),
            ),
            Surface::Page => super::public::bad_request_page(self.lang),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, IntoParams)]
    #[into_params(parameter_in = Query)]
    #[allow(dead_code)]
    struct Page {
        #[param(minimum = 0)]
        start: u64,
        #[param(minimum = 1, maximum = 500)]
        limit: Option<u32>,
    }

    fn page(q: &str) -> Result<Page, ParamError> {
        query(&TestRequest::with_uri(&format!("/api/v1/x?{q}")).to_http_request())
    }

    #[test]
    fn names_the_parameter_and_never_echoes_its_value() {
        let e = page("start=SECRETVALUE").unwrap_err();
        assert_eq!(e.field, "start");
        assert_eq!(e.to_string(), "start: expected a whole number, 0 or more");
        assert!(!format!("{e:?}").contains("SECRETVALUE"));
        let e = page("start=1&limit=-3").unwrap_err();
        assert_eq!(
            e.to_string(),
            "limit: expected a whole number from 1 to 500"
        );
        assert_eq!(
            page("limit=3").unwrap_err().to_string(),
            "start: is required"
        );
        assert_eq!(
            page("start=1&strat=2").unwrap_err().to_string(),
            "strat: is not a parameter of this request"
        );
        assert_eq!(
            page("start=1&start=2").unwrap_err().to_string(),
            "start: is given more than once"
        );
        assert_eq!(
            page("start=%00").unwrap_err().to_string(),
            "start: contains a NUL character"
        );
        let ok = page("start=7&limit=9").unwrap();
        assert_eq!((ok.start, ok.limit), (7, Some(9)));
    }
}
