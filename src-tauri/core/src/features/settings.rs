//! Practice settings: the letterhead, contacts and defaults printed on every page; the
//! protocol numbers the rules use; and the practice's time zone.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::error::{Error, Result};
use crate::model::protocol::ProtocolSettings;
use crate::model::settings::PracticeSettings;
use crate::store;
use crate::vault::Vault;

impl Vault {
    pub fn settings(&self) -> Result<PracticeSettings> {
        store::settings::practice(self.conn())
    }

    pub fn save_settings(
        &mut self,
        settings: PracticeSettings,
        now: DateTime<Utc>,
    ) -> Result<PracticeSettings> {
        let s = settings.validated()?;
        let tx = self.conn_mut().transaction()?;
        store::settings::save_practice(&tx, &s, now)?;
        store::audit::record(&tx, now, "settings_saved", "")?;
        tx.commit()?;
        Ok(s)
    }

    pub fn protocol_settings(&self) -> Result<ProtocolSettings> {
        store::settings::protocol(self.conn())
    }

    pub fn save_protocol_settings(
        &mut self,
        s: ProtocolSettings,
        now: DateTime<Utc>,
    ) -> Result<ProtocolSettings> {
        let s = s.validated()?;
        let tx = self.conn_mut().transaction()?;
        store::settings::save_protocol(&tx, &s)?;
        store::audit::record(&tx, now, "protocol_settings_saved", "")?;
        tx.commit()?;
        Ok(s)
    }

    /// The practice's time zone: the setting, else this computer's, else UTC.
    pub fn practice_time_zone(&self) -> Result<Tz> {
        if let Ok(tz) = store::settings::time_zone(self.conn())?.parse::<Tz>() {
            return Ok(tz);
        }
        Ok(iana_time_zone::get_timezone()
            .ok()
            .and_then(|n| n.parse::<Tz>().ok())
            .unwrap_or(chrono_tz::UTC))
    }

    pub fn set_practice_time_zone(&mut self, name: &str) -> Result<()> {
        let name = name.trim();
        if !name.is_empty() && name.parse::<Tz>().is_err() {
            return Err(Error::invalid(
                "timeZone",
                format!(
                    "\u{201c}{name}\u{201d} is not a time zone name (for example America/New_York)."
                ),
            ));
        }
        store::settings::set_time_zone(self.conn(), name)
    }

    /// Today's date where the practice is.
    pub fn today(&self, now: DateTime<Utc>) -> Result<NaiveDate> {
        Ok(now.with_timezone(&self.practice_time_zone()?).date_naive())
    }
}
