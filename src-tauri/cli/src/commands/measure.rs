//! `kapdesk measure`: record a questionnaire (scored by the core), list a client's
//! scores, and record the response to a safety flag; `kapdesk measures export`: every
//! administration as CSV; `kapdesk letter`: the progress letter to the prescriber.

use chrono::{NaiveDate, Utc};
use kapdesk_core::Vault;
use kapdesk_core::dates::long_date;
use kapdesk_core::model::measures::{
    AdministrationView, FilledBy, NewAdministration, SafetyResponseInput,
};

use crate::cli::{LetterArgs, MeasureCmd, MeasuresCmd};
use crate::shared::{Failure, Outcome, new_id, print_json, print_wrote_private, read_text};

pub(crate) fn run(v: &mut Vault, cmd: MeasureCmd) -> Outcome {
    match cmd {
        MeasureCmd::Add {
            client,
            instrument,
            answers,
            at,
            session,
            read_aloud,
        } => {
            let client = v.find_client(&client)?;
            let now = Utc::now();
            let date = match at {
                Some(d) => d,
                None => v.today(now)?.format("%Y-%m-%d").to_string(),
            };
            let id = new_id();
            let m = v.record_measure(
                NewAdministration {
                    client_id: client.id.clone(),
                    instrument,
                    date,
                    session_id: session,
                    filled_by: if read_aloud {
                        FilledBy::Therapist
                    } else {
                        FilledBy::Client
                    },
                    answers: parse_answers(&answers)?,
                },
                &id,
                now,
            )?;
            println!("{}", summary(&m));
            if m.administration.flag_open() {
                for f in v.timeline(&client.id, None, now)?.safety_flags {
                    if f.administration_id == id {
                        println!("{}", f.message);
                    }
                }
                println!(
                    "When you have spoken with the client: kapdesk measure respond {id} --note \"...\" --plan made|reviewed|not-needed"
                );
            }
            println!("Id: {id}");
            Ok(())
        }
        MeasureCmd::List { client, json } => {
            let client = v.find_client(&client)?;
            let list = v.measures(&client.id)?;
            if json {
                return print_json(&list);
            }
            if list.is_empty() {
                println!("No measures on record for {}.", client.display_name);
            }
            for m in &list {
                println!("{}", summary(m));
                if let Some(r) = &m.administration.safety_response {
                    println!("  Safety flag answered: {}.", r.safety_plan.label());
                }
                println!("  Id: {}", m.administration.id);
            }
            Ok(())
        }
        MeasureCmd::Respond {
            measure,
            note,
            plan,
        } => {
            let m = v.record_safety_response(
                &measure,
                SafetyResponseInput {
                    risk_note: note,
                    safety_plan: plan.into(),
                },
                Utc::now(),
            )?;
            println!(
                "Response recorded for the {} of {}; the safety flag is closed.",
                m.instrument_name, m.administration.date
            );
            Ok(())
        }
    }
}

pub(crate) fn export(v: &mut Vault, cmd: MeasuresCmd) -> Outcome {
    match cmd {
        MeasuresCmd::Export { output } => {
            let (csv, rows) = v.measures_csv(Utc::now())?;
            kapdesk_core::print::files::write_private_file(&output, csv.as_bytes())?;
            print_wrote_private(&output);
            println!(
                "{rows} administration{} exported.",
                if rows == 1 { "" } else { "s" }
            );
            Ok(())
        }
    }
}

/// `kapdesk letter`: the progress letter to the prescriber.
pub(crate) fn letter(v: &mut Vault, args: LetterArgs) -> Outcome {
    let id = v.find_client(&args.client)?.id;
    let summary = match (&args.summary, &args.summary_file) {
        (_, Some(file)) => read_text(file)?,
        (Some(s), None) => s.clone(),
        (None, None) => String::new(),
    };
    let pdf = v.progress_letter(&id, &summary, Utc::now())?;
    kapdesk_core::print::files::write_private_file(&args.output, &pdf)?;
    print_wrote_private(&args.output);
    Ok(())
}

/// "1,2,0" into answers; a blank between commas is an unanswered question (the core
/// names it).
fn parse_answers(s: &str) -> Result<Vec<Option<u32>>, Failure> {
    s.split(',')
        .map(str::trim)
        .map(|a| {
            if a.is_empty() {
                return Ok(None);
            }
            a.parse::<u32>().map(Some).map_err(|_| {
                Failure::Usage(format!(
                    "--answers takes each answer as a number, separated by commas (for example 1,2,0,1); \u{201c}{a}\u{201d} is not one."
                ))
            })
        })
        .collect()
}

/// "PHQ-9 on Tuesday 24 November 2026: 8 of 27, Mild; 56% below the baseline of 18
/// (response)."
fn summary(m: &AdministrationView) -> String {
    let a = &m.administration;
    let on = NaiveDate::parse_from_str(&a.date, "%Y-%m-%d")
        .map(long_date)
        .unwrap_or(a.date.clone());
    let mut s = format!(
        "{} on {on}: {} of {}, {}",
        m.instrument_name, a.total, m.max_total, a.band
    );
    if m.before_baseline {
        s.push_str("; given before the baseline, so not compared");
    }
    if let Some(p) = &m.progress {
        match p.percent_drop {
            Some(d) if d >= 0 => s.push_str(&format!(
                "; {d}% below the baseline of {}",
                p.baseline_total
            )),
            Some(d) => s.push_str(&format!(
                "; {}% above the baseline of {}",
                -d, p.baseline_total
            )),
            None => s.push_str(&format!("; baseline {}", p.baseline_total)),
        }
        let mut marks = Vec::new();
        if p.response {
            marks.push("response");
        }
        if p.remission {
            marks.push("remission");
        }
        if !marks.is_empty() {
            s.push_str(&format!(" ({})", marks.join(", ")));
        }
    }
    if a.flag_open() {
        s.push_str("; SAFETY FLAG open");
    }
    s.push('.');
    s
}
