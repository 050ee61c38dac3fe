//! The practice's one-row settings tables: the letterhead and defaults, the protocol
//! numbers, and the practice's time zone.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};
use crate::model::notes::NoteFormat;
use crate::model::protocol::ProtocolSettings;
use crate::model::settings::{PaperSize, PracticeSettings};

pub fn practice(conn: &Connection) -> Result<PracticeSettings> {
    let row = conn
        .prepare_cached(
            "SELECT therapist_name, credentials, practice_name, address, phone, email,
                    medical_team_name, medical_team_phone, crisis_contacts, paper_size, note_format,
                    open_after_saving
             FROM practice_settings WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok((
                PracticeSettings {
                    therapist_name: r.get("therapist_name")?,
                    credentials: r.get("credentials")?,
                    practice_name: r.get("practice_name")?,
                    address: r.get("address")?,
                    phone: r.get("phone")?,
                    email: r.get("email")?,
                    medical_team_name: r.get("medical_team_name")?,
                    medical_team_phone: r.get("medical_team_phone")?,
                    crisis_contacts: Vec::new(),
                    paper_size: if r.get::<_, String>("paper_size")? == PaperSize::A4.as_str() {
                        PaperSize::A4
                    } else {
                        PaperSize::Letter
                    },
                    note_format: NoteFormat::parse(&r.get::<_, String>("note_format")?)
                        .unwrap_or_default(),
                    open_after_saving: r.get("open_after_saving")?,
                },
                r.get::<_, String>("crisis_contacts")?,
            ))
        })
        .optional()?;
    let (mut settings, contacts) =
        row.ok_or_else(|| Error::damaged("the practice settings row is missing"))?;
    settings.crisis_contacts = serde_json::from_str(&contacts)
        .map_err(|_| Error::damaged("the stored crisis contacts are unreadable"))?;
    Ok(settings)
}

pub fn save_practice(conn: &Connection, s: &PracticeSettings, now: DateTime<Utc>) -> Result<()> {
    let contacts = serde_json::to_string(&s.crisis_contacts).map_err(|e| {
        Error::invalid(
            "crisisContacts",
            format!("The crisis contacts could not be stored: {e}."),
        )
    })?;
    conn.execute(
        "UPDATE practice_settings SET therapist_name = ?1, credentials = ?2, practice_name = ?3,
             address = ?4, phone = ?5, email = ?6, medical_team_name = ?7, medical_team_phone = ?8,
             crisis_contacts = ?9, paper_size = ?10, updated_at = ?11, note_format = ?12,
             open_after_saving = ?13
         WHERE id = 1",
        params![
            s.therapist_name,
            s.credentials,
            s.practice_name,
            s.address,
            s.phone,
            s.email,
            s.medical_team_name,
            s.medical_team_phone,
            contacts,
            s.paper_size.as_str(),
            now.to_rfc3339(),
            s.note_format.as_str(),
            s.open_after_saving,
        ],
    )?;
    Ok(())
}

pub fn protocol(conn: &Connection) -> Result<ProtocolSettings> {
    Ok(conn
        .prepare_cached(
            "SELECT min_preparation_sessions, integration_min_days, integration_max_days,
                    recommended_dosings, max_dosings_per_week
             FROM protocol_settings WHERE id = 1",
        )?
        .query_row([], |r| {
            Ok(ProtocolSettings {
                min_preparation_sessions: r.get("min_preparation_sessions")?,
                integration_min_days: r.get("integration_min_days")?,
                integration_max_days: r.get("integration_max_days")?,
                recommended_dosings: r.get("recommended_dosings")?,
                max_dosings_per_week: r.get("max_dosings_per_week")?,
            })
        })?)
}

pub fn save_protocol(conn: &Connection, s: &ProtocolSettings) -> Result<()> {
    conn.execute(
        "UPDATE protocol_settings SET min_preparation_sessions = ?1, integration_min_days = ?2,
            integration_max_days = ?3, recommended_dosings = ?4, max_dosings_per_week = ?5
         WHERE id = 1",
        params![
            s.min_preparation_sessions,
            s.integration_min_days,
            s.integration_max_days,
            s.recommended_dosings,
            s.max_dosings_per_week
        ],
    )?;
    Ok(())
}

/// The practice's time zone name as stored; empty means "this computer's".
pub fn time_zone(conn: &Connection) -> Result<String> {
    Ok(conn
        .prepare_cached("SELECT time_zone FROM protocol_settings WHERE id = 1")?
        .query_row([], |r| r.get("time_zone"))?)
}

pub fn set_time_zone(conn: &Connection, name: &str) -> Result<()> {
    conn.execute(
        "UPDATE protocol_settings SET time_zone = ?1 WHERE id = 1",
        [name],
    )?;
    Ok(())
}
