//! Helpers shared by the integration test targets (each includes this file
//! with `mod support;`).

#![allow(dead_code)] // each target uses its own subset

use std::path::Path;

use walkdir::WalkDir;

/// Copies the folder tree `from` into `to` (created as needed).
pub fn copy_tree(from: &Path, to: &Path) {
    copy_tree_where(from, to, &|_| true);
}

/// Copies the entries of `from` whose path relative to `from` passes
/// `keep`; a folder that is left out must have its contents left out too.
pub fn copy_tree_where(from: &Path, to: &Path, keep: &dyn Fn(&Path) -> bool) {
    for e in WalkDir::new(from).into_iter().map(|e| e.unwrap()) {
        let rel = e.path().strip_prefix(from).unwrap();
        if !keep(rel) {
            continue;
        }
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}
