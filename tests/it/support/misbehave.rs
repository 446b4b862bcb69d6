//! A misbehaving API server of the tests' own, raw TCP on 127.0.0.1, whose behaviour can be switched while a client talks to it — and the other ways a connection fails: a refused port, a host that cannot resolve, a self-signed TLS certificate.
//!
//! Raw TCP, so that it can do what no framework would: never answer, answer
//! one byte a second, reset the connection half-way through a body. Its
//! "healthy" behaviour forwards each connection, byte for byte, to a real
//! server (`convo serve` in-process), so a client can recover once the fault
//! is switched off. Every faulty answer closes its connection, so a switch
//! takes effect on the client's very next request.
// Test helpers: a server that cannot bind should stop the test on the spot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A host name that can never resolve (RFC 6761 reserves `.invalid`); https,
/// since plain http to another machine is refused before any lookup.
pub(crate) const UNRESOLVABLE_ENDPOINT: &str = "https://convo-faults.invalid";

/// The longest a hanging or dripping connection is held, whatever the client does.
const HOLD_AT_MOST: Duration = Duration::from_secs(120);

/// What the server does with the next request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Behaviour {
    /// Reads the request and never answers, holding the connection open.
    Hang,
    /// Answers a valid 200, one byte a second.
    Drip,
    /// Sends the head and part of the body, then resets the connection (RST).
    ResetMidBody,
    /// A 200 whose JSON ends early (its `Content-Length` matches, so only the JSON is short).
    TruncatedJson,
    /// nginx's HTML 502 page.
    BadGatewayHtml,
    /// 429 with `Retry-After` in seconds.
    ThrottledSeconds(u64),
    /// 429 with `Retry-After` as an HTTP-date this many seconds ahead.
    ThrottledDate(u64),
    /// 401 whose detail names the subscription.
    SubscriptionInactive,
    /// An answer with this status that quotes the request's `Authorization`
    /// header back at the start of its body (JSON `detail` for 4xx/5xx, a
    /// plain-text debug page for 2xx) — the worst a server or proxy can do with a key.
    EchoAuthorization(u16),
    /// Forwards the connection to a real server.
    Forward(SocketAddr),
    /// A 200 `Content-Encoding: gzip` that inflates to this many zero bytes
    /// (27 MB on the wire for 4 GiB), written as it is sent.
    GzipBomb(u64),
    /// A valid page envelope whose `results` hold this many `{}` rows.
    TinyRows(usize),
    /// A 200 whose `Content-Length` announces this many bytes, of which it
    /// sends none: only a client that believes the announcement answers soon.
    Announced(u64),
    /// A valid page of one row whose metadata is an array of this many zeros.
    WideMetadata(usize),
    /// A 200 chunked page that never ends: `{}` rows, as fast as they are taken.
    EndlessChunked,
    /// A 200 `application/json` of this many NUL bytes.
    NulBody(usize),
    /// A 200 `text/html` of this many bytes of unclosed `<script>` tags.
    ScriptPage(usize),
}

/// What a gzip bomb inflates to by default: 4 GiB.
pub(crate) const FOUR_GIB: u64 = 4 << 30;

/// The server: where it listens, what it does now, how many requests it saw.
pub(crate) struct Misbehaving {
    addr: SocketAddr,
    behaviour: Arc<Mutex<Behaviour>>,
    requests: Arc<AtomicUsize>,
    /// The request line of every request, in order.
    lines: Arc<Mutex<Vec<String>>>,
    accept: JoinHandle<()>,
}

impl Misbehaving {
    /// Starts on a free port.
    pub(crate) async fn start(behaviour: Behaviour) -> Self {
        Self::start_at(SocketAddr::from(([127, 0, 0, 1], 0)), behaviour).await
    }

    /// Starts on `addr` (a port that was refused until now, say).
    pub(crate) async fn start_at(addr: SocketAddr, behaviour: Behaviour) -> Self {
        let listener = TcpListener::bind(addr)
            .await
            .expect("bind the misbehaving server");
        let addr = listener.local_addr().unwrap();
        let behaviour = Arc::new(Mutex::new(behaviour));
        let requests = Arc::new(AtomicUsize::new(0));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let (now, seen, logged) = (
            Arc::clone(&behaviour),
            Arc::clone(&requests),
            Arc::clone(&lines),
        );
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(
                    stream,
                    Arc::clone(&now),
                    Arc::clone(&seen),
                    Arc::clone(&logged),
                ));
            }
        });
        Self {
            addr,
            behaviour,
            requests,
            lines,
            accept,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Switches what the next request gets.
    pub(crate) fn set(&self, behaviour: Behaviour) {
        *self.behaviour.lock().unwrap() = behaviour;
    }

    /// Requests whose head was read so far (forwarded connections count once).
    pub(crate) fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// The request line (`GET /path?query HTTP/1.1`) of every request so far.
    pub(crate) fn request_lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

impl Drop for Misbehaving {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

/// An address nothing listens on: bound once for a free port, then let go.
pub(crate) fn refused_addr() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// Reads one request head, then plays the behaviour in force at that moment.
async fn serve(
    mut stream: TcpStream,
    behaviour: Arc<Mutex<Behaviour>>,
    requests: Arc<AtomicUsize>,
    lines: Arc<Mutex<Vec<String>>>,
) {
    let Some(head) = read_head(&mut stream).await else {
        return;
    };
    let line = String::from_utf8_lossy(&head)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    lines.lock().unwrap().push(line);
    requests.fetch_add(1, Ordering::SeqCst);
    let now = behaviour.lock().unwrap().clone();
    match now {
        Behaviour::Hang => hold(&mut stream).await,
        Behaviour::Drip => drip(&mut stream).await,
        Behaviour::ResetMidBody => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4096\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream
                .write_all(br#"{"count": 3, "results": [{"id": 1, "#)
                .await;
            let _ = stream.flush().await;
            // Time for the client to take the head, so the reset lands in the body.
            tokio::time::sleep(Duration::from_millis(100)).await;
            let _ = stream.set_zero_linger();
            drop(stream);
        }
        Behaviour::TruncatedJson => {
            let body = r#"{"count": 3, "page_size": 50, "total_pages": 1, "current_page": 1, "results": [{"id": 1, "conversation_id": "conv-1", "na"#;
            reply(
                &mut stream,
                "200 OK",
                &[("Content-Type", "application/json")],
                body,
            )
            .await;
        }
        Behaviour::BadGatewayHtml => {
            let page = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n";
            reply(
                &mut stream,
                "502 Bad Gateway",
                &[("Content-Type", "text/html")],
                page,
            )
            .await;
        }
        Behaviour::ThrottledSeconds(seconds) => {
            let body = format!(
                r#"{{"detail": "Request was throttled. Expected available in {seconds} seconds."}}"#
            );
            let after = seconds.to_string();
            throttled(&mut stream, &after, &body).await;
        }
        Behaviour::ThrottledDate(seconds) => {
            let at =
                chrono::Utc::now() + chrono::Duration::seconds(i64::try_from(seconds).unwrap());
            let after = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            throttled(
                &mut stream,
                &after,
                r#"{"detail": "Request was throttled."}"#,
            )
            .await;
        }
        Behaviour::SubscriptionInactive => {
            let body = r#"{"detail": "The subscription for this agent is inactive. Renew the subscription in the dashboard to use the API again."}"#;
            reply(
                &mut stream,
                "401 Unauthorized",
                &[("Content-Type", "application/json")],
                body,
            )
            .await;
        }
        Behaviour::EchoAuthorization(status) => {
            let auth = header(&head, "authorization").unwrap_or_default();
            let (content_type, body) = if status < 300 {
                (
                    "text/plain",
                    format!("{auth} <- the header this debug page was sent\n"),
                )
            } else {
                let echoed = serde_json::json!({"detail": format!("{auth} is not a valid key for this agent")});
                ("application/json", echoed.to_string())
            };
            let status = format!("{status} Echo");
            reply(
                &mut stream,
                &status,
                &[("Content-Type", content_type)],
                &body,
            )
            .await;
        }
        Behaviour::Forward(upstream) => forward(stream, &head, upstream).await,
        Behaviour::GzipBomb(size) => gzip_bomb(&mut stream, size).await,
        Behaviour::TinyRows(rows) => {
            let body = format!(
                r#"{{"count": {rows}, "page_size": 100, "total_pages": 1, "current_page": 1, "next": null, "previous": null, "results": [{}]}}"#,
                vec!["{}"; rows].join(",")
            );
            reply(
                &mut stream,
                "200 OK",
                &[("Content-Type", "application/json")],
                &body,
            )
            .await;
        }
        Behaviour::WideMetadata(values) => {
            let body = format!(
                r#"{{"count": 1, "page_size": 100, "total_pages": 1, "current_page": 1, "next": null, "previous": null, "results": [{{"id": 1, "conversation_id": "wide", "metadata": {{"values": [{}]}}}}]}}"#,
                vec!["0"; values].join(",")
            );
            reply(
                &mut stream,
                "200 OK",
                &[("Content-Type", "application/json")],
                &body,
            )
            .await;
        }
        Behaviour::EndlessChunked => endless_chunked(&mut stream).await,
        Behaviour::Announced(size) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {size}\r\nConnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).await.is_ok() {
                hold(&mut stream).await;
            }
        }
        Behaviour::NulBody(size) => {
            let body = "\0".repeat(size);
            reply(
                &mut stream,
                "200 OK",
                &[("Content-Type", "application/json")],
                &body,
            )
            .await;
        }
        Behaviour::ScriptPage(size) => {
            let body = "<script>".repeat(size / "<script>".len());
            reply(
                &mut stream,
                "200 OK",
                &[("Content-Type", "text/html")],
                &body,
            )
            .await;
        }
    }
}

/// Deflate's bits, least significant first, as RFC 1951 packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    pending: u64,
    count: u32,
}

impl Bits {
    /// `n` bits of `value`, lowest first (header fields, extra bits).
    fn push(&mut self, value: u32, n: u32) {
        self.pending |= u64::from(value) << self.count;
        self.count += n;
        while self.count >= 8 {
            self.out.push(self.pending.to_le_bytes()[0]);
            self.pending >>= 8;
            self.count -= 8;
        }
    }

    /// A Huffman code of `n` bits, which deflate sends highest bit first.
    fn code(&mut self, code: u32, n: u32) {
        self.push(code.reverse_bits() >> (32 - n), n);
    }

    /// The last partial byte, zero-padded.
    fn finish(&mut self) {
        if self.count > 0 {
            self.push(0, 8 - self.count);
        }
    }
}

/// A gzip member inflating to `1 + 258·k` zeros (the largest such size up
/// to `size`), sent as it is made, until done or the client hangs up. One
/// block of fixed Huffman codes: a literal zero, then copies of 258 bytes
/// from one byte back (13 bits each). Its CRC is not computed: a client
/// that reads that far has already held it all.
async fn gzip_bomb(stream: &mut TcpStream, size: u64) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nConnection: close\r\n\r\n";
    if stream.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut bits = Bits::default();
    bits.out
        .extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    bits.push(1, 1); // the last block
    bits.push(1, 2); // fixed Huffman codes
    bits.code(0x30, 8); // literal 0
    let mut copies = size.saturating_sub(1) / 258;
    let _ = tokio::time::timeout(HOLD_AT_MOST, async {
        while copies > 0 {
            for _ in 0..copies.min(8192) {
                bits.code(0xc5, 8); // length 258
                bits.code(0, 5); // distance 1
            }
            copies = copies.saturating_sub(8192);
            if copies == 0 {
                bits.code(0, 7); // end of block
                bits.finish();
                bits.out.extend_from_slice(&[0; 4]);
                bits.out
                    .extend_from_slice(&((size - 1) / 258 * 258 + 1).to_le_bytes()[..4]);
            }
            if stream.write_all(&bits.out).await.is_err() {
                return;
            }
            bits.out.clear();
        }
        let _ = stream.shutdown().await;
    })
    .await;
}

/// A page that never ends, in chunks of rows, until the client hangs up.
async fn endless_chunked(stream: &mut TcpStream) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    let start =
        r#"{"count": 1, "page_size": 100, "total_pages": 1, "current_page": 1, "results": ["#;
    let rows = "{}, ".repeat(16 * 1024);
    let chunk = |text: &str| format!("{:x}\r\n{text}\r\n", text.len());
    if stream.write_all(head.as_bytes()).await.is_err()
        || stream.write_all(chunk(start).as_bytes()).await.is_err()
    {
        return;
    }
    let rows = chunk(&rows);
    let _ = tokio::time::timeout(HOLD_AT_MOST, async {
        while stream.write_all(rows.as_bytes()).await.is_ok() {}
    })
    .await;
}

/// The request head (up to the blank line), or `None` if the client went away first.
async fn read_head(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut buf = [0_u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    Some(head)
}

/// A header's value from a request head (name in any case).
pub(crate) fn header(head: &[u8], name: &str) -> Option<String> {
    String::from_utf8_lossy(head)
        .split("\r\n")
        .filter_map(|line| line.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim().to_owned())
}

/// A whole answer, then the connection closed.
async fn reply(stream: &mut TcpStream, status: &str, headers: &[(&str, &str)], body: &str) {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        let _ = write!(out, "{name}: {value}\r\n");
    }
    out.push_str("\r\n");
    out.push_str(body);
    let _ = stream.write_all(out.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn throttled(stream: &mut TcpStream, retry_after: &str, body: &str) {
    let headers = [
        ("Content-Type", "application/json"),
        ("Retry-After", retry_after),
    ];
    reply(stream, "429 Too Many Requests", &headers, body).await;
}

/// Holds the connection without a word until the client gives up.
async fn hold(stream: &mut TcpStream) {
    let mut buf = [0_u8; 1024];
    let _ = tokio::time::timeout(HOLD_AT_MOST, async {
        while let Ok(n) = stream.read(&mut buf).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
}

/// A valid, empty page, one byte a second, until the client hangs up.
async fn drip(stream: &mut TcpStream) {
    let body = r#"{"count": 0, "page_size": 50, "total_pages": 1, "current_page": 1, "next": null, "previous": null, "results": []}"#;
    let answer = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(HOLD_AT_MOST, async {
        for byte in answer.as_bytes() {
            if stream.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    })
    .await;
}

/// Passes the connection to `upstream`, asking it to close after this one
/// request, so a later switch of behaviour reaches the client's next request.
async fn forward(mut client: TcpStream, head: &[u8], upstream: SocketAddr) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        return;
    };
    let Some(line_end) = head.windows(2).position(|w| w == b"\r\n") else {
        return;
    };
    let mut rewritten = head[..line_end + 2].to_vec();
    rewritten.extend_from_slice(b"Connection: close\r\n");
    rewritten.extend(
        String::from_utf8_lossy(&head[line_end + 2..])
            .split_inclusive("\r\n")
            .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
            .flat_map(|line| line.as_bytes().to_vec()),
    );
    if server.write_all(&rewritten).await.is_err() {
        return;
    }
    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
}

/// A TLS listener whose certificate is self-signed (for `localhost` and
/// 127.0.0.1), so no client that checks certificates will talk to it.
pub(crate) struct SelfSignedTls {
    addr: SocketAddr,
    accept: JoinHandle<()>,
}

impl SelfSignedTls {
    /// Starts on a free port.
    pub(crate) async fn start() -> Self {
        use tokio_rustls::rustls::{self, pki_types};

        let certified = rcgen::generate_simple_self_signed(vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
        ])
        .unwrap();
        let cert = certified.cert.der().clone();
        let key = pki_types::PrivateKeyDer::Pkcs8(pki_types::PrivatePkcs8KeyDer::from(
            certified.key_pair.serialize_der(),
        ));
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // The client refuses the certificate; if one ever accepted
                    // it, it would get no answer and time out.
                    if let Ok(mut tls) = acceptor.accept(stream).await {
                        let mut buf = [0_u8; 1024];
                        let _ = tokio::time::timeout(HOLD_AT_MOST, tls.read(&mut buf)).await;
                    }
                });
            }
        });
        Self { addr, accept }
    }

    /// `https://127.0.0.1:PORT`.
    pub(crate) fn url(&self) -> String {
        format!("https://{}", self.addr)
    }
}

impl Drop for SelfSignedTls {
    fn drop(&mut self) {
        self.accept.abort();
    }
}
