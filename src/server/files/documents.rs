//! The sample documents and sounds: a text and a CSV invoice, a console log, a one-page PDF invoice and a short WAV chime, all built in code.

use std::fmt::Write as _;

/// Invoice lines shared by the text, CSV and PDF invoices: (item, quantity, unit price in cents).
const LINES: [(&str, u32, u32); 4] = [
    ("Smart thermostat T3", 1, 12_900),
    ("Wall bracket kit", 2, 1_450),
    ("Express delivery", 1, 895),
    ("Extended warranty, 2 years", 1, 3_900),
];

fn money(cents: u32) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

fn total() -> u32 {
    LINES.iter().map(|(_, n, each)| n * each).sum()
}

/// A plain-text invoice (under 2 KB, so it fits every text attachment's announced size).
pub(super) fn invoice_text() -> String {
    let mut text = String::from(
        "NimbusHome Ltd - INVOICE INV-2026-27812\nDate: 2026-11-09    Order: ORD-448120\nBill to: Customer 4821, 12 Harbour Row, Leith\n\n",
    );
    let _ = writeln!(
        text,
        "{:<30} {:>4} {:>10} {:>10}",
        "Item", "Qty", "Each", "Amount"
    );
    for (item, n, each) in LINES {
        let _ = writeln!(
            text,
            "{item:<30} {n:>4} {:>10} {:>10}",
            money(each),
            money(n * each)
        );
    }
    let _ = writeln!(text, "\n{:<46} {:>10}", "Total (GBP)", money(total()));
    text.push_str("\nPaid by card ending 4242. Thank you for your order.\n");
    text
}

/// The same invoice as CSV.
pub(super) fn invoice_csv() -> String {
    let mut csv = String::from("item,quantity,unit_price,amount,currency\n");
    for (item, n, each) in LINES {
        let _ = writeln!(
            csv,
            "\"{item}\",{n},{},{},GBP",
            money(each),
            money(n * each)
        );
    }
    let _ = writeln!(csv, "\"Total\",,,{},GBP", money(total()));
    csv
}

/// A browser console log, as customers paste them.
pub(super) fn console_log() -> String {
    [
        "[09:14:02.118] INFO  app boot v4.12.0 (build 8812)",
        "[09:14:02.530] INFO  session restored for customer 4821",
        "[09:14:03.002] WARN  sync: device T3-00A1 last seen 26 min ago",
        "[09:14:05.441] ERROR sync: POST /v2/devices/T3-00A1/schedule -> 409 Conflict",
        "[09:14:05.442] ERROR sync: schedule rejected: revision 17 is older than 18",
        "[09:14:07.900] INFO  retry 1/3 in 2000 ms",
        "[09:14:09.951] ERROR sync: POST /v2/devices/T3-00A1/schedule -> 409 Conflict",
        "[09:14:12.003] WARN  giving up; the schedule shown may be out of date",
        "",
    ]
    .join("\n")
}

/// A one-page PDF invoice, with a correct cross-reference table.
pub(super) fn invoice_pdf() -> Vec<u8> {
    let mut content = String::from("BT /F1 11 Tf 56 780 Td 14 TL\n");
    for line in invoice_text().lines() {
        let escaped = line
            .replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)");
        let _ = writeln!(content, "({escaped}) '");
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}endstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>".to_owned(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        let _ = write!(pdf, "{} 0 obj\n{body}\nendobj\n", i + 1);
    }
    let xref = pdf.len();
    let _ = write!(pdf, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(pdf, "{offset:010} 00000 n ");
    }
    let _ = write!(
        pdf,
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    );
    pdf.into_bytes()
}

/// Half a second of a two-note doorbell chime: 8 kHz, 8-bit, mono PCM.
pub(super) fn chime_wav() -> Vec<u8> {
    const RATE: u32 = 8_000;
    const SAMPLES: u32 = RATE / 2;
    let mut pcm = Vec::with_capacity(SAMPLES as usize);
    for i in 0..SAMPLES {
        let t = f64::from(i) / f64::from(RATE);
        let pitch = if i < SAMPLES / 2 { 659.25 } else { 523.25 };
        let fade = 1.0 - f64::from(i % (SAMPLES / 2)) / f64::from(SAMPLES / 2);
        let wave = (t * pitch * std::f64::consts::TAU).sin() * fade;
        // In -1..=1, so the sample stays within 8 bits.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        pcm.push((128.0 + wave * 90.0).round() as u8);
    }
    let data_len = u32::try_from(pcm.len()).unwrap_or(u32::MAX);
    let mut wav = Vec::with_capacity(pcm.len() + 44);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16_u32.to_le_bytes());
    wav.extend_from_slice(&1_u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1_u16.to_le_bytes()); // mono
    wav.extend_from_slice(&RATE.to_le_bytes());
    wav.extend_from_slice(&RATE.to_le_bytes()); // bytes per second
    wav.extend_from_slice(&1_u16.to_le_bytes()); // block align
    wav.extend_from_slice(&8_u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());
    wav.extend_from_slice(&pcm);
    wav
}

/// What the server says in place of a file type it has no sample of.
pub(super) fn no_sample_note(mime: &str) -> String {
    format!("convo serve has no sample file of type {mime}; this short note stands in for it.\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_fit_the_smallest_announced_text_size() {
        for text in [invoice_text(), invoice_csv(), console_log()] {
            assert!(text.len() < 2_048, "{} bytes", text.len());
        }
    }

    #[test]
    fn the_pdf_points_at_its_objects() {
        let pdf = invoice_pdf();
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.4") && text.ends_with("%%EOF\n"));
        let xref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap_or("")
            .lines()
            .next()
            .unwrap_or("")
            .parse()
            .unwrap_or(0);
        assert!(text[xref..].starts_with("xref"));
    }

    #[test]
    fn the_wav_header_counts_its_samples() {
        let wav = chime_wav();
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(wav.len(), 44 + 4_000);
    }
}
