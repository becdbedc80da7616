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

public-state = State
public-opens = Voting opens
public-closes = Voting closes
public-times-in = Times are in { $zone }.
public-how-to-vote = Members vote through the link in their email.
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
