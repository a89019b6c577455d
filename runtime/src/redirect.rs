//! Redirects: whether a hop is followed, and with which method, body and
//! credentials (RFC 9110, section 15.4).
//!
//! reqwest's own policy is off (`redirect::Policy::none()`, set last when
//! the client is built). On a hop to another host it strips `Authorization`,
//! `Cookie` and a few other headers, but knows nothing of API keys in custom
//! headers or the query; and it resends a `PATCH` answered by `302` as a
//! bodiless `GET`, whose `200` would then be decoded as the change's result.

use std::fmt;

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Method, StatusCode, Url};

use super::RedirectPolicy;

/// Where one hop of an attempt goes.
#[derive(Clone, Debug)]
pub(super) struct Hop {
    pub url: Url,
    pub method: Method,
    /// The request body is sent (only `307` and `308` keep it).
    pub body: bool,
    /// Credentials are sent: every hop so far stayed on the origin of the
    /// attempt's first request. Once false, false for the rest of it.
    pub credentials: bool,
    /// Redirects followed before this hop.
    pub followed: u32,
}

impl Hop {
    /// The attempt's first request.
    pub fn first(url: Url, method: Method) -> Hop {
        Hop {
            url,
            method,
            body: true,
            credentials: true,
            followed: 0,
        }
    }
}

/// Why a redirect was not followed ([`Error::Redirect`](super::Error::Redirect)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectRefused {
    /// A `301`, `302` or `303` answered a request other than `GET` or
    /// `HEAD`. Following it would send a bodiless `GET` and report that
    /// `GET`'s answer as this request's result; the request was not carried
    /// out where it was sent.
    MethodChange,
    /// The `Location` is on another origin (scheme, host, port), and
    /// [`RedirectPolicy::allow_cross_origin`] is off.
    CrossOrigin,
    /// The `Location` is `http` and the request was `https`.
    Downgrade,
    /// [`RedirectPolicy::max_redirects`] hops were already followed.
    TooMany,
    /// There is no `Location`, or it is not an `http`/`https` URL.
    NoLocation,
}

impl fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RedirectRefused::MethodChange => {
                "following it would turn the request into a GET, so it was not carried out"
            }
            RedirectRefused::CrossOrigin => {
                "it leads to another origin (RedirectPolicy::allow_cross_origin is off)"
            }
            RedirectRefused::Downgrade => "it leads from https to http",
            RedirectRefused::TooMany => "too many redirects (RedirectPolicy::max_redirects)",
            RedirectRefused::NoLocation => "it has no usable Location",
        })
    }
}

/// What to do with a response.
#[derive(Debug)]
pub(super) enum Next {
    /// It is not a redirect: it is the answer.
    Answer,
    Follow(Hop),
    Refuse {
        refused: RedirectRefused,
        /// The `Location`, resolved against the request URL where it can
        /// be, else as sent.
        location: Option<String>,
    },
}

/// Decides what follows `status` and `headers`, the answer to `hop` of an
/// attempt whose first request went to `first`.
pub(super) fn next(
    policy: &RedirectPolicy,
    first: &Url,
    hop: &Hop,
    status: StatusCode,
    headers: &HeaderMap,
) -> Next {
    let keeps_method = match status.as_u16() {
        301..=303 => false,
        307 | 308 => true,
        _ => return Next::Answer,
    };
    let text = headers
        .get(LOCATION)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let url = text
        .as_deref()
        .and_then(|text| hop.url.join(text).ok())
        .filter(|url| matches!(url.scheme(), "http" | "https"));
    let location = url.as_ref().map(Url::to_string).or(text);
    let refuse = |refused| Next::Refuse {
        refused,
        location: location.clone(),
    };
    let retrieval = matches!(hop.method, Method::GET | Method::HEAD);
    if !keeps_method && !retrieval {
        return refuse(RedirectRefused::MethodChange);
    }
    let Some(url) = url else {
        return refuse(RedirectRefused::NoLocation);
    };
    if hop.followed >= policy.max_redirects {
        return refuse(RedirectRefused::TooMany);
    }
    if hop.url.scheme() == "https" && url.scheme() == "http" {
        return refuse(RedirectRefused::Downgrade);
    }
    let same_origin = url.origin() == first.origin();
    if !same_origin && !policy.cross_origin {
        return refuse(RedirectRefused::CrossOrigin);
    }
    Next::Follow(Hop {
        url,
        // A `303` asks for a retrieval; a `HEAD` stays one. `301` and `302`
        // reach here only for `GET` and `HEAD`, which they keep.
        method: if status == StatusCode::SEE_OTHER && hop.method != Method::HEAD {
            Method::GET
        } else {
            hop.method.clone()
        },
        body: keeps_method && hop.body,
        credentials: hop.credentials && same_origin,
        followed: hop.followed + 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    fn answer(
        method: Method,
        status: u16,
        location: Option<&str>,
        policy: &RedirectPolicy,
    ) -> Next {
        let first = url("https://api.example/v1/agents/1");
        let mut headers = HeaderMap::new();
        if let Some(location) = location {
            headers.insert(LOCATION, location.parse().unwrap());
        }
        let hop = Hop::first(first.clone(), method);
        next(
            policy,
            &first,
            &hop,
            StatusCode::from_u16(status).unwrap(),
            &headers,
        )
    }

    fn refused(next: Next) -> RedirectRefused {
        match next {
            Next::Refuse { refused, .. } => refused,
            other => panic!("followed or answered: {other:?}"),
        }
    }

    #[test]
    fn a_change_is_never_turned_into_a_get() {
        let policy = RedirectPolicy::default();
        for method in [Method::POST, Method::PATCH, Method::PUT, Method::DELETE] {
            for status in [301, 302, 303] {
                let next = answer(method.clone(), status, Some("/v1/agents/2"), &policy);
                assert_eq!(
                    refused(next),
                    RedirectRefused::MethodChange,
                    "{method} {status}"
                );
            }
            // Even without a Location: it is never the request's result.
            let next = answer(method.clone(), 302, None, &policy);
            assert_eq!(refused(next), RedirectRefused::MethodChange);
        }
    }

    #[test]
    fn temporary_and_permanent_redirects_keep_method_and_body_on_the_same_origin() {
        let policy = RedirectPolicy::default();
        for status in [307, 308] {
            let Next::Follow(hop) = answer(Method::PATCH, status, Some("/v2/agents/1"), &policy)
            else {
                panic!("{status} not followed");
            };
            assert_eq!(hop.method, Method::PATCH);
            assert!(hop.body && hop.credentials);
            assert_eq!(hop.url.as_str(), "https://api.example/v2/agents/1");
            assert_eq!(hop.followed, 1);
        }
    }

    #[test]
    fn retrievals_follow_every_redirect_status_and_see_other_becomes_get() {
        let policy = RedirectPolicy::default();
        for (method, status, expected) in [
            (Method::GET, 301, Method::GET),
            (Method::GET, 302, Method::GET),
            (Method::HEAD, 303, Method::HEAD),
            (Method::GET, 303, Method::GET),
        ] {
            let Next::Follow(hop) = answer(method, status, Some("/x"), &policy) else {
                panic!("{status} not followed");
            };
            assert_eq!(hop.method, expected);
            assert!(!hop.body);
        }
        assert!(matches!(
            answer(Method::GET, 304, Some("/x"), &policy),
            Next::Answer
        ));
        assert!(matches!(
            answer(Method::GET, 200, None, &policy),
            Next::Answer
        ));
    }

    #[test]
    fn other_origins_and_downgrades_are_refused_by_default() {
        let policy = RedirectPolicy::default();
        for location in ["https://evil.example/v1", "https://api.example:8443/v1"] {
            let next = answer(Method::GET, 307, Some(location), &policy);
            assert_eq!(refused(next), RedirectRefused::CrossOrigin, "{location}");
        }
        let open = RedirectPolicy::default().allow_cross_origin(true);
        for policy in [&policy, &open] {
            let next = answer(Method::GET, 307, Some("http://api.example/v1"), policy);
            assert_eq!(refused(next), RedirectRefused::Downgrade);
        }
        let Next::Follow(hop) = answer(Method::PATCH, 307, Some("https://other.example/a"), &open)
        else {
            panic!("not followed");
        };
        assert!(!hop.credentials, "credentials must not cross origins");
        assert!(hop.body);
    }

    #[test]
    fn credentials_stay_off_once_an_attempt_left_its_origin() {
        let open = RedirectPolicy::default().allow_cross_origin(true);
        let first = url("https://api.example/a");
        let away = Hop {
            url: url("https://other.example/b"),
            method: Method::GET,
            body: false,
            credentials: false,
            followed: 1,
        };
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, "https://api.example/c".parse().unwrap());
        let Next::Follow(back) = next(&open, &first, &away, StatusCode::FOUND, &headers) else {
            panic!("not followed");
        };
        assert!(!back.credentials);
    }

    #[test]
    fn hops_are_limited_and_bad_locations_named() {
        let none = RedirectPolicy::none();
        let next = answer(Method::GET, 302, Some("/x"), &none);
        assert_eq!(refused(next), RedirectRefused::TooMany);
        let policy = RedirectPolicy::default();
        let next = answer(Method::GET, 302, Some("ftp://files.example/x"), &policy);
        let Next::Refuse {
            refused: why,
            location,
        } = next
        else {
            panic!("followed");
        };
        assert_eq!(why, RedirectRefused::NoLocation);
        assert_eq!(location.as_deref(), Some("ftp://files.example/x"));
        let next = answer(Method::GET, 302, None, &policy);
        assert_eq!(refused(next), RedirectRefused::NoLocation);
    }
}
