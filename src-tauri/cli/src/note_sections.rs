//! Markdown into a note's sections: a line `## Section title` starts a section, and
//! the lines up to the next such line are its text.
//!
//! Kept on its own, free of clap and of the CLI's error type, so it can move into
//! `kapdesk-core` (the notes module) as it is: it only needs the core's `NoteSection`.

use std::fmt;

use kapdesk_core::model::notes::NoteSection;

/// A `## ` heading that names none of the note's sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UnknownSection {
    pub title: String,
    /// The note's section titles, in order.
    pub known: Vec<String>,
}

impl fmt::Display for UnknownSection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\u{201c}## {}\u{201d} is not a section of this note. Its sections: {}.",
            self.title,
            self.known.join(", ")
        )
    }
}

/// The note's `sections` with their text replaced by what `text` puts under each.
///
/// A heading matches a section's title or key, ignoring ASCII case. Text before the
/// first heading belongs to the first section. Each section's text is trimmed of
/// leading and trailing blank lines, nothing else.
pub(crate) fn fill_sections(
    sections: &[NoteSection],
    text: &str,
) -> Result<Vec<NoteSection>, UnknownSection> {
    let mut sections = sections.to_vec();
    for s in &mut sections {
        s.text.clear();
    }
    let mut current = 0;
    let mut lines: Vec<Vec<&str>> = vec![Vec::new(); sections.len()];
    for line in text.split_inclusive('\n') {
        if let Some(title) = line.strip_prefix("## ") {
            let title = title.trim();
            current = sections
                .iter()
                .position(|s| {
                    s.title.eq_ignore_ascii_case(title) || s.key.eq_ignore_ascii_case(title)
                })
                .ok_or_else(|| UnknownSection {
                    title: title.to_owned(),
                    known: sections.iter().map(|s| s.title.clone()).collect(),
                })?;
            continue;
        }
        // A note always has sections; with none there is nowhere to put the line.
        if let Some(l) = lines.get_mut(current) {
            l.push(line);
        }
    }
    for (s, l) in sections.iter_mut().zip(lines) {
        s.text = l.concat().trim_matches('\n').to_owned();
    }
    Ok(sections)
}
