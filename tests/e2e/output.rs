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

/// The output folder and what beside it a build leaves (staging, old,
/// lock), by name.
fn leftovers(t: &SiteTest) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(t.out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_site_and_the_next_build_succeeds() {
    use std::time::Instant;
    let t = site().build();
    let old = snapshot(&t.out);
    let t = t.edit(
        "content/claims/alpha-2024-quantum/0002.md",
        "quantum satellite",
        "quantum satellite fleet",
    );
    // How long a whole build takes here, to spread the kills over it.
    let started = Instant::now();
    let t = t.build();
    let whole = started.elapsed();
    let new = snapshot(&t.out);
    assert_ne!(old, new);
    // Back to the old content, then kill builds of the new one.
    let mut t = t.edit(
        "content/claims/alpha-2024-quantum/0002.md",
        "quantum satellite fleet",
        "quantum satellite",
    );
    t = t.build();
    assert_eq!(snapshot(&t.out), old);
    let t = t.edit(
        "content/claims/alpha-2024-quantum/0002.md",
        "quantum satellite",
        "quantum satellite fleet",
    );
    let mut seen_old = 0;
    for i in 0..12 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_crossbrief"))
            .arg("build")
            .current_dir(&t.root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole * i / 10);
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        let now = snapshot(&t.out);
        assert!(
            now == old || now == new,
            "kill {i}: the output is neither the old site nor the new one"
        );
        if now == old {
            seen_old += 1;
            continue;
        }
        // The new site is in: go back to the old one for the next kill.
        let back = |from: &str, to: &str| {
            let p = t.root.join("content/claims/alpha-2024-quantum/0002.md");
            let text = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, text.replace(from, to)).unwrap();
        };
        back("quantum satellite fleet", "quantum satellite");
        let rebuilt = std::process::Command::new(env!("CARGO_BIN_EXE_crossbrief"))
            .arg("build")
            .current_dir(&t.root)
            .output()
            .unwrap();
        assert!(rebuilt.status.success(), "kill {i}: the next build failed");
        assert_eq!(snapshot(&t.out), old, "kill {i}");
        back("quantum satellite", "quantum satellite fleet");
    }
    assert!(seen_old > 0, "no kill landed before the swap");
    // After all that, a build succeeds and leaves nothing beside the output
    // (stale staging folders and locks of the killed builds are gone).
    let t = t.build();
    assert_eq!(snapshot(&t.out), new);
    assert_eq!(leftovers(&t), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn two_builds_at_once_on_one_output_do_not_corrupt_it() {
    let t = site().build();
    let want = snapshot(&t.out);
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_crossbrief"))
            .arg("build")
            .current_dir(&t.root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    for round in 0..4 {
        let (a, b) = (spawn(), spawn());
        for child in [a, b] {
            let out = child.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success() || err.contains("is being built by another"),
                "round {round}: {err}"
            );
        }
        assert_eq!(snapshot(&t.out), want, "round {round}");
        assert_eq!(leftovers(&t), Vec::<String>::new(), "round {round}");
    }
    // A build holding the lock makes a second one stop with a clear message.
    let mut holder = std::process::Command::new("sleep")
        .arg("30")
        .spawn()
        .unwrap();
    std::fs::write(t.root.join(".public.lock"), format!("{}\n", holder.id())).unwrap();
    let t = t.run(&["build"]);
    assert_eq!(t.success, Some(false));
    let t = t.assert_stderr(&format!(
        "is being built by another crossbrief process (pid {}): wait for that build to finish",
        holder.id()
    ));
    assert_eq!(snapshot(&t.out), want);
    // Killed, its lock is stale: the next build takes it over.
    holder.kill().unwrap();
    holder.wait().unwrap();
    let t = t.build();
    assert_eq!(leftovers(&t), Vec::<String>::new());
}
