//! `kapdesk settings`: the practice details printed on handouts and packets.

use chrono::Utc;
use kapdesk_core::Vault;
use kapdesk_core::model::safeguards::GuardSettings;

use crate::cli::{OnOff, SettingsArgs};
use crate::shared::{Failure, Outcome, parts, print_json};

pub(crate) fn run(v: &mut Vault, args: SettingsArgs) -> Outcome {
    let SettingsArgs {
        therapist,
        credentials,
        practice,
        phone,
        email,
        medical_team,
        lock_after,
        backup_dir,
        keep,
        cancellation_notice,
        cancellation_fee,
        baseline_measures,
        json,
    } = args;
    let mut measures = v.measure_schedule()?;
    if let Some(on) = baseline_measures {
        measures.baseline_required = matches!(on, OnOff::On);
        measures = v.save_measure_schedule(measures, Utc::now())?;
    }
    let guard = guard_settings(v, lock_after, backup_dir, keep)?;
    let mut dosing = v.dosing_settings()?;
    if cancellation_notice.is_some() || cancellation_fee.is_some() {
        if let Some(h) = cancellation_notice {
            dosing.cancellation_notice_hours = h;
        }
        if let Some(f) = cancellation_fee {
            dosing.cancellation_fee = f;
        }
        dosing = v.save_dosing_settings(dosing, Utc::now())?;
    }
    let mut s = v.settings()?;
    let changed = therapist.is_some()
        || credentials.is_some()
        || practice.is_some()
        || phone.is_some()
        || email.is_some()
        || medical_team.is_some();
    if let Some(x) = therapist {
        s.therapist_name = x;
    }
    if let Some(x) = credentials {
        s.credentials = x;
    }
    if let Some(x) = practice {
        s.practice_name = x;
    }
    if let Some(x) = phone {
        s.phone = x;
    }
    if let Some(x) = email {
        s.email = x;
    }
    if let Some(x) = medical_team {
        let [n, p] = parts::<2>("medical-team", &x)?;
        s.medical_team_name = n;
        s.medical_team_phone = p;
    }
    if changed {
        s = v.save_settings(s, Utc::now())?;
    }
    if json {
        return print_json(
            &serde_json::json!({ "practice": s, "lockAndBackups": guard, "dosing": dosing, "measures": measures }),
        );
    }
    println!(
        "{} \u{00b7} {} {} \u{00b7} phone {} \u{00b7} medical team {} {}",
        s.practice_name,
        s.therapist_name,
        s.credentials,
        s.phone,
        s.medical_team_name,
        s.medical_team_phone
    );
    println!(
        "Locks after {} idle minute{} \u{00b7} automatic backups: {} (keeping {} daily, {} weekly, {} monthly)",
        guard.lock_after_minutes,
        if guard.lock_after_minutes == 1 {
            ""
        } else {
            "s"
        },
        guard.backup_dir.as_deref().unwrap_or("off"),
        guard.keep_daily,
        guard.keep_weekly,
        guard.keep_monthly
    );
    println!(
        "Cancelling a dosing session (printed in the consent): {} hours' notice \u{00b7} late fee: {}",
        dosing.cancellation_notice_hours,
        if dosing.cancellation_fee.is_empty() {
            "as in the fee schedule"
        } else {
            &dosing.cancellation_fee
        }
    );
    let names = |ids: &[String]| {
        ids.iter()
            .map(|id| {
                kapdesk_core::model::measures::instrument(id)
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|_| id.clone())
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "Baseline measures ({}) before a first dosing: {} \u{00b7} before each dosing: {} \u{00b7} at integration: {} \u{00b7} {} months after the last dosing: {}",
        names(&measures.baseline),
        if measures.baseline_required {
            "required"
        } else {
            "not required"
        },
        names(&measures.before_each_dosing),
        names(&measures.at_integration),
        measures
            .follow_up_months
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        names(&measures.follow_up)
    );
    Ok(())
}

/// The lock and backup settings, changed by whichever flags were given.
fn guard_settings(
    v: &mut Vault,
    lock_after: Option<u32>,
    backup_dir: Option<String>,
    keep: Option<String>,
) -> Result<GuardSettings, Failure> {
    let mut g = v.guard_settings()?;
    let changed = lock_after.is_some() || backup_dir.is_some() || keep.is_some();
    if let Some(m) = lock_after {
        g.lock_after_minutes = m;
    }
    if let Some(d) = backup_dir {
        g.backup_dir = if d.trim().is_empty() {
            None
        } else {
            // A relative folder is taken from where the command runs.
            Some(std::path::absolute(d.trim()).map_or(d, |p| p.display().to_string()))
        };
    }
    if let Some(k) = keep {
        let n: Vec<u32> = k
            .split(',')
            .map(|x| x.trim().parse::<u32>())
            .collect::<Result<_, _>>()
            .map_err(|_| {
                Failure::Usage(
                    "--keep takes three numbers, daily,weekly,monthly, for example 7,4,12.".into(),
                )
            })?;
        let [d, w, m] = n[..] else {
            return Err(Failure::Usage(
                "--keep takes three numbers, daily,weekly,monthly, for example 7,4,12.".into(),
            ));
        };
        (g.keep_daily, g.keep_weekly, g.keep_monthly) = (d, w, m);
    }
    if changed {
        g = v.save_guard_settings(g, Utc::now())?;
    }
    Ok(g)
}
