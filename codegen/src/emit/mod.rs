//! Stage `emit`: syn items from the IR. It reads the [`crate::ir`] type
//! space and the operations, and writes items; it decides no name and no
//! type.
//!
//! - [`types`]: the `types` module, one item per IR type;
//! - [`validate`]: the `Validate` impls of the request types the IR checks;
//! - [`client`]: the `Client`, its methods and error enums;
//! - [`features`]: the `cfg` attributes of a client split into features;
//! - [`file`](mod@file): the file's parts, the client emitted beside the types;
//! - [`webhooks`]: the `webhooks` module of a spec that declares events;
//! - [`imports`]: the absolute paths the others write, shortened, with one
//!   `use` block per module;

pub mod client;
pub mod features;
pub mod file;
pub mod imports;
pub mod syntax;
pub mod types;
pub mod validate;
pub mod webhooks;
