//! End-to-end tests: build fixture sites with the real binary and check the
//! produced files, the links between them, and the errors bad content gets.

mod build;
mod errors;
mod golden;
mod harness;
mod hostile;
mod init;
mod output;
mod publish;
mod reading;
#[path = "../support/mod.rs"]
mod support;
mod taxonomies;
mod theme;
mod xref;
