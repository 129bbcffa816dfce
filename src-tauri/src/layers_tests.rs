//! The layers' one direction, checked over the sources: every `crate::…` (and `super::…`) path in
//! production code is resolved to the module it names, each module belongs to a layer, and a layer
//! may only use the layers its line in `ALLOWED` names. A forbidden import fails here with its file
//! and path, so a circle between the layers cannot come back unnoticed.
//!
//! Test code (`#[cfg(test)]` items and files) is not checked: a test may build its fixtures from
//! any layer, e.g. a store test that signs in against the simulator.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    Wiring,
    Commands,
    Demo,
    Services,
    Simulator,
    Adapters,
    Store,
    Domain,
    Support,
}
use Layer::*;

/// Which layer a module belongs to: the longest matching prefix of its path wins.
const MODULES: &[(&str, Layer)] = &[
    ("", Wiring),
    ("bindings", Wiring),
    ("desktop", Wiring),
    ("admin_cli", Wiring),
    ("secret_key", Wiring),
    ("commands", Commands),
    ("demo", Demo),
    ("services", Services),
    ("meetings", Services),
    ("reminders", Services),
    ("teams::actions", Services),
    ("teams::calls", Services),
    ("teams::join", Services),
    ("microsoft::session", Services),
    ("microsoft::keep_alive", Services),
    ("simulator", Simulator),
    ("microsoft", Adapters),
    ("teams", Adapters),
    ("store", Store),
    ("crm", Domain),
    ("off_thread", Support),
    ("workspace", Support),
    ("logging", Support),
    ("startup", Support),
];

/// What each layer may use besides itself, and why.
const ALLOWED: &[(Layer, &[Layer], &str)] = &[
    // The crate root and the bindings list wire everything together (and open the workspace with
    // its key); nothing depends on them.
    (
        Wiring,
        &[
            Commands, Demo, Services, Simulator, Adapters, Store, Domain, Support,
        ],
        "wires all",
    ),
    // The IPC surface: thin, it turns a request into one use case and its answer into IPC types;
    // the demo's panel talks to the demo, never to the simulator itself.
    (
        Commands,
        &[Services, Demo, Domain, Support],
        "calls use cases",
    ),
    // The demo workspace: seeds its data through the store and runs its simulated Microsoft 365.
    (
        Demo,
        &[Services, Simulator, Adapters, Store, Domain, Support],
        "seeds and simulates",
    ),
    // Use cases: check with the domain, keep with the store, talk to Microsoft through adapters.
    (Services, &[Adapters, Store, Domain, Support], "use cases"),
    // The simulator speaks Microsoft's wire protocol and so shares the adapters' constants; no
    // production layer may depend on it (only the demo and the wiring).
    (
        Simulator,
        &[Adapters, Domain, Support],
        "stand-in for Microsoft 365",
    ),
    // Clients of the outside world (identity, Graph, links): they speak domain types, keep nothing.
    (Adapters, &[Domain, Support], "outside world"),
    // SQL only, speaking domain types.
    (Store, &[Domain], "SQL only"),
    // Types and rules: no I/O, no Tauri, no SQL, so it depends on nothing of the crate.
    (Domain, &[], "pure"),
    // Small helpers (threads, paths of the workspace, logging, the startup clock) the layers above
    // the store may lean on.
    (Support, &[Domain], "helpers"),
];

/// Outside crates a layer must not use, and why: what keeps the domain pure and the use cases
/// usable without a window.
const FORBIDDEN_CRATES: &[(Layer, &[&str], &str)] = &[
    (
        Domain,
        &["tauri", "rusqlite", "reqwest", "tokio"],
        "types and rules: no I/O",
    ),
    (Store, &["tauri", "reqwest"], "SQL only"),
    (
        Services,
        &["tauri"],
        "run by the commands and the tests alike, without a window",
    ),
    (
        Adapters,
        &["tauri", "rusqlite"],
        "speak to the outside world, keep nothing",
    ),
    (Simulator, &["tauri", "rusqlite"], "a server of its own"),
];

/// Edges that break the table today and are still to move, each named with why it is left. The
/// test fails when one of them no longer occurs, so this list only shrinks.
const NOT_YET_MOVED: &[(&str, &str, &str)] = &[];

fn layer_of(path: &[String]) -> Layer {
    let joined = path.join("::");
    MODULES
        .iter()
        .filter(|(prefix, _)| {
            prefix.is_empty() && path.is_empty()
                || !prefix.is_empty()
                    && (joined == *prefix || joined.starts_with(&format!("{prefix}::")))
        })
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, layer)| *layer)
        .unwrap_or_else(|| panic!("module `{joined}` has no layer in MODULES"))
}

/// Which entry of `NOT_YET_MOVED` lets `from` use `to`, if any.
fn allowance(from: &[String], to: &[String]) -> Option<usize> {
    let within = |path: &[String], prefix: &str| {
        let joined = path.join("::");
        joined == prefix || !prefix.is_empty() && joined.starts_with(&format!("{prefix}::"))
    };
    // The importing module is named exactly, so that an allowance covers no other file.
    NOT_YET_MOVED
        .iter()
        .position(|(a, b, _)| from.join("::") == *a && within(to, b))
}

fn allowed(from: Layer, to: Layer) -> bool {
    from == to
        || ALLOWED
            .iter()
            .any(|(layer, uses, _)| *layer == from && uses.contains(&to))
}

fn is_test_attr(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("cfg") && a.meta.to_token_stream().to_string().contains("test"))
}

fn attrs_of(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Macro(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// The module path a source file defines: `teams/calls.rs` is `teams::calls`, `lib.rs` the root.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// Files included only under `#[cfg(test)] mod x;` (with or without `#[path]`).
fn test_only_files(files: &[PathBuf]) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    for file in files {
        let ast = syn::parse_file(&std::fs::read_to_string(file).unwrap()).unwrap();
        let dir = file.parent().unwrap();
        let stem = file.file_stem().unwrap().to_string_lossy();
        let child_dir = if stem == "mod" || stem == "lib" {
            dir.to_path_buf()
        } else {
            dir.join(&*stem)
        };
        for item in &ast.items {
            let syn::Item::Mod(m) = item else { continue };
            if m.content.is_some() || !is_test_attr(&m.attrs) {
                continue;
            }
            let path_attr = m.attrs.iter().find_map(|a| match &a.meta {
                syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            });
            match path_attr {
                Some(p) => out.insert(dir.join(p)),
                None => {
                    let name = m.ident.to_string();
                    out.insert(child_dir.join(format!("{name}.rs")));
                    out.insert(child_dir.join(name).join("mod.rs"))
                }
            };
        }
    }
    out
}

/// Every path `crate::a::b…`, `super::…` or `self::…` in the tokens, resolved against `module`,
/// as its first two segments.
fn referenced_paths(tokens: TokenStream, module: &[String], is_mod_file: bool) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    walk(tokens, module, is_mod_file, &mut out);
    out
}

fn walk(tokens: TokenStream, module: &[String], is_mod_file: bool, out: &mut Vec<Vec<String>>) {
    let toks: Vec<TokenTree> = tokens.into_iter().collect();
    let mut i = 0;
    while i < toks.len() {
        if let TokenTree::Group(g) = &toks[i] {
            walk(g.stream(), module, is_mod_file, out);
            i += 1;
            continue;
        }
        let preceded_by_colons =
            i >= 1 && matches!(&toks[i - 1], TokenTree::Punct(p) if p.as_char() == ':');
        if let TokenTree::Ident(id) = &toks[i] {
            let id = id.to_string();
            if !preceded_by_colons && matches!(id.as_str(), "crate" | "super" | "self") {
                // The module `self` stands for in this file; `super` goes one up from it.
                let here: Vec<String> = if is_mod_file {
                    module.to_vec()
                } else {
                    module[..module.len().saturating_sub(1)].to_vec()
                };
                let mut base: Vec<String> = match id.as_str() {
                    "crate" => vec![],
                    "self" => module.to_vec(),
                    _ => here,
                };
                let mut j = i + 1;
                // Further `super::` steps.
                while is_colons(&toks, j)
                    && matches!(toks.get(j + 2), Some(TokenTree::Ident(s)) if s == "super")
                {
                    base.pop();
                    j += 3;
                }
                if is_colons(&toks, j) {
                    match toks.get(j + 2) {
                        Some(TokenTree::Ident(seg)) => {
                            let mut path = base.clone();
                            path.push(seg.to_string());
                            let (rest, next) = tail(&toks, j + 3);
                            finish(path, rest, out);
                            i = next;
                            continue;
                        }
                        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                            group_paths(g.stream(), &base, out);
                            i = j + 3;
                            continue;
                        }
                        _ => {}
                    }
                }
            }
        }
        i += 1;
    }
}

/// The outside crates of `FORBIDDEN_CRATES` the tokens name (`tauri::…`, `#[tauri::command]`).
fn crates_named(tokens: TokenStream, out: &mut BTreeSet<String>) {
    let names: BTreeSet<&str> = FORBIDDEN_CRATES
        .iter()
        .flat_map(|(_, c, _)| c.iter().copied())
        .collect();
    let toks: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, t) in toks.iter().enumerate() {
        match t {
            TokenTree::Group(g) => crates_named(g.stream(), out),
            TokenTree::Ident(id) => {
                let preceded_by_colons =
                    i >= 1 && matches!(&toks[i - 1], TokenTree::Punct(p) if p.as_char() == ':');
                let name = id.to_string();
                if !preceded_by_colons && is_colons(&toks, i + 1) && names.contains(name.as_str()) {
                    out.insert(name);
                }
            }
            _ => {}
        }
    }
}

fn is_colons(toks: &[TokenTree], j: usize) -> bool {
    matches!((toks.get(j), toks.get(j + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b))) if a.as_char() == ':' && b.as_char() == ':')
}

/// The next segment after a path's first (one more `::ident`, or a `{…}` group of them).
enum Tail {
    None,
    Ident(String),
    Group(TokenStream),
}

fn tail(toks: &[TokenTree], j: usize) -> (Tail, usize) {
    if is_colons(toks, j) {
        match toks.get(j + 2) {
            Some(TokenTree::Ident(s)) => return (Tail::Ident(s.to_string()), j + 3),
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace => {
                return (Tail::Group(g.stream()), j + 3)
            }
            _ => {}
        }
    }
    (Tail::None, j)
}

fn finish(path: Vec<String>, rest: Tail, out: &mut Vec<Vec<String>>) {
    match rest {
        Tail::None => out.push(path),
        Tail::Ident(s) => {
            let mut p = path;
            p.push(s);
            out.push(p)
        }
        Tail::Group(g) => {
            let before = out.len();
            group_paths(g, &path, out);
            if out.len() == before {
                out.push(path);
            }
        }
    }
}

/// The paths of a `{a::b, c, d::{e, f}}` use group under `base`.
fn group_paths(stream: TokenStream, base: &[String], out: &mut Vec<Vec<String>>) {
    let toks: Vec<TokenTree> = stream.into_iter().collect();
    for part in toks.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ',')) {
        let Some(TokenTree::Ident(first)) = part.first() else {
            continue;
        };
        if first == "self" {
            out.push(base.to_vec());
            continue;
        }
        let mut path = base.to_vec();
        path.push(first.to_string());
        let (rest, _) = tail(part, 1);
        if base.is_empty() {
            finish(path, rest, out);
        } else {
            // Two segments are enough to place a path; deeper ones add nothing.
            out.push(path);
        }
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every import of one module from another in production code: (from module, to module) with
/// the file and path that make it.
fn dependencies() -> Vec<(Vec<String>, Vec<String>, String, String)> {
    sources().into_iter().flat_map(|s| s.deps).collect()
}

struct Source {
    module: Vec<String>,
    file: String,
    deps: Vec<(Vec<String>, Vec<String>, String, String)>,
    crates: BTreeSet<String>,
}

/// Every production source file with the modules and outside crates it names.
fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let test_only = test_only_files(&files);
    let mut out = Vec::new();
    for file in &files {
        let mut deps = Vec::new();
        let mut crates = BTreeSet::new();
        let rel = file.strip_prefix(&root).unwrap();
        // The binaries are crates of their own and reach the library as `treffpunkt::`.
        if rel.starts_with("bin") || rel == Path::new("main.rs") || test_only.contains(file) {
            continue;
        }
        let module = module_of(rel);
        let is_mod_file = matches!(
            rel.file_name().and_then(|n| n.to_str()),
            Some("mod.rs" | "lib.rs")
        );
        let ast = syn::parse_file(&std::fs::read_to_string(file).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", rel.display()));
        for item in ast.items.iter().filter(|i| !is_test_attr(attrs_of(i))) {
            crates_named(item.to_token_stream(), &mut crates);
            for path in referenced_paths(item.to_token_stream(), &module, is_mod_file) {
                let target: Vec<String> = path.into_iter().take(2).collect();
                deps.push((
                    module.clone(),
                    target.clone(),
                    rel.display().to_string(),
                    target.join("::"),
                ));
            }
        }
        out.push(Source {
            module,
            file: rel.display().to_string(),
            deps,
            crates,
        });
    }
    out
}

/// A module path of the crate the table knows, cut to what decides its layer.
fn known(path: &[String]) -> bool {
    let top = path.first().map(String::as_str).unwrap_or("");
    MODULES
        .iter()
        .any(|(p, _)| !p.is_empty() && p.split("::").next() == Some(top))
}

#[test]
fn dependencies_run_one_way() {
    let mut violations = BTreeSet::new();
    let mut used_allowances = BTreeSet::new();
    for (from, to, file, import) in dependencies() {
        // A path into the root's own items (e.g. `crate::run`) or a sibling's item.
        let to = if known(&to) { to } else { vec![] };
        let (lf, lt) = (layer_of(&from), layer_of(&to));
        if allowed(lf, lt) {
            continue;
        }
        if let Some(i) = allowance(&from, &to) {
            used_allowances.insert(i);
            continue;
        }
        violations.insert(format!("{file}: `crate::{import}` ({lf:?} -> {lt:?})"));
    }
    let stale: Vec<_> = NOT_YET_MOVED
        .iter()
        .enumerate()
        .filter(|(i, _)| !used_allowances.contains(i))
        .map(|(_, (a, b, _))| format!("{a} -> {b}"))
        .collect();
    assert!(
        violations.is_empty(),
        "imports against the layers' direction:\n{}",
        violations.into_iter().collect::<Vec<_>>().join("\n")
    );
    assert!(
        stale.is_empty(),
        "allowances no longer needed, drop them: {stale:?}"
    );
}

#[test]
fn layers_keep_to_their_crates() {
    let mut found = Vec::new();
    for src in sources() {
        let layer = layer_of(&src.module);
        for (l, crates, why) in FORBIDDEN_CRATES {
            for c in crates
                .iter()
                .filter(|c| *l == layer && src.crates.contains(**c))
            {
                found.push(format!("{}: `{c}` in {layer:?} ({why})", src.file));
            }
        }
    }
    assert!(
        found.is_empty(),
        "outside crates a layer must not use:\n{}",
        found.join("\n")
    );
}

/// No circle between top-level modules either (within one layer, e.g. two adapters).
#[test]
fn no_circle_between_modules() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, to, _, _) in dependencies() {
        let (Some(a), Some(b)) = (from.first(), to.first()) else {
            continue;
        };
        if a != b && known(&to) && allowance(&from, &to).is_none() {
            graph.entry(a.clone()).or_default().insert(b.clone());
        }
    }
    let mut circles = Vec::new();
    for start in graph.keys() {
        // Depth-first from `start`, looking for a way back to it.
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, trail)) = stack.pop() {
            for next in graph.get(&node).into_iter().flatten() {
                if next == start {
                    circles.push(format!("{} -> {start}", trail.join(" -> ")));
                } else if seen.insert(next.clone()) {
                    let mut t = trail.clone();
                    t.push(next.clone());
                    stack.push((next.clone(), t));
                }
            }
        }
    }
    assert!(
        circles.is_empty(),
        "modules that import each other:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_scanner_resolves_paths() {
    let module = vec!["teams".to_string(), "calls".to_string()];
    let code: TokenStream = "use crate::{store::{activities, Db}, crm::model}; use super::links::x; fn f() { crate::microsoft::graph::g(); self::inner::h(); }"
        .parse()
        .unwrap();
    let found: Vec<String> = referenced_paths(code, &module, false)
        .into_iter()
        .map(|p| p.into_iter().take(2).collect::<Vec<_>>().join("::"))
        .collect();
    assert_eq!(
        found,
        [
            "store::activities",
            "store::Db",
            "crm::model",
            "teams::links",
            "microsoft::graph",
            "teams::calls"
        ]
    );
    assert_eq!(layer_of(&module), Services);
    assert_eq!(layer_of(&["teams".into(), "links".into()]), Adapters);
    assert!(!allowed(Store, Adapters));
    assert!(allowed(Services, Store));
}
