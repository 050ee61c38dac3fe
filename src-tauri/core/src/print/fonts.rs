//! The fonts documents are printed with, and what they can draw.
//!
//! The bundled DejaVu Sans (regular and bold, in `assets/fonts/`) draws Latin with
//! accents, Greek and Cyrillic. It is parsed once per process, and its advance widths
//! are read into tables once, so measuring a word is a few array lookups.
//!
//! A character DejaVu lacks (Chinese, Japanese, an emoji it has no glyph for) is drawn
//! with a font installed on the computer that has it: the font folders fontconfig lists
//! (or the usual ones when there is no fontconfig), searched once per process. Only
//! fonts with outlines qualify (no colour-bitmap emoji fonts, which a PDF cannot embed
//! as text); a regular, upright sans face is preferred. That font is embedded, subset,
//! for those characters only. A character no font has is printed as a visible code by
//! the layout (see `print::pdf`), never as an empty box.
//!
//! Text is not shaped: scripts that need shaping (Arabic joining, Indic reordering) print
//! their letters unjoined, in logical order.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use printpdf::ParsedFont;

use crate::error::{Error, Result};

const REGULAR_TTF: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Characters below this are looked up in a table rather than the font's cmap
/// (Latin, Greek, Cyrillic: almost every character a record holds).
const DIRECT: usize = 0x0600;

/// One font face, parsed, with its advance widths at hand.
pub struct Face {
    /// The parsed face, as printpdf embeds it.
    pub(crate) font: ParsedFont,
    /// What the face is called in a warning: its file name, or the bundled font's name.
    pub name: String,
    /// The installed font file it was read from (None: a bundled font).
    pub path: Option<PathBuf>,
    units_per_em: f32,
    /// Advance width of each glyph, in font units.
    advances: Vec<u16>,
    /// Glyph of each character below `DIRECT` (0: none).
    direct: Vec<u16>,
}

impl Face {
    fn parse(bytes: &[u8], index: u32, name: &str, path: Option<&Path>) -> Option<Face> {
        let tables = Sfnt::read(bytes, index)?;
        let advances = tables.advances()?;
        // An installed font may be malformed: a parser panic makes it unusable, not the print.
        let font = std::panic::catch_unwind(|| {
            ParsedFont::from_bytes(bytes, index as usize, &mut Vec::new())
        })
        .ok()
        .flatten()?;
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        let direct = (0..DIRECT as u32)
            .map(|c| font.lookup_glyph_index(c).unwrap_or(0))
            .collect();
        Some(Face {
            font,
            name: name.to_owned(),
            path: path.map(Path::to_owned),
            units_per_em,
            advances,
            direct,
        })
    }

    /// The glyph that draws `c`, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        let g = match self.direct.get(c as usize) {
            Some(&g) => g,
            None => self.font.lookup_glyph_index(c as u32).unwrap_or(0),
        };
        (g != 0).then_some(g)
    }

    /// The advance of `c` in em (0 when the face cannot draw it).
    pub fn advance_em(&self, c: char) -> f32 {
        self.glyph(c).map_or(0.0, |g| {
            f32::from(self.advances.get(usize::from(g)).copied().unwrap_or(0)) / self.units_per_em
        })
    }

    /// Advance of glyph `g` in font units, as the font's `hmtx` table says.
    pub fn glyph_advance(&self, g: u16) -> u16 {
        self.advances.get(usize::from(g)).copied().unwrap_or(0)
    }
}

/// The bundled faces, parsed once per process.
struct Bundled {
    regular: Face,
    bold: Face,
}

static BUNDLED: LazyLock<Option<Bundled>> = LazyLock::new(|| {
    Some(Bundled {
        regular: Face::parse(REGULAR_TTF, 0, "DejaVu Sans", None)?,
        bold: Face::parse(BOLD_TTF, 0, "DejaVu Sans Bold", None)?,
    })
});

fn bundled() -> Result<&'static Bundled> {
    BUNDLED
        .as_ref()
        .ok_or_else(|| Error::invalid("font", "The document font could not be read."))
}

/// Which face draws a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Which {
    Regular,
    Bold,
    /// The n-th fallback face of the document.
    Fallback(usize),
}

/// The faces one document is printed with: the bundled pair, and the installed fonts
/// chosen for the characters the bundled pair lacks.
pub struct Fonts {
    bundled: &'static Bundled,
    fallback: Vec<Arc<Face>>,
    by_char: HashMap<char, usize>,
}

impl Fonts {
    /// The bundled fonts alone: a character they lack is printed as its code.
    pub fn load() -> Result<Self> {
        Ok(Fonts {
            bundled: bundled()?,
            fallback: Vec::new(),
            by_char: HashMap::new(),
        })
    }

    /// The bundled fonts, and from `fallback` a face for each character of `texts` they
    /// lack, where an installed font has it.
    pub fn for_texts<'a>(
        texts: impl IntoIterator<Item = &'a str>,
        fallback: &FontFallback,
    ) -> Result<Self> {
        let mut fonts = Fonts::load()?;
        let mut wanted = BTreeSet::new();
        for t in texts {
            for c in t.chars() {
                if !c.is_whitespace()
                    && !c.is_control()
                    && fonts.bundled.regular.glyph(c).is_none()
                    && fonts.bundled.bold.glyph(c).is_none()
                {
                    wanted.insert(c);
                }
            }
        }
        if wanted.is_empty() {
            return Ok(fonts);
        }
        let mut chosen: HashMap<usize, usize> = HashMap::new();
        for c in wanted {
            if let Some((candidate, face)) = fallback.face_for(c) {
                let n = *chosen.entry(candidate).or_insert_with(|| {
                    fonts.fallback.push(face);
                    fonts.fallback.len() - 1
                });
                fonts.by_char.insert(c, n);
            }
        }
        Ok(fonts)
    }

    /// The face that draws `c` in `bold` text: the bundled face asked for, else the other
    /// bundled face, else the document's fallback face for it.
    pub fn which(&self, c: char, bold: bool) -> Option<Which> {
        let (first, second) = if bold {
            (Which::Bold, Which::Regular)
        } else {
            (Which::Regular, Which::Bold)
        };
        [first, second]
            .into_iter()
            .find(|w| self.face(*w).glyph(c).is_some())
            .or_else(|| self.by_char.get(&c).map(|&n| Which::Fallback(n)))
    }

    pub fn face(&self, w: Which) -> &Face {
        match w {
            Which::Regular => &self.bundled.regular,
            Which::Bold => &self.bundled.bold,
            Which::Fallback(n) => &self.fallback[n],
        }
    }

    /// The fallback faces, in the order `Which::Fallback` numbers them.
    pub fn fallback(&self) -> &[Arc<Face>] {
        &self.fallback
    }

    /// `text` cut into runs drawn by one face each. A character no face draws (only
    /// whitespace or a control character by the time text is printed) stays in the run
    /// around it.
    pub fn runs<'t>(&self, text: &'t str, bold: bool) -> Vec<(Which, &'t str)> {
        let base = if bold { Which::Bold } else { Which::Regular };
        let mut runs: Vec<(Which, &'t str)> = Vec::new();
        let mut start = 0;
        let mut current: Option<Which> = None;
        for (i, c) in text.char_indices() {
            let w = self.which(c, bold).or(current).unwrap_or(base);
            match current {
                Some(cur) if cur != w => {
                    runs.push((cur, &text[start..i]));
                    start = i;
                    current = Some(w);
                }
                None => current = Some(w),
                _ => {}
            }
        }
        if let Some(cur) = current {
            runs.push((cur, &text[start..]));
        }
        runs
    }

    /// Width of `text` in points at `size`.
    pub fn width(&self, text: &str, size: f32, bold: bool) -> f32 {
        let mut em = 0.0;
        for c in text.chars() {
            if let Some(w) = self.which(c, bold) {
                em += self.face(w).advance_em(c);
            }
        }
        em * size
    }

    /// The first character no face of the document can draw.
    pub fn missing(&self, text: &str) -> Option<char> {
        text.chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .find(|&c| self.which(c, false).is_none())
    }
}

/// Where fonts for characters the bundled fonts lack are looked for.
pub struct FontFallback {
    dirs: Vec<PathBuf>,
    candidates: OnceLock<Vec<Candidate>>,
    /// Candidates parsed so far (None: the face could not be read).
    parsed: Mutex<HashMap<usize, Option<Arc<Face>>>>,
}

/// An installed face and what it covers.
struct Candidate {
    path: PathBuf,
    index: u32,
    /// Inclusive code point ranges, ascending.
    ranges: Vec<(u32, u32)>,
    /// Italic, bold, then 0 sans, 1 serif, 2 monospace: lowest is preferred.
    rank: (bool, bool, u8),
}

impl Candidate {
    fn covers(&self, c: char) -> bool {
        let c = c as u32;
        let i = self.ranges.partition_point(|&(_, end)| end < c);
        self.ranges.get(i).is_some_and(|&(start, _)| start <= c)
    }
}

static SYSTEM: LazyLock<FontFallback> = LazyLock::new(|| FontFallback::in_dirs(system_font_dirs()));

impl FontFallback {
    /// No fallback: every character the bundled fonts lack is printed as its code.
    pub fn none() -> Self {
        Self::in_dirs(Vec::new())
    }

    /// The fonts in these folders (searched with their subfolders, on first need).
    pub fn in_dirs(dirs: Vec<PathBuf>) -> Self {
        FontFallback {
            dirs,
            candidates: OnceLock::new(),
            parsed: Mutex::new(HashMap::new()),
        }
    }

    /// The fonts installed on this computer, searched once per process on first need.
    pub fn system() -> &'static FontFallback {
        &SYSTEM
    }

    /// How many faces with outlines the folders hold.
    pub fn face_count(&self) -> usize {
        self.candidates().len()
    }

    fn candidates(&self) -> &[Candidate] {
        self.candidates.get_or_init(|| scan(&self.dirs))
    }

    /// The preferred installed face that draws `c`, and its number among the candidates.
    pub fn face_for(&self, c: char) -> Option<(usize, Arc<Face>)> {
        for (i, candidate) in self.candidates().iter().enumerate() {
            if !candidate.covers(c) {
                continue;
            }
            let face = {
                let mut parsed = self.parsed.lock().unwrap_or_else(|e| e.into_inner());
                parsed
                    .entry(i)
                    .or_insert_with(|| {
                        let bytes = std::fs::read(&candidate.path).ok()?;
                        let name = candidate
                            .path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        Face::parse(&bytes, candidate.index, &name, Some(&candidate.path))
                            .map(Arc::new)
                    })
                    .clone()
            };
            if let Some(face) = face.filter(|f| f.glyph(c).is_some()) {
                return Some((i, face));
            }
        }
        None
    }
}

/// The font folders fontconfig lists, then the usual ones for this system, once each.
pub fn system_font_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = rust_fontconfig::FcSystemConfig::from_system()
        .map(|c| c.font_dirs)
        .unwrap_or_default();
    dirs.extend(rust_fontconfig::config::font_directories(
        rust_fontconfig::OperatingSystem::current(),
    ));
    let mut seen = BTreeSet::new();
    dirs.retain(|d| seen.insert(std::fs::canonicalize(d).unwrap_or_else(|_| d.clone())));
    dirs
}

/// Every usable face in `dirs`, the preferred first: upright before italic, regular
/// before bold, sans before serif and monospace, then by path, so the choice is the
/// same on every run.
fn scan(dirs: &[PathBuf]) -> Vec<Candidate> {
    let mut files = Vec::new();
    let mut visited = BTreeSet::new();
    for dir in dirs {
        font_files(dir, 0, &mut visited, &mut files);
    }
    files.sort();
    files.dedup();
    let mut found: Vec<Candidate> = Vec::new();
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let style = if name.contains("mono") {
            2
        } else if name.contains("serif") && !name.contains("sans") {
            1
        } else {
            0
        };
        for index in 0..Sfnt::faces(&bytes) {
            let Some(sfnt) = Sfnt::read(&bytes, index) else {
                continue;
            };
            if !sfnt.has_outlines() {
                continue;
            }
            // Any font file on the computer is read here: one that is malformed enough to
            // make the parser panic is skipped like one it cannot read, never the print.
            let Some(cov) = std::panic::catch_unwind(|| {
                rust_fontconfig::FcParseFontFaceFast(&bytes, index as usize, &BTreeSet::new())
            })
            .ok()
            .flatten() else {
                continue;
            };
            let ranges: Vec<(u32, u32)> = cov
                .pattern
                .unicode_ranges
                .iter()
                .map(|r| (r.start, r.end))
                .collect();
            if ranges.is_empty() {
                continue;
            }
            let italic = cov.is_italic || name.contains("italic") || name.contains("oblique");
            found.push(Candidate {
                path: path.clone(),
                index,
                ranges,
                rank: (italic, cov.is_bold, style),
            });
        }
    }
    found.sort_by(|a, b| (a.rank, &a.path, a.index).cmp(&(b.rank, &b.path, b.index)));
    found
}

/// TrueType and OpenType files (and collections) under `dir`, following no folder twice.
fn font_files(dir: &Path, depth: u32, visited: &mut BTreeSet<PathBuf>, out: &mut Vec<PathBuf>) {
    if depth > 16 {
        return;
    }
    let Ok(real) = std::fs::canonicalize(dir) else {
        return;
    };
    if !visited.insert(real) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            font_files(&path, depth + 1, visited, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["ttf", "otf", "ttc", "otc"].contains(&e.to_lowercase().as_str()))
        {
            // Packages often link one file from several folders: read it once.
            out.push(std::fs::canonicalize(&path).unwrap_or(path));
        }
    }
}

/// The table directory of one face of an sfnt file (a TrueType or OpenType font, or a
/// collection of them).
struct Sfnt<'a> {
    data: &'a [u8],
    tables: Vec<([u8; 4], usize, usize)>,
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

impl<'a> Sfnt<'a> {
    /// How many faces the file holds (a collection holds several).
    fn faces(data: &[u8]) -> u32 {
        if data.starts_with(b"ttcf") {
            u32_at(data, 8).unwrap_or(0).min(64)
        } else {
            1
        }
    }

    fn read(data: &'a [u8], index: u32) -> Option<Sfnt<'a>> {
        let start = if data.starts_with(b"ttcf") {
            if index >= Self::faces(data) {
                return None;
            }
            u32_at(data, 12 + 4 * index as usize)? as usize
        } else if index == 0 {
            0
        } else {
            return None;
        };
        let version = u32_at(data, start)?;
        if !matches!(version, 0x0001_0000 | 0x4F54_544F | 0x7472_7565) {
            return None;
        }
        let count = usize::from(u16_at(data, start + 4)?);
        let mut tables = Vec::with_capacity(count);
        for i in 0..count {
            let record = start + 12 + 16 * i;
            let tag: [u8; 4] = data.get(record..record + 4)?.try_into().ok()?;
            let offset = u32_at(data, record + 8)? as usize;
            let length = u32_at(data, record + 12)? as usize;
            if offset.checked_add(length)? > data.len() {
                return None;
            }
            tables.push((tag, offset, length));
        }
        Some(Sfnt { data, tables })
    }

    fn table(&self, tag: &[u8; 4]) -> Option<&'a [u8]> {
        self.tables
            .iter()
            .find(|(t, ..)| t == tag)
            .map(|&(_, offset, length)| &self.data[offset..offset + length])
    }

    /// Outlines a PDF can embed as text: TrueType (`glyf`) or CFF, and no colour
    /// glyph tables (an emoji font whose glyphs are bitmaps or colour layers).
    fn has_outlines(&self) -> bool {
        let outlines = (self.table(b"glyf").is_some() && self.table(b"loca").is_some())
            || self.table(b"CFF ").is_some();
        let colour = [b"CBDT", b"sbix", b"COLR", b"SVG "]
            .iter()
            .any(|t| self.table(t).is_some());
        outlines && !colour && self.table(b"cmap").is_some() && self.table(b"hmtx").is_some()
    }

    /// Every glyph's advance width (`hmtx`: glyphs past the last long metric share its
    /// advance).
    fn advances(&self) -> Option<Vec<u16>> {
        let hhea = self.table(b"hhea")?;
        let maxp = self.table(b"maxp")?;
        let hmtx = self.table(b"hmtx")?;
        let long = usize::from(u16_at(hhea, 34)?);
        let glyphs = usize::from(u16_at(maxp, 4)?);
        if long == 0 {
            return None;
        }
        let mut out = Vec::with_capacity(glyphs.max(long));
        for g in 0..glyphs.max(long) {
            out.push(u16_at(hmtx, 4 * g.min(long - 1))?);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_tables_agree_with_the_font_parser() {
        let b = bundled().unwrap();
        for face in [&b.regular, &b.bold] {
            assert_eq!(face.advances.len(), usize::from(face.font.num_glyphs));
            for g in 0..face.font.num_glyphs {
                assert_eq!(
                    face.advances[usize::from(g)],
                    face.font.get_horizontal_advance(g),
                    "{} glyph {g}",
                    face.name
                );
            }
            for c in ['a', 'é', 'Ж', 'λ', '€', '\u{2022}', '\u{1F600}', '李'] {
                assert_eq!(
                    face.glyph(c),
                    face.font.lookup_glyph_index(c as u32).filter(|&g| g != 0)
                );
            }
        }
    }

    #[test]
    fn an_empty_or_missing_folder_gives_no_fallback() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("broken.ttf"), b"not a font").unwrap();
        for f in [
            FontFallback::none(),
            FontFallback::in_dirs(vec![dir.path().to_owned()]),
            FontFallback::in_dirs(vec![dir.path().join("absent")]),
        ] {
            assert_eq!(f.face_count(), 0);
            assert!(f.face_for('李').is_none());
        }
    }

    #[test]
    fn a_folder_holding_a_font_is_searched_and_its_face_used() {
        // DejaVu Sans in a folder of its own: it covers 'é', which the lookup finds
        // there (the bundled pair covers it too, so a document would not need it).
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub").join("DejaVuSans.TTF"), REGULAR_TTF).unwrap();
        let f = FontFallback::in_dirs(vec![dir.path().to_owned()]);
        assert_eq!(f.face_count(), 1);
        let (_, face) = f.face_for('é').expect("found in the folder");
        assert_eq!(face.name, "DejaVuSans.TTF");
        assert!(f.face_for('\u{E000}').is_none(), "a private-use character");
    }

    #[test]
    fn runs_split_text_by_the_face_that_draws_it() {
        let fonts = Fonts::load().unwrap();
        assert_eq!(
            fonts.runs("Zoë Ångström", false),
            vec![(Which::Regular, "Zoë Ångström")]
        );
        assert_eq!(fonts.runs("Bold", true), vec![(Which::Bold, "Bold")]);
        assert!(fonts.missing("Zoë 李").is_some_and(|c| c == '李'));
        assert_eq!(
            fonts.missing("Zoë \u{1F600}"),
            None,
            "DejaVu has the emoticons"
        );
    }
}
