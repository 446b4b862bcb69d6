//! The everyday support scenarios, as scripts: who says what, which tools run, which files are sent.

use super::actions::{self as act, ActionSpec};
use super::dialogue::{
    ANYTHING_ELSE, ASK_ORDER, BYE, GIVE_EMAIL, GIVE_ORDER, GREETING, HUMAN_INTRO, NOTHING_ELSE,
    ORDER_CHECK, ORDER_SORRY, ORDER_TYPO, THANKS, VERIFY,
};
use super::files::FileKind;
use super::lang::{Lang, Lines};

/// A file sent with a message: a kind, and a name template when the script needs a particular one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attach {
    pub(crate) kind: FileKind,
    pub(crate) name: Option<&'static str>,
}

/// Any file of this kind.
#[must_use]
pub(crate) const fn file(kind: FileKind) -> Attach {
    Attach { kind, name: None }
}

/// A file of this kind with this name (a template).
#[must_use]
pub(crate) const fn named(kind: FileKind, name: &'static str) -> Attach {
    Attach {
        kind,
        name: Some(name),
    }
}

/// One step of a script.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Step {
    /// The customer writes.
    User(Lines),
    /// The customer writes and sends a file.
    UserFile(Lines, Attach),
    /// The AI agent replies.
    Agent(Lines),
    /// The AI agent replies with a file.
    AgentFile(Lines, Attach),
    /// A human agent writes (after a handoff).
    Human(Lines),
    /// A platform event. Logged in English whatever the customer's language,
    /// as the platform does.
    System(&'static str),
    /// The agent calls a tool; a failure is apologised for and retried once.
    Action(ActionSpec),
    /// The call the current incident breaks: it fails with the incident's error or times out.
    IncidentAction,
    /// These steps, `percent` of the time.
    Maybe(u8, &'static [Step]),
    /// The first steps `percent` of the time, else the second.
    Either(u8, &'static [Step], &'static [Step]),
    /// These steps (a shared block).
    Block(&'static [Step]),
    /// Zero to four side questions from [`super::dialogue::FOLLOW_UPS`].
    FollowUps,
    /// The customer goes away for a while; `note` is logged as a system event.
    Idle {
        minutes: (i64, i64),
        note: Option<&'static str>,
    },
    /// Long conversations: the story rounds in order, spread over the planned
    /// length, with routine rounds (dealt at random) in between.
    Rounds {
        story: &'static [&'static [Step]],
        routine: &'static [&'static [Step]],
    },
}

/// How the customer tends to feel by the end, which drives feedback and emoji.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mood {
    Pleased,
    Mixed,
    Upset,
}

/// What the conversation is about, which decides the metadata it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum About {
    Order,
    Billing,
    Account,
    App,
    Developer,
    Incident,
}

/// A ticket a scenario may file.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TicketSpec {
    /// Percent of conversations that get one.
    pub(crate) chance: u8,
    pub(crate) title: &'static str,
    pub(crate) priority: &'static str,
    pub(crate) tags: &'static [&'static str],
    /// Internal comments, in thread order; a ticket gets the first few.
    pub(crate) comments: &'static [&'static str],
}

/// A kind of conversation.
#[derive(Debug)]
pub(crate) struct Scenario {
    /// Stable key, also the first topic in the metadata.
    pub(crate) key: &'static str,
    /// The conversation's name (a template).
    pub(crate) title: &'static str,
    /// Relative frequency among everyday conversations.
    pub(crate) weight: u32,
    pub(crate) mood: Mood,
    pub(crate) about: About,
    pub(crate) topics: &'static [&'static str],
    pub(crate) ticket: Option<TicketSpec>,
    pub(crate) steps: &'static [Step],
}

impl Scenario {
    /// Whether every line of the script exists in `lang`.
    #[must_use]
    pub(crate) fn speaks(&self, lang: Lang) -> bool {
        fn all(steps: &[Step], lang: Lang) -> bool {
            steps.iter().all(|step| match step {
                Step::User(l)
                | Step::UserFile(l, _)
                | Step::Agent(l)
                | Step::AgentFile(l, _)
                | Step::Human(l) => !l.get(lang).is_empty(),
                Step::Maybe(_, inner) | Step::Block(inner) => all(inner, lang),
                Step::Either(_, a, b) => all(a, lang) && all(b, lang),
                Step::Rounds { story, routine } => {
                    story.iter().chain(routine.iter()).all(|r| all(r, lang))
                }
                Step::System(_)
                | Step::Action(_)
                | Step::IncidentAction
                | Step::FollowUps
                | Step::Idle { .. } => true,
            })
        }
        all(self.steps, lang)
    }
}

use Step::{
    Action, Agent, Block, Either, FollowUps, Human, Idle, IncidentAction, Maybe, System, User,
    UserFile,
};

/// The system events and introduction of a handoff to a human.
pub(crate) const HANDOFF: &[Step] = &[
    System("Conversation escalated to a human agent (queue: tier2)"),
    Idle {
        minutes: (1, 6),
        note: None,
    },
    System("{agent} joined the conversation"),
    Human(HUMAN_INTRO),
];

const OPENING: Step = Maybe(45, &[Agent(GREETING)]);

/// Asking for the order number; some customers mistype it first.
const ORDER_NUMBER: Step = Block(&[
    Agent(ASK_ORDER),
    Either(
        20,
        &[User(ORDER_TYPO), Agent(ORDER_CHECK), User(ORDER_SORRY)],
        &[User(GIVE_ORDER)],
    ),
]);

/// Confirming the account before changing anything.
const VERIFY_EMAIL: Step = Block(&[
    Agent(VERIFY),
    User(GIVE_EMAIL),
    Action(act::LOOKUP_CUSTOMER),
]);

/// Thanks, "anything else?", goodbye.
const CLOSING: Step = Block(&[
    User(THANKS),
    Maybe(55, &[Agent(ANYTHING_ELSE), User(NOTHING_ELSE)]),
    Agent(BYE),
]);

pub(crate) const REFUND: Scenario = Scenario {
    key: "refund",
    title: "Refund for damaged {item}",
    weight: 14,
    mood: Mood::Pleased,
    about: About::Order,
    topics: &["refund", "damaged_item"],
    ticket: Some(TicketSpec {
        chance: 8,
        title: "Refund for damaged {item} (#{order})",
        priority: "medium",
        tags: &["refund", "damaged"],
        comments: &[
            "Photo checked: transit damage. Claim filed with {carrier}.",
            "Refund confirmed in Stripe.",
        ],
    }),
    steps: &[
        OPENING,
        User(Lines {
            en: &[
                "Hi, my {item} arrived damaged. The box was crushed and it won't turn on. I'd like a refund please.",
                "I want to return the {item} I ordered last week, it stopped working after two days 😕",
                "Hello, I received a broken {item}. Can I get my money back?",
            ],
            es: &[
                "Hola, mi {item} llegó dañado. La caja estaba aplastada y no enciende. Quiero un reembolso, por favor.",
                "Quiero devolver el {item} que pedí la semana pasada, dejó de funcionar a los dos días 😕",
            ],
            de: &[
                "Hallo, mein {item} ist beschädigt angekommen. Der Karton war eingedrückt und das Gerät geht nicht an. Ich hätte gerne mein Geld zurück.",
                "Ich möchte den {item} zurückgeben, den ich letzte Woche bestellt habe – er funktioniert nach zwei Tagen nicht mehr 😕",
            ],
            fr: &[
                "Bonjour, mon {item} est arrivé endommagé : le carton était écrasé et il ne s'allume pas. Je voudrais être remboursé.",
                "Je souhaite retourner le {item} commandé la semaine dernière, il ne marche plus depuis deux jours 😕",
            ],
            ja: &[
                "こんにちは。注文した{item}が破損した状態で届きました。箱がつぶれていて、電源も入りません。返金をお願いします。",
                "先週注文した{item}が2日で動かなくなりました😕 返品できますか？",
            ],
            ar: &[
                "مرحباً، وصلني {item} تالفاً. كانت العلبة مهشمة والجهاز لا يعمل. أريد استرداد المبلغ من فضلك.",
                "أريد إرجاع {item} الذي طلبته الأسبوع الماضي، توقف عن العمل بعد يومين 😕",
            ],
        }),
        ORDER_NUMBER,
        Action(act::LOOKUP_ORDER),
        Agent(Lines {
            en: &[
                "Thanks! I found order **#{order}**: {item}, {amount}. Could you send me a photo of the damaged item and the box? Then I can approve the refund right away.",
                "Got it — order **#{order}** ({item}, {amount}). To process the refund I just need a quick photo of the damage.",
            ],
            es: &[
                "¡Gracias! He encontrado el pedido **#{order}**: {item}, {amount}. ¿Puedes enviarme una foto del producto dañado y de la caja? Así apruebo el reembolso enseguida.",
            ],
            de: &[
                "Danke! Ich habe die Bestellung **#{order}** gefunden: {item}, {amount}. Können Sie mir ein Foto vom beschädigten Artikel und vom Karton schicken? Dann gebe ich die Erstattung sofort frei.",
            ],
            fr: &[
                "Merci ! J'ai trouvé la commande **#{order}** : {item}, {amount}. Pouvez-vous m'envoyer une photo de l'article endommagé et du carton ? Je pourrai alors valider le remboursement tout de suite.",
            ],
            ja: &[
                "ありがとうございます。ご注文 **#{order}**（{item}、{amount}）を確認しました。破損した商品と箱の写真をお送りいただけますか？確認でき次第、返金を承認いたします。",
            ],
            ar: &[
                "شكراً! وجدت الطلب **#{order}**: {item}، {amount}. هل يمكنك إرسال صورة للمنتج التالف والعلبة؟ بعدها يمكنني الموافقة على الاسترداد فوراً.",
            ],
        }),
        UserFile(
            Lines {
                en: &["Here you go", "Sure, here's a photo", "Photo attached 📷"],
                es: &["Aquí está la foto 📷"],
                de: &["Hier ist das Foto 📷"],
                fr: &["Voici la photo 📷"],
                ja: &["写真を送ります📷"],
                ar: &["إليك الصورة 📷"],
            },
            file(FileKind::Photo),
        ),
        Maybe(35, &[VERIFY_EMAIL]),
        Action(act::ISSUE_REFUND),
        Agent(Lines {
            en: &[
                "Thank you, the damage is clearly visible. I've issued a full refund:\n\n- **Amount:** {amount}\n- **Order:** #{order}\n- **Back on your card:** within 5–10 business days\n\nYou don't need to send the item back. A confirmation is on its way to {email}.",
            ],
            es: &[
                "Gracias, se ve claramente el daño. He emitido un reembolso completo:\n\n- **Importe:** {amount}\n- **Pedido:** #{order}\n- **Plazo:** de 5 a 10 días hábiles\n\nNo hace falta que devuelvas el artículo. Recibirás una confirmación en {email}.",
            ],
            de: &[
                "Danke, der Schaden ist deutlich zu sehen. Ich habe eine vollständige Erstattung veranlasst:\n\n- **Betrag:** {amount}\n- **Bestellung:** #{order}\n- **Gutschrift:** innerhalb von 5–10 Werktagen\n\nSie müssen den Artikel nicht zurückschicken. Eine Bestätigung geht an {email}.",
            ],
            fr: &[
                "Merci, les dégâts sont bien visibles. J'ai lancé un remboursement intégral :\n\n- **Montant :** {amount}\n- **Commande :** #{order}\n- **Délai :** 5 à 10 jours ouvrés\n\nInutile de renvoyer l'article. Une confirmation vous sera envoyée à {email}.",
            ],
            ja: &[
                "写真をありがとうございます。破損を確認しました。全額返金の手続きを行いました。\n\n- **金額:** {amount}\n- **ご注文:** #{order}\n- **返金時期:** 5〜10営業日以内\n\n商品の返送は不要です。確認メールを {email} にお送りします。",
            ],
            ar: &[
                "شكراً، التلف واضح في الصورة. لقد أصدرت استرداداً كاملاً:\n\n- **المبلغ:** {amount}\n- **الطلب:** #{order}\n- **المدة:** من 5 إلى 10 أيام عمل\n\nلا حاجة لإعادة المنتج. ستصلك رسالة تأكيد على {email}.",
            ],
        }),
        Maybe(
            40,
            &[
                User(Lines {
                    en: &[
                        "Could I order a replacement instead of just the refund?",
                        "Can I get a new one sent instead?",
                    ],
                    es: &["¿Podría pedir uno nuevo en lugar del reembolso?"],
                    de: &["Könnte ich stattdessen auch ein Ersatzgerät bekommen?"],
                    fr: &["Est-ce que je pourrais plutôt recevoir un remplacement ?"],
                    ja: &["返金ではなく、交換品を送ってもらうことはできますか？"],
                    ar: &["هل يمكنني طلب بديل بدلاً من الاسترداد؟"],
                }),
                Agent(Lines {
                    en: &[
                        "Of course. Since the refund is already on its way, the simplest is:\n\n1. Place a new order for the **{item}** as usual\n2. Use code `REPLACE-{order}` at checkout for **free express shipping**\n\nIt usually ships the same day if you order before 15:00.",
                    ],
                    es: &[
                        "Claro. Como el reembolso ya está en marcha, lo más sencillo es:\n\n1. Haz un pedido nuevo del **{item}**\n2. Usa el código `REPLACE-{order}` al pagar para tener **envío exprés gratis**\n\nSi pides antes de las 15:00, suele salir el mismo día.",
                    ],
                    de: &[
                        "Natürlich. Da die Erstattung schon läuft, geht es am einfachsten so:\n\n1. Bestellen Sie den **{item}** ganz normal neu\n2. Mit dem Code `REPLACE-{order}` ist der **Expressversand kostenlos**\n\nBei Bestellung vor 15 Uhr geht das Paket meist noch am selben Tag raus.",
                    ],
                    fr: &[
                        "Bien sûr. Le remboursement étant déjà lancé, le plus simple est de :\n\n1. Recommander le **{item}** normalement\n2. Saisir le code `REPLACE-{order}` pour la **livraison express offerte**\n\nAvant 15 h, l'envoi part généralement le jour même.",
                    ],
                    ja: &[
                        "もちろんです。返金手続きはすでに進んでおりますので、以下の方法が簡単です。\n\n1. **{item}** を通常どおりご注文ください\n2. お支払い時にコード `REPLACE-{order}` を入力すると**お急ぎ便が無料**になります\n\n15時までのご注文は通常当日発送です。",
                    ],
                    ar: &[
                        "بالتأكيد. بما أن الاسترداد قيد التنفيذ، فالأسهل هو:\n\n1. اطلب **{item}** من جديد كالمعتاد\n2. استخدم الرمز `REPLACE-{order}` عند الدفع لتحصل على **شحن سريع مجاني**\n\nإذا طلبت قبل الساعة 15:00 يُشحن عادةً في اليوم نفسه.",
                    ],
                }),
            ],
        ),
        FollowUps,
        CLOSING,
    ],
};

pub(crate) const PASSWORD_RESET: Scenario = Scenario {
    key: "password_reset",
    title: "Password reset",
    weight: 12,
    mood: Mood::Pleased,
    about: About::Account,
    topics: &["login", "password_reset"],
    ticket: Some(TicketSpec {
        chance: 3,
        title: "Reset e-mails not arriving for {customer}",
        priority: "low",
        tags: &["auth", "email-delivery"],
        comments: &[
            "SendGrid shows the messages delivered; most likely spam-filtered on the customer's side.",
        ],
    }),
    steps: &[
        OPENING,
        User(Lines {
            en: &[
                "I can't log in — it says my password is wrong, but I'm sure it's right",
                "Forgot my password and the reset e-mail never arrives 😩",
                "How do I reset my password? I'm locked out of the app",
            ],
            es: &[
                "No puedo iniciar sesión, dice que mi contraseña es incorrecta pero sé que es la buena",
                "Olvidé mi contraseña y el correo para restablecerla nunca llega 😩",
            ],
            de: &[
                "Ich kann mich nicht einloggen, angeblich ist mein Passwort falsch 😩",
                "Passwort vergessen und die Mail zum Zurücksetzen kommt nicht an",
            ],
            fr: &[
                "Je n'arrive pas à me connecter, on me dit que mon mot de passe est faux 😩",
                "J'ai oublié mon mot de passe et l'e-mail de réinitialisation n'arrive jamais",
            ],
            ja: &[
                "ログインできません。パスワードが違うと表示されますが、合っているはずです😩",
                "パスワードを忘れてしまい、再設定メールも届きません",
            ],
            ar: &[
                "لا أستطيع تسجيل الدخول، تظهر رسالة أن كلمة المرور خاطئة مع أنني متأكد منها 😩",
                "نسيت كلمة المرور ورسالة إعادة التعيين لا تصل أبداً",
            ],
        }),
        Agent(Lines {
            en: &["No problem, I can help with that. What's the e-mail address on your account?"],
            es: &["Sin problema, te ayudo. ¿Cuál es el correo electrónico de tu cuenta?"],
            de: &[
                "Kein Problem, ich helfe Ihnen. Mit welcher E-Mail-Adresse sind Sie registriert?",
            ],
            fr: &[
                "Pas de souci, je vais vous aider. Quelle est l'adresse e-mail de votre compte ?",
            ],
            ja: &["承知しました。ご登録のメールアドレスを教えていただけますか？"],
            ar: &["لا مشكلة، سأساعدك. ما هو البريد الإلكتروني المسجل في حسابك؟"],
        }),
        User(Lines {
            en: &["{email}", "It's {email}"],
            es: &["{email}"],
            de: &["{email}"],
            fr: &["{email}"],
            ja: &["{email} です"],
            ar: &["{email}"],
        }),
        Action(act::LOOKUP_CUSTOMER),
        Action(act::SEND_PASSWORD_RESET),
        Agent(Lines {
            en: &[
                "Done! I've sent a reset link to **{email}**. It's valid for **30 minutes**.\n\nIf you don't see it:\n1. Check your spam or promotions folder\n2. Search for `no-reply@nimbushome.example`\n3. Give it a minute — some providers are slow",
            ],
            es: &[
                "¡Listo! He enviado un enlace de restablecimiento a **{email}**. Es válido durante **30 minutos**.\n\nSi no lo ves:\n1. Revisa la carpeta de spam o promociones\n2. Busca `no-reply@nimbushome.example`",
            ],
            de: &[
                "Erledigt! Ich habe einen Link zum Zurücksetzen an **{email}** geschickt. Er ist **30 Minuten** gültig.\n\nFalls er nicht ankommt:\n1. Spam-Ordner prüfen\n2. Nach `no-reply@nimbushome.example` suchen",
            ],
            fr: &[
                "C'est fait ! J'ai envoyé un lien de réinitialisation à **{email}**. Il est valable **30 minutes**.\n\nSi vous ne le voyez pas :\n1. Vérifiez vos spams\n2. Cherchez `no-reply@nimbushome.example`",
            ],
            ja: &[
                "**{email}** 宛にパスワード再設定リンクを送信しました。有効期限は**30分**です。\n\n届かない場合:\n1. 迷惑メールフォルダをご確認ください\n2. `no-reply@nimbushome.example` で検索してください",
            ],
            ar: &[
                "تم! أرسلت رابط إعادة تعيين كلمة المرور إلى **{email}**، وهو صالح لمدة **30 دقيقة**.\n\nإذا لم يصلك:\n1. تحقق من مجلد البريد العشوائي\n2. ابحث عن `no-reply@nimbushome.example`",
            ],
        }),
        Maybe(
            45,
            &[
                User(Lines {
                    en: &[
                        "Got it, but the link says it's expired??",
                        "The link doesn't work, 'token expired' 🤔",
                    ],
                    es: &["Me ha llegado, pero dice que el enlace ha caducado 🤔"],
                    de: &["Ist angekommen, aber da steht, der Link sei abgelaufen 🤔"],
                    fr: &["Je l'ai reçu, mais il dit que le lien a expiré 🤔"],
                    ja: &["届きましたが、リンクの有効期限が切れていると表示されます🤔"],
                    ar: &["وصلني، لكن يقول إن الرابط منتهي الصلاحية 🤔"],
                }),
                Action(act::SEND_PASSWORD_RESET),
                Agent(Lines {
                    en: &[
                        "Links expire as soon as a newer one is sent, so you may have opened an older e-mail. I've just sent a fresh link — please use the **latest** e-mail.",
                    ],
                    es: &[
                        "Los enlaces caducan cuando se envía uno nuevo. Acabo de enviarte otro: usa el correo **más reciente**.",
                    ],
                    de: &[
                        "Ein Link verfällt, sobald ein neuerer verschickt wird. Ich habe gerade einen neuen gesendet – bitte die **neueste** E-Mail verwenden.",
                    ],
                    fr: &[
                        "Un lien expire dès qu'un nouveau est envoyé. Je viens de vous en renvoyer un : utilisez l'e-mail **le plus récent**.",
                    ],
                    ja: &[
                        "新しいリンクを送信すると以前のリンクは無効になります。先ほど新しいリンクをお送りしましたので、**最新の**メールをご利用ください。",
                    ],
                    ar: &[
                        "تنتهي صلاحية الرابط عند إرسال رابط أحدث. أرسلت لك رابطاً جديداً الآن، يرجى استخدام **أحدث** رسالة.",
                    ],
                }),
            ],
        ),
        User(Lines {
            en: &["I'm in, thanks!", "Worked 👍"],
            es: &["¡Ya he entrado, gracias!"],
            de: &["Hat geklappt, danke!"],
            fr: &["Ça marche, merci !"],
            ja: &["ログインできました。ありがとうございます！"],
            ar: &["تمكنت من الدخول، شكراً!"],
        }),
        Maybe(
            35,
            &[
                Agent(Lines {
                    en: &[
                        "While you're in: I'd recommend turning on **two-factor authentication**, so nobody can get in with just your password:\n\n1. Go to **Settings → Security**\n2. Tap **Two-factor authentication**\n3. Scan the QR code with an authenticator app",
                    ],
                    es: &[
                        "Ya que estás dentro, te recomiendo activar la **verificación en dos pasos**:\n\n1. Ve a **Ajustes → Seguridad**\n2. Pulsa **Verificación en dos pasos**\n3. Escanea el código QR con una app de autenticación",
                    ],
                    de: &[
                        "Wo Sie schon eingeloggt sind: Ich empfehle die **Zwei-Faktor-Authentifizierung**:\n\n1. **Einstellungen → Sicherheit** öffnen\n2. **Zwei-Faktor-Authentifizierung** antippen\n3. Den QR-Code mit einer Authenticator-App scannen",
                    ],
                    fr: &[
                        "Pendant que vous y êtes, je vous conseille d'activer la **double authentification** :\n\n1. Allez dans **Paramètres → Sécurité**\n2. Touchez **Double authentification**\n3. Scannez le QR code avec une application d'authentification",
                    ],
                    ja: &[
                        "ログインされたついでに、**二段階認証**の設定をおすすめします。\n\n1. **設定 → セキュリティ**を開く\n2. **二段階認証**をタップ\n3. 認証アプリでQRコードを読み取る",
                    ],
                    ar: &[
                        "بما أنك سجلت الدخول، أنصحك بتفعيل **التحقق بخطوتين**:\n\n1. اذهب إلى **الإعدادات ← الأمان**\n2. اضغط على **التحقق بخطوتين**\n3. امسح رمز QR بتطبيق المصادقة",
                    ],
                }),
                User(Lines {
                    en: &["Good idea, done 👍", "ok will do"],
                    es: &["Buena idea, hecho 👍"],
                    de: &["Gute Idee, erledigt 👍"],
                    fr: &["Bonne idée, c'est fait 👍"],
                    ja: &["設定しました👍"],
                    ar: &["فكرة جيدة، تم 👍"],
                }),
            ],
        ),
        FollowUps,
        Agent(BYE),
    ],
};

pub(crate) const SHIPPING_DELAY: Scenario = Scenario {
    key: "shipping_delay",
    title: "Where is order #{order}?",
    weight: 14,
    mood: Mood::Mixed,
    about: About::Order,
    topics: &["shipping", "delay"],
    ticket: Some(TicketSpec {
        chance: 10,
        title: "Parcel {tracking} stuck at {carrier} hub",
        priority: "medium",
        tags: &["shipping", "delay"],
        comments: &[
            "Opened an investigation with {carrier}.",
            "Parcel is moving again; delivered the next day.",
        ],
    }),
    steps: &[
        OPENING,
        User(Lines {
            en: &[
                "Where is my order? It was supposed to arrive on Monday 😤",
                "My package hasn't moved in 4 days, tracking just says 'in transit'",
                "Hi, any news on my order? Still nothing here",
            ],
            es: &[
                "¿Dónde está mi pedido? Tenía que llegar el lunes 😤",
                "Mi paquete lleva 4 días sin moverse, el seguimiento solo dice 'en tránsito'",
            ],
            de: &[
                "Wo bleibt meine Bestellung? Sie sollte am Montag ankommen 😤",
                "Mein Paket bewegt sich seit 4 Tagen nicht, in der Sendungsverfolgung steht nur 'unterwegs'",
            ],
            fr: &[
                "Où est ma commande ? Elle devait arriver lundi 😤",
                "Mon colis ne bouge plus depuis 4 jours, le suivi indique juste « en transit »",
            ],
            ja: &[
                "注文した商品がまだ届きません。月曜日に届く予定でした😤",
                "荷物が4日間「輸送中」のままです",
            ],
            ar: &[
                "أين طلبي؟ كان من المفترض أن يصل يوم الاثنين 😤",
                "طردي لم يتحرك منذ 4 أيام، والتتبع يقول فقط 'قيد النقل'",
            ],
        }),
        ORDER_NUMBER,
        Action(act::LOOKUP_ORDER),
        Action(act::TRACK_SHIPMENT),
        Agent(Lines {
            en: &[
                "Your parcel **{tracking}** is with {carrier}. It was held at the regional hub, and the new estimated delivery is **{eta}**.\n\nYou can follow it here: [track your parcel](https://track.nimbushome.example/{tracking})",
            ],
            es: &[
                "Tu paquete **{tracking}** está con {carrier}. Se quedó retenido en el centro regional y la nueva fecha estimada de entrega es el **{eta}**.\n\nPuedes seguirlo aquí: [seguimiento](https://track.nimbushome.example/{tracking})",
            ],
            de: &[
                "Ihr Paket **{tracking}** ist bei {carrier}. Es wurde im regionalen Verteilzentrum aufgehalten; die neue voraussichtliche Zustellung ist am **{eta}**.\n\nHier können Sie es verfolgen: [Sendungsverfolgung](https://track.nimbushome.example/{tracking})",
            ],
            fr: &[
                "Votre colis **{tracking}** est chez {carrier}. Il a été retenu au centre régional ; la nouvelle date de livraison estimée est le **{eta}**.\n\nSuivi : [suivre mon colis](https://track.nimbushome.example/{tracking})",
            ],
            ja: &[
                "お荷物（追跡番号 **{tracking}**）は{carrier}が配送中です。地域の配送センターで遅延が発生しており、新しいお届け予定日は**{eta}**です。\n\n[配送状況を確認する](https://track.nimbushome.example/{tracking})",
            ],
            ar: &[
                "طردك **{tracking}** لدى {carrier}. تأخر في مركز التوزيع الإقليمي، وموعد التسليم المتوقع الجديد هو **{eta}**.\n\nيمكنك تتبعه من هنا: [تتبع الطرد](https://track.nimbushome.example/{tracking})",
            ],
        }),
        User(Lines {
            en: &[
                "That's days late. Can I get anything for the delay?",
                "ok, hopefully it really comes this time",
            ],
            es: &["Eso son días de retraso. ¿Me dais algo por las molestias?"],
            de: &["Das sind Tage Verspätung. Bekomme ich dafür irgendeine Entschädigung?"],
            fr: &["Ça fait plusieurs jours de retard. J'ai droit à un geste commercial ?"],
            ja: &["数日遅れていますね。何か補償はありますか？"],
            ar: &["هذا تأخير لعدة أيام. هل يمكنني الحصول على تعويض؟"],
        }),
        Maybe(
            40,
            &[
                User(Lines {
                    en: &[
                        "Can I have it sent to a pickup point instead? I'm not home during the day.",
                    ],
                    es: &["¿Se puede enviar a un punto de recogida? No estoy en casa por el día."],
                    de: &[
                        "Kann ich es stattdessen an eine Packstation schicken lassen? Tagsüber bin ich nicht zu Hause.",
                    ],
                    fr: &[
                        "Est-ce possible de le faire livrer en point relais ? Je ne suis pas chez moi en journée.",
                    ],
                    ja: &["日中は不在なので、コンビニ受け取りに変更できますか？"],
                    ar: &["هل يمكن إرساله إلى نقطة استلام بدلاً من ذلك؟ لا أكون في المنزل خلال النهار."],
                }),
                Agent(Lines {
                    en: &[
                        "Yes! Open the [tracking page](https://track.nimbushome.example/{tracking}), choose **Change delivery → Pickup point**, and pick one near you. {carrier} will hold the parcel there for **7 days**.",
                    ],
                    es: &[
                        "¡Sí! Abre la [página de seguimiento](https://track.nimbushome.example/{tracking}), elige **Cambiar entrega → Punto de recogida** y selecciona uno cercano. {carrier} guardará el paquete **7 días**.",
                    ],
                    de: &[
                        "Ja! Öffnen Sie die [Sendungsverfolgung](https://track.nimbushome.example/{tracking}), wählen Sie **Zustellung ändern → Abholstation** und eine Station in Ihrer Nähe. {carrier} bewahrt das Paket dort **7 Tage** auf.",
                    ],
                    fr: &[
                        "Oui ! Ouvrez la [page de suivi](https://track.nimbushome.example/{tracking}), choisissez **Modifier la livraison → Point relais** puis un point proche de chez vous. {carrier} y gardera le colis **7 jours**.",
                    ],
                    ja: &[
                        "はい。[配送状況ページ](https://track.nimbushome.example/{tracking})で**お届け先の変更 → 受け取り場所**を選び、お近くの店舗を指定してください。{carrier}が**7日間**保管します。",
                    ],
                    ar: &[
                        "نعم! افتح [صفحة التتبع](https://track.nimbushome.example/{tracking})، واختر **تغيير التوصيل ← نقطة استلام** ثم اختر نقطة قريبة منك. ستحتفظ {carrier} بالطرد هناك لمدة **7 أيام**.",
                    ],
                }),
            ],
        ),
        Maybe(
            60,
            &[
                Action(act::APPLY_VOUCHER),
                Agent(Lines {
                    en: &[
                        "I completely understand. I've added a **10% voucher** to your account as an apology: `SORRY10-{order}`. It's valid for 90 days on your next order.",
                    ],
                    es: &[
                        "Lo entiendo perfectamente. Te he añadido un **cupón del 10 %** como disculpa: `SORRY10-{order}`. Es válido 90 días en tu próximo pedido.",
                    ],
                    de: &[
                        "Das verstehe ich gut. Als Entschuldigung habe ich Ihrem Konto einen **10-%-Gutschein** gutgeschrieben: `SORRY10-{order}`. Er gilt 90 Tage für Ihre nächste Bestellung.",
                    ],
                    fr: &[
                        "Je comprends tout à fait. Je vous ai ajouté un **bon de 10 %** en guise d'excuse : `SORRY10-{order}`, valable 90 jours sur votre prochaine commande.",
                    ],
                    ja: &[
                        "ご迷惑をおかけし申し訳ございません。お詫びとして**10%オフクーポン** `SORRY10-{order}` をアカウントに追加しました。次回のご注文に90日間ご利用いただけます。",
                    ],
                    ar: &[
                        "أتفهم ذلك تماماً. أضفت إلى حسابك **قسيمة خصم 10%** كاعتذار: `SORRY10-{order}`، وهي صالحة لمدة 90 يوماً على طلبك القادم.",
                    ],
                }),
            ],
        ),
        FollowUps,
        CLOSING,
    ],
};

pub(crate) const DOUBLE_CHARGE: Scenario = Scenario {
    key: "billing_dispute",
    title: "Charged twice for {paid_plan} plan",
    weight: 8,
    mood: Mood::Mixed,
    about: About::Billing,
    topics: &["billing", "duplicate_charge"],
    ticket: Some(TicketSpec {
        chance: 60,
        title: "Duplicate charge on {invoice}",
        priority: "high",
        tags: &["billing", "duplicate-charge"],
        comments: &[
            "Root cause: payment retry after a gateway timeout. Fixed in billing-svc 2.14.",
            "Refund verified in the Stripe dashboard.",
            "Customer confirmed the refund arrived.",
        ],
    }),
    steps: &[
        User(Lines {
            en: &[
                "I was charged twice for my {paid_plan} subscription this month. Please fix this.",
                "Why did you take {plan_amount} from my card twice?? 😠",
            ],
            es: &[
                "Me habéis cobrado dos veces la suscripción {paid_plan} este mes. Por favor, solucionadlo.",
            ],
            de: &[
                "Mir wurde das {paid_plan}-Abo diesen Monat doppelt abgebucht. Bitte korrigieren Sie das.",
            ],
            fr: &[
                "J'ai été débité deux fois pour mon abonnement {paid_plan} ce mois-ci. Merci de corriger ça.",
            ],
            ja: &["今月、{paid_plan}プランの料金が二重に請求されています。確認してください。"],
            ar: &["تم خصم اشتراك {paid_plan} مرتين هذا الشهر. أرجو إصلاح ذلك."],
        }),
        Agent(Lines {
            en: &["I'm sorry about that — let me check your billing history."],
            es: &["Lo siento mucho, déjame revisar tu historial de facturación."],
            de: &["Das tut mir leid – ich sehe mir Ihre Abrechnungen an."],
            fr: &["Désolé pour ce désagrément, je regarde votre historique de facturation."],
            ja: &["ご迷惑をおかけして申し訳ございません。請求履歴を確認いたします。"],
            ar: &["أعتذر عن ذلك، دعني أتحقق من سجل الفواتير الخاص بك."],
        }),
        Either(50, &[VERIFY_EMAIL], &[Action(act::LOOKUP_CUSTOMER)]),
        Action(act::FETCH_INVOICE),
        Agent(Lines {
            en: &[
                "You're right. I can see two charges of **{plan_amount}** on your card ending in **{last4}**:\n\n- `{invoice}`: the regular renewal\n- a second charge a few minutes later, caused by a payment retry\n\nThe second one is a duplicate.",
            ],
            es: &[
                "Tienes razón. Veo dos cargos de **{plan_amount}** en tu tarjeta terminada en **{last4}**:\n\n- `{invoice}`: la renovación normal\n- un segundo cargo minutos después, por un reintento de pago\n\nEl segundo es un duplicado.",
            ],
            de: &[
                "Sie haben recht. Ich sehe zwei Abbuchungen über **{plan_amount}** von Ihrer Karte mit der Endung **{last4}**:\n\n- `{invoice}`: die reguläre Verlängerung\n- eine zweite wenige Minuten später, durch einen erneuten Zahlungsversuch\n\nDie zweite ist doppelt.",
            ],
            fr: &[
                "Vous avez raison. Je vois deux prélèvements de **{plan_amount}** sur votre carte se terminant par **{last4}** :\n\n- `{invoice}` : le renouvellement normal\n- un second quelques minutes plus tard, dû à une nouvelle tentative de paiement\n\nLe second est un doublon.",
            ],
            ja: &[
                "ご指摘のとおりです。末尾 **{last4}** のカードに **{plan_amount}** の請求が2件あります。\n\n- `{invoice}`: 通常の更新料金\n- 数分後の2件目: 決済の再試行による重複\n\n2件目は重複請求です。",
            ],
            ar: &[
                "معك حق. أرى عمليتي خصم بقيمة **{plan_amount}** على بطاقتك المنتهية بـ **{last4}**:\n\n- `{invoice}`: التجديد العادي\n- عملية ثانية بعد دقائق بسبب إعادة محاولة الدفع\n\nالعملية الثانية مكررة.",
            ],
        }),
        Maybe(
            45,
            &[
                UserFile(
                    Lines {
                        en: &[
                            "Here's my bank statement showing both charges",
                            "Attached the statement",
                        ],
                        es: &["Te adjunto el extracto del banco con los dos cargos"],
                        de: &["Anbei mein Kontoauszug mit beiden Abbuchungen"],
                        fr: &["Voici mon relevé bancaire avec les deux prélèvements"],
                        ja: &["2件の請求が載っている明細を添付します"],
                        ar: &["أرفقت كشف الحساب البنكي الذي يظهر العمليتين"],
                    },
                    named(FileKind::Pdf, "bank_statement_{month}.pdf"),
                ),
                Agent(Lines {
                    en: &["Thanks, that matches what I see."],
                    es: &["Gracias, coincide con lo que veo."],
                    de: &["Danke, das deckt sich mit meinen Daten."],
                    fr: &["Merci, cela correspond à ce que je vois."],
                    ja: &["ありがとうございます。こちらの記録と一致しています。"],
                    ar: &["شكراً، هذا يطابق ما أراه."],
                }),
            ],
        ),
        Action(act::REFUND_CHARGE),
        Agent(Lines {
            en: &[
                "I've refunded the duplicate charge of **{plan_amount}**. It will appear on your statement within **5–10 business days**.",
            ],
            es: &[
                "He reembolsado el cargo duplicado de **{plan_amount}**. Aparecerá en tu extracto en **5–10 días hábiles**.",
            ],
            de: &[
                "Ich habe die doppelte Abbuchung über **{plan_amount}** erstattet. Sie erscheint in **5–10 Werktagen** auf Ihrem Kontoauszug.",
            ],
            fr: &[
                "J'ai remboursé le prélèvement en double de **{plan_amount}**. Il apparaîtra sur votre relevé sous **5 à 10 jours ouvrés**.",
            ],
            ja: &[
                "重複分の **{plan_amount}** を返金しました。**5〜10営業日**以内に明細に反映されます。",
            ],
            ar: &[
                "قمت باسترداد المبلغ المكرر **{plan_amount}**. سيظهر في كشف حسابك خلال **5–10 أيام عمل**.",
            ],
        }),
        User(Lines {
            en: &["How do I make sure this doesn't happen again?"],
            es: &["¿Cómo evito que vuelva a pasar?"],
            de: &["Wie verhindere ich, dass das wieder passiert?"],
            fr: &["Comment éviter que ça se reproduise ?"],
            ja: &["今後同じことが起きないようにするには？"],
            ar: &["كيف أتأكد من عدم تكرار ذلك؟"],
        }),
        Agent(Lines {
            en: &[
                "You don't need to do anything: the retry issue has been fixed on our side. You can always check your invoices under **Settings → Billing → Invoices**.",
            ],
            es: &[
                "No tienes que hacer nada: el problema de los reintentos ya está corregido. Puedes consultar tus facturas en **Ajustes → Facturación → Facturas**.",
            ],
            de: &[
                "Sie müssen nichts tun: Der Fehler bei den Wiederholungsversuchen ist behoben. Ihre Rechnungen finden Sie unter **Einstellungen → Abrechnung → Rechnungen**.",
            ],
            fr: &[
                "Vous n'avez rien à faire : le problème est corrigé de notre côté. Vos factures sont visibles dans **Paramètres → Facturation → Factures**.",
            ],
            ja: &[
                "お客様側での対応は不要です。再試行の不具合は修正済みです。請求書は**設定 → お支払い → 請求書**からいつでもご確認いただけます。",
            ],
            ar: &[
                "لا تحتاج إلى فعل أي شيء، فقد تم إصلاح مشكلة إعادة المحاولة. يمكنك مراجعة فواتيرك من **الإعدادات ← الفوترة ← الفواتير**.",
            ],
        }),
        FollowUps,
        CLOSING,
    ],
};

pub(crate) const ACCOUNT_DELETION: Scenario = Scenario {
    key: "account_deletion",
    title: "Account deletion request (GDPR)",
    weight: 5,
    mood: Mood::Mixed,
    about: About::Account,
    topics: &["gdpr", "account_deletion"],
    ticket: Some(TicketSpec {
        chance: 90,
        title: "GDPR erasure {ticket}",
        priority: "medium",
        tags: &["gdpr", "privacy"],
        comments: &[
            "Erasure job queued; invoices kept under legal hold.",
            "Erasure completed, confirmation e-mail sent.",
        ],
    }),
    steps: &[
        User(Lines {
            en: &[
                "Please delete my account and all my data. I'm exercising my right to erasure under the GDPR.",
                "I want to close my account and have everything deleted.",
            ],
            es: &[
                "Quiero que borréis mi cuenta y todos mis datos, en virtud de mi derecho de supresión (RGPD).",
            ],
            de: &[
                "Bitte löschen Sie mein Konto und alle meine Daten. Ich mache hiermit mein Recht auf Löschung nach Art. 17 DSGVO geltend.",
            ],
            fr: &[
                "Merci de supprimer mon compte et toutes mes données, conformément à mon droit à l'effacement (RGPD).",
            ],
            ja: &["アカウントと個人データをすべて削除してください。"],
            ar: &["أرجو حذف حسابي وجميع بياناتي نهائياً."],
        }),
        Agent(Lines {
            en: &[
                "I can help with that. Before I start: deleting your account is **permanent**. It removes:\n\n- your profile and saved addresses\n- your devices, scenes and automations\n- your order history (invoices are kept for 10 years, as tax law requires)\n\nShall I go ahead?",
            ],
            es: &[
                "Puedo ayudarte. Antes de empezar: eliminar la cuenta es **definitivo**. Se borrarán:\n\n- tu perfil y direcciones guardadas\n- tus dispositivos, escenas y automatizaciones\n- tu historial de pedidos (las facturas se conservan 10 años por obligación fiscal)\n\n¿Continúo?",
            ],
            de: &[
                "Gerne. Vorab: Die Löschung ist **endgültig**. Entfernt werden:\n\n- Ihr Profil und gespeicherte Adressen\n- Ihre Geräte, Szenen und Automationen\n- Ihre Bestellhistorie (Rechnungen bewahren wir 10 Jahre auf, wie steuerrechtlich vorgeschrieben)\n\nSoll ich fortfahren?",
            ],
            fr: &[
                "Je peux m'en occuper. Attention : la suppression est **définitive**. Elle efface :\n\n- votre profil et vos adresses enregistrées\n- vos appareils, scènes et automatisations\n- votre historique de commandes (les factures sont conservées 10 ans, obligation légale)\n\nJe continue ?",
            ],
            ja: &[
                "承知しました。アカウントの削除は**取り消しできません**。以下が削除されます。\n\n- プロフィールと登録住所\n- デバイス、シーン、オートメーション\n- 注文履歴（請求書は法令により10年間保管されます）\n\n手続きを進めてもよろしいですか？",
            ],
            ar: &[
                "يمكنني مساعدتك. قبل البدء: حذف الحساب **نهائي**، وسيشمل:\n\n- ملفك الشخصي وعناوينك المحفوظة\n- أجهزتك ومشاهدك وعمليات الأتمتة\n- سجل طلباتك (نحتفظ بالفواتير 10 سنوات وفقاً للقانون الضريبي)\n\nهل أتابع؟",
            ],
        }),
        User(Lines {
            en: &["Yes, go ahead.", "Yes. Delete it."],
            es: &["Sí, adelante."],
            de: &["Ja, bitte löschen."],
            fr: &["Oui, allez-y."],
            ja: &["はい、お願いします。"],
            ar: &["نعم، تابع من فضلك."],
        }),
        VERIFY_EMAIL,
        Action(act::GDPR_ERASURE),
        Maybe(
            50,
            &[System(
                "Data subject request {ticket} created (type: erasure, deadline 30 days)",
            )],
        ),
        Agent(Lines {
            en: &[
                "Your erasure request **{ticket}** is registered. Your account will be deleted within **30 days**, and you'll get a confirmation at {email}. Your subscription has been cancelled, so there will be no further charges.",
            ],
            es: &[
                "Tu solicitud de supresión **{ticket}** está registrada. La cuenta se eliminará en un plazo de **30 días** y recibirás una confirmación en {email}. Tu suscripción está cancelada: no habrá más cargos.",
            ],
            de: &[
                "Ihr Löschantrag **{ticket}** ist erfasst. Ihr Konto wird innerhalb von **30 Tagen** gelöscht; die Bestätigung geht an {email}. Ihr Abo ist gekündigt, es erfolgen keine weiteren Abbuchungen.",
            ],
            fr: &[
                "Votre demande d'effacement **{ticket}** est enregistrée. Votre compte sera supprimé sous **30 jours** et vous recevrez une confirmation à {email}. Votre abonnement est résilié : plus aucun prélèvement.",
            ],
            ja: &[
                "削除リクエスト **{ticket}** を受け付けました。**30日以内**にアカウントが削除され、{email} 宛に完了通知をお送りします。サブスクリプションは解約済みのため、今後の請求はありません。",
            ],
            ar: &[
                "تم تسجيل طلب الحذف **{ticket}**. سيتم حذف حسابك خلال **30 يوماً** وستصلك رسالة تأكيد على {email}. تم إلغاء اشتراكك، فلن تكون هناك أي رسوم أخرى.",
            ],
        }),
        FollowUps,
        CLOSING,
    ],
};

pub(crate) const ESCALATION: Scenario = Scenario {
    key: "escalation",
    title: "Escalation: order #{order} never arrived",
    weight: 7,
    mood: Mood::Upset,
    about: About::Order,
    topics: &["escalation", "lost_parcel"],
    ticket: Some(TicketSpec {
        chance: 80,
        title: "Lost parcel for order #{order}: replacement sent",
        priority: "high",
        tags: &["escalation", "lost-parcel"],
        comments: &[
            "Replacement shipped express, shipping fee refunded.",
            "Why did the bot say 'on the way' three times? The carrier status 'lost' isn't mapped. Filed BUG-2231.",
            "Mapping fixed; closing.",
        ],
    }),
    steps: &[
        User(Lines {
            en: &[
                "This is the third time I'm contacting you about order #{order}. Nobody helps. I want to talk to a REAL person 😡",
                "Your bot is useless. Get me a human. Now. Order #{order}.",
            ],
            es: &[
                "Es la tercera vez que os escribo por el pedido #{order} y nadie me ayuda. Quiero hablar con una PERSONA 😡",
            ],
            de: &[
                "Das ist jetzt das dritte Mal, dass ich mich wegen Bestellung #{order} melde. Niemand hilft. Ich will mit einem MENSCHEN sprechen 😡",
            ],
            fr: &[
                "C'est la troisième fois que je vous contacte pour la commande #{order}. Personne ne m'aide. Je veux parler à un VRAI humain 😡",
            ],
            ja: &[
                "注文 #{order} の件で問い合わせるのはこれで3回目です。誰も対応してくれません。担当者と話させてください😡",
            ],
            ar: &[
                "هذه ثالث مرة أتواصل معكم بخصوص الطلب #{order} ولا أحد يساعدني. أريد التحدث مع موظف حقيقي 😡",
            ],
        }),
        Agent(Lines {
            en: &[
                "I understand, and I'm sorry you've had to reach out so many times. I'm transferring you to a member of our team now — they'll see this whole conversation, so you won't have to repeat yourself.",
            ],
            es: &[
                "Lo entiendo y siento que hayas tenido que escribirnos tantas veces. Te paso ahora con una persona del equipo; verá toda la conversación, así que no tendrás que repetir nada.",
            ],
            de: &[
                "Das verstehe ich, und es tut mir leid, dass Sie sich so oft melden mussten. Ich verbinde Sie jetzt mit einem Kollegen – er sieht den ganzen Verlauf, Sie müssen nichts wiederholen.",
            ],
            fr: &[
                "Je comprends, et je suis désolé que vous ayez dû nous relancer autant. Je vous transfère à un membre de l'équipe : il verra toute la conversation, vous n'aurez rien à répéter.",
            ],
            ja: &[
                "大変ご迷惑をおかけし申し訳ございません。ただいま担当スタッフにおつなぎします。これまでの内容は引き継がれますので、改めてご説明いただく必要はありません。",
            ],
            ar: &[
                "أتفهم ذلك، وأعتذر لأنك اضطررت للتواصل معنا عدة مرات. سأحولك الآن إلى أحد أعضاء فريقنا، وسيطّلع على المحادثة كاملة فلا داعي للتكرار.",
            ],
        }),
        Action(act::ESCALATE),
        Block(HANDOFF),
        User(Lines {
            en: &[
                "Finally. My {item} was never delivered, and three times I was told it's 'on the way'.",
            ],
            es: &["Por fin. Mi {item} nunca llegó y tres veces me dijeron que estaba 'en camino'."],
            de: &[
                "Endlich. Mein {item} wurde nie geliefert, und dreimal hieß es, er sei 'unterwegs'.",
            ],
            fr: &[
                "Enfin. Mon {item} n'a jamais été livré et on m'a dit trois fois qu'il était « en route ».",
            ],
            ja: &["やっとですね。{item}が届いていないのに、3回も「配送中」と言われました。"],
            ar: &["أخيراً. لم يصلني {item} أبداً، وقيل لي ثلاث مرات إنه 'في الطريق'."],
        }),
        Human(Lines {
            en: &[
                "You're right, and I'm sorry. The carrier marked the parcel as **lost** last week, and that should have been caught. I'm sending a replacement by **express shipping** today at no cost, and I've refunded your original shipping fee.",
            ],
            es: &[
                "Tienes toda la razón, lo siento. El transportista marcó el paquete como **perdido** la semana pasada y deberíamos haberlo visto. Hoy mismo te envío un repuesto por **envío exprés** sin coste y te he devuelto los gastos de envío.",
            ],
            de: &[
                "Sie haben recht, das tut mir leid. Der Versanddienstleister hat das Paket letzte Woche als **verloren** markiert – das hätte uns auffallen müssen. Ich schicke Ihnen heute kostenlos Ersatz per **Express** und habe die Versandkosten erstattet.",
            ],
            fr: &[
                "Vous avez raison, et j'en suis désolé. Le transporteur a déclaré le colis **perdu** la semaine dernière, nous aurions dû le voir. Je vous envoie aujourd'hui un remplacement en **express**, sans frais, et je vous ai remboursé les frais de port.",
            ],
            ja: &[
                "おっしゃるとおりです。申し訳ございません。配送業者が先週お荷物を**紛失**扱いにしていました。本日、代替品を**お急ぎ便**で無料発送し、送料も返金いたしました。",
            ],
            ar: &[
                "معك حق، وأعتذر. شركة الشحن سجلت الطرد على أنه **مفقود** الأسبوع الماضي، وكان يجب أن ننتبه لذلك. سأرسل لك بديلاً اليوم عبر **الشحن السريع** مجاناً، وقد استرددت لك رسوم الشحن.",
            ],
        }),
        User(Lines {
            en: &[
                "Ok. That's what I wanted from the start.",
                "Fine. Thank you.",
            ],
            es: &["Vale. Es lo que quería desde el principio."],
            de: &["Okay. Genau das wollte ich von Anfang an."],
            fr: &["D'accord. C'est ce que je demandais depuis le début."],
            ja: &["わかりました。最初からそうしてほしかったです。"],
            ar: &["حسناً. هذا ما كنت أريده من البداية."],
        }),
        Human(Lines {
            en: &[
                "Thank you for your patience. The tracking number for the replacement will arrive by e-mail within a few hours.",
            ],
            es: &[
                "Gracias por tu paciencia. Recibirás el número de seguimiento del repuesto por correo en unas horas.",
            ],
            de: &[
                "Danke für Ihre Geduld. Die Sendungsnummer für den Ersatz kommt in wenigen Stunden per E-Mail.",
            ],
            fr: &[
                "Merci pour votre patience. Vous recevrez le numéro de suivi du remplacement par e-mail dans quelques heures.",
            ],
            ja: &[
                "ご辛抱いただきありがとうございます。代替品の追跡番号は数時間以内にメールでお送りします。",
            ],
            ar: &["شكراً لصبرك. سيصلك رقم تتبع البديل عبر البريد الإلكتروني خلال ساعات."],
        }),
        Maybe(60, &[System("{agent} closed the conversation")]),
    ],
};

pub(crate) const CARD_DECLINED: Scenario = Scenario {
    key: "payment_declined",
    title: "Card declined at checkout",
    weight: 6,
    mood: Mood::Pleased,
    about: About::Order,
    topics: &["payment", "card_declined"],
    ticket: Some(TicketSpec {
        chance: 3,
        title: "Card declines for {customer}",
        priority: "low",
        tags: &["payments"],
        comments: &["Bank-side decline (do_not_honor), nothing to do on our side."],
    }),
    steps: &[
        OPENING,
        User(Lines {
            en: &[
                "My payment keeps failing at checkout, I've tried 3 times",
                "Card declined but my bank says everything is fine??",
            ],
            es: &[
                "El pago me falla una y otra vez al finalizar la compra, lo he intentado 3 veces",
            ],
            de: &["Die Zahlung schlägt an der Kasse immer wieder fehl, schon dreimal probiert"],
            fr: &["Le paiement échoue à chaque fois, j'ai essayé 3 fois"],
            ja: &["決済が何度やっても失敗します。3回試しました"],
            ar: &["الدفع يفشل في كل مرة عند إتمام الطلب، حاولت 3 مرات"],
        }),
        Agent(Lines {
            en: &["Let me check what happened with those payment attempts."],
            es: &["Déjame revisar qué ha pasado con esos intentos de pago."],
            de: &["Ich schaue mir die Zahlungsversuche an."],
            fr: &["Je regarde ce qui s'est passé avec ces tentatives de paiement."],
            ja: &["決済の試行状況を確認いたします。"],
            ar: &["دعني أتحقق مما حدث في محاولات الدفع هذه."],
        }),
        Action(act::LIST_PAYMENT_ATTEMPTS),
        Agent(Lines {
            en: &[
                "I see 3 attempts with your card ending in **{last4}**, all declined by your bank with the code `do_not_honor`. That decision comes from the bank, not from us.\n\nYou could:\n1. Call your bank and ask them to allow the payment\n2. Try another card or PayPal\n3. Use Apple Pay or Google Pay",
            ],
            es: &[
                "Veo 3 intentos con tu tarjeta terminada en **{last4}**, todos rechazados por tu banco con el código `do_not_honor`. Esa decisión es del banco, no nuestra.\n\nPuedes:\n1. Llamar a tu banco para que autorice el pago\n2. Probar con otra tarjeta o PayPal\n3. Usar Apple Pay o Google Pay",
            ],
            de: &[
                "Ich sehe 3 Versuche mit Ihrer Karte mit der Endung **{last4}**, alle von Ihrer Bank mit dem Code `do_not_honor` abgelehnt. Die Entscheidung trifft die Bank, nicht wir.\n\nSie können:\n1. Ihre Bank bitten, die Zahlung freizugeben\n2. Eine andere Karte oder PayPal verwenden\n3. Apple Pay oder Google Pay nutzen",
            ],
            fr: &[
                "Je vois 3 tentatives avec votre carte se terminant par **{last4}**, toutes refusées par votre banque avec le code `do_not_honor`. C'est la banque qui décide, pas nous.\n\nVous pouvez :\n1. Appeler votre banque pour autoriser le paiement\n2. Essayer une autre carte ou PayPal\n3. Utiliser Apple Pay ou Google Pay",
            ],
            ja: &[
                "末尾 **{last4}** のカードで3回の決済が行われ、いずれもカード会社により `do_not_honor` で拒否されています。これはカード会社側の判断です。\n\n以下をお試しください。\n1. カード会社に連絡して決済を許可してもらう\n2. 別のカードまたはPayPalを使う\n3. Apple Pay / Google Payを使う",
            ],
            ar: &[
                "أرى 3 محاولات ببطاقتك المنتهية بـ **{last4}**، رفضها البنك جميعها بالرمز `do_not_honor`. هذا القرار من البنك وليس منا.\n\nيمكنك:\n1. الاتصال بالبنك والطلب منه السماح بالدفع\n2. تجربة بطاقة أخرى أو PayPal\n3. استخدام Apple Pay أو Google Pay",
            ],
        }),
        User(Lines {
            en: &["I'll try PayPal, one sec", "ok let me call my bank"],
            es: &["Voy a probar con PayPal, un momento"],
            de: &["Ich probiere PayPal, Moment"],
            fr: &["Je vais essayer PayPal, une seconde"],
            ja: &["PayPalで試してみます。少々お待ちください"],
            ar: &["سأجرب PayPal، لحظة"],
        }),
        Idle {
            minutes: (2, 9),
            note: None,
        },
        User(Lines {
            en: &["It worked 👍", "Went through this time!"],
            es: &["¡Ha funcionado! 👍"],
            de: &["Hat funktioniert 👍"],
            fr: &["Ça a marché 👍"],
            ja: &["できました👍"],
            ar: &["نجحت العملية 👍"],
        }),
        Action(act::LOOKUP_ORDER),
        Agent(Lines {
            en: &[
                "Great, I can see order **#{order}** confirmed: {item}, {amount}. You'll get a shipping update by e-mail as soon as it leaves our warehouse.",
            ],
            es: &[
                "¡Genial! Veo el pedido **#{order}** confirmado: {item}, {amount}. Te avisaremos por correo en cuanto salga del almacén.",
            ],
            de: &[
                "Super, Bestellung **#{order}** ist bestätigt: {item}, {amount}. Sie bekommen eine E-Mail, sobald sie unser Lager verlässt.",
            ],
            fr: &[
                "Parfait, la commande **#{order}** est confirmée : {item}, {amount}. Vous recevrez un e-mail dès son expédition.",
            ],
            ja: &[
                "ご注文 **#{order}**（{item}、{amount}）の確定を確認しました。発送されましたらメールでお知らせします。",
            ],
            ar: &[
                "رائع، أرى أن الطلب **#{order}** تم تأكيده: {item}، {amount}. ستصلك رسالة عند شحنه من مستودعنا.",
            ],
        }),
        FollowUps,
        CLOSING,
    ],
};

pub(crate) const THANK_YOU: Scenario = Scenario {
    key: "thank_you",
    title: "Thank you",
    weight: 5,
    mood: Mood::Pleased,
    about: About::Order,
    topics: &["praise"],
    ticket: None,
    steps: &[
        User(Lines {
            en: &[
                "Just wanted to say thanks — the replacement arrived today and works perfectly! 🙌",
                "Thanks for the quick help yesterday, everything works now 😊",
            ],
            es: &["Solo quería daros las gracias: el repuesto llegó hoy y funciona perfecto 🙌"],
            de: &[
                "Wollte nur Danke sagen – der Ersatz ist heute angekommen und funktioniert einwandfrei 🙌",
            ],
            fr: &[
                "Je voulais juste vous remercier : le remplacement est arrivé aujourd'hui et fonctionne parfaitement 🙌",
            ],
            ja: &["代替品が今日届き、問題なく動いています。ありがとうございました🙌"],
            ar: &["أردت فقط أن أشكركم، وصل البديل اليوم ويعمل بشكل ممتاز 🙌"],
        }),
        Agent(Lines {
            en: &["That's great to hear, {name}! Thanks for letting us know. Enjoy your {item} 😊"],
            es: &["¡Qué bien, {name}! Gracias por contárnoslo. Disfruta de tu {item} 😊"],
            de: &[
                "Das freut uns sehr, {name}! Danke für die Rückmeldung. Viel Spaß mit Ihrem {item} 😊",
            ],
            fr: &[
                "Ravi de l'apprendre, {name} ! Merci pour votre retour. Profitez bien de votre {item} 😊",
            ],
            ja: &["{name}様、ご連絡ありがとうございます！{item}をお楽しみください😊"],
            ar: &["يسعدنا سماع ذلك يا {name}! شكراً لإخبارنا. استمتع بـ {item} 😊"],
        }),
        Maybe(
            30,
            &[User(Lines {
                en: &["👍", "❤️"],
                es: &["👍"],
                de: &["👍"],
                fr: &["❤️"],
                ja: &["🙏"],
                ar: &["🌹"],
            })],
        ),
    ],
};

/// Several customers in the same hour hitting the same failing call.
pub(crate) const CHECKOUT_INCIDENT: Scenario = Scenario {
    key: "checkout_incident",
    title: "Checkout failing ({incident})",
    // Never picked at random: incidents plan their own conversations.
    weight: 0,
    mood: Mood::Upset,
    about: About::Incident,
    topics: &["incident", "checkout", "payment"],
    ticket: Some(TicketSpec {
        chance: 70,
        title: "Checkout failing: {incident}",
        priority: "high",
        tags: &["incident", "payments", "checkout"],
        comments: &[
            "Linked to {incident}. Stripe confirms elevated 503s in eu-west-1.",
            "Payments recovered at {incident_end} UTC; customer's order placed manually.",
            "Post-mortem scheduled for Monday.",
        ],
    }),
    steps: &[
        User(Lines {
            en: &[
                "Checkout isn't working, I get 'Something went wrong' when I click Pay",
                "Is your site down? Can't pay for my order 😤",
                "Payment page just spins and then errors out",
            ],
            es: &["El pago no funciona, me sale 'Algo ha ido mal' al pulsar Pagar"],
            de: &[
                "Der Checkout geht nicht, beim Klick auf Bezahlen kommt 'Etwas ist schiefgelaufen'",
            ],
            fr: &[
                "Le paiement ne marche pas, j'ai « Une erreur est survenue » quand je clique sur Payer",
            ],
            ja: &["お支払いボタンを押すと「エラーが発生しました」と表示されて購入できません"],
            ar: &["لا يمكنني إتمام الدفع، تظهر رسالة 'حدث خطأ ما' عند الضغط على ادفع"],
        }),
        Agent(Lines {
            en: &["Sorry about that! Let me try the payment from here and see what's going on."],
            es: &["¡Lo siento! Voy a intentar el pago desde aquí para ver qué pasa."],
            de: &[
                "Das tut mir leid! Ich versuche die Zahlung von hier aus und schaue, was los ist.",
            ],
            fr: &["Désolé ! Je tente le paiement de mon côté pour voir ce qui se passe."],
            ja: &["ご不便をおかけしております。こちらで決済を試して状況を確認します。"],
            ar: &["آسف لذلك! سأحاول إجراء الدفع من هنا لأرى ما المشكلة."],
        }),
        IncidentAction,
        Maybe(55, &[Agent(super::dialogue::RETRY), IncidentAction]),
        Action(act::CHECK_STATUS),
        Agent(Lines {
            en: &[
                "We're having a problem with our payment provider right now. It's tracked as incident **{incident}** and the team is on it. Your cart is saved and **you have not been charged**.\n\nPlease try again in about 30 minutes, or follow [status.nimbushome.example](https://status.nimbushome.example) for updates.",
            ],
            es: &[
                "Ahora mismo tenemos un problema con nuestro proveedor de pagos. Está registrado como incidencia **{incident}** y el equipo ya trabaja en ello. Tu carrito está guardado y **no se te ha cobrado nada**.\n\nInténtalo de nuevo en unos 30 minutos o sigue las novedades en [status.nimbushome.example](https://status.nimbushome.example).",
            ],
            de: &[
                "Wir haben gerade ein Problem mit unserem Zahlungsdienstleister. Es läuft als Störung **{incident}**, das Team arbeitet daran. Ihr Warenkorb ist gespeichert, und **es wurde nichts abgebucht**.\n\nBitte versuchen Sie es in etwa 30 Minuten erneut oder verfolgen Sie den Stand auf [status.nimbushome.example](https://status.nimbushome.example).",
            ],
            fr: &[
                "Nous rencontrons un problème avec notre prestataire de paiement. L'incident **{incident}** est en cours de traitement. Votre panier est conservé et **vous n'avez pas été débité**.\n\nRéessayez dans une trentaine de minutes ou suivez [status.nimbushome.example](https://status.nimbushome.example).",
            ],
            ja: &[
                "現在、決済代行会社側で障害が発生しています（障害番号 **{incident}**）。担当チームが対応中です。カートの内容は保存されており、**料金は請求されていません**。\n\n30分ほどしてから再度お試しいただくか、[status.nimbushome.example](https://status.nimbushome.example) で最新情報をご確認ください。",
            ],
            ar: &[
                "نواجه حالياً مشكلة لدى مزود خدمة الدفع، وهي مسجلة كحادثة **{incident}** والفريق يعمل عليها. سلة مشترياتك محفوظة و**لم يتم خصم أي مبلغ**.\n\nيرجى المحاولة بعد 30 دقيقة تقريباً، أو متابعة التحديثات على [status.nimbushome.example](https://status.nimbushome.example).",
            ],
        }),
        User(Lines {
            en: &[
                "Seriously? I need this today.",
                "ok I'll try later 🙄",
                "This is the second time this month...",
            ],
            es: &["¿En serio? Lo necesito hoy.", "Vale, lo intentaré luego 🙄"],
            de: &[
                "Ernsthaft? Ich brauche das heute noch.",
                "Okay, ich versuche es später 🙄",
            ],
            fr: &[
                "Sérieusement ? J'en ai besoin aujourd'hui.",
                "Ok, je réessaierai plus tard 🙄",
            ],
            ja: &[
                "本当ですか？今日必要なんです。",
                "わかりました、後でまた試します🙄",
            ],
            ar: &["بجد؟ أحتاجه اليوم.", "حسناً، سأحاول لاحقاً 🙄"],
        }),
        Agent(Lines {
            en: &[
                "I understand. If you like, I can place the order for you as soon as payments are back and confirm it by e-mail — you won't need to do anything.",
            ],
            es: &[
                "Lo entiendo. Si quieres, puedo hacer el pedido por ti en cuanto vuelvan los pagos y confirmártelo por correo, sin que tengas que hacer nada.",
            ],
            de: &[
                "Verstehe. Wenn Sie möchten, gebe ich die Bestellung für Sie auf, sobald Zahlungen wieder gehen, und bestätige sie per E-Mail – Sie müssen nichts weiter tun.",
            ],
            fr: &[
                "Je comprends. Si vous voulez, je passe la commande pour vous dès le retour des paiements et je vous la confirme par e-mail, sans rien à faire de votre côté.",
            ],
            ja: &[
                "承知しました。よろしければ、決済が復旧し次第こちらでご注文を確定し、メールでお知らせいたします。",
            ],
            ar: &[
                "أتفهم ذلك. إذا أردت، يمكنني إتمام الطلب نيابة عنك فور عودة الدفع وتأكيده عبر البريد الإلكتروني دون أن تفعل شيئاً.",
            ],
        }),
        Maybe(
            50,
            &[
                User(Lines {
                    en: &["Yes please, do that"],
                    es: &["Sí, por favor"],
                    de: &["Ja, bitte"],
                    fr: &["Oui, merci"],
                    ja: &["はい、お願いします"],
                    ar: &["نعم، من فضلك"],
                }),
                Action(act::CREATE_TICKET),
                Agent(Lines {
                    en: &[
                        "Done — it's noted on ticket **{ticket}**. You'll get an e-mail as soon as your order is placed.",
                    ],
                    es: &[
                        "Hecho: queda anotado en el ticket **{ticket}**. Te escribiremos en cuanto se haga el pedido.",
                    ],
                    de: &[
                        "Erledigt – ist im Ticket **{ticket}** vermerkt. Sie bekommen eine E-Mail, sobald die Bestellung aufgegeben ist.",
                    ],
                    fr: &[
                        "C'est noté dans le ticket **{ticket}**. Vous recevrez un e-mail dès que la commande sera passée.",
                    ],
                    ja: &[
                        "チケット **{ticket}** に記録しました。ご注文が確定しましたらメールでお知らせします。",
                    ],
                    ar: &["تم، سجلت ذلك في التذكرة **{ticket}**. ستصلك رسالة فور إتمام طلبك."],
                }),
            ],
        ),
    ],
};

pub(crate) const BUG_REPORT: Scenario = Scenario {
    key: "bug_report",
    title: "App crash in Automations tab ({version})",
    weight: 7,
    mood: Mood::Mixed,
    about: About::App,
    topics: &["bug", "mobile_app"],
    ticket: Some(TicketSpec {
        chance: 70,
        title: "Crash in Automations tab on {version}",
        priority: "high",
        tags: &["bug", "mobile"],
        comments: &[
            "Reproduced on {version} with a removed device in an automation.",
            "Fix merged, ships in {next_version}.",
            "Released; customer notified.",
        ],
    }),
    steps: &[
        UserFile(
            Lines {
                en: &[
                    "The Nimbus app crashes every time I open the **Automations** tab. Screenshot attached.",
                    "App keeps closing when I tap Automations 😩 see screenshot",
                ],
                de: &[
                    "Die Nimbus-App stürzt jedes Mal ab, wenn ich den Tab **Automationen** öffne. Screenshot anbei.",
                ],
                ja: &[
                    "「オートメーション」タブを開くたびにアプリが落ちます。スクリーンショットを添付します。",
                ],
                ..Lines::NONE
            },
            file(FileKind::Screenshot),
        ),
        Agent(Lines {
            en: &[
                "Thanks for the screenshot! A few quick questions:\n1. Which app version are you on? (*Settings → About*)\n2. iPhone or Android?\n3. Did it start after an update?",
            ],
            de: &[
                "Danke für den Screenshot! Kurz ein paar Fragen:\n1. Welche App-Version nutzen Sie? (*Einstellungen → Info*)\n2. iPhone oder Android?\n3. Trat das nach einem Update auf?",
            ],
            ja: &[
                "スクリーンショットありがとうございます。いくつか確認させてください。\n1. アプリのバージョン（*設定 → 情報*）\n2. iPhoneとAndroidのどちらですか？\n3. アップデート後から発生していますか？",
            ],
            ..Lines::NONE
        }),
        User(Lines {
            en: &[
                "Version {version}, {device_model}, started after yesterday's update",
                "{version} on {device_model}. Yes, right after updating",
            ],
            de: &["Version {version}, {device_model}, seit dem Update gestern"],
            ja: &["バージョン{version}、{device_model}です。昨日のアップデート後からです"],
            ..Lines::NONE
        }),
        Action(act::SEARCH_KNOWN_ISSUES),
        Agent(Lines {
            en: &[
                "Thanks! This is a known issue in **{version}** (`{bug}`): the app crashes when an automation still uses a device you removed. A fix ships in **{next_version}**.\n\nUntil then, this workaround helps:\n\n```\nSettings → Devices → Show removed devices → Remove permanently\n```\n\nAfter that the Automations tab opens normally.",
            ],
            de: &[
                "Danke! Das ist ein bekannter Fehler in **{version}** (`{bug}`): Die App stürzt ab, wenn eine Automation noch ein entferntes Gerät nutzt. Die Korrektur kommt mit **{next_version}**.\n\nBis dahin hilft dieser Workaround:\n\n```\nEinstellungen → Geräte → Entfernte Geräte anzeigen → Endgültig entfernen\n```",
            ],
            ja: &[
                "ありがとうございます。これは **{version}** の既知の不具合（`{bug}`）で、削除済みのデバイスを使うオートメーションがあるとクラッシュします。**{next_version}** で修正予定です。\n\nそれまでは以下の方法で回避できます。\n\n```\n設定 → デバイス → 削除済みデバイスを表示 → 完全に削除\n```",
            ],
            ..Lines::NONE
        }),
        Maybe(
            50,
            &[
                UserFile(
                    Lines {
                        en: &["Here's a screen recording in case it helps"],
                        de: &["Hier noch eine Bildschirmaufnahme, falls das hilft"],
                        ja: &["参考までに画面収録も送ります"],
                        ..Lines::NONE
                    },
                    file(FileKind::ScreenRecording),
                ),
                Agent(Lines {
                    en: &["Very helpful, thanks — that's exactly the crash from `{bug}`."],
                    de: &["Sehr hilfreich, danke – genau der Absturz aus `{bug}`."],
                    ja: &["ありがとうございます。`{bug}` と同じ現象であることを確認しました。"],
                    ..Lines::NONE
                }),
            ],
        ),
        Action(act::CREATE_TICKET),
        Agent(Lines {
            en: &[
                "I've added your report to **{ticket}**, so you'll be notified when **{next_version}** is out. Sorry for the hassle!",
            ],
            de: &[
                "Ich habe Ihre Meldung zu **{ticket}** hinzugefügt – Sie werden benachrichtigt, sobald **{next_version}** erscheint.",
            ],
            ja: &[
                "ご報告を **{ticket}** に追加しました。**{next_version}** のリリース時にお知らせします。",
            ],
            ..Lines::NONE
        }),
        FollowUps,
        CLOSING,
    ],
};

pub(crate) const HOME_SHARING: Scenario = Scenario {
    key: "how_to",
    title: "Sharing home access",
    weight: 8,
    mood: Mood::Pleased,
    about: About::App,
    topics: &["how_to", "sharing"],
    ticket: None,
    steps: &[
        OPENING,
        User(Lines {
            en: &[
                "How do I add my partner to our home so they can control the lights too?",
                "Can I share access to my devices with my family?",
            ],
            es: &[
                "¿Cómo añado a mi pareja a nuestra casa para que también pueda controlar las luces?",
            ],
            fr: &[
                "Comment ajouter mon conjoint à notre maison pour qu'il puisse aussi contrôler les lumières ?",
            ],
            ..Lines::NONE
        }),
        Action(act::SEARCH_HELP),
        Agent(Lines {
            en: &[
                "Yes! On the **{plan}** plan you can invite household members:\n\n1. Open **Settings → Home → Members**\n2. Tap **Invite**\n3. Enter their e-mail and pick a role (*Admin* or *Member*)\n\nThe invite link is valid for 7 days. More in [Sharing your home](https://help.nimbushome.example/articles/sharing).",
            ],
            es: &[
                "¡Claro! Con el plan **{plan}** puedes invitar a las personas de tu hogar:\n\n1. Abre **Ajustes → Casa → Miembros**\n2. Pulsa **Invitar**\n3. Escribe su correo y elige un rol (*Administrador* o *Miembro*)\n\nLa invitación es válida 7 días. Más información en [Compartir tu casa](https://help.nimbushome.example/es/articles/sharing).",
            ],
            fr: &[
                "Oui ! Avec l'offre **{plan}**, vous pouvez inviter les membres du foyer :\n\n1. Ouvrez **Paramètres → Maison → Membres**\n2. Touchez **Inviter**\n3. Saisissez son e-mail et choisissez un rôle (*Admin* ou *Membre*)\n\nL'invitation est valable 7 jours. Plus d'infos : [Partager votre maison](https://help.nimbushome.example/fr/articles/sharing).",
            ],
            ..Lines::NONE
        }),
        User(Lines {
            en: &["What's the difference between admin and member?"],
            es: &["¿Qué diferencia hay entre administrador y miembro?"],
            fr: &["Quelle différence entre admin et membre ?"],
            ..Lines::NONE
        }),
        Agent(Lines {
            en: &[
                "- **Admin**: can add or remove devices, edit automations and invite others\n- **Member**: can control devices and run scenes, but can't change settings",
            ],
            es: &[
                "- **Administrador**: puede añadir o quitar dispositivos, editar automatizaciones e invitar a otros\n- **Miembro**: puede controlar dispositivos y ejecutar escenas, pero no cambiar ajustes",
            ],
            fr: &[
                "- **Admin** : peut ajouter ou retirer des appareils, modifier les automatisations et inviter d'autres personnes\n- **Membre** : peut piloter les appareils et lancer des scènes, sans modifier les réglages",
            ],
            ..Lines::NONE
        }),
        Maybe(
            40,
            &[
                User(Lines {
                    en: &["Is there a limit on how many people?"],
                    es: &["¿Hay un límite de personas?"],
                    fr: &["Y a-t-il une limite de personnes ?"],
                    ..Lines::NONE
                }),
                Agent(Lines {
                    en: &[
                        "Up to **5 members** on Starter and Pro, **unlimited** on Team. Guests with temporary access don't count towards the limit.",
                    ],
                    es: &[
                        "Hasta **5 miembros** en Starter y Pro, **ilimitados** en Team. Los invitados temporales no cuentan.",
                    ],
                    fr: &[
                        "Jusqu'à **5 membres** avec Starter et Pro, **illimité** avec Team. Les invités temporaires ne comptent pas.",
                    ],
                    ..Lines::NONE
                }),
            ],
        ),
        FollowUps,
        CLOSING,
    ],
};

pub(crate) const WEBHOOKS: Scenario = Scenario {
    key: "developer_api",
    title: "Webhook signature failures",
    weight: 4,
    mood: Mood::Pleased,
    about: About::Developer,
    topics: &["developer_api", "webhooks"],
    ticket: Some(TicketSpec {
        chance: 30,
        title: "Webhook signature failures for we_{hex}",
        priority: "medium",
        tags: &["developer", "webhooks"],
        comments: &["Customer-side bug (re-serialised body). Replayed 42 events."],
    }),
    steps: &[
        User(Lines {
            en: &[
                "Our webhook endpoint keeps rejecting your events with `401 invalid signature`. We verify with the signing secret from the dashboard, and it worked until yesterday.",
            ],
            ..Lines::NONE
        }),
        Agent(Lines {
            en: &["Let me look at the recent deliveries to your endpoint."],
            ..Lines::NONE
        }),
        Action(act::FETCH_WEBHOOK_DELIVERIES),
        Agent(Lines {
            en: &[
                "I see **42 failed deliveries** since {since}, all rejected with `401`. The usual cause is computing the HMAC over *re-serialised* JSON instead of the raw request body. In Python:\n\n```python\nimport hashlib, hmac\n\ndef verify(raw_body: bytes, signature: str, secret: str) -> bool:\n    expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()\n    return hmac.compare_digest(expected, signature)\n```\n\nMake sure `raw_body` is exactly the bytes you received (`request.get_data()` in Flask).",
            ],
            ..Lines::NONE
        }),
        User(Lines {
            en: &[
                "That was it — someone refactored it to `json.dumps(request.json)` yesterday. Fixed and deployed. Can you resend the failed ones?",
            ],
            ..Lines::NONE
        }),
        Action(act::REPLAY_WEBHOOKS),
        Agent(Lines {
            en: &[
                "All **42 events** were re-sent and acknowledged with `200 OK`. You're all caught up!",
            ],
            ..Lines::NONE
        }),
        CLOSING,
    ],
};

/// Everyday conversations, picked at random by weight.
pub(crate) const EVERYDAY: &[&Scenario] = &[
    &REFUND,
    &PASSWORD_RESET,
    &SHIPPING_DELAY,
    &DOUBLE_CHARGE,
    &ACCOUNT_DELETION,
    &ESCALATION,
    &CARD_DECLINED,
    &THANK_YOU,
    &BUG_REPORT,
    &HOME_SHARING,
    &WEBHOOKS,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_scenarios_and_the_core_ones_speak_all() {
        for lang in Lang::ALL {
            for s in [
                &REFUND,
                &PASSWORD_RESET,
                &SHIPPING_DELAY,
                &CHECKOUT_INCIDENT,
                &ESCALATION,
            ] {
                assert!(s.speaks(lang), "{} in {lang:?}", s.key);
            }
        }
        assert!(!WEBHOOKS.speaks(Lang::Ja));
        assert!(BUG_REPORT.speaks(Lang::De));
    }
}
