//! The output folder: a build refuses to write where it would destroy the
//! user's work (the site root, content/, templates/, static/, folders that
//! are not a previous output), builds a symlinked output at the link's
//! target, and can rebuild the same folder again and again.

use std::collections::BTreeMap;
use std::path::Path;

use crate::harness::SiteTest;

/// Every file under `dir`, symbolic links included (not followed), as
/// relative path → contents (a link's contents are its target).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let bytes = if e.path_is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
                    .into_bytes()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (rel, bytes)
        })
        .collect()
}

/// The mini site with a template override and a static file of its own, so
/// every protected folder holds something to lose.
fn site() -> SiteTest {
    SiteTest::fixture("mini")
        .write("templates/README.txt", "my template notes\n")
        .write("static/extra.css", "body { color: red }\n")
}

fn refused(out: &str, message: &str) {
    let t = site();
    let before = snapshot(&t.root);
    assert!(before.keys().any(|k| k.starts_with("content/claims/")));
    let t = t.run(&["build", "--out", out]);
    assert_eq!(
        t.success,
        Some(false),
        "--out {out} accepted:\n{}",
        t.stdout
    );
    let t = t
        .assert_stderr("refusing to build into")
        .assert_stderr(message)
        .assert_stderr("choose an output folder such as ./public");
    assert_eq!(snapshot(&t.root), before, "--out {out} changed the site");
}

#[test]
fn refuses_the_content_folder() {
    refused("content", "it is the site's content/ folder");
}

#[test]
fn refuses_a_folder_inside_content() {
    refused("content/claims", "it is inside the site's content/ folder");
    refused(
        "./content/../content/claims",
        "inside the site's content/ folder",
    );
}

#[test]
fn refuses_templates_and_static() {
    refused("templates", "it is the site's templates/ folder");
    refused("static", "it is the site's static/ folder");
}

#[test]
fn refuses_the_site_root() {
    refused(".", "it is the site root");
    refused("..", "it holds the site root");
}

#[test]
fn refuses_a_folder_that_is_not_an_output() {
    let t = site().write("notes/todo.txt", "keep me\n");
    let before = snapshot(&t.root);
    let t = t.run(&["build", "--out", "notes"]);
    assert_eq!(t.success, Some(false));
    let t = t
        .assert_stderr("refusing to replace notes")
        .assert_stderr("not a crossbrief output")
        .assert_stderr(".crossbrief-output");
    assert_eq!(snapshot(&t.root), before);
}

#[test]
fn builds_twice_into_the_same_folder() {
    let t = site()
        .build()
        .assert_file(".crossbrief-output")
        .assert_file("index.html")
        .edit(
            "content/site.yaml",
            "term_page_size: 2\n",
            "term_page_size: 3\n",
        )
        .build()
        .assert_file("index.html")
        .assert_file("countries/china/page/2/index.html")
        .assert_no_file("countries/china/page/3/index.html");
    let leftovers: Vec<String> = std::fs::read_dir(&t.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // An empty folder made by hand is fine too.
    let t = site();
    std::fs::create_dir(t.root.join("public")).unwrap();
    t.build().assert_file("index.html");
}

#[cfg(unix)]
#[test]
fn symlinked_output_is_built_at_its_target() {
    let t = site();
    let outside = t.root.parent().unwrap().to_path_buf();
    let target = outside.join("www");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("mine.txt"), "not a site\n").unwrap();
    std::fs::write(outside.join("beside.txt"), "beside\n").unwrap();
    std::os::unix::fs::symlink(&target, &t.out).unwrap();
    // The target holds unrelated files: refused, nothing touched.
    let before = snapshot(&outside);
    let t = t.run(&["build"]);
    assert_eq!(t.success, Some(false), "{}", t.stdout);
    let t = t.assert_stderr("refusing to replace ./public (which resolves to");
    assert_eq!(snapshot(&outside), before);
    // Once the target is empty, the site is built there, twice, and the
    // link survives pointing at it.
    std::fs::remove_file(target.join("mine.txt")).unwrap();
    let t = t.build().build().assert_file("index.html");
    assert!(t.out.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_link(&t.out).unwrap(), target);
    assert!(target.join(".crossbrief-output").is_file());
    assert!(target.join("index.html").is_file());
    assert_eq!(
        std::fs::read_to_string(outside.join("beside.txt")).unwrap(),
        "beside\n"
    );
    let mut names: Vec<String> = std::fs::read_dir(&outside)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["beside.txt", "site", "www"]);
}
