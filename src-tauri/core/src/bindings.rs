//! TypeScript types for the UI, generated from the Rust types that cross IPC.
//!
//! The files are committed under `ui/src/lib/bindings/`. A test compares them with
//! what the code generates, so stale bindings fail the test command; run
//! `KAPDESK_UPDATE_BINDINGS=1 cargo test -p kapdesk-core bindings` to refresh them.

use ts_rs::{Config, TS};

/// One entry per exported type: its file name and generated source.
pub fn generate() -> Vec<(String, String)> {
    // i64/u64 as `number`: counts and byte sizes stay far below 2^53.
    let cfg = Config::new().with_large_int("number");
    let mut out = Vec::new();
    macro_rules! export {
        ($($t:ty),* $(,)?) => {$(
            out.push((
                format!("{}.ts", <$t as TS>::ident(&cfg)),
                <$t as TS>::export_to_string(&cfg).expect("a derived TS type always exports"),
            ));
        )*};
    }
    export!(
        crate::error::ErrorCode,
        crate::error::CommandError,
        crate::passphrase::PassphraseStrength,
        crate::passphrase::PassphraseAssessment,
        crate::model::settings::PaperSize,
        crate::model::settings::CrisisContact,
        crate::model::settings::PracticeSettings,
        crate::vault::AppStatus,
        crate::vault::TableCount,
        crate::vault::VaultInfo,
        crate::vault::BackupOutcome,
        crate::model::demo::DemoOptions,
        crate::model::demo::PhaseCount,
        crate::model::demo::DemoSummary,
        crate::model::safeguards::GuardSettings,
        crate::model::safeguards::BackupFile,
        crate::model::safeguards::BackupStatus,
        crate::model::safeguards::BackupContents,
        crate::model::safeguards::AutoBackupOutcome,
        crate::model::safeguards::LockReason,
        crate::model::safeguards::LockStatus,
        crate::model::client::ClientStatus,
        crate::model::client::EmergencyContact,
        crate::model::client::RideHome,
        crate::model::client::Prescriber,
        crate::model::client::ClientDetails,
        crate::model::client::Client,
        crate::model::client::ClientSort,
        crate::model::client::ClientQuery,
        crate::model::client::ClientSummary,
        crate::model::session::SessionKind,
        crate::model::session::SessionStatus,
        crate::model::protocol::GateKind,
        crate::model::protocol::Gate,
        crate::model::protocol::IntegrationState,
        crate::model::protocol::IntegrationCheck,
        crate::model::protocol::ProtocolSettings,
        crate::model::session::SessionView,
        crate::model::session::SessionKindInfo,
        crate::model::session::CourseInfo,
        crate::model::session::Clearance,
        crate::model::session::Prescription,
        crate::model::client::ReleaseOfInformation,
        crate::model::safety_plan::SafetyPlanPart,
        crate::model::safety_plan::SafetyPlanSections,
        crate::model::safety_plan::SafetyPlanInput,
        crate::model::safety_plan::SafetyPlan,
        crate::model::safety_plan::SafetyPlanPartWording,
        crate::model::safety_plan::SafetyPlanWording,
        crate::model::session::ConsentMethod,
        crate::model::timeline::ConsentSummary,
        crate::model::consent::ConsentItemTemplate,
        crate::model::consent::ConsentSection,
        crate::model::consent::ConsentTemplate,
        crate::model::consent::ConsentItemStatus,
        crate::model::consent::ConsentSignature,
        crate::model::consent::ConsentWithdrawal,
        crate::model::consent::ConsentStatus,
        crate::model::consent::ConsentItemUpdate,
        crate::model::consent::SignConsent,
        crate::model::export::SavedFile,
        crate::model::session::BookingRequest,
        crate::model::session::BookingOutcome,
        crate::model::timeline::PhaseKind,
        crate::model::timeline::StepState,
        crate::model::timeline::TrackStep,
        crate::model::session::SuggestedBooking,
        crate::model::session::IntegrationOffer,
        crate::model::timeline::NextStep,
        crate::model::timeline::Timeline,
        crate::model::timeline::AgendaItem,
        crate::model::timeline::ActionKind,
        crate::model::timeline::ActionItem,
        crate::model::timeline::Dashboard,
        crate::model::timeline::SafetyFlag,
        crate::model::measures::AnswerOption,
        crate::model::measures::Band,
        crate::model::measures::Thresholds,
        crate::model::measures::Instrument,
        crate::model::measures::FilledBy,
        crate::model::measures::Score,
        crate::model::measures::NewAdministration,
        crate::model::measures::SafetyPlanAction,
        crate::model::measures::SafetyResponseInput,
        crate::model::measures::SafetyResponse,
        crate::model::measures::Administration,
        crate::model::measures::AdministrationView,
        crate::model::measures::Progress,
        crate::model::measures::MeasureSchedule,
        crate::model::measures::DueReason,
        crate::model::measures::DueMeasures,
        crate::model::measures::ThresholdLine,
        crate::model::measures::ChartPoint,
        crate::model::measures::ChartDosing,
        crate::model::measures::MeasureChart,
        crate::model::export::CalendarOutcome,
        crate::model::dosing::DosingCheck,
        crate::model::dosing::CheckState,
        crate::model::dosing::Route,
        crate::model::dosing::Medication,
        crate::model::dosing::VitalsPhase,
        crate::model::dosing::VitalsInput,
        crate::model::dosing::Vitals,
        crate::model::dosing::AdverseEventKind,
        crate::model::dosing::Severity,
        crate::model::dosing::AdverseEventInput,
        crate::model::dosing::AdverseEvent,
        crate::model::dosing::DosingPlan,
        crate::model::dosing::DosingRecord,
        crate::model::dosing::DosingSettings,
        crate::model::dosing::PromptState,
        crate::model::dosing::VitalsPrompt,
        crate::model::dosing::DosingWatch,
        crate::model::notes::NoteFormat,
        crate::model::notes::NoteState,
        crate::model::notes::NoteSection,
        crate::model::notes::SectionPrompt,
        crate::model::notes::NoteSignature,
        crate::model::notes::Addendum,
        crate::model::notes::Note,
        crate::model::notes::NoteDraft,
        crate::model::notes::SnippetPart,
        crate::model::notes::SearchSource,
        crate::model::notes::SearchHit,
        crate::model::notes::SearchResults,
        crate::model::export::ExportFormat,
        crate::model::export::ExportRequest,
        crate::model::export::ExportOutcome,
        crate::model::export::ExportProgress,
        crate::model::templates::TemplateDocument,
        crate::model::templates::TemplateOffer,
        crate::model::audit::AuditAnchor,
        crate::model::audit::AuditEntry,
        crate::model::audit::AuditPage,
        crate::model::audit::AuditProblem,
        crate::model::audit::AuditReport,
    );
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    #[test]
    fn committed_bindings_match_the_rust_types() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings");
        let update = std::env::var_os("KAPDESK_UPDATE_BINDINGS").is_some();
        let mut stale = Vec::new();
        let generated = super::generate();
        // A file nobody generates any more is stale too: the UI would compile against it.
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !generated.iter().any(|(f, _)| *f == name) {
                    if update {
                        std::fs::remove_file(entry.path()).unwrap();
                    } else {
                        stale.push(name);
                    }
                }
            }
        }
        for (file, source) in generated {
            let path = dir.join(&file);
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &source).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(source.as_str()) {
                stale.push(file);
            }
        }
        assert!(
            stale.is_empty(),
            "TypeScript bindings are stale: {stale:?}. Run KAPDESK_UPDATE_BINDINGS=1 cargo test -p kapdesk-core bindings and commit ui/src/lib/bindings."
        );
    }
}
