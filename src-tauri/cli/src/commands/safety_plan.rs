//! `kapdesk safety-plan`: the client's safety plan. `show` reads it (the current version
//! or an earlier one), `save --from FILE.toml` saves a new version (earlier ones are
//! kept), `print -o FILE.pdf` writes the client's copy.

use chrono::{NaiveDate, Utc};
use kapdesk_core::Vault;
use kapdesk_core::dates::long_date;
use kapdesk_core::model::safety_plan::{SafetyPlanInput, SafetyPlanPart};

use crate::cli::SafetyPlanCmd;
use crate::shared::{Failure, Outcome, new_id, print_json, print_wrote_private, read_text};

pub(crate) fn run(v: &mut Vault, cmd: SafetyPlanCmd) -> Outcome {
    match cmd {
        SafetyPlanCmd::Show {
            client,
            version,
            json,
        } => {
            let id = v.find_client(&client)?.id;
            let versions = v.safety_plan_versions(&id)?;
            let plan = match version {
                Some(n) => versions.iter().find(|p| p.version == n).ok_or_else(|| {
                    Failure::from(kapdesk_core::Error::NotFound {
                        what: format!("Version {n} of this client's safety plan"),
                    })
                })?,
                None => match versions.first() {
                    Some(p) => p,
                    None if json => return print_json(&serde_json::Value::Null),
                    None => {
                        println!("No safety plan yet.");
                        return Ok(());
                    }
                },
            };
            if json {
                return print_json(plan);
            }
            let wording = v.safety_plan_wording()?;
            let written = NaiveDate::parse_from_str(&plan.written_on, "%Y-%m-%d")
                .map(long_date)
                .unwrap_or(plan.written_on.clone());
            println!(
                "Safety plan, version {} of {}, written {written}",
                plan.version,
                versions.len()
            );
            for part in SafetyPlanPart::ALL {
                let heading = wording
                    .part(part)
                    .map(|w| w.heading.clone())
                    .unwrap_or_default();
                println!("\n{heading}");
                let lines = plan.sections.lines(part);
                if lines.is_empty() {
                    println!("  (nothing written)");
                }
                for l in lines {
                    println!("  - {l}");
                }
            }
            Ok(())
        }
        SafetyPlanCmd::Save { client, from } => {
            let id = v.find_client(&client)?.id;
            let input = SafetyPlanInput::from_toml(&read_text(&from)?)?;
            let plan = v.save_safety_plan(&id, input, &new_id(), Utc::now())?;
            println!(
                "Safety plan saved as version {}; earlier versions are kept.",
                plan.version
            );
            Ok(())
        }
        SafetyPlanCmd::Print {
            client,
            output,
            version,
        } => {
            let id = v.find_client(&client)?.id;
            let pdf = v.safety_plan_pdf(&id, version, Utc::now())?;
            kapdesk_core::print::files::write_private_file(&output, &pdf)?;
            print_wrote_private(&output);
            Ok(())
        }
    }
}
