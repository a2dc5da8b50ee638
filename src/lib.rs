//! trls: the Trial Record Language Server's engine. Data flows one way:
//! text → [`syntax`] tree with spans → [`schema`] validation and [`rules`] →
//! [`diagnostic::Diagnostic`]s with fixes. The command line and the language server
//! are thin shells over [`engine`]; [`render`] turns results into the output formats.

pub mod cache;
pub mod codes;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod format;
pub mod hash;
pub mod ide;
pub mod ids;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod model;
pub mod registry;
pub mod render;
pub mod rules;
pub mod schema;
pub mod severity;
pub mod syntax;
pub mod units;
pub mod workspace;
