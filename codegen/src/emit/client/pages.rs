//! The `_stream` method of a paginated list operation: every item of
//! every page, each page fetched when reached.

use super::*;

impl Emit<'_> {
    /// The `…_stream` method of a paginated operation: every item, page
    /// after page, each page fetched by the operation's own method when
    /// reached. It takes the method's arguments but the cursor, borrowed
    /// for as long as the pages are read.
    pub(super) fn pages_method(
        &self,
        api: &Api,
        op: &Operation,
        pagination: &Pagination,
        fields: &PageFields,
    ) -> ImplItemFn {
        let fn_name = ident(&pagination.fn_name);
        let error = error_enum_name(op);
        let item = match &fields.item_type {
            crate::ir::Ty::Named(id) => type_path(self.space, *id),
            scalar => crate::emit::types::ty(self.space, scalar),
        };
        let cursor = pagination.position().and_then(|cursor| {
            op.params
                .iter()
                .find(|p| p.location == ParamLocation::Query && p.name == cursor)
                .map(|p| p.rust_name.as_str())
        });
        // What the page is fetched with: the cursor as given, or the
        // offset or page number it spells.
        let position = match pagination.by {
            PageBy::Cursor { .. } | PageBy::Link => quote!(cursor.as_deref()),
            PageBy::Offset { .. } | PageBy::Number { .. } => quote!(position),
        };
        let mut args = Vec::new();
        let mut values = Vec::new();
        for (argument, arg) in op.arguments().iter().zip(self.arguments(op)) {
            if Some(argument.name) == cursor {
                values.push(position.clone());
                continue;
            }
            let mut arg = arg;
            LifetimeA.visit_fn_arg_mut(&mut arg);
            args.push(arg);
            let name = ident(argument.name);
            values.push(quote!(#name));
        }
        let items = ident_or_index(&fields.items);
        let items = if fields.items_optional {
            quote!(page.#items.unwrap_or_default())
        } else {
            quote!(page.#items)
        };
        let method = ident(&op.fn_name);
        let parse_position = quote! {
            let position = cursor.as_deref().and_then(|position| position.parse::<i64>().ok());
        };
        let fetch = match (&pagination.by, &fields.next) {
            (PageBy::Offset { .. }, _) => quote! {
                #parse_position
                let page = self.#method(#(#values),*).await?.into_inner();
                let items = #items;
                let read = i64::try_from(items.len()).unwrap_or(i64::MAX);
                let next = position.unwrap_or(0).saturating_add(read);
                Ok((items, ::std::option::Option::Some(next.to_string())))
            },
            (PageBy::Number { first, .. }, _) => {
                let first = proc_macro2::Literal::i64_unsuffixed(*first);
                quote! {
                #parse_position
                let page = self.#method(#(#values),*).await?.into_inner();
                let next = position.unwrap_or(#first).saturating_add(1);
                Ok((#items, ::std::option::Option::Some(next.to_string())))
                }
            }
            (_, Some((next, presence))) => {
                let next = ident(next);
                let next = match presence {
                    Presence::Required => quote!(::std::option::Option::Some(page.#next)),
                    Presence::Nullable => quote!(page.#next.into_value()),
                    _ => quote!(page.#next),
                };
                quote! {
                    let page = self.#method(#(#values),*).await?.into_inner();
                    Ok((#items, #next))
                }
            }
            // The request as the method builds it, sent to the link the
            // last page named.
            (_, None) => {
                let build = self.build_request(op);
                let arms = self.response_arms(op, true);
                let page_type = type_path(self.space, fields.page_type);
                quote! {
                    #(#build)*
                    let request = match cursor {
                        ::std::option::Option::Some(link) => request.at_link(&self.runtime, &link)?,
                        ::std::option::Option::None => request,
                    };
                    let response = self.runtime.send(request).await?;
                    let next = response.next_link();
                    let page: ::agent_clients_runtime::Response<#page_type> = #arms?;
                    let page = page.into_inner();
                    Ok((#items, next))
                }
            }
        };
        let follows = match &pagination.by {
            PageBy::Cursor { cursor, .. } => format!("the `{cursor}` cursor"),
            PageBy::Offset { offset, .. } => {
                format!("the `{offset}` offset, advanced by the items each page holds")
            }
            PageBy::Number { page, first, .. } => {
                format!("the `{page}` page number, from {first} up")
            }
            PageBy::Link => {
                "the `Link: <…>; rel=\"next\"` header (to the API's own origin only)".to_string()
            }
        };
        let note = format!(
            "Every item of [`Client::{}`]'s pages, as a stream: a page is fetched when the items \
             before it are used up (retried and rate-limited like any call), following {follows}; \
             it ends after an empty page, a page with no next one, a page that names itself next, \
             or an error.",
            op.fn_name
        );
        let mut doc_op = op.clone();
        doc_op
            .params
            .retain(|p| Some(p.rust_name.as_str()) != cursor);
        let method_doc = doc(&method_doc(api, &doc_op, Some(&note)));
        // One per paginated operation, so parsed.
        let mut pages: ImplItemFn = syn::parse_quote! {
            pub fn #fn_name<'a>(
                &'a self,
                #(#args),*
            ) -> ::agent_clients_runtime::Pages<'a, #item, #error> {
                ::agent_clients_runtime::Pages::new(
                    move |cursor: ::std::option::Option<::std::string::String>| async move {
                        #fetch
                    },
                )
            }
        };
        pages.attrs = method_doc;
        pages.attrs.extend(method_attributes(&doc_op));
        if op.deprecated {
            // Calling its deprecated sibling is this method's own business.
            pages.attrs.push(list_attr("allow", quote!(deprecated)));
        }
        pages
    }
}

/// A field by name, or a tuple field by index (`0`).
pub(super) fn ident_or_index(field: &str) -> TokenStream {
    match field.parse::<u32>() {
        Ok(index) => {
            let index = syn::Index::from(index as usize);
            quote!(#index)
        }
        Err(_) => {
            let field = ident(field);
            quote!(#field)
        }
    }
}
