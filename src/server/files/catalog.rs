//! Which sample file stands behind each attachment: chosen by MIME type, then by the attachment's `type`; each sample made once and shared by every attachment that uses it.

use std::collections::HashMap;

use axum::body::Bytes;

use super::{containers, documents, pictures};
use crate::provider::model::Attachment;

/// A file as the route serves it.
#[derive(Clone, Debug)]
pub(super) struct Sample {
    pub content_type: String,
    pub bytes: Bytes,
}

impl Sample {
    fn new(content_type: &str, bytes: impl Into<Bytes>) -> Self {
        Self {
            content_type: content_type.to_owned(),
            bytes: bytes.into(),
        }
    }
}

/// Every sample, made once.
pub(super) struct Samples {
    parcel_png: Sample,
    receipt_png: Sample,
    parcel_jpeg: Sample,
    receipt_jpeg: Sample,
    invoice_pdf: Sample,
    invoice_text: Sample,
    invoice_csv: Sample,
    console_log: Sample,
    chime_wav: Sample,
    parcel_clip: Sample,
    order_form: Sample,
}

impl Samples {
    pub(super) fn new() -> Self {
        let (parcel, receipt) = (pictures::parcel(), pictures::receipt());
        Self {
            parcel_png: Sample::new("image/png", parcel.png()),
            receipt_png: Sample::new("image/png", receipt.png()),
            parcel_jpeg: Sample::new("image/jpeg", parcel.jpeg()),
            receipt_jpeg: Sample::new("image/jpeg", receipt.jpeg()),
            invoice_pdf: Sample::new("application/pdf", documents::invoice_pdf()),
            invoice_text: Sample::new("text/plain; charset=utf-8", documents::invoice_text()),
            invoice_csv: Sample::new("text/csv; charset=utf-8", documents::invoice_csv()),
            console_log: Sample::new("text/plain; charset=utf-8", documents::console_log()),
            chime_wav: Sample::new("audio/wav", documents::chime_wav()),
            parcel_clip: Sample::new("video/x-msvideo", containers::parcel_clip()),
            order_form: Sample::new(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                containers::word_document(&documents::invoice_text().lines().collect::<Vec<_>>()),
            ),
        }
    }

    /// The sample for one attachment. Photos alternate between the parcel and
    /// the receipt by id; a type with no sample gets a short note that says so
    /// (served as the text it is, never under the type it is not).
    pub(super) fn pick(&self, attachment: &Attachment) -> Sample {
        let id = attachment.id.unwrap_or(0);
        let mime = attachment
            .mime_type
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase();
        let name = attachment
            .filename
            .as_deref()
            .unwrap_or("")
            .to_ascii_lowercase();
        let even = id % 2 == 0;
        let chosen = match mime.as_str() {
            "image/png" => Some(if even {
                &self.parcel_png
            } else {
                &self.receipt_png
            }),
            "image/jpeg" | "image/jpg" => Some(if even {
                &self.parcel_jpeg
            } else {
                &self.receipt_jpeg
            }),
            "application/pdf" => Some(&self.invoice_pdf),
            "text/csv" => Some(&self.invoice_csv),
            "text/plain" if name.contains("log") || name.contains("error") => {
                Some(&self.console_log)
            }
            m if m.starts_with("text/") => Some(&self.invoice_text),
            // Every sound is the chime, served as the WAV it is.
            m if m.starts_with("audio/") => Some(&self.chime_wav),
            // Every video is the clip, served as the AVI it is.
            m if m.starts_with("video/") => Some(&self.parcel_clip),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                Some(&self.order_form)
            }
            _ => None,
        };
        if let Some(sample) = chosen {
            return sample.clone();
        }
        let note = if mime.is_empty() {
            attachment.kind.as_deref().unwrap_or("unknown").to_owned()
        } else {
            mime
        };
        Sample::new(
            "text/plain; charset=utf-8",
            documents::no_sample_note(&note),
        )
    }
}

/// Attachment id → the file served for it.
pub(super) fn index<'a>(
    attachments: impl Iterator<Item = &'a Attachment>,
    samples: &Samples,
) -> HashMap<i64, Sample> {
    attachments
        .filter_map(|a| Some((a.id?, samples.pick(a))))
        .collect()
}
