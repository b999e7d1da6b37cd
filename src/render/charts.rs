//! Charts drawn at build time as inline SVG: no script, no network, the
//! colours from the stylesheet (so both colour schemes and print apply).
//! Every chart has a `<title>` and a `<desc>` (its text alternative) and
//! every mark links to what it counts, named by its own `<title>`.
//!
//! - [`bars`]: a horizontal bar chart (claims per term, per brief, per
//!   kind);
//! - [`strip`]: one row per taxonomy across a brief in reading order, each
//!   stretch of the brief shaded by the share of its claims that carry a
//!   term of that taxonomy;
//! - [`heatmap`]: a matrix of two taxonomies, each cell shaded by its count
//!   (the stylesheet's `heat-N` classes, shared with the matrix's table).
//!
//! All text is escaped; hrefs are the site's own relative URLs or
//! fragments, escaped too.

use std::fmt::Write;

use crate::render::highlight::escape;

/// One bar: its label, its value and where it leads.
pub struct Bar {
    pub label: String,
    pub value: usize,
    pub href: String,
}

/// Width of the drawing (viewBox units; the stylesheet scales it).
const WIDTH: usize = 400;
/// Room for the labels on the left of the bars.
const LABEL: usize = 150;
/// Room for the value on the right of the longest bar.
const VALUE: usize = 40;
const ROW: usize = 20;
/// Longest label drawn in full, in characters (the link's title has it all).
const LABEL_CHARS: usize = 20;

fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_string()
    } else {
        let cut: String = label.chars().take(LABEL_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A unique-enough id for the chart's title and description, from `key`
/// (a slug-like string: ids of one page must differ).
fn ids(key: &str) -> String {
    key.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Opens a chart's `<svg>` of `class` and size `width` × `height` in `s`:
/// a group labelled by its `<title>` and described by its `<desc>` (ids
/// from `id`), both escaped.
fn open_svg(
    s: &mut String,
    class: &str,
    width: usize,
    height: usize,
    id: &str,
    title: &str,
    desc: &str,
) {
    let _ = write!(
        s,
        "<svg class=\"chart {class}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-labelledby=\"{id}-t\" aria-describedby=\"{id}-d\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        escape(title),
        escape(desc)
    );
}

/// A horizontal bar chart of `bars` (in the order given), `unit` naming
/// what is counted (`claim` → "3 claims"). `key` makes its element ids
/// unique on the page. Empty when there are no bars.
pub fn bars(key: &str, title: &str, desc: &str, unit: &str, bars: &[Bar]) -> String {
    if bars.is_empty() {
        return String::new();
    }
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0).max(1);
    let height = bars.len() * ROW + 4;
    let span = WIDTH - LABEL - VALUE;
    let id = ids(key);
    let mut s = String::with_capacity(200 + bars.len() * 220);
    open_svg(&mut s, "bars", WIDTH, height, &id, title, desc);
    for (i, b) in bars.iter().enumerate() {
        let y = i * ROW + 2;
        let w = (b.value * span).div_ceil(max).max(usize::from(b.value > 0));
        let plural = if b.value == 1 { "" } else { "s" };
        let _ = write!(
            s,
            "<a href=\"{}\"><title>{}: {} {unit}{plural}</title><text class=\"label\" x=\"{}\" y=\"{}\">{}</text><rect x=\"{LABEL}\" y=\"{}\" width=\"{w}\" height=\"{}\"/><text class=\"value\" x=\"{}\" y=\"{}\">{}</text></a>",
            escape(&b.href),
            escape(&b.label),
            b.value,
            LABEL - 6,
            y + 14,
            escape(&short(&b.label)),
            y + 3,
            ROW - 6,
            LABEL + w + 4,
            y + 14,
            b.value,
        );
    }
    s.push_str("</svg>");
    s
}

/// One stretch of a brief in [`strip`]: where it leads (its first claim),
/// what to call it, how many claims it holds and, per row, how many of
/// them count.
pub struct Stretch {
    pub href: String,
    pub label: String,
    pub claims: usize,
    pub hits: Vec<usize>,
}

/// Shading steps of a strip cell (0 = none).
fn step(hits: usize, claims: usize) -> usize {
    if hits == 0 || claims == 0 {
        0
    } else {
        (hits * 4).div_ceil(claims).clamp(1, 4)
    }
}

/// The strip of a brief: `rows` (one per taxonomy, its display name)
/// across `stretches` in reading order. Empty without rows or stretches.
pub fn strip(key: &str, title: &str, desc: &str, rows: &[&str], stretches: &[Stretch]) -> String {
    if rows.is_empty() || stretches.is_empty() {
        return String::new();
    }
    // Wider than a bar chart: it spans the text's measure.
    const WIDTH: usize = 640;
    const NAME: usize = 110;
    const H: usize = 16;
    const GAP: usize = 4;
    let total: usize = stretches.iter().map(|s| s.claims).sum::<usize>().max(1);
    let span = WIDTH - NAME;
    let height = rows.len() * (H + GAP) + 14;
    let id = ids(key);
    let mut s = String::with_capacity(300 + stretches.len() * (120 + rows.len() * 60));
    open_svg(&mut s, "strip", WIDTH, height, &id, title, desc);
    for (r, name) in rows.iter().enumerate() {
        let _ = write!(
            s,
            "<text class=\"label\" x=\"{}\" y=\"{}\">{}</text><rect class=\"track\" x=\"{NAME}\" y=\"{}\" width=\"{span}\" height=\"{H}\"/>",
            NAME - 6,
            r * (H + GAP) + 12,
            escape(&short(name)),
            r * (H + GAP),
        );
    }
    let mut at = 0usize;
    for st in stretches {
        let x0 = NAME + at * span / total;
        at += st.claims;
        let x1 = NAME + at * span / total;
        let w = (x1 - x0).max(1);
        let mut detail = String::new();
        for (r, name) in rows.iter().enumerate() {
            let hits = st.hits.get(r).copied().unwrap_or(0);
            let _ = write!(detail, "; {name}: {hits}");
        }
        let _ = write!(
            s,
            "<a href=\"{}\"><title>{} ({} claim{}{})</title>",
            escape(&st.href),
            escape(&st.label),
            st.claims,
            if st.claims == 1 { "" } else { "s" },
            escape(&detail)
        );
        for r in 0..rows.len() {
            let k = step(st.hits.get(r).copied().unwrap_or(0), st.claims);
            let class = if k == 0 {
                "gap"
            } else {
                ["q1", "q2", "q3", "q4"][k - 1]
            };
            let _ = write!(
                s,
                "<rect class=\"{class}\" x=\"{x0}\" y=\"{}\" width=\"{w}\" height=\"{H}\"/>",
                r * (H + GAP)
            );
        }
        s.push_str("</a>");
    }
    let _ = write!(
        s,
        "<text class=\"axis\" x=\"{NAME}\" y=\"{}\">start</text><text class=\"axis end\" x=\"{WIDTH}\" y=\"{}\">end</text></svg>",
        height - 2,
        height - 2
    );
    s
}

/// A row or column of a [`heatmap`]: its name and where it leads.
pub struct Axis {
    pub label: String,
    pub href: String,
}

/// One cell of a [`heatmap`]: its count, where it leads (none for an empty
/// cell) and its shading step, 0 (empty) to 5.
pub struct HeatCell {
    pub count: usize,
    pub href: Option<String>,
    pub heat: usize,
}

/// A heat map of `cells` (`cells[r][c]` for `rows[r]` and `cols[c]`), the
/// column names written upwards above the cells, the row names on the
/// left, each count in its cell. `noun` names what both taxonomies' terms
/// count (`claim`). Empty without rows or columns.
pub fn heatmap(
    key: &str,
    title: &str,
    desc: &str,
    noun: &str,
    rows: &[Axis],
    cols: &[Axis],
    cells: &[Vec<HeatCell>],
) -> String {
    if rows.is_empty() || cols.is_empty() {
        return String::new();
    }
    const NAME: usize = 130;
    const HEAD: usize = 160;
    const W: usize = 38;
    const H: usize = 26;
    let width = NAME + cols.len() * W + 2;
    let height = HEAD + rows.len() * H + 2;
    let id = ids(key);
    let mut s = String::with_capacity(600 + (rows.len() + 1) * cols.len() * 220);
    open_svg(&mut s, "heatmap-chart", width, height, &id, title, desc);
    for (c, col) in cols.iter().enumerate() {
        let x = NAME + c * W + W / 2 + 4;
        let _ = write!(
            s,
            "<a href=\"{}\"><title>{}</title><text class=\"label col\" transform=\"translate({x} {}) rotate(-90)\">{}</text></a>",
            escape(&col.href),
            escape(&col.label),
            HEAD - 6,
            escape(&short(&col.label)),
        );
    }
    for (r, row) in rows.iter().enumerate() {
        let y = HEAD + r * H;
        let _ = write!(
            s,
            "<a href=\"{}\"><title>{}</title><text class=\"label\" x=\"{}\" y=\"{}\">{}</text></a>",
            escape(&row.href),
            escape(&row.label),
            NAME - 8,
            y + H / 2 + 4,
            escape(&short(&row.label)),
        );
        for (c, col) in cols.iter().enumerate() {
            let Some(cell) = cells.get(r).and_then(|cs| cs.get(c)) else {
                continue;
            };
            let x = NAME + c * W;
            let plural = if cell.count == 1 { "" } else { "s" };
            let mark = format!(
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/><text class=\"count\" x=\"{}\" y=\"{}\">{}</text>",
                x + 1,
                y + 1,
                W - 2,
                H - 2,
                x + W / 2,
                y + H / 2 + 4,
                cell.count
            );
            let heat = cell.heat.min(5);
            match &cell.href {
                Some(href) => {
                    let _ = write!(
                        s,
                        "<a class=\"heat-{heat}\" href=\"{}\"><title>{} and {}: {} {noun}{plural}</title>{mark}</a>",
                        escape(href),
                        escape(&row.label),
                        escape(&col.label),
                        cell.count,
                    );
                }
                None => {
                    let _ = write!(s, "<g class=\"heat-{heat}\">{mark}</g>");
                }
            }
        }
    }
    s.push_str("</svg>");
    s
}

/// Splits `n` items in order into at most `max` stretches of nearly equal
/// size, as ranges.
pub fn stretches(n: usize, max: usize) -> Vec<std::ops::Range<usize>> {
    let k = n.min(max.max(1));
    (0..k).map(|i| (i * n / k)..((i + 1) * n / k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_link_and_escape() {
        let svg = bars(
            "t",
            "Claims <per> term",
            "desc & more",
            "claim",
            &[
                Bar {
                    label: "China".into(),
                    value: 10,
                    href: "china/index.html".into(),
                },
                Bar {
                    label: "A \"very\" long name that will not fit".into(),
                    value: 1,
                    href: "x/index.html?a=1&b=2".into(),
                },
            ],
        );
        assert!(svg.starts_with("<svg class=\"chart bars\""));
        assert!(svg.contains("<title id=\"t-t\">Claims &lt;per&gt; term</title>"));
        assert!(svg.contains("<desc id=\"t-d\">desc &amp; more</desc>"));
        assert!(svg.contains("<a href=\"china/index.html\"><title>China: 10 claims</title>"));
        assert!(svg.contains(&format!("width=\"{}\"", WIDTH - LABEL - VALUE)));
        assert!(svg.contains("href=\"x/index.html?a=1&amp;b=2\""));
        assert!(svg.contains("1 claim</title>"));
        assert!(svg.contains("A &quot;very&quot; long name…"), "{svg}");
        assert!(!svg.contains("\"very\""));
        assert_eq!(bars("t", "x", "y", "claim", &[]), "");
    }

    #[test]
    fn strips_shade_by_share_and_cover_the_width() {
        let st = vec![
            Stretch {
                href: "#a".into(),
                label: "Intro".into(),
                claims: 4,
                hits: vec![4, 0],
            },
            Stretch {
                href: "#b".into(),
                label: "End".into(),
                claims: 4,
                hits: vec![1, 2],
            },
        ];
        let svg = strip("s", "Where", "d", &["Countries", "Policies"], &st);
        assert!(svg
            .contains("<a href=\"#a\"><title>Intro (4 claims; Countries: 4; Policies: 0)</title>"));
        assert!(svg.contains("class=\"q4\""));
        assert!(svg.contains("class=\"gap\""));
        assert!(svg.contains("class=\"q1\""));
        assert!(svg.contains("class=\"q2\""));
        assert!(svg.contains("x=\"375\""), "{svg}");
        assert_eq!(strip("s", "t", "d", &[], &st), "");
        assert_eq!(step(0, 0), 0);
        assert_eq!(step(3, 0), 0);
    }

    #[test]
    fn heatmaps_link_shade_and_escape_their_cells() {
        let axis = |l: &str, h: &str| Axis {
            label: l.into(),
            href: h.into(),
        };
        let rows = [axis("China", "c/index.html"), axis("A <b>", "a/index.html")];
        let cols = [axis("Export controls", "e/index.html")];
        let cells = vec![
            vec![HeatCell {
                count: 7,
                href: Some("c/with/e/index.html".into()),
                heat: 5,
            }],
            vec![HeatCell {
                count: 0,
                href: None,
                heat: 0,
            }],
        ];
        let svg = heatmap("m", "Matrix", "d", "claim", &rows, &cols, &cells);
        assert!(svg.starts_with("<svg class=\"chart heatmap-chart\""));
        assert!(svg.contains(
            "<a class=\"heat-5\" href=\"c/with/e/index.html\"><title>China and Export controls: 7 claims</title>"
        ));
        assert!(svg.contains("<g class=\"heat-0\">"));
        assert!(svg.contains(">A &lt;b&gt;</text>"));
        assert!(!svg.contains("<b>"));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(heatmap("m", "t", "d", "claim", &[], &cols, &cells), "");
    }

    #[test]
    fn stretches_split_evenly() {
        assert_eq!(stretches(0, 10), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(stretches(3, 10), vec![0..1, 1..2, 2..3]);
        let s = stretches(100, 32);
        assert_eq!(s.len(), 32);
        assert_eq!(s[0].start, 0);
        assert_eq!(s[31].end, 100);
        assert!(s.windows(2).all(|w| w[0].end == w[1].start));
    }
}
