//! A PDF source: ingested through `pdftotext` when it is installed, and
//! refused with a clear error, writing nothing, when it is not. The PDF is
//! made here (two pages of Helvetica text: a heading, a paragraph wrapped
//! over two lines with a bracketed marker, a recommendation, page numbers
//! and a notes page).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crossbrief::content::fragment;
use crossbrief::content::taxonomy::Table;
mod support;

const BRIEF: &str = "id: widget-pdf\ntitle: \"Widget Supply Brief\"\npublisher: \"Widget Institute\"\npublished: \"2024-05\"\nsource: widget-pdf.pdf\n";

/// A PDF of `pages`, each a list of lines set 14 points apart.
fn pdf(pages: &[&[&str]]) -> Vec<u8> {
    let esc = |t: &str| {
        t.replace('\\', "\\\\")
            .replace('(', "\\(")
            .replace(')', "\\)")
    };
    let n = pages.len();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut objs = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_string(),
    ];
    for (i, lines) in pages.iter().enumerate() {
        let mut ops = vec!["BT /F1 11 Tf 14 TL 72 740 Td".to_string()];
        for l in *lines {
            ops.push(if l.is_empty() {
                "T*".to_string()
            } else {
                format!("({}) Tj T*", esc(l))
            });
        }
        ops.push("ET".to_string());
        let stream = ops.join("\n");
        objs.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objs.push(format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ));
    }
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (k, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{o}\nendobj\n", k + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objs.len() + 1
    ));
    for o in offsets {
        out.push_str(&format!("{o:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objs.len() + 1
    ));
    out.into_bytes()
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest/unseen/content");
    let content = dir.path().join("content");
    fs::create_dir_all(content.join("briefs")).unwrap();
    fs::create_dir_all(content.join("sources")).unwrap();
    fs::copy(fixture.join("site.yaml"), content.join("site.yaml")).unwrap();
    support::copy_tree(&fixture.join("taxonomy"), &content.join("taxonomy"));
    fs::write(content.join("briefs/widget-pdf.yaml"), BRIEF).unwrap();
    let doc = pdf(&[
        &[
            "Widget Supply Brief",
            "",
            "Introduction",
            "Widget makers depend on a short list of suppliers in three",
            "countries [1]. Most of them have no second source.",
            "",
            "Policy Options",
            "Governments should fund a shared stockpile of widget parts [2].",
            "",
            "",
            "",
            "1",
        ],
        &[
            "Notes",
            "[1] Widget Council, Annual Report 2024.",
            "[2] Ibid.",
            "",
            "2",
        ],
    ]);
    fs::write(content.join("sources/widget-pdf.pdf"), doc).unwrap();
    dir
}

fn ingest(root: &Path, pdftotext: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_crossbrief"));
    cmd.args(["ingest", "widget-pdf", "-q", "--root"]).arg(root);
    if let Some(p) = pdftotext {
        cmd.env("CROSSBRIEF_PDFTOTEXT", p);
    }
    cmd.output().unwrap()
}

fn pdftotext_installed() -> bool {
    Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_pdf_source_ingests_through_pdftotext() {
    if !pdftotext_installed() {
        eprintln!("pdftotext is not installed (poppler-utils): only the error is checked");
        return;
    }
    let site = site();
    let out = ingest(site.path(), None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("2 markers resolved, 0 unresolved"),
        "{stdout}"
    );
    let dir = site.path().join("content/claims/widget-pdf");
    let mut claims: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            fragment::parse(
                &fs::read_to_string(e.unwrap().path()).unwrap(),
                &Table::defaults(),
            )
            .unwrap()
        })
        .collect();
    claims.sort_by_key(|f| f.meta.order);
    let got: Vec<(&str, Vec<String>, Vec<String>, &str)> = claims
        .iter()
        .map(|f| {
            (
                f.body.as_str(),
                f.meta.cites.clone().unwrap_or_default(),
                f.meta.section.clone().unwrap_or_default(),
                f.meta.kind.as_deref().unwrap_or(""),
            )
        })
        .collect();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(
        got,
        vec![
            (
                "Widget makers depend on a short list of suppliers in three countries.",
                s(&["1"]),
                s(&["Introduction"]),
                "claim"
            ),
            (
                "Most of them have no second source.",
                vec![],
                s(&["Introduction"]),
                "claim"
            ),
            (
                "Governments should fund a shared stockpile of widget parts.",
                s(&["2"]),
                s(&["Policy Options"]),
                "recommendation"
            ),
        ]
    );
    let brief = fs::read_to_string(site.path().join("content/briefs/widget-pdf.yaml")).unwrap();
    assert!(
        brief.contains("Widget Council, Annual Report 2024."),
        "{brief}"
    );
}

#[test]
fn a_pdf_source_without_an_extractor_is_a_clear_error() {
    let site = site();
    let out = ingest(site.path(), Some("/nonexistent/pdftotext"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(
            "content/sources/widget-pdf.pdf: the source is a PDF, and no text extractor was found"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("apt-get install poppler-utils"), "{stderr}");
    assert!(!site.path().join("content/claims/widget-pdf").exists());
}
