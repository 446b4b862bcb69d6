//! The long conversations (150–500 messages): a day-long API debugging session, a multi-day billing dispute, a multi-day bulk import.
//!
//! Each is an opening, then the story beats in order, spread over the planned
//! length, with routine rounds in between (another failing request, another
//! batch, "any news?"), then a closing. Round placeholders (`{req}`, `{n}`,
//! `{rows}`, …) are drawn afresh for every round, so routine rounds read
//! differently each time.

use super::actions as act;
use super::files::FileKind;
use super::lang::Lines;
use super::scenarios::{About, Mood, Scenario, Step, TicketSpec, file, named};

use Step::{Action, Agent, AgentFile, Block, Human, Idle, Maybe, Rounds, System, User, UserFile};

/// English-only lines: the long conversations are with English-speaking business accounts.
macro_rules! en {
    ($($line:literal),+ $(,)?) => {
        Lines { en: &[$($line),+], ..Lines::NONE }
    };
}

pub(crate) const API_DEBUGGING: Scenario = Scenario {
    key: "api_debugging",
    title: "Device sync API: intermittent failures ({company})",
    weight: 1,
    mood: Mood::Mixed,
    about: About::Developer,
    topics: &["developer_api", "rate_limits", "debugging"],
    ticket: Some(TicketSpec {
        chance: 100,
        title: "{company}: intermittent 429/504 on /v2/devices/sync",
        priority: "high",
        tags: &["developer", "api", "partner"],
        comments: &[
            "One node on the EU shard had a failing disk; drained.",
            "Customer added backoff and token refresh; error rate now under 0.5%.",
            "Asked platform to review partner rate limits for nightly jobs.",
        ],
    }),
    steps: &[
        Block(&[
            User(en!(
                "Hi, we're integrating the Nimbus Developer API into our property-management platform ({company}) and the device sync keeps failing intermittently. Can you help us dig into it?"
            )),
            Agent(en!(
                "Of course! To start, could you share:\n1. Your **client id** (not the secret)\n2. A failing **request id** (response header `X-Request-Id`)\n3. Roughly when it failed"
            )),
            User(en!(
                "Client id `{client}`. Failing request: `{req}`, about 10 minutes ago."
            )),
            Action(act::LOOKUP_API_CLIENT),
            Action(act::FETCH_API_LOGS),
            Agent(en!(
                "Found it: `{req}` got a **{status}** after {ms} ms from shard `eu-{shard}`. Let's collect a few more so we can see a pattern."
            )),
        ]),
        Rounds {
            story: &[
                &[
                    User(en!(
                        "Here's our retry logic:\n\n```js\nasync function syncPage(page) {\n  for (let attempt = 0; attempt < 3; attempt++) {\n    const res = await fetch(`${API}/v2/devices/sync?page=${page}`, { headers });\n    if (res.ok) return res.json();\n  }\n  throw new Error(`sync failed for page ${page}`);\n}\n```"
                    )),
                    Agent(en!(
                        "Two things stand out:\n\n- it retries **immediately**, with no backoff, which makes `429`s worse under load\n- it ignores the `Retry-After` header\n\nSomething like this helps:\n\n```js\nconst wait = Number(res.headers.get('Retry-After') ?? 2 ** attempt);\nawait new Promise((r) => setTimeout(r, wait * 1000));\n```"
                    )),
                ],
                &[
                    UserFile(
                        en!("Attached the full log from last night's run ({rows} requests)."),
                        named(FileKind::Log, "sync_errors_{date}.txt"),
                    ),
                    Agent(en!(
                        "Thanks, I went through it. **{pct}%** of the failures are `429 Too Many Requests`, all in the first minutes after 02:00 UTC when your nightly job starts. The rest are `504`s from shard `eu-{shard}`."
                    )),
                ],
                &[
                    User(en!("Could you raise our rate limit for the nightly job?")),
                    Action(act::LOOKUP_API_CLIENT),
                    Agent(en!(
                        "Your client is on the **Partner** tier: `600/min` burst, `100/min` sustained. I can't change limits myself, so I've asked the platform team to have a look."
                    )),
                ],
                &[
                    System("{agent} joined the conversation"),
                    Human(en!(
                        "Hi, {agent} from the platform team. I looked at shard `eu-{shard}`: one node had a bad disk and timed out on about {pct}% of writes. We've drained it, so those `504`s should stop. Spreading the nightly job over 15 minutes would take care of most `429`s."
                    )),
                    User(en!("Great, thanks for checking!")),
                    System("{agent} left the conversation"),
                ],
                &[
                    User(en!(
                        "Still seeing `{status}` on `{req}`, retried {k} times."
                    )),
                    Action(act::REPLAY_REQUEST),
                    Agent(en!(
                        "I replayed `{req}` from our side and it went through, so the request itself is fine. It looks like your client reuses an expired access token when it retries. Tokens live **60 minutes**: refresh on a `401` before retrying."
                    )),
                ],
                &[
                    User(en!("ok, deploying the fix now, will report back")),
                    Idle {
                        minutes: (20, 90),
                        note: Some("Customer inactive for {idle} minutes"),
                    },
                    User(en!("Back. Error rate dropped from {pct}% to 0.{k}% 🎉")),
                    Agent(en!(
                        "That's a big improvement! Let's keep an eye on the next run."
                    )),
                ],
                &[
                    User(en!(
                        "Is there a sandbox where we can test without touching real hubs?"
                    )),
                    Agent(en!(
                        "Yes: `https://sandbox.api.nimbushome.example` with a test key (`nh_test_…`). It simulates hubs, including offline ones:\n\n```bash\ncurl -H \"Authorization: Bearer $NIMBUS_TEST_KEY\" \\\n  \"https://sandbox.api.nimbushome.example/v2/devices/sync?page=1\"\n```"
                    )),
                ],
                &[
                    User(en!("Now we get `409 Conflict` on some devices 🤔")),
                    Action(act::FETCH_API_LOGS),
                    Agent(en!(
                        "A `409` means the device changed while you were syncing it (its `etag` moved). Fetch the device again and retry with the new `If-Match` header; no need to back off for that one."
                    )),
                ],
                &[
                    User(en!(
                        "One more: pagination sometimes returns the same device twice?"
                    )),
                    Agent(en!(
                        "That happens with `offset` paging while devices are being added. Use the cursor instead: pass `next_cursor` from each response as `cursor` in the next request."
                    )),
                ],
                &[
                    User(en!(
                        "Is there a status page we can subscribe to for API incidents?",
                        "How do we hear about API incidents before our users do?"
                    )),
                    Agent(en!(
                        "Yes: [status.nimbushome.example](https://status.nimbushome.example) has a **Developer API** component; subscribe by e-mail or webhook. Incidents on shard `eu-{shard}` show up there too."
                    )),
                ],
                &[
                    User(en!(
                        "Our p95 latency on sync is {ms} ms. Is that normal?",
                        "Sync calls take about {ms} ms at p95, expected?"
                    )),
                    Agent(en!(
                        "For pages of {rows} devices that's on the high side; below 200 devices per page p95 is usually under 1,500 ms. Smaller pages should bring it down."
                    )),
                ],
            ],
            routine: &[
                &[
                    User(en!(
                        "Another one just now: `{req}` → `{status}` after {ms} ms.",
                        "Got `{status}` again on `{req}`.",
                        "`{req}` just failed with `{status}`."
                    )),
                    Action(act::FETCH_API_LOGS),
                    Agent(en!(
                        "Confirmed in our logs:\n\n```\n{log_time} POST /v2/devices/sync req={req} status={status} latency={ms}ms shard=eu-{shard}\n```\n\nSame pattern as before.",
                        "Found it: `{req}` hit shard `eu-{shard}` and got `{status}` after {ms} ms. Consistent with the rest; retrying with backoff will absorb it."
                    )),
                ],
                &[
                    User(en!(
                        "Another batch of failures, {k} in the last hour. Latest: `{req}`.",
                        "{k} more errors since lunch, e.g. `{req}`."
                    )),
                    Action(act::FETCH_API_LOGS),
                    Agent(en!(
                        "All {k} are `{status}`s from `eu-{shard}`, in the same minute. That's a burst from your side: spreading the calls out will help.",
                        "I see them. `{req}` is a `{status}` after {ms} ms; the others look the same."
                    )),
                ],
                &[
                    UserFile(
                        en!(
                            "Here's our Grafana panel for the last hour.",
                            "Attached a screenshot of our error dashboard."
                        ),
                        file(FileKind::Screenshot),
                    ),
                    Agent(en!(
                        "Thanks. The spikes line up with your batch size of {rows}. Try pages of **200 devices**: the sync endpoint is fastest below that.",
                        "Thanks! The error rate peaks at {pct}% right when the batch starts, then settles. That's the burst we talked about."
                    )),
                ],
                &[
                    User(en!(
                        "What does error code `E{code}` mean?",
                        "We also see `E{code}` in some responses, what's that?"
                    )),
                    Agent(en!(
                        "`E{code}` means *hub offline during sync*: the hub didn't answer within 10 s. It's safe to retry that device later. See [error codes](https://developers.nimbushome.example/errors#E{code})."
                    )),
                ],
                &[
                    User(en!(
                        "Quick check: is `{req}` on your side or ours?",
                        "Can you look at `{req}`? Not sure whose fault that one is."
                    )),
                    Action(act::REPLAY_REQUEST),
                    Agent(en!(
                        "That one is on our side: shard `eu-{shard}` answered `{status}` after {ms} ms. A replay just now worked, so it's safe to retry.",
                        "Replaying `{req}` from here works, so the payload is fine. It was a transient `{status}` on `eu-{shard}`."
                    )),
                ],
            ],
        },
        Block(&[
            User(en!(
                "I think we're finally stable. Thanks for sticking with us all day!"
            )),
            Agent(en!(
                "You're welcome! Summary of what changed:\n\n1. Exponential backoff honouring `Retry-After`\n2. Token refresh on `401`\n3. Cursor pagination\n4. Pages of 200 devices\n\nThe platform team also drained the faulty node on `eu-{shard}`. Good luck with the launch!"
            )),
        ]),
    ],
};

pub(crate) const SEAT_DISPUTE: Scenario = Scenario {
    key: "billing_dispute",
    title: "Seat billing dispute ({company})",
    weight: 1,
    mood: Mood::Mixed,
    about: About::Billing,
    topics: &["billing", "seats", "credit_note"],
    ticket: Some(TicketSpec {
        chance: 100,
        title: "{company}: billed for deactivated seats",
        priority: "high",
        tags: &["billing", "seats", "b2b"],
        comments: &[
            "Three invoices affected; credit approved by finance.",
            "Credit notes issued, customer's finance confirmed.",
            "Product feedback filed: deactivated users keep their licence.",
        ],
    }),
    steps: &[
        Block(&[
            User(en!(
                "Hello, I'm the account admin for {company}. Our last three invoices are wrong: we're billed for {seats} seats, but we only have 12 users."
            )),
            Agent(en!(
                "I'm sorry about that. Could you give me the numbers of the invoices you think are wrong?"
            )),
            User(en!("{invoice}, and the two before it.")),
            Action(act::FETCH_INVOICE),
            Action(act::LIST_SEATS),
            Agent(en!(
                "Thanks. Invoice **{invoice}** bills **{seats} seats** on the Team plan. Our seat log shows 12 active users plus **{extra} deactivated users** who still hold a licence — that's where the difference comes from."
            )),
        ]),
        Rounds {
            story: &[
                &[
                    User(en!(
                        "Deactivated users shouldn't cost anything. Nobody told us that."
                    )),
                    Agent(en!(
                        "I understand. Deactivating a user keeps their data; only **removing** them frees the seat. That isn't obvious, and I've passed your feedback on."
                    )),
                ],
                &[
                    UserFile(
                        en!("Here's our user export from the admin console."),
                        named(FileKind::Spreadsheet, "users_export_{date}.csv"),
                    ),
                    Action(act::LIST_SEATS),
                    Agent(en!(
                        "Thanks. Your export lists 12 active users; our log shows {seats} licensed seats, so **{extra} seats** were billed for people who left."
                    )),
                ],
                &[
                    User(en!("We'd like those seats credited for all three months.")),
                    Agent(en!(
                        "That needs someone from billing. I'm bringing in a colleague now."
                    )),
                    System("Conversation escalated to a human agent (queue: billing)"),
                    Idle {
                        minutes: (2, 12),
                        note: None,
                    },
                    System("{agent} joined the conversation"),
                    Human(en!(
                        "Hi, {agent} from billing. I've gone through the seat history for the last three months. I can credit the unused seats back to your account."
                    )),
                    User(en!("Thank you, that's all we're asking for.")),
                ],
                &[
                    Action(act::ISSUE_CREDIT),
                    Human(en!(
                        "I've created credit note **{credit}** for **{credit_amount}** against invoice **{invoice}**."
                    )),
                ],
                &[
                    User(en!("Does the credit include VAT?")),
                    Human(en!(
                        "Yes: a credit note mirrors the invoice it corrects, VAT included, so your books stay balanced."
                    )),
                ],
                &[
                    AgentFile(
                        en!("Here's the corrected invoice for your records."),
                        named(FileKind::Pdf, "invoice_{invoice}_corrected.pdf"),
                    ),
                    User(en!("Got it, forwarding to finance.")),
                ],
                &[
                    User(en!(
                        "Our finance team says credit note {credit} doesn't match: it should be {credit_amount} per month, not in total."
                    )),
                    Human(en!(
                        "You're right, I only covered one month. I'm issuing the remaining two now."
                    )),
                    Action(act::ISSUE_CREDIT),
                    Action(act::ISSUE_CREDIT),
                ],
                &[
                    UserFile(
                        en!("Attached our signed order form: it says 12 seats."),
                        named(FileKind::WordDocument, "order_form_signed.docx"),
                    ),
                    Human(en!(
                        "Thanks. The order form sets a minimum of 12 seats; anything above is billed as used. From now on only active users will count."
                    )),
                ],
                &[
                    User(en!(
                        "Can you make sure removed users don't get billed going forward?"
                    )),
                    Agent(en!(
                        "Yes: I've switched your subscription to **auto-release seats** of users deactivated for more than 30 days. You can change this under **Admin → Billing → Seats**."
                    )),
                ],
                &[
                    User(en!("Please send invoices to finance@{company_domain} too.")),
                    Agent(en!(
                        "Done: invoices now go to you and **finance@{company_domain}**. You can edit recipients under **Admin → Billing → Contacts**."
                    )),
                ],
                &[
                    User(en!("Would annual billing be cheaper for us?")),
                    Agent(en!(
                        "Annual billing saves **15%** and gives you one invoice a year. I can switch it at the renewal on {renewal}; just confirm here when finance agrees."
                    )),
                    User(en!("Let me check with finance first.")),
                ],
                &[
                    User(en!("Who has admin rights on our account right now?")),
                    Action(act::LOOKUP_CUSTOMER),
                    Agent(en!(
                        "Three admins: you and two colleagues added in March. You can review them under **Admin → Members**."
                    )),
                ],
                &[
                    User(en!(
                        "We also need the invoices addressed to our new legal entity."
                    )),
                    Agent(en!(
                        "No problem. Send me the new company name, address and VAT number, and invoices from the next period will use them."
                    )),
                ],
                &[
                    User(en!("Could we get a monthly seat report by e-mail?")),
                    Agent(en!(
                        "Yes: under **Admin → Reports**, schedule the *Seat usage* report monthly. It lists active, deactivated and removed users."
                    )),
                ],
                &[
                    User(en!("Can I download all our invoices at once?")),
                    Agent(en!(
                        "Yes: **Admin → Billing → Invoices → Download all** gives you a ZIP with every PDF, plus a CSV summary."
                    )),
                ],
                &[
                    User(en!(
                        "Will everything be fixed before the renewal on {renewal}?"
                    )),
                    Human(en!(
                        "Yes. The credits are applied before the renewal runs, so the next invoice will show the corrected amount."
                    )),
                ],
            ],
            routine: &[
                &[
                    Maybe(
                        50,
                        &[Idle {
                            minutes: (30, 150),
                            note: Some(
                                "Conversation reopened by the customer after {idle} minutes",
                            ),
                        }],
                    ),
                    User(en!(
                        "Hi again, any news?",
                        "Just checking in — anything new?",
                        "Hello, following up on this."
                    )),
                    Agent(en!(
                        "Thanks for following up. The billing team is on it; I'll update this thread as soon as there's news.",
                        "Nothing new since my last message, but it's in progress. I'll post here as soon as it moves."
                    )),
                ],
                &[
                    User(en!(
                        "Can you check {old_invoice} as well? Same problem, I think.",
                        "Our accountant found {old_invoice}, is that one affected too?"
                    )),
                    Action(act::FETCH_OLD_INVOICE),
                    Agent(en!(
                        "Checked: **{old_invoice}** also bills {seats} seats, so yes, it's affected. I've added it to the list for the credit.",
                        "**{old_invoice}** is from before the deactivations, so it's correct. Nothing to credit there."
                    )),
                ],
                &[
                    User(en!(
                        "Could you resend {old_invoice}? Our accountant can't find it.",
                        "Can I get {old_invoice} as a PDF again?"
                    )),
                    AgentFile(
                        en!("Of course, here it is."),
                        named(FileKind::Pdf, "invoice_{old_invoice}.pdf"),
                    ),
                ],
                &[
                    User(en!(
                        "{colleague} left last week, please free the seat.",
                        "Another one: {colleague} has left us. Can you release that seat?"
                    )),
                    Action(act::REMOVE_SEAT),
                    Agent(en!(
                        "Done: {colleague} is removed and the seat released. Their data is kept for 30 days in case you need it."
                    )),
                ],
            ],
        },
        Block(&[
            User(en!(
                "Finance confirmed everything matches now. Thanks for your patience over these days."
            )),
            Human(en!(
                "Thank you for bearing with us, and sorry again for the confusion. I'm closing this conversation; just reply here if anything comes up."
            )),
            System("Conversation closed by {agent}"),
        ]),
    ],
};

pub(crate) const BULK_IMPORT: Scenario = Scenario {
    key: "bulk_import",
    title: "Bulk device import ({company})",
    weight: 1,
    mood: Mood::Pleased,
    about: About::App,
    topics: &["onboarding", "bulk_import"],
    ticket: Some(TicketSpec {
        chance: 100,
        title: "{company}: onboarding 40,000 devices",
        priority: "medium",
        tags: &["onboarding", "b2b", "import"],
        comments: &[
            "Serials on the label carry a check digit; importer should strip it. Filed IMP-88.",
            "Progress bar stuck at 99% reproduced; waiting on hub check-ins.",
            "All batches imported. Closing.",
        ],
    }),
    steps: &[
        Block(&[
            User(en!(
                "Hi! We're onboarding {company}: about 40,000 devices across 600 buildings. We'd like to import them in CSV batches. What format do you need?"
            )),
            Agent(en!(
                "Happy to help! Each CSV needs these columns:\n\n```\nserial,mac,model,building_id,room\nNH2-7Q4K8M1Z,F0:9E:4A:12:10:8B,nimbus-hub,B-017,Lobby\n```\n\n- `serial`: 12 characters\n- `mac`: colon-separated\n- up to **500 rows** per file\n\nSend the first batch whenever you're ready."
            )),
        ]),
        Rounds {
            story: &[
                &[
                    UserFile(
                        en!(
                            "Photo of the label on one of the hubs: the serial has 13 characters, not 12."
                        ),
                        file(FileKind::Photo),
                    ),
                    Agent(en!(
                        "That explains the rejected rows! The last character is a check digit. Drop it and the rows will import."
                    )),
                ],
                &[
                    UserFile(
                        en!("Voice note from our technician on site 🎤"),
                        file(FileKind::VoiceNote),
                    ),
                    Agent(en!(
                        "I can't play audio, but I've attached it to the ticket so the team can listen. Could you sum up the question in a line?"
                    )),
                    User(en!(
                        "He's asking whether hubs in the basement can pair over Ethernet only."
                    )),
                    Agent(en!(
                        "Yes: plug in Ethernet **before** powering on, and the hub skips Wi-Fi setup."
                    )),
                ],
                &[
                    UserFile(
                        en!("Screen recording of the import wizard freezing at 99%."),
                        file(FileKind::ScreenRecording),
                    ),
                    Action(act::IMPORT_DEVICES),
                    Agent(en!(
                        "The wizard waits for every hub to check in, but the import itself finished: batch {n} shows **{ok} devices**. I've asked the team to fix the progress bar."
                    )),
                ],
                &[
                    UserFile(
                        en!("Updated site list with the building ids."),
                        named(FileKind::WordDocument, "site_list_v{k}.docx"),
                    ),
                    Agent(en!(
                        "Got it. All 600 buildings are set up now; their devices can be imported."
                    )),
                ],
                &[
                    UserFile(
                        en!("Video from the site: the hub LED blinks orange after the import."),
                        file(FileKind::PhoneVideo),
                    ),
                    Agent(en!(
                        "Blinking orange means *no internet*: the import worked, but the hub can't reach our cloud. Check that port **443** is open to `*.nimbushome.example`."
                    )),
                ],
                &[
                    UserFile(
                        en!("Recording of our call with the building manager about access times."),
                        file(FileKind::AudioRecording),
                    ),
                    Agent(en!(
                        "Thanks, I've added it to the ticket for the on-site team."
                    )),
                ],
                &[
                    User(en!(
                        "Can we import the rooms too, or only buildings?",
                        "Do room names need to exist before the import?"
                    )),
                    Agent(en!(
                        "Rooms are created on the fly: any new name in the `room` column becomes a room in that building."
                    )),
                ],
                &[
                    UserFile(
                        en!(
                            "Photo of the wiring cabinet in building B-0{k}{shard}, in case it matters.",
                            "Here's how the hubs are mounted on site."
                        ),
                        file(FileKind::Photo),
                    ),
                    Agent(en!(
                        "Looks good. Keep at least 30 cm between hubs and the metal cabinet door, or the Zigbee range drops."
                    )),
                ],
            ],
            routine: &[
                &[
                    UserFile(
                        en!(
                            "Uploading batch {n}: `devices_batch_{n}.csv` ({rows} rows).",
                            "Next one: batch {n}, {rows} rows."
                        ),
                        named(FileKind::Spreadsheet, "devices_batch_{n}.csv"),
                    ),
                    Action(act::IMPORT_DEVICES),
                    Agent(en!(
                        "Batch {n}: **{ok} imported**, **{bad} rejected**.",
                        "Done: batch {n} has **{ok} devices** in, {bad} rows rejected."
                    )),
                ],
                &[
                    Idle {
                        minutes: (30, 240),
                        note: Some("Customer inactive for {idle} minutes"),
                    },
                    UserFile(
                        en!("Re-upload of batch {prev} with the serials fixed."),
                        named(FileKind::Spreadsheet, "devices_batch_{prev}_fixed.csv"),
                    ),
                    Action(act::IMPORT_DEVICES),
                    Agent(en!(
                        "Much better: **{ok} imported**, **{bad} rejected** this time."
                    )),
                ],
                &[
                    User(en!(
                        "Which rows of batch {prev} failed?",
                        "Can we get the list of rejected rows?"
                    )),
                    AgentFile(
                        en!("Here's the rejection report for batch {prev}."),
                        named(FileKind::Log, "rejected_rows_batch_{prev}.txt"),
                    ),
                    User(en!(
                        "Thanks, we'll fix those rows.",
                        "Got it, passing it to the installers."
                    )),
                ],
                &[
                    UserFile(
                        en!(
                            "This is what the installer app shows on site.",
                            "Screenshot from the installer app in building B-0{k}{shard}."
                        ),
                        file(FileKind::Screenshot),
                    ),
                    Agent(en!(
                        "That screen means the hub isn't claimed yet. Once its batch is imported, it shows *Ready* within a few minutes."
                    )),
                ],
                &[
                    User(en!(
                        "How many devices are imported so far?",
                        "What's our total so far?"
                    )),
                    Agent(en!("So far **{total} devices** in {n} batches.")),
                ],
                &[
                    UserFile(
                        en!(
                            "Delivery note for the next shipment of hubs.",
                            "Packing list for the hubs arriving tomorrow, for the project file."
                        ),
                        named(FileKind::Pdf, "delivery_note_{n}.pdf"),
                    ),
                    Agent(en!("Thanks, attached to the project.")),
                ],
            ],
        },
        Block(&[
            User(en!(
                "That's the last batch! Thanks for all the help this week 🙌"
            )),
            Agent(en!(
                "Congratulations on finishing the rollout! 🎉 All batches are imported. If the installers run into anything on site, just message us here."
            )),
        ]),
    ],
};

/// The long conversations, one of which a plan picks for its ~1% of marathons.
pub(crate) const MARATHONS: &[&Scenario] = &[&API_DEBUGGING, &SEAT_DISPUTE, &BULK_IMPORT];
