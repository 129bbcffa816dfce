//! The typed functions the UI calls every command through (`ui/src/api/commands.ts`), generated
//! from the `#[tauri::command]` functions under src-tauri/src/commands/: the command's name, its
//! arguments (camelCase, as Tauri expects them) and their types, and its result type come from
//! the Rust signature, so the UI cannot call a command that does not exist or pass it the wrong
//! arguments. A type with no TypeScript counterpart is an error here, never `any`.
//!
//! The sources are read with `syn`, as Tauri's own macros read them. A command written inside a
//! `macro_rules!` (the four of each record type) is found by expanding that macro's single arm.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use proc_macro2::{Group, TokenStream, TokenTree};
use quote::ToTokens;
use syn::{FnArg, GenericArgument, Item, ItemFn, Pat, PathArguments, ReturnType, Type};

/// Where the generated file lives, relative to the repository root.
pub const COMMANDS_PATH: &str = "ui/src/api/commands.ts";
/// Where the commands are, relative to the repository root.
const COMMANDS_DIR: &str = "src-tauri/src/commands";
/// The crate's sources, searched for `generate_handler!`.
const SOURCE_DIR: &str = "src-tauri/src";

/// Arguments that Tauri fills in itself; the webview never passes them.
const INJECTED: &[&str] = &[
    "State",
    "AppHandle",
    "Window",
    "WebviewWindow",
    "Webview",
    "Request",
    "CommandScope",
    "GlobalScope",
];

/// Words a TypeScript parameter cannot be named.
const RESERVED: &[&str] = &[
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "false",
    "finally",
    "for",
    "function",
    "if",
    "import",
    "in",
    "instanceof",
    "new",
    "null",
    "return",
    "super",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "var",
    "void",
    "while",
    "with",
];

/// One command as the webview sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The Rust function's name, which is the command's name.
    pub name: String,
    /// The file it is defined in, relative to `COMMANDS_DIR`.
    pub file: String,
    pub args: Vec<Arg>,
    /// The TypeScript type of the success value.
    pub result: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The key Tauri reads the argument from.
    pub key: String,
    pub ts: String,
}

/// Every command under `COMMANDS_DIR`, by file and then in source order. `known` are the types
/// bindings.ts declares. All problems are reported at once.
pub fn find_commands(root: &Path, known: &BTreeSet<String>) -> Result<Vec<Command>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(COMMANDS_DIR))
        .map_err(|e| format!("{COMMANDS_DIR}: {e}"))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let mut commands = Vec::new();
    let mut errors = Vec::new();
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let source = std::fs::read_to_string(&path).map_err(|e| format!("{file}: {e}"))?;
        commands_in(&file, &source, known, &mut commands, &mut errors);
    }
    let mut seen = BTreeSet::new();
    for c in &commands {
        if !seen.insert(&c.name) {
            errors.push(format!("command `{}` is defined twice", c.name));
        }
    }
    if errors.is_empty() {
        Ok(commands)
    } else {
        Err(errors.join("\n"))
    }
}

/// The commands of one source file.
pub fn commands_in(
    file: &str,
    source: &str,
    known: &BTreeSet<String>,
    commands: &mut Vec<Command>,
    errors: &mut Vec<String>,
) {
    let parsed = match syn::parse_file(source) {
        Ok(parsed) => parsed,
        Err(e) => return errors.push(format!("{file}: {e}")),
    };
    let mut macros = HashMap::new();
    let mut fns = Vec::new();
    collect_fns(parsed.items, &mut macros, &mut fns, errors, file);
    for f in fns {
        match command_of(&f, known) {
            Ok(Some(mut c)) => {
                c.file = file.to_string();
                commands.push(c);
            }
            Ok(None) => {}
            Err(e) => errors.push(format!("{file}: command `{}`: {e}", f.sig.ident)),
        }
    }
}

/// A `macro_rules!` with one arm whose matcher is `$name:fragment, ...`.
struct SimpleMacro {
    params: Vec<String>,
    body: TokenStream,
}

/// The functions of `items`, with those that a simple macro of the same file defines.
fn collect_fns(
    items: Vec<Item>,
    macros: &mut HashMap<String, SimpleMacro>,
    fns: &mut Vec<ItemFn>,
    errors: &mut Vec<String>,
    file: &str,
) {
    for item in items {
        match item {
            Item::Fn(f) if !is_test_only(&f.attrs) => fns.push(f),
            Item::Mod(m) if !is_test_only(&m.attrs) => {
                if let Some((_, items)) = m.content {
                    collect_fns(items, macros, fns, errors, file);
                }
            }
            Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                let Some(name) = m.ident else { continue };
                if !mentions_command(m.mac.tokens.clone()) {
                    continue;
                }
                match simple_macro(m.mac.tokens) {
                    Ok(mac) => {
                        macros.insert(name.to_string(), mac);
                    }
                    Err(e) => errors.push(format!(
                        "{file}: macro `{name}` defines commands but {e}: write them out, or \
                         teach bindings/command_gen.rs this macro"
                    )),
                }
            }
            Item::Macro(m) => {
                let Some(name) = m.mac.path.get_ident().map(|i| i.to_string()) else {
                    continue;
                };
                let Some(mac) = macros.get(&name) else {
                    continue;
                };
                let expanded = expand(mac, m.mac.tokens)
                    .and_then(|tokens| syn::parse2::<syn::File>(tokens).map_err(|e| e.to_string()));
                match expanded {
                    Ok(f) => collect_fns(f.items, macros, fns, errors, file),
                    Err(e) => errors.push(format!("{file}: `{name}!`: {e}")),
                }
            }
            _ => {}
        }
    }
}

fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.to_token_stream().to_string().replace(' ', "") == "#[cfg(test)]"
    })
}

/// Whether `tokens` contain `tauri::command` anywhere.
fn mentions_command(tokens: TokenStream) -> bool {
    let flat: Vec<TokenTree> = tokens.into_iter().collect();
    flat.windows(4).any(|w| {
        matches!(&w[0], TokenTree::Ident(i) if i == "tauri")
            && matches!(&w[1], TokenTree::Punct(p) if p.as_char() == ':')
            && matches!(&w[2], TokenTree::Punct(p) if p.as_char() == ':')
            && matches!(&w[3], TokenTree::Ident(i) if i == "command")
    }) || flat.iter().any(|t| match t {
        TokenTree::Group(g) => mentions_command(g.stream()),
        _ => false,
    })
}

fn simple_macro(tokens: TokenStream) -> Result<SimpleMacro, String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let (matcher, body) = match trees.as_slice() {
        [TokenTree::Group(m), TokenTree::Punct(eq), TokenTree::Punct(gt), TokenTree::Group(b), rest @ ..]
            if eq.as_char() == '='
                && gt.as_char() == '>'
                && rest
                    .iter()
                    .all(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ';')) =>
        {
            (m.stream(), b.stream())
        }
        _ => return Err("it has more than one arm".into()),
    };
    let mut params = Vec::new();
    let matcher: Vec<TokenTree> = matcher.into_iter().collect();
    for part in matcher.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ',')) {
        match part {
            [] => {}
            [TokenTree::Punct(dollar), TokenTree::Ident(name), TokenTree::Punct(colon), TokenTree::Ident(_)]
                if dollar.as_char() == '$' && colon.as_char() == ':' =>
            {
                params.push(name.to_string())
            }
            _ => return Err("its matcher is not a list of `$name:fragment`".into()),
        }
    }
    Ok(SimpleMacro { params, body })
}

/// The macro's body with each `$name` replaced by the invocation's argument.
fn expand(mac: &SimpleMacro, input: TokenStream) -> Result<TokenStream, String> {
    let input: Vec<TokenTree> = input.into_iter().collect();
    let mut args: Vec<TokenStream> = input
        .split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
        .map(|part| part.iter().cloned().collect())
        .collect();
    if args.last().is_some_and(|a: &TokenStream| a.is_empty()) {
        args.pop();
    }
    if args.len() != mac.params.len() {
        return Err(format!(
            "{} arguments for {} parameters",
            args.len(),
            mac.params.len()
        ));
    }
    let values: HashMap<&str, &TokenStream> =
        mac.params.iter().map(String::as_str).zip(&args).collect();
    Ok(substitute(mac.body.clone(), &values))
}

fn substitute(body: TokenStream, values: &HashMap<&str, &TokenStream>) -> TokenStream {
    let mut out = TokenStream::new();
    let mut trees = body.into_iter().peekable();
    while let Some(tree) = trees.next() {
        match tree {
            TokenTree::Punct(p) if p.as_char() == '$' => {
                if let Some(TokenTree::Ident(name)) = trees.peek() {
                    if let Some(value) = values.get(name.to_string().as_str()) {
                        out.extend((*value).clone());
                        trees.next();
                        continue;
                    }
                }
                out.extend([TokenTree::Punct(p)]);
            }
            TokenTree::Group(g) => {
                let mut inner = Group::new(g.delimiter(), substitute(g.stream(), values));
                inner.set_span(g.span());
                out.extend([TokenTree::Group(inner)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

/// How Tauri names the arguments' keys.
#[derive(Clone, Copy)]
enum RenameAll {
    Camel,
    Snake,
}

/// The command `f` declares, or `None` when it is no `#[tauri::command]`.
fn command_of(f: &ItemFn, known: &BTreeSet<String>) -> Result<Option<Command>, String> {
    let Some(attr) = f.attrs.iter().find(|a| {
        let segments: Vec<String> = a
            .path()
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        segments == ["tauri", "command"]
    }) else {
        return Ok(None);
    };
    let mut rename = RenameAll::Camel;
    if matches!(attr.meta, syn::Meta::List(_)) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename_all") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = match value.value().as_str() {
                    "camelCase" => RenameAll::Camel,
                    "snake_case" => RenameAll::Snake,
                    _ => return Err(meta.error("rename_all is camelCase or snake_case")),
                };
                Ok(())
            } else {
                Err(meta.error("unsupported #[tauri::command] option"))
            }
        })
        .map_err(|e| e.to_string())?;
    }
    let mut args = Vec::new();
    for input in &f.sig.inputs {
        let FnArg::Typed(arg) = input else {
            return Err("takes `self`".into());
        };
        if is_injected(&arg.ty) {
            continue;
        }
        let Pat::Ident(name) = &*arg.pat else {
            return Err("an argument is a pattern, not a name".into());
        };
        let name = name.ident.to_string();
        let key = match rename {
            RenameAll::Camel => lower_camel(&name),
            RenameAll::Snake => name.clone(),
        };
        let ts = ts_type(&arg.ty, known).map_err(|e| format!("argument `{name}`: {e}"))?;
        args.push(Arg { key, ts });
    }
    let result = match &f.sig.output {
        ReturnType::Default => "null".to_string(),
        ReturnType::Type(_, ty) => result_type(ty, known).map_err(|e| format!("result: {e}"))?,
    };
    Ok(Some(Command {
        name: f.sig.ident.to_string(),
        file: String::new(),
        args,
        result,
    }))
}

fn is_injected(ty: &Type) -> bool {
    match ty {
        Type::Reference(r) => is_injected(&r.elem),
        Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| INJECTED.contains(&s.ident.to_string().as_str())),
        _ => false,
    }
}

/// `at_ms` -> `atMs`, as Tauri's command macro renames arguments by default.
fn lower_camel(snake: &str) -> String {
    let mut out = String::new();
    for (i, part) in snake.split('_').filter(|p| !p.is_empty()).enumerate() {
        if i == 0 {
            out.push_str(part);
        } else {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// The last segment of a path type and its type arguments.
fn segment(ty: &Type) -> Option<(String, Vec<&Type>)> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    let args = match &last.arguments {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((last.ident.to_string(), args))
}

/// The success type of a command's result: `IpcResult<T>` and `Result<T, IpcError>` answer `T`
/// (the error is thrown as a `CommandError`).
fn result_type(ty: &Type, known: &BTreeSet<String>) -> Result<String, String> {
    match segment(ty) {
        Some((name, args)) if name == "IpcResult" && args.len() == 1 => ts_type(args[0], known),
        Some((name, args)) if name == "Result" => match args.as_slice() {
            [ok, err] if segment(err).is_some_and(|(e, _)| e == "IpcError") => ts_type(ok, known),
            _ => Err(format!(
                "`{}`: a command fails with IpcError, which the UI reads as a CommandError",
                ty.to_token_stream()
            )),
        },
        _ => ts_type(ty, known),
    }
}

/// The TypeScript of a Rust type that crosses IPC as serde writes it.
fn ts_type(ty: &Type, known: &BTreeSet<String>) -> Result<String, String> {
    let unknown = || {
        Err(format!(
            "no TypeScript type for `{}`: derive ts_rs::TS and list it in bindings.rs, or map it \
             in bindings/command_gen.rs",
            ty.to_token_stream()
        ))
    };
    match ty {
        Type::Reference(r) => ts_type(&r.elem, known),
        Type::Group(g) => ts_type(&g.elem, known),
        Type::Paren(p) => ts_type(&p.elem, known),
        Type::Slice(s) => Ok(array(ts_type(&s.elem, known)?)),
        Type::Tuple(t) if t.elems.is_empty() => Ok("null".into()),
        Type::Tuple(t) => {
            let elems: Result<Vec<String>, String> =
                t.elems.iter().map(|e| ts_type(e, known)).collect();
            Ok(format!("[{}]", elems?.join(", ")))
        }
        Type::Path(_) => {
            let Some((name, args)) = segment(ty) else {
                return unknown();
            };
            match (name.as_str(), args.as_slice()) {
                (
                    "i8" | "i16" | "i32" | "i64" | "isize" | "u8" | "u16" | "u32" | "u64" | "usize"
                    | "f32" | "f64",
                    [],
                ) => Ok("number".into()),
                ("String" | "str" | "char", []) => Ok("string".into()),
                ("bool", []) => Ok("boolean".into()),
                // chrono writes RFC 3339 text.
                ("DateTime", [_]) => Ok("string".into()),
                ("Option", [t]) => Ok(format!("{} | null", ts_type(t, known)?)),
                ("Vec", [t]) => Ok(array(ts_type(t, known)?)),
                ("Box" | "Arc" | "Rc", [t]) => ts_type(t, known),
                (name, []) if known.contains(name) => Ok(format!("B.{name}")),
                _ => unknown(),
            }
        }
        _ => unknown(),
    }
}

fn array(element: String) -> String {
    if element.contains(' ') {
        format!("({element})[]")
    } else {
        format!("{element}[]")
    }
}

/// The names bindings.ts exports as types.
pub fn declared_types(bindings: &str) -> BTreeSet<String> {
    bindings
        .lines()
        .filter_map(|l| l.strip_prefix("export type "))
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        })
        .collect()
}

/// The whole generated file.
pub fn typescript(commands: &[Command]) -> String {
    let mut out = String::from(
        "// Generated from the #[tauri::command] functions in src-tauri/src/commands by `make bindings`\n\
         // (src-tauri/src/bindings/command_gen.rs). Do not edit: a test fails when this file and the\n\
         // Rust signatures disagree.\n\
         import type * as B from \"./bindings\";\n\
         import { call } from \"./call\";\n\n\
         /** Every command: Rust's name in camelCase, Rust's arguments in order, Rust's result. */\n\
         export const commands = {\n",
    );
    let mut by_file: BTreeMap<&str, Vec<&Command>> = BTreeMap::new();
    for c in commands {
        by_file.entry(c.file.as_str()).or_default().push(c);
    }
    for (file, commands) in by_file {
        out.push_str(&format!("  // {file}\n"));
        for c in commands {
            let params: Vec<String> = c
                .args
                .iter()
                .map(|a| format!("{}: {}", param_name(&a.key), a.ts))
                .collect();
            let keys: Vec<String> = c
                .args
                .iter()
                .map(|a| match param_name(&a.key) {
                    p if p == a.key => p,
                    p => format!("{}: {p}", a.key),
                })
                .collect();
            let args = if keys.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", keys.join(", "))
            };
            out.push_str(&format!(
                "  {}: ({}) => call<{}>(\"{}\", {args}),\n",
                lower_camel(&c.name),
                params.join(", "),
                c.result,
                c.name,
            ));
        }
    }
    out.push_str("};\n");
    out
}

fn param_name(key: &str) -> String {
    if RESERVED.contains(&key) {
        format!("{key}_")
    } else {
        key.to_string()
    }
}

/// The commands `tauri::generate_handler![...]` registers, anywhere in the crate's sources.
pub fn registered(root: &Path) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut files = Vec::new();
    rust_files(&root.join(SOURCE_DIR), &mut files);
    for path in files {
        let source = std::fs::read_to_string(&path).map_err(|e| format!("{path:?}: {e}"))?;
        let tokens = TokenStream::from_str(&source).map_err(|e| format!("{path:?}: {e}"))?;
        handler_lists(tokens, &mut names);
    }
    if names.is_empty() {
        return Err(format!("no tauri::generate_handler! under {SOURCE_DIR}"));
    }
    Ok(names)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The last segment of each path in each `generate_handler![...]` of `tokens`.
fn handler_lists(tokens: TokenStream, names: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match (tree, trees.get(i + 1), trees.get(i + 2)) {
            (TokenTree::Ident(id), Some(TokenTree::Punct(bang)), Some(TokenTree::Group(list)))
                if id == "generate_handler" && bang.as_char() == '!' =>
            {
                let items: Vec<TokenTree> = list.stream().into_iter().collect();
                for path in items.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ','))
                {
                    if let Some(TokenTree::Ident(last)) = path.last() {
                        names.push(last.to_string());
                    }
                }
            }
            (TokenTree::Group(g), ..) => handler_lists(g.stream(), names),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(source: &str) -> Result<Vec<Command>, Vec<String>> {
        let known: BTreeSet<String> = ["Activity", "RecordKind"].map(String::from).into();
        let (mut commands, mut errors) = (Vec::new(), Vec::new());
        commands_in("x.rs", source, &known, &mut commands, &mut errors);
        if errors.is_empty() {
            Ok(commands)
        } else {
            Err(errors)
        }
    }

    fn arg(key: &str, ts: &str) -> Arg {
        Arg {
            key: key.into(),
            ts: ts.into(),
        }
    }

    #[test]
    fn signatures_become_typescript_as_tauri_reads_them() {
        let commands = generate(
            r#"
            #[tauri::command]
            pub async fn a_b<R: Runtime>(
                state: State<'_, AppState>,
                app: tauri::AppHandle<R>,
                opened_calendars: Vec<i64>,
                at_ms: f64,
                wall_clock: Option<crate::x::Activity>,
                from: chrono::DateTime<chrono::Utc>,
                pair: (String, bool),
            ) -> IpcResult<Vec<Option<RecordKind>>> { todo!() }

            #[tauri::command(rename_all = "snake_case")]
            pub fn plain(switch_on: bool) -> Result<(), IpcError> { todo!() }

            #[tauri::command]
            pub async fn no_result() {}

            pub fn not_a_command(x: Unknown) {}
            "#,
        )
        .unwrap();
        let expected = [
            Command {
                name: "a_b".into(),
                file: "x.rs".into(),
                args: vec![
                    arg("openedCalendars", "number[]"),
                    arg("atMs", "number"),
                    arg("wallClock", "B.Activity | null"),
                    arg("from", "string"),
                    arg("pair", "[string, boolean]"),
                ],
                result: "(B.RecordKind | null)[]".into(),
            },
            Command {
                name: "plain".into(),
                file: "x.rs".into(),
                args: vec![arg("switch_on", "boolean")],
                result: "null".into(),
            },
            Command {
                name: "no_result".into(),
                file: "x.rs".into(),
                args: vec![],
                result: "null".into(),
            },
        ];
        assert_eq!(commands, expected);
        let ts = typescript(&commands);
        assert!(
            ts.contains(
                "  aB: (openedCalendars: number[], atMs: number, wallClock: B.Activity | null, \
             from: string, pair: [string, boolean]) => call<(B.RecordKind | null)[]>(\"a_b\", \
             { openedCalendars, atMs, wallClock, from, pair }),\n"
            ),
            "{ts}"
        );
        assert!(
            ts.contains("  noResult: () => call<null>(\"no_result\", {}),\n"),
            "{ts}"
        );
    }

    #[test]
    fn a_command_written_by_a_macro_is_found() {
        let commands = generate(
            r#"
            macro_rules! pair {
                ($get:ident, $record:ty) => {
                    #[tauri::command]
                    pub async fn $get(state: State<'_, AppState>, id: i64) -> IpcResult<$record> { todo!() }
                };
            }
            pair!(get_activity, Activity);
            pair!(get_kind, crate::crm::RecordKind,);
            "#,
        )
        .unwrap();
        let got: Vec<(&str, &str)> = commands
            .iter()
            .map(|c| (c.name.as_str(), c.result.as_str()))
            .collect();
        assert_eq!(
            got,
            [("get_activity", "B.Activity"), ("get_kind", "B.RecordKind")]
        );
    }

    #[test]
    fn a_type_without_a_typescript_declaration_is_an_error_not_any() {
        let errors = generate(
            r#"
            #[tauri::command]
            pub async fn f(x: Secret) -> IpcResult<()> { todo!() }
            #[tauri::command]
            pub async fn g() -> IpcResult<std::collections::HashMap<String, i64>> { todo!() }
            #[tauri::command]
            pub async fn h() -> Result<i64, String> { todo!() }
            "#,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(
            errors[0].contains("`f`") && errors[0].contains("Secret"),
            "{errors:?}"
        );
        assert!(
            errors[1].contains("`g`") && errors[1].contains("HashMap"),
            "{errors:?}"
        );
        assert!(
            errors[2].contains("`h`") && errors[2].contains("IpcError"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_reserved_word_is_renamed_as_a_parameter_only() {
        let commands = vec![Command {
            name: "set_simulator_switch".into(),
            file: "x.rs".into(),
            args: vec![arg("switch", "B.SimSwitch"), arg("on", "boolean")],
            result: "null".into(),
        }];
        assert!(typescript(&commands).contains(
            "setSimulatorSwitch: (switch_: B.SimSwitch, on: boolean) => \
             call<null>(\"set_simulator_switch\", { switch: switch_, on }),"
        ));
    }
}
