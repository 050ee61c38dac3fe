//! A command's name is written once: as a `#[tauri::command]` fn in `src/commands.rs`.
//!
//! This script reads that file (with `syn`) and, from the one list it finds, derives
//! everything else that must name the commands:
//! - tauri-build's app manifest, which turns each name into `allow-*`/`deny-*`
//!   permissions (only the ones granted in `capabilities/` are callable from the UI);
//! - `$OUT_DIR/handlers.rs`, the `generate_handler!` list that `lib.rs` includes;
//! - `$OUT_DIR/commands.ts`, the UI's typed wrappers, and `$OUT_DIR/command_names.rs`.
//!   A test in `src/bindings.rs` compares them with the committed
//!   `ui/src/lib/generated/commands.ts` and `capabilities/main.json` and fails when
//!   either is stale (`KAPDESK_UPDATE_BINDINGS=1` refreshes them).
//!
//! Why not tauri-specta: its Tauri 2 line is still a release candidate (2.0.0-rc.N,
//! pinned with `=` and breaking between candidates), it needs `specta::Type` derived on
//! every type crossing IPC (the core already derives ts-rs for the same types, so the
//! UI would get two competing sets), and it does not produce the capability's
//! permission list. Reading our own source with `syn` (stable for years) keeps the
//! types ts-rs already exports and adds nothing to the app's runtime dependencies.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use heck::ToLowerCamelCase;
use quote::ToTokens;

/// Relative to the package root (the repository root: `build = "src-tauri/build.rs"`),
/// which is where Cargo runs build scripts.
const COMMANDS_RS: &str = "src-tauri/src/commands.rs";

/// Arguments Tauri fills in itself; the UI never passes them.
const INJECTED: &[&str] = &[
    "State",
    "AppHandle",
    "Window",
    "Webview",
    "WebviewWindow",
    "Request",
    "CommandScope",
    "GlobalScope",
];

struct Command {
    name: String,
    docs: Vec<String>,
    /// (name as the UI passes it, TypeScript type)
    args: Vec<(String, String)>,
    /// TypeScript type the promise resolves to.
    returns: String,
}

fn main() {
    println!("cargo:rerun-if-changed={COMMANDS_RS}");
    let manifest_dir = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env("OUT_DIR"));

    let commands = read_commands(&manifest_dir.join(COMMANDS_RS));
    let mut types = BTreeSet::new();
    let mut errors = Vec::new();
    let commands: Vec<Command> = commands
        .iter()
        .filter_map(|f| match describe(f, &mut types) {
            Ok(c) => Some(c),
            Err(e) => {
                errors.push(e);
                None
            }
        })
        .collect();
    if !errors.is_empty() {
        panic!(
            "{COMMANDS_RS}: the command generator in src-tauri/build.rs cannot describe:\n  {}\n\
             Use a type that has a ts-rs binding in ui/src/lib/bindings, or teach `ts_type` \
             in src-tauri/build.rs the new type.",
            errors.join("\n  ")
        );
    }

    write(&out_dir.join("handlers.rs"), &handlers(&commands));
    write(&out_dir.join("command_names.rs"), &names(&commands));
    write(&out_dir.join("commands.ts"), &typescript(&commands, &types));

    // tauri-build keeps the list for the whole build: leaking it is the `'static` it asks for.
    let names: Vec<&'static str> = commands.iter().map(|c| &*c.name.clone().leak()).collect();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(names.leak())),
    )
    .expect("the Tauri build configuration is valid");
}

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| panic!("Cargo sets {key} for build scripts"))
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Every `#[tauri::command]` fn at the top level of the file, in source order.
fn read_commands(path: &Path) -> Vec<syn::ItemFn> {
    let source = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let file =
        syn::parse_file(&source).unwrap_or_else(|e| panic!("{COMMANDS_RS} does not parse: {e}"));
    let commands: Vec<syn::ItemFn> = file
        .items
        .into_iter()
        .filter_map(|item| match item {
            syn::Item::Fn(f) if f.attrs.iter().any(is_command_attr) => Some(f),
            syn::Item::Mod(m) if m.content.is_some() => panic!(
                "{COMMANDS_RS}: inline module `{}`: the generator only reads top-level commands",
                m.ident
            ),
            _ => None,
        })
        .collect();
    if commands.is_empty() {
        panic!("{COMMANDS_RS} has no #[tauri::command] fn: the UI could call nothing");
    }
    commands
}

fn is_command_attr(attr: &syn::Attribute) -> bool {
    let segments: Vec<String> = attr
        .path()
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    segments == ["tauri", "command"] || segments == ["command"]
}

fn describe(f: &syn::ItemFn, types: &mut BTreeSet<String>) -> Result<Command, String> {
    let name = f.sig.ident.to_string();
    // `#[tauri::command(rename_all = "snake_case")]` changes the argument names the UI
    // passes; nothing here uses it, so refuse rather than guess.
    for attr in f.attrs.iter().filter(|a| is_command_attr(a)) {
        if !matches!(attr.meta, syn::Meta::Path(_)) {
            return Err(format!(
                "`{name}`: arguments to #[tauri::command] are not supported by the generator"
            ));
        }
    }
    let docs = f
        .attrs
        .iter()
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| line.strip_prefix(' ').unwrap_or(&line).to_owned())
        .collect();

    let mut args = Vec::new();
    for input in &f.sig.inputs {
        let syn::FnArg::Typed(arg) = input else {
            return Err(format!("`{name}`: a command cannot take `self`"));
        };
        if is_injected(&arg.ty) {
            continue;
        }
        let syn::Pat::Ident(ident) = &*arg.pat else {
            return Err(format!(
                "`{name}`: argument `{}` is a pattern; give it a plain name",
                arg.pat.to_token_stream()
            ));
        };
        let arg_name = ident.ident.to_string();
        let ts = ts_type(&arg.ty, types)
            .map_err(|t| format!("`{name}`, argument `{arg_name}`: type `{t}`"))?;
        // Tauri's command macro renames arguments with heck's lowerCamelCase.
        args.push((arg_name.to_lower_camel_case(), ts));
    }

    let returns = match &f.sig.output {
        syn::ReturnType::Default => "void".to_owned(),
        syn::ReturnType::Type(_, ty) => {
            let ok = result_ok_type(ty).unwrap_or(ty);
            if is_unit(ok) {
                "void".to_owned()
            } else {
                ts_type(ok, types).map_err(|t| format!("`{name}`, return type: type `{t}`"))?
            }
        }
    };
    Ok(Command {
        name,
        docs,
        args,
        returns,
    })
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        _ => None,
    }
}

fn is_injected(ty: &syn::Type) -> bool {
    let ty = match ty {
        syn::Type::Reference(r) => &*r.elem,
        other => other,
    };
    last_segment(ty).is_some_and(|s| INJECTED.iter().any(|i| s.ident == i))
}

fn is_unit(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Tuple(t) if t.elems.is_empty())
}

/// The generic arguments of a path segment that are types.
fn type_args(segment: &syn::PathSegment) -> Vec<&syn::Type> {
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `Result<T>` or `Result<T, E>` (any path ending in `Result`): what the UI receives is `T`.
fn result_ok_type(ty: &syn::Type) -> Option<&syn::Type> {
    let segment = last_segment(ty)?;
    if segment.ident != "Result" {
        return None;
    }
    type_args(segment).first().copied()
}

/// The TypeScript spelling of a type crossing IPC, or the Rust spelling of the part
/// that has none. Named types are ts-rs types, whose TypeScript name is the Rust name.
fn ts_type(ty: &syn::Type, types: &mut BTreeSet<String>) -> Result<String, String> {
    let unsupported = || ty.to_token_stream().to_string();
    match ty {
        syn::Type::Reference(r) => return ts_type(&r.elem, types),
        syn::Type::Paren(p) => return ts_type(&p.elem, types),
        _ => {}
    }
    let segment = last_segment(ty).ok_or_else(unsupported)?;
    let ident = segment.ident.to_string();
    let args = type_args(segment);
    let ts = match (ident.as_str(), args.as_slice()) {
        ("String" | "str" | "char", []) => "string".to_owned(),
        ("bool", []) => "boolean".to_owned(),
        // 64-bit integers as `number`, like the core's ts-rs config: counts and sizes
        // stay far below 2^53.
        (
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" | "f32"
            | "f64",
            [],
        ) => "number".to_owned(),
        ("Option", [inner]) => format!("{} | null", ts_type(inner, types)?),
        ("Vec", [inner]) => {
            let inner = ts_type(inner, types)?;
            if inner.contains(' ') {
                format!("({inner})[]")
            } else {
                format!("{inner}[]")
            }
        }
        // A type of our own with a ts-rs binding: upper camel case, no generics.
        (name, [])
            if name.starts_with(|c: char| c.is_ascii_uppercase())
                && !matches!(name, "PathBuf" | "Path" | "Value" | "Self") =>
        {
            types.insert(name.to_owned());
            name.to_owned()
        }
        _ => return Err(unsupported()),
    };
    Ok(ts)
}

fn handlers(commands: &[Command]) -> String {
    let mut out =
        String::from("// Generated by src-tauri/build.rs from src-tauri/src/commands.rs.\n");
    out.push_str("tauri::generate_handler![\n");
    for c in commands {
        let _ = writeln!(out, "    commands::{},", c.name);
    }
    out.push(']');
    out
}

fn names(commands: &[Command]) -> String {
    let mut out =
        String::from("// Generated by src-tauri/build.rs from src-tauri/src/commands.rs.\n&[\n");
    for c in commands {
        let _ = writeln!(out, "    {:?},", c.name);
    }
    out.push(']');
    out
}

fn typescript(commands: &[Command], types: &BTreeSet<String>) -> String {
    let mut out = String::from(
        "// Generated from src-tauri/src/commands.rs by src-tauri/build.rs: do not edit.\n\
         // Refresh with `KAPDESK_UPDATE_BINDINGS=1 cargo test -p kapdesk --lib bindings`.\n\n",
    );
    for t in types {
        let _ = writeln!(out, "import type {{ {t} }} from \"../bindings/{t}\";");
    }
    out.push_str("import { call } from \"../ipc\";\n");
    for c in commands {
        out.push('\n');
        match c.docs.as_slice() {
            [] => {}
            [line] => {
                let _ = writeln!(out, "/** {} */", line.replace("*/", "*\\/"));
            }
            lines => {
                out.push_str("/**\n");
                for line in lines {
                    let line = line.replace("*/", "*\\/");
                    let _ = writeln!(out, "{}", format!(" * {line}").trim_end());
                }
                out.push_str(" */\n");
            }
        }
        let params: Vec<String> = c.args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
        let call_args = if c.args.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = c.args.iter().map(|(n, _)| n.as_str()).collect();
            format!(", {{ {} }}", names.join(", "))
        };
        let _ = write!(
            out,
            "export function {}({}): Promise<{}> {{\n  return call({:?}{call_args});\n}}\n",
            c.name.to_lower_camel_case(),
            params.join(", "),
            c.returns,
            c.name,
        );
    }
    out
}
