//! A practice in a temporary vault, shared by the vault-level tests: a fixed "now",
//! predictable ids, and clients walked through preparation.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use kapdesk_core::model::client::{EmergencyContact, ReleaseOfInformation, RideHome};
use kapdesk_core::model::consent::{ConsentItemUpdate, SignConsent};
use kapdesk_core::model::dosing::{VitalsInput, VitalsPhase};
use kapdesk_core::model::measures::{FilledBy, NewAdministration};
use kapdesk_core::model::notes::NoteDraft;
use kapdesk_core::model::session::{Clearance, ConsentMethod, Prescription};
use kapdesk_core::{
    BookingRequest, ClientDetails, ClientStatus, Error, Passphrase, SessionKind, SessionStatus,
    Vault,
};

pub const PASS: &str = "timeline test passphrase";

/// 25 November 2026, 15:00 in New York.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 20, 0, 0).unwrap()
}

pub struct Practice {
    pub dir: tempfile::TempDir,
    pub vault: Vault,
    ids: u32,
}

impl Practice {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut vault =
            Vault::create(&dir.path().join("v.vault"), &Passphrase::new(PASS), now()).unwrap();
        vault.set_practice_time_zone("America/New_York").unwrap();
        Practice { dir, vault, ids: 0 }
    }

    pub fn id(&mut self, prefix: &str) -> String {
        self.ids += 1;
        format!("{prefix}-{:04}", self.ids)
    }

    pub fn client(&mut self, name: &str, ready: bool) -> String {
        let mut details = ClientDetails {
            legal_name: name.into(),
            status: ClientStatus::Preparation,
            ..Default::default()
        };
        if ready {
            details.emergency_contact = EmergencyContact {
                name: "Sam Rivera".into(),
                relation: "partner".into(),
                phone: "828-555-0101".into(),
            };
            details.ride_home = RideHome {
                name: "Sam Rivera".into(),
                phone: "828-555-0101".into(),
            };
        }
        let (c, k) = (self.id("client"), self.id("course"));
        self.vault.add_client(details, &c, &k, now()).unwrap().id
    }

    pub fn book(
        &mut self,
        client: &str,
        kind: SessionKind,
        date: &str,
        reason: Option<&str>,
    ) -> Result<String, Error> {
        let id = self.id("session");
        let req = BookingRequest {
            client_id: client.into(),
            kind,
            date: date.into(),
            time: "10:00".into(),
            duration_min: None,
            location: "Office".into(),
            override_reason: reason.map(str::to_owned),
        };
        self.vault
            .book_session(req, &id, now())
            .map(|o| o.session.id)
    }

    pub fn complete(&mut self, session: &str) {
        if self.vault.dosing_record(session).is_ok() {
            self.complete_discharge(session);
        }
        self.vault
            .set_session_status(session, SessionStatus::Completed, now())
            .unwrap();
    }

    /// A dosing session ends with a reading before discharge and its checklist.
    pub fn complete_discharge(&mut self, session: &str) {
        {
            let reading = VitalsInput {
                at: "13:25".into(),
                phase: VitalsPhase::Discharge,
                blood_pressure: "122/80".into(),
                heart_rate: 70,
                spo2: None,
            };
            let id = self.id("vitals");
            self.vault.add_vitals(session, reading, &id, now()).unwrap();
            self.vault.discharge(session, "13:30", now()).unwrap();
        }
    }

    /// Discusses and initials every consent item, then signs.
    pub fn sign_consent(&mut self, client: &str, on: &str) {
        let status = self.vault.consent_checklist(client, now()).unwrap();
        for item in status.items {
            let update = ConsentItemUpdate {
                item_id: item.id,
                discussed_on: Some(on.into()),
                session_id: None,
                initialled: true,
                note: String::new(),
            };
            self.vault
                .update_consent_item(client, update, now())
                .unwrap();
        }
        let sign = SignConsent {
            signed_on: on.into(),
            method: ConsentMethod::Paper,
            attested_by: "Dr. Maya Okafor".into(),
        };
        self.vault.sign_consent(client, sign, now()).unwrap();
    }

    pub fn prepare_fully(&mut self, client: &str) {
        self.prepare_all_but_the_baseline(client);
        self.give_baseline(client, "2026-11-18");
    }

    /// Preparation, clearance, prescription and consent: every check before a first
    /// dosing but the baseline measures.
    pub fn prepare_all_but_the_baseline(&mut self, client: &str) {
        for date in ["2026-10-28", "2026-11-04", "2026-11-11", "2026-11-18"] {
            let s = self
                .book(client, SessionKind::Preparation, date, None)
                .unwrap();
            self.complete(&s);
        }
        let (a, b) = (self.id("clearance"), self.id("rx"));
        self.vault
            .record_clearance(
                client,
                Clearance {
                    clinician: "Dr. Lee".into(),
                    organisation: "Watershed Healing Collective".into(),
                    cleared_on: "2026-11-10".into(),
                    valid_until: "2027-05-10".into(),
                },
                &a,
                now(),
            )
            .unwrap();
        self.vault
            .record_prescription(
                client,
                Prescription {
                    medication: "Ketamine".into(),
                    route: "sublingual troche".into(),
                    dose: "as prescribed: 200 mg".into(),
                    prescriber: "Dr. Lee".into(),
                    prescribed_on: "2026-11-12".into(),
                    ..Default::default()
                },
                &b,
                now(),
            )
            .unwrap();
        self.record_release(client);
        self.sign_consent(client, "2026-11-18");
    }

    /// The client's signed release of information to the partner medical team.
    pub fn record_release(&mut self, client: &str) {
        let id = self.id("release");
        self.vault
            .record_release_of_information(
                client,
                ReleaseOfInformation {
                    recipient: "Watershed Healing Collective (Dr. Lee)".into(),
                    may_share:
                        "Screening, progress, dosing records, side effects and safety concerns"
                            .into(),
                    signed_on: "2026-11-04".into(),
                    valid_until: "2027-11-04".into(),
                },
                &id,
                now(),
            )
            .unwrap();
    }

    /// The baseline measures the practice asks for before a first dosing (PHQ-9, GAD-7
    /// and PCL-5 by default), all answered 1.
    pub fn give_baseline(&mut self, client: &str, on: &str) {
        for (instrument, items) in [("phq9", 9), ("gad7", 7), ("pcl5", 20)] {
            let mut answers = vec![Some(1); items];
            if instrument == "phq9" {
                answers[8] = Some(0);
            }
            let id = self.id("measure");
            self.vault
                .record_measure(
                    NewAdministration {
                        client_id: client.into(),
                        instrument: instrument.into(),
                        date: on.into(),
                        session_id: None,
                        filled_by: FilledBy::Client,
                        answers,
                    },
                    &id,
                    now(),
                )
                .unwrap();
        }
    }
}

/// Saves `text` as the first section of the session's note draft, as typed.
pub fn save_first_section(v: &mut Vault, session: &str, text: &str) -> kapdesk_core::Result<()> {
    let mut note = v.note(session)?;
    note.sections[0].text = text.to_owned();
    v.save_note_draft(
        session,
        NoteDraft {
            format: note.format,
            sections: note.sections,
        },
        now(),
    )
    .map(drop)
}
