//! The core's layers, checked: `docs/architecture.md` is the map, and this keeps it true.
//! SQL only in the store and the vault; no layer names one above it.

use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn layer(name: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    if name.is_empty() {
        sources(&root, &mut files);
    } else {
        sources(&root.join(name), &mut files);
    }
    assert!(!files.is_empty(), "no sources under src/{name}");
    files
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect()
}

#[test]
fn sql_lives_only_in_the_store_and_the_vault() {
    let calls = [
        ".execute(",
        ".execute_batch(",
        ".prepare(",
        ".prepare_cached(",
        ".query_row(",
        ".query_map(",
    ];
    let mut found = Vec::new();
    for (path, text) in layer("") {
        let p = path.to_string_lossy();
        if p.contains("/src/store/") || p.contains("/src/vault/") {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            if calls.iter().any(|c| line.contains(c)) {
                found.push(format!("{p}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside the store:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_layer_names_one_above_it() {
    // (layer, what it must not use)
    let rules: [(&str, &[&str]); 4] = [
        (
            "model",
            &[
                "crate::rules",
                "crate::store",
                "crate::print",
                "crate::features",
                "crate::vault",
                "rusqlite",
            ],
        ),
        (
            "rules",
            &[
                "crate::store",
                "crate::print",
                "crate::features",
                "crate::vault",
                "rusqlite",
            ],
        ),
        (
            "store",
            &[
                "crate::rules",
                "crate::print",
                "crate::features",
                "crate::vault",
            ],
        ),
        (
            "print",
            &[
                "crate::rules",
                "crate::store",
                "crate::features",
                "crate::vault",
                "rusqlite",
            ],
        ),
    ];
    let mut found = Vec::new();
    for (name, banned) in rules {
        let files = layer(name);
        assert!(files.len() > 3, "{name} has its files");
        for (path, text) in files {
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                if let Some(b) = banned.iter().find(|b| code.contains(*b)) {
                    found.push(format!("{}:{}: {name} uses {b}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
