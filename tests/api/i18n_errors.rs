//! Issue 9's last i18n gap: the domain's refusals — a roll line's problem,
//! a spec field's problem, a conflict with the election's state, an
//! account refusal — are messages rendered at the edge: on a committee
//! page in the page's language (an explicit choice, then Accept-Language),
//! keeping the line number or field path; in the JSON API in English
//! whatever the request's language, in its unchanged shape.

use chrono::Duration;
use ratify::account::Role;
use reqwest::header::ACCEPT_LANGUAGE;
use reqwest::multipart::{Form, Part};

use crate::helpers::*;

/// A committee page's POST in `lang`, the CSRF token in the query as the
/// pages' forms may send it.
async fn post_form(
    app: &TestApp,
    who: &Signed,
    path: &str,
    lang: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let res = who
        .client
        .post(app.url(&format!("{path}?csrf={}", who.csrf)))
        .header(ACCEPT_LANGUAGE, lang)
        .form(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn post_multipart(
    app: &TestApp,
    who: &Signed,
    path: &str,
    lang: &str,
    form: Form,
) -> (u16, String) {
    let join = if path.contains('?') { '&' } else { '?' };
    let res = who
        .client
        .post(app.url(&format!("{path}{join}csrf={}", who.csrf)))
        .header(ACCEPT_LANGUAGE, lang)
        .multipart(form)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// An API call in Spanish: the answer must still be English.
async fn api_in_spanish(
    app: &TestApp,
    who: &Signed,
    path: &str,
    content_type: &str,
    body: String,
) -> (u16, serde_json::Value) {
    let res = who
        .client
        .post(app.url(path))
        .header("X-CSRF-Token", &who.csrf)
        .header("Content-Type", content_type)
        .header(ACCEPT_LANGUAGE, "es-MX,es;q=0.9")
        .body(body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

fn roll_form(csv: &str) -> Form {
    Form::new().part(
        "roll",
        Part::bytes(csv.as_bytes().to_vec())
            .file_name("roll.csv")
            .mime_str("text/csv")
            .unwrap(),
    )
}

/// Each `words` is on the page, and none of `english` is.
fn shows(html: &str, words: &[&str], english: &[&str]) {
    for w in words {
        assert!(html.contains(w), "{w:?} not on the page:\n{html}");
    }
    for e in english {
        assert!(!html.contains(e), "English {e:?} on the page:\n{html}");
    }
}

const BAD_ROLL: &str = "member_number,name,email,unit,language\n\
    1001,Ana Example,ana@example.org,U1,en\n\
    1001,Bo Li,bo@example.org,U1,en\n\
    1003,Cy Doe,not-an-email,u1,fr\n\
    1004,,dee@example.org,U2,es\n";

#[actix_web::test]
async fn a_bad_roll_is_explained_line_by_line_in_the_readers_language() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    let chair = app.sign_in_as(Role::Committee).await;
    let path = format!("/committee/elections/{SLUG}/roll");
    let row = |line: u32, field: &str, message: &str| {
        format!("<tr class=\"problem\"><td>{line}</td><td><code>{field}</code></td><td>{message}</td></tr>")
    };

    let (status, es) =
        post_multipart(&app, &chair, &path, "es-MX,es;q=0.9", roll_form(BAD_ROLL)).await;
    assert_eq!(status, 400, "{es}");
    assert!(es.contains("<html lang=\"es\">"), "{es}");
    shows(
        &es,
        &[
            &row(
                3,
                "member_number",
                "número de miembro repetido «1001» (también en la línea 2)",
            ),
            &row(
                4,
                "email",
                "«not-an-email» no es una dirección de correo electrónico válida",
            ),
            "¿quiso decir «U1»?",
            &row(4, "language", "«fr» no es un idioma admitido: use en o es"),
            &row(5, "name", "el campo name está vacío"),
        ],
        &[
            "duplicate member number",
            "is not a valid email",
            "did you mean",
            "not a supported language",
            "is empty",
            "`",
        ],
    );

    // The explicit choice wins over an English browser.
    let (_, es) = post_multipart(
        &app,
        &chair,
        &format!("{path}?lang=es"),
        "en",
        roll_form(BAD_ROLL),
    )
    .await;
    assert!(es.contains("también en la línea 2"), "{es}");

    let (status, en) = post_multipart(&app, &chair, &path, "en", roll_form(BAD_ROLL)).await;
    assert_eq!(status, 400);
    shows(
        &en,
        &[
            &row(
                3,
                "member_number",
                "duplicate member number `1001` (also on line 2)",
            ),
            "did you mean `U1`?",
            &row(5, "name", "the name is empty"),
        ],
        &["repetido", "quiso decir"],
    );

    let (status, api) = api_in_spanish(
        &app,
        &chair,
        &format!("/api/v1/elections/{SLUG}/roll"),
        "text/csv",
        BAD_ROLL.to_string(),
    )
    .await;
    assert_eq!(status, 400, "{api}");
    assert_eq!(api["errors"][0]["line"], 3);
    assert_eq!(api["errors"][0]["field"], "member_number");
    assert_eq!(
        api["errors"][0]["message"],
        "duplicate member number `1001` (also on line 2)"
    );
    assert!(
        api["error"]
            .as_str()
            .unwrap()
            .starts_with("the roll was not imported"),
        "{api}"
    );
}

/// The fixture spec with `find` replaced, and the 1-based line it is on.
fn spec_with(find: &str, replace: &str) -> (String, usize) {
    let spec = SpecFixture::from_now(Duration::days(2), Duration::days(9)).toml();
    let at = spec.find(find).unwrap_or_else(|| panic!("no {find:?}"));
    let line = spec[..at].lines().count() + 1;
    (spec.replacen(find, replace, 1), line)
}

#[actix_web::test]
async fn a_bad_spec_field_is_explained_in_the_readers_language() {
    let app = TestApp::spawn().await;
    let chair = app.sign_in_as(Role::Committee).await;
    let cases = [
        (
            spec_with("trustees = 3", "trustees = 60"),
            "trustees",
            "«60» tiene que estar entre 1 y 50",
            "`60` must be from 1 to 50",
        ),
        (
            spec_with("name = \"Clerical\"", "name = \"Cle\\u0007rical\""),
            "units[3].name",
            "contiene el carácter de control U+0007 en la posición 4; quítelo",
            "it contains the control character U+0007 at character 4; remove it",
        ),
    ];
    for ((spec, line), field, spanish, english) in cases {
        let form = || Form::new().text("spec", spec.clone());
        let (status, es) =
            post_multipart(&app, &chair, "/committee/elections/new", "es", form()).await;
        assert_eq!(status, 400, "{es}");
        shows(
            &es,
            &[
                &format!("Línea {line}"),
                &format!("<code>{field}</code>"),
                spanish,
            ],
            &[english, "must be", "`"],
        );
        let (_, en) = post_multipart(&app, &chair, "/committee/elections/new", "en", form()).await;
        shows(&en, &[&format!("Line {line}"), english], &[spanish]);

        let (status, api) =
            api_in_spanish(&app, &chair, "/api/v1/elections", "application/toml", spec).await;
        assert_eq!(status, 400, "{api}");
        assert_eq!(api["field"], field);
        assert_eq!(api["line"], line);
        assert_eq!(api["error"], format!("line {line}: {field}: {english}"));
    }
}

#[actix_web::test]
async fn a_spec_window_problem_names_its_times_in_the_readers_words() {
    let app = TestApp::spawn().await;
    let chair = app.sign_in_as(Role::Committee).await;
    let spec = SpecFixture::far_future(SLUG).toml().replacen(
        "2099-12-11T17:00:00",
        "2099-12-01T17:00:00",
        1,
    );
    let form = || Form::new().text("spec", spec.clone());
    let (status, es) = post_multipart(&app, &chair, "/committee/elections/new", "es", form()).await;
    assert_eq!(status, 400, "{es}");
    shows(
        &es,
        &[
            "<code>closes_at</code>",
            "«martes 1 de diciembre de 2099, 17:00 PST» tiene que ser posterior a la apertura",
        ],
        &["must be after", "Dec 2099"],
    );
    let (_, en) = post_multipart(&app, &chair, "/committee/elections/new", "en", form()).await;
    shows(
        &en,
        &["`Tue 1 Dec 2099, 5:00 pm PST` must be after opens_at (`Wed 2 Dec 2099, 8:00 pm PST`)"],
        &["diciembre"],
    );
}

#[actix_web::test]
async fn conflicts_are_in_the_readers_language_and_english_in_the_api() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.key_ceremony(SLUG);
    let chair = app.sign_in_as(Role::Committee).await;
    let base = format!("/committee/elections/{SLUG}");

    // Publishing before the roll is imported.
    let (status, es) = post_form(&app, &chair, &format!("{base}/publish-key"), "es", &[]).await;
    assert_eq!(status, 409, "{es}");
    shows(
        &es,
        &[&format!(
            "importe el padrón de {SLUG} antes de publicar la clave"
        )],
        &["before publishing"],
    );
    let (_, en) = post_form(&app, &chair, &format!("{base}/publish-key"), "en", &[]).await;
    shows(
        &en,
        &[&format!(
            "import the roll of {SLUG} before publishing the key"
        )],
        &["antes de publicar"],
    );

    // Correcting a spec the trustees have started the ceremony with.
    let spec = SpecFixture::from_now(Duration::days(3), Duration::days(9)).toml();
    let form = || Form::new().text("spec", spec.clone());
    let (status, es) = post_multipart(&app, &chair, &format!("{base}/spec"), "es", form()).await;
    assert_eq!(status, 409, "{es}");
    shows(
        &es,
        &["los custodios ya empezaron la ceremonia de claves"],
        &["key ceremony"],
    );
    let (_, en) = post_multipart(&app, &chair, &format!("{base}/spec"), "en", form()).await;
    shows(&en, &["started the key ceremony"], &["custodios"]);

    // Importing a roll after the key is published: the API says so in
    // English, whatever the request's language.
    app.import_roll_of(SLUG, 5);
    app.publish_key(SLUG);
    let roll = "member_number,name,email,unit,language\n1001,Ana Example,ana@example.org,U1,en\n";
    let (status, api) = api_in_spanish(
        &app,
        &chair,
        &format!("/api/v1/elections/{SLUG}/roll"),
        "text/csv",
        roll.to_string(),
    )
    .await;
    assert_eq!(status, 409, "{api}");
    assert_eq!(
        api["error"],
        format!("the roll of {SLUG} can no longer change: the election is key_published (rolls may be replaced only while it is a draft)")
    );
    // The page in Spanish: the same refusal in Spanish.
    let (status, es) =
        post_multipart(&app, &chair, &format!("{base}/roll"), "es", roll_form(roll)).await;
    assert_eq!(status, 409, "{es}");
    shows(&es, &["ya no puede cambiar"], &["can no longer change"]);
}

#[actix_web::test]
async fn account_refusals_are_in_the_readers_language_and_english_in_the_api() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in_as(Role::Admin).await;
    let create = |email: &'static str, password: &'static str| {
        [
            ("email", email),
            ("name", "New Member"),
            ("role", "committee"),
            ("password", password),
        ]
    };

    // A password that is too short.
    let short = create("new@example.org", "short");
    let (status, es) = post_form(&app, &admin, "/committee/accounts", "es", &short).await;
    assert_eq!(status, 400, "{es}");
    shows(
        &es,
        &["contraseña: tiene que tener al menos 12 caracteres"],
        &["must be at least"],
    );
    let (_, en) = post_form(&app, &admin, "/committee/accounts", "en", &short).await;
    shows(
        &en,
        &["password: must be at least 12 characters"],
        &["caracteres"],
    );

    // An email that already has an account.
    let taken = create("admin@example.org", PASSWORD);
    let (status, es) = post_form(&app, &admin, "/committee/accounts", "es", &taken).await;
    assert_eq!(status, 409, "{es}");
    shows(
        &es,
        &["ya existe una cuenta para admin@example.org"],
        &["already exists"],
    );
    let (_, en) = post_form(&app, &admin, "/committee/accounts", "en", &taken).await;
    shows(
        &en,
        &["an account for admin@example.org already exists"],
        &[],
    );

    // Disabling one's own account.
    let own = {
        let mut conn = app.db.get().unwrap();
        ratify::account::list_accounts(&mut conn)
            .unwrap()
            .into_iter()
            .find(|a| a.email == admin.email)
            .unwrap()
            .id
    };
    let disable = format!("/committee/accounts/{own}/disable");
    let (status, es) = post_form(&app, &admin, &disable, "es", &[]).await;
    assert_eq!(status, 409, "{es}");
    shows(
        &es,
        &["no puede desactivar su propia cuenta"],
        &["cannot disable"],
    );
    let (_, en) = post_form(&app, &admin, &disable, "en", &[]).await;
    shows(&en, &["you cannot disable your own account"], &[]);

    // Changing one's password: a wrong current one, a new one too short.
    let change = |current: &'static str, new: &'static str| [("current", current), ("new", new)];
    let wrong = change("not my password at all", "a brand new passphrase");
    let (status, es) = post_form(&app, &admin, "/account/password", "es", &wrong).await;
    assert_eq!(status, 403, "{es}");
    shows(
        &es,
        &["esa no es su contraseña actual"],
        &["not your current"],
    );
    let too_short = change(PASSWORD, "short");
    let (status, es) = post_form(&app, &admin, "/account/password", "es", &too_short).await;
    assert_eq!(status, 400, "{es}");
    shows(
        &es,
        &["Contraseña nueva: tiene que tener al menos 12 caracteres"],
        &["must be at least"],
    );
    let (_, en) = post_form(&app, &admin, "/account/password", "en", &too_short).await;
    shows(&en, &["New password: must be at least 12 characters"], &[]);

    // The API answers in English, with the field named as before.
    let body = serde_json::json!({
        "email": "new@example.org",
        "name": "New Member",
        "role": "committee",
        "password": "short",
    });
    let (status, api) = api_in_spanish(
        &app,
        &admin,
        "/api/v1/accounts",
        "application/json",
        body.to_string(),
    )
    .await;
    assert_eq!(status, 400, "{api}");
    assert_eq!(api["field"], "password");
    assert_eq!(api["error"], "password: must be at least 12 characters");
}
