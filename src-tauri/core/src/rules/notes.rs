//! The integrity of signed notes: the canonical content a signature covers, its SHA-256
//! (`note_hash`, `addendum_hash`), and the check every read makes of a stored note and
//! its addenda (`check`). Pure functions of the stored rows; no database, no clock.

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::model::notes::{NoteFormat, NoteSection, NoteState, StoredAddendum, StoredNote};

/// What a signature covers, serialised with a fixed field order. Changing this breaks
/// every stored hash: add a new schema version instead.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CanonicalNote<'a> {
    schema: &'static str,
    session_id: &'a str,
    format: &'a str,
    sections: &'a [NoteSection],
    signed_at: &'a str,
    signed_by: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CanonicalAddendum<'a> {
    schema: &'static str,
    session_id: &'a str,
    seq: u32,
    text: &'a str,
    signed_at: &'a str,
    signed_by: &'a str,
    /// Chains the addendum to the note it amends.
    note_sha256: &'a str,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The SHA-256 (lower-case hex) of a note as signed: its session, format, sections,
/// and who signed it when.
pub fn note_hash(
    session_id: &str,
    format: &str,
    sections: &[NoteSection],
    signed_at: &str,
    signed_by: &str,
) -> Result<String> {
    let c = CanonicalNote {
        schema: "kapdesk.note.v1",
        session_id,
        format,
        sections,
        signed_at,
        signed_by,
    };
    Ok(sha256_hex(&serde_json::to_vec(&c).map_err(|e| {
        Error::invalid("note", format!("The note could not be serialised: {e}"))
    })?))
}

/// The SHA-256 of an addendum as signed, chained to the hash of the note it amends.
pub fn addendum_hash(
    session_id: &str,
    seq: u32,
    text: &str,
    signed_at: &str,
    signed_by: &str,
    note_sha256: &str,
) -> Result<String> {
    let c = CanonicalAddendum {
        schema: "kapdesk.addendum.v1",
        session_id,
        seq,
        text,
        signed_at,
        signed_by,
        note_sha256,
    };
    Ok(sha256_hex(&serde_json::to_vec(&c).map_err(|e| {
        Error::invalid(
            "addendum",
            format!("The addendum could not be serialised: {e}"),
        )
    })?))
}

/// A note as read back and checked: sections, its state, and whether its signature and
/// its addenda still match their hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub format: NoteFormat,
    pub sections: Vec<NoteSection>,
    pub state: NoteState,
    /// `(signed_at, signed_by, sha256)` of a signed note.
    pub signed: Option<(String, String, String)>,
    /// False when the note or any addendum fails its check.
    pub intact: bool,
    /// Every problem found, in sentences naming the session by `label`.
    pub problem: Option<String>,
    /// Each addendum with whether it matches its hash.
    pub addenda: Vec<(StoredAddendum, bool)>,
}

/// Checks a stored note and its addenda against their hashes. Damaged text is shown as
/// stored, never hidden; every failure is said in `problem`.
pub fn check(
    session_id: &str,
    label: &str,
    note: StoredNote,
    addenda: Vec<StoredAddendum>,
) -> Checked {
    let mut problems = Vec::new();
    let format = NoteFormat::parse(&note.format).unwrap_or(NoteFormat::Free);
    let sections: Vec<NoteSection> = match serde_json::from_str(&note.sections_json) {
        Ok(s) => s,
        Err(_) => {
            problems.push(format!(
                "The text of the note for {label} is damaged and is shown as stored."
            ));
            vec![NoteSection {
                key: "note".into(),
                title: "Note (as stored)".into(),
                text: note.sections_json.clone(),
            }]
        }
    };
    let (state, signed) = match (note.signed_at, note.signed_by, note.sha256) {
        (Some(at), Some(by), Some(hash)) => {
            let now_hash = note_hash(session_id, &note.format, &sections, &at, &by).ok();
            if problems.is_empty() && now_hash.as_deref() != Some(hash.as_str()) {
                problems.push(format!(
                    "INTEGRITY CHECK FAILED: the signed note for {label} no longer matches the fingerprint (SHA-256) stored when it was signed. It may have been altered outside KAP Desk. Keep a backup and do not rely on this text without checking it."
                ));
            }
            (NoteState::Signed, Some((at, by, hash)))
        }
        (None, _, _) => (NoteState::Draft, None),
        _ => {
            problems.push(format!(
                "The signature of the note for {label} is incomplete."
            ));
            (NoteState::Signed, None)
        }
    };
    let note_sha = signed.as_ref().map(|s| s.2.clone()).unwrap_or_default();
    let addenda: Vec<(StoredAddendum, bool)> = addenda
        .into_iter()
        .map(|a| {
            let ok = addendum_hash(
                session_id,
                a.seq,
                &a.text,
                &a.signed_at,
                &a.signed_by,
                &note_sha,
            )
            .is_ok_and(|h| h == a.sha256);
            if !ok {
                problems.push(format!(
                    "INTEGRITY CHECK FAILED: addendum {} to the note for {label} no longer matches its fingerprint (SHA-256).",
                    a.seq
                ));
            }
            (a, ok)
        })
        .collect();
    Checked {
        format,
        sections,
        state,
        signed,
        intact: problems.is_empty(),
        problem: (!problems.is_empty()).then(|| problems.join(" ")),
        addenda,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(t: &str) -> Vec<NoteSection> {
        vec![NoteSection {
            key: "note".into(),
            title: "Note".into(),
            text: t.into(),
        }]
    }

    /// A note signed as the feature signs it, and one addendum chained to it.
    fn signed(text: &str) -> (StoredNote, Vec<StoredAddendum>) {
        let json = serde_json::to_string(&sections(text)).unwrap();
        let hash = note_hash(
            "s1",
            "free",
            &sections(text),
            "2026-11-20T10:00:00Z",
            "Dr A",
        )
        .unwrap();
        let a_hash =
            addendum_hash("s1", 1, "Later.", "2026-11-21T09:00:00Z", "Dr A", &hash).unwrap();
        (
            StoredNote {
                format: "free".into(),
                sections_json: json,
                updated_at: "2026-11-20T09:59:00.000Z".into(),
                signed_at: Some("2026-11-20T10:00:00Z".into()),
                signed_by: Some("Dr A".into()),
                sha256: Some(hash),
            },
            vec![StoredAddendum {
                id: "a1".into(),
                seq: 1,
                text: "Later.".into(),
                signed_at: "2026-11-21T09:00:00Z".into(),
                signed_by: "Dr A".into(),
                sha256: a_hash,
            }],
        )
    }

    #[test]
    fn the_hash_covers_every_byte_of_the_text() {
        let a = note_hash("s", "free", &sections("calm"), "t", "me").unwrap();
        let b = note_hash("s", "free", &sections("calm "), "t", "me").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(
            a,
            note_hash("s", "free", &sections("calm"), "t", "me").unwrap()
        );
        assert_ne!(
            a,
            note_hash("s", "free", &sections("calm"), "t", "you").unwrap()
        );
    }

    #[test]
    fn an_addendum_hash_is_chained_to_its_note() {
        let a = addendum_hash("s", 1, "x", "t", "me", "aaaa").unwrap();
        assert_ne!(a, addendum_hash("s", 1, "x", "t", "me", "bbbb").unwrap());
        assert_ne!(a, addendum_hash("s", 2, "x", "t", "me", "aaaa").unwrap());
    }

    #[test]
    fn a_signed_note_and_its_addenda_check_out() {
        let (note, addenda) = signed("She spoke about the lighthouse.");
        let c = check("s1", "Preparation 1", note, addenda);
        assert!(c.intact, "{:?}", c.problem);
        assert_eq!(c.problem, None);
        assert_eq!(c.state, NoteState::Signed);
        assert_eq!(c.format, NoteFormat::Free);
        assert_eq!(c.sections, sections("She spoke about the lighthouse."));
        assert_eq!(c.signed.as_ref().unwrap().1, "Dr A");
        assert!(c.addenda.iter().all(|(_, ok)| *ok));
    }

    #[test]
    fn a_changed_note_fails_and_takes_its_addenda_with_it_only_when_they_change() {
        let (mut note, addenda) = signed("calm");
        note.sections_json = serde_json::to_string(&sections("not calm")).unwrap();
        let c = check("s1", "Dosing 1", note, addenda.clone());
        assert!(!c.intact);
        assert_eq!(c.state, NoteState::Signed);
        assert!(
            c.problem.as_deref().unwrap().starts_with(
                "INTEGRITY CHECK FAILED: the signed note for Dosing 1 no longer matches"
            )
        );
        assert!(c.addenda[0].1, "the addendum is chained to the stored hash");

        let (note, mut addenda) = signed("calm");
        addenda[0].text = "Earlier.".into();
        let c = check("s1", "Dosing 1", note, addenda);
        assert!(!c.intact);
        assert!(!c.addenda[0].1);
        assert_eq!(
            c.problem.as_deref(),
            Some(
                "INTEGRITY CHECK FAILED: addendum 1 to the note for Dosing 1 no longer matches its fingerprint (SHA-256)."
            )
        );
    }

    #[test]
    fn a_draft_is_intact_and_unsigned() {
        let (mut note, _) = signed("draft text");
        note.signed_at = None;
        note.signed_by = None;
        note.sha256 = None;
        let c = check("s1", "Integration 1", note, Vec::new());
        assert!(c.intact);
        assert_eq!(c.state, NoteState::Draft);
        assert_eq!(c.signed, None);
    }

    #[test]
    fn damaged_text_is_shown_as_stored_and_said() {
        let (mut note, _) = signed("x");
        note.sections_json = "{not json".into();
        note.format = "unknown".into();
        let c = check("s1", "Integration 2", note, Vec::new());
        assert!(!c.intact);
        assert_eq!(c.format, NoteFormat::Free);
        assert_eq!(c.sections[0].text, "{not json");
        assert_eq!(
            c.problem.as_deref(),
            Some("The text of the note for Integration 2 is damaged and is shown as stored.")
        );
    }

    #[test]
    fn an_incomplete_signature_is_a_problem() {
        let (mut note, _) = signed("x");
        note.signed_by = None;
        let c = check("s1", "Dosing 2", note, Vec::new());
        assert!(!c.intact);
        assert_eq!(c.state, NoteState::Signed);
        assert_eq!(c.signed, None);
        assert_eq!(
            c.problem.as_deref(),
            Some("The signature of the note for Dosing 2 is incomplete.")
        );
    }
}
