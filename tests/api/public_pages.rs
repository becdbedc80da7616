//! Issue 9, a newcomer's first minutes and the reader's language: the
//! start page (announced elections, the committee's sign-in), the public
//! election page and the 404 page in English and Spanish, chosen by
//! `?lang=`, then the language switch's cookie, then Accept-Language.

use actix_web::{test as actix_test, web as actix_web_web, App};
use chrono::Duration;
use reqwest::header::{ACCEPT_LANGUAGE, LOCATION, SET_COOKIE};

use crate::helpers::*;

async fn page_in(app: &TestApp, path: &str, accept_language: &str) -> (u16, String) {
    let res = app
        .client
        .get(app.url(path))
        .header(ACCEPT_LANGUAGE, accept_language)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// An election whose key is published (so the start page announces it).
fn announced_election(app: &TestApp) {
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll_of(SLUG, 20);
    app.key_ceremony(SLUG);
    app.publish_key(SLUG);
}

#[actix_web::test]
async fn the_start_page_shows_announced_elections_and_the_committee_sign_in() {
    let app = TestApp::spawn().await;
    // A draft can still change: not announced.
    app.create_election(&SpecFixture::far_future("still-a-draft"));
    let (status, html) = page_in(&app, "/", "en-US,en;q=0.9").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(html.contains("<h1>Union votes</h1>"), "{html}");
    assert!(html.contains("id=\"no-elections\""), "{html}");
    assert!(!html.contains("still-a-draft"), "{html}");
    assert!(html.contains("href=\"/login\""), "{html}");

    announced_election(&app);
    let (_, html) = page_in(&app, "/", "en").await;
    assert!(!html.contains("id=\"no-elections\""), "{html}");
    assert!(
        html.contains(&format!("href=\"/elections/{SLUG}\"")),
        "{html}"
    );
    assert!(html.contains("Kern County: the County"), "{html}");
    assert!(html.contains("Key published, waiting to open"), "{html}");
    assert!(!html.contains("still-a-draft"), "{html}");
    // The link it offers works.
    let (status, _) = page_in(&app, &format!("/elections/{SLUG}"), "en").await;
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn the_start_page_speaks_spanish_to_a_spanish_browser() {
    let app = TestApp::spawn().await;
    announced_election(&app);
    let (status, html) = page_in(&app, "/", "es-MX,es;q=0.9,en;q=0.5").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    assert!(html.contains("<h1>Votaciones sindicales</h1>"), "{html}");
    assert!(html.contains("Acceso del comité"), "{html}");
    assert!(html.contains("Condado de Kern: la última"), "{html}");
    assert!(
        html.contains("Clave publicada, a la espera de abrir"),
        "{html}"
    );
    assert!(html.contains("Votación: del "), "{html}");
    assert!(html.contains("Saltar al contenido"), "{html}");
    // No English left on the Spanish page.
    for english in ["Union votes", "Committee sign-in", "Skip to content"] {
        assert!(!html.contains(english), "{english} in:\n{html}");
    }
    // q-values rank: Spanish is preferred here even though listed last.
    let (_, html) = page_in(&app, "/", "fr;q=0.9, en;q=0.2, es;q=0.8").await;
    assert!(html.contains("<html lang=\"es\">"), "{html}");
}

#[actix_web::test]
async fn the_public_election_page_is_in_the_readers_language() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::far_future("far-vote"));

    let (status, es) = page_in(&app, "/elections/far-vote", "es").await;
    assert_eq!(status, 200, "{es}");
    assert!(es.contains("<html lang=\"es\">"), "{es}");
    assert!(
        es.contains("<h1>Condado de Kern: la última, mejor y final oferta del Condado</h1>"),
        "{es}"
    );
    assert!(
        es.contains("miércoles 2 de diciembre de 2099, 20:00 PST"),
        "{es}"
    );
    assert!(
        es.contains("viernes 11 de diciembre de 2099, 17:00 PST"),
        "{es}"
    );
    // The zone and the schedule in words (issue 11), no state names.
    assert!(es.contains("Las horas son en hora del Pacífico."), "{es}");
    assert!(es.contains("todavía se está preparando"), "{es}");
    assert!(!es.contains("America/Los_Angeles"), "{es}");
    assert!(es.contains("abre en "), "{es}");
    assert!(es.contains("Clave de verificación"), "{es}");
    // The switch leads back to this page in English.
    assert!(
        es.contains("href=\"/language/en?back=/elections/far-vote\""),
        "{es}"
    );

    let (_, en) = page_in(&app, "/elections/far-vote", "en").await;
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert!(en.contains("Wed 2 Dec 2099, 8:00 pm PST"), "{en}");
    assert!(en.contains("Verifier key"), "{en}");
    assert!(!en.contains("Las horas"), "{en}");
    assert!(en.contains("Times are in Pacific Time."), "{en}");
    // The title in the other language stays, marked as Spanish.
    assert!(
        en.contains("<p lang=\"es\" class=\"subtitle\">Condado de Kern"),
        "{en}"
    );
}

#[actix_web::test]
async fn the_language_switch_remembers_the_choice_over_the_browser() {
    let app = TestApp::spawn().await;
    app.create_election(&SpecFixture::far_future("far-vote"));

    let res = app.get("/language/es?back=/elections/far-vote").await;
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()[LOCATION], "/elections/far-vote");
    let cookie = res.headers()[SET_COOKIE].to_str().unwrap().to_string();
    assert!(cookie.starts_with("lang=es"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    // app.client kept the cookie: Spanish although the browser asks for English.
    let (_, html) = page_in(&app, "/elections/far-vote", "en").await;
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    // The address wins over the cookie.
    let (_, html) = page_in(&app, "/elections/far-vote?lang=en", "es").await;
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    // Back to English by the switch.
    app.get("/language/en?back=/").await;
    let (_, html) = page_in(&app, "/", "es").await;
    assert!(html.contains("<html lang=\"en\">"), "{html}");

    // Only our own pages are gone back to, and only languages we have.
    for back in [
        "//evil.example/x",
        "https://evil.example/",
        "/%5Cevil.example",
    ] {
        let res = app.get(&format!("/language/es?back={back}")).await;
        assert_eq!(res.headers()[LOCATION], "/", "{back}");
    }
    assert_eq!(app.get("/language/fr").await.status(), 404);
}

#[actix_web::test]
async fn an_unknown_election_gets_the_404_page_in_the_readers_language() {
    let app = TestApp::spawn().await;
    let (status, html) = page_in(&app, "/elections/no-such-vote", "es").await;
    assert_eq!(status, 404);
    assert!(html.contains("<h1>Página no encontrada</h1>"), "{html}");
    assert!(html.contains("href=\"/\""), "{html}");
    let (status, html) = page_in(&app, "/elections/no-such-vote", "en").await;
    assert_eq!(status, 404);
    assert!(html.contains("<h1>Page not found</h1>"), "{html}");
}

/// `not_found` is what the lead wires as the default service for paths
/// outside the API; here it is mounted alone, as that wiring will.
#[actix_web::test]
async fn the_not_found_page_answers_any_path_in_both_languages() {
    let app = actix_test::init_service(
        App::new().default_service(actix_web_web::to(ratify::web::public::not_found)),
    )
    .await;
    let call = |lang: &'static str| {
        actix_test::TestRequest::get()
            .uri("/no/such/page")
            .insert_header(("Accept-Language", lang))
            .to_request()
    };
    let res = actix_test::call_service(&app, call("es")).await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        res.headers().get("content-type").unwrap(),
        "text/html; charset=utf-8"
    );
    let html = String::from_utf8(actix_test::read_body(res).await.to_vec()).unwrap();
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    assert!(html.contains("Página no encontrada"), "{html}");
    assert!(html.contains("Ir a la página de inicio"), "{html}");
    let res = actix_test::call_service(&app, call("en")).await;
    let html = String::from_utf8(actix_test::read_body(res).await.to_vec()).unwrap();
    assert!(html.contains("<h1>Page not found</h1>"), "{html}");
}

/// Nothing Spanish is hand-written in a handler or a template: it all lives
/// in src/i18n/es.ftl. (Spanish text nearly always has one of these.)
#[test]
fn no_spanish_is_written_outside_the_catalogue() {
    fn scan(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                scan(&path, found);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                for (n, line) in text.lines().enumerate() {
                    if line.contains(['á', 'é', 'í', 'ó', 'ú', 'ñ', '¿', '¡']) {
                        found.push(format!("{}:{}: {line}", path.display(), n + 1));
                    }
                }
            }
        }
    }
    let mut found = vec![];
    for dir in ["src/web", "templates"] {
        scan(&workspace().join(dir), &mut found);
    }
    assert!(
        found.is_empty(),
        "move these into src/i18n/*.ftl:\n{}",
        found.join("\n")
    );
}
