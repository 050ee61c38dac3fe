//! The clinical subcommands: the dosing record, the handout, session notes, search,
//! exports and the record request.

use std::path::Path;

use chrono::Utc;
use clap::Subcommand;
use kapdesk_core::Vault;
use kapdesk_core::dosing::{
    AdverseEventInput, AdverseEventKind, DosingCheck, DosingPlan, Medication, Route, VitalsInput,
    VitalsPhase,
};
use kapdesk_core::notes::{NoteDraft, NoteFormat, NoteState};
use kapdesk_core::record_export::{ExportFormat, ExportRequest};

use crate::{Failure, Outcome, print_json};

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn now_hhmm(v: &Vault) -> Result<String, Failure> {
    let tz = v.practice_time_zone()?;
    Ok(Utc::now().with_timezone(&tz).format("%H:%M").to_string())
}

fn read_text(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        Failure::Usage(format!(
            "Could not read {}: {e}. Give a UTF-8 text file.",
            path.display()
        ))
    })
}

#[derive(Subcommand)]
pub(crate) enum DosingCmd {
    /// The dosing record: checks, medication, vitals, events, discharge
    Show {
        session: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a vitals reading, e.g. --bp 128/82 --hr 74
    Vitals {
        session: String,
        #[arg(long, value_name = "SYS/DIA")]
        bp: String,
        #[arg(long)]
        hr: i64,
        #[arg(long)]
        spo2: Option<i64>,
        /// HH:MM [default: now]
        #[arg(long)]
        at: Option<String>,
        /// pre-dose, during or discharge [default: pre-dose for the first reading]
        #[arg(long)]
        phase: Option<String>,
    },
    /// Tick a start or discharge check (fasting, substances-held, medication-brought,
    /// ride-confirmed, touch-reviewed, intention-stated, effects-subsided,
    /// steady-on-feet, ride-present)
    Check {
        session: String,
        check: String,
        #[arg(long)]
        at: Option<String>,
        /// Untick it
        #[arg(long)]
        undo: bool,
    },
    /// Record the medication taken, as prescribed by the medical team
    Medication {
        session: String,
        #[arg(long)]
        name: String,
        /// sublingual, oral, intramuscular or other
        #[arg(long)]
        route: String,
        #[arg(long)]
        dose_mg: f64,
        #[arg(long, default_value_t = 1.0)]
        units: f64,
        #[arg(long)]
        at: Option<String>,
    },
    /// Record an adverse event and the action taken
    Event {
        session: String,
        /// nausea, vomiting, anxiety, raised-bp or other
        kind: String,
        #[arg(long)]
        action: String,
        #[arg(long, default_value = "")]
        description: String,
        #[arg(long)]
        at: Option<String>,
    },
    /// The intention and the ride home for the day (printed on the handout)
    Plan {
        session: String,
        #[arg(long, default_value = "")]
        intention: String,
        /// "NAME|PHONE"; empty means the client's usual ride home
        #[arg(long)]
        ride: Option<String>,
    },
    /// Discharge: effects subsided, steady on feet, ride present, at --at (default now)
    Discharge {
        session: String,
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
pub(crate) enum NoteCmd {
    /// Show a session's note, its signature, addenda and integrity
    Show {
        session: String,
        #[arg(long)]
        json: bool,
    },
    /// Write the draft from a text file; "## Section title" lines start sections
    Write {
        session: String,
        /// soap, dap, birp or free [default: the practice's]
        #[arg(long)]
        format: Option<String>,
        #[arg(long, value_name = "FILE")]
        from: std::path::PathBuf,
    },
    /// Sign and lock the note
    Sign { session: String },
    /// Add a signed addendum from a text file
    Addendum {
        session: String,
        #[arg(long, value_name = "FILE")]
        from: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum NotesCmd {
    /// Full-text search over notes and addenda
    Search {
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// Export notes to a folder (files readable only by you; not encrypted)
    Export {
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        client: Option<String>,
        #[arg(long)]
        all: bool,
        #[arg(long, value_name = "YYYY-MM-DD")]
        from: Option<String>,
        #[arg(long, value_name = "YYYY-MM-DD")]
        to: Option<String>,
        /// pdf, md or json
        #[arg(long)]
        format: String,
        /// The folder to write into
        #[arg(short, long, value_name = "FOLDER")]
        output: std::path::PathBuf,
        /// Psychotherapy notes are not part of the record; include them only deliberately
        #[arg(long)]
        include_psychotherapy_notes: bool,
    },
}

fn phase(s: &str) -> Result<VitalsPhase, Failure> {
    match s {
        "pre-dose" | "pre_dose" | "pre" => Ok(VitalsPhase::PreDose),
        "during" => Ok(VitalsPhase::During),
        "discharge" => Ok(VitalsPhase::Discharge),
        other => Err(Failure::Usage(format!(
            "--phase is pre-dose, during or discharge, not \u{201c}{other}\u{201d}."
        ))),
    }
}

pub(crate) fn dosing(v: &mut Vault, cmd: DosingCmd) -> Outcome {
    let now = Utc::now();
    let record = match cmd {
        DosingCmd::Show { session, json } => {
            let r = v.dosing_record(&session)?;
            if json {
                return print_json(&r);
            }
            r
        }
        DosingCmd::Vitals {
            session,
            bp,
            hr,
            spo2,
            at,
            phase: p,
        } => {
            let phase = match p {
                Some(p) => phase(&p)?,
                None if v.dosing_record(&session)?.vitals.is_empty() => VitalsPhase::PreDose,
                None => VitalsPhase::During,
            };
            let at = match at {
                Some(a) => a,
                None => now_hhmm(v)?,
            };
            let input = VitalsInput {
                at,
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
            let c = DosingCheck::parse(&check).ok_or_else(|| {
                Failure::Usage(format!(
                    "\u{201c}{check}\u{201d} is not a check; see `kapdesk dosing check --help`."
                ))
            })?;
            let at = if undo {
                None
            } else {
                Some(match at {
                    Some(a) => a,
                    None => now_hhmm(v)?,
                })
            };
            v.set_dosing_check(&session, c, at.as_deref(), now)?
        }
        DosingCmd::Medication {
            session,
            name,
            route,
            dose_mg,
            units,
            at,
        } => {
            let route = match route.as_str() {
                "sublingual" => Route::Sublingual,
                "oral" => Route::Oral,
                "intramuscular" | "im" => Route::Intramuscular,
                "other" => Route::Other,
                other => {
                    return Err(Failure::Usage(format!(
                        "--route is sublingual, oral, intramuscular or other, not \u{201c}{other}\u{201d}."
                    )));
                }
            };
            let m = Medication {
                name,
                route: Some(route),
                dose_per_unit_mg: Some(dose_mg),
                units: Some(units),
                taken_at: Some(match at {
                    Some(a) => a,
                    None => now_hhmm(v)?,
                }),
                ..Default::default()
            };
            v.save_medication(&session, m, now)?
        }
        DosingCmd::Event {
            session,
            kind,
            action,
            description,
            at,
        } => {
            let kind = AdverseEventKind::parse(&kind).ok_or_else(|| {
                Failure::Usage(format!(
                    "\u{201c}{kind}\u{201d} is not an event kind: nausea, vomiting, anxiety, raised-bp or other."
                ))
            })?;
            let e = AdverseEventInput {
                at: match at {
                    Some(a) => a,
                    None => now_hhmm(v)?,
                },
                kind,
                description,
                action,
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
                    let [n, p] = crate::records::parts::<2>("ride", &r)?;
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
            let at = match at {
                Some(a) => a,
                None => now_hhmm(v)?,
            };
            v.discharge(&session, &at, now)?
        }
    };
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
    Ok(())
}

pub(crate) fn handout(v: &mut Vault, client: &str, session: &str, output: &Path) -> Outcome {
    let client_id = v.find_client(client)?.id;
    let r = v.dosing_record(session)?;
    if r.client_id != client_id {
        return Err(Failure::Usage(format!(
            "Session {session} belongs to {}, not to {client}.",
            r.client_name
        )));
    }
    let pdf = v.dosing_handout(session, Utc::now())?;
    kapdesk_core::export::write_private_file(output, &pdf)?;
    println!(
        "Wrote {} (readable only by you; not encrypted).",
        output.display()
    );
    Ok(())
}

pub(crate) fn note(v: &mut Vault, cmd: NoteCmd) -> Outcome {
    let now = Utc::now();
    let n = match cmd {
        NoteCmd::Show { session, json } => {
            let n = v.note(&session)?;
            if json {
                return print_json(&n);
            }
            n
        }
        NoteCmd::Write {
            session,
            format,
            from,
        } => {
            let text = read_text(&from)?;
            let mut n = v.note(&session)?;
            if let Some(f) = format {
                let f = NoteFormat::parse(&f).ok_or_else(|| {
                    Failure::Usage(format!(
                        "--format is soap, dap, birp or free, not \u{201c}{f}\u{201d}."
                    ))
                })?;
                if f != n.format {
                    n = v.switch_note_format(&session, f, now)?;
                }
            }
            let mut sections = n.sections.clone();
            for s in &mut sections {
                s.text.clear();
            }
            let mut current = 0;
            let mut lines: Vec<Vec<&str>> = vec![Vec::new(); sections.len()];
            for line in text.split_inclusive('\n') {
                if let Some(title) = line.strip_prefix("## ") {
                    let title = title.trim();
                    current = sections
                        .iter()
                        .position(|s| {
                            s.title.eq_ignore_ascii_case(title) || s.key.eq_ignore_ascii_case(title)
                        })
                        .ok_or_else(|| {
                            Failure::Usage(format!(
                                "\u{201c}## {title}\u{201d} is not a section of this note. Its sections: {}.",
                                sections
                                    .iter()
                                    .map(|s| s.title.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ))
                        })?;
                    continue;
                }
                lines[current].push(line);
            }
            for (s, l) in sections.iter_mut().zip(lines) {
                s.text = l.concat().trim_matches('\n').to_owned();
            }
            v.save_note_draft(
                &session,
                NoteDraft {
                    format: n.format,
                    sections,
                },
                now,
            )?
        }
        NoteCmd::Sign { session } => v.sign_note(&session, now)?,
        NoteCmd::Addendum { session, from } => {
            let text = read_text(&from)?;
            v.add_addendum(&session, &text, &new_id(), now)?
        }
    };
    println!(
        "{} \u{00b7} {} {} \u{00b7} {} \u{00b7} {} note",
        n.session.label,
        n.session.date,
        n.session.time,
        n.client_name,
        n.format.label()
    );
    if let Some(p) = &n.integrity_message {
        eprintln!("kapdesk: {p}");
    }
    match (&n.state, &n.signature) {
        (NoteState::Signed, Some(s)) => println!(
            "Signed {} by {} \u{00b7} SHA-256 {}",
            s.signed_local, s.signed_by, s.sha256
        ),
        (NoteState::None, _) => println!("No note written yet."),
        _ => println!("Draft, not signed."),
    }
    for s in &n.sections {
        if !s.text.is_empty() {
            println!("\n## {}\n{}", s.title, s.text);
        }
    }
    for a in &n.addenda {
        println!(
            "\n## Addendum {} \u{00b7} signed {} by {}{}\n{}",
            a.seq,
            a.signed_local,
            a.signed_by,
            if a.intact {
                ""
            } else {
                " \u{00b7} INTEGRITY CHECK FAILED"
            },
            a.text
        );
    }
    if !n.intact {
        return Err(Failure::Other(
            "This note failed its integrity check (see above).".into(),
        ));
    }
    Ok(())
}

pub(crate) fn notes(v: &mut Vault, cmd: NotesCmd) -> Outcome {
    match cmd {
        NotesCmd::Search { query, json } => {
            let results = v.search_notes(&query)?;
            if json {
                return print_json(&results);
            }
            let more = results.more;
            let hits = results.hits;
            if hits.is_empty() {
                println!("No notes match \u{201c}{query}\u{201d}.");
            }
            for h in hits {
                let snippet: String = h
                    .snippet
                    .iter()
                    .map(|p| {
                        if p.hit {
                            format!("[{}]", p.text)
                        } else {
                            p.text.clone()
                        }
                    })
                    .collect();
                println!(
                    "{}  {}  {}{}  {}\n    {}",
                    h.date,
                    h.client_name,
                    h.session_label,
                    h.addendum_seq
                        .map(|s| format!(" (addendum {s})"))
                        .unwrap_or_default(),
                    h.session_id,
                    snippet.replace('\n', " ")
                );
            }
            if more {
                println!("More notes match; add words to narrow the search.");
            }
            Ok(())
        }
        NotesCmd::Export {
            client,
            all: _,
            from,
            to,
            format,
            output,
            include_psychotherapy_notes,
        } => {
            let format = match format.as_str() {
                "pdf" => ExportFormat::Pdf,
                "md" | "markdown" => ExportFormat::Markdown,
                "json" => ExportFormat::Json,
                other => {
                    return Err(Failure::Usage(format!(
                        "--format is pdf, md or json, not \u{201c}{other}\u{201d}."
                    )));
                }
            };
            let client_id = match client {
                Some(c) => Some(v.find_client(&c)?.id),
                None => None,
            };
            std::fs::create_dir_all(&output).map_err(|e| {
                Failure::Other(format!("Could not create {}: {e}", output.display()))
            })?;
            let req = ExportRequest {
                client_id,
                from,
                to,
                format,
                include_psychotherapy_notes,
            };
            let outcome = v.export_notes(&req, &output, Utc::now(), &mut |_| true)?;
            for f in &outcome.files {
                println!("{} ({} bytes)", f.path, f.bytes);
            }
            println!(
                "Exported {} note{} for {} client{}. The files are readable only by you and are not encrypted.",
                outcome.notes,
                if outcome.notes == 1 { "" } else { "s" },
                outcome.clients,
                if outcome.clients == 1 { "" } else { "s" }
            );
            if include_psychotherapy_notes {
                eprintln!(
                    "kapdesk: psychotherapy notes are included; they are not part of the client's record."
                );
            }
            if outcome.integrity_failures > 0 {
                return Err(Failure::Other(format!(
                    "{} note{} failed the integrity check; the export marks {}.",
                    outcome.integrity_failures,
                    if outcome.integrity_failures == 1 {
                        ""
                    } else {
                        "s"
                    },
                    if outcome.integrity_failures == 1 {
                        "it"
                    } else {
                        "them"
                    }
                )));
            }
            Ok(())
        }
    }
}

pub(crate) fn record_request(v: &mut Vault, client: &str, output: &Path) -> Outcome {
    let id = v.find_client(client)?.id;
    let pdf = v.record_request(&id, Utc::now())?;
    kapdesk_core::export::write_private_file(output, &pdf)?;
    println!(
        "Wrote {} (readable only by you; not encrypted). Psychotherapy notes are not included.",
        output.display()
    );
    Ok(())
}
