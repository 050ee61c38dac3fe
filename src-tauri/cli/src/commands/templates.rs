//! `kapdesk templates`: a newer default template (consent, handout) for a practice that
//! edited its own: list the offers, compare the texts, adopt the default or keep yours.

use chrono::Utc;
use kapdesk_core::Vault;
use kapdesk_core::model::templates::TemplateDocument;

use crate::cli::TemplatesCmd;
use crate::shared::Outcome;

pub(crate) fn run(v: &mut Vault, cmd: TemplatesCmd) -> Outcome {
    match cmd {
        TemplatesCmd::List => {
            let offers = v.template_offers()?;
            if offers.is_empty() {
                println!("Every template is up to date.");
            }
            for o in offers {
                println!("{}", o.message);
            }
            Ok(())
        }
        TemplatesCmd::Compare { template } => {
            let document = TemplateDocument::from(template);
            let Some(o) = v
                .template_offers()?
                .into_iter()
                .find(|o| o.document == document)
            else {
                println!("There is no newer default {}.", document.label());
                return Ok(());
            };
            println!("===== Your {} (in use) =====\n", document.label());
            println!("{}", o.current.trim_end());
            println!(
                "\n===== The newer default (revision {}) =====\n",
                o.revision
            );
            println!("{}", o.newer_default.trim_end());
            Ok(())
        }
        TemplatesCmd::Adopt { template } => {
            let document = TemplateDocument::from(template);
            v.adopt_default_template(document, Utc::now())?;
            println!("The newer default {} is now in use.", document.label());
            Ok(())
        }
        TemplatesCmd::Keep { template } => {
            let document = TemplateDocument::from(template);
            v.keep_own_template(document, Utc::now())?;
            println!("Your own {} stays in use.", document.label());
            Ok(())
        }
    }
}
