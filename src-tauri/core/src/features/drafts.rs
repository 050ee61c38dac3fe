//! Drafts of half-typed forms (a vitals reading, an adverse event), saved in the vault
//! by a key the UI chooses, so closing the app loses nothing and nothing lands in the
//! web view's plaintext storage.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::store;
use crate::vault::Vault;

impl Vault {
    pub fn save_form_draft(&mut self, key: &str, body: &str, now: DateTime<Utc>) -> Result<()> {
        if key.is_empty() || key.len() > 200 {
            return Err(Error::invalid("key", "A draft needs a short name."));
        }
        if body.len() > 256 * 1024 {
            return Err(Error::invalid(
                "body",
                "This draft is larger than 256 KB and was not saved.",
            ));
        }
        store::drafts::save(self.conn(), key, body, now)
    }

    pub fn form_draft(&self, key: &str) -> Result<Option<String>> {
        store::drafts::get(self.conn(), key)
    }

    pub fn clear_form_draft(&mut self, key: &str) -> Result<()> {
        store::drafts::delete(self.conn(), key)
    }
}
