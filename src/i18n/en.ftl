# English messages for the pages people read without signing in (members,
# observers, newcomers). Every message here must also be in es.ftl: the unit
# test `i18n::catalogue::tests::every_message_is_in_both_languages` checks.
#
# `date-time-format` is a chrono strftime pattern: day and month names come
# from the locale (en_US), the order and punctuation from here.

## Layout

skip-to-content = Skip to content
# The other language's name, written in that language: the switch link.
switch-language = Español
switch-language-hint = Leer esta página en español

## Dates and durations

date-time-format = %a %-d %b %Y, %-I:%M %P %Z
duration-days = { $n ->
    [one] { $n } day
   *[other] { $n } days
}
duration-hours = { $n ->
    [one] { $n } hour
   *[other] { $n } hours
}
duration-minutes = { $n ->
    [one] { $n } minute
   *[other] { $n } minutes
}
duration-pair = { $larger } { $smaller }
duration-under-a-minute = less than a minute

## Election states and countdowns

state-draft = Draft
state-key-published = Key published, waiting to open
state-open = Open for voting
state-closed = Closed
state-tallied = Tallied
state-certified = Certified
countdown-draft = opens in { $duration }, if the election key is published by then
countdown-draft-late = the opening time has passed, but without a published key the election cannot open
countdown-opens = opens in { $duration }
countdown-closes = closes in { $duration }
countdown-closed = closed

## The start page (GET /)

start-title = Union votes
start-heading = Union votes
start-intro = This service runs the union's secret-ballot votes. Members vote through the link in their email: nobody needs an account to vote.
start-elections-heading = Elections
start-no-elections = No election has been announced yet.
start-election-window = Voting: { $opens } to { $closes }
start-observers = Each election's page shows its times and its public audit log, so anyone can follow along.
start-committee-heading = For the elections committee
start-committee-text = Committee members, trustees and auditors sign in here.
start-sign-in = Committee sign-in

## The public page of an election (GET /elections/{slug})

public-audit-heading = For observers: the audit log
public-audit-intro = Everything the committee does in this election is written to a public, append-only audit log. Its signed checkpoints can be checked with this verifier key. Pin it now: if it ever changes, something is wrong.
public-verifier-key = Verifier key
public-key-name = Key name
public-key-id = Key id
public-latest-checkpoint = Latest signed checkpoint
public-log-entries = Log entries
public-log-entries-hint = pick the range
public-verifier-key-plain = plain text
public-proofs = Proofs
public-proofs-hint = see docs/audit-format.md
public-home = All elections

## Page not found

not-found-title = Page not found
not-found-text = There is no page at this address. The link may be mistyped, or the page may have moved.
not-found-home = Go to the start page

## An address whose parameters make no sense

bad-address-title = This address is not valid
bad-address-text = Check the link you followed, or go to the start page.

## Something went wrong on our side

error-title = Something went wrong
error-text = Something went wrong on our side. Please try again in a few minutes.

## Ballot email and printed notices (issue 12)

mail-subject-ballot = Your ballot: { $title }
mail-subject-reminder = Reminder: you have not voted yet in { $title }
mail-subject-reissue = Your new ballot link: { $title }
mail-greeting = Hello { $name },
mail-intro-ballot = You are on the roll for { $title }. Use your personal link below to vote.
mail-intro-reminder = Our records show you have not voted yet in { $title }. Your earlier link no longer works: use this new one.
mail-intro-reissue = A new ballot link was issued to you for { $title }. Any earlier link no longer works.
mail-window = Voting is open from { $opens } until { $closes }.
mail-link-label = Your personal ballot link:
mail-button = Open my ballot
mail-private = This link is yours alone: do not forward it or share it. It can be used to cast one ballot.
mail-unexpected = If you did not expect this message, do not use the link: tell the elections committee by replying to this message. Nobody from the committee will ever ask you for this link.
mail-signature = The Elections Committee
notice-title = Ballot notices: { $title }
notice-heading = Your ballot: { $title }
notice-member = Member { $number }, unit { $unit }
notice-scan = To vote, scan this code with a phone camera, or type the address below into a web browser.

## The member's ballot pages (issue 13)

vote-window = Voting is open from { $opens } until { $closes }.
vote-instructions = Choose one answer for each question, then review your choices. Nothing is final until you confirm.
vote-secret = Your ballot is secret: it is encrypted before it is stored, and nothing links it to your name.
vote-blank = Leave blank (no answer)
vote-review-button = Review my choices
vote-error-summary = Some answers need your attention: see the questions marked below.
vote-error-required = Choose one answer for this question (or "Leave blank", where it is offered).
vote-error-one-option = Choose exactly one of the answers listed.
vote-review-title = Check your choices
vote-review-intro = This is the ballot you are about to cast. Once you confirm, it cannot be changed.
vote-review-blank = (no answer)
vote-confirm-button = Cast my ballot
vote-change-button = Change my choices
receipt-title = Your ballot was recorded
receipt-cast = Your ballot for { $title } was recorded. Thank you for voting.
receipt-tracker-short = Your ballot tracker (write it down):
receipt-tracker-full = The full tracker:
receipt-lookup = When the vote closes, the committee publishes the record of every ballot. Enter this tracker on the election's page to check that your ballot is in it. The tracker does not show how you voted.
receipt-election-page = The election's public page
ballot-found-title = Ballot in the record
ballot-found = A ballot with this tracker is in the record of { $title }.
ballot-missing-title = No such ballot
ballot-missing = No ballot with this tracker is in the record of { $title }. Check the tracker you wrote down.
refusal-unknown-title = This ballot link does not work
refusal-unknown = Check that you opened the whole link from your email or notice. If it still does not work, contact the elections committee for a new link.
refusal-not-open-title = Voting has not started yet
refusal-not-open = Voting opens on { $opens }. Come back then and use the same link.
refusal-closed-title = Voting has closed
refusal-closed = The vote is over and ballots can no longer be cast. The elections committee will publish the results.
refusal-used-title = This ballot link has already been used
refusal-used = A ballot was cast with this link, and each link casts one ballot. If you did not vote, contact the elections committee at once: someone may have used your link.
refusal-revoked-title = A newer ballot link was sent to you
refusal-revoked = This link no longer works because a new one was issued. Use the most recent link you received, or contact the elections committee.
## Time zones in words (issue 11): the election's zone, named as people
## say it. A zone not listed here is named after its city (`zone-city`).

zone-america-los_angeles = Pacific Time
zone-america-vancouver = Pacific Time
zone-america-tijuana = Pacific Time (Tijuana)
zone-america-denver = Mountain Time
zone-america-edmonton = Mountain Time
zone-america-boise = Mountain Time
zone-america-phoenix = Mountain Time (Arizona, no daylight saving)
zone-america-chicago = Central Time
zone-america-winnipeg = Central Time
zone-america-regina = Central Time (Saskatchewan)
zone-america-new_york = Eastern Time
zone-america-detroit = Eastern Time
zone-america-toronto = Eastern Time
zone-america-halifax = Atlantic Time
zone-america-puerto_rico = Atlantic Time (Puerto Rico)
zone-america-st_johns = Newfoundland Time
zone-america-anchorage = Alaska Time
zone-pacific-honolulu = Hawaii Time
zone-america-mexico_city = Central Mexico Time
zone-america-monterrey = Central Mexico Time
zone-america-cancun = Southeast Mexico Time (Cancun)
zone-america-chihuahua = Chihuahua Time
zone-america-mazatlan = Mexican Pacific Time
zone-america-hermosillo = Sonora Time
zone-utc = Coordinated Universal Time (UTC)
zone-city = { $city } time
times-in = Times are in { $zone }.

## Committee pages: what every page shares

nav-main = Main
nav-elections = Elections
nav-accounts = Accounts
nav-password = Change password
nav-sign-out = Sign out ({ $name })
crumbs = You are here
form-problem-heading = That did not work
form-nothing-changed = Nothing was changed.
yes = yes
no = no
lang-en = English
lang-es = Spanish
scroll-hint = The table scrolls sideways.

## Committee pages: problems

problem-out-of-date = This form was out of date
problem-out-of-date-text = This form was out of date (perhaps you signed in again in another tab); here it is again.
problem-form-again = Open the form again
problem-not-allowed = Not allowed
problem-not-allowed-text = Your role cannot do this. If you need to, ask an admin to change your role.
problem-not-found = Not found
problem-not-found-text = There is nothing at this address: the link may be mistyped, or what it pointed to was removed.
problem-failed = That did not work
problem-went-wrong = Something went wrong
problem-went-wrong-text = Something went wrong on our side. Please try again in a few minutes.
problem-back = Back to the elections

## Sign-in and password

login-title = Sign in
login-heading = Elections committee sign-in
login-email = Email
login-password = Password
login-totp = Authenticator code
login-totp-hint = (only if your account uses one)
login-submit = Sign in
login-out-of-date = This form was out of date; here it is again. Please sign in.
login-too-many = Too many sign-in attempts. Wait a minute and try again.
login-bad-email = Email: that is not a valid email address. Please check it and try again.
login-password-too-long = Password: at most { $n } characters. Please check it and try again.
login-no-match = That email and password do not match an account (or the authenticator code is wrong).
login-locked = Sign-in from this device is locked after too many wrong passwords. Try again in { $duration } (after { $time } UTC (Coordinated Universal Time)), or sign in with your authenticator code if your account has one.
password-title = Change your password
password-done = Your password is changed. Every other place you were signed in has been signed out.
password-current = Current password
password-new = New password
password-new-hint = (at least { $n } characters)
password-submit = Change password
password-wrong = Current password: that is not your current password.
password-bad-new = New password: { $message }

## The election list

elections-title = Elections
elections-create = Create an election
elections-none = There are no elections yet.
elections-caption = All elections, newest first. Times are in each election's time zone.
col-election = Election
col-state = State
col-opens = Opens
col-closes = Closes

## Creating an election

new-title = Create an election
new-error-heading = The spec was not accepted
new-error-line = Line { $line }
new-error-setting = field
new-nothing-created = Nothing was created. Correct the spec and send it again.
new-intro = An election is described by a spec: a short text file (TOML) with the title in English and Spanish, the voting window and its time zone, the bargaining units, the questions and the rule that decides each one.
new-example = Download a complete example spec to start from
new-spec-file = Spec file
new-spec-paste = Or paste the spec here
new-file-wins = If you choose a file, the file is used and this box is ignored.
new-submit = Create the election
new-not-utf8 = The file is not plain text in UTF-8: save the spec as UTF-8 text and choose it again.
new-empty = Paste the spec into the box or choose a spec file.
new-too-large = The file is too large: uploads are limited to { $size }.
new-unreadable = The form did not arrive whole. Please send it again.
spec-title = Correct the spec
spec-intro = While the election is a draft and no trustee has started the key ceremony, its whole spec can be replaced by a corrected one with the same slug. Paste or choose the whole corrected spec. The change is written to the audit log.
spec-submit = Replace the spec
delete-title = Delete this draft?
delete-what = Deleting the draft { $name }:
delete-roll = removes its spec, its roll and any trustee files registered for it;
delete-log = keeps its audit log, which records the deletion, so its slug cannot be used again;
delete-final = cannot be undone.
delete-confirm = Yes, delete the draft
delete-cancel = No, go back to the election
notice-deleted = The draft was deleted. The deletion is in its audit log.
next-delete = A draft that is not needed can be deleted.
next-delete-link = Delete the draft
notice-spec-replaced = The spec was replaced by the corrected one. The change is in the audit log.
next-correct = While the election is a draft and before the trustees start, its spec can be corrected.
next-correct-link = Correct the spec
spec-syntax = this line is not written the way a spec expects. Check its quotes, its = sign and its [brackets].

## An election's page

election-state = State
election-now = Now
election-opens = Opens
election-closes = Closes
election-next-heading = What to do next
election-roll-heading = Roll and turnout
election-turnout = { $voted } of { $eligible } eligible members have voted ({ $percent }).
election-roll-link = Roll
election-find-member = Find a member
units-caption = Members per bargaining unit
col-unit = Unit
col-eligible = Eligible
col-voted = Voted
col-turnout = Turnout
units-all = All units
extend-heading = Extend the closing time
extend-intro = The closing time can only be made later, never earlier, and the reason goes in the audit log.
extend-new-time = New closing time
extend-reason = Reason
extend-submit = Extend
extend-bad-time = New closing time: write the date and time as the box shows them (for example 2027-11-10 20:00).
extend-skipped = New closing time: that time does not exist in { $zone } (the clocks go forward over it); choose another time.
extend-twice = New closing time: that time happens twice in { $zone } (the clocks go back); choose a time an hour earlier or later.
extend-not-later = New closing time: it must be later than the current closing time, { $time }; the window can only be made longer.
extend-too-far = New closing time: extensions may add at most { $n } days in total, so the latest possible close is { $time }.
extend-no-reason = Reason: say why the closing time is extended; the reason is recorded in the audit log.
extend-bad-reason = Reason: { $message }
extend-closed = Voting has closed; a closed election cannot be extended.
extend-out-of-range = New closing time: that date is too far away.
ballot-heading = The ballot
ballot-choices = Choices
ballot-rule = Rule
ballot-blank = May be left blank
rule-majority = passes if more than half of the ballots that answer it choose “{ $option }” (a tie fails)
rule-at-least = passes if at least { $fraction } of the ballots that answer it choose “{ $option }”
rules-heading = Rules of this election
rules-trustees = { $trustees } trustees hold key shares; any { $threshold } of them can decrypt the totals.
rules-quorum = { $quorum } committee members must certify the results.
rules-min-unit = Units with fewer than { $min } ballots are counted together with others, so no small unit's choices can be singled out.
rules-key = Election key
election-public-link = Public page of this election
election-public-hint = (for members and observers)
notice-created = The election was created as a draft.
notice-extended = The closing time was extended. The change is in the audit log.
notice-published = The election key is published. The spec and the roll are now frozen.

## What to do next

next-import-roll = Import the roll: the list of eligible members, as a CSV file.
next-import-roll-link = Import the roll
next-roll-missing = The committee has not imported the roll yet.
next-roll-count = The roll has { $count } members. You can replace it until the key is published.
next-roll-replace-link = Replace the roll
next-roll-count-other = The roll has { $count } members. The committee can replace it until the key is published.
next-trustees = Trustees: register keys ({ $public } of { $n }), then deals ({ $deals } of { $n }), then confirmations ({ $confirmations } of { $n }). Each trustee does this on their own computer, following the trustee guide, with the command
next-complaints = { $n ->
    [one] One complaint was registered: a trustee received a bad share. Talk to the trustees before going on.
   *[other] { $n } complaints were registered: a trustee received a bad share. Talk to the trustees before going on.
}
next-publish-later = Then publish the election key. This freezes the spec and the roll.
next-publish-later-other = Then the committee publishes the election key, which freezes the spec and the roll.
next-publish-now = Every trustee has confirmed: publish the election key. This freezes the spec and the roll.
next-publish-link = Publish the election key
next-publish-now-other = Every trustee has confirmed: the committee can now publish the election key, which freezes the spec and the roll.
next-send-ballots = Send each member their ballot link, by email or on printed notices.
next-send-ballots-other = The committee sends the ballots before voting opens.
next-opens-in = Voting opens in { $duration }.
next-turnout = Turnout: { $voted } of { $eligible } members have voted ({ $percent }).
next-extend = If members could not vote (an outage, a storm), extend the closing time below, with a reason.
next-extend-link = Extend the closing time
next-closed = Voting is over. Next: tally the ballots, then the trustees decrypt the totals.
next-tallied = Review the results per unit; then { $quorum } committee members certify them.
next-certified = Certified. The results are final, and the election record can be exported for auditors.
next-results-link = Open the results page

## Publishing the key: the confirmation step

publish-title = Publish the election key?
publish-what = Publishing the election key:
publish-freezes = freezes the spec and the roll: they can no longer be corrected or replaced;
publish-opens = lets voting open as planned, on { $opens };
publish-final = is written to the audit log and cannot be undone.
publish-confirm = Yes, publish the election key
publish-cancel = No, go back to the election

## Importing the roll

roll-title = Roll
roll-problems-heading = { $n ->
    [one] The roll was not imported: 1 problem
   *[other] The roll was not imported: { $n } problems
}
roll-nothing-imported = Nothing was imported. Correct every line below in the file and upload it again.
roll-problems-caption = Problems in the file
col-line = Line
col-column = Column
col-problem = Problem
roll-more-problems = … and { $n } more.
roll-imported-heading = Imported { $count } members
roll-replaced = The previous roll was replaced.
roll-fingerprint = The import is in the audit log with the roll's fingerprint
roll-imported-caption = Members imported per bargaining unit
col-members = Members
roll-current = The roll now has { $count } members.
roll-current-caption = Members on the roll per bargaining unit
roll-upload-heading = Upload the roll
roll-upload-intro = A CSV file (UTF-8; a spreadsheet's "CSV UTF-8" export works) whose first line is exactly
roll-upload-intro-rest = then one member per line. The language is en (English) or es (Spanish). Uploading replaces the whole roll. If any line is wrong, nothing is imported and every problem is listed.
roll-file = Roll file
roll-file-hint = (.csv, at most { $size })
roll-submit = Upload and check
roll-frozen = The roll is frozen: the election key was published, so the roll can no longer change.
roll-choose-file = Choose the roll file (CSV) to upload.

## Finding a member

members-title = Find a member
members-intro-contacts = Shows whether a member's ballot was sent and whether they have voted. Nobody can see how anyone voted.
members-intro-numbers = Shows a member's unit and language and whether their ballot was sent. Auditors see no names, no emails and not who has voted.
members-label-contacts = Member number, name or email
members-label-numbers = Member number
members-label-numbers-hint = (auditors search by member number)
members-search = Search
members-none = No member matches “{ $q }”.
members-none-numbers = No member number contains “{ $q }”. Auditors search by member number only.
members-refused = Auditors search by member number only (letters, digits and '-'): names and emails are not searched.
members-caption = Members matching “{ $q }”
members-caption-more = Members matching “{ $q }” (the first 50; search more precisely to see others)
col-member-number = Member number
col-name = Name
col-email = Email
col-language = Language
col-ballot = Ballot
ballot-not-sent = not sent

## Accounts

accounts-title = Accounts
accounts-caption = Everyone who can sign in. Every change here is in the system audit log.
col-role = Role
col-authenticator = Authenticator
col-status = Status
col-action = Action
status-disabled = disabled
status-active = active
account-enable = Enable
account-disable = Disable
account-you = you
accounts-create-heading = Create an account
account-email = Email
account-name = Name
account-role = Role
account-password = Password
account-password-hint = (at least 12 characters; give it to its owner by a separate channel)
account-create = Create the account
accounts-totp-hint = An authenticator (TOTP) is added on the server with the command
role-committee = Committee: runs elections
role-trustee = Trustee: holds a key share
role-auditor = Auditor: reads, no contact details
role-admin = Admin: accounts and elections
notice-account-created = The account was created. Give its owner the password by a separate channel.
notice-account-disabled = The account was disabled; its sessions end at once.
notice-account-enabled = The account was enabled.
account-bad-role = Role: choose one of the roles in the list.
disable-title = Disable this account?
disable-what = Disabling the account of { $name } ({ $email }):
disable-sessions = signs them out everywhere, at once;
disable-signin = stops them signing in until an admin enables the account again;
disable-final = is written to the system audit log.
disable-confirm = Yes, disable the account
disable-cancel = No, go back to the accounts

## The public page of an election, in plain words (issue 11)

public-when-draft = This vote is still being prepared. Its times may change before it is announced: voting is planned from { $opens } to { $closes }.
public-when-waiting = Voting opens on { $opens } and closes on { $closes }.
public-when-open = Voting is open now. It closes on { $closes }.
public-when-closed = Voting closed on { $closes }.
public-next-heading = What happens next
public-next-draft = When the committee announces the vote, each member on the roll gets an email with their own link to the ballot.
public-next-waiting = Before voting opens, each member gets an email with their own link to the ballot. Nobody needs an account to vote.
public-next-open = Vote through the link in your email. If you have not received it, ask your elections committee to send it again.
public-next-closed = The ballots are counted next. The results will be shown here once the committee has certified them.
public-next-tallied = The ballots are counted. The committee checks the results and then certifies them.
public-next-certified = The results are certified.
public-not-found-text = There is no election at this address. Check the link in your email, or look for the vote in the list of elections.
public-not-found-home = See the list of elections
vote-too-many = Too many requests from your network. Please wait a minute and try again with the same link.

## The committee's ballot delivery page (issue 12)

ballots-title = Ballots and delivery
ballots-intro = Each member on the roll gets a personal ballot link by email, or on a printed notice. These counts show where every link is; they never show who has voted.
ballots-counts = Ballot links per unit
ballots-col-queued = Waiting to send
ballots-col-sent = Sent
ballots-col-deferred = Retrying
ballots-col-undeliverable = Undeliverable
ballots-col-printed = Printed
ballots-col-employer = Employer address only
ballots-undeliverable = Links that could not be delivered
ballots-none-undeliverable = None so far.
ballots-send-heading = Send the ballots
ballots-send-what = Sends a ballot link to every eligible member who does not have a working one yet. Members whose only address is at an employer's domain are left out unless you give a reason to mail them anyway; that decision is logged.
ballots-employer-label = Reason to also mail employer addresses (leave empty to skip them)
ballots-send = Send the ballots
ballots-remind-heading = Send reminders
ballots-remind-what = Sends a new link to every member who has not voted; their earlier link stops working. The log records how many reminders went out, never to whom.
ballots-remind = Send reminders
ballots-done-sent = The ballots are queued; the counts below change as they are delivered.
ballots-done-reminded = The reminders are queued.
next-ballots-page = Ballots and delivery
ballot-queued = waiting to send
ballot-sent = sent
ballot-deferred = retrying
ballot-undeliverable = undeliverable
ballot-printed = printed notice

## After the window: tally, decryption, results, certification (issue 14)
results-title = Results
results-tally-heading = Tally the ballots
results-tally-what = The vote is closed. Tallying adds up the encrypted ballots of each reported group; no single ballot is ever decrypted. Units with fewer ballots than the election's minimum are reported together so no one's vote can be singled out.
results-tally = Tally the ballots
results-groups-heading = Reported groups
results-groups-what = The trustees decrypt one total per group and question; these are the groups.
results-digest = Tally fingerprint:
results-shares-heading = Trustees' decryption
results-shares = { $have } of the { $need } trustees' decryption shares needed are in.
results-share-what = Trustees: download the tally, run ratify trustee decrypt on your own computer, then upload the file it writes.
results-share-download = Download the tally
results-share-label = Your decryption share (SHARE.json)
results-share-submit = Upload the decryption share
results-choose-share = Choose the decryption share file to upload.
results-units = Units:
results-overall = All units
results-turnout = { $ballots } ballots of { $eligible } eligible members ({ $percent })
results-blank = Blank
results-passed = passed
results-not-passed = did not pass
results-certify-heading = Certification
results-certified-by = { $have } of the { $need } certifications needed:
results-certified = The results are certified. Nothing about this election can change any more.
results-certify-what = Certify that these results are the election's true outcome. Enter your password again to confirm it is you.
results-certify-password = Your password
results-certify = Certify the results
results-done-tallied = The ballots are tallied. The trustees can now decrypt.
results-done-share = The decryption share was checked and accepted.
results-done-certified = Your certification is recorded.
lookup-proof-heading = Proof that the record holds your ballot
lookup-proof-what = The public audit log has an entry for your ballot. These hashes link that entry to a checkpoint the server signed; anyone can check them with the election's verifier key, and an auditor's copy of the record must contain the same entry.
lookup-entry = Log entry number
lookup-leaf = Entry hash
lookup-path = Proof hashes
lookup-checkpoint = Signed checkpoint
lookup-proof-json = The same proof as JSON
lookup-heading = Check that your ballot is counted
lookup-what = Enter the tracker from your receipt: the short form (like 1a2b-3c4d) or the full one.
lookup-label = Your tracker
lookup-submit = Look it up
certificate-title = Certificate of results
certificate-what = The elections committee certified these results. The certificate is signed with the election's log key and is the last entry of the public audit log.
certificate-window = Voting window
certificate-extension = Extended
certificate-roll = Members on the roll
certificate-roll-hash = Roll fingerprint
certificate-trustees = Trustees who decrypted
certificate-certified-by = Certified by
certificate-checkpoint = Log checkpoint (entries · root)
certificate-signature = Signature
certificate-json = The certificate as signed JSON
certificate-none = This election has no certificate yet: its results are certified after the vote.
public-certificate-link = The certificate of results
record-title = The election record
record-none = This election's record is published here once its results are certified.
record-heading = The election record
record-download = Download the election record (tar)
record-what = Everything an auditor needs to check the result without trusting this server: the audit log, every ballot (encrypted), the tally, the trustees' decryption shares, the results and the certificate. Who voted appears only as counts per unit. Unpack it with tar -xf and check it with ratify audit verify.

## Refusals from the domain (issue 9): roll lines, spec fields, conflicts,
## accounts. The English is what the CLI and the API show; pages show the
## reader's language. A line number or field path is always an argument.

untranslated = { $text }
refusal-field = { $field }: { $message }

text-empty = it is empty
text-too-long = it is { $found } characters long; at most { $max } are allowed
text-nul = it contains a NUL character (code 0) at character { $at }; remove it
text-line-break = it contains a line break at character { $at }; write it on one line
text-control = it contains the control character { $code } at character { $at }; remove it
text-direction = it contains the invisible direction character { $code } at character { $at }, which can make text display differently from what it says; remove it

id-invalid = `{ $value }` is not a valid { $what }: { $rule }
id-what-slug = election slug
id-what-unit = unit code
id-what-question = question id
id-what-option = option id
id-rule-slug = use 3 to 64 lowercase letters, digits and '-', not starting or ending with '-'
id-rule-slug-new = `new` is reserved; choose another slug
id-rule-unit = use 1 to 16 letters, digits, '-' and '_'
id-rule-question = use 1 to 32 lowercase letters, digits, '-' and '_', not starting or ending with '-'
language-invalid = `{ $value }` is not a supported language: use `en` or `es`
localized-empty = the { $language } text is empty; give the text in both `en` and `es`

member-number-invalid = `{ $value }` is not a valid member number: use 1 to { $max } letters, digits and '-'
member-name-empty = the name is empty
member-name-invalid = `{ $value }`: { $problem }
email-invalid = `{ $value }` is not a valid email address
email-empty = the email address is empty

roll-header-mismatch = the first line must be exactly `{ $header }`, found `{ $found }`
roll-file-empty = the file is empty; the first line must be `{ $header }`
roll-header-unreadable = unreadable: { $detail }
roll-row-unreadable = unreadable CSV: { $detail }
roll-row-fields = expected 5 fields ({ $header }), found { $found }
roll-field-empty = the { $field } is empty
roll-not-utf8 = not valid UTF-8 text; save the file as UTF-8
roll-unit-unknown = `{ $value }` is not a unit of this election ({ $units })
roll-unit-did-you-mean = { $problem }; did you mean `{ $unit }`?
roll-duplicate-number = duplicate member number `{ $number }` (also on line { $first })
roll-duplicate-email = duplicate email `{ $email }` (also on line { $first }; emails are compared ignoring case)
roll-no-members = the roll has no members

window-closes-before-opens = closes_at ({ $closes }) must be after opens_at ({ $opens })
window-too-long = the window from { $opens } to { $closes } is longer than the { $max } days allowed (election.max_window_days in the configuration)
window-not-later = the new closing time ({ $new }) must be later than the current one ({ $current }); the window can only be extended
window-too-far = the new closing time ({ $new }) is more than { $max } days after the closing time the election was created with ({ $created }); extensions may add at most { $max } days in total (election.max_extension_days in the configuration), so the latest possible close is { $latest }
window-no-reason = an extension needs a reason; it is recorded in the audit log
window-bad-reason = the reason: { $problem }
window-already-closed = the election closed at { $closed }; a closed window cannot be extended
window-bad-timestamp = `{ $value }` is not an RFC 3339 timestamp
window-out-of-range = { $value } is outside the years 0001 to 9999 (in UTC)
time-not-a-time = `{ $value }` is not a date and time; write the local time as 2024-12-11T17:00 or a time with an offset such as 2024-12-11T17:00:00-08:00
time-needs-offset = `{ $value }` is not an RFC 3339 time with an offset; write e.g. 2024-12-11T17:00:00-08:00
time-skipped = `{ $value }` does not exist in { $zone } (the clocks go forward over it); choose another time
time-twice = `{ $value }` happens twice in { $zone } (the clocks go back); write it with an explicit offset: "{ $earlier }" or "{ $later }"
time-out-of-range = `{ $value }` is outside the years 0001 to 9999 (in UTC)

state-word-draft = draft
state-word-key-published = key_published
state-word-open = open
state-word-closed = closed
state-word-tallied = tallied
state-word-certified = certified
state-not-next = an election cannot go from `{ $from }` to `{ $to }`: { $hint }
state-only-next = the only next state is `{ $next }`
state-final = `{ $state }` is final
state-unknown = unknown election state `{ $value }`

spec-missing = missing field `{ $field }`
spec-count-range = `{ $value }` must be from 1 to { $max }
spec-count-trustees = `{ $value }` must be from 1 to trustees ({ $max })
spec-count-min = `{ $value }` must be at least 1
spec-count-too-large = `{ $value }` is too large
spec-zone-unknown = `{ $value }` is not a known IANA time zone (e.g. "America/Los_Angeles")
spec-closes-before-opens = `{ $closes }` must be after opens_at (`{ $opens }`)
spec-units-none = the election needs at least one [[units]] entry
spec-unit-duplicate = duplicate unit code `{ $code }` (also { $first })
spec-unit-name-empty = the unit's name is empty
spec-questions-none = the election needs at least one [[questions]] entry
spec-question-duplicate = duplicate question id `{ $id }` (also { $first })
spec-passes-on-unknown = `{ $value }` is not one of this question's options ({ $options })
spec-options-too-few = a question needs at least 2 options, found { $found }
spec-option-duplicate = duplicate option id `{ $id }` (also { $first })
spec-shape = { $detail }

election-exists = an election "{ $slug }" already exists
election-slug-of-deleted = "{ $slug }" was the slug of a deleted draft, whose audit log is kept; choose another slug
election-not-deletable = { $slug } can no longer be deleted: the election is { $state } (only a draft can be deleted)
key-not-published = the election key is not published
spec-frozen = the spec of { $slug } can no longer change: the election is { $state } (a spec may be corrected only while it is a draft)
spec-keep-slug = the corrected spec must keep the slug "{ $slug }"
spec-ceremony-started = the trustees have started the key ceremony for this spec, so it can no longer be corrected
spec-unit-on-roll = the roll has members in unit { $unit }, which the corrected spec does not have; replace the roll first
roll-frozen-conflict = the roll of { $slug } can no longer change: the election is { $state } (rolls may be replaced only while it is a draft)

ceremony-over = the key ceremony of { $slug } is over: its key is published
ceremony-share-not-here = this is a decryption share: submit it with `ratify trustee submit`
trustee-key-registered = this trustee key is already registered
trustees-all-registered = all { $n } trustees are registered
trustee-file-registered = trustee { $trustee } has already registered a { $kind }
publish-window-over = the window of { $slug } is already over; create the election again with a new window
publish-no-roll = import the roll of { $slug } before publishing the key
publish-not-yet = cannot publish the key yet: { $detail }
publish-slots-spread = cannot publish the key: the account { $account } holds trustee slots { $slots }, and one account may hold at most { $max } (election.max_trustee_slots_per_account); each trustee registers their own public key with their own account
void-no-reason = say why the deal is voided (it goes into the audit log)
void-bad-reason = the reason must be one line of at most { $max } characters
void-no-deal = trustee { $trustee } has no deal to void
void-not-upheld = no registered complaint proves trustee { $trustee }'s deal bad; a deal is only voided on an upheld complaint

links-not-yet = ballot links for { $slug } cannot be issued yet: the election is a draft (publish the election key first)
links-no-longer = ballot links for { $slug } can no longer be issued: the election is { $state }
links-employer-reason = give the committee's reason for mailing employer addresses
reissue-no-reason = give a reason for the new link
reissue-email-taken = another member of this election has that address
member-not-eligible = member { $number } is not eligible to vote in { $slug } (S1)
member-has-voted = member { $number } has already voted; a member who has voted cannot get a new ballot link
print-unit-unknown = { $unit } is not a unit of this election
print-no-members = name at least one member number

password-too-short = must be at least { $n } characters
password-too-long = must be at most { $n } characters
account-exists = an account for { $email } already exists
account-disable-self = you cannot disable your own account: ask another admin
search-too-long = at most { $n } characters are allowed
search-member-number-only = auditors search by member number only (letters, digits and '-'); names and emails are not searched

# A form field as a refusal names it on a page; English keeps the field's
# own name, as the API and the command line say it.
field-email = email
field-name = name
field-password = password
field-slug = slug
field-reason = reason
field-closes_at = closes_at
field-unit = unit
field-member = member
field-employer_reason = employer_reason

fraction-invalid = `{ $value }` is not a valid threshold: { $reason }
fraction-zero-denominator = the denominator must not be 0
fraction-zero = it must be more than 0
fraction-above-one = it must be at most 1
fraction-no-slash = write it as "a/b", e.g. "2/3"
fraction-not-whole = write it as "a/b" with whole numbers, e.g. "2/3"
fraction-too-large = the numbers are too large
rule-unknown = `{ $value }` is not a rule: use "majority" or {"{"} at_least = "a/b" {"}"}
rule-stray-key = `{ $value }` is not part of a rule: use "majority" or {"{"} at_least = "a/b" {"}"}
rule-not-fraction = `{ $value }` is not a fraction: write at_least = "2/3"
rule-no-at-least = the rule has no at_least: use "majority" or {"{"} at_least = "a/b" {"}"}
spec-window-too-long = the window from { $opens } to { $closes } is longer than the { $max } days allowed (election.max_window_days in the configuration)
tally-not-over = The vote on { $slug } is not over: it closes { $time }, and nothing is tallied before then.
shares-not-needed = The results of { $slug } are already decrypted; no more decryption shares are needed.
share-refused = Trustee { $trustee }'s decryption share is refused: { $reason }
share-not-text = The file is not text: choose the SHARE.json that ratify trustee decrypt wrote.
results-not-yet = { $slug } has no results yet: { $have } of the { $need } decryption shares needed are in.
results-not-decrypted = The results of { $slug } are not decrypted yet.
certify-final = { $slug } is already certified; nothing about it can change.
certify-no-results = { $slug } has no results to certify yet: the trustees decrypt them after the tally.
certify-twice = { $email } has already certified { $slug }.
export-not-closed = { $slug } is not closed yet: the voted list and its salt are made at the close.
record-not-closed = { $slug } is not closed yet: its election record can be downloaded once the vote is over and closed.

## The committee's Reissue form and the roll's employer-only counts (issue 12)

reissue-title = A new ballot link
reissue-link = New link…
reissue-what = Issues a new ballot link for this member and emails it; the old link stops working at once. The reason is written in the election's public log; a corrected address is not.
reissue-reason = Reason (required; written in the public log)
reissue-reason-required = Give a reason for the new link.
reissue-new-email = Corrected email address
reissue-new-email-hint = (optional: leave empty to send to the address above)
reissue-submit = Issue a new link
reissue-done = A new link was issued and its email is queued; the old link no longer works.
reissue-voted = Member { $number } has already voted, so they cannot get a new ballot link: a cast ballot is final.
reissue-not-eligible = This member is not eligible in this election, so they get no ballot link.
roll-col-employer = Employer address only
roll-employer-note = Members whose only address is at an employer's domain are not mailed a ballot unless the committee decides so on the Ballots and delivery page (the decision is logged); print notices for them instead.
