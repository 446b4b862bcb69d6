//! Vocabulary the demo generators share: the customers, their countries and phones, the devices they write from.

/// A customer's name, ISO country code and phone number.
pub(crate) const PEOPLE: &[(&str, &str, &str)] = &[
    ("Ana García", "ES", "+34 612 345 678"),
    ("John Miller", "US", "+1 415 555 0142"),
    ("Lena Schmidt", "DE", "+49 151 23456789"),
    ("Yuki Tanaka", "JP", "+81 90 1234 5678"),
    ("Omar Haddad", "AE", "+971 50 123 4567"),
    ("Chloé Martin", "FR", "+33 6 12 34 56 78"),
    ("Priya Nair", "IN", "+91 98765 43210"),
    ("Lucas Silva", "BR", "+55 11 91234 5678"),
    ("Emma Wilson", "GB", "+44 7700 900123"),
    ("Noah Brown", "CA", "+1 604 555 0199"),
];

/// A device kind, browser and operating system seen on web chat.
pub(crate) const DEVICES: &[(&str, &str, &str)] = &[
    ("desktop", "Chrome", "Windows"),
    ("desktop", "Safari", "macOS"),
    ("mobile", "Safari", "iOS"),
    ("mobile", "Chrome", "Android"),
    ("tablet", "Safari", "iPadOS"),
    ("desktop", "Firefox", "Linux"),
];
