//! Printed documents: a small layout engine of our own over printpdf.
//!
//! printpdf draws text where it is told and does not wrap, so this module measures
//! words with the embedded font's real advance widths, wraps them, splits words too
//! long for a line, and paginates with keep-together rules: a heading never stands
//! alone at the foot of a page, an item's initials box stays with its title and first
//! lines, a short item is never split, signature lines stay together. Every page gets
//! "Page x of y". Layout is separate from rendering so it can be tested on its own.
//!
//! Fonts: DejaVu Sans (free licence, in `assets/fonts/`), parsed once per process,
//! embedded and subset to the glyphs used. It covers Latin with accents, Greek and
//! Cyrillic; a character it lacks is drawn with an installed font that has it
//! (`print::fonts`), and one no font has is printed as a visible code and named in a note
//! at the end of the document, never an empty box on paper and never a refusal.

use printpdf::{
    Color, FontId, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

pub use crate::print::fonts::{FontFallback, Fonts};

use crate::error::Result;
use crate::model::settings::{PaperSize, PracticeSettings};
use crate::print::fonts::Which;

const MARGIN_X: f32 = 54.0;
const MARGIN_TOP: f32 = 54.0;
/// Room for the footer below the content.
const MARGIN_BOTTOM: f32 = 64.0;
const BODY: f32 = 11.0;
const LEADING: f32 = 1.38;
const INITIALS_W: f32 = 64.0;
const INITIALS_H: f32 = 30.0;
const INITIALS_GAP: f32 = 14.0;

/// What a document is made of, top to bottom.
#[derive(Debug, Clone)]
pub enum Block {
    Title(String),
    /// Kept with the start of the block that follows it.
    Heading(String),
    /// Body text. A blank line starts a new paragraph; a line starting "- " is a list item;
    /// a line starting with four spaces is indented (a command to type).
    Paragraph(String),
    /// Small grey text (dates, record details).
    Meta(String),
    /// Label and value rows, e.g. the client's name and date of birth.
    Fields(Vec<(String, String)>),
    /// A numbered checklist item, with an initials box beside it when asked.
    Item {
        title: String,
        text: String,
        initials: bool,
        /// Shown under the text in small grey type (e.g. when it was discussed).
        meta: Option<String>,
    },
    /// A statement and the signature and date lines under it, kept together on a page.
    Signatures {
        statement: String,
        lines: Vec<String>,
    },
    Space(f32),
    /// Rows of cells under a bold header; `widths` are fractions of the text width. The
    /// header stays with the first row; rows are never split.
    Table {
        header: Vec<String>,
        widths: Vec<f32>,
        rows: Vec<Vec<String>>,
    },
    /// A line chart drawn in vectors, kept whole on one page.
    Chart(Chart),
    /// Body text in bold (a line that must not be missed).
    Strong(String),
    /// A part of a form the client keeps: a bold heading, what was written in it as a
    /// list (`lines`), then `prompt` in grey and `blank` ruled lines to write on by
    /// hand, after `gap` points of space. Kept on one page unless it is long.
    FormPart {
        heading: String,
        lines: Vec<String>,
        prompt: Option<String>,
        blank: u32,
        gap: f32,
    },
}

/// How a line is drawn, so lines differ without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dash {
    Solid,
    Dashed,
    Dotted,
}

/// Scores over time: shaded bands, the scores joined by a line, vertical lines at events
/// (dosings), horizontal threshold lines, and a legend under it saying what each line is.
/// `x` values are day numbers; `y` values run from 0 to `y_max`.
#[derive(Debug, Clone)]
pub struct Chart {
    pub title: String,
    pub y_max: f32,
    /// (from, to, label), lowest first; shaded in alternating greys, labelled at the right.
    pub bands: Vec<(f32, f32, String)>,
    pub x_from: i64,
    pub x_to: i64,
    /// Tick labels under the axis.
    pub x_labels: Vec<(i64, String)>,
    pub points: Vec<(i64, f32)>,
    /// Vertical lines with a short label above the plot ("D1").
    pub verticals: Vec<(i64, String)>,
    /// Horizontal lines (a threshold) and what they mean, for the legend.
    pub lines: Vec<(f32, Dash, String)>,
    /// What the vertical lines are, for the legend ("D1, D2…: dosing sessions").
    pub verticals_legend: String,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub paper: PaperSize,
    /// The first line prints large and bold (the practice), the rest small.
    pub letterhead: Vec<String>,
    /// Left of the footer on every page; "Page x of y" is on the right.
    pub footer: String,
    pub blocks: Vec<Block>,
}

/// The practice's name, address and contacts, as printed at the top of page one.
pub fn letterhead(settings: &PracticeSettings) -> Vec<String> {
    let mut lines = vec![if settings.practice_name.is_empty() {
        settings.therapist_name.clone()
    } else {
        settings.practice_name.clone()
    }];
    lines.extend(settings.address.lines().map(str::to_owned));
    let contact: Vec<&str> = [settings.phone.as_str(), settings.email.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !contact.is_empty() {
        lines.push(contact.join(" \u{00b7} "));
    }
    lines
}

/// Measures text in points. The real fonts implement it; tests may too.
pub trait Measure {
    fn width(&self, text: &str, size: f32, bold: bool) -> f32;
    /// The first character the font cannot draw, if any.
    fn missing_glyph(&self, text: &str) -> Option<char>;
}

impl Measure for Fonts {
    fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        Fonts::width(self, text, size, bold)
    }

    fn missing_glyph(&self, text: &str) -> Option<char> {
        self.missing(text)
    }
}

/// Page size in points.
pub fn page_size(paper: PaperSize) -> (f32, f32) {
    match paper {
        PaperSize::Letter => (612.0, 792.0),
        PaperSize::A4 => (595.28, 841.89),
    }
}

/// Something placed on a page, in points from the page's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub enum Placed {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        grey: bool,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    Rule {
        x: f32,
        y: f32,
        w: f32,
    },
    /// A filled rectangle in a grey (`shade`: 0 black … 1 white).
    Fill {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        shade: f32,
    },
    /// A stroked line through the points.
    Path {
        points: Vec<(f32, f32)>,
        width: f32,
        dash: Dash,
        shade: f32,
    },
}

impl Placed {
    /// The same thing `dy` points lower.
    fn down(self, dy: f32) -> Placed {
        match self {
            Placed::Text {
                x,
                y,
                size,
                bold,
                grey,
                text,
            } => Placed::Text {
                x,
                y: y + dy,
                size,
                bold,
                grey,
                text,
            },
            Placed::Rect { x, y, w, h } => Placed::Rect { x, y: y + dy, w, h },
            Placed::Rule { x, y, w } => Placed::Rule { x, y: y + dy, w },
            Placed::Fill { x, y, w, h, shade } => Placed::Fill {
                x,
                y: y + dy,
                w,
                h,
                shade,
            },
            Placed::Path {
                points,
                width,
                dash,
                shade,
            } => Placed::Path {
                points: points.into_iter().map(|(x, y)| (x, y + dy)).collect(),
                width,
                dash,
                shade,
            },
        }
    }
}

/// One row of a block: its height and what it draws, relative to the row's top.
#[derive(Debug, Clone)]
struct Row {
    height: f32,
    draws: Vec<Placed>,
}

/// Rows that must share a page.
#[derive(Debug, Clone)]
struct Unit {
    rows: Vec<Row>,
    /// Dropped when it would start a page (spacing).
    space: bool,
}

impl Unit {
    fn height(&self) -> f32 {
        self.rows.iter().map(|r| r.height).sum()
    }
}

pub struct LaidOut {
    pub width: f32,
    pub height: f32,
    pub pages: Vec<Vec<Placed>>,
    /// Characters no font could draw, printed as their code (first seen first).
    pub substituted: Vec<char>,
}

fn text_row(m: &dyn Measure, x: f32, text: String, size: f32, bold: bool, grey: bool) -> Row {
    let _ = m;
    let height = size * LEADING;
    Row {
        height,
        draws: vec![Placed::Text {
            x,
            // Baseline: the ascent of DejaVu is ~0.93 em; leave the leading above it.
            y: height - size * 0.3,
            size,
            bold,
            grey,
            text,
        }],
    }
}

/// Greedy word wrap to `width` points. A word wider than the line is split by
/// characters, so nothing ever runs past the margin. Each word is measured once: a
/// line's width is the sum of its words and spaces (advances add up; no kerning).
pub fn wrap(m: &dyn Measure, text: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let space = m.width(" ", size, bold);
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let mut line = String::new();
        let mut line_w = 0.0_f32;
        for word in raw.split_whitespace() {
            let word_w = m.width(word, size, bold);
            if !line.is_empty() {
                if line_w + space + word_w <= width {
                    line.push(' ');
                    line.push_str(word);
                    line_w += space + word_w;
                    continue;
                }
                lines.push(std::mem::take(&mut line));
                line_w = 0.0;
            }
            if word_w <= width {
                line.push_str(word);
                line_w = word_w;
                continue;
            }
            // A word longer than a line (a URL, a run of characters): break it.
            let mut buf = [0u8; 4];
            for c in word.chars() {
                let c_w = m.width(c.encode_utf8(&mut buf), size, bold);
                if line_w + c_w > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                line.push(c);
                line_w += c_w;
            }
        }
        lines.push(line);
    }
    lines
}

/// Rows for body text with paragraphs and "- " list items, within `width`.
fn paragraph_rows(
    m: &dyn Measure,
    text: &str,
    x: f32,
    width: f32,
    size: f32,
    grey: bool,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for (i, para) in text.trim().split("\n\n").enumerate() {
        if i > 0 {
            rows.push(Row {
                height: size * 0.6,
                draws: Vec::new(),
            });
        }
        for raw in para.lines() {
            let line = raw.trim();
            if raw.starts_with("    ") && !line.is_empty() {
                // An indented line (a command to type, a quoted line) stays indented.
                let indent = size * 1.8;
                for l in wrap(m, line, size, false, width - indent) {
                    rows.push(text_row(m, x + indent, l, size, false, grey));
                }
            } else if let Some(item) = line.strip_prefix("- ") {
                let indent = size * 1.2;
                for (j, l) in wrap(m, item, size, false, width - indent)
                    .into_iter()
                    .enumerate()
                {
                    let mut row = text_row(m, x + indent, l, size, false, grey);
                    if j == 0 {
                        row.draws.push(Placed::Text {
                            x: x + size * 0.2,
                            y: row.height - size * 0.3,
                            size,
                            bold: false,
                            grey,
                            text: "\u{2022}".into(),
                        });
                    }
                    rows.push(row);
                }
            } else {
                for l in wrap(m, line, size, false, width) {
                    rows.push(text_row(m, x, l, size, false, grey));
                }
            }
        }
    }
    rows
}

/// Splits rows into units that may break between them. Within each paragraph (rows
/// between empty spacing rows) the first two and the last two lines stay together, so
/// no page starts or ends with a lone line; spacing rows are dropped at a page top.
/// Trailing rows after the last paragraph (a note, spacing) stay with its last lines.
fn flowing(rows: Vec<Row>) -> Vec<Unit> {
    let mut paragraphs: Vec<Vec<Row>> = Vec::new();
    let mut spacers: Vec<Option<Row>> = Vec::new();
    let mut current = Vec::new();
    for row in rows {
        if row.draws.is_empty() {
            paragraphs.push(std::mem::take(&mut current));
            spacers.push(Some(row));
        } else {
            current.push(row);
        }
    }
    paragraphs.push(current);
    spacers.push(None);

    let mut units: Vec<Unit> = Vec::new();
    for (para, spacer) in paragraphs.into_iter().zip(spacers) {
        let n = para.len();
        if n <= 4 {
            if n > 0 {
                units.push(Unit {
                    rows: para,
                    space: false,
                });
            }
        } else {
            let mut rows = para.into_iter();
            units.push(Unit {
                rows: rows.by_ref().take(2).collect(),
                space: false,
            });
            for _ in 2..n - 2 {
                units.push(Unit {
                    rows: rows.by_ref().take(1).collect(),
                    space: false,
                });
            }
            units.push(Unit {
                rows: rows.collect(),
                space: false,
            });
        }
        if let Some(sp) = spacer {
            units.push(Unit {
                rows: vec![sp],
                space: true,
            });
        }
    }
    // What follows the last paragraph of text (small notes, closing space) belongs to it.
    while units.len() >= 2
        && units
            .last()
            .is_some_and(|u| u.space || u.rows.iter().all(|r| r.height < BODY * LEADING - 0.1))
    {
        let tail = units.pop().expect("checked");
        if let Some(prev) = units.last_mut() {
            prev.rows.extend(tail.rows);
        }
    }
    units
}

/// Lays the document out into pages of placed elements.
pub fn layout(doc: &Document, m: &dyn Measure) -> Result<LaidOut> {
    let (substituted_doc, substituted) = substitute_missing(doc, m);
    let doc = &substituted_doc;
    let (pw, ph) = page_size(doc.paper);
    let x0 = MARGIN_X;
    let cw = pw - 2.0 * MARGIN_X;
    let content_h = ph - MARGIN_TOP - MARGIN_BOTTOM;

    // Blocks into units; a heading is merged into the unit that follows it.
    let mut units: Vec<Unit> = Vec::new();
    let mut pending_heading: Option<Vec<Row>> = None;
    let push = |units: &mut Vec<Unit>, pending: &mut Option<Vec<Row>>, mut new: Vec<Unit>| {
        if let (Some(h), Some(first)) = (pending.take(), new.first_mut()) {
            let mut rows = h;
            rows.append(&mut first.rows);
            first.rows = rows;
        }
        units.append(&mut new);
    };
    for block in &doc.blocks {
        let new: Vec<Unit> = match block {
            Block::Title(t) => {
                let rows = wrap(m, t, 18.0, true, cw)
                    .into_iter()
                    .map(|l| text_row(m, x0, l, 18.0, true, false))
                    .collect();
                vec![Unit { rows, space: false }]
            }
            Block::Heading(t) => {
                let mut rows = vec![Row {
                    height: 8.0,
                    draws: Vec::new(),
                }];
                rows.extend(
                    wrap(m, t, 13.0, true, cw)
                        .into_iter()
                        .map(|l| text_row(m, x0, l, 13.0, true, false)),
                );
                rows.push(Row {
                    height: 4.0,
                    draws: vec![Placed::Rule {
                        x: x0,
                        y: 1.0,
                        w: cw,
                    }],
                });
                match pending_heading.as_mut() {
                    Some(p) => p.extend(rows),
                    None => pending_heading = Some(rows),
                }
                continue;
            }
            Block::Paragraph(t) => flowing(paragraph_rows(m, t, x0, cw, BODY, false)),
            Block::Meta(t) => flowing(paragraph_rows(m, t, x0, cw, 9.5, true)),
            Block::Fields(fields) => {
                let label_w = fields
                    .iter()
                    .map(|(l, _)| m.width(l, BODY, true))
                    .fold(0.0_f32, f32::max)
                    .min(cw * 0.35)
                    + 12.0;
                let mut rows = Vec::new();
                for (label, value) in fields {
                    let vlines = wrap(m, value, BODY, false, cw - label_w);
                    for (i, v) in vlines.into_iter().enumerate() {
                        let mut row = text_row(m, x0 + label_w, v, BODY, false, false);
                        if i == 0 {
                            let label_lines = wrap(m, label, BODY, true, label_w - 12.0);
                            if let Some(l) = label_lines.into_iter().next() {
                                row.draws.push(Placed::Text {
                                    x: x0,
                                    y: row.height - BODY * 0.3,
                                    size: BODY,
                                    bold: true,
                                    grey: false,
                                    text: l,
                                });
                            }
                        }
                        rows.push(row);
                    }
                }
                vec![Unit { rows, space: false }]
            }
            Block::Item {
                title,
                text,
                initials,
                meta,
            } => {
                let tw = if *initials {
                    cw - INITIALS_W - INITIALS_GAP
                } else {
                    cw
                };
                let mut rows: Vec<Row> = wrap(m, title, 11.5, true, tw)
                    .into_iter()
                    .map(|l| text_row(m, x0, l, 11.5, true, false))
                    .collect();
                if *initials && let Some(first) = rows.first_mut() {
                    first.draws.push(Placed::Rect {
                        x: x0 + cw - INITIALS_W,
                        y: 2.0,
                        w: INITIALS_W,
                        h: INITIALS_H,
                    });
                    first.draws.push(Placed::Text {
                        x: x0 + cw - INITIALS_W,
                        y: 2.0 + INITIALS_H + 9.0,
                        size: 7.5,
                        bold: false,
                        grey: true,
                        text: "Client initials".into(),
                    });
                }
                rows.extend(paragraph_rows(m, text, x0, tw, BODY, false));
                if let Some(meta) = meta {
                    // Its own paragraph, so it travels with the text's last two lines.
                    rows.push(Row {
                        height: 2.0,
                        draws: Vec::new(),
                    });
                    rows.extend(paragraph_rows(m, meta, x0, tw, 9.0, true));
                }
                rows.push(Row {
                    height: 10.0,
                    draws: Vec::new(),
                });
                let total: f32 = rows.iter().map(|r| r.height).sum();
                let min_h = INITIALS_H + 14.0;
                if total <= content_h / 3.0 {
                    // A short item is never split.
                    vec![Unit { rows, space: false }]
                } else {
                    // A long one would leave half a page empty if kept whole: its title,
                    // initials box and first lines stay together, the rest flows.
                    let mut head = Vec::new();
                    let mut rest = rows.into_iter();
                    let mut h = 0.0;
                    for r in rest.by_ref() {
                        h += r.height;
                        head.push(r);
                        if h >= min_h && head.len() >= 3 {
                            break;
                        }
                    }
                    let mut out = vec![Unit {
                        rows: head,
                        space: false,
                    }];
                    out.extend(flowing(rest.collect()));
                    out
                }
            }
            Block::Signatures { statement, lines } => {
                let mut rows = paragraph_rows(m, statement, x0, cw, BODY, false);
                for label in lines {
                    rows.push(Row {
                        height: 34.0,
                        draws: vec![Placed::Rule {
                            x: x0,
                            y: 32.0,
                            w: cw * 0.62,
                        }],
                    });
                    rows.push(text_row(m, x0, label.clone(), 9.0, false, true));
                }
                vec![Unit { rows, space: false }]
            }
            Block::Space(h) => vec![Unit {
                rows: vec![Row {
                    height: *h,
                    draws: Vec::new(),
                }],
                space: true,
            }],
            Block::Table {
                header,
                widths,
                rows,
            } => table_units(m, x0, cw, header, widths, rows),
            Block::Chart(c) => vec![Unit {
                rows: vec![chart_row(m, x0, cw, c)],
                space: false,
            }],
            Block::Strong(t) => vec![Unit {
                rows: wrap(m, t, BODY, true, cw)
                    .into_iter()
                    .map(|l| text_row(m, x0, l, BODY, true, false))
                    .collect(),
                space: false,
            }],
            Block::FormPart {
                heading,
                lines,
                prompt,
                blank,
                gap,
            } => form_part_units(
                m,
                x0,
                cw,
                content_h,
                heading,
                lines,
                prompt.as_deref(),
                *blank,
                *gap,
            ),
        };
        push(&mut units, &mut pending_heading, new);
    }
    if let Some(h) = pending_heading.take() {
        units.push(Unit {
            rows: h,
            space: false,
        });
    }

    // Letterhead on the first page.
    let mut first = Vec::new();
    for (i, line) in doc
        .letterhead
        .iter()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
    {
        let (size, bold) = if i == 0 { (14.0, true) } else { (9.5, false) };
        for l in wrap(m, line, size, bold, cw) {
            first.push(text_row(m, x0, l, size, bold, i > 0));
        }
    }
    if !first.is_empty() {
        first.push(Row {
            height: 14.0,
            draws: vec![Placed::Rule {
                x: x0,
                y: 6.0,
                w: cw,
            }],
        });
        units.insert(
            0,
            Unit {
                rows: first,
                space: false,
            },
        );
    }

    // Paginate.
    let mut pages: Vec<Vec<Placed>> = vec![Vec::new()];
    let mut y = MARGIN_TOP;
    let bottom = MARGIN_TOP + content_h;
    for unit in units {
        let at_top = y <= MARGIN_TOP + 0.01;
        if unit.space && at_top {
            continue;
        }
        if y + unit.height() > bottom && !at_top {
            pages.push(Vec::new());
            y = MARGIN_TOP;
            if unit.space {
                continue;
            }
        }
        for row in unit.rows {
            if y + row.height > bottom + 0.01 && y > MARGIN_TOP + 0.01 {
                // Only a unit taller than a page gets here: continue on a new page.
                pages.push(Vec::new());
                y = MARGIN_TOP;
            }
            let page = pages.last_mut().expect("there is always a page");
            page.extend(row.draws.into_iter().map(|d| d.down(y)));
            y += row.height;
        }
    }

    // Footer on every page, now that the page count is known.
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        let label = format!("Page {} of {total}", i + 1);
        let fy = ph - MARGIN_BOTTOM + 34.0;
        page.push(Placed::Rule {
            x: x0,
            y: fy - 14.0,
            w: cw,
        });
        let right_w = m.width(&label, 8.5, false);
        let footer = wrap(m, &doc.footer, 8.5, false, cw - right_w - 18.0)
            .into_iter()
            .next()
            .unwrap_or_default();
        page.push(Placed::Text {
            x: x0,
            y: fy,
            size: 8.5,
            bold: false,
            grey: true,
            text: footer,
        });
        page.push(Placed::Text {
            x: pw - MARGIN_X - right_w,
            y: fy,
            size: 8.5,
            bold: false,
            grey: true,
            text: label,
        });
    }
    Ok(LaidOut {
        width: pw,
        height: ph,
        pages,
        substituted,
    })
}

/// Room for one handwritten line.
const WRITING_LINE: f32 = 22.0;

/// A form part's rows: kept together when short; when long, its heading stays with the
/// first lines and the rest flows.
#[allow(clippy::too_many_arguments)]
fn form_part_units(
    m: &dyn Measure,
    x0: f32,
    cw: f32,
    content_h: f32,
    heading: &str,
    lines: &[String],
    prompt: Option<&str>,
    blank: u32,
    gap: f32,
) -> Vec<Unit> {
    let mut head = vec![Row {
        height: gap,
        draws: Vec::new(),
    }];
    head.extend(
        wrap(m, heading, 11.5, true, cw)
            .into_iter()
            .map(|l| text_row(m, x0, l, 11.5, true, false)),
    );
    let mut body = Vec::new();
    if !lines.is_empty() {
        let list: Vec<String> = lines.iter().map(|l| format!("- {}", l.trim())).collect();
        body.extend(paragraph_rows(m, &list.join("\n"), x0, cw, BODY, false));
    }
    if let Some(p) = prompt.filter(|p| !p.trim().is_empty()) {
        body.extend(paragraph_rows(m, p, x0, cw, BODY, true));
    }
    let indent = BODY * 1.2;
    for _ in 0..blank {
        body.push(Row {
            height: WRITING_LINE,
            draws: vec![Placed::Rule {
                x: x0 + indent,
                y: WRITING_LINE - 3.0,
                w: cw - indent,
            }],
        });
    }
    let total: f32 = head.iter().chain(&body).map(|r| r.height).sum();
    if total <= content_h / 3.0 || body.len() <= 2 {
        head.extend(body);
        return vec![Unit {
            rows: head,
            space: false,
        }];
    }
    // A long part: the heading and its first two lines together, then a line at a time.
    let mut rest = body.into_iter();
    head.extend(rest.by_ref().take(2));
    let mut out = vec![Unit {
        rows: head,
        space: false,
    }];
    out.extend(rest.map(|r| Unit {
        rows: vec![r],
        space: false,
    }));
    out
}

const TABLE_TEXT: f32 = 9.5;
const CELL_PAD: f32 = 6.0;

/// A table's rows as units: the header with the first row, then one unit per row.
fn table_units(
    m: &dyn Measure,
    x0: f32,
    cw: f32,
    header: &[String],
    widths: &[f32],
    rows: &[Vec<String>],
) -> Vec<Unit> {
    let total: f32 = widths.iter().sum::<f32>().max(f32::EPSILON);
    let cols: Vec<(f32, f32)> = widths
        .iter()
        .scan(x0, |x, w| {
            let width = cw * w / total;
            let at = *x;
            *x += width;
            Some((at, width))
        })
        .collect();
    let line_h = TABLE_TEXT * LEADING;
    let row = |cells: &[String], bold: bool| -> Row {
        let wrapped: Vec<Vec<String>> = cols
            .iter()
            .enumerate()
            .map(|(i, (_, w))| {
                let text = cells.get(i).map(String::as_str).unwrap_or("");
                wrap(m, text, TABLE_TEXT, bold, w - CELL_PAD)
            })
            .collect();
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let height = lines as f32 * line_h + 4.0;
        let mut draws = Vec::new();
        for ((x, _), cell) in cols.iter().zip(wrapped) {
            for (n, l) in cell.into_iter().enumerate() {
                draws.push(Placed::Text {
                    x: *x,
                    y: 2.0 + (n + 1) as f32 * line_h - TABLE_TEXT * 0.3,
                    size: TABLE_TEXT,
                    bold,
                    grey: false,
                    text: l,
                });
            }
        }
        draws.push(Placed::Rule {
            x: x0,
            y: height,
            w: cw,
        });
        Row { height, draws }
    };
    let mut first = vec![row(header, true)];
    let mut rest = rows.iter();
    if let Some(r) = rest.next() {
        first.push(row(r, false));
    }
    let mut out = vec![Unit {
        rows: first,
        space: false,
    }];
    out.extend(rest.map(|r| Unit {
        rows: vec![row(r, false)],
        space: false,
    }));
    out.push(Unit {
        rows: vec![Row {
            height: 8.0,
            draws: Vec::new(),
        }],
        space: true,
    });
    out
}

const CHART_PLOT_H: f32 = 150.0;
const CHART_AXIS_W: f32 = 26.0;
const CHART_BAND_W: f32 = 118.0;
const CHART_SMALL: f32 = 7.5;

/// A chart as one row: title, labels of the vertical lines, the plot with its bands,
/// axis labels, and the legend.
fn chart_row(m: &dyn Measure, x0: f32, cw: f32, c: &Chart) -> Row {
    let mut draws = Vec::new();
    let mut y = 0.0;
    for l in wrap(m, &c.title, 10.5, true, cw) {
        y += 10.5 * LEADING;
        draws.push(Placed::Text {
            x: x0,
            y: y - 10.5 * 0.3,
            size: 10.5,
            bold: true,
            grey: false,
            text: l,
        });
    }
    // Two rows for the vertical lines' labels, so close ones do not collide.
    let labels_top = y + 2.0;
    let small_h = CHART_SMALL * LEADING;
    let top = labels_top + 2.0 * small_h + 2.0;
    let (px0, px1) = (x0 + CHART_AXIS_W, x0 + cw - CHART_BAND_W);
    let span = (c.x_to - c.x_from).max(1) as f32;
    let xs = |d: i64| px0 + (px1 - px0) * ((d - c.x_from) as f32 / span).clamp(0.0, 1.0);
    let ys = |v: f32| top + CHART_PLOT_H * (1.0 - (v / c.y_max.max(1.0)).clamp(0.0, 1.0));
    let bottom = top + CHART_PLOT_H;

    // Bands: alternating light greys, each labelled beside the plot.
    for (i, (from, to, label)) in c.bands.iter().enumerate() {
        // A band of whole scores covers from-0.5 to to+0.5, clipped to the axis.
        let (b_top, b_bottom) = (ys((to + 0.5).min(c.y_max)), ys((from - 0.5).max(0.0)));
        draws.push(Placed::Fill {
            x: px0,
            y: b_top,
            w: px1 - px0,
            h: b_bottom - b_top,
            shade: if i % 2 == 0 { 0.96 } else { 0.88 },
        });
        let lines = wrap(m, label, CHART_SMALL, false, CHART_BAND_W - 8.0);
        let room = ((b_bottom - b_top) / small_h).floor().max(1.0) as usize;
        let shown: Vec<String> = lines.into_iter().take(room).collect();
        let block_h = shown.len() as f32 * small_h;
        let mut ly = (b_top + b_bottom) / 2.0 - block_h / 2.0;
        for l in shown {
            ly += small_h;
            draws.push(Placed::Text {
                x: px1 + 6.0,
                y: ly - CHART_SMALL * 0.3,
                size: CHART_SMALL,
                bold: false,
                grey: true,
                text: l,
            });
        }
    }
    // Axis: frame and y ticks at 0, the middle and the top.
    draws.push(Placed::Rect {
        x: px0,
        y: top,
        w: px1 - px0,
        h: CHART_PLOT_H,
    });
    for v in [0.0, (c.y_max / 2.0).round(), c.y_max] {
        let label = format!("{v}");
        let w = m.width(&label, CHART_SMALL, false);
        draws.push(Placed::Text {
            x: px0 - 4.0 - w,
            y: ys(v) + CHART_SMALL * 0.35,
            size: CHART_SMALL,
            bold: false,
            grey: true,
            text: label,
        });
    }
    // Thresholds.
    for (v, dash, _) in &c.lines {
        draws.push(Placed::Path {
            points: vec![(px0, ys(*v)), (px1, ys(*v))],
            width: 0.9,
            dash: *dash,
            shade: 0.25,
        });
    }
    // Vertical lines and their labels, in the first label row with room.
    let mut right_edge = [f32::MIN; 2];
    for (d, label) in &c.verticals {
        let x = xs(*d);
        draws.push(Placed::Path {
            points: vec![(x, top), (x, bottom)],
            width: 0.7,
            dash: Dash::Solid,
            shade: 0.45,
        });
        let w = m.width(label, CHART_SMALL, false);
        let lx = (x - w / 2.0).clamp(x0, x0 + cw - w);
        if let Some(slot) = (0..2).find(|&i| lx > right_edge[i] + 2.0) {
            right_edge[slot] = lx + w;
            draws.push(Placed::Text {
                x: lx,
                y: labels_top + (slot as f32 + 1.0) * small_h - CHART_SMALL * 0.3,
                size: CHART_SMALL,
                bold: false,
                grey: true,
                text: label.clone(),
            });
        }
    }
    // The scores: a dark line and a square at each.
    if c.points.len() > 1 {
        draws.push(Placed::Path {
            points: c.points.iter().map(|&(d, v)| (xs(d), ys(v))).collect(),
            width: 1.4,
            dash: Dash::Solid,
            shade: 0.1,
        });
    }
    for &(d, v) in &c.points {
        draws.push(Placed::Fill {
            x: xs(d) - 2.5,
            y: ys(v) - 2.5,
            w: 5.0,
            h: 5.0,
            shade: 0.1,
        });
    }
    // Date labels under the axis, skipping one that would touch the one before.
    let mut last_right = f32::MIN;
    for (d, label) in &c.x_labels {
        let w = m.width(label, CHART_SMALL, false);
        let lx = (xs(*d) - w / 2.0).clamp(x0, px1 + CHART_BAND_W - w);
        if lx > last_right + 4.0 {
            last_right = lx + w;
            draws.push(Placed::Text {
                x: lx,
                y: bottom + small_h,
                size: CHART_SMALL,
                bold: false,
                grey: true,
                text: label.clone(),
            });
        }
    }
    // Legend: a sample of each line, then what it means.
    y = bottom + small_h + 6.0;
    let mut legend: Vec<(Option<Dash>, f32, String)> =
        vec![(Some(Dash::Solid), 0.1, "Scores".to_owned())];
    legend.extend(c.lines.iter().map(|(_, d, t)| (Some(*d), 0.25, t.clone())));
    if !c.verticals.is_empty() {
        legend.push((None, 0.45, c.verticals_legend.clone()));
    }
    for (dash, shade, text) in legend {
        for (n, l) in wrap(m, &text, CHART_SMALL + 0.5, false, cw - 34.0)
            .into_iter()
            .enumerate()
        {
            y += small_h;
            if n == 0 {
                let mid = y - CHART_SMALL * 0.55;
                draws.push(match dash {
                    Some(d) => Placed::Path {
                        points: vec![(x0 + 2.0, mid), (x0 + 24.0, mid)],
                        width: if shade < 0.2 { 1.4 } else { 0.9 },
                        dash: d,
                        shade,
                    },
                    None => Placed::Path {
                        points: vec![(x0 + 13.0, mid - 5.0), (x0 + 13.0, mid + 4.0)],
                        width: 0.7,
                        dash: Dash::Solid,
                        shade,
                    },
                });
            }
            draws.push(Placed::Text {
                x: x0 + 32.0,
                y: y - CHART_SMALL * 0.3,
                size: CHART_SMALL + 0.5,
                bold: false,
                grey: false,
                text: l,
            });
        }
    }
    Row {
        height: y + 12.0,
        draws,
    }
}

/// The document with every character no font can draw (an emoji no installed font
/// has, a private-use character) printed as a visible code, `[U+1F642]`, and a closing
/// note that names each one; and those characters. A record must always print: a signed
/// note cannot be edited, so refusing would block that client's record for good.
fn substitute_missing(doc: &Document, m: &dyn Measure) -> (Document, Vec<char>) {
    let mut missing: Vec<char> = Vec::new();
    let mut fix = |t: &str| -> String {
        if m.missing_glyph(t).is_none() {
            return t.to_owned();
        }
        let mut out = String::with_capacity(t.len());
        for c in t.chars() {
            let mut buf = [0u8; 4];
            if m.missing_glyph(c.encode_utf8(&mut buf)).is_some() {
                if !missing.contains(&c) {
                    missing.push(c);
                }
                out.push_str(&format!("[U+{:04X}]", c as u32));
            } else {
                out.push(c);
            }
        }
        out
    };
    let mut out = Document {
        paper: doc.paper,
        letterhead: doc.letterhead.iter().map(|l| fix(l)).collect(),
        footer: fix(&doc.footer),
        blocks: doc
            .blocks
            .iter()
            .map(|b| match b {
                Block::Title(t) => Block::Title(fix(t)),
                Block::Heading(t) => Block::Heading(fix(t)),
                Block::Paragraph(t) => Block::Paragraph(fix(t)),
                Block::Meta(t) => Block::Meta(fix(t)),
                Block::Fields(f) => {
                    Block::Fields(f.iter().map(|(a, b)| (fix(a), fix(b))).collect())
                }
                Block::Item {
                    title,
                    text,
                    initials,
                    meta,
                } => Block::Item {
                    title: fix(title),
                    text: fix(text),
                    initials: *initials,
                    meta: meta.as_deref().map(&mut fix),
                },
                Block::Signatures { statement, lines } => Block::Signatures {
                    statement: fix(statement),
                    lines: lines.iter().map(|l| fix(l)).collect(),
                },
                Block::Space(h) => Block::Space(*h),
                Block::Table {
                    header,
                    widths,
                    rows,
                } => Block::Table {
                    header: header.iter().map(|h| fix(h)).collect(),
                    widths: widths.clone(),
                    rows: rows
                        .iter()
                        .map(|r| r.iter().map(|c| fix(c)).collect())
                        .collect(),
                },
                Block::Chart(c) => Block::Chart(Chart {
                    title: fix(&c.title),
                    bands: c.bands.iter().map(|(a, b, l)| (*a, *b, fix(l))).collect(),
                    x_labels: c.x_labels.iter().map(|(d, l)| (*d, fix(l))).collect(),
                    verticals: c.verticals.iter().map(|(d, l)| (*d, fix(l))).collect(),
                    lines: c.lines.iter().map(|(v, d, l)| (*v, *d, fix(l))).collect(),
                    verticals_legend: fix(&c.verticals_legend),
                    ..c.clone()
                }),
                Block::Strong(t) => Block::Strong(fix(t)),
                Block::FormPart {
                    heading,
                    lines,
                    prompt,
                    blank,
                    gap,
                } => Block::FormPart {
                    heading: fix(heading),
                    lines: lines.iter().map(|l| fix(l)).collect(),
                    prompt: prompt.as_deref().map(&mut fix),
                    blank: *blank,
                    gap: *gap,
                },
            })
            .collect(),
    };
    if !missing.is_empty() {
        let codes: Vec<String> = missing
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        out.blocks.push(Block::Space(8.0));
        out.blocks.push(Block::Meta(format!(
            "No font on this computer can draw {} character{} in this record; each is printed as its Unicode code in brackets: {}. The vault keeps the original text.",
            missing.len(),
            if missing.len() == 1 { "" } else { "s" },
            codes.join(", ")
        )));
    }
    (out, missing)
}

/// Every text element that is not inside the page's margins, described; empty when the
/// layout is sound. Tests of every printed document use it.
pub fn outside_margins(laid: &LaidOut, m: &dyn Measure) -> Vec<String> {
    let mut out = Vec::new();
    for (i, page) in laid.pages.iter().enumerate() {
        for p in page {
            if let Placed::Text {
                x,
                y,
                size,
                bold,
                text,
                ..
            } = p
            {
                let right = x + m.width(text, *size, *bold);
                if *x < MARGIN_X - 0.01 {
                    out.push(format!(
                        "page {}: {text:?} starts left of the margin",
                        i + 1
                    ));
                }
                if right > laid.width - MARGIN_X + 0.01 {
                    out.push(format!(
                        "page {}: {text:?} runs past the right margin ({right:.1} > {:.1})",
                        i + 1,
                        laid.width - MARGIN_X
                    ));
                }
                if *y > laid.height - 20.0 || *y < MARGIN_TOP - 1.0 {
                    out.push(format!("page {}: {text:?} off the page", i + 1));
                }
            }
        }
    }
    out
}

/// Every piece of text in the document, for choosing its fonts.
fn texts(doc: &Document) -> Vec<&str> {
    let mut out: Vec<&str> = doc.letterhead.iter().map(String::as_str).collect();
    out.push(&doc.footer);
    for b in &doc.blocks {
        match b {
            Block::Title(t)
            | Block::Heading(t)
            | Block::Paragraph(t)
            | Block::Meta(t)
            | Block::Strong(t) => out.push(t),
            Block::Fields(f) => out.extend(f.iter().flat_map(|(a, b)| [a.as_str(), b])),
            Block::Item {
                title, text, meta, ..
            } => {
                out.extend([title.as_str(), text]);
                out.extend(meta.as_deref());
            }
            Block::Signatures { statement, lines } => {
                out.push(statement);
                out.extend(lines.iter().map(String::as_str));
            }
            Block::Space(_) => {}
            Block::Table { header, rows, .. } => {
                out.extend(header.iter().map(String::as_str));
                out.extend(rows.iter().flatten().map(String::as_str));
            }
            Block::Chart(c) => {
                out.push(&c.title);
                out.extend(c.bands.iter().map(|(_, _, l)| l.as_str()));
                out.extend(c.x_labels.iter().map(|(_, l)| l.as_str()));
                out.extend(c.verticals.iter().map(|(_, l)| l.as_str()));
                out.extend(c.lines.iter().map(|(_, _, l)| l.as_str()));
                out.push(&c.verticals_legend);
            }
            Block::FormPart {
                heading,
                lines,
                prompt,
                ..
            } => {
                out.push(heading);
                out.extend(lines.iter().map(String::as_str));
                out.extend(prompt.as_deref());
            }
        }
    }
    out
}

/// Page count and layout problems of a document, without rendering it (with the fonts
/// it would be rendered with).
pub fn inspect(doc: &Document) -> Result<(usize, Vec<String>)> {
    let fonts = Fonts::for_texts(texts(doc), FontFallback::system())?;
    let laid = layout(doc, &fonts)?;
    Ok((laid.pages.len(), outside_margins(&laid, &fonts)))
}

/// Lays out and renders the document to PDF bytes, with the installed fonts as fallback.
pub fn render(doc: &Document, title: &str) -> Result<Vec<u8>> {
    render_with_keywords(doc, title, "")
}

/// `render`, with `keywords` in the PDF's document information: an export's audit
/// anchor line, which `print::anchor::find_anchor` reads back without parsing pages.
pub fn render_with_keywords(doc: &Document, title: &str, keywords: &str) -> Result<Vec<u8>> {
    Ok(render_report(doc, title, keywords, FontFallback::system())?.bytes)
}

/// A rendered document and what did not print as written.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    /// Characters no font could draw: each is printed as its code, `[U+1F98B]`, and the
    /// document ends with a note naming them.
    pub unprintable: Vec<char>,
    /// Installed fonts embedded for characters the bundled font lacks (file names).
    pub fallback_fonts: Vec<String>,
}

impl Rendered {
    /// A sentence for the person printing, when something did not print as written.
    pub fn warning(&self) -> Option<String> {
        if self.unprintable.is_empty() {
            return None;
        }
        let codes: Vec<String> = self
            .unprintable
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        Some(format!(
            "No font on this computer can draw {} character{} of this document ({}); {} printed as {} code, and the record keeps the original text.",
            codes.len(),
            if codes.len() == 1 { "" } else { "s" },
            codes.join(", "),
            if codes.len() == 1 {
                "it is"
            } else {
                "they are"
            },
            if codes.len() == 1 { "its" } else { "their" },
        ))
    }
}

/// Lays out and renders the document, drawing characters the bundled font lacks with
/// fonts from `fallback`, and says what could not be drawn.
pub fn render_report(
    doc: &Document,
    title: &str,
    keywords: &str,
    fallback: &FontFallback,
) -> Result<Rendered> {
    let fonts = Fonts::for_texts(texts(doc), fallback)?;
    let laid = layout(doc, &fonts)?;
    let mut pdf = PdfDocument::new(title);
    if !keywords.is_empty() {
        pdf.metadata.info.keywords = vec![keywords.to_owned()];
    }
    let ids = FontIds {
        regular: pdf.add_font(&fonts.face(Which::Regular).font),
        bold: pdf.add_font(&fonts.face(Which::Bold).font),
        fallback: fonts
            .fallback()
            .iter()
            .map(|f| pdf.add_font(&f.font))
            .collect(),
    };
    let (w, h) = (laid.width, laid.height);
    let pages = laid
        .pages
        .into_iter()
        .map(|placed| {
            let ops = page_ops(placed, h, &fonts, &ids);
            PdfPage::new(Mm::from(Pt(w)), Mm::from(Pt(h)), ops)
        })
        .collect();
    let mut warnings = Vec::new();
    let bytes = save(pdf.with_pages(pages), &mut warnings)?;
    Ok(Rendered {
        bytes,
        unprintable: laid.substituted,
        fallback_fonts: fonts.fallback().iter().map(|f| f.name.clone()).collect(),
    })
}

/// How hard streams are compressed. printpdf's own `save` uses zlib's best (9), which
/// took about 3.5 ms of an eight-page letter's rendering (its two subset fonts and the
/// glyph strings of its pages, 170 KB before compression). Level 3 took 2.0 ms for a file
/// 4% larger (measured with the same flate2 backend).
const COMPRESSION: u32 = 3;

/// The document as PDF bytes: printpdf builds it (fonts subset), then every stream that
/// may be compressed is, at `COMPRESSION`.
fn save(pdf: &PdfDocument, warnings: &mut Vec<printpdf::PdfWarnMsg>) -> Result<Vec<u8>> {
    use std::io::Write;
    let options = PdfSaveOptions {
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut doc = pdf.to_lopdf_document(&options, warnings);
    for object in doc.objects.values_mut() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
            continue;
        }
        let mut encoder = flate2::write::ZlibEncoder::new(
            Vec::with_capacity(stream.content.len() / 2),
            flate2::Compression::new(COMPRESSION),
        );
        let compressed = encoder
            .write_all(&stream.content)
            .and_then(|()| encoder.finish());
        if let Ok(compressed) = compressed
            && compressed.len() + 19 < stream.content.len()
        {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
    }
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(|e| {
        crate::error::Error::invalid("pdf", format!("The PDF could not be written: {e}"))
    })?;
    Ok(bytes)
}

struct FontIds {
    regular: FontId,
    bold: FontId,
    fallback: Vec<FontId>,
}

impl FontIds {
    fn get(&self, w: Which) -> &FontId {
        match w {
            Which::Regular => &self.regular,
            Which::Bold => &self.bold,
            Which::Fallback(n) => &self.fallback[n],
        }
    }
}

const INK: (f32, f32, f32) = (0.1, 0.12, 0.13);
const GREY: (f32, f32, f32) = (0.36, 0.38, 0.4);
const LINE: (f32, f32, f32) = (0.45, 0.47, 0.5);

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb::new(r, g, b, None))
}

/// A text position in the content stream, to 1/100 point (a 300th of a millimetre).
fn hundredths(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// One page's drawing operations. Text on a page shares text sections between other
/// drawings, the fill colour and font are set only when they change (both last across
/// text sections), and each line is placed by its offset from the one before (`Td`,
/// two numbers) rather than a whole text matrix: the content stream, and the work of
/// writing and compressing it, stays small.
fn page_ops(placed: Vec<Placed>, h: f32, fonts: &Fonts, ids: &FontIds) -> Vec<Op> {
    let mut ops = vec![
        Op::SetOutlineColor { col: rgb(LINE) },
        Op::SetOutlineThickness { pt: Pt(0.6) },
    ];
    let mut fill: Option<(f32, f32, f32)> = None;
    let mut font: Option<(Which, f32)> = None;
    let mut in_text = false;
    // Where the current text line starts (a text section starts at the origin).
    let mut line = (0.0_f32, 0.0_f32);
    let set_fill = |ops: &mut Vec<Op>, fill: &mut Option<(f32, f32, f32)>, c| {
        if *fill != Some(c) {
            ops.push(Op::SetFillColor { col: rgb(c) });
            *fill = Some(c);
        }
    };
    for p in placed {
        if let Placed::Text {
            x,
            y,
            size,
            bold,
            grey,
            text,
        } = p
        {
            if !in_text {
                ops.push(Op::StartTextSection);
                in_text = true;
                line = (0.0, 0.0);
            }
            set_fill(&mut ops, &mut fill, if grey { GREY } else { INK });
            let mut run_x = x;
            for (which, run) in fonts.runs(&text, bold) {
                if font != Some((which, size)) {
                    ops.push(Op::SetFont {
                        font: PdfFontHandle::External(ids.get(which).clone()),
                        size: Pt(size),
                    });
                    font = Some((which, size));
                }
                let at = (hundredths(run_x), hundredths(h - y));
                ops.push(Op::SetTextCursor {
                    pos: Point {
                        x: Pt(hundredths(at.0 - line.0)),
                        y: Pt(hundredths(at.1 - line.1)),
                    },
                });
                line = at;
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(run.to_owned())],
                });
                run_x += fonts.width(run, size, bold);
            }
            continue;
        }
        if in_text {
            ops.push(Op::EndTextSection);
            in_text = false;
        }
        match p {
            Placed::Text { .. } => unreachable!("drawn above"),
            Placed::Rect { x, y, w, h: rh } => {
                let mut rect = Rect::from_xywh(Pt(x), Pt(h - y - rh), Pt(w), Pt(rh));
                rect.mode = Some(PaintMode::Stroke);
                ops.push(Op::DrawRectangle { rectangle: rect });
            }
            Placed::Rule { x, y, w } => {
                let point = |px: f32| LinePoint {
                    p: Point {
                        x: Pt(px),
                        y: Pt(h - y),
                    },
                    bezier: false,
                };
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![point(x), point(x + w)],
                        is_closed: false,
                    },
                });
            }
            Placed::Fill {
                x,
                y,
                w,
                h: rh,
                shade,
            } => {
                set_fill(&mut ops, &mut fill, (shade, shade, shade));
                let mut rect = Rect::from_xywh(Pt(x), Pt(h - y - rh), Pt(w), Pt(rh));
                rect.mode = Some(PaintMode::Fill);
                ops.push(Op::DrawRectangle { rectangle: rect });
            }
            Placed::Path {
                points,
                width,
                dash,
                shade,
            } => {
                ops.push(Op::SetOutlineColor {
                    col: rgb((shade, shade, shade)),
                });
                ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                ops.push(Op::SetLineDashPattern {
                    dash: match dash {
                        Dash::Solid => LineDashPattern::solid(),
                        Dash::Dashed => LineDashPattern::new(0.0, &[5.0, 3.0]),
                        Dash::Dotted => LineDashPattern::new(0.0, &[1.2, 2.2]),
                    },
                });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: points
                            .iter()
                            .map(|&(px, py)| LinePoint {
                                p: Point {
                                    x: Pt(px),
                                    y: Pt(h - py),
                                },
                                bezier: false,
                            })
                            .collect(),
                        is_closed: false,
                    },
                });
                // Back to the page's rules: solid, thin, grey.
                ops.push(Op::SetLineDashPattern {
                    dash: LineDashPattern::solid(),
                });
                ops.push(Op::SetOutlineThickness { pt: Pt(0.6) });
                ops.push(Op::SetOutlineColor { col: rgb(LINE) });
            }
        }
    }
    if in_text {
        ops.push(Op::EndTextSection);
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    fn assert_inside_margins(laid: &LaidOut, m: &dyn Measure) {
        let outside = outside_margins(laid, m);
        assert!(outside.is_empty(), "{outside:#?}");
    }

    fn doc(blocks: Vec<Block>) -> Document {
        Document {
            paper: PaperSize::Letter,
            letterhead: vec![
                "Blue Ridge Healing Arts".into(),
                "12 Main St, Asheville NC".into(),
            ],
            footer: "kap-informed-consent v1 \u{00b7} printed 25 November 2026".into(),
            blocks,
        }
    }

    #[test]
    fn long_words_long_names_and_a_3000_word_item_stay_inside_the_margins() {
        let f = fonts();
        let long_name = "Maximiliana Josefina Wolfeschlegelsteinhausenbergerdorff-Ångström Παπαδοπούλου Иванова";
        assert!(long_name.chars().count() >= 80);
        let words: Vec<String> = (0..3000).map(|i| format!("word{i}")).collect();
        let d = doc(vec![
            Block::Title(format!("Informed consent for {long_name}")),
            Block::Fields(vec![
                ("Client".into(), long_name.into()),
                ("Date of birth".into(), "1986-04-12".into()),
            ]),
            Block::Heading("A heading".into()),
            Block::Item {
                title: "An item with a very long unbreakable word".into(),
                text: format!("Before {} after.", "x".repeat(400)),
                initials: true,
                meta: Some("Discussed on 12 November 2026".into()),
            },
            Block::Item {
                title: "A 3,000-word item".into(),
                text: words.join(" "),
                initials: true,
                meta: None,
            },
            Block::Signatures {
                statement: "I agree to the above.".into(),
                lines: vec![
                    "Client signature and date".into(),
                    "Therapist signature and date".into(),
                ],
            },
        ]);
        let laid = layout(&d, &f).unwrap();
        assert!(
            laid.pages.len() >= 6,
            "3,000 words take several pages, got {}",
            laid.pages.len()
        );
        assert_inside_margins(&laid, &f);
        // Every word of the long item is on some page: nothing was clipped or dropped.
        let printed: std::collections::HashSet<&str> = laid
            .pages
            .iter()
            .flatten()
            .filter_map(|p| match p {
                Placed::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .flat_map(str::split_whitespace)
            .collect();
        let missing: Vec<&String> = words
            .iter()
            .filter(|w| !printed.contains(w.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "{} words missing, e.g. {:?}",
            missing.len(),
            missing.first()
        );
        let pages = laid.pages.len();
        let footers = laid
            .pages
            .iter()
            .enumerate()
            .filter(|(i, page)| page.iter().any(|p| matches!(p, Placed::Text { text, .. } if *text == format!("Page {} of {pages}", i + 1))))
            .count();
        assert_eq!(footers, pages, "every page says page x of y");
    }

    #[test]
    fn a_heading_is_never_the_last_thing_on_a_page() {
        let f = fonts();
        // Fill most of a page, then a heading: it must move to the next page with its item.
        let mut blocks = vec![Block::Paragraph(
            vec!["filler text for the page"; 240].join(" "),
        )];
        for i in 0..6 {
            blocks.push(Block::Heading(format!("Section {i}")));
            blocks.push(Block::Item {
                title: format!("Item {i}"),
                text: vec!["item text"; 120].join(" "),
                initials: true,
                meta: None,
            });
        }
        let laid = layout(&doc(blocks), &f).unwrap();
        for page in &laid.pages {
            let texts: Vec<&Placed> = page
                .iter()
                .filter(|p| matches!(p, Placed::Text { size, .. } if *size > 9.0))
                .collect();
            if let Some(Placed::Text { text, .. }) = texts.last() {
                assert!(
                    !text.starts_with("Section"),
                    "a heading ends a page: {text}"
                );
            }
            // Each initials box sits on the same page as its item title.
            let boxes = page
                .iter()
                .filter(|p| matches!(p, Placed::Rect { .. }))
                .count();
            let titles = page.iter().filter(|p| matches!(p, Placed::Text { text, bold: true, .. } if text.starts_with("Item "))).count();
            assert_eq!(boxes, titles);
        }
    }

    #[test]
    fn a_character_the_font_cannot_draw_prints_as_its_code_and_is_named_in_a_note() {
        let f = fonts();
        // DejaVu Sans draws the emoticons (😀 U+1F600), not CJK nor the butterfly 🦋.
        let d = doc(vec![Block::Paragraph(
            "Client: 李小龍 \u{1F98B} \u{1F600}".into(),
        )]);
        let laid = layout(&d, &f).expect("a record always prints");
        let texts: Vec<&str> = laid.pages[0]
            .iter()
            .filter_map(|p| match p {
                Placed::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        let all = texts.join(" ");
        assert!(
            all.contains("Client: [U+674E][U+5C0F][U+9F8D] [U+1F98B] \u{1F600}"),
            "{all}"
        );
        assert!(all.contains("can draw 4 characters"), "{all}");
        assert_eq!(
            laid.substituted,
            ['\u{674E}', '\u{5C0F}', '\u{9F8D}', '\u{1F98B}']
        );
        assert!(outside_margins(&laid, &f).is_empty());
        // Accents, Greek and Cyrillic are fine.
        let ok = doc(vec![Block::Paragraph(
            "Zoë Ångström, Παπαδοπούλου, Иванова, Nguyễn".into(),
        )]);
        assert!(layout(&ok, &f).is_ok());
    }

    const MIXED: &str = "café \u{2014} 日本語 \u{2014} Ελληνικά \u{2014} Русский \u{2014} \u{1F600} \u{2014} \u{E000}";

    fn mixed() -> Document {
        doc(vec![
            Block::Title("Zoë 日本語".into()),
            Block::Paragraph(MIXED.into()),
            Block::Strong(format!("Bold: {MIXED}")),
            Block::Table {
                header: vec!["Name".into(), "Note".into()],
                widths: vec![1.0, 2.0],
                rows: vec![vec!["王".into(), MIXED.into()]],
            },
        ])
    }

    #[test]
    fn without_a_fallback_font_a_character_the_bundled_font_lacks_prints_as_its_code() {
        // Deterministic on any machine: no installed font is consulted.
        let r = render_report(&mixed(), "Test", "", &FontFallback::none()).unwrap();
        assert_eq!(
            r.unprintable,
            ['\u{65E5}', '\u{672C}', '\u{8A9E}', '\u{E000}', '\u{738B}']
        );
        assert!(r.fallback_fonts.is_empty());
        let warning = r.warning().unwrap();
        assert!(warning.contains("5 characters"), "{warning}");
        assert!(
            warning.contains("U+65E5, U+672C, U+8A9E, U+E000, U+738B"),
            "{warning}"
        );
        let text = pdf_extract::extract_text_from_mem(&r.bytes).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("café — [U+65E5][U+672C][U+8A9E] — Ελληνικά — Русский"),
            "{text}"
        );
        assert!(text.contains("[U+E000]"), "{text}");
        assert!(
            text.contains("No font on this computer can draw 5 characters"),
            "{text}"
        );
    }

    /// A folder holding only the installed font that draws '日' (None: no installed
    /// font has it, and the fallback path cannot be tried on this machine).
    fn folder_with_a_font_for(c: char) -> Option<tempfile::TempDir> {
        let (_, face) = FontFallback::system().face_for(c)?;
        let path = face.path.as_ref()?;
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(path, dir.path().join(path.file_name()?)).unwrap();
        Some(dir)
    }

    #[test]
    fn an_installed_font_draws_what_the_bundled_font_lacks_and_the_rest_prints_as_codes() {
        let Some(dir) = folder_with_a_font_for('日') else {
            eprintln!("skipped: no installed font draws 日 (install fonts-noto-cjk to run it)");
            return;
        };
        let fallback = FontFallback::in_dirs(vec![dir.path().to_owned()]);
        let d = mixed();
        let r = render_report(&d, "Test", "", &fallback).unwrap();
        if let Some(out) = std::env::var_os("KAPDESK_PDF_DIR") {
            std::fs::write(std::path::Path::new(&out).join("fallback.pdf"), &r.bytes).unwrap();
        }
        // Only the private-use character is left: no font has it.
        assert_eq!(r.unprintable, ['\u{E000}']);
        assert_eq!(r.fallback_fonts.len(), 1, "{:?}", r.fallback_fonts);
        let text = pdf_extract::extract_text_from_mem(&r.bytes).unwrap();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("日本語"), "{text}");
        assert!(text.contains("王"), "{text}");
        assert!(text.contains("[U+E000]"), "{text}");
        assert!(
            text.contains("can draw 1 character in this record"),
            "{text}"
        );
        // Three fonts embedded: regular, bold and the installed one (subset).
        let pdf = lopdf::Document::load_mem(&r.bytes).unwrap();
        let fonts = pdf
            .objects
            .values()
            .filter(|o| {
                o.as_dict()
                    .ok()
                    .and_then(|d| d.get(b"Type").ok())
                    .and_then(|t| t.as_name().ok())
                    == Some(b"FontDescriptor".as_slice())
            })
            .count();
        assert_eq!(fonts, 3);
        // Widths come from the face that draws each character: nothing past the margin.
        let fonts = Fonts::for_texts(texts(&d), &fallback).unwrap();
        let laid = layout(&d, &fonts).unwrap();
        assert!(outside_margins(&laid, &fonts).is_empty());
        assert!(
            fonts.width("日本語", 11.0, false) > 30.0,
            "CJK glyphs are about 1 em"
        );
    }

    #[test]
    fn a_rendered_document_is_a_pdf_with_its_text() {
        let d = doc(vec![
            Block::Title("Informed consent".into()),
            Block::Paragraph("Zoë Ångström".into()),
        ]);
        let bytes = render(&d, "Test").unwrap();
        assert!(bytes.starts_with(b"%PDF-"));
        let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
        assert!(text.contains("Zoë Ångström"), "{text}");
        assert!(text.contains("Page 1 of 1"), "{text}");
    }
}
