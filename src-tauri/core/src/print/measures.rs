//! Outcome measures on paper and in files: the CSV export, one row per administration.

use std::collections::HashMap;

use crate::error::Result;
use crate::model::measures::{Administration, instrument, instruments};

/// One row per administration, oldest first within each client: who, which instrument,
/// when, who filled it in, each item's answer (as many item columns as the longest
/// instrument has; blank beyond an instrument's own), the total as recorded, its band,
/// and the safety flag with the response to it (never the risk note itself).
pub fn csv(all: &[Administration], names: &HashMap<String, String>) -> Result<String> {
    let items = instruments()?
        .iter()
        .map(|i| i.items.len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    let mut header: Vec<String> = [
        "client_id",
        "client",
        "instrument",
        "date",
        "filled_by",
        "session_id",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend((1..=items).map(|n| format!("item_{n}")));
    header.extend(
        [
            "total",
            "max_total",
            "band",
            "safety_flag",
            "safety_response",
        ]
        .iter()
        .map(|s| (*s).to_owned()),
    );
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for a in all {
        let inst = instrument(&a.instrument)?;
        let mut row = vec![
            field(&a.client_id),
            field(names.get(&a.client_id).map(String::as_str).unwrap_or("")),
            field(&inst.name),
            field(&a.date),
            field(a.filled_by.as_str()),
            field(a.session_id.as_deref().unwrap_or("")),
        ];
        row.extend((0..items).map(|n| a.answers.get(n).map(u32::to_string).unwrap_or_default()));
        row.push(a.total.to_string());
        row.push(inst.max_total().to_string());
        row.push(field(&a.band));
        row.push(if a.safety_flag { "yes" } else { "no" }.to_owned());
        row.push(match (&a.safety_response, a.safety_flag) {
            (Some(r), _) => field(&format!(
                "{} on {}",
                r.safety_plan.label(),
                r.recorded_at.get(..10).unwrap_or(&r.recorded_at)
            )),
            (None, true) => "open".to_owned(),
            (None, false) => String::new(),
        });
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    Ok(out)
}

/// RFC 4180: quoted when it holds a comma, quote or line break. A leading = + - @ is
/// prefixed with a quote mark so a spreadsheet never runs a name as a formula.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::measures::FilledBy;

    #[test]
    fn one_row_per_administration_with_items_total_and_quoted_names() {
        let a = Administration {
            id: "m1".into(),
            client_id: "c1".into(),
            course_id: "k1".into(),
            instrument: "gad7".into(),
            date: "2026-11-20".into(),
            session_id: None,
            filled_by: FilledBy::Therapist,
            answers: vec![1, 2, 0, 1, 1, 0, 2],
            total: 7,
            band: "Mild".into(),
            safety_flag: false,
            safety_response: None,
            recorded_at: "2026-11-20T15:00:00+00:00".into(),
        };
        let names = HashMap::from([("c1".to_owned(), "Okafor, \"Ada\"".to_owned())]);
        let csv = csv(&[a], &names).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(
            lines[0].starts_with("client_id,client,instrument,date,filled_by,session_id,item_1,")
        );
        assert!(lines[0].ends_with("item_20,total,max_total,band,safety_flag,safety_response"));
        assert_eq!(
            lines[1],
            "c1,\"Okafor, \"\"Ada\"\"\",GAD-7,2026-11-20,therapist,,1,2,0,1,1,0,2,,,,,,,,,,,,,,7,21,Mild,no,"
        );
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
    }
}
