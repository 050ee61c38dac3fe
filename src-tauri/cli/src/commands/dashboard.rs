//! `kapdesk dashboard`: today's and this week's sessions, and who needs action.

use chrono::Utc;
use kapdesk_core::Vault;

use crate::cli::DashboardArgs;
use crate::shared::{Outcome, print_json};

pub(crate) fn run(v: &mut Vault, args: DashboardArgs) -> Outcome {
    let d = v.dashboard(Utc::now())?;
    if args.json {
        return print_json(&d);
    }
    println!("Today:");
    if d.today.is_empty() {
        println!("  no sessions");
    }
    for a in &d.today {
        println!(
            "  {} {:<14} {}",
            a.session.time, a.session.label, a.client_name
        );
    }
    println!("This week:");
    if d.week.is_empty() {
        println!("  no sessions");
    }
    for a in &d.week {
        println!(
            "  {} {} {:<14} {}",
            a.session.date, a.session.time, a.session.label, a.client_name
        );
    }
    println!("Needs your attention:");
    if d.needs_action.is_empty() {
        println!("  nothing");
    }
    for a in &d.needs_action {
        println!("  {}: {}", a.client_name, a.message);
    }
    Ok(())
}
