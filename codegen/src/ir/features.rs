//! Features per tag: which Cargo feature each operation, and each type,
//! sits behind when a client is split.
//!
//! A big client compiles whole even for a user who calls two of its
//! operations. Split, each tag's operations (their methods, error enums,
//! operation constants and mock builders) sit behind a feature named after
//! the tag, and each type behind the features whose operations reach it:
//! `cfg(feature = "voices")` for a type only `voices` reaches,
//! `cfg(any(feature = "voices", feature = "models"))` for one both reach,
//! nothing for one every feature reaches, or one that a type no operation
//! reaches holds (such a type is always compiled). A type keeps its path,
//! `types::Name`, whichever features are on, so a spec change in one tag
//! never moves a type another tag's users name. Types are cfg'd away before
//! macro expansion, so a user pays only for the features they turn on.
//!
//! The split is per tag (an operation's first), or where an operation has
//! none, per first path segment (a version segment such as `v1`, or `api`,
//! skipped). It is made when the spec's overlay asks
//! (`x-agent-clients-features: per-tag`), the caller does, or by default
//! when the client has at least [`AUTO_OPERATIONS`] operations.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{Api, Operation, OperationGroup};
use super::{TypeId, TypeKind, TypeSpace};
use crate::load::FeatureSplit;

/// The size from which a client is split by default: 100 operations.
/// Measured in CORPUS.md, the corpus clients of that size take 6 to 85 s
/// to check on 2 cores (median about 25 s), and BENCHMARKS.md 1e measures
/// what one feature saves on ElevenLabs. Smaller clients mostly check in a
/// few seconds, where a list of features would cost the user more thought
/// than it saves time.
pub const AUTO_OPERATIONS: usize = 100;

/// Names a split must not take: the features every generated crate has.
const RESERVED: &[&str] = &[
    "default",
    "full",
    "mock",
    "sse",
    "tracing",
    "tls_aws_lc",
    "tls_ring",
    "webhooks",
];

/// How a client is split into features.
#[derive(Debug, Clone, Default)]
pub struct Split {
    /// The features, in the order the client's groups come.
    pub features: Vec<Feature>,
    /// Each operation's feature (an index into `features`), by `fn_name`.
    by_operation: BTreeMap<String, usize>,
    /// Each type that some features reach, but not all: those features.
    by_type: BTreeMap<TypeId, BTreeSet<usize>>,
}

/// One feature of a split client.
#[derive(Debug, Clone)]
pub struct Feature {
    /// The Cargo feature name: the tag (or path segment) in snake case,
    /// distinct among the features and from the crate's own.
    pub name: String,
    /// The tag it stands for, or `None` for a path segment's group.
    pub tag: Option<String>,
    /// The tag's description.
    pub description: Option<String>,
    /// Its operations' `fn_name`s, in the client's order.
    pub operations: Vec<String>,
}

/// The split of `api`'s client, or `None` when it is not split: `setting`
/// says so, or (`Auto`) it has fewer than [`AUTO_OPERATIONS`] operations,
/// or its operations fall in fewer than two groups.
pub fn split(api: &Api, space: &TypeSpace, setting: FeatureSplit) -> Option<Split> {
    let wanted = match setting {
        FeatureSplit::Off => false,
        FeatureSplit::PerTag => true,
        FeatureSplit::Auto => api.operations.len() >= AUTO_OPERATIONS,
    };
    if !wanted {
        return None;
    }
    let features = groups(api);
    if features.len() < 2 {
        return None;
    }
    let by_operation: BTreeMap<String, usize> = features
        .iter()
        .enumerate()
        .flat_map(|(index, feature)| feature.operations.iter().map(move |op| (op.clone(), index)))
        .collect();
    let by_type = type_features(api, space, &by_operation, features.len());
    Some(Split {
        features,
        by_operation,
        by_type,
    })
}

impl Split {
    /// The name of the feature `op` sits behind.
    pub fn of_operation(&self, op: &Operation) -> &str {
        let index = self.by_operation[&op.fn_name];
        &self.features[index].name
    }

    /// The names of the features that reach type `id`, when some do but
    /// not all; `None` when the type is always compiled.
    pub fn of_type(&self, id: TypeId) -> Option<Vec<&str>> {
        self.by_type.get(&id).map(|features| {
            features
                .iter()
                .map(|index| self.features[*index].name.as_str())
                .collect()
        })
    }

    /// The client's operation groups: one per feature, in feature order.
    pub fn groups<'a>(&'a self, api: &'a Api) -> Vec<OperationGroup<'a>> {
        let by_name: BTreeMap<&str, &Operation> = api
            .operations
            .iter()
            .map(|op| (op.fn_name.as_str(), op))
            .collect();
        self.features
            .iter()
            .map(|feature| OperationGroup {
                tag: feature.tag.as_deref(),
                description: feature.description.as_deref(),
                feature: Some(&feature.name),
                operations: feature
                    .operations
                    .iter()
                    .map(|name| by_name[name.as_str()])
                    .collect(),
            })
            .collect()
    }
}

/// The `[features]` lines a crate holding a split client declares: `full`
/// with every feature, then each feature (empty: it only turns on `cfg`s),
/// with what it stands for. Empty for a client that is not split.
pub fn manifest_lines(features: &[Feature]) -> String {
    if features.is_empty() {
        return String::new();
    }
    let names: Vec<String> = features.iter().map(|f| format!("\"{}\"", f.name)).collect();
    let mut lines = format!(
        "# The client's operations, one feature per tag of the spec; each turns on\n\
         # its operations and the types they use. `full` is all of them.\n\
         full = [{}]\n",
        names.join(", ")
    );
    for feature in features {
        let what = match &feature.tag {
            Some(tag) => format!("tag `{tag}`"),
            None => "untagged, by path".to_string(),
        };
        let count = feature.operations.len();
        let plural = if count == 1 { "" } else { "s" };
        lines.push_str(&format!(
            "{} = []  # {what}, {count} operation{plural}\n",
            feature.name
        ));
    }
    lines
}

/// The features: one per tag group of the client, and for the operations
/// without a tag, one per first path segment.
fn groups(api: &Api) -> Vec<Feature> {
    let fn_names = |ops: &[&Operation]| ops.iter().map(|op| op.fn_name.clone()).collect();
    // Named by their label (the tag or segment) until the names are made.
    let mut features: Vec<Feature> = Vec::new();
    for group in api.operation_groups() {
        match group.tag {
            Some(tag) => features.push(Feature {
                name: tag.to_string(),
                tag: Some(tag.to_string()),
                description: group.description.map(str::to_string),
                operations: fn_names(&group.operations),
            }),
            None => {
                let mut by_segment: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
                for op in &group.operations {
                    by_segment.entry(path_group(&op.path)).or_default().push(op);
                }
                features.extend(by_segment.into_iter().map(|(segment, ops)| Feature {
                    name: segment,
                    tag: None,
                    description: None,
                    operations: fn_names(&ops),
                }));
            }
        }
    }
    let labels: Vec<&str> = features
        .iter()
        .map(|feature| feature.name.as_str())
        .collect();
    let names = crate::ir::names::features::feature_names(&labels, RESERVED);
    for (feature, name) in features.iter_mut().zip(names) {
        feature.name = name;
    }
    features
}

/// The group of an untagged operation: its first path segment that is not
/// a parameter, a version (`v1`, `v2.1`) or `api`; `root` for none.
fn path_group(path: &str) -> String {
    path.split('/')
        .filter(|segment| !segment.is_empty() && !segment.contains('{'))
        .find(|segment| {
            let version = segment.strip_prefix(['v', 'V']).is_some_and(|rest| {
                !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
            });
            !version && !segment.eq_ignore_ascii_case("api")
        })
        .unwrap_or("root")
        .to_string()
}

/// For each type some features reach and others do not, the features that
/// reach it: its operations' parameter, body and response types, and
/// every type those hold. A type that no operation reaches, and every type
/// it holds, is left out: it is always compiled.
fn type_features(
    api: &Api,
    space: &TypeSpace,
    by_operation: &BTreeMap<String, usize>,
    feature_count: usize,
) -> BTreeMap<TypeId, BTreeSet<usize>> {
    let ids = || space.sorted().into_iter().map(|(id, _)| id);
    let mut reached: BTreeMap<TypeId, BTreeSet<usize>> = BTreeMap::new();
    for op in &api.operations {
        let feature = by_operation[&op.fn_name];
        let mut stack: Vec<TypeId> = op.types().collect();
        while let Some(id) = stack.pop() {
            if reached.entry(id).or_default().insert(feature) {
                held_types(space, id, &mut stack);
            }
        }
    }
    // A type no operation reaches (a component the spec lists but no
    // operation names) is always compiled, and so is every type it holds.
    let mut always: BTreeSet<TypeId> = BTreeSet::new();
    let mut stack: Vec<TypeId> = ids().filter(|id| !reached.contains_key(id)).collect();
    while let Some(id) = stack.pop() {
        if always.insert(id) {
            held_types(space, id, &mut stack);
        }
    }
    reached.retain(|id, features| features.len() < feature_count && !always.contains(id));
    reached
}

/// Pushes the types that type `id` holds onto `stack`.
fn held_types(space: &TypeSpace, id: TypeId, stack: &mut Vec<TypeId>) {
    let mut push = |held: TypeId| stack.push(held);
    match &space.get(id).kind {
        TypeKind::Struct(object) => {
            for field in &object.fields {
                field.ty.named(&mut push);
            }
        }
        TypeKind::Union(variants) => {
            for variant in variants {
                variant.ty.named(&mut push);
            }
        }
        TypeKind::Newtype(ty) => ty.named(&mut push),
        TypeKind::Enum(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The split of the `features-per-tag` fixture, `setting` applied.
    fn fixture_split(setting: FeatureSplit) -> (Option<Split>, TypeSpace) {
        let path = crate::test_support::manifest_dir().join("tests/fixtures/features-per-tag.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let document = crate::load::load_str(&path, &text).unwrap();
        let api = crate::ir::model::build(&document).unwrap();
        let space = TypeSpace::new(&api);
        (split(&api, &space, setting), space)
    }

    fn gate<'a>(split: &'a Split, space: &TypeSpace, name: &str) -> Option<Vec<&'a str>> {
        let (id, _) = space
            .sorted()
            .into_iter()
            .find(|(_, def)| def.name == name)
            .unwrap();
        split.of_type(id)
    }

    #[test]
    fn each_type_is_behind_the_features_whose_operations_reach_it() {
        let (split, space) = fixture_split(FeatureSplit::PerTag);
        let split = split.expect("three groups split");
        let names: Vec<&str> = split.features.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["pets", "stores", "health"]);
        assert_eq!(gate(&split, &space, "Pet"), Some(vec!["pets"]));
        assert_eq!(gate(&split, &space, "Owner"), Some(vec!["pets", "stores"]));
        assert_eq!(gate(&split, &space, "Health"), Some(vec!["health"]));
        // Every feature reaches it; no operation reaches it.
        assert_eq!(gate(&split, &space, "Money"), None);
        assert_eq!(gate(&split, &space, "Archived"), None);
        // Only `pets` reaches it, but `Legacy`, always compiled, holds it.
        assert_eq!(gate(&split, &space, "Problem"), None);
    }

    #[test]
    fn a_small_client_is_split_only_when_asked() {
        assert!(fixture_split(FeatureSplit::Auto).0.is_none());
        assert!(fixture_split(FeatureSplit::Off).0.is_none());
    }

    #[test]
    fn untagged_operations_group_by_their_first_meaningful_segment() {
        assert_eq!(path_group("/v1/voices/{id}"), "voices");
        assert_eq!(path_group("/api/v2.1/models"), "models");
        assert_eq!(path_group("/{tenant}/calls"), "calls");
        assert_eq!(path_group("/"), "root");
        assert_eq!(path_group("/vertices"), "vertices");
    }
}
