//! Reading back the PDFs the vault prints, shared by the vault-level tests.
#![allow(dead_code)]

use std::path::Path;

/// The PDF's text with every run of white space as one space (bullets dropped).
pub fn extracted_words(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf)
        .unwrap()
        .replace('\u{2022}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes the PDF to `dir/name`, copies it to `$KAPDESK_PDF_DIR` for people to look at
/// (`KAPDESK_PDF_DIR=/tmp/pdf cargo test -p kapdesk-core`), and checks its structure.
pub fn qpdf_check(dir: &Path, name: &str, pdf: &[u8]) {
    let file = dir.join(name);
    std::fs::write(&file, pdf).unwrap();
    if let Some(out) = std::env::var_os("KAPDESK_PDF_DIR") {
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(Path::new(&out).join(name), pdf).unwrap();
    }
    let qpdf = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&file)
        .output()
        .expect("qpdf is installed by `cargo xtask test` (Debian package qpdf)");
    assert!(
        qpdf.status.success(),
        "qpdf --check {name}: {}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
}

/// Checks that each of `chars` printed either as itself (a font draws it: the bundled
/// one, or one installed on this machine) or as its code in brackets, and that the
/// closing note names exactly the ones printed as codes, which it returns. What an
/// installed font can draw differs between machines; that every character shows, one
/// way or the other, does not.
pub fn drawn_or_coded(words: &str, chars: &[char]) -> Vec<char> {
    let coded: Vec<char> = chars
        .iter()
        .copied()
        .filter(|c| words.contains(&format!("[U+{:04X}]", *c as u32)))
        .collect();
    for c in chars {
        assert!(
            coded.contains(c) || words.contains(*c),
            "{c:?} is neither drawn nor printed as its code: {words}"
        );
    }
    if coded.is_empty() {
        assert!(
            !words.contains("No font on this computer can draw"),
            "{words}"
        );
    } else {
        let n = coded.len();
        let note = format!(
            "No font on this computer can draw {n} character{} in this record",
            if n == 1 { "" } else { "s" }
        );
        assert!(words.contains(&note), "{note:?} missing: {words}");
        let codes: Vec<String> = coded
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        assert!(
            words.contains(&codes.join(", ")),
            "{codes:?} not listed: {words}"
        );
    }
    coded
}
