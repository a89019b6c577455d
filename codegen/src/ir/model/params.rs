//! Parameters: location, style, type and Rust name of each, declared or
//! (for a path template's undeclared ones) inferred.

use super::resolve::Place;
use super::responses::is_json;
use super::*;

impl Builder<'_> {
    /// The operation's parameters as arguments, and the value a declared
    /// `Content-Type` header parameter pins ([`Operation::bodiless_content_type`]).
    pub(super) fn params(
        &mut self,
        path: &str,
        stem: &str,
        operation: &SpecOperation,
        path_level_params: &[ReferenceOr<Parameter>],
        at: &str,
    ) -> (Vec<Param>, Option<String>) {
        // Operation-level parameters override path-level ones with the same
        // name and location, as OpenAPI specifies.
        let mut by_key: BTreeMap<(ParamLocation, String), Param> = BTreeMap::new();
        let mut content_type = None;
        let levels = [
            (path_level_params, pointer(["paths", path, "parameters"])),
            (&operation.parameters[..], format!("{at}/parameters")),
        ];
        for (list, list_at) in levels {
            for (index, parameter) in list.iter().enumerate() {
                let param_at = format!("{list_at}/{index}");
                let place = Self::place_of(parameter, "parameters");
                let Some(parameter) = self.resolve_parameter(parameter, &param_at) else {
                    continue;
                };
                if let Some(value) = pinned_content_type(&parameter) {
                    content_type = Some(value);
                }
                if let Some(param) = self.param(&parameter, (&place, stem), &param_at) {
                    by_key.insert((param.location, param.name.to_lowercase()), param);
                }
            }
        }
        let template = PathTemplate::parse(path);
        let template_names: Vec<String> = template.params().map(String::from).collect();
        let mut params: Vec<Param> = by_key.into_values().collect();
        for name in &template_names {
            if !params
                .iter()
                .any(|p| p.location == ParamLocation::Path && &p.name == name)
            {
                let param = self.undeclared_path_param(path, stem, name);
                params.push(param);
            }
        }
        // Arguments: path parameters in template order, then headers, then
        // query parameters, each by name.
        params.sort_by_key(|param| {
            let position = template_names.iter().position(|name| *name == param.name);
            (param.location, position, param.name.clone())
        });
        for param in params.iter().filter(|p| p.location == ParamLocation::Path) {
            if !template_names.contains(&param.name) {
                self.problem(
                    &format!("{at}/parameters"),
                    format!(
                        "path parameter `{}` is not in the path template",
                        param.name
                    ),
                );
            }
        }
        disambiguate_arguments(&mut params);
        (params, content_type)
    }

    /// One parameter of an operation. A type inline in it is hoisted as
    /// `{stem}{Name}`, or, where it is a component's (`place`), once, named
    /// after the component.
    pub(super) fn param(
        &mut self,
        parameter: &Parameter,
        (place, stem): (&Place, &str),
        at: &str,
    ) -> Option<Param> {
        use openapiv3::{PathStyle, QueryStyle};
        let (location, data, style) = match parameter {
            Parameter::Path {
                parameter_data,
                style,
            } => {
                let style = match style {
                    PathStyle::Simple => ParamStyle::Simple,
                    PathStyle::Label => ParamStyle::Label,
                    PathStyle::Matrix => ParamStyle::Matrix,
                };
                (ParamLocation::Path, parameter_data, style)
            }
            Parameter::Header { parameter_data, .. } => {
                (ParamLocation::Header, parameter_data, ParamStyle::Simple)
            }
            Parameter::Query {
                parameter_data,
                style,
                ..
            } => {
                let style = match style {
                    QueryStyle::Form => ParamStyle::Form,
                    QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                    QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                    QueryStyle::DeepObject => ParamStyle::DeepObject,
                };
                (ParamLocation::Query, parameter_data, style)
            }
            // A cookie's only style is `form`; `explode` does not apply to
            // a single `name=value` cookie, so lists are comma-joined.
            Parameter::Cookie { parameter_data, .. } => {
                (ParamLocation::Cookie, parameter_data, ParamStyle::Simple)
            }
        };
        // "If `in` is "header" and the name field is "Accept",
        // "Content-Type" or "Authorization", the parameter definition SHALL
        // be ignored" (OpenAPI 3.0.3 and 3.1, Parameter Object). The client
        // sets the first two from the body and the responses it reads.
        // `Authorization` is kept: specs without a security scheme (keeper)
        // document their credentials only that way, and dropping it would
        // leave their clients no way to authenticate.
        if location == ParamLocation::Header
            && ["accept", "content-type"].contains(&data.name.to_ascii_lowercase().as_str())
        {
            return None;
        }
        let explode = data.explode.unwrap_or(style == ParamStyle::Form);
        if location == ParamLocation::Path && !data.required {
            self.problem(at, "a path parameter must be `required: true`");
        }
        let (schema, json, within) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (schema, false, "/schema".to_string()),
            ParameterSchemaOrContent::Content(content) => {
                let json_schema = content
                    .iter()
                    .find(|(media_type, _)| is_json(media_type))
                    .and_then(|(media_type, media)| Some((media_type, media.schema.as_ref()?)));
                let Some((media_type, schema)) = json_schema else {
                    self.problem(
                        &format!("{at}/content"),
                        "a parameter described by `content` is supported with a JSON media type and its schema",
                    );
                    return None;
                };
                (schema, true, pointer(["content", media_type, "schema"]))
            }
        };
        let resolved = self.resolve_schema(schema, &format!("{at}/schema"))?;
        let kind = match &resolved.schema_kind {
            // Sent as JSON: the engine's type, even for a scalar.
            _ if json => {
                let hoisted = format!("{stem}{}", data.name.to_pascal_case());
                ParamKind::Typed(self.place_schema(schema, place, &within, &hoisted))
            }
            SchemaKind::Type(Type::String(string)) if string.enumeration.is_empty() => {
                match &string.format {
                    VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => ParamKind::Uuid,
                    _ => ParamKind::String,
                }
            }
            SchemaKind::Type(Type::Integer(_)) => ParamKind::Integer,
            SchemaKind::Type(Type::Number(_)) => ParamKind::Number,
            SchemaKind::Type(Type::Boolean(_)) => ParamKind::Boolean,
            // Enums, arrays, objects, compositions: the engine's type.
            _ => {
                let hoisted = format!("{stem}{}", data.name.to_pascal_case());
                ParamKind::Typed(self.place_schema(schema, place, &within, &hoisted))
            }
        };
        let rust_name = param_rust_name(&data.name);
        // A cookie's name is a token too (RFC 6265), the same characters.
        if matches!(location, ParamLocation::Header | ParamLocation::Cookie)
            && !crate::ir::names::is_http_token(&data.name)
        {
            self.problem(
                at,
                format!(
                    "`{}` is not a valid HTTP {} name",
                    data.name,
                    location.name()
                ),
            );
        }
        Some(Param {
            name: data.name.clone(),
            rust_name,
            location,
            required: data.required,
            kind,
            style,
            explode,
            json,
            description: data.description.clone(),
            schema: serde_json::to_value(schema).unwrap_or(Value::Null),
        })
    }

    /// A path parameter the template names but the operation does not
    /// declare (OpenAPI requires it to; Vapi's `DELETE /call/{id}` does
    /// not). Rather than refuse the operation, it is taken from another
    /// operation of the same path that declares it, or else as a string,
    /// and its doc says which.
    pub(super) fn undeclared_path_param(&mut self, path: &str, stem: &str, name: &str) -> Param {
        let spec = self.spec;
        let mut sibling = None;
        if let Some(ReferenceOr::Item(item)) = spec.paths.paths.get(path) {
            'found: for (method, operation) in item.iter() {
                for (index, parameter) in operation.parameters.iter().enumerate() {
                    let at = format!("{}/{method}/parameters/{index}", pointer(["paths", path]));
                    let Some(parameter) = self.resolve_parameter(parameter, &at) else {
                        continue;
                    };
                    if matches!(parameter, Parameter::Path { .. })
                        && parameter.parameter_data_ref().name == name
                    {
                        sibling = Some((method.to_uppercase(), at, parameter));
                        break 'found;
                    }
                }
            }
        }
        let assumption = match &sibling {
            Some((method, _, _)) => format!(
                "not declared by the spec for this operation; declared as `{method} {path}` declares it"
            ),
            None => "not declared by the spec; the path template names it, so it is sent as text"
                .to_string(),
        };
        let declared =
            sibling.and_then(|(_, at, parameter)| self.param(&parameter, (&Place::Own, stem), &at));
        let mut param = declared.unwrap_or_else(|| Param {
            name: name.to_string(),
            rust_name: param_rust_name(name),
            location: ParamLocation::Path,
            required: true,
            kind: ParamKind::String,
            style: ParamStyle::Simple,
            explode: false,
            json: false,
            description: None,
            schema: serde_json::json!({"type": "string"}),
        });
        param.description = Some(match param.description.take() {
            Some(description) => format!("{} ({assumption})", description.trim_end_matches('.')),
            None => format!("{} ({assumption})", "The path parameter"),
        });
        param
    }
}

/// The value a required `Content-Type` header parameter pins: its one
/// `enum` value, or else its `default`, when that is valid header text.
pub(super) fn pinned_content_type(parameter: &Parameter) -> Option<String> {
    let Parameter::Header { parameter_data, .. } = parameter else {
        return None;
    };
    if !parameter_data.required || !parameter_data.name.eq_ignore_ascii_case("content-type") {
        return None;
    }
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &parameter_data.format else {
        return None;
    };
    let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
        return None;
    };
    let value = match string.enumeration.as_slice() {
        [Some(only)] => only.clone(),
        [] => schema.schema_data.default.as_ref()?.as_str()?.to_string(),
        _ => return None,
    };
    let header_text = !value.is_empty() && value.bytes().all(|b| b == b' ' || b.is_ascii_graphic());
    header_text.then_some(value)
}

/// A parameter's argument name: snake case, never a keyword or starting
/// with a digit.
pub(super) fn param_rust_name(name: &str) -> String {
    let mut rust_name = name.to_snake_case();
    if rust_name.is_empty() || rust_name.starts_with(|c: char| c.is_ascii_digit()) {
        rust_name = format!("param_{rust_name}");
    }
    if is_rust_keyword(&rust_name) {
        rust_name.push('_');
    }
    rust_name
}

/// Names the generated method uses itself: an argument must not shadow them.
pub(super) const METHOD_LOCALS: [&str; 3] = ["body", "request", "response"];

/// Makes argument names unique: a parameter named like a method local gets
/// a trailing `_`; parameters whose names meet after snake-casing (`fooBar`
/// and `foo_bar`, or `id` in the path and in the query) get their location
/// appended, then a number. Deterministic: `params` is in a fixed order.
pub(super) fn disambiguate_arguments(params: &mut [Param]) {
    let mut taken: BTreeSet<String> = METHOD_LOCALS.iter().map(|s| s.to_string()).collect();
    for param in params.iter_mut() {
        if !taken.contains(&param.rust_name) {
            taken.insert(param.rust_name.clone());
            continue;
        }
        let location = param.location.name();
        let base = if METHOD_LOCALS.contains(&param.rust_name.as_str()) {
            format!("{}_", param.rust_name)
        } else {
            format!("{}_{location}", param.rust_name)
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while taken.contains(&candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        taken.insert(candidate.clone());
        param.rust_name = candidate;
    }
}
