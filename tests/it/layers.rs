//! The layers of the code hold: in each crate no top-level module imports one that imports it back, and in `convo` every import runs down the order `src/lib.rs` lists.
//!
//! Read from the source text, so a cycle fails here before anyone has to
//! draw the modules: `crate::name` paths (also inside `crate::{…}` groups) in
//! every file of a top-level module, comments left out.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed step should stop the test on the spot

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Which top-level modules each top-level module of a crate names.
type Graph = BTreeMap<String, BTreeSet<String>>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, or `dir` itself with `.rs` when it is a single-file module.
fn files_of(src: &Path, module: &str) -> Vec<PathBuf> {
    let single = src.join(format!("{module}.rs"));
    let mut found = Vec::new();
    if single.is_file() {
        found.push(single);
    }
    let mut stack = vec![src.join(module)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found
}

/// The top-level modules `lib.rs` declares.
fn modules(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line
                .strip_prefix("pub mod ")
                .or_else(|| line.strip_prefix("mod "))?;
            Some(rest.trim_end_matches(';').to_owned())
        })
        .collect()
}

/// The source without `//` comments (doc comments name modules in prose and links).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            // `"http://…"` in a string is not a comment; a `crate::` path never follows one on a line.
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a file's code names through `crate::`.
fn named(code: &str, modules: &[String]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let heads: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a::x, b::{y, z}}`: the first segment of each top-level item.
            let mut depth = 0usize;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => return true,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    false
                })
                .map_or(group.len(), |(i, _)| i);
            let mut heads = Vec::new();
            let mut depth = 0usize;
            let mut start = 0;
            for (i, c) in group[..end].char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        heads.push(&group[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            heads.push(&group[start..end]);
            heads
        } else {
            vec![rest]
        };
        for head in heads {
            let name: String = head
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) {
                out.insert(name);
            }
        }
    }
    out
}

/// The import graph among a crate's top-level modules.
fn graph(src: &Path) -> (Vec<String>, Graph) {
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let modules = modules(&lib);
    let mut graph = Graph::new();
    for module in &modules {
        let mut names = BTreeSet::new();
        for file in files_of(src, module) {
            let text = std::fs::read_to_string(&file).unwrap();
            names.extend(named(&code_of(&text), &modules));
        }
        names.remove(module);
        graph.insert(module.clone(), names);
    }
    (modules, graph)
}

/// A cycle of modules, if the graph has one.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut found = path[at..].to_vec();
            found.push(node.to_owned());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

/// The layer of each module, from the numbered list in `lib.rs`'s opening comment.
fn layers(lib: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(item) = line.strip_prefix("//! ") else {
            continue;
        };
        let Some((number, rest)) = item.split_once(". ") else {
            continue;
        };
        let Ok(layer) = number.trim().parse::<usize>() else {
            continue;
        };
        let names = rest.split('—').next().unwrap_or_default();
        for name in names.split('`').skip(1).step_by(2) {
            out.insert(name.to_owned(), layer);
        }
    }
    out
}

#[test]
fn no_crate_of_the_workspace_has_a_cycle_among_its_top_level_modules() {
    for src in [root().join("src"), root().join("crates/convo-demo/src")] {
        let (modules, graph) = graph(&src);
        assert!(modules.len() > 2, "{}: modules not found", src.display());
        assert_eq!(
            cycle(&graph),
            None,
            "{}: these modules import each other in a circle",
            src.display()
        );
    }
}

#[test]
fn every_import_of_convo_runs_down_the_layers_lib_rs_lists() {
    let src = root().join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let layers = layers(&lib);
    let (modules, graph) = graph(&src);
    let unlisted: Vec<_> = modules
        .iter()
        .filter(|m| !layers.contains_key(*m))
        .collect();
    assert!(
        unlisted.is_empty(),
        "modules missing from lib.rs's list of layers: {unlisted:?}"
    );
    let mut upward = Vec::new();
    for (from, names) in &graph {
        for to in names {
            if layers[to] >= layers[from] {
                upward.push(format!(
                    "{from} (layer {}) -> {to} (layer {})",
                    layers[from], layers[to]
                ));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that do not run down: {upward:#?}"
    );
}

#[test]
fn the_check_sees_a_cycle_and_an_upward_import() {
    let modules = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
    let code = code_of(
        "use crate::{b::X, c::{Y, Z}};\n// crate::a in a comment is no import\nfn f() { crate::a::g() }",
    );
    assert_eq!(
        named(&code, &modules),
        ["a", "b", "c"].iter().map(|s| (*s).to_owned()).collect()
    );
    let mut graph = Graph::new();
    graph.insert("a".to_owned(), ["b".to_owned()].into());
    graph.insert("b".to_owned(), ["c".to_owned()].into());
    graph.insert("c".to_owned(), ["a".to_owned()].into());
    assert_eq!(
        cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let lib = "//! 1. `text`, `files` — bottom.\n//! 2. `provider` — above.\n";
    let layers = layers(lib);
    assert_eq!(layers["files"], 1);
    assert_eq!(layers["provider"], 2);
}
