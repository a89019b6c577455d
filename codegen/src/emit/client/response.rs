//! Reading a response: one match arm per documented status, typed
//! successes and errors, and the status patterns they match.

use super::*;

/// The statuses exact in the spec, which a range's arm leaves out so that
/// no two arms overlap.
pub(super) fn exact_statuses(op: &Operation) -> Vec<u16> {
    op.successes
        .iter()
        .map(|case| case.status)
        .chain(op.errors.iter().map(|case| case.status))
        .filter_map(|status| match status {
            StatusMatch::Code(code) => Some(code),
            _ => None,
        })
        .collect()
}

impl Emit<'_> {
    /// The `match` on the status of a `response` read whole: the successes
    /// (unless they were streamed), specific error statuses and ranges, then
    /// (without a documented 2xx) any other non-error status as raw bytes,
    /// then `default` or the fallback.
    pub(super) fn response_arms(&self, op: &Operation, with_successes: bool) -> Expr {
        let t = self.templates;
        let exact = exact_statuses(op);
        let error = error_enum_name(op);
        let mut arms = Vec::new();
        if with_successes {
            arms.extend(
                op.successes
                    .iter()
                    .filter_map(|case| self.success_arm(op, case, &exact)),
            );
        }
        let (default_arm, error_arms): (Vec<_>, Vec<_>) = op
            .errors
            .iter()
            .partition(|case| case.status == StatusMatch::Default);
        arms.extend(error_arms.into_iter().filter_map(|case| {
            let pattern = status_pattern(case.status, &exact)?;
            Some(arm(pattern, self.error_value(&error, case)))
        }));
        if with_successes && op.raw_success {
            arms.push(arm(range_pat(100, 399), t.bytes.clone()));
        }
        let fallback = match default_arm.first() {
            Some(case) => self.error_value(&error, case),
            None => t.unexpected.clone(),
        };
        if arms.is_empty() {
            // A lone `_` arm is no `match` at all.
            return fallback;
        }
        let mut status_match = t
            .status_match
            .fill(&Holes::default().expr("__fallback", &fallback));
        if let Expr::Match(found) = &mut status_match {
            found.arms.splice(0..0, arms);
        }
        status_match
    }

    pub(super) fn success_arm(
        &self,
        op: &Operation,
        case: &SuccessCase,
        exact: &[u16],
    ) -> Option<Arm> {
        let t = self.templates;
        let pattern = status_pattern(case.status, exact)?;
        let decode = if op.shared_success_body().is_some() {
            match &case.body {
                SuccessBody::Json { .. } => t.decode.clone(),
                SuccessBody::Bytes => t.bytes.clone(),
                SuccessBody::Text => t.text.clone(),
                // Streamed: never read whole.
                SuccessBody::Events => return None,
                SuccessBody::Empty => t.empty.clone(),
            }
        } else {
            let variant = ident(&case.variant);
            let success_enum = success_enum_name(op);
            let holes = Holes::default()
                .ident("__Enum", &success_enum)
                .ident("__Variant", &variant);
            match &case.body {
                SuccessBody::Json { .. } => t.decode_into.fill(&holes),
                SuccessBody::Bytes => t.bytes_into.fill(&holes),
                SuccessBody::Text | SuccessBody::Events => t.text_into.fill(&holes),
                SuccessBody::Empty => t.empty_as.fill(&holes),
            }
        };
        Some(arm(pattern, decode))
    }

    /// The `Err` of a documented error status, its body typed.
    pub(super) fn error_value(&self, error: &Ident, case: &ErrorCase) -> Expr {
        let variant = ident(&case.variant);
        let holes = Holes::default()
            .ident("__Error", error)
            .ident("__Variant", &variant);
        match &case.ty {
            Some(_) => self.templates.api_error_typed.fill(&holes),
            None => self.templates.api_error_unit.fill(&holes),
        }
    }

    /// The text of a header or cookie parameter's value: a `&str` as it is,
    /// a `content` (JSON) value as its JSON, another typed value in the
    /// `simple` style, any other kind formatted.
    pub(super) fn text_value(&self, param: &Param, value: &Expr) -> Expr {
        let t = self.templates;
        let holes = Holes::default()
            .str("__wire", &param.name)
            .expr("__value", value);
        match param.kind {
            ParamKind::Typed(_) if param.json => t.json_text.fill(&holes),
            ParamKind::String => value.clone(),
            ParamKind::Typed(_) => {
                let explode = bool_expr(param.explode);
                t.header_text.fill(&holes.expr("__explode", &explode))
            }
            _ => t.to_string.fill(&holes),
        }
    }
}

/// `pattern => body,`.
pub(super) fn arm(pat: Pat, body: Expr) -> Arm {
    Arm {
        attrs: Vec::new(),
        pat,
        fat_arrow_token: Default::default(),
        body: Box::new(body),
        comma: Some(Default::default()),
    }
}

/// The closure that tells `send_streaming` which statuses stream: the
/// successes (any status below 400 where the spec documents none). No
/// error status is a 2xx, so a success range streams whole.
pub(super) fn streamed_statuses(op: &Operation) -> Expr {
    let literal = proc_macro2::Literal::u16_unsuffixed;
    let range = |low: u16, high: u16| {
        let (low, high) = (literal(low), literal(high));
        quote!((#low..=#high).contains(&status))
    };
    let tests: Vec<TokenStream> = if op.raw_success {
        vec![range(100, 399)]
    } else {
        op.successes
            .iter()
            .filter_map(|case| match case.status {
                StatusMatch::Code(code) => {
                    let code = literal(code);
                    Some(quote!(status == #code))
                }
                StatusMatch::Range(hundreds) => Some(range(hundreds * 100, hundreds * 100 + 99)),
                StatusMatch::Default => None,
            })
            .collect()
    };
    // Small and rare (a body of bytes or events), so parsed.
    syn::parse_quote!(|status| #(#tests)||*)
}

/// The `match` pattern of a status: `404`, `_`, or a range without the
/// `exact` statuses in it (`400..=403 | 405..=499`); `None` for a range they
/// cover whole.
pub(super) fn status_pattern(status: StatusMatch, exact: &[u16]) -> Option<Pat> {
    Some(match status {
        StatusMatch::Code(code) => lit_pat(code),
        StatusMatch::Range(range) => {
            let mut pieces = Vec::new();
            let mut low = range * 100;
            let mut claimed: Vec<u16> = exact
                .iter()
                .copied()
                .filter(|code| code / 100 == range)
                .collect();
            claimed.sort_unstable();
            claimed.dedup();
            for code in claimed.into_iter().chain([range * 100 + 100]) {
                match code - low {
                    0 => {}
                    1 => pieces.push(lit_pat(low)),
                    _ => pieces.push(range_pat(low, code - 1)),
                }
                low = code + 1;
            }
            match pieces.len() {
                0 => return None,
                1 => pieces.pop().expect("one piece"),
                _ => Pat::Or(syn::PatOr {
                    attrs: Vec::new(),
                    leading_vert: None,
                    cases: pieces.into_iter().collect(),
                }),
            }
        }
        StatusMatch::Default => Pat::Wild(syn::PatWild {
            attrs: Vec::new(),
            underscore_token: Default::default(),
        }),
    })
}

/// The pattern `404`.
pub(super) fn lit_pat(code: u16) -> Pat {
    match int_expr(code) {
        Expr::Lit(lit) => Pat::Lit(lit),
        _ => unreachable!("an integer literal"),
    }
}

/// The pattern `400..=499`.
pub(super) fn range_pat(low: u16, high: u16) -> Pat {
    Pat::Range(syn::ExprRange {
        attrs: Vec::new(),
        start: Some(Box::new(int_expr(low))),
        limits: syn::RangeLimits::Closed(Default::default()),
        end: Some(Box::new(int_expr(high))),
    })
}

/// One path parameter's text in the path, encoded.
#[cfg(test)]
mod status_pattern_tests {
    use super::*;

    pub(super) fn pattern(status: StatusMatch, exact: &[u16]) -> Option<String> {
        status_pattern(status, exact).map(|pat| quote!(#pat).to_string())
    }

    #[test]
    pub(super) fn ranges_leave_out_the_exact_statuses_beside_them() {
        let range = StatusMatch::Range(4);
        assert_eq!(pattern(range, &[]).unwrap(), "400 ..= 499");
        assert_eq!(
            pattern(range, &[404, 401, 200, 404]).unwrap(),
            "400 | 402 ..= 403 | 405 ..= 499"
        );
        assert_eq!(pattern(range, &[400, 499]).unwrap(), "401 ..= 498");
        let all: Vec<u16> = (400..500).collect();
        assert_eq!(pattern(range, &all), None);
        assert_eq!(pattern(StatusMatch::Code(404), &[404]).unwrap(), "404");
        assert_eq!(pattern(StatusMatch::Default, &[]).unwrap(), "_");
    }
}
