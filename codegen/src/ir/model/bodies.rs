//! Request bodies: each media type's kind (JSON, form, multipart, text,
//! bytes) and the named type it carries.

use super::resolve::Place;
use super::*;

impl Builder<'_> {
    /// The request body: of the media types offered, JSON is preferred,
    /// then a form, then `multipart/form-data`, then text, then any other
    /// but multipart as bytes. The other media types offered are the
    /// alternatives (`Operation::alternatives`), in the same order; one
    /// whose shape is undocumented (a typed kind without a schema) is left
    /// out, since nothing could type it.
    pub(super) fn body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        stem: &str,
        at: &str,
    ) -> Option<(Body, Vec<Body>)> {
        let place = Self::place_of(body, "requestBodies");
        let body = self.resolve_component(body, "requestBodies", |c| &c.request_bodies, at)?;
        let content_at = format!("{at}/content");
        // The variants of `MediaKind` are in order of preference; among the
        // same kind, the order offered (the sort is stable).
        let mut offered: Vec<(MediaKind, &String, &MediaType)> = body
            .content
            .iter()
            .map(|(media_type, media)| (MediaKind::of(media_type), media_type, media))
            .filter(|(kind, _, _)| *kind != MediaKind::OtherMultipart)
            .collect();
        offered.sort_by_key(|(kind, _, _)| *kind);
        let Some(&(kind, media_type, media)) = offered.first() else {
            let offered: Vec<&str> = body.content.keys().map(String::as_str).collect();
            let message = if offered.is_empty() {
                "the request body documents no media type".to_string()
            } else {
                format!(
                    "of the multipart request bodies only `multipart/form-data` is supported; this one is {}",
                    offered.join(", ")
                )
            };
            self.problem(&content_at, message);
            return None;
        };
        let mut hoisted = Vec::new();
        let main = self.body_as(
            kind,
            media_type,
            media,
            body.required,
            (&place, stem),
            &content_at,
            &mut hoisted,
        )?;
        let mut alternatives = Vec::new();
        for &(kind, media_type, media) in &offered[1..] {
            let typed = matches!(
                kind,
                MediaKind::Json | MediaKind::Form | MediaKind::MultipartForm
            );
            if typed && media.schema.is_none() {
                continue;
            }
            let alternative = self.body_as(
                kind,
                media_type,
                media,
                body.required,
                (&place, stem),
                &content_at,
                &mut hoisted,
            )?;
            alternatives.push(alternative);
        }
        Some((main, alternatives))
    }

    /// The body as one media type. An inline schema is hoisted as
    /// `{stem}Body` (numbered when taken), once for every media type that
    /// documents the same one (`hoisted`); one inline in a component
    /// (`place`) is shared, named after it.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn body_as<'m>(
        &mut self,
        media_kind: MediaKind,
        media_type: &str,
        media: &'m MediaType,
        required: bool,
        (place, stem): (&Place, &str),
        content_at: &str,
        hoisted: &mut Vec<(&'m ReferenceOr<Schema>, crate::ir::TypeId)>,
    ) -> Option<Body> {
        self.check_header_text(media_type, content_at);
        let mut typed = |this: &mut Self| {
            let Some(schema) = &media.schema else {
                this.problem(
                    content_at,
                    format!("the {media_type} request body has no schema"),
                );
                return None;
            };
            if let Some((_, ty)) = hoisted.iter().find(|(seen, _)| *seen == schema) {
                return Some(*ty);
            }
            let within = pointer(["content", media_type, "schema"]);
            let ty = this.place_schema(schema, place, &within, &format!("{stem}Body"));
            hoisted.push((schema, ty));
            Some(ty)
        };
        let kind = match media_kind {
            MediaKind::Json => BodyKind::Json { ty: typed(self)? },
            MediaKind::Form => BodyKind::Form { ty: typed(self)? },
            MediaKind::MultipartForm => {
                let ty = typed(self)?;
                let component = self.components.name(ty).unwrap_or_default().to_string();
                let parts =
                    crate::ir::multipart::parts(&mut self.schemas, &component, &media.encoding);
                BodyKind::Multipart { ty, parts }
            }
            MediaKind::Text | MediaKind::EventStream => BodyKind::Text,
            MediaKind::Binary | MediaKind::OtherMultipart => BodyKind::Bytes,
        };
        Some(Body {
            required,
            media_type: media_type.to_string(),
            kind,
        })
    }
}
