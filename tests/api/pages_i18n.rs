//! Issue 11 (and issue 9's i18n): the committee's pages, their problem
//! pages and the sign-in in the reader's language (an explicit choice, then
//! Accept-Language); times in the election's zone with the zone named in
//! words; no field codes, RFC 3339 stamps or parser jargon; the public page
//! in plain words without state names; its 404 in both languages without a
//! way into the staff sign-in.

use chrono::Duration;
use ratify::account::Role;
use reqwest::header::ACCEPT_LANGUAGE;

use crate::helpers::*;

async fn get_in(app: &TestApp, client: &reqwest::Client, path: &str, lang: &str) -> (u16, String) {
    let res = client
        .get(app.url(path))
        .header(ACCEPT_LANGUAGE, lang)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// An RFC 3339 stamp such as `2026-12-06T18:46:00Z` or `…-08:00`.
fn has_rfc3339(html: &str) -> bool {
    html.as_bytes().windows(17).any(|w| {
        let d = |i: usize| w[i].is_ascii_digit();
        d(0) && d(1)
            && d(2)
            && d(3)
            && w[4] == b'-'
            && w[7] == b'-'
            && w[10] == b'T'
            && d(11)
            && w[13] == b':'
            && w[16] == b':'
    })
}

fn election_ready(app: &TestApp) {
    app.create_election(&SpecFixture::from_now(Duration::days(2), Duration::days(9)));
    app.import_roll_of(SLUG, 20);
    app.key_ceremony(SLUG);
}

#[actix_web::test]
async fn every_committee_page_speaks_spanish_when_asked() {
    let app = TestApp::spawn().await;
    election_ready(&app);
    let admin = app.sign_in_as(Role::Admin).await;
    let base = format!("/committee/elections/{SLUG}");
    let pages = [
        ("/committee".to_string(), "<h1>Elecciones</h1>"),
        (
            "/committee/elections/new".into(),
            "<h1>Crear una elección</h1>",
        ),
        (base.clone(), "Qué hacer ahora"),
        (format!("{base}/roll"), "<h1>Padrón</h1>"),
        (
            format!("{base}/members?q=M00000"),
            "<h1>Buscar a un miembro</h1>",
        ),
        (
            format!("{base}/publish-key"),
            "¿Publicar la clave de la elección?",
        ),
        ("/committee/accounts".into(), "<h1>Cuentas</h1>"),
        ("/account/password".into(), "<h1>Cambiar la contraseña</h1>"),
    ];
    let english = [
        "Skip to content",
        "Sign out",
        "Elections</a>",
        "What to do next",
        "Find a member",
        "Times are in",
        "That did not work",
        "Member number",
    ];
    for (path, heading) in &pages {
        for (how, path, accept) in [
            ("Accept-Language", path.clone(), "es-MX,es;q=0.9"),
            (
                "?lang=es",
                format!(
                    "{path}{}lang=es",
                    if path.contains('?') { '&' } else { '?' }
                ),
                "en",
            ),
        ] {
            let (status, html) = get_in(&app, &admin.client, &path, accept).await;
            assert_eq!(status, 200, "{path} ({how}):\n{html}");
            assert!(html.contains("<html lang=\"es\">"), "{path} ({how})");
            assert!(
                html.contains(heading),
                "{path} ({how}): no {heading:?}:\n{html}"
            );
            for words in english {
                assert!(
                    !html.contains(words),
                    "{path} ({how}): {words:?} in:\n{html}"
                );
            }
        }
    }
    // The language switch in the navigation comes back to the same page.
    let (_, html) = get_in(&app, &admin.client, &base, "es").await;
    assert!(
        html.contains(&format!("href=\"/language/en?back={base}\"")),
        "{html}"
    );
}

#[actix_web::test]
async fn times_are_in_the_elections_zone_named_in_words() {
    let app = TestApp::spawn().await;
    election_ready(&app);
    let chair = app.sign_in_as(Role::Committee).await;
    let base = format!("/committee/elections/{SLUG}");
    for (lang, zone) in [
        ("en", "Times are in Pacific Time."),
        ("es", "Las horas son en hora del Pacífico."),
    ] {
        for path in ["/committee".to_string(), base.clone()] {
            let (_, html) = get_in(&app, &chair.client, &path, lang).await;
            assert!(
                !html.contains("America/Los_Angeles"),
                "{path} {lang}:\n{html}"
            );
            assert!(!has_rfc3339(&html), "{path} {lang}:\n{html}");
        }
        let (_, html) = get_in(&app, &chair.client, &base, lang).await;
        assert!(html.contains(zone), "{lang}:\n{html}");
    }
}

#[actix_web::test]
async fn problem_pages_are_in_the_readers_language() {
    let app = TestApp::spawn().await;
    election_ready(&app);
    let trustee = app.sign_in_as(Role::Trustee).await;
    let (status, html) = get_in(&app, &trustee.client, "/committee/accounts", "es").await;
    assert_eq!(status, 403);
    assert!(html.contains("<h1>No permitido</h1>"), "{html}");
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    let (status, html) = get_in(&app, &trustee.client, "/committee/elections/no-such", "es").await;
    assert_eq!(status, 404);
    assert!(html.contains("<h1>No encontrado</h1>"), "{html}");
    let (_, html) = get_in(&app, &trustee.client, "/committee/elections/no-such", "en").await;
    assert!(html.contains("<h1>Not found</h1>"), "{html}");

    // A form that was out of date: said plainly, and offered again.
    let chair = app.sign_in_as(Role::Committee).await;
    let res = chair
        .client
        .post(app.url(&format!("/committee/elections/{SLUG}/extend")))
        .header(ACCEPT_LANGUAGE, "es")
        .form(&[
            ("csrf", "stale"),
            ("closes_at", "2099-01-01T17:00"),
            ("reason", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("Este formulario estaba desactualizado"),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"/committee/elections/{SLUG}\"")),
        "{html}"
    );
    assert!(!html.contains("CSRF"), "{html}");
}

#[actix_web::test]
async fn the_extend_form_refuses_in_words_without_field_codes() {
    let app = TestApp::spawn().await;
    election_ready(&app);
    app.publish_key(SLUG);
    let chair = app.sign_in_as(Role::Committee).await;
    let path = format!("/committee/elections/{SLUG}/extend");
    let cases = [
        (
            "en",
            "2020-01-01T10:00",
            "must be later than the current closing time",
        ),
        (
            "es",
            "2020-01-01T10:00",
            "tiene que ser posterior a la hora de cierre actual",
        ),
        (
            "en",
            "next tuesday",
            "write the date and time as the box shows them",
        ),
        ("en", "2099-12-01T10:00", "extensions may add at most"),
    ];
    for (lang, closes_at, says) in cases {
        let res = chair
            .client
            .post(app.url(&path))
            .header(ACCEPT_LANGUAGE, lang)
            .form(&[
                ("csrf", chair.csrf.as_str()),
                ("closes_at", closes_at),
                ("reason", "storm"),
            ])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_client_error(), "{closes_at}");
        let html = res.text().await.unwrap();
        assert!(
            html.contains(says),
            "{closes_at} {lang}: {says:?} missing:\n{html}"
        );
        for jargon in ["closes_at:", "RFC 3339", "`"] {
            assert!(
                !html.contains(jargon),
                "{closes_at}: {jargon:?} in:\n{html}"
            );
        }
        assert!(!has_rfc3339(&html), "{closes_at}:\n{html}");
    }
}

#[actix_web::test]
async fn a_spec_with_a_syntax_error_is_explained_without_parser_jargon() {
    let app = TestApp::spawn().await;
    let chair = app.sign_in_as(Role::Committee).await;
    let broken = SpecFixture::kern()
        .toml()
        .replacen("title = {", "title = {{", 1);
    let res = chair
        .client
        .post(app.url("/committee/elections/new"))
        .multipart(
            reqwest::multipart::Form::new()
                .text("csrf", chair.csrf.clone())
                .text("spec", broken),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let html = res.text().await.unwrap();
    assert!(html.contains("Line "), "{html}");
    assert!(
        html.contains("not written the way a spec expects"),
        "{html}"
    );
    for jargon in ["expected", "invalid", "TOML parse error"] {
        assert!(!html.contains(jargon), "{jargon:?} in:\n{html}");
    }
}

#[actix_web::test]
async fn the_lockout_says_how_long_in_the_readers_language() {
    let app = TestApp::spawn().await;
    app.create_account("chair@example.org", Role::Committee);
    let client = test_client();
    let mut last = (0, String::new());
    for _ in 0..ratify::account::MAX_FAILED_LOGINS {
        let (_, page) = get_in(&app, &client, "/login", "es").await;
        let token = csrf_in(&page).unwrap();
        let res = client
            .post(app.url("/login"))
            .header(ACCEPT_LANGUAGE, "es")
            .form(&[
                ("csrf", token.as_str()),
                ("email", "chair@example.org"),
                ("password", "not the password"),
                ("totp", ""),
            ])
            .send()
            .await
            .unwrap();
        last = (res.status().as_u16(), res.text().await.unwrap());
    }
    let (status, html) = last;
    assert_eq!(status, 423, "{html}");
    assert!(html.contains("<html lang=\"es\">"), "{html}");
    assert!(
        html.contains("Inténtelo de nuevo dentro de 15 minutos"),
        "{html}"
    );
    assert!(html.contains("UTC, tiempo universal coordinado"), "{html}");
}

#[actix_web::test]
async fn the_public_page_says_the_schedule_and_next_step_in_plain_words() {
    let app = TestApp::spawn().await;
    election_ready(&app);
    app.publish_key(SLUG);
    let client = test_client();
    let path = format!("/elections/{SLUG}");
    let (_, en) = get_in(&app, &client, &path, "en").await;
    let (_, es) = get_in(&app, &client, &format!("{path}?lang=es"), "en").await;
    assert!(en.contains("Voting opens on "), "{en}");
    assert!(
        en.contains("each member gets an email with their own link"),
        "{en}"
    );
    assert!(es.contains("<html lang=\"es\">"), "{es}");
    assert!(es.contains("La votación abre el "), "{es}");
    assert!(es.contains("Qué pasa ahora"), "{es}");
    for (html, state_names) in [
        (&en, ["Key published", "Draft", "State:"]),
        (&es, ["Clave publicada", "En preparación", "Estado:"]),
    ] {
        for name in state_names {
            assert!(!html.contains(name), "{name:?} on the public page:\n{html}");
        }
        assert!(!html.contains("America/Los_Angeles"), "{html}");
    }
}

#[actix_web::test]
async fn an_unknown_public_election_says_so_in_both_languages_without_the_staff_sign_in() {
    let app = TestApp::spawn().await;
    let client = test_client();
    for (lang, says) in [
        ("en", "There is no election at this address"),
        ("es", "No hay ninguna elección en esta dirección"),
    ] {
        let (status, html) = get_in(&app, &client, "/elections/no-such-vote", lang).await;
        assert_eq!(status, 404);
        assert!(html.contains(says), "{lang}:\n{html}");
        assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
        for staff in ["href=\"/login\"", "href=\"/committee"] {
            assert!(!html.contains(staff), "{lang}: {staff} in:\n{html}");
        }
    }
}
