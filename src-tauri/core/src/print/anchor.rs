//! The audit trail's anchor on the files KAP Desk hands out: the line printed at the end
//! of each export (`AuditAnchor::line`), the PDF keywords carrying the same line, and
//! the JSON export's `auditTrail` field; and reading any of them back (`find_anchor`),
//! for `kapdesk audit verify --against FILE`.

use crate::model::audit::AuditAnchor;

/// The anchor a file KAP Desk exported carries: a PDF's keywords, a JSON export's
/// `auditTrail`, or the anchor line anywhere in a text file (a Markdown export, or a
/// note where the therapist copied the line). `None` when the file has none.
pub fn find_anchor(bytes: &[u8]) -> Option<AuditAnchor> {
    if bytes.starts_with(b"%PDF") {
        return pdf_keywords(bytes).and_then(|k| AuditAnchor::find_in_text(&k));
    }
    let text = std::str::from_utf8(bytes).ok()?;
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text)
        && let Some(field) = value.get("auditTrail")
    {
        return serde_json::from_value::<AuditAnchor>(field.clone())
            .ok()
            .filter(|a| a.head.len() == 64 && a.head.chars().all(|c| c.is_ascii_hexdigit()))
            .map(|a| AuditAnchor {
                head: a.head.to_ascii_lowercase(),
                ..a
            });
    }
    AuditAnchor::find_in_text(text)
}

/// The document information's Keywords of a PDF, decoded.
fn pdf_keywords(bytes: &[u8]) -> Option<String> {
    let doc = lopdf::Document::load_mem(bytes).ok()?;
    let info = doc.trailer.get_deref(b"Info", &doc).ok()?.as_dict().ok()?;
    lopdf::decode_text_string(info.get(b"Keywords").ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchor() -> AuditAnchor {
        AuditAnchor {
            entries: 42,
            head: "c0ffee".repeat(10) + "abcd",
        }
    }

    #[test]
    fn the_anchor_reads_back_from_json_and_markdown() {
        let json = serde_json::json!({"schema": "kapdesk.notes-export", "auditTrail": anchor()});
        assert_eq!(find_anchor(json.to_string().as_bytes()), Some(anchor()));
        let md = format!("# Progress notes\n\n---\n\n{}\n", anchor().line());
        assert_eq!(find_anchor(md.as_bytes()), Some(anchor()));
        assert_eq!(find_anchor(b"# Progress notes\n"), None);
        assert_eq!(find_anchor(&[0x8f, 0x00, 0xff, 0x13]), None);
    }
}
