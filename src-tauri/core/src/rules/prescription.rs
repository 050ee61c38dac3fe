//! What was taken against what was prescribed. The prescription is the partner medical
//! team's words ("Ketamine", "sublingual tablet/troche", "200 mg, one troche"); the
//! record is structured. A difference is never corrected and never judged: it asks the
//! therapist for the reason, which stays on the record. KAP Desk never suggests a dose.
//!
//! Comparison is deliberately cautious: a name or route that does not appear in the
//! prescription's words, or a recorded amount in mg that the prescription does not name
//! (per unit, in all, or within a range it writes), counts as a difference.

use crate::model::dosing::{Medication, Route};
use crate::model::session::Prescription;
use crate::text::fold;

/// The amounts in mg a prescription's dose names, as ranges: "200 mg" is (200, 200),
/// "100-150 mg" (100, 150), "2 x 100mg" (100, 100).
fn mg_spans(dose: &str) -> Vec<(f64, f64)> {
    let text = fold(dose);
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut pending: Vec<f64> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if chars[i].is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let number: String = chars[start..i].iter().collect();
            if let Ok(n) = number.trim_end_matches('.').parse::<f64>() {
                pending.push(n);
            }
        } else if chars[i].is_alphabetic() {
            while i < chars.len() && chars[i].is_alphabetic() {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            match word.as_str() {
                // The numbers since the last unit belong to this "mg": one is an amount,
                // two a range ("100-150 mg").
                "mg" => {
                    if let (Some(&lo), Some(&hi)) = (pending.first(), pending.last()) {
                        out.push((lo.min(hi), lo.max(hi)));
                    }
                    pending.clear();
                }
                // Words inside a range keep its numbers.
                "to" | "or" | "up" => {}
                // Anything else ("x" in "2 x 100 mg", "troche of") ends the run.
                _ => pending.clear(),
            }
        } else {
            if chars[i] == '\u{00d7}' || chars[i] == ',' || chars[i] == ';' {
                pending.clear();
            }
            i += 1;
        }
    }
    out
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{}", (x * 100.0).round() / 100.0)
    }
}

fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn route_named(prescribed: &str, m: &Medication) -> bool {
    let words = words(prescribed);
    let has = |w: &str| words.iter().any(|x| x == w);
    match m.route {
        None => true,
        Some(Route::Sublingual) => has("sublingual") || has("sl") || has("troche"),
        Some(Route::Oral) => has("oral") || has("po"),
        Some(Route::Intramuscular) => has("intramuscular") || has("im"),
        Some(Route::Other) => {
            let other = fold(&m.route_other);
            !other.is_empty() && fold(prescribed).contains(&other)
        }
    }
}

/// One sentence per difference; empty when the record agrees with the prescription or
/// nothing is recorded yet.
pub fn differences(rx: &Prescription, m: &Medication) -> Vec<String> {
    let mut out = Vec::new();
    if !m.name.is_empty() {
        // By whole words: "Ketamine" is "Ketamine HCl", but "Esketamine" is another drug.
        let (p, r) = (words(&rx.medication), words(&m.name));
        if !(r.iter().all(|w| p.contains(w)) || p.iter().all(|w| r.contains(w))) {
            out.push(format!(
                "Medication: prescribed \u{201c}{}\u{201d}, recorded \u{201c}{}\u{201d}.",
                rx.medication, m.name
            ));
        }
    }
    if !route_named(&rx.route, m) {
        let recorded = match m.route {
            Some(Route::Other) => m.route_other.clone(),
            Some(r) => r.label().to_owned(),
            None => String::new(),
        };
        out.push(format!(
            "Route: prescribed \u{201c}{}\u{201d}, recorded {recorded}.",
            rx.route
        ));
    }
    let spans = mg_spans(&rx.dose);
    if let Some(per_unit) = m.dose_per_unit_mg
        && !spans.is_empty()
    {
        let total = per_unit * m.units.unwrap_or(1.0);
        let hi = spans.iter().fold(f64::MIN, |hi, s| hi.max(s.1));
        let agrees = |x: f64| {
            spans
                .iter()
                .any(|&(lo, hi)| x >= lo - 0.01 && x <= hi + 0.01)
        };
        if !(agrees(per_unit) || agrees(total)) {
            out.push(format!(
                "Dose: prescribed \u{201c}{}\u{201d}, recorded {} mg in all.",
                rx.dose,
                num(total)
            ));
        }
        if let Some(b) = m.booster_mg
            && !(agrees(b) || total + b <= hi + 0.01)
        {
            out.push(format!(
                "Booster: prescribed \u{201c}{}\u{201d}, recorded a booster of {} mg ({} mg in all).",
                rx.dose,
                num(b),
                num(total + b)
            ));
        }
    }
    out
}

/// Whether a difference from the prescription still lacks its reason. The record is
/// saved as typed (nothing is lost); the session is completed only with the reason in.
pub fn reason_missing(differences: &[String], reason: &str) -> bool {
    !differences.is_empty() && reason.trim().is_empty()
}

/// The standing warning while `reason_missing`.
pub fn missing_reason_warning(differences: &[String], reason: &str) -> Option<String> {
    reason_missing(differences, reason).then(|| {
        format!(
            "What is recorded differs from the prescription on file. {} Write why under \u{201c}Why it differs\u{201d} (for example, the prescriber's instruction on the day); the reason is kept on the record.",
            differences.join(" ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rx(medication: &str, route: &str, dose: &str) -> Prescription {
        Prescription {
            medication: medication.into(),
            route: route.into(),
            dose: dose.into(),
            prescriber: "Dr. Lee".into(),
            prescribed_on: "2026-11-01".into(),
            ..Default::default()
        }
    }

    fn taken(name: &str, route: Route, per_unit: f64, units: f64) -> Medication {
        Medication {
            name: name.into(),
            route: Some(route),
            dose_per_unit_mg: Some(per_unit),
            units: Some(units),
            ..Default::default()
        }
    }

    #[test]
    fn amounts_in_mg_are_read_from_the_prescribers_words() {
        assert_eq!(mg_spans("200 mg"), [(200.0, 200.0)]);
        assert_eq!(mg_spans("100-150 mg"), [(100.0, 150.0)]);
        assert_eq!(mg_spans("100 to 150mg"), [(100.0, 150.0)]);
        assert_eq!(mg_spans("2 x 100 mg troches"), [(100.0, 100.0)]);
        assert_eq!(mg_spans("1 troche of 100 mg, day 1"), [(100.0, 100.0)]);
        assert!(mg_spans("as prescribed").is_empty());
        assert_eq!(mg_spans("0.5 mg/kg"), [(0.5, 0.5)]);
        assert_eq!(
            mg_spans("200 mg, booster up to 50 mg"),
            [(200.0, 200.0), (50.0, 50.0)]
        );
    }

    #[test]
    fn what_agrees_with_the_prescription_asks_nothing() {
        let p = rx("Ketamine HCl", "sublingual tablet/troche", "200 mg");
        assert!(differences(&p, &taken("Ketamine", Route::Sublingual, 100.0, 2.0)).is_empty());
        assert!(differences(&p, &taken("ketamine", Route::Sublingual, 200.0, 1.0)).is_empty());
        let range = rx("Ketamine", "sublingual", "100-200 mg");
        assert!(differences(&range, &taken("Ketamine", Route::Sublingual, 150.0, 1.0)).is_empty());
        // Words without an amount cannot be compared: nothing is flagged.
        let words = rx("Ketamine", "sublingual", "as in the letter of 18 Nov");
        assert!(differences(&words, &taken("Ketamine", Route::Sublingual, 300.0, 1.0)).is_empty());
        // Nothing recorded yet.
        assert!(differences(&p, &Medication::default()).is_empty());
    }

    #[test]
    fn a_different_dose_route_or_medication_is_named() {
        let p = rx("Ketamine", "sublingual tablet/troche", "200 mg");
        let d = differences(&p, &taken("Ketamine", Route::Sublingual, 150.0, 2.0));
        assert_eq!(
            d,
            ["Dose: prescribed \u{201c}200 mg\u{201d}, recorded 300 mg in all."]
        );
        let d = differences(&p, &taken("Ketamine", Route::Intramuscular, 200.0, 1.0));
        assert_eq!(d.len(), 1);
        assert!(d[0].starts_with("Route: prescribed"), "{d:?}");
        let d = differences(&p, &taken("Esketamine", Route::Sublingual, 200.0, 1.0));
        assert!(d[0].starts_with("Medication: prescribed"), "{d:?}");
        let range = rx("Ketamine", "sublingual", "100-200 mg");
        let d = differences(&range, &taken("Ketamine", Route::Sublingual, 250.0, 1.0));
        assert_eq!(d.len(), 1, "{d:?}");
    }

    #[test]
    fn a_booster_beyond_what_is_prescribed_is_named() {
        let p = rx("Ketamine", "sublingual", "200 mg, booster up to 50 mg");
        let mut m = taken("Ketamine", Route::Sublingual, 200.0, 1.0);
        m.booster_mg = Some(50.0);
        assert!(differences(&p, &m).is_empty());
        m.booster_mg = Some(100.0);
        assert_eq!(differences(&p, &m).len(), 1);
        // Two amounts are not a range: 120 mg is neither of them.
        let d = differences(&p, &taken("Ketamine", Route::Sublingual, 120.0, 1.0));
        assert!(d[0].starts_with("Dose:"), "{d:?}");
        let p = rx("Ketamine", "sublingual", "200 mg");
        m.booster_mg = Some(50.0);
        let d = differences(&p, &m);
        assert!(d[0].starts_with("Booster:"), "{d:?}");
    }

    #[test]
    fn a_difference_needs_its_reason() {
        let d = vec!["Dose: prescribed \u{201c}200 mg\u{201d}, recorded 300 mg in all.".to_owned()];
        let w = missing_reason_warning(&d, "").unwrap();
        assert!(w.contains("Write why under"), "{w}");
        assert!(missing_reason_warning(&d, "by phone").is_none());
        assert!(w.contains("differs from the prescription"), "{w}");
        assert!(w.contains("recorded 300 mg"), "{w}");
        assert!(reason_missing(&d, "  "), "blank is no reason");
        assert!(!reason_missing(
            &d,
            "Prescriber asked for 300 mg by phone at 12:50"
        ));
        assert!(
            !reason_missing(&[], ""),
            "nothing differs, nothing to explain"
        );
    }
}
