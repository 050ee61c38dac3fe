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
        crate::settings::PaperSize,
        crate::settings::CrisisContact,
        crate::settings::PracticeSettings,
        crate::vault::AppStatus,
        crate::vault::TableCount,
        crate::vault::VaultInfo,
        crate::vault::BackupOutcome,
        crate::clients::ClientStatus,
        crate::clients::EmergencyContact,
        crate::clients::RideHome,
        crate::clients::Prescriber,
        crate::clients::ClientDetails,
        crate::clients::Client,
        crate::clients::ClientSort,
        crate::clients::ClientQuery,
        crate::clients::ClientSummary,
        crate::protocol::SessionKind,
        crate::protocol::SessionStatus,
        crate::protocol::GateKind,
        crate::protocol::Gate,
        crate::protocol::IntegrationState,
        crate::protocol::IntegrationCheck,
        crate::protocol::ProtocolSettings,
        crate::timeline::SessionView,
        crate::timeline::CourseInfo,
        crate::timeline::Clearance,
        crate::timeline::Prescription,
        crate::timeline::ConsentMethod,
        crate::timeline::ConsentSummary,
        crate::consent::ConsentItemTemplate,
        crate::consent::ConsentSection,
        crate::consent::ConsentTemplate,
        crate::consent::ConsentItemStatus,
        crate::consent::ConsentSignature,
        crate::consent::ConsentWithdrawal,
        crate::consent::ConsentStatus,
        crate::consent::ConsentItemUpdate,
        crate::consent::SignConsent,
        crate::export::SavedFile,
        crate::timeline::BookingRequest,
        crate::timeline::BookingOutcome,
        crate::timeline::PhaseKind,
        crate::timeline::StepState,
        crate::timeline::TrackStep,
        crate::timeline::SuggestedBooking,
        crate::timeline::NextStep,
        crate::timeline::Timeline,
        crate::timeline::AgendaItem,
        crate::timeline::ActionKind,
        crate::timeline::ActionItem,
        crate::timeline::Dashboard,
        crate::calendar::CalendarOutcome,
        crate::dosing::DosingCheck,
        crate::dosing::CheckState,
        crate::dosing::Route,
        crate::dosing::Medication,
        crate::dosing::VitalsPhase,
        crate::dosing::VitalsInput,
        crate::dosing::Vitals,
        crate::dosing::AdverseEventKind,
        crate::dosing::AdverseEventInput,
        crate::dosing::AdverseEvent,
        crate::dosing::DosingPlan,
        crate::dosing::DosingRecord,
        crate::dosing::DosingSettings,
        crate::notes::NoteFormat,
        crate::notes::NoteState,
        crate::notes::NoteSection,
        crate::notes::SectionPrompt,
        crate::notes::NoteSignature,
        crate::notes::Addendum,
        crate::notes::Note,
        crate::notes::NoteDraft,
        crate::notes::SnippetPart,
        crate::notes::SearchSource,
        crate::notes::SearchHit,
        crate::notes::SearchResults,
        crate::record_export::ExportFormat,
        crate::record_export::ExportRequest,
        crate::record_export::ExportOutcome,
        crate::record_export::ExportProgress,
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
