//! `kapdesk timeline`: one client's treatment course at a glance: phase, next step,
//! the gates before a first dosing, sessions and integration windows.

use chrono::Utc;
use kapdesk_core::Vault;
use kapdesk_core::dates::long_date;

use crate::cli::TimelineArgs;
use crate::shared::{Outcome, print_json};

pub(crate) fn run(v: &mut Vault, args: TimelineArgs) -> Outcome {
    let id = v.find_client(&args.client)?.id;
    let t = v.timeline(&id, None, Utc::now())?;
    if args.json {
        return print_json(&t);
    }
    println!(
        "{} \u{2014} course {}: {}",
        t.client.legal_name, t.course.number, t.phase_label
    );
    println!("Next step: {}. {}", t.next_step.title, t.next_step.detail);
    println!("\nBefore the next dosing:");
    for g in &t.gates {
        let mark = if g.open {
            "still needed"
        } else {
            "ready       "
        };
        println!("  [{mark}] {}: {}", g.title, g.detail);
        if g.open {
            println!("                 What to do: {}", g.how_to_close);
        }
    }
    println!("\nSessions:");
    if t.sessions.is_empty() {
        println!("  none yet");
    }
    for s in &t.sessions {
        println!(
            "  {} {}  {:<14} {}",
            s.date,
            s.time,
            s.label,
            s.status.as_str()
        );
        if let Some(r) = &s.gate_override {
            println!("             booked with open gates: {r}");
        }
    }
    if !t.integration.is_empty() {
        println!("\nIntegration:");
        for c in &t.integration {
            println!(
                "  after dosing {} ({}): window {} to {}, {:?}",
                c.dosing_number,
                long_date(c.dosing_date),
                c.window_start,
                c.window_end,
                c.state
            );
        }
    }
    for w in &t.warnings {
        println!("Warning: {w}");
    }
    Ok(())
}
