//! The progress letter to the prescriber: the course so far (sessions by phase, each
//! dosing with the medication and dose as recorded, vital-sign ranges, adverse events),
//! the measure scores as a table and a chart per instrument drawn in the PDF, the
//! therapist's summary and signature line. Built from model values the feature gathers.
//! KAP Desk never suggests a dose: the letter repeats what was recorded.

use chrono::{Datelike, NaiveDate};

use crate::dates::long_date;
use crate::model::client::Client;
use crate::model::dosing::DosingRecord;
use crate::model::measures::{AdministrationView, Instrument};
use crate::model::session::{CourseInfo, SessionKind, SessionStatus, SessionView};
use crate::model::settings::PracticeSettings;
use crate::print::notes::parse_date;
use crate::print::pdf::{Block, Chart, Dash, Document, letterhead};

pub struct ProgressLetter<'a> {
    pub client: &'a Client,
    pub settings: &'a PracticeSettings,
    pub today: NaiveDate,
    pub course: &'a CourseInfo,
    /// The course's sessions, in order, labelled.
    pub sessions: &'a [SessionView],
    /// Each completed dosing's record, in order.
    pub dosings: &'a [DosingRecord],
    /// The course's measures, oldest first, with their instrument.
    pub measures: &'a [(AdministrationView, &'a Instrument)],
    /// The prescriber's name as it heads the letter ("" when none is recorded).
    pub prescriber: &'a str,
    /// The therapist's own words.
    pub summary: &'a str,
}

/// How many of the latest scores the letter's table lists in a long course.
const TABLE_RECENT: usize = 20;

fn short_date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

pub fn document(l: &ProgressLetter<'_>) -> Document {
    let d = &l.client.details;
    let name = if d.preferred_name.is_empty() {
        d.legal_name.clone()
    } else {
        d.preferred_name.clone()
    };
    let mut to = vec![];
    if !l.prescriber.is_empty() {
        to.push(("To".to_owned(), l.prescriber.to_owned()));
    }
    if !l.settings.medical_team_name.is_empty() {
        to.push(("Medical team".into(), l.settings.medical_team_name.clone()));
    }
    to.push(("Client".into(), d.legal_name.clone()));
    if !d.date_of_birth.is_empty() {
        to.push((
            "Date of birth".into(),
            long_date(parse_date(&d.date_of_birth)),
        ));
    }
    to.push((
        "Course".into(),
        format!(
            "Course {} of ketamine-assisted psychotherapy, started {}",
            l.course.number,
            long_date(parse_date(&l.course.started_on))
        ),
    ));
    to.push(("Date".into(), long_date(l.today)));
    let mut blocks = vec![
        Block::Title("Progress report".into()),
        Block::Fields(to),
        Block::Space(8.0),
        Block::Paragraph(format!(
            "{}\n\nThis letter updates you on {name}'s ketamine-assisted psychotherapy: the sessions held so far, each dosing as recorded on the day, and the outcome measures given during the course.",
            if l.prescriber.is_empty() {
                "Dear colleague,".to_owned()
            } else {
                format!("Dear {},", l.prescriber)
            }
        )),
        Block::Heading("The course so far".into()),
        Block::Paragraph(course_lines(l.sessions).join("\n")),
    ];

    blocks.push(Block::Heading("Dosing sessions".into()));
    if l.dosings.is_empty() {
        blocks.push(Block::Paragraph(
            "No dosing session has been completed yet.".into(),
        ));
    }
    for r in l.dosings {
        blocks.push(Block::Item {
            title: format!(
                "{}, {}",
                r.session.label,
                long_date(parse_date(&r.session.date))
            ),
            text: dosing_lines(r)
                .iter()
                .map(|s| format!("- {s}"))
                .collect::<Vec<_>>()
                .join("\n"),
            initials: false,
            meta: None,
        });
    }

    blocks.push(Block::Heading("Outcome measures".into()));
    if l.measures.is_empty() {
        blocks.push(Block::Paragraph(
            "No outcome measures were given in this course.".into(),
        ));
    } else {
        // A long course would make the table pages of rows a prescriber will not read:
        // it keeps each measure's baseline and the most recent scores; the charts below
        // show every score.
        let shown: Vec<usize> = {
            let recent_from = l.measures.len().saturating_sub(TABLE_RECENT);
            let mut firsts: Vec<&str> = Vec::new();
            (0..l.measures.len())
                .filter(|&i| {
                    let inst = l.measures[i].0.administration.instrument.as_str();
                    let first = !firsts.contains(&inst);
                    if first {
                        firsts.push(inst);
                    }
                    first || i >= recent_from
                })
                .collect()
        };
        if shown.len() < l.measures.len() {
            blocks.push(Block::Meta(format!(
                "The table shows each measure's baseline and the {TABLE_RECENT} most recent of the {} scores on file; the charts below show every one.",
                l.measures.len()
            )));
        }
        blocks.push(Block::Table {
            header: ["Date", "Measure", "Score", "Band", "From baseline"]
                .map(str::to_owned)
                .to_vec(),
            widths: vec![0.2, 0.13, 0.12, 0.27, 0.28],
            rows: shown
                .iter()
                .map(|&i| &l.measures[i])
                .map(|(m, _)| {
                    let a = &m.administration;
                    vec![
                        short_date(parse_date(&a.date)),
                        m.instrument_name.clone(),
                        format!("{} / {}", a.total, m.max_total),
                        a.band.clone(),
                        change_words(m),
                    ]
                })
                .collect(),
        });
        let dosing_days: Vec<(NaiveDate, String)> = l
            .sessions
            .iter()
            .filter(|s| s.kind == SessionKind::Dosing && s.status == SessionStatus::Completed)
            .enumerate()
            .map(|(i, s)| (parse_date(&s.date), format!("D{}", i + 1)))
            .collect();
        let mut seen: Vec<&str> = Vec::new();
        for (_, inst) in l.measures {
            if seen.contains(&inst.id.as_str()) {
                continue;
            }
            seen.push(&inst.id);
            let of: Vec<&AdministrationView> = l
                .measures
                .iter()
                .filter(|(m, _)| m.administration.instrument == inst.id)
                .map(|(m, _)| m)
                .collect();
            blocks.push(Block::Chart(chart(inst, &of, &dosing_days)));
        }
        let sources: Vec<String> = seen
            .iter()
            .filter_map(|id| l.measures.iter().find(|(_, i)| i.id == *id))
            .map(|(_, i)| format!("{}: {}", i.name, i.thresholds.source))
            .collect();
        blocks.push(Block::Meta(sources.join("\n")));
    }

    blocks.push(Block::Heading("Summary".into()));
    blocks.push(Block::Paragraph(l.summary.to_owned()));
    blocks.push(Block::Space(10.0));
    let signer = match (
        l.settings.therapist_name.is_empty(),
        l.settings.credentials.is_empty(),
    ) {
        (true, _) => "Therapist".to_owned(),
        (false, true) => l.settings.therapist_name.clone(),
        (false, false) => format!("{}, {}", l.settings.therapist_name, l.settings.credentials),
    };
    blocks.push(Block::Signatures {
        statement: "Please contact me with any questions. With kind regards,".into(),
        lines: vec![signer, "Date".into()],
    });
    Document {
        paper: l.settings.paper_size,
        letterhead: letterhead(l.settings),
        footer: format!(
            "Progress report for {} \u{00b7} {} \u{00b7} confidential",
            d.legal_name,
            long_date(l.today)
        ),
        blocks,
    }
}

/// "- Preparation: 4 sessions completed", one line per phase with sessions.
fn course_lines(sessions: &[SessionView]) -> Vec<String> {
    let mut lines = Vec::new();
    for kind in [
        SessionKind::Intake,
        SessionKind::Preparation,
        SessionKind::Dosing,
        SessionKind::Integration,
        SessionKind::FollowUp,
    ] {
        let of: Vec<&SessionView> = sessions.iter().filter(|s| s.kind == kind).collect();
        let done = of
            .iter()
            .filter(|s| s.status == SessionStatus::Completed)
            .count();
        let booked = of
            .iter()
            .filter(|s| s.status == SessionStatus::Scheduled)
            .count();
        if done + booked == 0 {
            continue;
        }
        let mut line = format!("- {}: {done} completed", kind.label());
        if booked > 0 {
            line.push_str(&format!(", {booked} booked"));
        }
        if let (Some(first), Some(last)) = (
            of.iter().find(|s| s.status == SessionStatus::Completed),
            of.iter()
                .rev()
                .find(|s| s.status == SessionStatus::Completed),
        ) {
            line.push_str(&if first.id == last.id {
                format!(" ({})", short_date(parse_date(&first.date)))
            } else {
                format!(
                    " ({} to {})",
                    short_date(parse_date(&first.date)),
                    short_date(parse_date(&last.date))
                )
            });
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push("No sessions are recorded in this course.".into());
    }
    lines
}

/// The dosing as recorded: medication and dose, vital-sign ranges, adverse events.
fn dosing_lines(r: &DosingRecord) -> Vec<String> {
    let mut lines = vec![match r.medication.summary() {
        Some(m) if r.medication.difference_reason.is_empty() => {
            format!("Medication as recorded: {m}.")
        }
        Some(m) => format!(
            "Medication as recorded: {m}. It differs from the prescription on file; reason recorded: {}",
            r.medication.difference_reason
        ),
        None => "Medication: not recorded.".into(),
    }];
    if r.vitals.is_empty() {
        lines.push("Vital signs: none recorded.".into());
    } else {
        let range = |f: fn(&crate::model::dosing::Vitals) -> i64| {
            let lo = r.vitals.iter().map(f).min().unwrap_or_default();
            let hi = r.vitals.iter().map(f).max().unwrap_or_default();
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}-{hi}")
            }
        };
        lines.push(format!(
            "Vital signs ({} reading{}): blood pressure {}/{} mmHg, heart rate {} per minute.",
            r.vitals.len(),
            if r.vitals.len() == 1 { "" } else { "s" },
            range(|v| v.systolic),
            range(|v| v.diastolic),
            range(|v| v.heart_rate)
        ));
    }
    if r.events.is_empty() {
        lines.push("Adverse events: none recorded.".into());
    } else {
        for e in &r.events {
            lines.push(format!("Adverse event {}", e.summary()));
        }
    }
    if let Some(at) = &r.discharged_at {
        lines.push(format!("Discharged at {at}."));
    }
    lines
}

/// "58% lower (response)", "baseline", "12% higher".
fn change_words(m: &AdministrationView) -> String {
    if m.before_baseline {
        return "Before the baseline; not compared".into();
    }
    let Some(p) = &m.progress else {
        return "Baseline".into();
    };
    let mut s = match p.percent_drop {
        Some(0) => format!("Same as baseline {}", p.baseline_total),
        Some(d) if d > 0 => format!("{d}% lower than {}", p.baseline_total),
        Some(d) => format!("{}% higher than {}", -d, p.baseline_total),
        None => format!("Baseline {}", p.baseline_total),
    };
    let marks: Vec<&str> = [(p.response, "response"), (p.remission, "remission")]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, w)| *w)
        .collect();
    if !marks.is_empty() {
        s.push_str(&format!(" ({})", marks.join(", ")));
    }
    s
}

/// One instrument's scores over the course, its bands shaded, dosings as vertical lines,
/// and its remission and response thresholds.
fn chart(inst: &Instrument, of: &[&AdministrationView], dosings: &[(NaiveDate, String)]) -> Chart {
    let day = |d: NaiveDate| d.num_days_from_ce() as i64;
    let dates: Vec<NaiveDate> = of
        .iter()
        .map(|m| parse_date(&m.administration.date))
        .chain(dosings.iter().map(|(d, _)| *d))
        .collect();
    let (first, last) = (
        dates.iter().min().copied().unwrap_or_default(),
        dates.iter().max().copied().unwrap_or_default(),
    );
    let (x_from, x_to) = (day(first) - 3, day(last).max(day(first) + 14) + 3);
    let ticks = 4;
    let x_labels = (0..=ticks)
        .map(|i| {
            let d = x_from + (x_to - x_from) * i / ticks;
            let date = NaiveDate::from_num_days_from_ce_opt(d as i32).unwrap_or(first);
            // Over a long course the year matters more than the day.
            let format = if x_to - x_from > 180 {
                "%b %Y"
            } else {
                "%-d %b"
            };
            (d, date.format(format).to_string())
        })
        .collect();
    let mut lines = Vec::new();
    if let Some(r) = inst.thresholds.remission_below {
        lines.push((
            r as f32 - 0.5,
            Dash::Dashed,
            format!("Remission: a score below {r}"),
        ));
    }
    let baseline = of
        .iter()
        .find_map(|m| m.progress.map(|p| p.baseline_total))
        .or_else(|| of.first().map(|m| m.administration.total));
    if let Some(b) = baseline {
        if let Some(pct) = inst.thresholds.response_drop_percent {
            let at = b as f32 * (100 - pct) as f32 / 100.0;
            lines.push((
                at,
                Dash::Dotted,
                format!("Response: {pct}% below the baseline of {b} (at or below {at:.1})"),
            ));
        }
        if let Some(pts) = inst.thresholds.response_rise_points {
            let at = (b + pts) as f32;
            lines.push((
                at.min(inst.max_total() as f32),
                Dash::Dotted,
                format!("Response: {pts} points above the baseline of {b} (at or above {at})"),
            ));
        }
    }
    Chart {
        title: format!(
            "{} ({}), 0-{}; {} is better",
            inst.name,
            inst.measures.to_lowercase(),
            inst.max_total(),
            if inst.higher_is_better {
                "higher"
            } else {
                "lower"
            }
        ),
        y_max: inst.max_total() as f32,
        bands: inst
            .bands
            .iter()
            .map(|b| {
                (
                    b.from as f32,
                    b.to as f32,
                    format!("{} ({}-{})", b.label, b.from, b.to),
                )
            })
            .collect(),
        x_from,
        x_to,
        x_labels,
        points: of
            .iter()
            .map(|m| {
                (
                    day(parse_date(&m.administration.date)),
                    m.administration.total as f32,
                )
            })
            .collect(),
        verticals: dosings.iter().map(|(d, l)| (day(*d), l.clone())).collect(),
        lines,
        verticals_legend: "D1, D2…: completed dosing sessions".into(),
    }
}
