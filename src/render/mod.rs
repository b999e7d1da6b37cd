//! Rendering: the page plan (`plan`), each page kind's context (`pages`),
//! the per-build views and rendered Markdown they borrow (`inputs`), parts
//! rendered once per build (`partials`), page metadata (`meta`), the theme
//! (`theme`), Markdown and highlighting (`markdown`, `highlight`), links
//! made of the URLs in notes (`linkify`), references (`cite`), charts drawn
//! as SVG (`charts`), every
//! URL (`urls`), the files made from the whole model (`feeds`, `data`,
//! `search`), the render-and-write path (`write`) and the link check of a
//! built site (`check`).

pub mod charts;
pub mod check;
pub mod cite;
pub mod data;
pub mod feeds;
pub mod fingerprint;
pub mod highlight;
pub mod inputs;
pub mod linkify;
pub mod markdown;
pub mod meta;
pub mod pages;
pub mod partials;
pub mod plan;
pub mod search;
pub mod theme;
pub mod urls;
pub mod write;
