//! Responses: the success cases and their bodies, the typed error cases,
//! and the variant names of each status.

use super::resolve::Place;
use super::*;

/// The responses of one operation, as the emitter needs them.
pub(super) struct Responses {
    pub(super) successes: Vec<SuccessCase>,
    pub(super) raw_success: bool,
    pub(super) errors: Vec<ErrorCase>,
    pub(super) accept: String,
}

impl Builder<'_> {
    /// Sorts an operation's responses into the success and the error cases.
    pub(super) fn responses(
        &mut self,
        operation: &SpecOperation,
        type_stem: &str,
        at: &str,
    ) -> Responses {
        let responses_at = format!("{at}/responses");
        let mut cases: Vec<(StatusMatch, &ReferenceOr<Response>)> = operation
            .responses
            .responses
            .iter()
            .map(|(status, response)| {
                let status = match status {
                    StatusCode::Code(code) => StatusMatch::Code(*code),
                    StatusCode::Range(range) => StatusMatch::Range(*range),
                };
                (status, response)
            })
            .collect();
        if let Some(default) = &operation.responses.default {
            cases.push((StatusMatch::Default, default));
        }
        let is_success = |status: StatusMatch| {
            matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2))
        };
        // Without a documented 2xx the method returns the body of any status
        // below 400 as received (see `Operation::raw_success`), so the 1xx
        // and 3xx responses documented there (a `101` upgrade) need no type.
        let raw_success = !cases.iter().any(|(status, _)| is_success(*status));
        let mut out = Responses {
            successes: Vec::new(),
            raw_success,
            errors: Vec::new(),
            accept: String::new(),
        };
        let mut media_types: Vec<String> = Vec::new();
        let mut successes = Vec::new();
        for (status, response) in cases {
            if raw_success
                && matches!(
                    status,
                    StatusMatch::Code(100..=399) | StatusMatch::Range(1 | 3)
                )
            {
                continue;
            }
            let response_at = format!("{responses_at}/{}", status.key());
            let place = Self::place_of(response, "responses");
            let Some(response) = self.resolve_response(response, &response_at) else {
                continue;
            };
            for media_type in response.content.keys() {
                if !media_types.contains(media_type) {
                    media_types.push(media_type.clone());
                }
            }
            if is_success(status) {
                successes.push((status, response, place));
                continue;
            }
            let name = format!("{type_stem}{}", status_variant(status));
            let ty = self.response_body(&response, &place, &name).ty();
            out.errors.push(ErrorCase {
                status,
                variant: status_variant(status),
                ty,
                description: response.description.clone(),
            });
        }
        out.successes = self.success_cases(successes, type_stem);
        out.errors.sort_by_key(|case| case.status);
        out.accept = if raw_success {
            // Whatever the server sends is what the caller gets.
            "*/*".to_string()
        } else {
            self.accept(media_types, &responses_at)
        };
        out
    }

    /// The success cases, exact statuses first. Where all document the same
    /// body it is hoisted once as `{stem}Response`; where they differ, each
    /// distinct inline body is hoisted as `{stem}{Variant}` (`Accepted`).
    pub(super) fn success_cases(
        &mut self,
        mut responses: Vec<(StatusMatch, Response, Place)>,
        type_stem: &str,
    ) -> Vec<SuccessCase> {
        responses.sort_by_key(|(status, _, _)| *status);
        let shapes: Vec<Value> = responses
            .iter()
            .map(|(_, response, _)| body_shape(response))
            .collect();
        let all_same = shapes.windows(2).all(|pair| pair[0] == pair[1]);
        let mut hoisted: Vec<(&Value, SuccessBody)> = Vec::new();
        let mut cases = Vec::new();
        for ((status, response, place), shape) in responses.iter().zip(&shapes) {
            let variant = status_variant(*status);
            let body = match hoisted.iter().find(|(seen, _)| *seen == shape) {
                Some((_, body)) => body.clone(),
                None => {
                    let name = if all_same {
                        format!("{type_stem}Response")
                    } else {
                        format!("{type_stem}{variant}")
                    };
                    let body = self.response_body(response, place, &name);
                    hoisted.push((shape, body.clone()));
                    body
                }
            };
            cases.push(SuccessCase {
                status: *status,
                variant,
                body,
                description: response.description.clone(),
            });
        }
        cases
    }

    /// What a response documents as its body: JSON with a schema is typed
    /// (hoisted as `name` when inline in the operation, shared when inline
    /// in a component, [`Place`]); other media types as [`untyped_body`]
    /// says.
    pub(super) fn response_body(
        &mut self,
        response: &Response,
        place: &Place,
        name: &str,
    ) -> SuccessBody {
        match response
            .content
            .iter()
            .find(|(media_type, _)| is_json(media_type))
        {
            Some((media_type, media)) => match &media.schema {
                Some(schema) => {
                    let within = pointer(["content", media_type, "schema"]);
                    let ty = self.place_schema(schema, place, &within, name);
                    SuccessBody::Json { ty }
                }
                // JSON of no documented shape: kept as received.
                None => SuccessBody::Empty,
            },
            None => untyped_body(response),
        }
    }

    /// The `Accept` header value for these response media types; they must
    /// be valid header text, since the runtime sends them as they are.
    pub(super) fn accept(&mut self, media_types: Vec<String>, at: &str) -> String {
        if media_types.is_empty() {
            return "application/json".to_string();
        }
        let accept = media_types.join(", ");
        self.check_header_text(&accept, at);
        accept
    }

    /// Media types are sent as header values as they are written: they must
    /// be header text.
    pub(super) fn check_header_text(&mut self, text: &str, at: &str) {
        if !text
            .bytes()
            .all(|b| b == b' ' || b == b'\t' || (0x21..0x7f).contains(&b))
        {
            self.problem(
                at,
                format!("the media type `{text}` cannot be sent in an HTTP header"),
            );
        }
    }
}

/// What decides a response's body type, to tell success bodies apart: the
/// JSON schema if there is one, else whether there is content at all.
pub(super) fn body_shape(response: &Response) -> Value {
    let json = response
        .content
        .iter()
        .find(|(media_type, _)| is_json(media_type));
    match json {
        Some((_, media)) if media.schema.is_some() => {
            serde_json::to_value(&media.schema).unwrap_or(Value::Null)
        }
        // JSON of no documented shape is kept as received, like no content.
        Some(_) => Value::from("empty"),
        None => Value::from(format!("{:?}", untyped_body(response))),
    }
}

/// The body of a response without JSON: none, text when every media type
/// is `text/*`, events when every one is `text/event-stream`, else bytes
/// (a mix of kinds has only bytes in common).
pub(super) fn untyped_body(response: &Response) -> SuccessBody {
    let mut kinds = response.content.keys().map(|media| MediaKind::of(media));
    let Some(first) = kinds.next() else {
        return SuccessBody::Empty;
    };
    let same = kinds.all(|kind| kind == first);
    match first {
        MediaKind::Text if same => SuccessBody::Text,
        MediaKind::EventStream if same => SuccessBody::Events,
        _ => SuccessBody::Bytes,
    }
}

pub(super) fn is_json(media_type: &str) -> bool {
    MediaKind::of(media_type) == MediaKind::Json
}

/// The variant name of a status in the success or error enum: `202` is
/// `Accepted`, `404` is `NotFound`.
pub fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => match code {
            200 => "Ok".into(),
            201 => "Created".into(),
            202 => "Accepted".into(),
            203 => "NonAuthoritativeInformation".into(),
            204 => "NoContent".into(),
            205 => "ResetContent".into(),
            206 => "PartialContent".into(),
            207 => "MultiStatus".into(),
            400 => "BadRequest".into(),
            401 => "Unauthorized".into(),
            402 => "PaymentRequired".into(),
            403 => "Forbidden".into(),
            404 => "NotFound".into(),
            405 => "MethodNotAllowed".into(),
            406 => "NotAcceptable".into(),
            408 => "RequestTimeout".into(),
            409 => "Conflict".into(),
            410 => "Gone".into(),
            412 => "PreconditionFailed".into(),
            413 => "PayloadTooLarge".into(),
            415 => "UnsupportedMediaType".into(),
            422 => "UnprocessableEntity".into(),
            429 => "TooManyRequests".into(),
            500 => "InternalServerError".into(),
            501 => "NotImplemented".into(),
            502 => "BadGateway".into(),
            503 => "ServiceUnavailable".into(),
            504 => "GatewayTimeout".into(),
            other => format!("Status{other}"),
        },
        StatusMatch::Range(range) => format!("Status{range}xx"),
        StatusMatch::Default => "Default".into(),
    }
}
