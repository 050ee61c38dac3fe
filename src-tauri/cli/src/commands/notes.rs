//! `kapdesk notes`: across all notes: full-text search, and export to files outside
//! the vault (psychotherapy notes only when asked for).

use chrono::Utc;
use kapdesk_core::Vault;
use kapdesk_core::model::export::ExportRequest;

use crate::cli::NotesCmd;
use crate::shared::{Failure, Outcome, print_json};

pub(crate) fn run(v: &mut Vault, cmd: NotesCmd) -> Outcome {
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
                format: format.into(),
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
                let one = outcome.integrity_failures == 1;
                return Err(Failure::Other(format!(
                    "{} note{} failed the integrity check; the export marks {}.",
                    outcome.integrity_failures,
                    if one { "" } else { "s" },
                    if one { "it" } else { "them" }
                )));
            }
            Ok(())
        }
    }
}
