//! The client's safety plan: written with the client in seven parts, saved as versions
//! (each save a new one; earlier versions are kept unchanged), and printed as the page
//! the client keeps.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};
use crate::model::safety_plan::{SafetyPlan, SafetyPlanInput, SafetyPlanWording, wording};
use crate::print;
use crate::print::safety_plan::SafetyPlanPrint;
use crate::store;
use crate::vault::Vault;

/// A plan the client keeps fits on one sheet of paper, both sides at most.
const MAX_PAGES: usize = 2;

impl Vault {
    /// The headings and prompts of the plan, as the form shows them and the page prints them.
    pub fn safety_plan_wording(&self) -> Result<SafetyPlanWording> {
        Ok(wording()?.clone())
    }

    /// The client's current plan (the newest version), if one was written.
    pub fn safety_plan(&self, client_id: &str) -> Result<Option<SafetyPlan>> {
        self.client(client_id)?;
        store::safety_plans::get(self.conn(), client_id, None)
    }

    /// Every version of the client's plan, newest first.
    pub fn safety_plan_versions(&self, client_id: &str) -> Result<Vec<SafetyPlan>> {
        self.client(client_id)?;
        store::safety_plans::of_client(self.conn(), client_id)
    }

    /// Saves the plan as the client's next version (1 for the first). Earlier versions
    /// stay as they were. Refuses a plan that would not print on two pages.
    pub fn save_safety_plan(
        &mut self,
        client_id: &str,
        input: SafetyPlanInput,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<SafetyPlan> {
        let client = self.client(client_id)?;
        if client.archived {
            return Err(Error::invalid(
                "client",
                "This client is archived; restore the record before writing a safety plan.",
            ));
        }
        let today = self.today(now)?;
        let input = input.validated(today)?;
        let settings = self.settings()?;
        let mut plan = SafetyPlan {
            id: id.to_owned(),
            client_id: client.id.clone(),
            version: store::safety_plans::next_version(self.conn(), &client.id)?,
            written_on: input.written_on,
            sections: input.sections,
            created_at: now.to_rfc3339(),
        };
        let (_, pages) = print::safety_plan::document(&SafetyPlanPrint {
            plan: &plan,
            wording: wording()?,
            client: &client,
            practice: &settings,
            today,
        })?;
        if pages > MAX_PAGES {
            return Err(Error::invalid(
                "sections",
                format!(
                    "This plan would take {pages} printed pages. Shorten or combine some lines so it fits on {MAX_PAGES}: the client should be able to read it at a glance."
                ),
            ));
        }
        let tx = self.conn_mut().transaction()?;
        plan.version = store::safety_plans::next_version(&tx, &client.id)?;
        store::safety_plans::insert(&tx, &plan)?;
        store::audit::record(
            &tx,
            now,
            "safety_plan_saved",
            &format!("{} {} version {}", client.id, plan.id, plan.version),
        )?;
        tx.commit()?;
        Ok(plan)
    }

    /// The plan as the PDF the client keeps: the current version, or `version`.
    pub fn safety_plan_pdf(
        &mut self,
        client_id: &str,
        version: Option<u32>,
        now: DateTime<Utc>,
    ) -> Result<Vec<u8>> {
        let client = self.client(client_id)?;
        let plan =
            store::safety_plans::get(self.conn(), &client.id, version)?.ok_or_else(|| {
                Error::invalid(
                    "version",
                    match version {
                        Some(v) => format!("This client's safety plan has no version {v}."),
                        None => {
                            "This client has no safety plan yet: write one with them first.".into()
                        }
                    },
                )
            })?;
        let settings = self.settings()?;
        let (doc, _) = print::safety_plan::document(&SafetyPlanPrint {
            plan: &plan,
            wording: wording()?,
            client: &client,
            practice: &settings,
            today: self.today(now)?,
        })?;
        let pdf = print::pdf::render(&doc, print::safety_plan::TITLE)?;
        self.audit(
            now,
            "safety_plan_printed",
            &format!("{} {} version {}", client.id, plan.id, plan.version),
        )?;
        Ok(pdf)
    }
}
