//! The record model the rules, the workspace index and the editor features share:
//! typed views over the tree ([`record`]: `Record`, `Arm`, `Intervention`, `Outcome`,
//! `ResultItem`, `Source`), the one table of where ids live and what kind a
//! reference names ([`ids`]), the local-id index and the workspace summary built
//! from that table ([`index`]), and dates ([`date`]). Quantities are read by
//! [`crate::units::quantity`] (re-exported here as [`Quantity`]) and time
//! quantities by [`crate::units::time`].

pub mod date;
pub mod ids;
pub mod index;
pub mod record;
pub mod summary;

pub use crate::units::quantity::Quantity;
pub use crate::units::time::TimeQuantity;
pub use date::Date;
pub use ids::{IdPlace, IdRole, LocalKind, RegistryPlace, Step, ID_PLACES};
pub use index::{Definition, LocalIndex, RecordSummary, Reference};
pub use record::{Arm, Cohort, Intervention, Outcome, Record, ResultItem, SecondaryId, Source};
