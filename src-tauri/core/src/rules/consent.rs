//! Informed consent's rules: when an item counts as done, and when a checklist may be
//! changed, signed or withdrawn. The refusal sentences are the ones the UI shows.

use crate::error::{Error, Result};
use crate::model::consent::ConsentStatus;

/// An item is done once discussed, and initialled where the template asks for initials.
pub fn item_done(discussed: bool, initialled: bool, initials_required: bool) -> bool {
    discussed && (initialled || !initials_required)
}

/// A signed consent never changes.
pub fn check_changeable(status: &ConsentStatus) -> Result<()> {
    if status.locked {
        return Err(Error::invalid(
            "consent",
            "This consent is signed and locked; it cannot be changed.",
        ));
    }
    Ok(())
}

/// Signing waits for every item to be done, and happens once.
pub fn check_signable(status: &ConsentStatus) -> Result<()> {
    if status.locked {
        return Err(Error::invalid("consent", "This consent is already signed."));
    }
    if !status.complete {
        let missing: Vec<&str> = status
            .items
            .iter()
            .filter(|i| !i.done)
            .map(|i| i.title.as_str())
            .collect();
        return Err(Error::invalid(
            "consent",
            format!(
                "{} of {} items are not yet discussed and initialled: {}.",
                missing.len(),
                status.total,
                missing.join("; ")
            ),
        ));
    }
    Ok(())
}

/// Only a signed consent can be withdrawn.
pub fn check_withdrawable(status: Option<ConsentStatus>) -> Result<ConsentStatus> {
    status.filter(|s| s.locked).ok_or_else(|| {
        Error::invalid(
            "consent",
            "There is no signed consent to withdraw for this course.",
        )
    })
}

/// A new consent is started only once the client has withdrawn the current one: a
/// standing or unfinished consent is continued, never replaced.
pub fn check_renewable(status: Option<&ConsentStatus>) -> Result<()> {
    match status {
        Some(s) if s.withdrawal.is_some() => Ok(()),
        Some(s) if s.locked => Err(Error::invalid(
            "consent",
            "The signed consent stands; a new one is started only after the client withdraws it.",
        )),
        _ => Err(Error::invalid(
            "consent",
            "This course's consent is not signed yet; continue the checklist that is open.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::consent::{ConsentItemStatus, ConsentSignature};
    use crate::model::session::ConsentMethod;

    fn item(title: &str, done: bool) -> ConsentItemStatus {
        ConsentItemStatus {
            id: title.to_lowercase(),
            section: "Risks".into(),
            title: title.into(),
            text: "Text.".into(),
            initials_required: true,
            discussed_on: done.then(|| "2026-11-01".to_owned()),
            session_id: None,
            initialled: done,
            note: String::new(),
            done,
        }
    }

    fn status(items: Vec<ConsentItemStatus>, signed: bool) -> ConsentStatus {
        let done = items.iter().filter(|i| i.done).count() as u32;
        let total = items.len() as u32;
        let signature = signed.then(|| ConsentSignature {
            signed_on: "2026-11-02".into(),
            method: ConsentMethod::Paper,
            attested_by: "Dr. Okafor".into(),
        });
        ConsentStatus {
            checklist_id: "k1-consent".into(),
            template_id: "kap".into(),
            template_version: 1,
            title: "Consent".into(),
            items,
            done,
            total,
            complete: done == total,
            locked: signature.is_some(),
            signature,
            withdrawal: None,
        }
    }

    #[test]
    fn an_item_needing_initials_is_done_only_when_initialled() {
        assert!(!item_done(false, false, false));
        assert!(item_done(true, false, false));
        assert!(!item_done(true, false, true));
        assert!(item_done(true, true, true));
    }

    #[test]
    fn signing_waits_for_every_item_and_happens_once() {
        let open = status(vec![item("Risks", true), item("Touch", false)], false);
        let e = check_signable(&open).unwrap_err().to_string();
        assert!(
            e.contains("1 of 2 items are not yet discussed and initialled: Touch."),
            "{e}"
        );
        let ready = status(vec![item("Risks", true)], false);
        assert!(check_signable(&ready).is_ok());
        assert!(check_changeable(&ready).is_ok());
        let signed = status(vec![item("Risks", true)], true);
        let e = check_signable(&signed).unwrap_err().to_string();
        assert!(e.contains("This consent is already signed."), "{e}");
        let e = check_changeable(&signed).unwrap_err().to_string();
        assert!(
            e.contains("This consent is signed and locked; it cannot be changed."),
            "{e}"
        );
    }

    #[test]
    fn only_a_signed_consent_can_be_withdrawn() {
        let e = check_withdrawable(None).unwrap_err().to_string();
        assert!(
            e.contains("There is no signed consent to withdraw for this course."),
            "{e}"
        );
        assert!(check_withdrawable(Some(status(vec![item("Risks", true)], false))).is_err());
        assert!(check_withdrawable(Some(status(vec![item("Risks", true)], true))).is_ok());
    }
}
