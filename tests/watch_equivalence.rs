//! Incremental rebuilds equal clean builds: a seeded random sequence of
//! edits, additions, renames and deletions of claims (and edits of a brief,
//! a template and a static file, and bad edits that fail) is applied to a
//! site; after every step the incrementally updated output folder must be
//! byte-identical to a fresh `build` of the same content, and a failed step
//! must fail with the same diagnostics and leave the output untouched.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use crossbrief::build::{self, BuildOptions, Failure};
use crossbrief::serve::session::{SearchStatus, Session};
use crossbrief::serve::watch::{classify, Change};
use support::copy_tree_where;
use walkdir::WalkDir;

mod support;

/// xorshift64*: a small seeded generator, so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

/// Every file (path → bytes) and folder under `dir`.
fn tree(dir: &Path) -> (BTreeMap<String, Vec<u8>>, BTreeSet<String>) {
    let mut files = BTreeMap::new();
    let mut dirs = BTreeSet::new();
    for e in WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
    {
        let rel = e
            .path()
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if e.file_type().is_dir() {
            dirs.insert(rel);
        } else {
            files.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    (files, dirs)
}

fn assert_same_tree(got: &Path, want: &Path, step: &str) {
    let (gf, gd) = tree(got);
    let (wf, wd) = tree(want);
    let gk: BTreeSet<_> = gf.keys().collect();
    let wk: BTreeSet<_> = wf.keys().collect();
    assert_eq!(
        gk.difference(&wk).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "{step}: files only in the incremental output"
    );
    assert_eq!(
        wk.difference(&gk).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "{step}: files missing from the incremental output"
    );
    for (path, bytes) in &wf {
        assert!(
            gf[path] == *bytes,
            "{step}: {path} differs from a clean build"
        );
    }
    assert_eq!(gd, wd, "{step}: folders differ");
}

/// One site being edited, with the paths each step touched.
struct Site {
    root: PathBuf,
    touched: Vec<PathBuf>,
    /// Files broken on purpose, with their good text, restored next step.
    broken: Vec<(PathBuf, Option<String>)>,
    countries: Vec<String>,
    /// Terms of a declared fourth taxonomy, when the fixture has one.
    organisations: Vec<String>,
    serial: usize,
}

impl Site {
    fn claims(&self) -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = WalkDir::new(self.root.join("content/claims"))
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.into_path())
            .collect();
        v.sort();
        v
    }

    fn write(&mut self, p: &Path, text: &str) {
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self.touched.push(p.to_path_buf());
    }

    fn set_line(&mut self, p: &Path, key: &str, value: &str) {
        let text = std::fs::read_to_string(p).unwrap();
        let mut found = false;
        let out: Vec<String> = text
            .lines()
            .map(|l| {
                if !found && l.starts_with(&format!("{key}:")) {
                    found = true;
                    format!("{key}: {value}")
                } else {
                    l.to_string()
                }
            })
            .collect();
        let mut out = out.join("\n");
        out.push('\n');
        self.write(p, &out);
    }

    /// An order no claim of `claim`'s brief folder uses, anywhere among
    /// theirs (so the claim may move anywhere in the brief).
    fn free_order(&self, claim: &Path, rng: &mut Rng) -> usize {
        let used: BTreeSet<usize> = std::fs::read_dir(claim.parent().unwrap())
            .unwrap()
            .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok())
            .filter_map(|t| {
                t.lines().find_map(|l| {
                    l.strip_prefix("order: ")
                        .and_then(|o| o.trim().parse().ok())
                })
            })
            .collect();
        let max = used.iter().max().copied().unwrap_or(0) + 5;
        loop {
            let o = 1 + rng.below(max);
            if !used.contains(&o) {
                return o;
            }
        }
    }

    /// True when another claim names `claim` (by id) in its front matter.
    fn is_referenced(&self, claim: &Path) -> bool {
        let text = std::fs::read_to_string(claim).unwrap();
        let id = text
            .lines()
            .find_map(|l| l.strip_prefix("id: "))
            .unwrap()
            .trim();
        self.claims()
            .iter()
            .filter(|p| p.as_path() != claim)
            .any(|p| std::fs::read_to_string(p).unwrap().contains(id))
    }

    /// One random change; returns its description.
    fn step(&mut self, rng: &mut Rng) -> String {
        self.serial += 1;
        let n = self.serial;
        if let Some((p, text)) = self.broken.pop() {
            match text {
                Some(text) => self.write(&p, &text),
                None => {
                    std::fs::remove_file(&p).unwrap();
                    self.touched.push(p.clone());
                }
            }
            return format!("fix {}", p.display());
        }
        let claims = self.claims();
        let claim = rng.pick(&claims).clone();
        match rng.below(14) {
            0..=2 => {
                let text = std::fs::read_to_string(&claim).unwrap();
                let edited = format!("{} Edit number {n}.\n", text.trim_end());
                self.write(&claim, &edited);
                format!("edit text of {}", claim.display())
            }
            3 if !self.organisations.is_empty() && rng.below(2) == 0 => {
                // A declared taxonomy's key may be absent: add, change or
                // drop it.
                let k = rng.below(3);
                let mut tags: Vec<String> = (0..k)
                    .map(|_| rng.pick(&self.organisations).clone())
                    .collect();
                tags.sort();
                tags.dedup();
                let text = std::fs::read_to_string(&claim).unwrap();
                let kept: Vec<&str> = text
                    .lines()
                    .filter(|l| !l.starts_with("organisations:"))
                    .collect();
                let mut out = String::new();
                for l in kept {
                    if l.starts_with("cites:") && k > 0 {
                        out.push_str(&format!("organisations: [{}]\n", tags.join(", ")));
                    }
                    out.push_str(l);
                    out.push('\n');
                }
                self.write(&claim, &out);
                format!("retag the organisations of {}", claim.display())
            }
            3 => {
                let k = rng.below(3);
                let mut tags: Vec<String> =
                    (0..k).map(|_| rng.pick(&self.countries).clone()).collect();
                tags.sort();
                tags.dedup();
                self.set_line(&claim, "countries", &format!("[{}]", tags.join(", ")));
                format!("retag {}", claim.display())
            }
            4 => {
                let order = self.free_order(&claim, rng);
                self.set_line(&claim, "order", &order.to_string());
                format!("reorder {}", claim.display())
            }
            5 | 6 => {
                let text = std::fs::read_to_string(&claim).unwrap();
                let id_line = text.lines().find(|l| l.starts_with("id: ")).unwrap();
                let new_id = format!("{}-n{n}", &id_line[4..]);
                let text = text.replacen(id_line, &format!("id: {new_id}"), 1);
                let path = claim.with_file_name(format!("n{n}.md"));
                let order = self.free_order(&claim, rng);
                self.write(&path, &text);
                self.set_line(&path, "order", &order.to_string());
                format!("add {}", path.display())
            }
            7 => {
                let to = claim.with_file_name(format!("r{n}.md"));
                std::fs::rename(&claim, &to).unwrap();
                self.touched.push(claim.clone());
                self.touched.push(to.clone());
                format!("rename {} to {}", claim.display(), to.display())
            }
            8 if !self.is_referenced(&claim) => {
                std::fs::remove_file(&claim).unwrap();
                self.touched.push(claim.clone());
                format!("delete {}", claim.display())
            }
            9 => {
                let briefs: Vec<PathBuf> = std::fs::read_dir(self.root.join("content/briefs"))
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect();
                let b = rng.pick(&briefs).clone();
                self.set_line(&b, "title", &format!("\"Retitled brief {n}\""));
                format!("retitle {}", b.display())
            }
            10 => {
                let p = self.root.join("templates/claim.html");
                if p.exists() && rng.below(2) == 0 {
                    std::fs::remove_file(&p).unwrap();
                    self.touched.push(p);
                    "delete the claim template override".into()
                } else {
                    let base = include_str!("../templates/claim.html");
                    // Sometimes show what the built-in templates do not:
                    // related claims' scores, which move on every edit.
                    let extra = if rng.below(2) == 0 {
                        "{% for r in related %}<i>{{ r.score }}</i>{% endfor %}"
                    } else {
                        ""
                    };
                    let text = base.replacen(
                        "</article>",
                        &format!("</article><!-- revision {n} -->{extra}"),
                        1,
                    );
                    self.write(&p, &text);
                    "edit the claim template".into()
                }
            }
            11 => {
                let p = self.root.join("static/extra.css");
                if p.exists() && rng.below(2) == 0 {
                    std::fs::remove_file(&p).unwrap();
                    self.touched.push(p);
                    "delete static/extra.css".into()
                } else {
                    self.write(
                        &p,
                        &format!("/* revision {n} */\nbody {{ margin: {n}px; }}\n"),
                    );
                    "write static/extra.css".into()
                }
            }
            12 => {
                let good = std::fs::read_to_string(&claim).unwrap();
                match rng.below(3) {
                    0 => {
                        self.write(&claim, &good.replacen("order:", "order: [", 1));
                        self.broken.push((claim.clone(), Some(good)));
                        format!("break the YAML of {}", claim.display())
                    }
                    1 => {
                        self.set_line(&claim, "countries", "[atlantis]");
                        self.broken.push((claim.clone(), Some(good)));
                        format!("tag {} with an unknown country", claim.display())
                    }
                    _ => {
                        let p = self.root.join("templates/claim.html");
                        let good = std::fs::read_to_string(&p).ok();
                        self.write(&p, "{% if %}broken");
                        self.broken.push((p, good));
                        "break the claim template".into()
                    }
                }
            }
            _ => {
                // Several files in one batch, as a save-all would.
                let a = rng.pick(&claims).clone();
                let text = std::fs::read_to_string(&a).unwrap();
                self.write(&a, &format!("{} Batch {n}.\n", text.trim_end()));
                let text = std::fs::read_to_string(&claim).unwrap();
                self.write(&claim, &format!("{} Batch {n}, too.\n", text.trim_end()));
                "edit two claims".into()
            }
        }
    }
}

fn run(fixture: &Path, keep: &dyn Fn(&Path) -> bool, seed: u64, steps: usize) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_tree_where(fixture, &root, keep);
    let countries: Vec<String> =
        std::fs::read_to_string(root.join("content/taxonomy/countries.yaml"))
            .unwrap()
            .lines()
            .filter_map(|l| l.strip_prefix("- id: "))
            .map(|s| s.trim().to_string())
            .collect();
    assert!(!countries.is_empty());
    let organisations: Vec<String> =
        std::fs::read_to_string(root.join("content/taxonomy/organisations.yaml"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.strip_prefix("- id: "))
            .map(|s| s.trim().to_string())
            .collect();
    let out = tmp.path().join("public");
    let clean = tmp.path().join("clean");
    let cancel = AtomicBool::new(false);
    let opts = BuildOptions {
        root: root.clone(),
        out: Some(out.clone()),
        base_url: None,
    };
    let mut session = Session::new(opts.clone()).expect("session");
    session.full_build(&cancel).expect("the fixture builds");
    let mut site = Site {
        root: root.clone(),
        touched: Vec::new(),
        broken: Vec::new(),
        countries,
        organisations,
        serial: 0,
    };
    let mut rng = Rng(seed);
    let mut failures = 0;
    let mut deferred = 0;
    for i in 0..steps {
        let what = site.step(&mut rng);
        let step = format!("seed {seed} step {i}: {what}");
        let changes: BTreeSet<Change> = site
            .touched
            .drain(..)
            .filter_map(|p| classify(&root, &p))
            .collect();
        let before = tree(&out);
        // The search index is built after the rebuild returns: wait for it.
        let got = session.apply(&changes, &cancel).and_then(|o| {
            deferred += usize::from(o.search == SearchStatus::Pending);
            session.settle().map(|_| o)
        });
        if clean.exists() {
            std::fs::remove_dir_all(&clean).unwrap();
        }
        let want = build::build(&BuildOptions {
            out: Some(clean.clone()),
            ..opts.clone()
        });
        match (got, want) {
            (Ok(_), Ok(_)) => assert_same_tree(&out, &clean, &step),
            (Err(Failure::Content(a)), Err(Failure::Content(b))) => {
                assert_eq!(a, b, "{step}: different diagnostics");
                eprintln!("{step}: fails: {}", a[0]);
                assert!(
                    tree(&out) == before,
                    "{step}: a failed build changed the output"
                );
                failures += 1;
            }
            (got, want) => panic!(
                "{step}: incremental {:?} but clean build {:?}",
                got.err(),
                want.err()
            ),
        }
    }
    eprintln!(
        "seed {seed}: {} steps built, {failures} failed as expected",
        steps - failures
    );
    assert!(failures > 0, "the sequence never exercised a failing build");
    assert!(deferred > 0, "no rebuild deferred the search index");
    assert!(
        failures * 3 < steps,
        "too few steps built ({failures} of {steps} failed)"
    );
}

#[test]
fn random_edits_of_the_mini_fixture_match_clean_builds() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    for seed in [1, 7, 42] {
        run(&fixture, &|_| true, seed, 60);
    }
}

#[test]
fn random_edits_of_a_site_with_a_fourth_taxonomy_match_clean_builds() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/taxonomies");
    for seed in [3, 11] {
        run(&fixture, &|_| true, seed, 60);
    }
}

#[test]
fn random_edits_of_a_bundled_sample_match_clean_builds() {
    // The bundled briefs with their first 40 claims each: real front matter
    // (chapters, notes, sections), small enough for a debug build per step.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let keep = |rel: &Path| {
        let s = rel.to_string_lossy();
        if !s.starts_with("content") {
            return false;
        }
        let parts: Vec<_> = rel.components().collect();
        if parts.len() == 4 && s.starts_with("content/claims/") {
            let dir = repo.join(parts[0]).join(parts[1]).join(parts[2]);
            let mut names: Vec<_> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            names.sort();
            let name = rel.file_name().unwrap().to_owned();
            return names
                .iter()
                .position(|n| *n == name)
                .is_some_and(|i| i < 40);
        }
        true
    };
    run(repo, &keep, 2026, 25);
}
