//! The local development server: serves the output folder over HTTP, keeps
//! every request inside it, and pushes reloads and build errors to open
//! browser tabs through server-sent events.
//!
//! Rebuilding is not done here: the watcher calls [`LiveState::reloaded`] or
//! [`LiveState::failed`] and every connected tab follows. The reload script
//! is injected only into HTML this server sends, never into the files a
//! build writes.

use std::fs;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::Duration;

use anyhow::Context as _;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// URL path of the event stream; chosen so it cannot clash with a page.
pub const EVENTS_PATH: &str = "/__crossbrief/events";

/// How often an idle event stream sends a comment line, so a closed tab's
/// connection is noticed and its thread ends.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// What the open tabs should show: a generation counter that moves on every
/// successful rebuild, and the standing error of the last failed one.
#[derive(Debug, Default)]
pub struct LiveState {
    inner: Mutex<Live>,
    changed: Condvar,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Live {
    generation: u64,
    error: Option<String>,
    stopping: bool,
}

impl LiveState {
    fn lock(&self) -> MutexGuard<'_, Live> {
        // A panic while holding this lock cannot leave `Live` inconsistent
        // (every field is written in one assignment), so poisoning is ignored.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A rebuild succeeded: clear any error and reload every tab.
    pub fn reloaded(&self) {
        let mut live = self.lock();
        live.generation += 1;
        live.error = None;
        self.changed.notify_all();
    }

    /// A rebuild failed: show `message` in an overlay on every tab; the last
    /// good site stays served underneath.
    pub fn failed(&self, message: String) {
        let mut live = self.lock();
        live.generation += 1;
        live.error = Some(message);
        self.changed.notify_all();
    }

    /// Ends every open event stream (the server is shutting down).
    pub fn stop(&self) {
        let mut live = self.lock();
        live.stopping = true;
        self.changed.notify_all();
    }

    /// The current error, if the last build failed.
    pub fn error(&self) -> Option<String> {
        self.lock().error.clone()
    }
}

/// A running server. Dropping it does not stop the listener thread; call
/// [`Server::shutdown`].
pub struct Server {
    http: Arc<tiny_http::Server>,
    live: Arc<LiveState>,
    addr: SocketAddr,
    worker: Option<thread::JoinHandle<()>>,
}

impl Server {
    /// Binds `addr` and serves `root` (the output folder) on a background
    /// thread, one thread per connection.
    pub fn start(root: &Path, addr: SocketAddr, live: Arc<LiveState>) -> anyhow::Result<Server> {
        let http = tiny_http::Server::http(addr)
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        let http = Arc::new(http);
        let addr = http
            .server_addr()
            .to_ip()
            .context("the server is not listening on an IP address")?;
        let root = root.to_path_buf();
        let worker = {
            let http = Arc::clone(&http);
            let live = Arc::clone(&live);
            thread::spawn(move || {
                for request in http.incoming_requests() {
                    let root = root.clone();
                    let live = Arc::clone(&live);
                    thread::spawn(move || {
                        // A client that hangs up mid-response is not an error
                        // worth reporting.
                        let _ = handle(request, &root, &live);
                    });
                }
            })
        };
        Ok(Server {
            http,
            live,
            addr,
            worker: Some(worker),
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections and ends the event streams.
    pub fn shutdown(mut self) {
        self.live.stop();
        self.http.unblock();
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn handle(request: Request, root: &Path, live: &Arc<LiveState>) -> io::Result<()> {
    if !matches!(request.method(), Method::Get | Method::Head) {
        let response = Response::from_string("method not allowed")
            .with_status_code(405)
            .with_header(header("Allow", "GET, HEAD"));
        return request.respond(response);
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/");
    if path == EVENTS_PATH {
        return respond_events(request, live);
    }
    match resolve(root, path) {
        Resolved::File(file) => respond_file(request, &file, StatusCode(200)),
        Resolved::Redirect(location) => {
            request.respond(Response::empty(301).with_header(header("Location", &location)))
        }
        Resolved::Forbidden => {
            request.respond(Response::from_string("forbidden").with_status_code(403))
        }
        Resolved::NotFound => {
            let page = root.join("404.html");
            if page.is_file() {
                respond_file(request, &page, StatusCode(404))
            } else {
                request.respond(Response::from_string("not found").with_status_code(404))
            }
        }
    }
}

/// Where a request path leads inside the output folder.
#[derive(Debug, PartialEq, Eq)]
enum Resolved {
    File(PathBuf),
    /// A folder asked for without its trailing slash: relative links inside
    /// its index.html only work once the browser sees the slash.
    Redirect(String),
    Forbidden,
    NotFound,
}

/// Maps a URL path to a file under `root`, refusing anything that would
/// leave it: `..` segments (plain or percent-encoded), absolute or drive
/// paths, NUL bytes, and symlinks that point outside.
fn resolve(root: &Path, url_path: &str) -> Resolved {
    let Some(decoded) = percent_decode(url_path) else {
        return Resolved::Forbidden;
    };
    if decoded.contains('\0') || decoded.contains('\\') {
        return Resolved::Forbidden;
    }
    let mut rel = PathBuf::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        let part = Path::new(segment);
        match part.components().next() {
            Some(Component::Normal(_)) if part.components().count() == 1 => rel.push(segment),
            Some(Component::CurDir) => {}
            _ => return Resolved::Forbidden,
        }
    }
    let Ok(canonical_root) = root.canonicalize() else {
        return Resolved::NotFound;
    };
    let mut target = canonical_root.join(&rel);
    if target.is_dir() {
        if !decoded.ends_with('/') {
            return Resolved::Redirect(format!("{url_path}/"));
        }
        target.push("index.html");
    }
    match target.canonicalize() {
        Ok(real) if !real.starts_with(&canonical_root) => Resolved::Forbidden,
        Ok(real) if real.is_file() => Resolved::File(real),
        _ => Resolved::NotFound,
    }
}

/// Decodes `%XX` escapes; `None` for malformed escapes or non-UTF-8 results.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn respond_file(request: Request, file: &Path, status: StatusCode) -> io::Result<()> {
    let mime = content_type(file);
    let head = *request.method() == Method::Head;
    let body = match fs::read(file) {
        Ok(body) => body,
        Err(_) => return request.respond(Response::from_string("not found").with_status_code(404)),
    };
    let body = if mime.starts_with("text/html") {
        inject_reload_script(body)
    } else {
        body
    };
    let len = body.len();
    let response = Response::new(
        status,
        vec![
            header("Content-Type", mime),
            header("Cache-Control", "no-store"),
        ],
        io::Cursor::new(if head { Vec::new() } else { body }),
        Some(len),
        None,
    );
    request.respond(response)
}

/// The content type of a file served from the output folder, by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("wasm") => "application/wasm",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// The script every served page gets: listen for reloads, show build errors
/// in an overlay until the next good build (opaque, so the page under it
/// does not show through; a readable measure at any width).
const RELOAD_SCRIPT: &str = r#"<script data-crossbrief-live>(function () {
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "crossbrief-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:#141418;color:#f2f1ec;font:15px/1.6 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;padding:2rem max(1.25rem,calc(50% - 24rem));white-space:pre-wrap;overflow-wrap:anywhere;border-top:4px solid #e5534b";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "crossbrief: the last change did not build; the page shows the last good build.\n\n" + text;
  }
  var source = new EventSource("/__crossbrief/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("error-report", function (e) { show(JSON.parse(e.data)); });
})();</script>"#;

fn inject_reload_script(body: Vec<u8>) -> Vec<u8> {
    let marker = b"</body>";
    let at = body
        .windows(marker.len())
        .rposition(|w| w.eq_ignore_ascii_case(marker))
        .unwrap_or(body.len());
    let mut out = Vec::with_capacity(body.len() + RELOAD_SCRIPT.len());
    out.extend_from_slice(&body[..at]);
    out.extend_from_slice(RELOAD_SCRIPT.as_bytes());
    out.extend_from_slice(&body[at..]);
    out
}

fn respond_events(request: Request, live: &Arc<LiveState>) -> io::Result<()> {
    // Written by hand rather than as a tiny_http `Response`: a response of
    // unknown length is sent chunked, and its encoder holds events back
    // until 8 KiB have accumulated. Each event must reach the tab at once.
    let mut out = request.into_writer();
    out.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
    )?;
    out.flush()?;
    let mut stream = EventStream {
        live: Arc::clone(live),
        seen: None,
    };
    while let Some(bytes) = stream.next_event() {
        out.write_all(&bytes)?;
        out.flush()?;
    }
    Ok(())
}

/// The events of one stream: [`EventStream::next_event`] blocks until the
/// live state moves on, then yields one event. On connect it reports a standing error at once.
struct EventStream {
    live: Arc<LiveState>,
    seen: Option<u64>,
}

impl EventStream {
    fn next_event(&mut self) -> Option<Vec<u8>> {
        let mut live = self.live.lock();
        let Some(seen) = self.seen else {
            self.seen = Some(live.generation);
            let first = match &live.error {
                Some(text) => event("error-report", text),
                None => b"retry: 1000\n\n".to_vec(),
            };
            return Some(first);
        };
        loop {
            if live.stopping {
                return None;
            }
            if live.generation != seen {
                self.seen = Some(live.generation);
                return Some(match &live.error {
                    Some(text) => event("error-report", text),
                    None => event("reload", ""),
                });
            }
            let (guard, timeout) = self
                .live
                .changed
                .wait_timeout(live, HEARTBEAT)
                .unwrap_or_else(|e| e.into_inner());
            live = guard;
            if timeout.timed_out() && live.generation == seen && !live.stopping {
                return Some(b": ping\n\n".to_vec());
            }
        }
    }
}

fn event(name: &str, data: &str) -> Vec<u8> {
    let json = serde_json::to_string(data).expect("a string always serialises to JSON");
    format!("event: {name}\ndata: {json}\n\n").into_bytes()
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("static header names and values are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("site/claims/a")).unwrap();
        fs::write(
            dir.path().join("site/index.html"),
            "<html><body>home</body></html>",
        )
        .unwrap();
        fs::write(dir.path().join("site/claims/a/index.html"), "claim").unwrap();
        fs::write(dir.path().join("site/404.html"), "missing").unwrap();
        fs::write(dir.path().join("secret.txt"), "outside").unwrap();
        dir
    }

    #[test]
    fn resolves_files_folders_and_refuses_escapes() {
        let dir = site();
        let root = dir.path().join("site");
        let real = root.canonicalize().unwrap();
        let cases: &[(&str, Resolved)] = &[
            ("/", Resolved::File(real.join("index.html"))),
            (
                "/claims/a/",
                Resolved::File(real.join("claims/a/index.html")),
            ),
            (
                "/claims/a/index.html",
                Resolved::File(real.join("claims/a/index.html")),
            ),
            ("/claims/a", Resolved::Redirect("/claims/a/".into())),
            (
                "/claims/%61/",
                Resolved::File(real.join("claims/a/index.html")),
            ),
            ("/nope/", Resolved::NotFound),
            ("/../secret.txt", Resolved::Forbidden),
            ("/%2e%2e/secret.txt", Resolved::Forbidden),
            ("/%2E%2E/secret.txt", Resolved::Forbidden),
            ("/claims/%2e%2e/%2e%2e/secret.txt", Resolved::Forbidden),
            ("/..%2fsecret.txt", Resolved::Forbidden),
            ("/..%5csecret.txt", Resolved::Forbidden),
            ("/%00", Resolved::Forbidden),
            ("/%zz", Resolved::Forbidden),
        ];
        for (path, want) in cases {
            assert_eq!(&resolve(&root, path), want, "{path}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_that_leave_the_output() {
        let dir = site();
        let root = dir.path().join("site");
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert_eq!(resolve(&root, "/link.txt"), Resolved::Forbidden);
    }

    #[test]
    fn injects_the_script_before_the_body_end() {
        let out = inject_reload_script(b"<html><body>x</BODY></html>".to_vec());
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("<html><body>x<script data-crossbrief-live>"));
        assert!(text.ends_with("</script></BODY></html>"));
    }

    #[test]
    fn content_types_by_extension() {
        for (file, want) in [
            ("a.html", "text/html; charset=utf-8"),
            ("a.CSS", "text/css; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("x.bin", "application/octet-stream"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(content_type(Path::new(file)), want);
        }
    }

    #[test]
    fn event_stream_reports_errors_then_reloads() {
        let live = Arc::new(LiveState::default());
        live.failed("content/x.md:3: bad".into());
        let mut stream = EventStream {
            live: Arc::clone(&live),
            seen: None,
        };
        let first = String::from_utf8(stream.next_event().unwrap()).unwrap();
        assert_eq!(
            first,
            "event: error-report\ndata: \"content/x.md:3: bad\"\n\n"
        );
        live.reloaded();
        let next = String::from_utf8(stream.next_event().unwrap()).unwrap();
        assert_eq!(next, "event: reload\ndata: \"\"\n\n");
        live.stop();
        assert!(stream.next_event().is_none());
    }
}
