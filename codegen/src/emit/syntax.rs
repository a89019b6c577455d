//! syn nodes built straight from the IR, with no token parse.
//!
//! Emitting `quote!` tokens and parsing them back with syn costs more than
//! everything else the generator does (on nexus, the parse alone was a third
//! of all instructions). So the items whose shape the IR decides (structs,
//! enums, fields, types, attributes) are built here as syn values, and the
//! fixed impls beside them are [`Template`]s: parsed once per thread, then
//! cloned with their placeholders filled in. What prettyplease prints depends
//! only on the syn tree, so the output is the same as that of the parse.

use proc_macro2::{Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{
    AngleBracketedGenericArguments, AttrStyle, Attribute, Expr, ExprLit, GenericArgument, Ident,
    Lit, LitStr, MacroDelimiter, Meta, MetaList, MetaNameValue, Path, PathArguments, PathSegment,
    Type, TypePath, Visibility,
};

/// An identifier; `r#type` is the raw identifier `type`, as `format_ident!`
/// reads it.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The path written `text` (`::std::string::String`, `Self`, `types::Pet`),
/// without generic arguments.
pub fn path(text: &str) -> Path {
    let (leading_colon, rest) = match text.strip_prefix("::") {
        Some(rest) => (Some(Default::default()), rest),
        None => (None, text),
    };
    let segments = rest
        .split("::")
        .map(|segment| PathSegment::from(ident(segment)))
        .collect();
    Path {
        leading_colon,
        segments,
    }
}

/// The type written `text`, its last segment given `args` (`Vec<T>`).
pub fn path_type(text: &str, args: Vec<Type>) -> Type {
    let mut path = path(text);
    if !args.is_empty() {
        let last = path.segments.last_mut().expect("a path has a segment");
        last.arguments = PathArguments::AngleBracketed(AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: args.into_iter().map(GenericArgument::Type).collect(),
            gt_token: Default::default(),
        });
    }
    Type::Path(TypePath {
        attrs: Vec::new(),
        qself: None,
        path,
    })
}

/// `pub`.
pub fn public() -> Visibility {
    Visibility::Public(Default::default())
}

/// `#[doc = "text"]`.
pub fn doc(text: &str) -> Attribute {
    outer(Meta::NameValue(MetaNameValue {
        path: Path::from(Ident::new("doc", Span::call_site())),
        eq_token: Default::default(),
        value: Expr::Lit(ExprLit {
            attrs: Vec::new(),
            lit: Lit::Str(LitStr::new(text, Span::call_site())),
        }),
    }))
}

/// `#[doc = "..."]` for a description, if there is one.
pub fn docs(description: Option<&str>) -> Option<Attribute> {
    description.map(doc)
}

/// `#[doc = " line"]` for each line of `text`, as `///` comments read:
/// the comment's own space before each line that has text.
pub fn doc_lines(text: &str) -> Vec<Attribute> {
    text.trim_end()
        .lines()
        .map(|line| match line {
            "" => doc(""),
            line => doc(&format!(" {line}")),
        })
        .collect()
}

/// The expression naming the variable `name`.
pub fn path_expr(name: &str) -> Expr {
    Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: Path::from(ident(name)),
    })
}

/// `#[name]`.
pub fn path_attr(name: &str) -> Attribute {
    outer(Meta::Path(path(name)))
}

/// A string literal expression.
pub fn str_literal(text: &str) -> Expr {
    lit_expr(Lit::Str(LitStr::new(text, Span::call_site())))
}

/// An unsuffixed integer literal expression (`404`).
pub fn int_expr(value: impl std::fmt::Display) -> Expr {
    lit_expr(Lit::Int(syn::LitInt::new(
        &value.to_string(),
        Span::call_site(),
    )))
}

/// A literal token as an expression, read as syn reads it (`100usize`,
/// `0.5f64`).
pub fn literal_expr(token: proc_macro2::Literal) -> Expr {
    lit_expr(Lit::new(token))
}

/// `true` or `false`.
pub fn bool_expr(value: bool) -> Expr {
    lit_expr(Lit::Bool(syn::LitBool::new(value, Span::call_site())))
}

fn lit_expr(lit: Lit) -> Expr {
    Expr::Lit(ExprLit {
        attrs: Vec::new(),
        lit,
    })
}

/// `&[a, b]`.
pub fn slice_ref(elems: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Default::default(),
        mutability: None,
        expr: Box::new(Expr::Array(syn::ExprArray {
            attrs: Vec::new(),
            bracket_token: Default::default(),
            elems: elems.into_iter().collect(),
        })),
    })
}

/// The argument `name: ty`.
pub fn fn_arg(name: &str, ty: Type) -> syn::FnArg {
    syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: ident(name),
            subpat: None,
        })),
        colon_token: Default::default(),
        ty: Box::new(ty),
    })
}

/// `#[name(tokens)]`: attribute arguments are tokens in syn too, so they are
/// written with `quote!` and never parsed.
pub fn list_attr(name: &str, tokens: TokenStream) -> Attribute {
    outer(Meta::List(MetaList {
        path: path(name),
        delimiter: MacroDelimiter::Paren(Default::default()),
        tokens,
    }))
}

fn outer(meta: Meta) -> Attribute {
    Attribute {
        pound_token: Default::default(),
        style: AttrStyle::Outer,
        bracket_token: Default::default(),
        meta,
    }
}

/// `pub enum name { variants, }`.
pub fn enum_item(
    attrs: Vec<Attribute>,
    name: &Ident,
    variants: impl IntoIterator<Item = syn::Variant>,
) -> syn::Item {
    syn::Item::Enum(syn::ItemEnum {
        attrs,
        vis: public(),
        enum_token: Default::default(),
        ident: name.clone(),
        generics: Default::default(),
        brace_token: Default::default(),
        variants: terminated(variants),
    })
}

/// A variant: a unit, or a tuple holding one value of type `held`.
pub fn variant(attrs: Vec<Attribute>, name: &Ident, held: Option<Type>) -> syn::Variant {
    let fields = match held {
        Some(ty) => syn::Fields::Unnamed(syn::FieldsUnnamed {
            paren_token: Default::default(),
            unnamed: [field(Vec::new(), Visibility::Inherited, None, ty)]
                .into_iter()
                .collect(),
        }),
        None => syn::Fields::Unit,
    };
    syn::Variant {
        attrs,
        ident: name.clone(),
        fields,
        discriminant: None,
    }
}

/// A field: named (`name: ty`) or a tuple's (`ty`).
pub fn field(attrs: Vec<Attribute>, vis: Visibility, name: Option<&str>, ty: Type) -> syn::Field {
    syn::Field {
        attrs,
        vis,
        modifiers: Default::default(),
        colon_token: name.map(|_| Default::default()),
        ident: name.map(ident),
        ty,
        default: None,
    }
}

/// Punctuated from an iterator, each value followed by its punctuation, as
/// a parse of a list with a trailing comma gives.
pub fn terminated<T, P: Default>(values: impl IntoIterator<Item = T>) -> Punctuated<T, P> {
    let mut list = Punctuated::new();
    for value in values {
        list.push_value(value);
        list.push_punct(P::default());
    }
    list
}

/// A syn value parsed once, then copied with its placeholders filled
/// ([`Holes`]): identifiers, single-segment type paths and string literals
/// spelled as a placeholder (`__Name`, `__Inner`, `"__value"`).
pub struct Template<T> {
    tree: T,
}

impl<T: Clone + Walk> Template<T> {
    pub fn new(tree: T) -> Self {
        Template { tree }
    }

    /// A copy with each placeholder of `holes` filled.
    pub fn fill(&self, holes: &Holes<'_>) -> T {
        let mut tree = self.tree.clone();
        tree.walk(&mut Fill(holes));
        tree
    }
}

/// What fills a [`Template`]'s placeholders.
#[derive(Default)]
pub struct Holes<'a> {
    idents: Vec<(&'static str, &'a Ident)>,
    types: Vec<(&'static str, &'a Type)>,
    strs: Vec<(&'static str, &'a str)>,
    exprs: Vec<(&'static str, &'a Expr)>,
}

impl<'a> Holes<'a> {
    pub fn ident(mut self, placeholder: &'static str, with: &'a Ident) -> Self {
        self.idents.push((placeholder, with));
        self
    }

    pub fn ty(mut self, placeholder: &'static str, with: &'a Type) -> Self {
        self.types.push((placeholder, with));
        self
    }

    pub fn str(mut self, placeholder: &'static str, with: &'a str) -> Self {
        self.strs.push((placeholder, with));
        self
    }

    /// An expression spelled as a lone path, `__value`.
    pub fn expr(mut self, placeholder: &'static str, with: &'a Expr) -> Self {
        self.exprs.push((placeholder, with));
        self
    }
}

/// The syn trees a [`Template`] holds.
pub trait Walk {
    fn walk(&mut self, visitor: &mut impl VisitMut);
}

macro_rules! walk {
    ($($ty:ty => $visit:ident),* $(,)?) => {$(
        impl Walk for $ty {
            fn walk(&mut self, visitor: &mut impl VisitMut) {
                visitor.$visit(self);
            }
        }
    )*};
}

walk! {
    syn::Item => visit_item_mut,
    syn::ImplItemFn => visit_impl_item_fn_mut,
    syn::Arm => visit_arm_mut,
    syn::Stmt => visit_stmt_mut,
    Expr => visit_expr_mut,
    Type => visit_type_mut,
}

struct Fill<'h, 'a>(&'h Holes<'a>);

impl VisitMut for Fill<'_, '_> {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if let Some((_, with)) = self.0.idents.iter().find(|(name, _)| ident == name) {
            *ident = (*with).clone();
        }
    }

    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(TypePath {
            qself: None, path, ..
        }) = ty
            && let Some(name) = path.get_ident()
            && let Some((_, with)) = self.0.types.iter().find(|(hole, _)| name == hole)
        {
            *ty = (*with).clone();
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Path(syn::ExprPath {
            qself: None, path, ..
        }) = expr
            && let Some(name) = path.get_ident()
            && let Some((_, with)) = self.0.exprs.iter().find(|(hole, _)| name == hole)
        {
            *expr = (*with).clone();
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_lit_str_mut(&mut self, lit: &mut LitStr) {
        let value = lit.value();
        if let Some((_, with)) = self.0.strs.iter().find(|(hole, _)| value == *hole) {
            *lit = LitStr::new(with, Span::call_site());
        }
    }
}

/// The statements of the block of the `if`, `for` or block statement
/// `statement`, for statements built apart to go in.
pub fn block_mut(statement: &mut syn::Stmt) -> &mut Vec<syn::Stmt> {
    match statement {
        syn::Stmt::Expr(Expr::If(found), _) => &mut found.then_branch.stmts,
        syn::Stmt::Expr(Expr::ForLoop(found), _) => &mut found.body.stmts,
        syn::Stmt::Expr(Expr::Block(found), _) => &mut found.block.stmts,
        _ => unreachable!("the template is an `if`, `for` or block statement"),
    }
}

/// The `match` that ends the first method of a template impl whose last
/// statement is one, for arms built apart to go in.
pub fn only_match(item: &mut syn::Item) -> &mut syn::ExprMatch {
    if let syn::Item::Impl(block) = item {
        for member in &mut block.items {
            if let syn::ImplItem::Fn(function) = member
                && let Some(syn::Stmt::Expr(Expr::Match(found), _)) =
                    function.block.stmts.last_mut()
            {
                return found;
            }
        }
    }
    unreachable!("the template impl ends in a match")
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn text(item: &impl quote::ToTokens) -> String {
        quote!(#item).to_string()
    }

    #[test]
    fn placeholders_are_filled_and_what_fills_them_is_left_alone() {
        let template: Template<syn::Item> = Template::new(syn::parse_quote! {
            impl ::std::convert::From<__Inner> for __Name {
                fn from(value: __Inner) -> Self {
                    Self::__Variant(value, "__value", __arms)
                }
            }
        });
        // Values that spell other placeholders stay as they are given.
        let name = ident("__Variant");
        let variant = ident("r#type");
        let inner = path_type("::std::vec::Vec", vec![path_type("__Name", Vec::new())]);
        let arms = path_expr("__value");
        let holes = Holes::default()
            .ident("__Name", &name)
            .ident("__Variant", &variant)
            .ty("__Inner", &inner)
            .str("__value", "__arms")
            .expr("__arms", &arms);
        assert_eq!(
            text(&template.fill(&holes)),
            text(&quote! {
                impl ::std::convert::From<::std::vec::Vec<__Name> > for __Variant {
                    fn from(value: ::std::vec::Vec<__Name>) -> Self {
                        Self::r#type(value, "__arms", __value)
                    }
                }
            })
        );
    }

    #[test]
    fn built_values_print_as_their_source_parses() {
        let built = syn::Item::Struct(syn::ItemStruct {
            attrs: vec![doc(" A pet."), list_attr("derive", quote!(Clone, Debug))],
            vis: public(),
            struct_token: Default::default(),
            ident: ident("Pet"),
            generics: Default::default(),
            fields: syn::Fields::Named(syn::FieldsNamed {
                brace_token: Default::default(),
                named: terminated([syn::Field {
                    attrs: Vec::new(),
                    vis: public(),
                    modifiers: Default::default(),
                    ident: Some(ident("tags")),
                    colon_token: Some(Default::default()),
                    ty: path_type(
                        "::std::collections::HashMap",
                        vec![
                            path_type("::std::string::String", Vec::new()),
                            path_type("u8", Vec::new()),
                        ],
                    ),
                    default: None,
                }]),
            }),
            semi_token: None,
        });
        let parsed: syn::Item = syn::parse_quote! {
            #[doc = " A pet."]
            #[derive(Clone, Debug)]
            pub struct Pet {
                pub tags: ::std::collections::HashMap<::std::string::String, u8>,
            }
        };
        assert_eq!(text(&built), text(&parsed));
        let printed = |item: syn::Item| crate::print::print_items(vec![item]);
        assert_eq!(printed(built), printed(parsed));
    }
}
