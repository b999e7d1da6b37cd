//! The HTTP/1.1 request head as the development server reads it: found
//! incrementally in what a connection has sent so far, bounded in size, and
//! parsed strictly. Anything that is not a plain request for a path gets a
//! status to refuse it with, never a guess.
//!
//! Only what serving files needs is kept: the method, the target's path and
//! query (origin form, or the path of an absolute-form target), the version
//! and the header lines. Every response closes its connection, so bodies and
//! pipelined requests are never read.

/// The longest request line accepted (method, target, version); a longer
/// one is refused with 414.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;

/// The longest request head accepted (request line and headers); a longer
/// one is refused with 431.
pub const MAX_HEAD: usize = 16 * 1024;

/// The most header lines accepted; more are refused with 431.
pub const MAX_HEADERS: usize = 100;

/// The largest request body announced that is not refused with 413 (the
/// server never reads one: it answers and closes).
pub const MAX_BODY: u64 = 64 * 1024;

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path and query of the target, starting with `/`.
    pub target: String,
    /// `HTTP/1.x`: the minor version.
    pub minor: u8,
    pub headers: Vec<(String, String)>,
}

impl Request {
    /// The value of the first header called `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The target's path, without query or fragment.
    pub fn path(&self) -> &str {
        self.target.split(['?', '#']).next().unwrap_or("/")
    }
}

/// A refusal: the status and its reason phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub u16);

impl Status {
    pub const BAD_REQUEST: Status = Status(400);
    pub const METHOD_NOT_ALLOWED: Status = Status(405);
    pub const REQUEST_TIMEOUT: Status = Status(408);
    pub const CONTENT_TOO_LARGE: Status = Status(413);
    pub const URI_TOO_LONG: Status = Status(414);
    pub const HEADERS_TOO_LARGE: Status = Status(431);
    pub const UNAVAILABLE: Status = Status(503);
    pub const VERSION_NOT_SUPPORTED: Status = Status(505);

    /// The reason phrase of the statuses this server sends.
    pub fn reason(self) -> &'static str {
        match self.0 {
            200 => "OK",
            301 => "Moved Permanently",
            400 => "Bad Request",
            403 => "Forbidden",
            404 => "Not Found",
            405 => "Method Not Allowed",
            408 => "Request Timeout",
            413 => "Content Too Large",
            414 => "URI Too Long",
            431 => "Request Header Fields Too Large",
            500 => "Internal Server Error",
            503 => "Service Unavailable",
            505 => "HTTP Version Not Supported",
            _ => "Unknown",
        }
    }
}

/// Where reading a head stands after some bytes arrived.
#[derive(Debug, PartialEq, Eq)]
pub enum Head {
    /// More bytes are needed.
    Incomplete,
    /// The head is the first `len` bytes of the buffer.
    Complete { len: usize },
    /// The head is too long already.
    TooLarge(Status),
}

/// A request head being received: the bytes so far and how far they have
/// been searched, so a head that trickles in byte by byte is still scanned
/// about once in all.
#[derive(Debug, Default)]
pub struct HeadBuf {
    pub bytes: Vec<u8>,
    /// Where the request line starts (after empty lines, which RFC 9112,
    /// 2.2 allows before it), once a byte of it arrived.
    start: Option<usize>,
    /// Where the request line ends, once it did.
    line_end: Option<usize>,
    /// Every newline before this has been looked at.
    scanned: usize,
}

impl HeadBuf {
    /// Appends `more` and says whether the head is complete. Bare `\n` line
    /// ends are accepted as well as `\r\n`.
    pub fn push(&mut self, more: &[u8]) -> Head {
        self.bytes.extend_from_slice(more);
        let buf = &self.bytes;
        let start = match self.start {
            Some(s) => s,
            None => match buf.iter().position(|&b| b != b'\r' && b != b'\n') {
                Some(s) => *self.start.insert(s),
                None if buf.len() > MAX_HEAD => return Head::TooLarge(Status::BAD_REQUEST),
                None => return Head::Incomplete,
            },
        };
        let mut i = self.scanned.max(start);
        while let Some(at) = buf[i..].iter().position(|&b| b == b'\n') {
            let nl = i + at;
            if self.line_end.is_none() {
                if nl - start > MAX_REQUEST_LINE {
                    return Head::TooLarge(Status::URI_TOO_LONG);
                }
                self.line_end = Some(nl);
            }
            let end = match &buf[nl + 1..] {
                [b'\n', ..] => Some(nl + 2),
                [b'\r', b'\n', ..] => Some(nl + 3),
                [] | [b'\r'] => {
                    // The terminator may be half received: look again.
                    self.scanned = nl;
                    return self.limits(start);
                }
                _ => None,
            };
            if let Some(end) = end {
                return if end - start > MAX_HEAD {
                    Head::TooLarge(Status::HEADERS_TOO_LARGE)
                } else {
                    Head::Complete { len: end }
                };
            }
            i = nl + 1;
        }
        self.scanned = buf.len();
        self.limits(start)
    }

    fn limits(&self, start: usize) -> Head {
        let len = self.bytes.len() - start;
        if self.line_end.is_none() && len > MAX_REQUEST_LINE {
            Head::TooLarge(Status::URI_TOO_LONG)
        } else if len > MAX_HEAD {
            Head::TooLarge(Status::HEADERS_TOO_LARGE)
        } else {
            Head::Incomplete
        }
    }
}

/// Parses a complete head (as found by [`find_head`]).
pub fn parse(head: &[u8]) -> Result<Request, Status> {
    let text = std::str::from_utf8(head).map_err(|_| Status::BAD_REQUEST)?;
    let text = text.trim_start_matches(['\r', '\n']);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let line = lines.next().ok_or(Status::BAD_REQUEST)?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Status::BAD_REQUEST);
    };
    if method.is_empty() || !method.bytes().all(is_token) {
        return Err(Status::BAD_REQUEST);
    }
    let minor = match version {
        "HTTP/1.1" => 1,
        "HTTP/1.0" => 0,
        v if v.starts_with("HTTP/") && v.len() == 8 => return Err(Status::VERSION_NOT_SUPPORTED),
        _ => return Err(Status::BAD_REQUEST),
    };
    if target.is_empty() || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Status::BAD_REQUEST);
    }
    let target = origin_form(target).ok_or(Status::BAD_REQUEST)?;
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(Status::HEADERS_TOO_LARGE);
        }
        // Obsolete line folding and lines without a name are refused.
        let (name, value) = line.split_once(':').ok_or(Status::BAD_REQUEST)?;
        if name.is_empty() || !name.bytes().all(is_token) {
            return Err(Status::BAD_REQUEST);
        }
        let value = value.trim_matches([' ', '\t']);
        if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
            return Err(Status::BAD_REQUEST);
        }
        headers.push((name.to_string(), value.to_string()));
    }
    let request = Request {
        method: method.to_string(),
        target,
        minor,
        headers,
    };
    if minor == 1 && request.header("Host").is_none() {
        return Err(Status::BAD_REQUEST);
    }
    if let Some(len) = request.header("Content-Length") {
        match len.parse::<u64>() {
            Ok(n) if n > MAX_BODY => return Err(Status::CONTENT_TOO_LARGE),
            Ok(_) => {}
            Err(_) => return Err(Status::BAD_REQUEST),
        }
    }
    Ok(request)
}

/// The path and query of a request target: origin form as it is, the path
/// of an absolute-form `http://host/path` target (its host is ignored: the
/// server serves one folder). Asterisk and authority forms are refused.
fn origin_form(target: &str) -> Option<String> {
    if target.starts_with('/') {
        return Some(target.to_string());
    }
    let lower = target.get(..8).map(str::to_ascii_lowercase)?;
    let rest = if lower.starts_with("http://") {
        &target[7..]
    } else if lower.starts_with("https://") {
        &target[8..]
    } else {
        return None;
    };
    let path_at = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    if path_at == 0 {
        return None;
    }
    match &rest[path_at..] {
        "" => Some("/".to_string()),
        p if p.starts_with('/') => Some(p.to_string()),
        p => Some(format!("/{p}")),
    }
}

/// A byte allowed in a method or header name (RFC 9110, 5.6.2).
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A response head; every response closes its connection.
pub fn response_head(status: u16, headers: &[(&str, &str)], len: Option<usize>) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} {}\r\n", Status(status).reason());
    for (name, value) in headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    if let Some(len) = len {
        out.push_str(&format!("Content-Length: {len}\r\n"));
    }
    out.push_str("Connection: close\r\n\r\n");
    out.into_bytes()
}

/// A complete refusal: status line, a one-line text body, connection close.
pub fn refusal(status: Status) -> Vec<u8> {
    let body = format!("{}\n", status.reason().to_ascii_lowercase());
    let mut out = response_head(
        status.0,
        &[("Content-Type", "text/plain; charset=utf-8")],
        Some(body.len()),
    );
    out.extend_from_slice(body.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(text: &str) -> Result<Request, Status> {
        match HeadBuf::default().push(text.as_bytes()) {
            Head::Complete { len } => parse(&text.as_bytes()[..len]),
            Head::TooLarge(s) => Err(s),
            Head::Incomplete => panic!("incomplete: {text:?}"),
        }
    }

    #[test]
    fn parses_origin_and_absolute_form_targets() {
        let r = head("GET /a/b?q=1 HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n").unwrap();
        assert_eq!(r.method, "GET");
        assert_eq!(r.target, "/a/b?q=1");
        assert_eq!(r.path(), "/a/b");
        assert_eq!(r.header("accept"), Some("*/*"));
        for (target, want) in [
            ("http://evil.example/etc/passwd", "/etc/passwd"),
            ("HTTPS://evil.example", "/"),
            ("http://evil.example?x", "/?x"),
        ] {
            let r = head(&format!("GET {target} HTTP/1.1\r\nHost: x\r\n\r\n")).unwrap();
            assert_eq!(r.target, want, "{target}");
        }
        // HTTP/1.0 needs no Host; bare newlines and leading empty lines are fine.
        let r = head("\r\n\nGET / HTTP/1.0\n\n").unwrap();
        assert_eq!((r.target.as_str(), r.minor), ("/", 0));
    }

    #[test]
    fn refuses_malformed_request_lines_and_headers() {
        for bad in [
            "GET\r\n\r\n",
            "GET /\r\n\r\n",
            "GET  / HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
            "G(T / HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET * HTTP/1.1\r\nHost: x\r\n\r\n",
            "CONNECT evil.example:443 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET http:/// HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /é HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET / FTP/1.1\r\nHost: x\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            "GET / HTTP/1.1\r\nHo st: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n",
        ] {
            assert_eq!(head(bad), Err(Status::BAD_REQUEST), "{bad:?}");
        }
        assert_eq!(
            head("GET / HTTP/2.0\r\n\r\n"),
            Err(Status::VERSION_NOT_SUPPORTED)
        );
        assert_eq!(
            head("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n"),
            Err(Status::CONTENT_TOO_LARGE)
        );
        let many = "X-A: 1\r\n".repeat(MAX_HEADERS + 1);
        assert_eq!(
            head(&format!("GET / HTTP/1.1\r\nHost: x\r\n{many}\r\n")),
            Err(Status::HEADERS_TOO_LARGE)
        );
        assert_eq!(
            parse(b"GET /\xff HTTP/1.1\r\n\r\n"),
            Err(Status::BAD_REQUEST)
        );
    }

    #[test]
    fn bounds_the_request_line_and_the_head() {
        let long = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100_000));
        assert_eq!(head(&long), Err(Status::URI_TOO_LONG));
        // Refused before the line ends: an endless line is never buffered.
        let endless = format!("GET /{}", "a".repeat(MAX_REQUEST_LINE));
        assert_eq!(
            HeadBuf::default().push(endless.as_bytes()),
            Head::TooLarge(Status::URI_TOO_LONG)
        );
        let big = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n", "b".repeat(MAX_HEAD));
        assert_eq!(
            HeadBuf::default().push(big.as_bytes()),
            Head::TooLarge(Status::HEADERS_TOO_LARGE)
        );
        assert_eq!(
            HeadBuf::default().push(&[b'\n'; MAX_HEAD + 1]),
            Head::TooLarge(Status::BAD_REQUEST)
        );
        assert_eq!(head(&format!("{big}\r\n")), Err(Status::HEADERS_TOO_LARGE));
    }

    #[test]
    fn finds_a_head_arriving_byte_by_byte_without_rescanning() {
        let text = b"GET /x HTTP/1.1\r\nHost: x\r\n\r\n";
        let mut buf = HeadBuf::default();
        for (n, b) in text.iter().enumerate() {
            let got = buf.push(std::slice::from_ref(b));
            if n + 1 < text.len() {
                assert_eq!(got, Head::Incomplete, "{n}");
                // What is searched again next time is at most the last two bytes.
                assert!(buf.scanned + 2 > n, "{n}: scanned {}", buf.scanned);
            } else {
                assert_eq!(got, Head::Complete { len: text.len() });
            }
        }
        let mut split = HeadBuf::default();
        assert_eq!(
            split.push(b"GET / HTTP/1.1\r\nHost: x\r\n\r"),
            Head::Incomplete
        );
        assert_eq!(split.push(b"\nrest"), Head::Complete { len: 27 });
    }

    #[test]
    fn refusals_close_the_connection() {
        let r = String::from_utf8(refusal(Status::HEADERS_TOO_LARGE)).unwrap();
        assert!(r.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assert!(r.contains("\r\nConnection: close\r\n\r\n"));
        assert!(r.ends_with("request header fields too large\n"));
    }
}
