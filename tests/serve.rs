//! `crossbrief serve` and `crossbrief watch` end to end: the real binary on a
//! copy of the mini fixture, real HTTP requests (pages, content types, 404,
//! traversal attempts, concurrency), the reload channel (edit, bad edit,
//! fix), and a clean stop on SIGINT.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use support::copy_tree;

mod support;

/// A running `crossbrief serve` or `watch` on a temp copy of the fixture.
struct Running {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    child: Child,
    lines: mpsc::Receiver<String>,
    addr: Option<SocketAddr>,
}

impl Running {
    fn start(subcommand: &str) -> Running {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_tree(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
            &root,
        );
        std::fs::write(tmp.path().join("secret.txt"), "TOP-SECRET-OUTSIDE").unwrap();
        let out = root.join("public");
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_crossbrief"));
        cmd.arg(subcommand).arg("--root").arg(&root);
        if subcommand == "serve" {
            cmd.args(["--port", "0"]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = mpsc::channel();
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut r = Running {
            _tmp: tmp,
            root,
            out,
            child,
            lines,
            addr: None,
        };
        let ready = if subcommand == "serve" {
            "serving "
        } else {
            "watching "
        };
        let line = r.wait_line(ready);
        if let Some(url) = line.split("http://").nth(1) {
            r.addr = Some(url.split('/').next().unwrap().parse().unwrap());
        }
        r
    }

    /// Waits for an output line containing `what`; returns it.
    fn wait_line(&self, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
                if line.contains(what) {
                    return line;
                }
                seen.push(line);
            }
        }
        panic!("no line with {what:?}; saw {seen:#?}");
    }

    fn get(&self, path: &str) -> Reply {
        request(self.addr.unwrap(), path)
    }

    fn claim_file(&self) -> PathBuf {
        self.root.join("content/claims/alpha-2024-quantum/0002.md")
    }

    /// Sends SIGINT and waits for a clean exit.
    fn interrupt(&mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "did not stop on SIGINT");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One HTTP/1.1 GET with the path sent exactly as given (no client-side
/// normalisation, so traversal attempts reach the server as written).
fn request(addr: SocketAddr, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// Reads server-sent events until one named `name` arrives; returns its data.
fn next_event(stream: &mut BufReader<TcpStream>, name: &str) -> String {
    let mut event = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        let n = stream
            .read_line(&mut line)
            .expect("the event stream is open");
        assert!(n > 0, "the event stream ended before `{name}`");
        let l = line.trim_end();
        if let Some(e) = l.strip_prefix("event: ") {
            event = e.to_string();
        } else if let Some(data) = l.strip_prefix("data: ") {
            if event == name {
                return serde_json::from_str(data).unwrap();
            }
        }
    }
}

fn open_events(addr: SocketAddr) -> BufReader<TcpStream> {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET /__crossbrief/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    assert!(line.starts_with("HTTP/1.1 200"), "{line}");
    // The first message says the stream is live.
    loop {
        line.clear();
        r.read_line(&mut line).unwrap();
        if line.starts_with("retry:") {
            return r;
        }
    }
}

#[test]
fn serves_pages_with_types_and_404() {
    let s = Running::start("serve");
    assert!(
        s.addr.unwrap().ip().is_loopback(),
        "binds 127.0.0.1 by default"
    );
    let home = s.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.text().contains("data-crossbrief-live"));
    // The script is injected into served pages only, never into the files.
    let on_disk = std::fs::read_to_string(s.out.join("index.html")).unwrap();
    assert!(!on_disk.contains("data-crossbrief-live"));
    let claim = s.get("/claims/alpha-2024-quantum-0002/");
    assert_eq!(claim.status, 200);
    assert!(claim.text().contains("quantum satellite"));
    let redirect = s.get("/claims/alpha-2024-quantum-0002");
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("Location"),
        Some("/claims/alpha-2024-quantum-0002/")
    );
    for (path, mime) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("Content-Type"), Some(mime), "{path}");
        assert_eq!(r.body, std::fs::read(s.out.join(&path[1..])).unwrap());
    }
    let missing = s.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    let not_found = std::fs::read_to_string(s.out.join("404.html")).unwrap();
    let title = not_found
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap();
    assert!(missing.text().contains(title), "the 404 page is served");
}

#[test]
fn refuses_every_way_out_of_the_output_folder() {
    let s = Running::start("serve");
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        s.root.parent().unwrap().join("secret.txt"),
        s.out.join("link.txt"),
    )
    .unwrap();
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/claims/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/..%5c..%5csecret.txt",
        "/%5c..%5csecret.txt",
        "/..\\secret.txt",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/C:%5cWindows%5cwin.ini",
        "/link.txt",
        "/%00",
    ] {
        let r = s.get(path);
        assert!(
            r.status == 403 || r.status == 404 || r.status == 400,
            "{path}: status {}",
            r.status
        );
        let body = r.text();
        assert!(!body.contains("TOP-SECRET"), "{path} leaked a file");
        assert!(!body.contains("root:"), "{path} leaked /etc/passwd");
    }
}

#[test]
fn answers_fifty_concurrent_requests() {
    let s = Running::start("serve");
    let addr = s.addr.unwrap();
    let want = s.get("/briefs/alpha-2024-quantum/").body;
    let threads: Vec<_> = (0..50)
        .map(|i| {
            std::thread::spawn(move || {
                let path = if i % 2 == 0 {
                    "/briefs/alpha-2024-quantum/"
                } else {
                    "/style.css"
                };
                (i, request(addr, path))
            })
        })
        .collect();
    for t in threads {
        let (i, r) = t.join().unwrap();
        assert_eq!(r.status, 200, "request {i}");
        if i % 2 == 0 {
            assert_eq!(r.body, want, "request {i}");
        }
    }
}

#[test]
fn reload_channel_reports_edits_errors_and_fixes() {
    let s = Running::start("serve");
    let addr = s.addr.unwrap();
    let mut events = open_events(addr);
    let file = s.claim_file();
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace("quantum satellite", "quantum satellite fleet"),
    )
    .unwrap();
    next_event(&mut events, "reload");
    let page = s.get("/claims/alpha-2024-quantum-0002/");
    assert!(page.text().contains("quantum satellite fleet"));
    s.wait_line("pages re-rendered");

    std::fs::write(&file, good.replace("order: 2", "order: [2")).unwrap();
    let report = next_event(&mut events, "error-report");
    assert!(
        report.contains("content/claims/alpha-2024-quantum/0002.md:4:"),
        "{report}"
    );
    s.wait_line("content/claims/alpha-2024-quantum/0002.md:4:");
    // The last good site is still served.
    let page = s.get("/claims/alpha-2024-quantum-0002/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("quantum satellite fleet"));
    // A tab opened now learns of the standing error at once.
    let mut late = TcpStream::connect(addr).unwrap();
    late.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        late,
        "GET /__crossbrief/events HTTP/1.1\r\nHost: {addr}\r\n\r\n"
    )
    .unwrap();
    let report = next_event(&mut BufReader::new(late), "error-report");
    assert!(report.contains("0002.md:4:"));

    std::fs::write(&file, &good).unwrap();
    next_event(&mut events, "reload");
    let page = s.get("/claims/alpha-2024-quantum-0002/");
    assert!(!page.text().contains("quantum satellite fleet"));
    // Ctrl-C ends the open event streams and the server.
    let mut s = s;
    let status = s.interrupt();
    assert!(status.success(), "{status:?}");
    let mut rest = String::new();
    let _ = events.read_to_string(&mut rest);
    assert!(
        TcpStream::connect(addr).is_err(),
        "still listening after Ctrl-C"
    );
}

#[test]
fn watch_rebuilds_and_stops_cleanly_on_sigint() {
    let mut s = Running::start("watch");
    let page = s.out.join("claims/alpha-2024-quantum-0002/index.html");
    let file = s.claim_file();
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, good.replace("quantum satellite", "quantum kite")).unwrap();
    let line = s.wait_line("pages re-rendered");
    assert!(line.contains("0002.md"), "{line}");
    assert!(std::fs::read_to_string(&page)
        .unwrap()
        .contains("quantum kite"));
    // A deleted claim's page goes, with its folder.
    std::fs::remove_file(s.root.join("content/claims/alpha-2024-quantum/0007.md")).unwrap();
    s.wait_line("0007.md:");
    assert!(!s.out.join("claims/alpha-2024-quantum-0007").exists());
    let status = s.interrupt();
    assert!(status.success(), "{status:?}");
    s.wait_line("stopped");
    let leftovers: Vec<_> = std::fs::read_dir(&s.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Sends `bytes` as they are on a fresh connection (a write error is fine:
/// the server may answer and close before reading it all) and reads until
/// the server closes; returns the status and the whole reply.
fn raw(addr: SocketAddr, bytes: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = s.write_all(bytes);
    let mut reply = Vec::new();
    let _ = s.read_to_end(&mut reply);
    let text = String::from_utf8_lossy(&reply).into_owned();
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|t| t.get(..3))
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

#[test]
fn refuses_oversized_and_malformed_requests_and_closes() {
    let s = Running::start("serve");
    let addr = s.addr.unwrap();
    let long_path = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100_000));
    assert_eq!(raw(addr, long_path.as_bytes()).0, 414);
    // A header line that never ends is refused once it passes the limit.
    let endless = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Long: {}",
        "b".repeat(40_000)
    );
    assert_eq!(raw(addr, endless.as_bytes()).0, 431);
    let many = format!(
        "GET / HTTP/1.1\r\nHost: x\r\n{}\r\n",
        "X-A: 1\r\n".repeat(500)
    );
    assert_eq!(raw(addr, many.as_bytes()).0, 431);
    let body = "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n";
    assert_eq!(raw(addr, body.as_bytes()).0, 413);
    for bad in [
        "GARBAGE\r\n\r\n",
        "GET /\r\n\r\n",
        "GET / HTTP/1.1 x\r\nHost: x\r\n\r\n",
        "GET  /  HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /\x7f HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\r\nbroken header\r\n\r\n",
        "\u{0}\u{1}\u{2}\r\n\r\n",
    ] {
        assert_eq!(raw(addr, bad.as_bytes()).0, 400, "{bad:?}");
    }
    assert_eq!(raw(addr, b"GET / HTTP/3.0\r\n\r\n").0, 505);
    let (status, _) = raw(
        addr,
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi",
    );
    assert_eq!(status, 405);
    // An absolute-form target is served from the output folder, whatever
    // its host; it never reaches outside.
    let (status, text) = raw(
        addr,
        b"GET http://evil.example/../../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert_eq!(status, 403, "{text}");
    let (status, text) = raw(
        addr,
        b"GET http://evil.example/style.css HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert_eq!(status, 200, "{text}");
    // A folder asked for with `//` is redirected inside this site, never
    // to the protocol-relative `//claims/...` (another host).
    let r = s.get("//claims//alpha-2024-quantum-0002");
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("Location"),
        Some("/claims/alpha-2024-quantum-0002/")
    );
    // HEAD gets the headers alone.
    let (status, text) = raw(addr, b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(status, 200);
    assert!(text.ends_with("\r\n\r\n"), "{text}");
    assert_eq!(s.get("/").status, 200, "still serving");
}

#[test]
fn keeps_serving_through_idle_slow_and_concurrent_floods() {
    let s = Running::start("serve");
    let addr = s.addr.unwrap();
    let want = s.get("/style.css").body;
    // 1,500 connections that never send a byte.
    let idle: Vec<TcpStream> = (0..1500)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    let r = s.get("/style.css");
    assert_eq!(r.status, 200, "served while 1,500 connections idle");
    assert_eq!(r.body, want);
    // 1,000 connections at once, each with a whole request: every one is
    // answered 200 or refused 503, and each answer is complete.
    let mut open: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(addr).unwrap())
        .collect();
    for c in &mut open {
        c.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        write!(c, "GET /style.css HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    }
    let mut served = 0;
    for (i, mut c) in open.into_iter().enumerate() {
        let mut reply = Vec::new();
        c.read_to_end(&mut reply).unwrap();
        let text = String::from_utf8_lossy(&reply);
        if text.starts_with("HTTP/1.1 200") {
            assert!(reply.ends_with(&want), "reply {i} is cut short");
            served += 1;
        } else {
            assert!(text.starts_with("HTTP/1.1 503"), "reply {i}: {text:?}");
        }
    }
    assert!(served > 0, "none of 1,000 served");
    drop(idle);
    assert_eq!(s.get("/").status, 200, "still serving after the floods");
    // A slow client: half a request head, then nothing. Others are served
    // meanwhile.
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    for _ in 0..20 {
        assert_eq!(s.get("/style.css").status, 200);
    }
    // Its head never completed: it is answered 408 and closed once its
    // time is up.
    slow.set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut reply = String::new();
    let _ = slow.read_to_string(&mut reply);
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply:?}");
}
