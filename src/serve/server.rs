//! The local development server: serves the output folder over HTTP, keeps
//! every request inside it, and pushes reloads and build errors to open
//! browser tabs through server-sent events.
//!
//! Rebuilding is not done here: the watcher calls [`LiveState::reloaded`] or
//! [`LiveState::failed`] and every connected tab follows. The reload script
//! is injected only into HTML this server sends, never into the files a
//! build writes.

use std::collections::{HashMap, VecDeque};
use std::fs;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream as MioStream};
use mio::{Events, Interest, Poll, Token, Waker};

use super::http::{self, Head, HeadBuf, Request, Status};

/// URL path of the event stream; chosen so it cannot clash with a page.
pub const EVENTS_PATH: &str = "/__crossbrief/events";

/// How often an idle event stream sends a comment line, so a closed tab's
/// connection is noticed and its thread ends.
const HEARTBEAT: Duration = Duration::from_secs(15);

/// Threads answering requests (reading a file, writing the response).
pub const WORKERS: usize = 16;

/// Connections whose request head has not fully arrived, at most; past it
/// the oldest is closed to make room, so a flood of idle connections never
/// keeps a new client out.
pub const MAX_WAITING: usize = 2048;

/// Requests read and waiting for a worker, at most; past it a request is
/// answered 503 at once.
pub const MAX_QUEUED: usize = 2048;

/// Open event streams (one per browser tab), at most; each holds a thread.
pub const MAX_STREAMS: usize = 64;

/// How long a client has to send its whole request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one write of a response may block on a client that does not read.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a refused connection is read and discarded before it is closed,
/// so the client gets the refusal rather than a reset.
const LINGER: Duration = Duration::from_secs(2);

const LISTENER: Token = Token(0);
const WAKER: Token = Token(1);

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

/// A running server. Dropping it does not stop it; call
/// [`Server::shutdown`].
///
/// One thread reads request heads from every connection at once (mio): a
/// client that sends nothing, or sends slowly, costs a socket and a buffer
/// until [`HEAD_TIMEOUT`], never a thread. Complete requests go to a fixed
/// pool of [`WORKERS`]; event streams get a thread each, up to
/// [`MAX_STREAMS`]. Every response closes its connection.
pub struct Server {
    live: Arc<LiveState>,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    waker: Arc<Waker>,
    acceptor: Option<thread::JoinHandle<()>>,
}

/// What the workers share.
struct Shared {
    root: PathBuf,
    live: Arc<LiveState>,
    /// Requests queued or being answered.
    queued: AtomicUsize,
    /// Open event streams.
    streams: AtomicUsize,
}

/// A request whose head has arrived, for a worker.
struct Job {
    stream: TcpStream,
    request: Request,
}

impl Server {
    /// Binds `addr` and serves `root` (the output folder) on background
    /// threads. Fails (never panics) if the address cannot be bound or no
    /// thread can be started.
    pub fn start(root: &Path, addr: SocketAddr, live: Arc<LiveState>) -> anyhow::Result<Server> {
        let mut listener =
            TcpListener::bind(addr).map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        let addr = listener.local_addr()?;
        let poll = Poll::new()?;
        poll.registry()
            .register(&mut listener, LISTENER, Interest::READABLE)?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
        let shared = Arc::new(Shared {
            root: root.to_path_buf(),
            live: Arc::clone(&live),
            queued: AtomicUsize::new(0),
            streams: AtomicUsize::new(0),
        });
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let mut started = 0;
        let mut spawn_error = None;
        for i in 0..WORKERS {
            let queue = Arc::clone(&queue);
            let shared = Arc::clone(&shared);
            match thread::Builder::new()
                .name(format!("http-worker-{i}"))
                .spawn(move || work(&queue, &shared))
            {
                Ok(_) => started += 1,
                Err(e) => spawn_error = Some(e),
            }
        }
        if started == 0 {
            let e = spawn_error.map(|e| e.to_string()).unwrap_or_default();
            anyhow::bail!("cannot start the server's threads: {e}");
        }
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let stop = Arc::clone(&stop);
            let mut acceptor = Acceptor {
                poll,
                listener,
                conns: HashMap::new(),
                order: VecDeque::new(),
                next: 2,
                jobs,
                shared,
            };
            thread::Builder::new()
                .name("http-acceptor".into())
                .spawn(move || acceptor.run(&stop))
                .map_err(|e| anyhow::anyhow!("cannot start the server's thread: {e}"))?
        };
        Ok(Server {
            live,
            addr,
            stop,
            waker,
            acceptor: Some(acceptor),
        })
    }

    /// The address actually bound (useful with port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections (the listener is closed when this
    /// returns) and ends the event streams.
    pub fn shutdown(mut self) {
        self.live.stop();
        self.stop.store(true, Ordering::SeqCst);
        let _ = self.waker.wake();
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// A connection whose head is being read, or a refused one being drained.
struct Conn {
    stream: MioStream,
    head: HeadBuf,
    deadline: Instant,
    draining: bool,
}

/// The thread that accepts connections and reads their heads.
struct Acceptor {
    poll: Poll,
    listener: TcpListener,
    conns: HashMap<Token, Conn>,
    /// Tokens in the order they were accepted (some may be gone already).
    order: VecDeque<Token>,
    next: usize,
    jobs: mpsc::Sender<Job>,
    shared: Arc<Shared>,
}

impl Acceptor {
    fn run(&mut self, stop: &AtomicBool) {
        let mut events = Events::with_capacity(1024);
        let mut last_sweep = Instant::now();
        while !stop.load(Ordering::SeqCst) {
            if let Err(e) = self
                .poll
                .poll(&mut events, Some(Duration::from_millis(250)))
            {
                if e.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                eprintln!("the dev server stopped: {e}");
                return;
            }
            for event in events.iter() {
                match event.token() {
                    LISTENER => self.accept_all(),
                    WAKER => {}
                    token => self.read(token),
                }
            }
            let now = Instant::now();
            if now.duration_since(last_sweep) >= Duration::from_millis(250) {
                last_sweep = now;
                self.sweep(now);
            }
        }
    }

    fn accept_all(&mut self) {
        // Bounded, so one flood of connections cannot starve the others.
        for _ in 0..1024 {
            match self.listener.accept() {
                Ok((mut stream, _)) => {
                    while self.conns.len() >= MAX_WAITING && self.evict_oldest() {}
                    let token = Token(self.next);
                    self.next += 1;
                    if self
                        .poll
                        .registry()
                        .register(&mut stream, token, Interest::READABLE)
                        .is_err()
                    {
                        continue;
                    }
                    self.conns.insert(
                        token,
                        Conn {
                            stream,
                            head: HeadBuf::default(),
                            deadline: Instant::now() + HEAD_TIMEOUT,
                            draining: false,
                        },
                    );
                    self.order.push_back(token);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // Out of file descriptors: make room by closing the oldest
                // waiting connection, or wait for one to close.
                Err(e) if matches!(e.raw_os_error(), Some(23 | 24)) => {
                    if !self.evict_oldest() {
                        return;
                    }
                }
                // A connection reset before it was accepted, and the like.
                Err(_) => {}
            }
        }
    }

    /// Closes the longest-waiting connection; false if there is none.
    fn evict_oldest(&mut self) -> bool {
        while let Some(token) = self.order.pop_front() {
            if let Some(conn) = self.conns.remove(&token) {
                self.close(conn);
                return true;
            }
        }
        false
    }

    fn close(&self, mut conn: Conn) {
        let _ = self.poll.registry().deregister(&mut conn.stream);
    }

    fn read(&mut self, token: Token) {
        let mut buf = [0u8; 8192];
        loop {
            let Some(conn) = self.conns.get_mut(&token) else {
                return;
            };
            match conn.stream.read(&mut buf) {
                Ok(0) => {
                    let conn = self.conns.remove(&token).expect("present above");
                    return self.close(conn);
                }
                Ok(_) if conn.draining => {}
                Ok(n) => match conn.head.push(&buf[..n]) {
                    Head::Incomplete => {}
                    Head::Complete { len } => {
                        let conn = self.conns.remove(&token).expect("present above");
                        return match http::parse(&conn.head.bytes[..len]) {
                            Ok(request) => self.dispatch(conn, request),
                            Err(status) => self.refuse(token, conn, status),
                        };
                    }
                    Head::TooLarge(status) => {
                        let conn = self.conns.remove(&token).expect("present above");
                        return self.refuse(token, conn, status);
                    }
                },
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    let conn = self.conns.remove(&token).expect("present above");
                    return self.close(conn);
                }
            }
        }
    }

    /// Sends `status` and keeps reading (and discarding) for a moment, so
    /// the client sees the answer instead of a reset.
    fn refuse(&mut self, token: Token, mut conn: Conn, status: Status) {
        // A fresh socket's send buffer takes the short refusal whole.
        let _ = conn.stream.write(&http::refusal(status));
        let _ = conn.stream.shutdown(Shutdown::Write);
        conn.draining = true;
        conn.head = HeadBuf::default();
        conn.deadline = Instant::now() + LINGER;
        self.conns.insert(token, conn);
    }

    fn dispatch(&mut self, mut conn: Conn, request: Request) {
        let _ = self.poll.registry().deregister(&mut conn.stream);
        let mut stream = TcpStream::from(conn.stream);
        if self.shared.queued.load(Ordering::SeqCst) >= MAX_QUEUED {
            let _ = stream.write(&http::refusal(Status::UNAVAILABLE));
            return;
        }
        self.shared.queued.fetch_add(1, Ordering::SeqCst);
        if let Err(mpsc::SendError(job)) = self.jobs.send(Job { stream, request }) {
            self.shared.queued.fetch_sub(1, Ordering::SeqCst);
            let mut stream = job.stream;
            let _ = stream.write(&http::refusal(Status::UNAVAILABLE));
        }
    }

    /// Answers 408 to connections whose head is overdue; closes drained ones.
    fn sweep(&mut self, now: Instant) {
        let overdue: Vec<Token> = self
            .conns
            .iter()
            .filter(|(_, c)| c.deadline <= now)
            .map(|(&t, _)| t)
            .collect();
        for token in overdue {
            let conn = self.conns.remove(&token).expect("listed above");
            if conn.draining || conn.head.bytes.is_empty() {
                self.close(conn);
            } else {
                self.refuse(token, conn, Status::REQUEST_TIMEOUT);
            }
        }
        if self.order.len() > 2 * self.conns.len() + 64 {
            let conns = &self.conns;
            self.order.retain(|t| conns.contains_key(t));
        }
    }
}

/// A worker: answers queued requests until the acceptor is gone.
fn work(queue: &Mutex<mpsc::Receiver<Job>>, shared: &Arc<Shared>) {
    loop {
        let job = {
            let queue = queue.lock().unwrap_or_else(|e| e.into_inner());
            queue.recv()
        };
        let Ok(job) = job else { return };
        // A bug answering one request must not take a worker away.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(job, shared)));
        shared.queued.fetch_sub(1, Ordering::SeqCst);
    }
}

fn answer(job: Job, shared: &Arc<Shared>) {
    let Job {
        mut stream,
        request,
    } = job;
    if stream.set_nonblocking(false).is_err()
        || stream.set_write_timeout(Some(WRITE_TIMEOUT)).is_err()
    {
        return;
    }
    match handle(&request, &mut stream, shared) {
        // The stream went to its own thread.
        Ok(None) => {}
        // A client that hangs up mid-response is not an error worth
        // reporting.
        Ok(Some(())) | Err(_) => {
            let _ = stream.flush();
            let _ = stream.shutdown(Shutdown::Write);
            // Read what else the client sent, so closing does not reset
            // the connection before the response is read.
            if stream.set_nonblocking(true).is_ok() {
                let mut sink = [0u8; 4096];
                for _ in 0..16 {
                    match stream.read(&mut sink) {
                        Ok(n) if n > 0 => {}
                        _ => break,
                    }
                }
            }
        }
    }
}

/// Answers one request; `Ok(None)` when the connection became an event
/// stream (answered on its own thread).
fn handle(request: &Request, out: &mut TcpStream, shared: &Arc<Shared>) -> io::Result<Option<()>> {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        out.write_all(&http::response_head(
            405,
            &[("Allow", "GET, HEAD"), ("Content-Length", "0")],
            None,
        ))?;
        return Ok(Some(()));
    }
    let head = request.method == "HEAD";
    let path = request.path();
    if path == EVENTS_PATH {
        return start_events(out, shared);
    }
    let root = &shared.root;
    match resolve(root, path) {
        Resolved::File(file) => respond_file(out, &file, 200, head)?,
        Resolved::Redirect(location) => out.write_all(&http::response_head(
            301,
            &[("Location", &location), ("Content-Length", "0")],
            None,
        ))?,
        Resolved::Forbidden => respond_text(out, 403, "forbidden", head)?,
        Resolved::NotFound => {
            let page = root.join("404.html");
            if !page.is_file() || respond_file(out, &page, 404, head).is_err() {
                respond_text(out, 404, "not found", head)?;
            }
        }
    }
    Ok(Some(()))
}

fn respond_text(out: &mut TcpStream, status: u16, text: &str, head: bool) -> io::Result<()> {
    let mut bytes = http::response_head(
        status,
        &[("Content-Type", "text/plain; charset=utf-8")],
        Some(text.len()),
    );
    if !head {
        bytes.extend_from_slice(text.as_bytes());
    }
    out.write_all(&bytes)
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
            // Rebuilt from the path's own segments: a path starting with
            // `//` must not become a protocol-relative `//host/` redirect.
            let segments: Vec<&str> = url_path
                .split('/')
                .filter(|s| !s.is_empty() && *s != ".")
                .collect();
            return Resolved::Redirect(format!("/{}/", segments.join("/")));
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

fn respond_file(out: &mut TcpStream, file: &Path, status: u16, head: bool) -> io::Result<()> {
    let mime = content_type(file);
    let Ok(body) = fs::read(file) else {
        return respond_text(out, 404, "not found", head);
    };
    let body = if mime.starts_with("text/html") {
        inject_reload_script(body)
    } else {
        body
    };
    let mut bytes = http::response_head(
        status,
        &[("Content-Type", mime), ("Cache-Control", "no-store")],
        Some(body.len()),
    );
    if !head {
        bytes.extend_from_slice(&body);
    }
    out.write_all(&bytes)
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

/// Hands the connection to a thread of its own that sends the events, if
/// fewer than [`MAX_STREAMS`] are open and a thread can be started;
/// otherwise answers 503 (the tab's `EventSource` retries).
fn start_events(out: &mut TcpStream, shared: &Arc<Shared>) -> io::Result<Option<()>> {
    let refuse = |out: &mut TcpStream| -> io::Result<Option<()>> {
        out.write_all(&http::refusal(Status::UNAVAILABLE))?;
        Ok(Some(()))
    };
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return refuse(out);
    }
    let Ok(mut stream) = out.try_clone() else {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        return refuse(out);
    };
    let shared2 = Arc::clone(shared);
    let spawned = thread::Builder::new()
        .name("http-events".into())
        .spawn(move || {
            let _ = send_events(&mut stream, &shared2.live);
            let _ = stream.shutdown(Shutdown::Both);
            shared2.streams.fetch_sub(1, Ordering::SeqCst);
        });
    match spawned {
        Ok(_) => Ok(None),
        Err(_) => {
            shared.streams.fetch_sub(1, Ordering::SeqCst);
            refuse(out)
        }
    }
}

fn send_events(out: &mut TcpStream, live: &Arc<LiveState>) -> io::Result<()> {
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
            // Never a protocol-relative `//claims/a/` (the host "claims").
            ("//claims/a", Resolved::Redirect("/claims/a/".into())),
            ("/.//claims//./a", Resolved::Redirect("/claims/a/".into())),
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
            ("/%c0%ae%c0%ae/secret.txt", Resolved::Forbidden),
            ("/.%2e/secret.txt", Resolved::Forbidden),
            ("/%252e%252e/secret.txt", Resolved::NotFound),
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
