//! Credentials: from environment variables named per vendor, or from a
//! TOML file the fleet file names; the environment wins. Values are held as
//! `runtime::Secret` from the moment they are read, so nothing here can
//! print them.

use std::collections::BTreeMap;
use std::path::Path;

use agent_clients::portable::Vendor;
use agent_clients::runtime::Secret;

/// The environment variable, and the credentials-file key, of a vendor's
/// credential; `None` for Selise Blocks, whose docs show no authentication.
pub fn names(vendor: Vendor) -> Option<(&'static str, &'static str)> {
    match vendor {
        Vendor::Ravan => Some(("AGENTCTL_RAVAN_API_KEY", "ravan_api_key")),
        Vendor::Ayra => Some(("AGENTCTL_AYRA_TOKEN", "ayra_token")),
        Vendor::Supervisor => Some(("AGENTCTL_SUPERVISOR_TOKEN", "supervisor_token")),
        _ => None,
    }
}

/// The credentials found, by vendor.
#[derive(Default)]
pub struct Credentials(BTreeMap<Vendor, Secret>);

impl Credentials {
    /// Reads the environment, then `file` (when given) for what the
    /// environment does not set.
    pub fn load(file: Option<&Path>) -> Result<Credentials, String> {
        let from_file: BTreeMap<String, String> = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|error| {
                    format!(
                        "cannot read the credentials file {}: {error}",
                        path.display()
                    )
                })?;
                // The parser's message would quote the offending line, which
                // may hold a secret: only its position is passed on.
                toml::from_str(&text).map_err(|error: toml::de::Error| {
                    let at = error
                        .span()
                        .map(|span| {
                            format!(" at line {}", text[..span.start].matches('\n').count() + 1)
                        })
                        .unwrap_or_default();
                    format!(
                        "{}{at}: not a TOML table of strings ({})",
                        path.display(),
                        Vendor::ALL
                            .iter()
                            .filter_map(|vendor| names(*vendor).map(|(_, key)| key))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?
            }
            None => BTreeMap::new(),
        };
        let mut found = BTreeMap::new();
        for vendor in Vendor::ALL {
            let Some((variable, key)) = names(vendor) else {
                continue;
            };
            let value = std::env::var(variable)
                .ok()
                .filter(|value| !value.is_empty())
                .or_else(|| from_file.get(key).cloned());
            if let Some(value) = value {
                found.insert(vendor, Secret::from(value));
            }
        }
        Ok(Credentials(found))
    }

    pub fn get(&self, vendor: Vendor) -> Option<Secret> {
        self.0.get(&vendor).cloned()
    }
}
