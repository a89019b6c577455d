//! The per-operation enums: each operation's success enum (when its
//! bodies differ), its error enum, and its entry in the operation table.

use super::*;

pub(super) fn error_enum_name(op: &Operation) -> Ident {
    format_ident!("{}Error", op.type_stem)
}

pub(super) fn operation_const_name(op: &Operation) -> Ident {
    ident(op.fn_name.to_uppercase().trim_end_matches('_'))
}

impl Emit<'_> {
    pub(super) fn operation_const(&self, op: &Operation) -> Item {
        let name = operation_const_name(op);
        let method = ident(op.method.as_str());
        let security = slice_ref(
            op.security
                .iter()
                .map(|alternative| slice_ref(alternative.iter().map(int_expr))),
        );
        let idempotent = bool_expr(op.idempotent);
        let holes = Holes::default()
            .ident("__NAME", &name)
            .ident("__METHOD", &method)
            .str("__operation_id", &op.operation_id)
            .str("__path", &op.path)
            .str("__accept", &op.accept)
            .expr("__security", &security)
            .expr("__idempotent", &idempotent);
        self.templates.operation_const.fill(&holes)
    }
}

pub(super) fn success_enum_name(op: &Operation) -> Ident {
    format_ident!("{}Success", op.type_stem)
}

/// The enum of an operation's success responses, for an operation whose
/// 2xx responses carry different bodies; nothing otherwise.
pub(super) fn success_enum(space: &TypeSpace, op: &Operation) -> Option<Item> {
    if op.shared_success_body().is_some() {
        return None;
    }
    let enum_doc = doc(&format!(
        "The documented success responses of [`Client::{}`], which carry different bodies.\n\nNon-exhaustive: a status the spec documents later adds a variant.",
        op.fn_name
    ));
    let variants = op.successes.iter().map(|case| {
        let held = match &case.body {
            SuccessBody::Json { ty } => Some(type_path(space, *ty)),
            SuccessBody::Bytes => Some(path_type("::agent_clients_runtime::Bytes", Vec::new())),
            // Nothing streams in an enum: event streams are their text.
            SuccessBody::Text | SuccessBody::Events => {
                Some(path_type("::std::string::String", Vec::new()))
            }
            SuccessBody::Empty => None,
        };
        variant(
            doc(&status_doc(case.status, &case.description)),
            &case.variant,
            held,
        )
    });
    // The variants hold the bodies as the methods return them; boxing the
    // large ones would change those types, so clippy's size lint is allowed.
    let holds_json = op
        .successes
        .iter()
        .any(|case| matches!(case.body, SuccessBody::Json { .. }));
    let allow = holds_json.then(|| list_attr("allow", quote!(clippy::large_enum_variant)));
    Some(response_enum(
        enum_doc,
        allow,
        &success_enum_name(op),
        variants,
    ))
}

/// A success or error enum: `Clone`, `Debug`, non-exhaustive.
pub(super) fn response_enum(
    mut attrs: Vec<syn::Attribute>,
    allow: Option<syn::Attribute>,
    name: &Ident,
    variants: impl Iterator<Item = syn::Variant>,
) -> Item {
    attrs.push(list_attr("derive", quote!(Clone, Debug)));
    attrs.push(syntax::path_attr("non_exhaustive"));
    attrs.extend(allow);
    syntax::enum_item(attrs, name, variants)
}

/// A variant, holding one value of type `held` if given.
pub(super) fn variant(attrs: Vec<syn::Attribute>, name: &str, held: Option<Type>) -> syn::Variant {
    syntax::variant(attrs, &ident(name), held)
}

/// A variant's doc: its status, then the response's description.
pub(super) fn status_doc(status: StatusMatch, description: &str) -> String {
    let status = match status {
        StatusMatch::Code(code) => format!("Status {code}"),
        StatusMatch::Range(range) => format!("Any {range}xx status"),
        StatusMatch::Default => "Any other status (`default`)".to_string(),
    };
    match description.trim() {
        "" => format!("{status}."),
        description => format!("{status}: {description}"),
    }
}

pub(super) fn error_enum(space: &TypeSpace, op: &Operation) -> Item {
    let enum_doc = doc(&format!(
        "The documented error responses of [`Client::{}`].\n\nNon-exhaustive: vendors document new error statuses, and a new variant must not break a `match`.",
        op.fn_name
    ));
    let variants = op.errors.iter().map(|case| {
        let held = case.ty.map(|ty| type_path(space, ty));
        variant(
            doc(&status_doc(case.status, &case.description)),
            &case.variant,
            held,
        )
    });
    response_enum(enum_doc, None, &error_enum_name(op), variants)
}
