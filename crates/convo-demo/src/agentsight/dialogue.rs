//! Lines every scenario shares: greetings, closings, apologies for failed tools, follow-up questions, feedback comments.

use super::lang::Lines;

pub(crate) const GREETING: Lines = Lines {
    en: &[
        "Hi {name}! I'm Nimbus, the Nimbus Home assistant. How can I help today?",
        "Hello 👋 How can I help you?",
    ],
    es: &["¡Hola, {name}! Soy Nimbus, el asistente de Nimbus Home. ¿En qué puedo ayudarte?"],
    de: &["Hallo {name}! Ich bin Nimbus, der Assistent von Nimbus Home. Wie kann ich helfen?"],
    fr: &[
        "Bonjour {name} ! Je suis Nimbus, l'assistant de Nimbus Home. Comment puis-je vous aider ?",
    ],
    ja: &[
        "{name}様、こんにちは。Nimbus Home アシスタントのNimbusです。本日はどのようなご用件でしょうか？",
    ],
    ar: &["مرحباً {name}! أنا Nimbus، المساعد الافتراضي لـ Nimbus Home. كيف يمكنني مساعدتك اليوم؟"],
};

pub(crate) const ASK_ORDER: Lines = Lines {
    en: &[
        "I'm sorry to hear that! Could you give me your order number? It starts with **#** and is in your confirmation e-mail.",
        "That's frustrating, sorry about that. What's the order number, so I can look it up?",
    ],
    es: &[
        "¡Lamento mucho oír eso! ¿Me indicas el número de pedido? Lo encontrarás en el correo de confirmación.",
    ],
    de: &[
        "Das tut mir leid! Können Sie mir Ihre Bestellnummer nennen? Sie steht in der Bestätigungs-E-Mail.",
    ],
    fr: &[
        "Je suis désolé d'apprendre cela ! Pouvez-vous me donner votre numéro de commande ? Il figure dans l'e-mail de confirmation.",
    ],
    ja: &[
        "ご不便をおかけして申し訳ございません。ご注文番号を教えていただけますか？確認メールに記載されています。",
    ],
    ar: &[
        "نأسف لسماع ذلك! هل يمكنك تزويدي برقم الطلب؟ ستجده في رسالة التأكيد عبر البريد الإلكتروني.",
    ],
};

pub(crate) const GIVE_ORDER: Lines = Lines {
    en: &["It's #{order}", "Order #{order}", "#{order} I think"],
    es: &["Es el #{order}", "Pedido #{order}"],
    de: &["#{order}", "Die Bestellnummer ist #{order}."],
    fr: &["C'est la commande #{order}.", "#{order}"],
    ja: &["#{order} です。"],
    ar: &["رقم الطلب #{order}"],
};

pub(crate) const THANKS: Lines = Lines {
    en: &[
        "Great, thanks a lot!",
        "Perfect, thank you 🙏",
        "ok thanks",
        "Thanks, that's all I needed.",
    ],
    es: &["¡Genial, muchas gracias!", "Perfecto, gracias 🙏"],
    de: &["Super, vielen Dank!", "Perfekt, danke 🙏"],
    fr: &["Super, merci beaucoup !", "Parfait, merci 🙏"],
    ja: &[
        "ありがとうございます、助かりました！",
        "承知しました。ありがとうございます🙏",
    ],
    ar: &["ممتاز، شكراً جزيلاً!", "تمام، شكراً لك 🙏"],
};

pub(crate) const BYE: Lines = Lines {
    en: &[
        "You're welcome, {name}! Have a great day.",
        "Happy to help! If anything else comes up, just message us here.",
    ],
    es: &["¡De nada, {name}! Que tengas un buen día."],
    de: &["Gern geschehen, {name}! Einen schönen Tag noch."],
    fr: &["Avec plaisir, {name} ! Bonne journée."],
    ja: &["どういたしまして。またいつでもお問い合わせください。"],
    ar: &["على الرحب والسعة يا {name}! أتمنى لك يوماً سعيداً."],
};

/// After a tool failed or timed out, before the agent tries again.
pub(crate) const RETRY: Lines = Lines {
    en: &[
        "Sorry, that took longer than expected. Let me try again.",
        "Hmm, I couldn't reach that system just now. Retrying…",
    ],
    es: &["Perdona, eso ha fallado. Lo intento de nuevo."],
    de: &["Entschuldigung, das hat nicht geklappt. Ich versuche es noch einmal."],
    fr: &["Désolé, cela n'a pas fonctionné. Je réessaie."],
    ja: &["申し訳ございません、システムに接続できませんでした。もう一度試します。"],
    ar: &["عذراً، لم أتمكن من الوصول إلى النظام. سأحاول مرة أخرى."],
};

/// When the retry failed too.
pub(crate) const GAVE_UP: Lines = Lines {
    en: &[
        "I'm still having trouble reaching our systems. I've logged this, and a colleague will follow up at {email} within 24 hours.",
    ],
    es: &[
        "Sigo sin poder acceder a nuestros sistemas. Lo he registrado y un compañero te escribirá a {email} en menos de 24 horas.",
    ],
    de: &[
        "Ich erreiche unsere Systeme leider immer noch nicht. Ich habe das notiert – ein Kollege meldet sich innerhalb von 24 Stunden unter {email}.",
    ],
    fr: &[
        "Je n'arrive toujours pas à joindre nos systèmes. J'ai noté le problème : un collègue vous répondra à {email} sous 24 heures.",
    ],
    ja: &[
        "引き続きシステムに接続できません。記録いたしましたので、24時間以内に担当者より {email} 宛にご連絡いたします。",
    ],
    ar: &[
        "ما زلت غير قادر على الوصول إلى أنظمتنا. لقد سجلت المشكلة، وسيتواصل معك أحد زملائي عبر {email} خلال 24 ساعة.",
    ],
};

/// A human agent taking over after a handoff.
pub(crate) const HUMAN_INTRO: Lines = Lines {
    en: &[
        "Hi {name}, this is {agent} from the Nimbus support team. I've read the conversation so far — let me take it from here.",
    ],
    es: &[
        "Hola {name}, soy {agent}, del equipo de soporte de Nimbus. He leído la conversación; a partir de aquí me encargo yo.",
    ],
    de: &[
        "Hallo {name}, hier ist {agent} vom Nimbus-Support. Ich habe den bisherigen Verlauf gelesen und übernehme ab hier.",
    ],
    fr: &[
        "Bonjour {name}, ici {agent} de l'équipe support Nimbus. J'ai lu la conversation, je prends le relais.",
    ],
    ja: &[
        "{name}様、Nimbusサポートチームの{agent}です。これまでの内容を確認いたしました。ここからは私が対応いたします。",
    ],
    ar: &[
        "مرحباً {name}، معك {agent} من فريق دعم Nimbus. قرأت المحادثة حتى الآن، وسأتولى الأمر من هنا.",
    ],
};

/// Questions a customer asks on the side, with the agent's answer.
pub(crate) const FOLLOW_UPS: &[(Lines, Lines)] = &[
    (
        Lines {
            en: &["Will I get a confirmation by e-mail?"],
            es: &["¿Me llegará una confirmación por correo?"],
            de: &["Bekomme ich eine Bestätigung per E-Mail?"],
            fr: &["Est-ce que je vais recevoir une confirmation par e-mail ?"],
            ja: &["確認メールは届きますか？"],
            ar: &["هل سأتلقى تأكيداً عبر البريد الإلكتروني؟"],
        },
        Lines {
            en: &["Yes, a confirmation goes to **{email}** within a few minutes."],
            es: &["Sí, recibirás una confirmación en **{email}** en unos minutos."],
            de: &["Ja, die Bestätigung geht in wenigen Minuten an **{email}**."],
            fr: &["Oui, une confirmation sera envoyée à **{email}** d'ici quelques minutes."],
            ja: &["はい、数分以内に **{email}** 宛に確認メールをお送りします。"],
            ar: &["نعم، ستصلك رسالة تأكيد على **{email}** خلال دقائق."],
        },
    ),
    (
        Lines {
            en: &["Is there a phone number I can call instead?"],
            es: &["¿Hay algún teléfono al que pueda llamar?"],
            de: &["Gibt es auch eine Telefonnummer?"],
            fr: &["Y a-t-il un numéro de téléphone ?"],
            ja: &["電話で問い合わせることはできますか？"],
            ar: &["هل يوجد رقم هاتف يمكنني الاتصال به؟"],
        },
        Lines {
            en: &[
                "We don't offer phone support, but you can reach us here 24/7, and our team is online **8:00–20:00 CET** on weekdays.",
            ],
            es: &[
                "No tenemos atención telefónica, pero puedes escribirnos aquí 24/7; el equipo está conectado de **8:00 a 20:00 CET** entre semana.",
            ],
            de: &[
                "Telefonischen Support bieten wir nicht an, aber Sie erreichen uns hier rund um die Uhr; unser Team ist werktags von **8 bis 20 Uhr** online.",
            ],
            fr: &[
                "Nous n'avons pas de support téléphonique, mais vous pouvez nous écrire ici 24 h/24 ; l'équipe est en ligne de **8 h à 20 h** en semaine.",
            ],
            ja: &[
                "申し訳ございませんが、電話サポートは行っておりません。こちらのチャットは24時間ご利用いただけます。",
            ],
            ar: &[
                "لا نقدم الدعم عبر الهاتف، لكن يمكنك التواصل معنا هنا على مدار الساعة، وفريقنا متاح من **8:00 إلى 20:00** بتوقيت وسط أوروبا في أيام العمل.",
            ],
        },
    ),
    (
        Lines {
            en: &["How long does shipping usually take?"],
            es: &["¿Cuánto suele tardar el envío?"],
            de: &["Wie lange dauert der Versand normalerweise?"],
            fr: &["Combien de temps prend la livraison en général ?"],
            ja: &["通常、配送にはどのくらいかかりますか？"],
            ar: &["كم يستغرق الشحن عادةً؟"],
        },
        Lines {
            en: &[
                "Standard shipping takes **2–4 business days**, express **1 business day**. Details [here](https://help.nimbushome.example/shipping).",
            ],
            es: &[
                "El envío estándar tarda **2–4 días hábiles** y el exprés **1 día hábil**. Más detalles [aquí](https://help.nimbushome.example/es/envios).",
            ],
            de: &[
                "Standardversand dauert **2–4 Werktage**, Express **1 Werktag**. Details [hier](https://help.nimbushome.example/de/versand).",
            ],
            fr: &[
                "La livraison standard prend **2 à 4 jours ouvrés**, l'express **1 jour ouvré**. Plus d'infos [ici](https://help.nimbushome.example/fr/livraison).",
            ],
            ja: &[
                "通常配送は**2〜4営業日**、お急ぎ便は**1営業日**です。詳しくは[こちら](https://help.nimbushome.example/ja/shipping)。",
            ],
            ar: &[
                "الشحن العادي يستغرق **2–4 أيام عمل**، والسريع **يوم عمل واحد**. التفاصيل [هنا](https://help.nimbushome.example/ar/shipping).",
            ],
        },
    ),
    (
        Lines {
            en: &["Can I use my voucher on items that are on sale?"],
            es: &["¿Puedo usar mi cupón en artículos rebajados?"],
            de: &["Kann ich meinen Gutschein auch für reduzierte Artikel nutzen?"],
            fr: &["Puis-je utiliser mon bon sur les articles en promo ?"],
            ja: &["セール品にもクーポンは使えますか？"],
            ar: &["هل يمكنني استخدام القسيمة على المنتجات المخفضة؟"],
        },
        Lines {
            en: &[
                "Yes, vouchers work on everything except gift cards. Enter the code in the **Discount code** field at checkout.",
            ],
            es: &[
                "Sí, los cupones valen para todo excepto tarjetas regalo. Introduce el código en **Código de descuento** al pagar.",
            ],
            de: &[
                "Ja, Gutscheine gelten für alles außer Geschenkkarten. Geben Sie den Code an der Kasse unter **Rabattcode** ein.",
            ],
            fr: &[
                "Oui, les bons sont valables sur tout sauf les cartes cadeaux. Saisissez le code dans **Code promo** au paiement.",
            ],
            ja: &[
                "はい、ギフトカードを除くすべての商品にご利用いただけます。お支払い画面の**割引コード**欄に入力してください。",
            ],
            ar: &[
                "نعم، القسائم صالحة لكل المنتجات باستثناء بطاقات الهدايا. أدخل الرمز في خانة **رمز الخصم** عند الدفع.",
            ],
        },
    ),
    (
        Lines {
            en: &["Can I change the delivery address for future orders?"],
            es: &["¿Puedo cambiar la dirección de entrega para próximos pedidos?"],
            de: &["Kann ich die Lieferadresse für künftige Bestellungen ändern?"],
            fr: &["Puis-je changer l'adresse de livraison pour mes prochaines commandes ?"],
            ja: &["今後の注文の配送先を変更できますか？"],
            ar: &["هل يمكنني تغيير عنوان التوصيل للطلبات القادمة؟"],
        },
        Lines {
            en: &[
                "Sure. Go to **Account → Addresses**, add the new one and tick *Use as default*.",
            ],
            es: &[
                "Claro. Ve a **Cuenta → Direcciones**, añade la nueva y marca *Usar como predeterminada*.",
            ],
            de: &[
                "Natürlich. Unter **Konto → Adressen** die neue Adresse anlegen und *Als Standard verwenden* anhaken.",
            ],
            fr: &[
                "Bien sûr. Allez dans **Compte → Adresses**, ajoutez la nouvelle et cochez *Utiliser par défaut*.",
            ],
            ja: &[
                "はい。**アカウント → 住所**から新しい住所を追加し、*デフォルトに設定*にチェックを入れてください。",
            ],
            ar: &[
                "بالتأكيد. اذهب إلى **الحساب ← العناوين**، أضف العنوان الجديد وفعّل *الاستخدام كعنوان افتراضي*.",
            ],
        },
    ),
    (
        Lines {
            en: &["Do you ship to other countries?"],
            es: &["¿Hacéis envíos a otros países?"],
            de: &["Liefern Sie auch ins Ausland?"],
            fr: &["Livrez-vous à l'étranger ?"],
            ja: &["海外にも発送していますか？"],
            ar: &["هل تشحنون إلى دول أخرى؟"],
        },
        Lines {
            en: &[
                "We ship to the EU, the UK, Switzerland, the US, Canada, Japan and the UAE. Rates are shown at checkout.",
            ],
            es: &[
                "Enviamos a la UE, Reino Unido, Suiza, EE. UU., Canadá, Japón y EAU. Los costes aparecen al pagar.",
            ],
            de: &[
                "Wir liefern in die EU, nach Großbritannien, in die Schweiz, die USA, Kanada, Japan und die VAE. Die Kosten sehen Sie an der Kasse.",
            ],
            fr: &[
                "Nous livrons dans l'UE, au Royaume-Uni, en Suisse, aux États-Unis, au Canada, au Japon et aux Émirats. Les frais s'affichent au paiement.",
            ],
            ja: &[
                "EU、英国、スイス、米国、カナダ、日本、UAEへ発送しております。送料はお支払い画面に表示されます。",
            ],
            ar: &[
                "نشحن إلى الاتحاد الأوروبي والمملكة المتحدة وسويسرا والولايات المتحدة وكندا واليابان والإمارات. تظهر التكلفة عند الدفع.",
            ],
        },
    ),
    (
        Lines {
            en: &["Is my data safe with you?"],
            es: &["¿Están seguros mis datos?"],
            de: &["Sind meine Daten bei Ihnen sicher?"],
            fr: &["Mes données sont-elles en sécurité ?"],
            ja: &["個人情報は安全に管理されていますか？"],
            ar: &["هل بياناتي آمنة لديكم؟"],
        },
        Lines {
            en: &[
                "Yes. Your data is stored in the EU, encrypted at rest, and never sold. Details in our [privacy policy](https://nimbushome.example/privacy).",
            ],
            es: &[
                "Sí. Tus datos se guardan en la UE, cifrados, y nunca se venden. Más información en nuestra [política de privacidad](https://nimbushome.example/es/privacidad).",
            ],
            de: &[
                "Ja. Ihre Daten liegen verschlüsselt in der EU und werden nie verkauft. Details in unserer [Datenschutzerklärung](https://nimbushome.example/de/datenschutz).",
            ],
            fr: &[
                "Oui. Vos données sont hébergées dans l'UE, chiffrées, et jamais revendues. Détails dans notre [politique de confidentialité](https://nimbushome.example/fr/confidentialite).",
            ],
            ja: &[
                "はい。データはEU内で暗号化して保管しており、販売することは一切ありません。詳しくは[プライバシーポリシー](https://nimbushome.example/ja/privacy)をご覧ください。",
            ],
            ar: &[
                "نعم. بياناتك مخزنة في الاتحاد الأوروبي ومشفرة، ولا نبيعها أبداً. التفاصيل في [سياسة الخصوصية](https://nimbushome.example/ar/privacy).",
            ],
        },
    ),
    (
        Lines {
            en: &["Do you have a student discount?"],
            es: &["¿Tenéis descuento para estudiantes?"],
            de: &["Gibt es einen Studentenrabatt?"],
            fr: &["Avez-vous une réduction étudiante ?"],
            ja: &["学割はありますか？"],
            ar: &["هل لديكم خصم للطلاب؟"],
        },
        Lines {
            en: &[
                "Not at the moment, but if you sign up for our newsletter you get **10% off** your next order and early access to sales.",
            ],
            es: &[
                "Ahora mismo no, pero si te suscribes a nuestra newsletter tendrás un **10 % de descuento** en tu próximo pedido y acceso anticipado a las rebajas.",
            ],
            de: &[
                "Aktuell nicht – aber mit unserem Newsletter bekommen Sie **10 % Rabatt** auf die nächste Bestellung und früheren Zugang zu Sales.",
            ],
            fr: &[
                "Pas pour le moment, mais en vous inscrivant à la newsletter vous obtenez **10 % de réduction** sur votre prochaine commande et un accès anticipé aux soldes.",
            ],
            ja: &[
                "現在は学割はございませんが、ニュースレターにご登録いただくと次回のご注文が**10%オフ**になり、セールの先行案内もお届けします。",
            ],
            ar: &[
                "ليس حالياً، لكن عند الاشتراك في نشرتنا البريدية تحصل على **خصم 10%** على طلبك القادم ووصول مبكر إلى التخفيضات.",
            ],
        },
    ),
    (
        Lines {
            en: &["How long is the warranty on your devices?"],
            es: &["¿Cuánto dura la garantía de vuestros dispositivos?"],
            de: &["Wie lange ist die Garantie auf Ihre Geräte?"],
            fr: &["Quelle est la durée de garantie de vos appareils ?"],
            ja: &["デバイスの保証期間はどのくらいですか？"],
            ar: &["ما مدة الضمان على أجهزتكم؟"],
        },
        Lines {
            en: &[
                "All Nimbus devices come with a **2-year warranty** (3 years for the Nimbus Hub). Register the device in the app to extend it by 6 months.",
            ],
            es: &[
                "Todos los dispositivos Nimbus tienen **2 años de garantía** (3 años el Nimbus Hub). Si registras el dispositivo en la app, se amplía 6 meses.",
            ],
            de: &[
                "Alle Nimbus-Geräte haben **2 Jahre Garantie** (der Nimbus Hub 3 Jahre). Wenn Sie das Gerät in der App registrieren, verlängert sie sich um 6 Monate.",
            ],
            fr: &[
                "Tous les appareils Nimbus sont garantis **2 ans** (3 ans pour le Nimbus Hub). Enregistrez l'appareil dans l'application pour 6 mois supplémentaires.",
            ],
            ja: &[
                "Nimbusのすべてのデバイスに**2年間の保証**が付いています（Nimbus Hubは3年間）。アプリで製品登録すると6か月延長されます。",
            ],
            ar: &[
                "تأتي جميع أجهزة Nimbus مع **ضمان لمدة سنتين** (3 سنوات لجهاز Nimbus Hub). سجّل الجهاز في التطبيق لتمديده 6 أشهر.",
            ],
        },
    ),
];

/// Before a tool call that follows a customer message, sometimes.
pub(crate) const ONE_MOMENT: Lines = Lines {
    en: &[
        "One moment, let me check.",
        "Let me look that up for you…",
        "Checking now, just a second.",
    ],
    es: &["Un momento, lo compruebo.", "Déjame mirarlo…"],
    de: &["Einen Moment, ich schaue nach.", "Ich prüfe das kurz…"],
    fr: &["Un instant, je vérifie.", "Je regarde ça tout de suite…"],
    ja: &["少々お待ちください。確認いたします。"],
    ar: &["لحظة من فضلك، سأتحقق من ذلك.", "دعني أبحث عن ذلك…"],
};

pub(crate) const ANYTHING_ELSE: Lines = Lines {
    en: &[
        "Is there anything else I can help you with?",
        "Anything else I can do for you today?",
    ],
    es: &["¿Puedo ayudarte en algo más?"],
    de: &["Kann ich sonst noch etwas für Sie tun?"],
    fr: &["Puis-je vous aider pour autre chose ?"],
    ja: &["ほかにお手伝いできることはございますか？"],
    ar: &["هل هناك أي شيء آخر يمكنني مساعدتك به؟"],
};

pub(crate) const NOTHING_ELSE: Lines = Lines {
    en: &[
        "No, that's all. Thanks!",
        "Nope, all good",
        "That's everything, thank you",
    ],
    es: &["No, eso es todo. ¡Gracias!"],
    de: &["Nein, das war's. Danke!"],
    fr: &["Non, c'est tout. Merci !"],
    ja: &["いいえ、大丈夫です。ありがとうございました。"],
    ar: &["لا، هذا كل شيء. شكراً!"],
};

/// The agent confirms who it is talking to before changing anything.
pub(crate) const VERIFY: Lines = Lines {
    en: &[
        "Before I make changes: could you confirm the e-mail address on your account?",
        "For security, please confirm the e-mail address you use with us.",
    ],
    es: &["Antes de hacer cambios, ¿me confirmas el correo electrónico de tu cuenta?"],
    de: &["Bevor ich etwas ändere: Können Sie mir die E-Mail-Adresse Ihres Kontos bestätigen?"],
    fr: &["Avant toute modification, pouvez-vous me confirmer l'adresse e-mail de votre compte ?"],
    ja: &["変更の前に、ご登録のメールアドレスを確認させていただけますか？"],
    ar: &["قبل إجراء أي تغيير، هل يمكنك تأكيد البريد الإلكتروني المسجل في حسابك؟"],
};

pub(crate) const GIVE_EMAIL: Lines = Lines {
    en: &["{email}", "Sure, it's {email}"],
    es: &["Claro: {email}"],
    de: &["{email}"],
    fr: &["{email}"],
    ja: &["{email} です"],
    ar: &["{email}"],
};

/// A customer who mistypes the order number first.
pub(crate) const ORDER_TYPO: Lines = Lines {
    en: &["It's #{order_short}", "#{order_short}"],
    es: &["Es el #{order_short}"],
    de: &["#{order_short}"],
    fr: &["C'est la #{order_short}"],
    ja: &["#{order_short} です"],
    ar: &["رقم الطلب #{order_short}"],
};

pub(crate) const ORDER_CHECK: Lines = Lines {
    en: &[
        "Hmm, I can't find **#{order_short}**. Order numbers have 5 digits — could you check your confirmation e-mail?",
    ],
    es: &[
        "Mmm, no encuentro el **#{order_short}**. Los números de pedido tienen 5 cifras, ¿puedes revisar el correo de confirmación?",
    ],
    de: &[
        "Hm, die **#{order_short}** finde ich nicht. Bestellnummern sind fünfstellig – können Sie in der Bestätigungs-E-Mail nachsehen?",
    ],
    fr: &[
        "Hmm, je ne trouve pas la commande **#{order_short}**. Les numéros ont 5 chiffres : pouvez-vous vérifier l'e-mail de confirmation ?",
    ],
    ja: &[
        "**#{order_short}** が見つかりません。ご注文番号は5桁です。確認メールをもう一度ご確認いただけますか？",
    ],
    ar: &[
        "لم أجد الطلب **#{order_short}**. أرقام الطلبات من 5 خانات، هل يمكنك التحقق من رسالة التأكيد؟",
    ],
};

pub(crate) const ORDER_SORRY: Lines = Lines {
    en: &["Sorry, typo: #{order}", "oops, #{order}"],
    es: &["Perdón, es el #{order}"],
    de: &["Sorry, Tippfehler: #{order}"],
    fr: &["Pardon, c'est la #{order}"],
    ja: &["失礼しました、#{order} です"],
    ar: &["عذراً، الرقم الصحيح #{order}"],
};

/// What customers write with their rating, by sentiment.
pub(crate) const CUSTOMER_POSITIVE: Lines = Lines {
    en: &[
        "Quick and helpful, thank you!",
        "Sorted in two minutes 👍",
        "Great service as always",
    ],
    es: &[
        "¡Rápido y muy útil, gracias!",
        "Todo resuelto en minutos 👍",
    ],
    de: &[
        "Schnell und hilfreich, danke!",
        "In zwei Minuten erledigt 👍",
    ],
    fr: &["Rapide et efficace, merci !", "Réglé en deux minutes 👍"],
    ja: &[
        "迅速で丁寧な対応、ありがとうございました！",
        "すぐに解決しました👍",
    ],
    ar: &["خدمة سريعة ومفيدة، شكراً!", "تم حل المشكلة في دقيقتين 👍"],
};

pub(crate) const CUSTOMER_NEUTRAL: Lines = Lines {
    en: &[
        "It was ok.",
        "Took a while, but it got solved.",
        "Fine, but I had to repeat myself.",
    ],
    es: &["Estuvo bien.", "Tardó un poco, pero se solucionó."],
    de: &["War okay.", "Hat etwas gedauert, aber passt."],
    fr: &["C'était correct.", "Un peu long, mais c'est réglé."],
    ja: &["普通でした。", "少し時間がかかりましたが解決しました。"],
    ar: &["كانت جيدة.", "استغرق الأمر وقتاً لكن تم الحل."],
};

pub(crate) const CUSTOMER_NEGATIVE: Lines = Lines {
    en: &[
        "The bot didn't understand me at all 😡",
        "Still waiting for my refund.",
        "Way too long to reach a human.",
    ],
    es: &["El bot no me entendía 😡", "Sigo esperando el reembolso."],
    de: &[
        "Der Bot hat mich überhaupt nicht verstanden 😡",
        "Warte immer noch auf meine Erstattung.",
    ],
    fr: &[
        "Le bot ne comprenait rien 😡",
        "J'attends toujours mon remboursement.",
    ],
    ja: &[
        "ボットが全く理解してくれませんでした😡",
        "まだ返金されていません。",
    ],
    ar: &["الروبوت لم يفهمني إطلاقاً 😡", "ما زلت أنتظر استرداد أموالي."],
};

/// What the platform's automatic review writes (in English, for the support
/// team), by verdict and by what happened in the conversation.
#[must_use]
pub(crate) fn platform_comments(
    sentiment: &str,
    incident: bool,
    troubled: bool,
    handoff: bool,
) -> &'static [&'static str] {
    match sentiment {
        "positive" => &[
            "Auto-QA: resolved on first contact.",
            "Auto-QA: correct policy applied, customer confirmed the outcome.",
        ],
        "neutral" if handoff => &["Auto-QA: resolved after a human handoff."],
        "neutral" => &[
            "Auto-QA: customer stopped replying before confirming.",
            "Auto-QA: resolved, but slower than the 5-minute target.",
        ],
        _ if incident => &["Auto-QA: unresolved, customer affected by an incident."],
        _ if troubled => &["Auto-QA: a tool call failed; the agent retried instead of escalating."],
        _ if handoff => &["Auto-QA: the handoff took longer than the 3-minute target."],
        _ => &[
            "Auto-QA: agent repeated the same answer.",
            "Auto-QA: customer had to rephrase the question twice.",
        ],
    }
}

/// Emoji a customer may add, by how the conversation feels to them.
pub(crate) const EMOJI_PLEASED: &[&str] = &["🙂", "👍", "😊", "🙏"];
pub(crate) const EMOJI_MIXED: &[&str] = &["😕", "🤔", "😅"];
pub(crate) const EMOJI_UPSET: &[&str] = &["😡", "😤", "🙄", "😠"];
