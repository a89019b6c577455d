//! The `cfg` attributes of a split client ([`crate::ir::features`]): each
//! item behind the features the IR says it needs.

use std::collections::HashMap;

use syn::{Attribute, Item};

use crate::ir::TypeId;
use crate::ir::features::Split;
use crate::ir::model::Operation;

/// The `cfg` attributes of one split, each made once.
pub struct Gates<'a> {
    split: &'a Split,
    made: HashMap<Vec<&'a str>, Attribute>,
}

impl<'a> Gates<'a> {
    pub fn new(split: &'a Split) -> Self {
        Gates {
            split,
            made: HashMap::new(),
        }
    }

    /// `#[cfg(feature = "…")]` for the operation's feature.
    pub fn operation(&mut self, op: &Operation) -> Attribute {
        let name = self.split.of_operation(op);
        self.attribute(vec![name])
    }

    /// The attribute of type `id`: `None` when it is always compiled.
    pub fn type_gate(&mut self, id: TypeId) -> Option<Attribute> {
        let features = self.split.of_type(id)?;
        Some(self.attribute(features))
    }

    fn attribute(&mut self, features: Vec<&'a str>) -> Attribute {
        self.made
            .entry(features)
            .or_insert_with_key(|features| cfg_attr(features))
            .clone()
    }
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`.
fn cfg_attr(features: &[&str]) -> Attribute {
    match features {
        [one] => syn::parse_quote!(#[cfg(feature = #one)]),
        many => syn::parse_quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// Puts `attribute` on `item`, after its doc comment, where hand-written
/// code has it.
pub fn gate(item: &mut Item, attribute: Attribute) {
    if let Some(attrs) = attrs_mut(item) {
        let after_docs = attrs
            .iter()
            .take_while(|attr| attr.path().is_ident("doc"))
            .count();
        attrs.insert(after_docs, attribute);
    }
}

/// `#[allow(unused_imports)]` on every `use` and module of `items`: in a
/// split client an import may serve only items of features that are off.
/// (On a module it covers the module's own `use` block.)
pub fn allow_unused_imports(items: &mut [Item]) {
    for item in items {
        match item {
            Item::Use(import) => import
                .attrs
                .push(syn::parse_quote!(#[allow(unused_imports)])),
            Item::Mod(module) => module
                .attrs
                .push(syn::parse_quote!(#[allow(unused_imports)])),
            _ => {}
        }
    }
}

fn attrs_mut(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Struct(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Const(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        _ => return None,
    })
}
