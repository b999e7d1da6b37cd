//! `crossbrief serve` and `crossbrief watch`: the development server with
//! live reload (`server`) and the file watcher that drives rebuilds.

pub mod server;
pub mod watch;
