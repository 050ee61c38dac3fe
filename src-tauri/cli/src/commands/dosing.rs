//! `kapdesk dosing`: the dosing-day record (checks, medication, vitals, adverse
//! events, the day's plan, discharge). Every change prints the record as it now is.

use chrono::Utc;
use kapdesk_core::Vault;
use kapdesk_core::model::dosing::{
    AdverseEventInput, DosingPlan, DosingRecord, DosingWatch, Medication, PromptState, VitalsInput,
    VitalsPhase,
};

use crate::cli::DosingCmd;
use crate::shared::{Outcome, at_or_now, new_id, parts, print_json};

pub(crate) fn run(v: &mut Vault, cmd: DosingCmd) -> Outcome {
    let now = Utc::now();
    let record = match cmd {
        DosingCmd::Show { session, json } => {
            let r = v.dosing_record(&session)?;
            if json {
                return print_json(&r);
            }
            print_record(&r);
            print_watch(&v.dosing_watch(&session, now)?);
            return Ok(());
        }
        DosingCmd::Vitals {
            session,
            bp,
            hr,
            spo2,
            at,
            phase,
        } => {
            let phase = match phase {
                Some(p) => p.into(),
                None if v.dosing_record(&session)?.vitals.is_empty() => VitalsPhase::PreDose,
                None => VitalsPhase::During,
            };
            let input = VitalsInput {
                at: at_or_now(v, at)?,
                phase,
                blood_pressure: bp,
                heart_rate: hr,
                spo2,
            };
            v.add_vitals(&session, input, &new_id(), now)?
        }
        DosingCmd::Check {
            session,
            check,
            at,
            undo,
        } => {
            let at = if undo { None } else { Some(at_or_now(v, at)?) };
            v.set_dosing_check(&session, check.into(), at.as_deref(), now)?
        }
        DosingCmd::Medication {
            session,
            name,
            route,
            dose_mg,
            units,
            at,
            reason,
        } => {
            let m = Medication {
                name,
                route: Some(route.into()),
                dose_per_unit_mg: Some(dose_mg),
                units: Some(units),
                taken_at: Some(at_or_now(v, at)?),
                difference_reason: reason,
                ..Default::default()
            };
            v.save_medication(&session, m, now)?
        }
        DosingCmd::Event {
            session,
            kind,
            severity,
            action,
            prescriber_informed,
            description,
            at,
        } => {
            let e = AdverseEventInput {
                at: at_or_now(v, at)?,
                kind: kind.into(),
                severity: severity.into(),
                description,
                action,
                prescriber_informed_at: prescriber_informed,
            };
            v.add_adverse_event(&session, e, &new_id(), now)?
        }
        DosingCmd::Plan {
            session,
            intention,
            ride,
        } => {
            let (ride_name, ride_phone) = match ride {
                Some(r) => {
                    let [n, p] = parts::<2>("ride", &r)?;
                    (n, p)
                }
                None => Default::default(),
            };
            let plan = DosingPlan {
                intentions: intention,
                ride_name,
                ride_phone,
            };
            v.save_dosing_plan(&session, plan, now)?
        }
        DosingCmd::Discharge { session, at } => {
            let at = at_or_now(v, at)?;
            v.discharge(&session, &at, now)?
        }
    };
    print_record(&record);
    Ok(())
}

/// The vital-signs schedule, and what is due now when the session is under way.
fn print_watch(w: &DosingWatch) {
    if let Some(s) = &w.since_dose {
        println!("  {s}.");
    }
    println!("  Vital signs:");
    for p in &w.prompts {
        let state = match (p.state, &p.done_at) {
            (PromptState::Done, Some(at)) => format!("taken at {at}"),
            (PromptState::Done, None) => "taken".into(),
            (PromptState::Due, _) => "due now".into(),
            (PromptState::Late, _) => "missing".into(),
            (PromptState::Upcoming, _) => "later".into(),
            (PromptState::WaitingForDose, _) => "after the dose is recorded".into(),
            (PromptState::BeforeDischarge, _) => "needed before discharge".into(),
        };
        println!("    {}: {state}", p.label);
    }
    for d in &w.due_now {
        println!("  {d}");
    }
}

fn print_record(record: &DosingRecord) {
    println!(
        "{} \u{00b7} {} {} \u{00b7} {}",
        record.session.label, record.session.date, record.session.time, record.client_name
    );
    for c in record.start_checks.iter().chain(&record.discharge_checks) {
        println!(
            "  [{}] {}{}",
            if c.at.is_some() { "x" } else { " " },
            c.label,
            c.at.as_deref()
                .map(|a| format!(" at {a}"))
                .unwrap_or_default()
        );
    }
    for line in record.summary_lines() {
        println!("  {line}");
    }
    if let Some(rx) = &record.prescribed {
        println!(
            "  Prescribed: {}, {}, {} ({}, {})",
            rx.medication, rx.route, rx.dose, rx.prescriber, rx.prescribed_on
        );
    }
    for d in &record.prescription_differences {
        println!("  DIFFERS FROM THE PRESCRIPTION: {d}");
    }
    for w in &record.warnings {
        println!("  WARNING: {w}");
    }
    if record.locked {
        println!("  Completed; the record is closed.");
    } else if !record.discharge_missing.is_empty() {
        println!(
            "  Before completing: {}.",
            record.discharge_missing.join(", ")
        );
    }
}
