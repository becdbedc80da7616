# Mensajes en español. Cada mensaje de en.ftl tiene que estar aquí también
# (lo comprueba `every_message_is_in_both_languages`).
#
# `date-time-format` es un patrón strftime de chrono: los nombres de días y
# meses vienen de la configuración regional es_ES; el orden, de aquí.

## Layout

skip-to-content = Saltar al contenido
switch-language = English
switch-language-hint = Read this page in English

## Dates and durations

date-time-format = %A %-d de %B de %Y, %H:%M %Z
duration-days = { $n ->
    [one] { $n } día
   *[other] { $n } días
}
duration-hours = { $n ->
    [one] { $n } hora
   *[other] { $n } horas
}
duration-minutes = { $n ->
    [one] { $n } minuto
   *[other] { $n } minutos
}
duration-pair = { $larger } y { $smaller }
duration-under-a-minute = menos de un minuto

## Election states and countdowns

state-draft = En preparación
state-key-published = Clave publicada, a la espera de abrir
state-open = Abierta para votar
state-closed = Cerrada
state-tallied = Escrutada
state-certified = Certificada
countdown-draft = abre en { $duration }, si para entonces se ha publicado la clave de la elección
countdown-draft-late = la hora de apertura ya pasó, pero sin una clave publicada la elección no puede abrir
countdown-opens = abre en { $duration }
countdown-closes = cierra en { $duration }
countdown-closed = cerrada

## The start page (GET /)

start-title = Votaciones sindicales
start-heading = Votaciones sindicales
start-intro = Este servicio organiza las votaciones secretas del sindicato. Los miembros votan con el enlace de su correo electrónico: nadie necesita una cuenta para votar.
start-elections-heading = Elecciones
start-no-elections = Todavía no se ha anunciado ninguna elección.
start-election-window = Votación: del { $opens } al { $closes }
start-observers = La página de cada elección muestra sus horarios y su registro de auditoría público, para que cualquiera pueda seguirla.
start-committee-heading = Para el comité electoral
start-committee-text = Los miembros del comité, los custodios de la clave y los auditores inician sesión aquí.
start-sign-in = Acceso del comité

## The public page of an election (GET /elections/{slug})

public-state = Estado
public-opens = La votación abre
public-closes = La votación cierra
public-times-in = Horas de { $zone }.
public-how-to-vote = Los miembros votan con el enlace de su correo electrónico.
public-audit-heading = Para observadores: el registro de auditoría
public-audit-intro = Todo lo que hace el comité en esta elección queda escrito en un registro de auditoría público al que solo se pueden añadir entradas. Sus puntos de control firmados se comprueban con esta clave de verificación. Anótela ahora: si alguna vez cambia, algo va mal.
public-verifier-key = Clave de verificación
public-key-name = Nombre de la clave
public-key-id = Identificador de la clave
public-latest-checkpoint = Último punto de control firmado
public-log-entries = Entradas del registro
public-log-entries-hint = eligen el intervalo
public-verifier-key-plain = texto sin formato
public-proofs = Pruebas
public-proofs-hint = véase docs/audit-format.md
public-home = Todas las elecciones

## Page not found

not-found-title = Página no encontrada
not-found-text = No hay ninguna página en esta dirección. Puede que el enlace esté mal escrito o que la página se haya movido.
not-found-home = Ir a la página de inicio

## An address whose parameters make no sense

bad-address-title = Esta dirección no es válida
bad-address-text = Revise el enlace que siguió o vaya a la página de inicio.

## Something went wrong on our side

error-title = Algo salió mal
error-text = Algo salió mal por nuestra parte. Vuelva a intentarlo dentro de unos minutos.

## Correo de la papeleta y avisos impresos (issue 12)

mail-subject-ballot = Su papeleta: { $title }
mail-subject-reminder = Recordatorio: todavía no ha votado en { $title }
mail-subject-reissue = Su nuevo enlace para votar: { $title }
mail-greeting = Hola, { $name }:
mail-intro-ballot = Usted figura en el padrón de { $title }. Use su enlace personal de abajo para votar.
mail-intro-reminder = Según nuestros registros, todavía no ha votado en { $title }. Su enlace anterior ya no funciona: use este nuevo.
mail-intro-reissue = Se le ha emitido un nuevo enlace para votar en { $title }. Cualquier enlace anterior ya no funciona.
mail-window = La votación está abierta desde el { $opens } hasta el { $closes }.
mail-link-label = Su enlace personal para votar:
mail-button = Abrir mi papeleta
mail-private = Este enlace es solo para usted: no lo reenvíe ni lo comparta. Sirve para emitir una sola papeleta.
mail-unexpected = Si no esperaba este mensaje, no use el enlace: avise al comité electoral respondiendo a este mensaje. Nadie del comité le pedirá nunca este enlace.
mail-signature = El Comité Electoral
notice-title = Avisos de papeleta: { $title }
notice-heading = Su papeleta: { $title }
notice-member = Miembro { $number }, unidad { $unit }
notice-scan = Para votar, escanee este código con la cámara del teléfono o escriba la dirección de abajo en un navegador web.

## The member's ballot pages (issue 13)

vote-window = La votación está abierta desde el { $opens } hasta el { $closes }.
vote-instructions = Elija una respuesta para cada pregunta y luego revise sus opciones. Nada es definitivo hasta que confirme.
vote-secret = Su voto es secreto: se cifra antes de guardarse y nada lo vincula con su nombre.
vote-blank = Dejar en blanco (sin respuesta)
vote-review-button = Revisar mis opciones
vote-error-summary = Algunas respuestas necesitan su atención: vea las preguntas marcadas abajo.
vote-error-required = Elija una respuesta para esta pregunta (o «Dejar en blanco», donde se ofrece).
vote-error-one-option = Elija exactamente una de las respuestas de la lista.
vote-review-title = Revise sus opciones
vote-review-intro = Esta es la boleta que está a punto de emitir. Una vez que confirme, no se puede cambiar.
vote-review-blank = (sin respuesta)
vote-confirm-button = Emitir mi voto
vote-change-button = Cambiar mis opciones
receipt-title = Su voto quedó registrado
receipt-cast = Su voto en { $title } quedó registrado. Gracias por votar.
receipt-tracker-short = Su código de seguimiento (anótelo):
receipt-tracker-full = El código completo:
receipt-lookup = Cuando cierre la votación, el comité publicará el registro de todas las boletas. Ingrese este código en la página de la elección para comprobar que su boleta está incluida. El código no muestra cómo votó.
receipt-election-page = La página pública de la elección
ballot-found-title = Boleta en el registro
ballot-found = Hay una boleta con este código en el registro de { $title }.
ballot-missing-title = No existe esa boleta
ballot-missing = No hay ninguna boleta con este código en el registro de { $title }. Revise el código que anotó.
refusal-unknown-title = Este enlace de votación no funciona
refusal-unknown = Compruebe que abrió el enlace completo de su correo o aviso. Si aun así no funciona, pida un enlace nuevo al comité electoral.
refusal-not-open-title = La votación todavía no ha comenzado
refusal-not-open = La votación se abre el { $opens }. Vuelva entonces y use el mismo enlace.
refusal-closed-title = La votación ha cerrado
refusal-closed = La votación terminó y ya no se pueden emitir votos. El comité electoral publicará los resultados.
refusal-used-title = Este enlace de votación ya se usó
refusal-used = Con este enlace ya se emitió un voto, y cada enlace emite un solo voto. Si usted no votó, comuníquese de inmediato con el comité electoral: alguien pudo haber usado su enlace.
refusal-revoked-title = Se le envió un enlace de votación más reciente
refusal-revoked = Este enlace ya no funciona porque se emitió uno nuevo. Use el enlace más reciente que recibió o comuníquese con el comité electoral.
