//! Use aliases: the paths `types.rs` and `client.rs` write absolute
//! (`::std::option::Option<::std::string::String>`,
//! `::agent_clients_runtime::Response<T>`) shortened to what hand-written code
//! writes (`Option<String>`, `Response<T>`), with one `use` block per module.
//!
//! Absolute paths are what keeps generated code safe from the names a spec
//! brings: a schema called `Option` or `Open` becomes a type of that name in
//! `types`. So a path is shortened only where that is still safe:
//!
//! - the module declares no item, and imports nothing, of the short name;
//! - no other path shortens to the same name in that module;
//! - an import never takes a name of the Rust prelude, nor a name the
//!   module already uses bare for something else;
//! - a module with a glob import is left as it is (a glob can bring any name).
//!
//! Each module is decided on its own: a nested module gets its own `use`
//! block. A path that is not shortened stays absolute, which is always right.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use proc_macro2::{Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;
use syn::{Item, ItemMod};

/// Paths the prelude already names: shortened without a `use`.
const PRELUDE: &[(&str, &str)] = &[
    ("std::option::Option::Some", "Some"),
    ("std::option::Option::None", "None"),
    ("std::result::Result::Ok", "Ok"),
    ("std::result::Result::Err", "Err"),
    ("std::option::Option", "Option"),
    ("std::result::Result", "Result"),
    ("std::string::String", "String"),
    ("std::string::ToString", "ToString"),
    ("std::vec::Vec", "Vec"),
    ("std::boxed::Box", "Box"),
    ("std::convert::From", "From"),
    ("std::convert::Into", "Into"),
    ("std::convert::TryFrom", "TryFrom"),
    ("std::convert::TryInto", "TryInto"),
    ("std::convert::AsRef", "AsRef"),
    ("std::default::Default", "Default"),
    ("std::clone::Clone", "Clone"),
    ("std::marker::Copy", "Copy"),
    ("std::marker::Send", "Send"),
    ("std::marker::Sync", "Sync"),
    ("std::iter::Iterator", "Iterator"),
    ("std::iter::IntoIterator", "IntoIterator"),
    ("std::iter::Extend", "Extend"),
    ("std::cmp::PartialEq", "PartialEq"),
    ("std::cmp::Eq", "Eq"),
    ("std::cmp::PartialOrd", "PartialOrd"),
    ("std::cmp::Ord", "Ord"),
];

/// Names of the Rust prelude (2021) besides those above: never imported,
/// since an import would shadow them for the whole module.
const OTHER_PRELUDE_NAMES: &[&str] = &[
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsMut",
    "ToOwned",
    "FromIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "drop",
];

/// Standard macros, written `::std::name!`, shortened to `name!`.
const PRELUDE_MACROS: &[&str] = &[
    "format",
    "vec",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "matches",
    "unreachable",
    "concat",
    "println",
    "eprintln",
];

/// Items shortened to their last segment with a `use` of the whole path
/// (`::std::fmt::Display` becomes `fmt::Display` with `use std::fmt;`).
const IMPORTED: &[&str] = &[
    "std::fmt",
    "std::str::FromStr",
    "std::collections::HashMap",
    "std::collections::BTreeMap",
    "std::collections::HashSet",
    "std::collections::BTreeSet",
    "std::borrow::Cow",
    "std::ops::Deref",
    "std::convert::Infallible",
    "std::net::IpAddr",
    "std::net::Ipv4Addr",
    "std::net::Ipv6Addr",
    "serde::Deserialize",
    "serde::Serialize",
];

/// The runtime the generated code calls: every item under it is imported
/// by its own name (`Response`, `Validate`, the `check` module).
const RUNTIME: &[&str] = &["agent_clients_runtime"];

/// Crates written without the leading `::` when the module has no item of
/// the crate's name (`serde_json::Value`).
const CRATES: &[&str] = &["serde", "serde_json", "chrono", "uuid"];

/// Shortens the paths of `module` and of the modules inside it, giving each
/// its own `use` block first.
pub fn shorten_module(module: &mut ItemMod) {
    if let Some((_, items)) = &mut module.content {
        let uses = shorten(items, &[]);
        items.splice(0..0, uses);
    }
}

/// Shortens the paths of `items`, the items of one module (shortening the
/// modules among them on their own), and returns the `use` items they now
/// need. `also_declared` names items of the module that are not in `items`.
pub fn shorten(items: &mut [Item], also_declared: &[&str]) -> Vec<Item> {
    for item in items.iter_mut() {
        if let Item::Mod(module) = item {
            shorten_module(module);
        }
    }
    let Some(mut scope) = Scope::of(items, also_declared) else {
        return Vec::new();
    };
    for item in items.iter_mut() {
        if !matches!(item, Item::Mod(_)) {
            scope.visit_item_mut(item);
        }
    }
    scope.use_items()
}

/// What one module declares and uses, and the imports it is given.
struct Scope {
    /// Names the module's own items (and imports) take.
    declared: HashSet<String>,
    /// First segments of relative paths, and identifiers in attribute and
    /// macro tokens: names already meaning something in the module.
    bare: HashSet<String>,
    /// Short name -> the full path it stands for.
    taken: HashMap<String, Vec<String>>,
    /// The `use` paths needed, as parent path -> names.
    imports: BTreeMap<Vec<String>, BTreeSet<String>>,
    /// Each absolute path decided so far, and how it was shortened; macro
    /// paths apart (`std::vec` the macro, `std::vec` the module).
    decided: HashMap<String, Option<usize>>,
    macros: HashMap<String, Option<usize>>,
    /// Each string literal of a `serde` attribute seen so far (as written),
    /// and the literal it became: every optional field repeats one.
    literals: HashMap<String, proc_macro2::Literal>,
}

impl Scope {
    /// The scope of a module with `items`, or `None` when a glob import
    /// makes any short name unsafe.
    fn of(items: &[Item], also_declared: &[&str]) -> Option<Scope> {
        let mut declared: HashSet<String> = also_declared.iter().map(|s| s.to_string()).collect();
        for item in items {
            match item {
                Item::Use(item_use) => {
                    if !use_names(&item_use.tree, &mut declared) {
                        return None;
                    }
                }
                other => declared.extend(declared_name(other)),
            }
        }
        let mut bare = BareNames::default();
        for item in items.iter().filter(|item| !matches!(item, Item::Mod(_))) {
            bare.visit_item(item);
        }
        Some(Scope {
            declared,
            bare: bare.0,
            taken: HashMap::new(),
            decided: HashMap::new(),
            macros: HashMap::new(),
            literals: HashMap::new(),
            imports: BTreeMap::new(),
        })
    }

    /// The short form of the absolute path `joined` (`std::option::Option`),
    /// as the number of leading segments dropped (at most `max_dropped`),
    /// recording the import it needs; `None` keeps the path absolute.
    ///
    /// A module names the same few paths thousands of times, so each is
    /// decided once: whether a name is claimed never changes afterwards.
    fn shorten(&mut self, joined: &str, is_macro: bool, max_dropped: usize) -> Option<usize> {
        let memo = if is_macro {
            &self.macros
        } else {
            &self.decided
        };
        if let Some(decided) = memo.get(joined) {
            return decided.filter(|dropped| *dropped <= max_dropped);
        }
        let segments: Vec<String> = joined.split("::").map(str::to_string).collect();
        let Some(plan) = self.plan(&segments, is_macro) else {
            self.decide(joined, is_macro, None);
            return None;
        };
        if plan.dropped > max_dropped {
            return None;
        }
        let claimed = match plan.claim {
            Some((name, path, import)) => self.claim(&name, path, import),
            None => true,
        };
        let decided = claimed.then_some(plan.dropped);
        self.decide(joined, is_macro, decided);
        decided
    }

    fn decide(&mut self, joined: &str, is_macro: bool, decided: Option<usize>) {
        let memo = if is_macro {
            &mut self.macros
        } else {
            &mut self.decided
        };
        memo.insert(joined.to_string(), decided);
    }

    /// How `segments` would be shortened, before any name is claimed.
    fn plan(&self, segments: &[String], is_macro: bool) -> Option<Plan> {
        let joined = segments.join("::");
        if is_macro {
            let [root, name] = segments else { return None };
            let prelude = root == "std" && PRELUDE_MACROS.contains(&name.as_str());
            return prelude.then_some(Plan {
                dropped: 1,
                claim: None,
            });
        }
        if let Some((path, short)) = PRELUDE.iter().find(|(path, _)| starts_with(&joined, path)) {
            let dropped = path.split("::").count() - 1;
            let claim = (short.to_string(), segments[..=dropped].to_vec(), false);
            return Some(Plan {
                dropped,
                claim: Some(claim),
            });
        }
        if let Some(path) = IMPORTED.iter().find(|path| starts_with(&joined, path)) {
            let kept = path.split("::").count() - 1;
            let claim = (segments[kept].clone(), segments[..=kept].to_vec(), true);
            return Some(Plan {
                dropped: kept,
                claim: Some(claim),
            });
        }
        if segments.len() > RUNTIME.len() && segments[..RUNTIME.len()] == *RUNTIME {
            let name = segments[RUNTIME.len()].clone();
            let claim = (name, segments[..=RUNTIME.len()].to_vec(), true);
            return Some(Plan {
                dropped: RUNTIME.len(),
                claim: Some(claim),
            });
        }
        let root = segments.first()?;
        let unrooted =
            segments.len() > 1 && CRATES.contains(&root.as_str()) && !self.declared.contains(root);
        unrooted.then_some(Plan {
            dropped: 0,
            claim: None,
        })
    }

    /// Whether `name` may stand for `path` in this module; an imported name
    /// is recorded for the `use` block. The first path to claim a name keeps
    /// it, so two paths never shorten to one name.
    fn claim(&mut self, name: &str, path: Vec<String>, import: bool) -> bool {
        if self.declared.contains(name) {
            return false;
        }
        if import
            && (self.bare.contains(name)
                || OTHER_PRELUDE_NAMES.contains(&name)
                || PRELUDE.iter().any(|(_, short)| *short == name))
        {
            return false;
        }
        match self.taken.get(name) {
            Some(existing) => return *existing == path,
            None => {
                self.taken.insert(name.to_string(), path.clone());
            }
        }
        if import {
            let (name, parent) = path.split_last().expect("an imported path has segments");
            self.imports
                .entry(parent.to_vec())
                .or_default()
                .insert(name.clone());
        }
        true
    }

    /// The `use` items for the imports made, std first, then other crates,
    /// then the runtime, each sorted.
    fn use_items(&self) -> Vec<Item> {
        let rank = |parent: &Vec<String>| match parent.first().map(String::as_str) {
            Some("std") => 0,
            Some("agent_clients_runtime") => 2,
            _ => 1,
        };
        let mut parents: Vec<&Vec<String>> = self.imports.keys().collect();
        parents.sort_by_key(|parent| (rank(parent), parent.to_vec()));
        parents
            .into_iter()
            .map(|parent| {
                let names = &self.imports[parent];
                let prefix = parent.join("::");
                let tree = if names.len() == 1 {
                    format!("{prefix}::{}", names.first().expect("one name"))
                } else {
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    format!("{prefix}::{{{}}}", names.join(", "))
                };
                syn::parse_str(&format!("use {tree};")).expect("a use item parses")
            })
            .collect()
    }

    /// Rewrites the absolute paths in `tokens` (an attribute's or a macro's),
    /// and in `serde` attributes the paths in string literals
    /// (`skip_serializing_if = "::std::option::Option::is_none"`).
    fn shorten_tokens(&mut self, tokens: TokenStream, literals: bool) -> TokenStream {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut out = Vec::with_capacity(trees.len());
        let mut index = 0;
        while index < trees.len() {
            if let Some((segments, end)) = leading_path(&trees, index) {
                let is_macro =
                    matches!(trees.get(end), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                if let Some(dropped) = self.shorten(&segments.join("::"), is_macro, usize::MAX) {
                    out.extend(path_tokens(&segments[dropped..]));
                    index = end;
                    continue;
                }
            }
            out.push(match &trees[index] {
                TokenTree::Group(group) => {
                    let stream = self.shorten_tokens(group.stream(), literals);
                    let mut new = Group::new(group.delimiter(), stream);
                    new.set_span(group.span());
                    TokenTree::Group(new)
                }
                TokenTree::Literal(literal) if literals => self.shorten_literal(literal),
                other => other.clone(),
            });
            index += 1;
        }
        out.into_iter().collect()
    }

    /// A path that may be qualified, `<T as ::std::str::FromStr>::Err`: its
    /// first `position` segments are the trait's, and one of them must stay.
    fn visit_qualified_path(&mut self, qself: &mut Option<syn::QSelf>, path: &mut syn::Path) {
        let Some(qself) = qself else {
            return self.visit_path_mut(path);
        };
        self.visit_type_mut(&mut qself.ty);
        // With no trait (`<Vec<u8>>::new`), the `::` is the one after `>`.
        if qself.position > 0 {
            qself.position -= self.shorten_path(path, qself.position - 1, false);
        }
        syn::visit_mut::visit_path_mut(self, path);
    }

    /// Shortens the absolute `path` (a macro's, with `is_macro`) by at most
    /// `max_dropped` segments, and returns how many it dropped.
    fn shorten_path(&mut self, path: &mut syn::Path, max_dropped: usize, is_macro: bool) -> usize {
        if path.leading_colon.is_none() {
            return 0;
        }
        let mut joined = String::new();
        for (n, segment) in path.segments.iter().enumerate() {
            if n > 0 {
                joined.push_str("::");
            }
            joined.push_str(&segment.ident.to_string());
        }
        // A dropped segment must have no generic arguments.
        let plain = path
            .segments
            .iter()
            .take_while(|s| s.arguments.is_none())
            .count();
        match self.shorten(&joined, is_macro, max_dropped.min(plain)) {
            Some(dropped) => {
                path.leading_colon = None;
                path.segments = std::mem::take(&mut path.segments)
                    .into_iter()
                    .skip(dropped)
                    .collect();
                dropped
            }
            _ => 0,
        }
    }

    /// A string literal holding an absolute path, shortened.
    fn shorten_literal(&mut self, literal: &proc_macro2::Literal) -> TokenTree {
        let written = literal.to_string();
        // Most are names (`rename = "type"`): only a path is parsed.
        if !written.starts_with("\"::") {
            return TokenTree::Literal(literal.clone());
        }
        if let Some(shortened) = self.literals.get(&written) {
            return TokenTree::Literal(shortened.clone());
        }
        let shortened = self.shorten_path_literal(literal);
        if let TokenTree::Literal(shortened) = &shortened {
            self.literals.insert(written, shortened.clone());
        }
        shortened
    }

    /// [`Scope::shorten_literal`] for a literal not seen before.
    fn shorten_path_literal(&mut self, literal: &proc_macro2::Literal) -> TokenTree {
        let unchanged = TokenTree::Literal(literal.clone());
        let Ok(text) = syn::parse2::<syn::LitStr>(unchanged.clone().into()) else {
            return unchanged;
        };
        let value = text.value();
        let Some(rest) = value.strip_prefix("::") else {
            return unchanged;
        };
        let segments: Vec<String> = rest.split("::").map(str::to_string).collect();
        if segments.iter().any(|s| syn::parse_str::<Ident>(s).is_err()) {
            return unchanged;
        }
        match self.shorten(rest, false, usize::MAX) {
            Some(dropped) => {
                let short = segments[dropped..].join("::");
                TokenTree::Literal(proc_macro2::Literal::string(&short))
            }
            None => unchanged,
        }
    }
}

impl VisitMut for Scope {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        self.shorten_path(path, usize::MAX, false);
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_type_path_mut(&mut self, type_path: &mut syn::TypePath) {
        self.visit_qualified_path(&mut type_path.qself, &mut type_path.path);
    }

    fn visit_expr_path_mut(&mut self, expr_path: &mut syn::ExprPath) {
        self.visit_qualified_path(&mut expr_path.qself, &mut expr_path.path);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        self.shorten_path(&mut mac.path, usize::MAX, true);
        mac.tokens = self.shorten_tokens(std::mem::take(&mut mac.tokens), false);
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        let is = |name: &str| attr.path().is_ident(name);
        let literals = is("serde");
        if !(literals || is("derive")) {
            return;
        }
        if let syn::Meta::List(list) = &mut attr.meta {
            list.tokens = self.shorten_tokens(std::mem::take(&mut list.tokens), literals);
        }
    }

    // Nested modules get scopes of their own (see `shorten`).
    fn visit_item_mod_mut(&mut self, _: &mut ItemMod) {}
}

/// How one path is shortened: the leading segments dropped, and the short
/// name it then goes by, with the path that name stands for and whether
/// that needs a `use`.
struct Plan {
    dropped: usize,
    claim: Option<(String, Vec<String>, bool)>,
}

/// Names used bare in a module: first segments of relative paths, and every
/// identifier in attribute and macro tokens (an over-approximation, which
/// only ever keeps a path long).
#[derive(Default)]
struct BareNames(HashSet<String>);

impl<'ast> Visit<'ast> for BareNames {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none()
            && let Some(first) = path.segments.first()
        {
            self.0.insert(first.ident.to_string());
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        token_idents(mac.tokens.clone(), &mut self.0);
    }

    fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
        if let syn::Meta::List(list) = &attr.meta {
            token_idents(list.tokens.clone(), &mut self.0);
        }
    }

    fn visit_item_mod(&mut self, _: &'ast ItemMod) {}
}

/// Identifiers in `tokens` that do not follow a `::`.
fn token_idents(tokens: TokenStream, names: &mut HashSet<String>) {
    let mut after_colons = false;
    let mut previous_colon = false;
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                if !after_colons {
                    names.insert(ident.to_string());
                }
                after_colons = false;
                previous_colon = false;
            }
            TokenTree::Punct(punct) if punct.as_char() == ':' => {
                after_colons = previous_colon;
                previous_colon = true;
            }
            TokenTree::Group(group) => {
                token_idents(group.stream(), names);
                after_colons = false;
                previous_colon = false;
            }
            _ => {
                after_colons = false;
                previous_colon = false;
            }
        }
    }
}

/// Keywords a path can follow (`<T as ::std::str::FromStr>`, `impl ::a::B`).
const KEYWORDS_BEFORE_PATHS: &[&str] = &[
    "as", "for", "impl", "dyn", "in", "return", "mut", "let", "where", "match", "if", "else",
];

/// The absolute path starting at `trees[index]` (`::a::b::c`), as its
/// segments and the index after it. A `::` right after an identifier or a
/// `>` (`Vec::<u8>::new`) continues a relative path instead.
fn leading_path(trees: &[TokenTree], index: usize) -> Option<(Vec<String>, usize)> {
    let continues = index > 0
        && match &trees[index - 1] {
            TokenTree::Ident(ident) => !KEYWORDS_BEFORE_PATHS.iter().any(|k| ident == k),
            TokenTree::Punct(p) => p.as_char() == '>',
            _ => false,
        };
    if continues {
        return None;
    }
    let mut segments = Vec::new();
    let mut at = index;
    while is_colons(trees, at) {
        let Some(TokenTree::Ident(ident)) = trees.get(at + 2) else {
            break;
        };
        segments.push(ident.to_string());
        at += 3;
    }
    (!segments.is_empty()).then_some((segments, at))
}

fn is_colons(trees: &[TokenTree], at: usize) -> bool {
    matches!(
        (trees.get(at), trees.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

/// Tokens of the relative path `segments`.
fn path_tokens(segments: &[String]) -> Vec<TokenTree> {
    let mut tokens = Vec::new();
    for (n, segment) in segments.iter().enumerate() {
        if n > 0 {
            tokens.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
            tokens.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
        }
        tokens.push(TokenTree::Ident(Ident::new(segment, Span::call_site())));
    }
    tokens
}

/// Whether the `::`-joined `path` starts with the `::`-joined `prefix` at a
/// segment boundary.
fn starts_with(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
}

/// The name an item declares in its module's type or value namespace.
fn declared_name(item: &Item) -> Option<String> {
    let ident = match item {
        Item::Struct(item) => &item.ident,
        Item::Enum(item) => &item.ident,
        Item::Union(item) => &item.ident,
        Item::Type(item) => &item.ident,
        Item::Trait(item) => &item.ident,
        Item::TraitAlias(item) => &item.ident,
        Item::Fn(item) => &item.sig.ident,
        Item::Const(item) => &item.ident,
        Item::Static(item) => &item.ident,
        Item::Mod(item) => &item.ident,
        Item::Macro(item) => item.ident.as_ref()?,
        Item::ExternCrate(item) => item.rename.as_ref().map_or(&item.ident, |(_, r)| r),
        _ => return None,
    };
    Some(ident.to_string())
}

/// Adds the names a `use` tree brings; `false` for a glob.
fn use_names(tree: &syn::UseTree, names: &mut HashSet<String>) -> bool {
    match tree {
        syn::UseTree::Path(path) => use_names(&path.tree, names),
        syn::UseTree::Name(name) => {
            names.insert(name.ident.to_string());
            true
        }
        syn::UseTree::Rename(rename) => {
            names.insert(rename.rename.to_string());
            true
        }
        syn::UseTree::Glob(_) => false,
        syn::UseTree::Group(group) => group.items.iter().all(|tree| use_names(tree, names)),
    }
}

#[cfg(test)]
mod tests {
    use super::shorten_module;

    fn shortened(module: &str) -> String {
        let mut module: syn::ItemMod = syn::parse_str(module).unwrap();
        shorten_module(&mut module);
        prettyplease::unparse(&syn::parse_quote!(#module))
    }

    #[test]
    fn paths_are_shortened_with_a_use_block() {
        let printed = shortened(
            r#"mod m {
                #[derive(::serde::Serialize, Clone)]
                pub struct A {
                    #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                    pub a: ::std::option::Option<::std::string::String>,
                    pub b: ::agent_clients_runtime::Open<::serde_json::Value>,
                }
                impl ::std::fmt::Display for A {
                    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(&::std::format!("{}", <u8 as ::std::str::FromStr>::from_str("1").is_ok()))
                    }
                }
            }"#,
        );
        let expected = r#"mod m {
    use std::fmt;
    use std::str::FromStr;
    use serde::Serialize;
    use agent_clients_runtime::Open;
    #[derive(Serialize, Clone)]
    pub struct A {
        #[serde(skip_serializing_if = "Option::is_none")]
        pub a: Option<String>,
        pub b: Open<serde_json::Value>,
    }
    impl fmt::Display for A {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&format!("{}", < u8 as FromStr >::from_str("1").is_ok()))
        }
    }
}
"#;
        assert_eq!(printed, expected);
    }

    #[test]
    fn names_the_module_declares_keep_their_absolute_paths() {
        let printed = shortened(
            r#"mod m {
                pub struct Option(pub ::std::option::Option<u8>);
                pub struct Open(pub ::agent_clients_runtime::Open<Option>);
                pub struct B(pub ::std::vec::Vec<Option>, pub <Open as ::std::convert::From<u8>>::Output);
            }"#,
        );
        assert!(
            printed.contains("pub struct Option(pub ::std::option::Option<u8>);"),
            "{printed}"
        );
        assert!(
            printed.contains("::agent_clients_runtime::Open<Option>"),
            "{printed}"
        );
        assert!(
            printed.contains("pub struct B(pub Vec<Option>, pub <Open as From<u8>>::Output);"),
            "{printed}"
        );
        assert!(!printed.contains("use "), "{printed}");
    }

    #[test]
    fn the_trait_of_a_qualified_path_keeps_a_segment() {
        let printed = shortened(
            "mod m { type E = <A as ::std::convert::TryFrom<u8>>::Error; type F = <A as ::std::fmt::Debug>::X; fn f() { <::std::vec::Vec<u8>>::new(); } }",
        );
        assert!(
            printed.contains("type E = <A as TryFrom<u8>>::Error;"),
            "{printed}"
        );
        assert!(
            printed.contains("type F = <A as fmt::Debug>::X;"),
            "{printed}"
        );
        assert!(printed.contains("<Vec<u8>>::new();"), "{printed}");
    }

    #[test]
    fn nested_modules_get_their_own_use_block_and_globs_stop_it() {
        let printed = shortened(
            "mod m { pub struct Cow; mod n { pub type X = ::std::borrow::Cow<'static, str>; } mod g { use super::*; pub type Y = ::std::option::Option<u8>; } }",
        );
        assert!(
            printed.contains(
                "mod n {\n        use std::borrow::Cow;\n        pub type X = Cow<'static, str>;"
            ),
            "{printed}"
        );
        assert!(
            printed.contains("pub type Y = ::std::option::Option<u8>;"),
            "{printed}"
        );
    }

    #[test]
    fn a_name_used_bare_is_not_imported() {
        // `check` is a local function here: the runtime's `check` module
        // stays absolute rather than shadow it.
        let printed = shortened(
            "mod m { fn f() { check(); ::agent_clients_runtime::check::join(\"a\", \"b\"); } fn check() {} }",
        );
        assert!(
            printed.contains("::agent_clients_runtime::check::join"),
            "{printed}"
        );
    }
}
