//! Who and what the data is about: customers' places and names per language, the support staff, the products, the carriers.

use super::lang::{Currency, Lang};

/// Where a customer writes from. `net` is a documentation prefix (RFC 5737),
/// deliberately: the demo must never show a real person's address.
#[derive(Debug)]
pub(crate) struct Place {
    pub(crate) city: &'static str,
    pub(crate) country: &'static str,
    pub(crate) timezone: &'static str,
    pub(crate) currency: Currency,
    pub(crate) net: &'static str,
}

/// A name as shown, and as it appears in an e-mail address.
#[derive(Debug)]
pub(crate) struct Name {
    pub(crate) shown: &'static str,
    pub(crate) ascii: &'static str,
}

/// The parcel service a region's orders ship with.
pub(crate) struct Carrier {
    pub(crate) name: &'static str,
    pub(crate) slug: &'static str,
    /// Tracking numbers: this prefix, then `digits` random digits.
    pub(crate) prefix: &'static str,
    pub(crate) digits: usize,
}

/// Everything that depends on the customer's language.
pub(crate) struct Locale {
    pub(crate) lang: Lang,
    /// Relative share of customers.
    pub(crate) weight: u32,
    pub(crate) places: &'static [Place],
    pub(crate) first_names: &'static [Name],
    pub(crate) last_names: &'static [Name],
    /// Human agents who take over escalations in this language.
    pub(crate) staff: &'static [&'static str],
    pub(crate) carrier: Carrier,
}

const NET1: &str = "192.0.2.";
const NET2: &str = "198.51.100.";
const NET3: &str = "203.0.113.";

macro_rules! names {
    ($($shown:literal / $ascii:literal),* $(,)?) => {
        &[$(Name { shown: $shown, ascii: $ascii }),*]
    };
}

macro_rules! place {
    ($city:literal, $country:literal, $tz:literal, $cur:ident, $net:expr) => {
        Place {
            city: $city,
            country: $country,
            timezone: $tz,
            currency: Currency::$cur,
            net: $net,
        }
    };
}

pub(crate) const LOCALES: [Locale; 6] = [
    Locale {
        lang: Lang::En,
        weight: 58,
        places: &[
            place!("New York", "US", "America/New_York", Usd, NET1),
            place!("San Francisco", "US", "America/Los_Angeles", Usd, NET2),
            place!("Chicago", "US", "America/Chicago", Usd, NET3),
            place!("Austin", "US", "America/Chicago", Usd, NET1),
            place!("London", "GB", "Europe/London", Gbp, NET2),
            place!("Manchester", "GB", "Europe/London", Gbp, NET3),
            place!("Dublin", "IE", "Europe/Dublin", Eur, NET1),
            place!("Toronto", "CA", "America/Toronto", Usd, NET2),
            place!("Sydney", "AU", "Australia/Sydney", Usd, NET3),
            place!("Singapore", "SG", "Asia/Singapore", Usd, NET1),
        ],
        first_names: names![
            "Emma" / "emma",
            "Liam" / "liam",
            "Olivia" / "olivia",
            "Noah" / "noah",
            "Ava" / "ava",
            "James" / "james",
            "Sophia" / "sophia",
            "Lucas" / "lucas",
            "Mia" / "mia",
            "Ethan" / "ethan",
            "Grace" / "grace",
            "Daniel" / "daniel",
            "Chloe" / "chloe",
            "Ryan" / "ryan",
            "Zoe" / "zoe",
            "Oliver" / "oliver",
        ],
        last_names: names![
            "Smith" / "smith",
            "Johnson" / "johnson",
            "Brown" / "brown",
            "Taylor" / "taylor",
            "Wilson" / "wilson",
            "Clarke" / "clarke",
            "Patel" / "patel",
            "Nguyen" / "nguyen",
            "O'Brien" / "obrien",
            "Walker" / "walker",
            "Murphy" / "murphy",
            "Khan" / "khan",
        ],
        staff: &["Sam Carter", "Priya Nair", "Tom Becker", "Hannah Lee"],
        carrier: Carrier {
            name: "UPS",
            slug: "ups",
            prefix: "1Z9X4E",
            digits: 10,
        },
    },
    Locale {
        lang: Lang::Es,
        weight: 11,
        places: &[
            place!("Madrid", "ES", "Europe/Madrid", Eur, NET3),
            place!("Barcelona", "ES", "Europe/Madrid", Eur, NET1),
            place!("Valencia", "ES", "Europe/Madrid", Eur, NET2),
            place!("Ciudad de México", "MX", "America/Mexico_City", Usd, NET3),
            place!(
                "Buenos Aires",
                "AR",
                "America/Argentina/Buenos_Aires",
                Usd,
                NET1
            ),
            place!("Bogotá", "CO", "America/Bogota", Usd, NET2),
        ],
        first_names: names![
            "Lucía" / "lucia",
            "Mateo" / "mateo",
            "Sofía" / "sofia",
            "Diego" / "diego",
            "Valentina" / "valentina",
            "Javier" / "javier",
            "Camila" / "camila",
            "Pablo" / "pablo",
            "Martina" / "martina",
            "Andrés" / "andres",
        ],
        last_names: names![
            "García" / "garcia",
            "Fernández" / "fernandez",
            "López" / "lopez",
            "Martínez" / "martinez",
            "Rodríguez" / "rodriguez",
            "Sánchez" / "sanchez",
            "Romero" / "romero",
            "Navarro" / "navarro",
        ],
        staff: &["María López", "Diego Ruiz"],
        carrier: Carrier {
            name: "Correos Express",
            slug: "correos",
            prefix: "PQ4F",
            digits: 11,
        },
    },
    Locale {
        lang: Lang::De,
        weight: 10,
        places: &[
            place!("Berlin", "DE", "Europe/Berlin", Eur, NET2),
            place!("München", "DE", "Europe/Berlin", Eur, NET3),
            place!("Hamburg", "DE", "Europe/Berlin", Eur, NET1),
            place!("Köln", "DE", "Europe/Berlin", Eur, NET2),
            place!("Wien", "AT", "Europe/Vienna", Eur, NET3),
            place!("Zürich", "CH", "Europe/Zurich", Chf, NET1),
        ],
        first_names: names![
            "Lena" / "lena",
            "Jonas" / "jonas",
            "Hannah" / "hannah",
            "Felix" / "felix",
            "Marie" / "marie",
            "Lukas" / "lukas",
            "Anna" / "anna",
            "Paul" / "paul",
            "Jürgen" / "juergen",
            "Sabine" / "sabine",
        ],
        last_names: names![
            "Müller" / "mueller",
            "Schmidt" / "schmidt",
            "Schneider" / "schneider",
            "Fischer" / "fischer",
            "Weber" / "weber",
            "Becker" / "becker",
            "Hoffmann" / "hoffmann",
            "Krüger" / "krueger",
        ],
        staff: &["Jonas Weber", "Katrin Vogel"],
        carrier: Carrier {
            name: "DHL",
            slug: "dhl",
            prefix: "JJD0001460",
            digits: 10,
        },
    },
    Locale {
        lang: Lang::Fr,
        weight: 9,
        places: &[
            place!("Paris", "FR", "Europe/Paris", Eur, NET1),
            place!("Lyon", "FR", "Europe/Paris", Eur, NET2),
            place!("Marseille", "FR", "Europe/Paris", Eur, NET3),
            place!("Bruxelles", "BE", "Europe/Brussels", Eur, NET1),
            place!("Montréal", "CA", "America/Toronto", Usd, NET2),
            place!("Genève", "CH", "Europe/Zurich", Chf, NET3),
        ],
        first_names: names![
            "Chloé" / "chloe",
            "Louis" / "louis",
            "Léa" / "lea",
            "Hugo" / "hugo",
            "Camille" / "camille",
            "Arthur" / "arthur",
            "Manon" / "manon",
            "Jules" / "jules",
            "Inès" / "ines",
            "Théo" / "theo",
        ],
        last_names: names![
            "Martin" / "martin",
            "Bernard" / "bernard",
            "Dubois" / "dubois",
            "Lefèvre" / "lefevre",
            "Moreau" / "moreau",
            "Laurent" / "laurent",
            "Girard" / "girard",
            "Roux" / "roux",
        ],
        staff: &["Sophie Martin", "Julien Roux"],
        carrier: Carrier {
            name: "Colissimo",
            slug: "colissimo",
            prefix: "6A",
            digits: 11,
        },
    },
    Locale {
        lang: Lang::Ja,
        weight: 7,
        places: &[
            place!("Tokyo", "JP", "Asia/Tokyo", Jpy, NET2),
            place!("Osaka", "JP", "Asia/Tokyo", Jpy, NET3),
            place!("Yokohama", "JP", "Asia/Tokyo", Jpy, NET1),
            place!("Sapporo", "JP", "Asia/Tokyo", Jpy, NET2),
            place!("Fukuoka", "JP", "Asia/Tokyo", Jpy, NET3),
        ],
        first_names: names![
            "陽菜" / "hina",
            "蓮" / "ren",
            "結衣" / "yui",
            "湊" / "minato",
            "美咲" / "misaki",
            "大翔" / "hiroto",
            "さくら" / "sakura",
            "健太" / "kenta",
        ],
        last_names: names![
            "佐藤" / "sato",
            "鈴木" / "suzuki",
            "高橋" / "takahashi",
            "田中" / "tanaka",
            "伊藤" / "ito",
            "渡辺" / "watanabe",
            "山本" / "yamamoto",
            "中村" / "nakamura",
        ],
        staff: &["田中 愛子", "山本 翔"],
        carrier: Carrier {
            name: "Yamato Transport",
            slug: "yamato",
            prefix: "4601",
            digits: 8,
        },
    },
    Locale {
        lang: Lang::Ar,
        weight: 5,
        places: &[
            place!("Dubai", "AE", "Asia/Dubai", Aed, NET3),
            place!("Abu Dhabi", "AE", "Asia/Dubai", Aed, NET1),
            place!("Riyadh", "SA", "Asia/Riyadh", Usd, NET2),
            place!("Cairo", "EG", "Africa/Cairo", Usd, NET3),
            place!("Amman", "JO", "Asia/Amman", Usd, NET1),
            place!("Casablanca", "MA", "Africa/Casablanca", Eur, NET2),
        ],
        first_names: names![
            "ليلى" / "layla",
            "عمر" / "omar",
            "نور" / "nour",
            "يوسف" / "youssef",
            "سارة" / "sara",
            "خالد" / "khaled",
            "مريم" / "mariam",
            "أحمد" / "ahmed",
        ],
        last_names: names![
            "حداد" / "haddad",
            "منصور" / "mansour",
            "العلي" / "alali",
            "ناصر" / "nasser",
            "الخطيب" / "alkhatib",
            "سليمان" / "suleiman",
        ],
        staff: &["كريم حداد", "ريم سالم"],
        carrier: Carrier {
            name: "Aramex",
            slug: "aramex",
            prefix: "",
            digits: 11,
        },
    },
];

/// The locale of a language.
#[must_use]
pub(crate) fn locale(lang: Lang) -> &'static Locale {
    match lang {
        Lang::En => &LOCALES[0],
        Lang::Es => &LOCALES[1],
        Lang::De => &LOCALES[2],
        Lang::Fr => &LOCALES[3],
        Lang::Ja => &LOCALES[4],
        Lang::Ar => &LOCALES[5],
    }
}

/// Something the shop sells, priced in US cents.
pub(crate) struct Product {
    pub(crate) name: &'static str,
    pub(crate) cents: i64,
}

pub(crate) const PRODUCTS: &[Product] = &[
    Product {
        name: "Nimbus Cam 2",
        cents: 12_990,
    },
    Product {
        name: "Aura Bulb 4-pack",
        cents: 4_990,
    },
    Product {
        name: "Nimbus Hub",
        cents: 8_990,
    },
    Product {
        name: "Breeze Air Purifier",
        cents: 19_990,
    },
    Product {
        name: "Sense Door Sensor",
        cents: 2_990,
    },
    Product {
        name: "Glow Light Strip 3 m",
        cents: 3_990,
    },
    Product {
        name: "Chime Doorbell Pro",
        cents: 14_990,
    },
    Product {
        name: "Thermo Smart Thermostat",
        cents: 16_990,
    },
    Product {
        name: "Nimbus Smart Lock",
        cents: 21_990,
    },
];

/// A price in a currency's minor units. Rough rates, on purpose: the yen
/// price reuses the cent figure (129.90 → ¥12,990), which is about right.
#[must_use]
pub(crate) fn local_price(cents: i64, currency: Currency) -> i64 {
    match currency {
        Currency::Aed => cents * 367 / 100,
        _ => cents,
    }
}

/// Subscription plans of the companion app.
pub(crate) const PLANS: &[(&str, &str, u32)] = &[
    // (metadata value, shown name, weight)
    ("free", "Free", 30),
    ("starter", "Starter", 25),
    ("pro", "Pro", 35),
    ("team", "Team", 10),
];

/// People who write on tickets (in English, whatever the customer's language),
/// as (author, role): support leads report, engineers are `dev`.
pub(crate) const TICKET_AUTHORS: &[(&str, &str)] = &[
    ("Sam Carter", "reporter"),
    ("Priya Nair", "reporter"),
    ("Sophie Martin", "reporter"),
    ("Jonas Weber", "dev"),
    ("Aiko Tanaka", "dev"),
];

/// The API key the support agent files and comments on tickets with: the
/// service names such writes after the key, with the role `agent`.
pub(crate) const AGENT_KEY_NAME: &str = "nimbus-support-agent";

/// Companies behind the business accounts of the long conversations.
pub(crate) const COMPANIES: &[&str] = &[
    "Keller Facility Services",
    "Brightwater Property Group",
    "Harbor & Finch Rentals",
    "Northgate Student Living",
    "Alpine Smart Homes",
];
