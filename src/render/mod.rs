//! Rendering: the page plan (`plan`), each page kind's context (`pages`),
//! the per-build views and rendered Markdown they borrow (`inputs`), parts
//! rendered once per build (`partials`), the theme (`theme`), Markdown and
//! highlighting (`markdown`, `highlight`) and every URL (`urls`).

pub mod fingerprint;
pub mod highlight;
pub mod inputs;
pub mod markdown;
pub mod pages;
pub mod partials;
pub mod plan;
pub mod theme;
pub mod urls;
pub mod write;
