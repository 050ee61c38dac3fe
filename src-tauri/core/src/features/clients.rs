//! Client records: adding, editing, finding, archiving and deleting clients.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::client::{Client, ClientDetails, ClientQuery, ClientSort, ClientSummary};
use crate::model::session::SessionView;
use crate::passphrase::Passphrase;
use crate::store;
use crate::text::{contains_folded, fold};
use crate::vault::Vault;

impl Vault {
    /// Adds a client and opens their first treatment course.
    pub fn add_client(
        &mut self,
        details: ClientDetails,
        client_id: &str,
        course_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        let today = self.today(now)?;
        let d = details.validated(today)?;
        let tx = self.conn_mut().transaction()?;
        store::clients::insert(&tx, client_id, &d, now)?;
        store::courses::insert(&tx, course_id, client_id, 1, today, now)?;
        store::audit::record(&tx, now, "client_created", client_id)?;
        tx.commit()?;
        self.client(client_id)
    }

    pub fn update_client(
        &mut self,
        id: &str,
        details: ClientDetails,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        let today = self.today(now)?;
        let d = details.validated(today)?;
        let tx = self.conn_mut().transaction()?;
        if !store::clients::update(&tx, id, &d, now)? {
            return Err(not_found());
        }
        store::audit::record(&tx, now, "client_updated", id)?;
        tx.commit()?;
        self.client(id)
    }

    pub fn client(&self, id: &str) -> Result<Client> {
        store::clients::get(self.conn(), id)?.ok_or_else(not_found)
    }

    /// Finds a client by id, or by a name that matches exactly one client (legal or
    /// preferred, ignoring case and accents, whole or part). For the CLI and scripts.
    pub fn find_client(&self, id_or_name: &str) -> Result<Client> {
        if let Ok(c) = self.client(id_or_name) {
            return Ok(c);
        }
        let needle = fold(id_or_name.trim());
        let all = self.list_clients(
            &ClientQuery {
                include_archived: true,
                ..Default::default()
            },
            Utc::now(),
        )?;
        let exact: Vec<&ClientSummary> = all
            .iter()
            .filter(|c| fold(&c.legal_name) == needle || fold(&c.preferred_name) == needle)
            .collect();
        let matches: Vec<&ClientSummary> = if exact.is_empty() {
            all.iter().filter(|c| name_matches(c, &needle)).collect()
        } else {
            exact
        };
        match matches.as_slice() {
            [one] => self.client(&one.id),
            [] => Err(Error::NotFound {
                what: format!("A client named \u{201c}{id_or_name}\u{201d}"),
            }),
            many => Err(Error::invalid(
                "client",
                format!(
                    "\u{201c}{id_or_name}\u{201d} matches {} clients ({}); use the client's id or a longer name.",
                    many.len(),
                    many.iter()
                        .map(|c| c.legal_name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    pub fn set_client_archived(
        &mut self,
        id: &str,
        archived: bool,
        now: DateTime<Utc>,
    ) -> Result<Client> {
        let tx = self.conn_mut().transaction()?;
        if !store::clients::set_archived(&tx, id, archived, now)? {
            return Err(not_found());
        }
        let event = if archived {
            "client_archived"
        } else {
            "client_restored"
        };
        store::audit::record(&tx, now, event, id)?;
        tx.commit()?;
        self.client(id)
    }

    /// Deletes a client and everything recorded about them, their drafts and their words
    /// in the search index included. Deliberate: the caller must type the client's legal
    /// name exactly and the vault's passphrase again. Records are normally kept for years.
    pub fn delete_client_permanently(
        &mut self,
        id: &str,
        confirm_name: &str,
        passphrase: &Passphrase,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let client = self.client(id)?;
        if confirm_name != client.details.legal_name {
            return Err(Error::invalid(
                "confirmName",
                "To delete permanently, type the client's legal name exactly as it is on the record.",
            ));
        }
        // The passphrase again: whoever finds the app unlocked cannot erase a record.
        match self.check_passphrase(passphrase) {
            Ok(()) => {}
            Err(Error::WrongPassphrase) => {
                return Err(Error::invalid(
                    "passphrase",
                    "That is not the vault's passphrase. Nothing was deleted.",
                ));
            }
            Err(e) => return Err(e),
        }
        let tx = self.conn_mut().transaction()?;
        // Their half-typed forms go too: drafts are keyed by the ids they belong to.
        for owned in store::audit::ids_of_client(&tx, id)? {
            store::drafts::delete_mentioning(&tx, &owned)?;
        }
        // Notes, addenda and their search-index entries go with the sessions (cascade
        // and triggers). The index rewrites the pages that held their words, then merges,
        // so no word of theirs, not even of a draft's earlier version, stays behind.
        store::notes::set_search_secure_delete(&tx, true)?;
        store::clients::delete(&tx, id)?;
        store::notes::merge_search_index(&tx)?;
        store::notes::set_search_secure_delete(&tx, false)?;
        // The audit trail keeps that a record was deleted, not whose it was.
        store::audit::record(&tx, now, "client_deleted", id)?;
        tx.commit()?;
        Ok(())
    }

    /// The client list: by legal name, or soonest next session first. The search matches
    /// legal or preferred names in any script, ignoring case and accents.
    pub fn list_clients(&self, q: &ClientQuery, now: DateTime<Utc>) -> Result<Vec<ClientSummary>> {
        let needle = fold(q.search.trim());
        let mut out = Vec::new();
        for row in store::clients::list(self.conn(), q.status, q.include_archived, now)? {
            let mut summary = row.summary;
            if !name_matches(&summary, &needle) {
                continue;
            }
            if let Some(sid) = row.next_session_id {
                summary.next_session = Some(self.session(&sid)?);
            }
            out.push(summary);
        }
        if q.sort == ClientSort::NextSession {
            // Clients with a next session first, soonest first; the rest by name.
            out.sort_by(|a, b| match (&a.next_session, &b.next_session) {
                (Some(x), Some(y)) => (&x.date, &x.time).cmp(&(&y.date, &y.time)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
        }
        Ok(out)
    }

    pub(crate) fn session(&self, id: &str) -> Result<SessionView> {
        store::sessions::get(self.conn(), id)
    }
}

fn name_matches(c: &ClientSummary, folded_needle: &str) -> bool {
    contains_folded(&c.legal_name, folded_needle)
        || contains_folded(&c.preferred_name, folded_needle)
}

fn not_found() -> Error {
    Error::NotFound {
        what: "That client".into(),
    }
}
