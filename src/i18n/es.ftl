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
## Time zones in words (issue 11)

zone-america-los_angeles = hora del Pacífico
zone-america-vancouver = hora del Pacífico
zone-america-tijuana = hora del Pacífico (Tijuana)
zone-america-denver = hora de la Montaña
zone-america-edmonton = hora de la Montaña
zone-america-boise = hora de la Montaña
zone-america-phoenix = hora de la Montaña (Arizona, sin horario de verano)
zone-america-chicago = hora del Centro
zone-america-winnipeg = hora del Centro
zone-america-regina = hora del Centro (Saskatchewan)
zone-america-new_york = hora del Este
zone-america-detroit = hora del Este
zone-america-toronto = hora del Este
zone-america-halifax = hora del Atlántico
zone-america-puerto_rico = hora del Atlántico (Puerto Rico)
zone-america-st_johns = hora de Terranova
zone-america-anchorage = hora de Alaska
zone-pacific-honolulu = hora de Hawái
zone-america-mexico_city = hora del centro de México
zone-america-monterrey = hora del centro de México
zone-america-cancun = hora del sureste de México (Cancún)
zone-america-chihuahua = hora de Chihuahua
zone-america-mazatlan = hora del Pacífico mexicano
zone-america-hermosillo = hora de Sonora
zone-utc = tiempo universal coordinado (UTC)
zone-city = hora de { $city }
times-in = Las horas son en { $zone }.

## Committee pages: what every page shares

nav-main = Principal
nav-elections = Elecciones
nav-accounts = Cuentas
nav-password = Cambiar la contraseña
nav-sign-out = Cerrar sesión ({ $name })
crumbs = Está aquí
form-problem-heading = No se pudo hacer
form-nothing-changed = No se cambió nada.
yes = sí
no = no
lang-en = inglés
lang-es = español
scroll-hint = La tabla se desplaza hacia los lados.

## Committee pages: problems

problem-out-of-date = Este formulario estaba desactualizado
problem-out-of-date-text = Este formulario estaba desactualizado (quizá inició sesión de nuevo en otra pestaña); aquí lo tiene otra vez.
problem-form-again = Abrir el formulario otra vez
problem-not-allowed = No permitido
problem-not-allowed-text = Su función no permite hacer esto. Si lo necesita, pida a un administrador que cambie su función.
problem-not-found = No encontrado
problem-not-found-text = No hay nada en esta dirección: puede que el enlace esté mal escrito o que lo que señalaba se haya eliminado.
problem-failed = No se pudo hacer
problem-went-wrong = Algo salió mal
problem-went-wrong-text = Algo salió mal de nuestro lado. Inténtelo de nuevo en unos minutos.
problem-back = Volver a las elecciones

## Sign-in and password

login-title = Iniciar sesión
login-heading = Acceso del comité electoral
login-email = Correo electrónico
login-password = Contraseña
login-totp = Código del autenticador
login-totp-hint = (solo si su cuenta usa uno)
login-submit = Iniciar sesión
login-out-of-date = Este formulario estaba desactualizado; aquí lo tiene otra vez. Inicie sesión, por favor.
login-too-many = Demasiados intentos de inicio de sesión. Espere un minuto e inténtelo de nuevo.
login-bad-email = Correo electrónico: esa no es una dirección válida. Revísela e inténtelo de nuevo.
login-password-too-long = Contraseña: como máximo { $n } caracteres. Revísela e inténtelo de nuevo.
login-no-match = Ese correo y esa contraseña no corresponden a ninguna cuenta (o el código del autenticador no es correcto).
login-locked = El inicio de sesión desde este dispositivo está bloqueado tras demasiadas contraseñas incorrectas. Inténtelo de nuevo dentro de { $duration } (después de las { $time } UTC, tiempo universal coordinado), o inicie sesión con el código de su autenticador si su cuenta tiene uno.
password-title = Cambiar la contraseña
password-done = Su contraseña se cambió. Se cerraron todas las demás sesiones que tenía abiertas.
password-current = Contraseña actual
password-new = Contraseña nueva
password-new-hint = (al menos { $n } caracteres)
password-submit = Cambiar la contraseña
password-wrong = Contraseña actual: esa no es su contraseña actual.
password-bad-new = Contraseña nueva: { $message }

## The election list

elections-title = Elecciones
elections-create = Crear una elección
elections-none = Todavía no hay elecciones.
elections-caption = Todas las elecciones, de la más nueva a la más antigua. Las horas están en la zona horaria de cada elección.
col-election = Elección
col-state = Estado
col-opens = Abre
col-closes = Cierra

## Creating an election

new-title = Crear una elección
new-error-heading = La especificación no se aceptó
new-error-line = Línea { $line }
new-error-setting = el campo
new-nothing-created = No se creó nada. Corrija la especificación y envíela de nuevo.
new-intro = Una elección se describe con una especificación: un archivo de texto corto (TOML) con el título en inglés y en español, el periodo de votación y su zona horaria, las unidades de negociación, las preguntas y la regla que decide cada una.
new-example = Descargar una especificación de ejemplo completa para empezar
new-spec-file = Archivo de especificación
new-spec-paste = O pegue la especificación aquí
new-file-wins = Si elige un archivo, se usa el archivo y este cuadro se ignora.
new-submit = Crear la elección
new-not-utf8 = El archivo no es texto sin formato en UTF-8: guarde la especificación como texto UTF-8 y elíjala de nuevo.
new-empty = Pegue la especificación en el cuadro o elija un archivo de especificación.
new-too-large = El archivo es demasiado grande: los archivos pueden tener como máximo { $size }.
new-unreadable = El formulario no llegó completo. Envíelo de nuevo, por favor.
spec-title = Corregir la especificación
spec-intro = Mientras la elección está en preparación y ningún fideicomisario ha empezado la ceremonia de claves, su especificación completa se puede reemplazar por otra corregida con el mismo slug. Pegue o elija la especificación corregida completa. El cambio queda en el registro de auditoría.
spec-submit = Reemplazar la especificación
delete-title = ¿Eliminar este borrador?
delete-what = Eliminar el borrador { $name }:
delete-roll = borra su especificación, su padrón y los archivos de fideicomisarios registrados para él;
delete-log = conserva su registro de auditoría, que anota la eliminación, así que su slug no se puede volver a usar;
delete-final = no se puede deshacer.
delete-confirm = Sí, eliminar el borrador
delete-cancel = No, volver a la elección
notice-deleted = El borrador se eliminó. La eliminación consta en su registro de auditoría.
next-delete = Un borrador que no se necesita se puede eliminar.
next-delete-link = Eliminar el borrador
notice-spec-replaced = La especificación se reemplazó por la corregida. El cambio consta en el registro de auditoría.
next-correct = Mientras la elección está en preparación y antes de que empiecen los fideicomisarios, se puede corregir su especificación.
next-correct-link = Corregir la especificación
spec-syntax = esta línea no está escrita como espera una especificación. Revise sus comillas, su signo = y sus [corchetes].

## An election's page

election-state = Estado
election-now = Ahora
election-opens = Abre
election-closes = Cierra
election-next-heading = Qué hacer ahora
election-roll-heading = Padrón y participación
election-turnout = Han votado { $voted } de { $eligible } miembros con derecho a voto ({ $percent }).
election-roll-link = Padrón
election-find-member = Buscar a un miembro
units-caption = Miembros por unidad de negociación
col-unit = Unidad
col-eligible = Con derecho
col-voted = Votaron
col-turnout = Participación
units-all = Todas las unidades
extend-heading = Prolongar la hora de cierre
extend-intro = La hora de cierre solo se puede retrasar, nunca adelantar, y el motivo queda en el registro de auditoría.
extend-new-time = Nueva hora de cierre
extend-reason = Motivo
extend-submit = Prolongar
extend-bad-time = Nueva hora de cierre: escriba la fecha y la hora como las muestra el cuadro (por ejemplo 2027-11-10 20:00).
extend-skipped = Nueva hora de cierre: esa hora no existe en { $zone } (los relojes se adelantan); elija otra hora.
extend-twice = Nueva hora de cierre: esa hora ocurre dos veces en { $zone } (los relojes se atrasan); elija una hora antes o después.
extend-not-later = Nueva hora de cierre: tiene que ser posterior a la hora de cierre actual, { $time }; el periodo solo se puede alargar.
extend-too-far = Nueva hora de cierre: las prórrogas pueden sumar como máximo { $n } días, así que el cierre más tardío posible es { $time }.
extend-no-reason = Motivo: explique por qué se prolonga la votación; el motivo queda en el registro de auditoría.
extend-bad-reason = Motivo: { $message }
extend-closed = La votación ya cerró; una elección cerrada no se puede prolongar.
extend-out-of-range = Nueva hora de cierre: esa fecha está demasiado lejos.
ballot-heading = La papeleta
ballot-choices = Opciones
ballot-rule = Regla
ballot-blank = Se puede dejar en blanco
rule-majority = se aprueba si más de la mitad de las papeletas que la responden eligen «{ $option }» (un empate no la aprueba)
rule-at-least = se aprueba si al menos { $fraction } de las papeletas que la responden eligen «{ $option }»
rules-heading = Reglas de esta elección
rules-trustees = { $trustees } fideicomisarios guardan partes de la clave; { $threshold } cualesquiera de ellos pueden descifrar los totales.
rules-quorum = { $quorum } miembros del comité tienen que certificar los resultados.
rules-min-unit = Las unidades con menos de { $min } papeletas se cuentan junto con otras, para que no se puedan distinguir las elecciones de una unidad pequeña.
rules-key = Clave de la elección
election-public-link = Página pública de esta elección
election-public-hint = (para miembros y observadores)
notice-created = La elección se creó como borrador.
notice-extended = Se prolongó la hora de cierre. El cambio consta en el registro de auditoría.
notice-published = La clave de la elección está publicada. La especificación y el padrón ya no pueden cambiar.

## What to do next

next-import-roll = Importe el padrón: la lista de miembros con derecho a voto, en un archivo CSV.
next-import-roll-link = Importar el padrón
next-roll-missing = El comité todavía no ha importado el padrón.
next-roll-count = El padrón tiene { $count } miembros. Puede reemplazarlo hasta que se publique la clave.
next-roll-replace-link = Reemplazar el padrón
next-roll-count-other = El padrón tiene { $count } miembros. El comité puede reemplazarlo hasta que se publique la clave.
next-trustees = Fideicomisarios: registrar claves ({ $public } de { $n }), luego repartos ({ $deals } de { $n }), luego confirmaciones ({ $confirmations } de { $n }). Cada fideicomisario lo hace en su propia computadora, siguiendo la guía de fideicomisarios, con el comando
next-complaints = { $n ->
    [one] Se registró una queja: un fideicomisario recibió una parte incorrecta. Hable con los fideicomisarios antes de seguir.
   *[other] Se registraron { $n } quejas: un fideicomisario recibió una parte incorrecta. Hable con los fideicomisarios antes de seguir.
}
next-publish-later = Después, publique la clave de la elección. Así la especificación y el padrón quedan fijos.
next-publish-later-other = Después, el comité publica la clave de la elección, y la especificación y el padrón quedan fijos.
next-publish-now = Todos los fideicomisarios confirmaron: publique la clave de la elección. Así la especificación y el padrón quedan fijos.
next-publish-link = Publicar la clave de la elección
next-publish-now-other = Todos los fideicomisarios confirmaron: el comité ya puede publicar la clave de la elección, y la especificación y el padrón quedarán fijos.
next-send-ballots = Envíe a cada miembro su enlace de votación, por correo electrónico o en avisos impresos.
next-send-ballots-other = El comité envía las papeletas antes de que abra la votación.
next-opens-in = La votación abre dentro de { $duration }.
next-turnout = Participación: han votado { $voted } de { $eligible } miembros ({ $percent }).
next-extend = Si algunos miembros no pudieron votar (un corte, una tormenta), prolongue la hora de cierre más abajo, con un motivo.
next-extend-link = Prolongar la hora de cierre
next-closed = La votación terminó. Lo siguiente: contar las boletas; después los fideicomisarios descifran los totales.
next-tallied = Revise los resultados por unidad; después { $quorum } miembros del comité los certifican.
next-certified = Certificada. Los resultados son definitivos y el registro de la elección se puede exportar para los auditores.
next-results-link = Abrir la página de resultados

## Publishing the key: the confirmation step

publish-title = ¿Publicar la clave de la elección?
publish-what = Publicar la clave de la elección:
publish-freezes = fija la especificación y el padrón: ya no se podrán corregir ni reemplazar;
publish-opens = permite que la votación abra como está previsto, el { $opens };
publish-final = queda escrito en el registro de auditoría y no se puede deshacer.
publish-confirm = Sí, publicar la clave de la elección
publish-cancel = No, volver a la elección

## Importing the roll

roll-title = Padrón
roll-problems-heading = { $n ->
    [one] El padrón no se importó: 1 problema
   *[other] El padrón no se importó: { $n } problemas
}
roll-nothing-imported = No se importó nada. Corrija en el archivo cada línea de abajo y súbalo de nuevo.
roll-problems-caption = Problemas en el archivo
col-line = Línea
col-column = Columna
col-problem = Problema
roll-more-problems = … y { $n } más.
roll-imported-heading = Se importaron { $count } miembros
roll-replaced = Se reemplazó el padrón anterior.
roll-fingerprint = La importación consta en el registro de auditoría con la huella del padrón
roll-imported-caption = Miembros importados por unidad de negociación
col-members = Miembros
roll-current = El padrón tiene ahora { $count } miembros.
roll-current-caption = Miembros del padrón por unidad de negociación
roll-upload-heading = Subir el padrón
roll-upload-intro = Un archivo CSV (UTF-8; la exportación «CSV UTF-8» de una hoja de cálculo sirve) cuya primera línea sea exactamente
roll-upload-intro-rest = y después un miembro por línea. El idioma es en (inglés) o es (español). Subir un archivo reemplaza todo el padrón. Si alguna línea está mal, no se importa nada y se listan todos los problemas.
roll-file = Archivo del padrón
roll-file-hint = (.csv, como máximo { $size })
roll-submit = Subir y comprobar
roll-frozen = El padrón está fijo: la clave de la elección se publicó, así que el padrón ya no puede cambiar.
roll-choose-file = Elija el archivo del padrón (CSV) que quiere subir.

## Finding a member

members-title = Buscar a un miembro
members-intro-contacts = Muestra si se envió la papeleta de un miembro y si ya votó. Nadie puede ver cómo votó nadie.
members-intro-numbers = Muestra la unidad y el idioma de un miembro y si se envió su papeleta. Los auditores no ven nombres, ni correos, ni quién votó.
members-label-contacts = Número de miembro, nombre o correo
members-label-numbers = Número de miembro
members-label-numbers-hint = (los auditores buscan por número de miembro)
members-search = Buscar
members-none = Ningún miembro coincide con «{ $q }».
members-none-numbers = Ningún número de miembro contiene «{ $q }». Los auditores buscan solo por número de miembro.
members-refused = Los auditores buscan solo por número de miembro (letras, cifras y '-'): no se buscan nombres ni correos.
members-caption = Miembros que coinciden con «{ $q }»
members-caption-more = Miembros que coinciden con «{ $q }» (los 50 primeros; precise la búsqueda para ver otros)
col-member-number = Número de miembro
col-name = Nombre
col-email = Correo
col-language = Idioma
col-ballot = Papeleta
ballot-not-sent = no enviada

## Accounts

accounts-title = Cuentas
accounts-caption = Todas las personas que pueden iniciar sesión. Cada cambio aquí consta en el registro de auditoría del sistema.
col-role = Función
col-authenticator = Autenticador
col-status = Situación
col-action = Acción
status-disabled = desactivada
status-active = activa
account-enable = Activar
account-disable = Desactivar
account-you = usted
accounts-create-heading = Crear una cuenta
account-email = Correo electrónico
account-name = Nombre
account-role = Función
account-password = Contraseña
account-password-hint = (al menos 12 caracteres; entréguesela a su titular por otro medio)
account-create = Crear la cuenta
accounts-totp-hint = Un autenticador (TOTP) se añade en el servidor con el comando
role-committee = Comité: organiza las elecciones
role-trustee = Fideicomisario: guarda una parte de la clave
role-auditor = Auditor: lee, sin datos de contacto
role-admin = Administrador: cuentas y elecciones
notice-account-created = La cuenta se creó. Entregue la contraseña a su titular por otro medio.
notice-account-disabled = La cuenta se desactivó; sus sesiones terminan de inmediato.
notice-account-enabled = La cuenta se activó.
account-bad-role = Función: elija una de las funciones de la lista.
disable-title = ¿Desactivar esta cuenta?
disable-what = Desactivar la cuenta de { $name } ({ $email }):
disable-sessions = cierra todas sus sesiones de inmediato;
disable-signin = le impide iniciar sesión hasta que un administrador vuelva a activar la cuenta;
disable-final = queda escrito en el registro de auditoría del sistema.
disable-confirm = Sí, desactivar la cuenta
disable-cancel = No, volver a las cuentas

## The public page of an election, in plain words (issue 11)

public-when-draft = Esta votación todavía se está preparando. Sus horas pueden cambiar antes de anunciarse: la votación está prevista del { $opens } al { $closes }.
public-when-waiting = La votación abre el { $opens } y cierra el { $closes }.
public-when-open = La votación está abierta. Cierra el { $closes }.
public-when-closed = La votación cerró el { $closes }.
public-next-heading = Qué pasa ahora
public-next-draft = Cuando el comité anuncie la votación, cada miembro del padrón recibirá un correo con su propio enlace a la papeleta.
public-next-waiting = Antes de que abra la votación, cada miembro recibe un correo con su propio enlace a la papeleta. Nadie necesita una cuenta para votar.
public-next-open = Vote con el enlace de su correo. Si no lo ha recibido, pida a su comité electoral que se lo envíe de nuevo.
public-next-closed = Ahora se cuentan las papeletas. Los resultados se mostrarán aquí cuando el comité los haya certificado.
public-next-tallied = Las papeletas están contadas. El comité revisa los resultados y después los certifica.
public-next-certified = Los resultados están certificados.
public-not-found-text = No hay ninguna elección en esta dirección. Revise el enlace de su correo o busque la votación en la lista de elecciones.
public-not-found-home = Ver la lista de elecciones
vote-too-many = Demasiadas solicitudes desde su red. Espere un minuto y vuelva a intentarlo con el mismo enlace.

## The committee's ballot delivery page (issue 12)

ballots-title = Boletas y entrega
ballots-intro = Cada miembro del padrón recibe un enlace personal de votación por correo electrónico o en un aviso impreso. Estas cifras muestran dónde está cada enlace; nunca muestran quién votó.
ballots-counts = Enlaces de votación por unidad
ballots-col-queued = Por enviar
ballots-col-sent = Enviados
ballots-col-deferred = Reintentando
ballots-col-undeliverable = No entregables
ballots-col-printed = Impresos
ballots-col-employer = Solo dirección del empleador
ballots-undeliverable = Enlaces que no se pudieron entregar
ballots-none-undeliverable = Ninguno por ahora.
ballots-send-heading = Enviar las boletas
ballots-send-what = Envía un enlace de votación a cada miembro elegible que todavía no tenga uno válido. Los miembros cuya única dirección es de un dominio del empleador quedan fuera, salvo que usted indique un motivo para enviarles de todos modos; esa decisión queda registrada.
ballots-employer-label = Motivo para enviar también a direcciones del empleador (déjelo vacío para omitirlas)
ballots-send = Enviar las boletas
ballots-remind-heading = Enviar recordatorios
ballots-remind-what = Envía un enlace nuevo a cada miembro que no ha votado; su enlace anterior deja de funcionar. El registro guarda cuántos recordatorios se enviaron, nunca a quién.
ballots-remind = Enviar recordatorios
ballots-done-sent = Las boletas están en cola; las cifras cambian a medida que se entregan.
ballots-done-reminded = Los recordatorios están en cola.
next-ballots-page = Boletas y entrega
ballot-queued = por enviar
ballot-sent = enviada
ballot-deferred = reintentando
ballot-undeliverable = no entregable
ballot-printed = aviso impreso

## Después de la votación: conteo, descifrado, resultados, certificación (issue 14)
results-title = Resultados
results-tally-heading = Contar las boletas
results-tally-what = La votación está cerrada. El conteo suma las boletas cifradas de cada grupo informado; ninguna boleta se descifra por separado. Las unidades con menos boletas que el mínimo de la elección se informan juntas para que nadie pueda ser identificado por su voto.
results-tally = Contar las boletas
results-groups-heading = Grupos informados
results-groups-what = Los fideicomisarios descifran un total por grupo y pregunta; estos son los grupos.
results-digest = Huella del conteo:
results-shares-heading = Descifrado de los fideicomisarios
results-shares = Se recibieron { $have } de las { $need } partes de descifrado necesarias.
results-share-what = Fideicomisarios: descarguen el conteo, ejecuten ratify trustee decrypt en su propia computadora y luego suban el archivo que genera.
results-share-download = Descargar el conteo
results-share-label = Su parte de descifrado (SHARE.json)
results-share-submit = Subir la parte de descifrado
results-choose-share = Elija el archivo de la parte de descifrado que va a subir.
results-units = Unidades:
results-overall = Todas las unidades
results-turnout = { $ballots } boletas de { $eligible } miembros elegibles ({ $percent })
results-blank = En blanco
results-passed = aprobada
results-not-passed = no aprobada
results-certify-heading = Certificación
results-certified-by = { $have } de las { $need } certificaciones necesarias:
results-certified = Los resultados están certificados. Ya nada de esta elección puede cambiar.
results-certify-what = Certifique que estos resultados son el verdadero resultado de la elección. Escriba su contraseña de nuevo para confirmar que es usted.
results-certify-password = Su contraseña
results-certify = Certificar los resultados
results-done-tallied = Las boletas están contadas. Los fideicomisarios ya pueden descifrar.
results-done-share = La parte de descifrado fue verificada y aceptada.
results-done-certified = Su certificación quedó registrada.
lookup-proof-heading = Prueba de que el registro contiene su boleta
lookup-proof-what = El registro público de auditoría tiene una entrada para su boleta. Estos hashes vinculan esa entrada con un punto de control que el servidor firmó; cualquiera puede comprobarlos con la clave de verificación de la elección, y la copia del registro de un auditor debe contener la misma entrada.
lookup-entry = Número de entrada del registro
lookup-leaf = Hash de la entrada
lookup-path = Hashes de la prueba
lookup-checkpoint = Punto de control firmado
lookup-proof-json = La misma prueba en JSON
lookup-heading = Compruebe que su boleta se cuenta
lookup-what = Escriba el código de seguimiento de su recibo: la forma corta (como 1a2b-3c4d) o la completa.
lookup-label = Su código de seguimiento
lookup-submit = Buscar
certificate-title = Certificado de resultados
certificate-what = El comité electoral certificó estos resultados. El certificado está firmado con la clave del registro de la elección y es la última entrada del registro público de auditoría.
certificate-window = Período de votación
certificate-extension = Extendido
certificate-roll = Miembros en el padrón
certificate-roll-hash = Huella del padrón
certificate-trustees = Fideicomisarios que descifraron
certificate-certified-by = Certificado por
certificate-checkpoint = Punto de control del registro (entradas · raíz)
certificate-signature = Firma
certificate-json = El certificado como JSON firmado
certificate-none = Esta elección todavía no tiene certificado: sus resultados se certifican después de la votación.
public-certificate-link = El certificado de resultados
record-title = El registro de la elección
record-none = El registro de esta elección se publica aquí cuando sus resultados estén certificados.
record-heading = El registro de la elección
record-download = Descargar el registro de la elección (tar)
record-what = Todo lo que un auditor necesita para comprobar el resultado sin confiar en este servidor: el registro de auditoría, cada boleta (cifrada), el conteo, las partes de descifrado de los fideicomisarios, los resultados y el certificado. Quiénes votaron aparece solo como cantidades por unidad. Descomprímalo con tar -xf y compruébelo con ratify audit verify.

## Negativas del dominio (issue 9): líneas del padrón, campos de la
## especificación, conflictos, cuentas. Un número de línea o una ruta de
## campo siempre es un argumento.

untranslated = { $text }
refusal-field = { $field }: { $message }

text-empty = está vacío
text-too-long = tiene { $found } caracteres; se admiten como máximo { $max }
text-nul = contiene un carácter NUL (código 0) en la posición { $at }; quítelo
text-line-break = contiene un salto de línea en la posición { $at }; escríbalo en una sola línea
text-control = contiene el carácter de control { $code } en la posición { $at }; quítelo
text-direction = contiene el carácter invisible de dirección { $code } en la posición { $at }, que puede hacer que el texto se vea distinto de lo que dice; quítelo

id-invalid = «{ $value }» no es { $what } válido: { $rule }
id-what-slug = un identificador de elección
id-what-unit = un código de unidad
id-what-question = un identificador de pregunta
id-what-option = un identificador de opción
id-rule-slug = use de 3 a 64 letras minúsculas, cifras y «-», sin empezar ni terminar con «-»
id-rule-slug-new = «new» está reservado; elija otro identificador
id-rule-unit = use de 1 a 16 letras, cifras, «-» y «_»
id-rule-question = use de 1 a 32 letras minúsculas, cifras, «-» y «_», sin empezar ni terminar con «-»
language-invalid = «{ $value }» no es un idioma admitido: use en o es
localized-empty = el texto en { $language } está vacío; dé el texto en en y en es

member-number-invalid = «{ $value }» no es un número de miembro válido: use de 1 a { $max } letras, cifras y «-»
member-name-empty = el nombre está vacío
member-name-invalid = «{ $value }»: { $problem }
email-invalid = «{ $value }» no es una dirección de correo electrónico válida
email-empty = la dirección de correo electrónico está vacía

roll-header-mismatch = la primera línea tiene que ser exactamente «{ $header }», pero es «{ $found }»
roll-file-empty = el archivo está vacío; la primera línea tiene que ser «{ $header }»
roll-header-unreadable = no se puede leer la primera línea; guarde el archivo como CSV en UTF-8
roll-row-unreadable = no se puede leer esta línea como CSV; revise sus comillas y guarde el archivo como CSV en UTF-8
roll-row-fields = se esperaban 5 campos ({ $header }), pero hay { $found }
roll-field-empty = el campo { $field } está vacío
roll-not-utf8 = no es texto UTF-8 válido; guarde el archivo en UTF-8
roll-unit-unknown = «{ $value }» no es una unidad de esta elección ({ $units })
roll-unit-did-you-mean = { $problem }; ¿quiso decir «{ $unit }»?
roll-duplicate-number = número de miembro repetido «{ $number }» (también en la línea { $first })
roll-duplicate-email = correo electrónico repetido «{ $email }» (también en la línea { $first }; no se distingue entre mayúsculas y minúsculas)
roll-no-members = el padrón no tiene ningún miembro

window-closes-before-opens = el cierre ({ $closes }) tiene que ser posterior a la apertura ({ $opens })
window-too-long = el periodo del { $opens } al { $closes } dura más de los { $max } días permitidos (election.max_window_days en la configuración)
window-not-later = la nueva hora de cierre ({ $new }) tiene que ser posterior a la actual ({ $current }); el periodo solo se puede ampliar
window-too-far = la nueva hora de cierre ({ $new }) queda más de { $max } días después de la hora de cierre con la que se creó la elección ({ $created }); las ampliaciones pueden sumar como máximo { $max } días en total (election.max_extension_days en la configuración), así que el cierre más tardío posible es { $latest }
window-no-reason = una ampliación necesita un motivo; queda escrito en el registro de auditoría
window-bad-reason = el motivo: { $problem }
window-already-closed = la elección cerró el { $closed }; un periodo cerrado no se puede ampliar
window-bad-timestamp = «{ $value }» no es una fecha y hora RFC 3339
window-out-of-range = { $value } queda fuera de los años 0001 a 9999 (en UTC)
time-not-a-time = «{ $value }» no es una fecha y hora; escriba la hora local como 2024-12-11T17:00 o una hora con su desfase, como 2024-12-11T17:00:00-08:00
time-needs-offset = «{ $value }» no es una hora RFC 3339 con desfase; escriba, por ejemplo, 2024-12-11T17:00:00-08:00
time-skipped = «{ $value }» no existe en { $zone } (los relojes se adelantan a esa hora); elija otra hora
time-twice = «{ $value }» ocurre dos veces en { $zone } (los relojes se atrasan); escríbala con su desfase: «{ $earlier }» o «{ $later }»
time-out-of-range = «{ $value }» queda fuera de los años 0001 a 9999 (en UTC)

state-word-draft = en preparación
state-word-key-published = con la clave publicada
state-word-open = abierta
state-word-closed = cerrada
state-word-tallied = escrutada
state-word-certified = certificada
state-not-next = una elección no puede pasar de «{ $from }» a «{ $to }»: { $hint }
state-only-next = el único paso siguiente es «{ $next }»
state-final = «{ $state }» es el último estado
state-unknown = estado de elección desconocido: «{ $value }»

spec-missing = falta el campo { $field }
spec-count-range = «{ $value }» tiene que estar entre 1 y { $max }
spec-count-trustees = «{ $value }» tiene que estar entre 1 y el número de custodios ({ $max })
spec-count-min = «{ $value }» tiene que ser al menos 1
spec-count-too-large = «{ $value }» es demasiado grande
spec-zone-unknown = «{ $value }» no es una zona horaria IANA conocida (por ejemplo, "America/Los_Angeles")
spec-closes-before-opens = «{ $closes }» tiene que ser posterior a la apertura, opens_at («{ $opens }»)
spec-units-none = la elección necesita al menos una entrada [[units]]
spec-unit-duplicate = código de unidad repetido «{ $code }» (también en { $first })
spec-unit-name-empty = el nombre de la unidad está vacío
spec-questions-none = la elección necesita al menos una entrada [[questions]]
spec-question-duplicate = identificador de pregunta repetido «{ $id }» (también en { $first })
spec-passes-on-unknown = «{ $value }» no es una de las opciones de esta pregunta ({ $options })
spec-options-too-few = una pregunta necesita al menos 2 opciones, pero tiene { $found }
spec-option-duplicate = identificador de opción repetido «{ $id }» (también en { $first })
spec-shape = este ajuste no está escrito como lo espera una especificación: compare su nombre, su tipo (texto entre comillas, número o tabla) y su valor con la especificación de ejemplo

election-exists = ya existe una elección «{ $slug }»
election-slug-of-deleted = «{ $slug }» era el identificador de un borrador eliminado, cuyo registro de auditoría se conserva; elija otro identificador
election-not-deletable = { $slug } ya no se puede eliminar: la elección está { $state } (solo se puede eliminar una elección en preparación)
key-not-published = la clave de la elección no está publicada
spec-frozen = la especificación de { $slug } ya no puede cambiar: la elección está { $state } (solo se puede corregir mientras está en preparación)
spec-keep-slug = la especificación corregida tiene que mantener el identificador «{ $slug }»
spec-ceremony-started = los custodios ya empezaron la ceremonia de claves con esta especificación, así que ya no se puede corregir
spec-unit-on-roll = el padrón tiene miembros en la unidad { $unit }, que la especificación corregida no tiene; reemplace primero el padrón
roll-frozen-conflict = el padrón de { $slug } ya no puede cambiar: la elección está { $state } (solo se puede reemplazar mientras está en preparación)

ceremony-over = la ceremonia de claves de { $slug } terminó: su clave está publicada
ceremony-share-not-here = esto es una parte de descifrado: envíela con la orden ratify trustee submit
trustee-key-registered = esta clave de custodio ya está registrada
trustees-all-registered = los { $n } custodios ya están registrados
trustee-file-registered = el custodio { $trustee } ya registró un archivo de tipo { $kind }
publish-window-over = el periodo de votación de { $slug } ya terminó; cree la elección de nuevo con otro periodo
publish-no-roll = importe el padrón de { $slug } antes de publicar la clave
publish-not-yet = todavía no se puede publicar la clave: { $detail }
publish-slots-spread = no se puede publicar la clave: la cuenta { $account } tiene los puestos de custodio { $slots }, y una cuenta puede tener como máximo { $max } (election.max_trustee_slots_per_account); cada custodio registra su propia clave pública con su propia cuenta
void-no-reason = diga por qué se anula el reparto (queda en el registro de auditoría)
void-bad-reason = el motivo tiene que ser una sola línea de { $max } caracteres como máximo
void-no-deal = el custodio { $trustee } no tiene ningún reparto que anular
void-not-upheld = ninguna queja registrada demuestra que el reparto del custodio { $trustee } es incorrecto; un reparto solo se anula por una queja fundada

links-not-yet = todavía no se pueden emitir enlaces de voto para { $slug }: la elección está en preparación (publique primero la clave de la elección)
links-no-longer = ya no se pueden emitir enlaces de voto para { $slug }: la elección está { $state }
links-employer-reason = dé el motivo del comité para enviar a direcciones del empleador
reissue-no-reason = dé un motivo para el nuevo enlace
reissue-email-taken = otro miembro de esta elección tiene esa dirección
member-not-eligible = el miembro { $number } no tiene derecho a votar en { $slug } (S1)
member-has-voted = el miembro { $number } ya votó; quien ya votó no puede recibir un nuevo enlace de voto
print-unit-unknown = { $unit } no es una unidad de esta elección
print-no-members = indique al menos un número de miembro

password-too-short = tiene que tener al menos { $n } caracteres
password-too-long = puede tener como máximo { $n } caracteres
account-exists = ya existe una cuenta para { $email }
account-disable-self = no puede desactivar su propia cuenta: pídaselo a otro administrador
search-too-long = se admiten como máximo { $n } caracteres
search-member-number-only = los auditores buscan solo por número de miembro (letras, cifras y «-»); no se buscan nombres ni correos electrónicos

# Un campo de formulario tal como lo nombra una negativa en una página.
field-email = correo electrónico
field-name = nombre
field-password = contraseña
field-slug = identificador
field-reason = motivo
field-closes_at = hora de cierre
field-unit = unidad
field-member = miembro
field-employer_reason = motivo del envío a direcciones del empleador

fraction-invalid = «{ $value }» no es un umbral válido: { $reason }
fraction-zero-denominator = el denominador no puede ser 0
fraction-zero = tiene que ser mayor que 0
fraction-above-one = tiene que ser como máximo 1
fraction-no-slash = escríbalo como "a/b", por ejemplo "2/3"
fraction-not-whole = escríbalo como "a/b" con números enteros, por ejemplo "2/3"
fraction-too-large = los números son demasiado grandes
rule-unknown = «{ $value }» no es una regla: use "majority" o {"{"} at_least = "a/b" {"}"}
rule-stray-key = «{ $value }» no forma parte de una regla: use "majority" o {"{"} at_least = "a/b" {"}"}
rule-not-fraction = «{ $value }» no es una fracción: escriba at_least = "2/3"
rule-no-at-least = la regla no tiene at_least: use "majority" o {"{"} at_least = "a/b" {"}"}
spec-window-too-long = el periodo del { $opens } al { $closes } dura más de los { $max } días permitidos (election.max_window_days en la configuración)
tally-not-over = La votación de { $slug } no ha terminado: cierra { $time }, y nada se cuenta antes.
shares-not-needed = Los resultados de { $slug } ya están descifrados; no se necesitan más partes de descifrado.
share-refused = La parte de descifrado del fideicomisario { $trustee } fue rechazada: { $reason }
share-not-text = El archivo no es texto: elija el SHARE.json que escribió ratify trustee decrypt.
results-not-yet = { $slug } todavía no tiene resultados: se recibieron { $have } de las { $need } partes de descifrado necesarias.
results-not-decrypted = Los resultados de { $slug } todavía no están descifrados.
certify-final = { $slug } ya está certificada; nada de ella puede cambiar.
certify-no-results = { $slug } todavía no tiene resultados que certificar: los fideicomisarios los descifran después del conteo.
certify-twice = { $email } ya certificó { $slug }.
export-not-closed = { $slug } todavía no está cerrada: la lista de quienes votaron y su sal se crean al cierre.
record-not-closed = { $slug } todavía no está cerrada: su registro de la elección se puede descargar cuando la votación haya terminado y se haya cerrado.

## The committee's Reissue form and the roll's employer-only counts (issue 12)

reissue-title = Un nuevo enlace de votación
reissue-link = Nuevo enlace…
reissue-what = Emite un nuevo enlace de votación para este miembro y lo envía por correo; el enlace anterior deja de funcionar de inmediato. El motivo queda escrito en el registro público de la elección; una dirección corregida, no.
reissue-reason = Motivo (obligatorio; queda en el registro público)
reissue-reason-required = Indique el motivo del nuevo enlace.
reissue-new-email = Dirección de correo corregida
reissue-new-email-hint = (opcional: déjela vacía para enviarlo a la dirección de arriba)
reissue-submit = Emitir un nuevo enlace
reissue-done = Se emitió un nuevo enlace y su correo está por enviarse; el enlace anterior ya no funciona.
reissue-voted = El miembro { $number } ya votó, así que no puede recibir un nuevo enlace: un voto emitido es definitivo.
reissue-not-eligible = Este miembro no tiene derecho a votar en esta elección, así que no recibe enlace de votación.
roll-col-employer = Solo dirección del empleador
roll-employer-note = A los miembros cuya única dirección está en un dominio del empleador no se les envía la boleta por correo salvo que el comité lo decida en la página de boletas y entrega (la decisión queda registrada); imprima avisos para ellos.
