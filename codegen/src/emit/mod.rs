//! Stage `emit`: syn items from the IR. It reads the [`crate::ir`] type
//! space and writes items; it decides no name and no type.

pub mod types;
