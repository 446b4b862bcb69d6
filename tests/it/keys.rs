//! The key stays where it belongs: no redirect takes it from https to http or round a loop, plain http leaves this machine only when the user says so, and `api_key_cmd` is bounded (output, time, its whole process group, who may write the file that names it).
// Test helpers: a failed setup should stop the test on the spot.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use convo::config::{KeySpec, Source, Sourced, fetch_key};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;

const KEY: &str = "ags_0123456789abcdef0123456789abcdef_abc123";
const KEY_MIDDLE: &str = "0123456789abcdef0123456789abcdef";

// ---- stand-in servers ------------------------------------------------------------

/// Reads a request head (up to the blank line, at most 16 KiB).
async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> String {
    let mut head = Vec::new();
    let mut byte = [0_u8; 1];
    while head.len() < 16 * 1024 && !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

/// `GET /path HTTP/1.1` → `/path`.
fn path_of(head: &str) -> String {
    head.split_whitespace().nth(1).unwrap_or("/").to_owned()
}

async fn redirect_to<S: AsyncWrite + Unpin>(stream: &mut S, location: &str) {
    let answer = format!(
        "HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A test CA, and a certificate it signed for 127.0.0.1 and localhost.
struct TestCa {
    /// The CA in PEM, for `SSL_CERT_FILE`.
    pem: String,
    acceptor: tokio_rustls::TlsAcceptor,
}

fn test_ca() -> TestCa {
    use tokio_rustls::rustls::{self, pki_types};

    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "convo test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    let key = pki_types::PrivateKeyDer::Pkcs8(pki_types::PrivatePkcs8KeyDer::from(
        leaf_key.serialize_der(),
    ));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
    .unwrap();
    TestCa {
        pem: ca.pem(),
        acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)),
    }
}

/// One port speaking both TLS and plain HTTP (told apart by the first byte):
/// over TLS every request is redirected to `http://` on this same host and
/// port; every plain request's head is kept.
struct Downgrader {
    port: u16,
    plain_heads: Arc<Mutex<Vec<String>>>,
    tls_requests: Arc<AtomicUsize>,
}

async fn start_downgrader(acceptor: tokio_rustls::TlsAcceptor) -> Downgrader {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let plain_heads = Arc::new(Mutex::new(Vec::new()));
    let tls_requests = Arc::new(AtomicUsize::new(0));
    let (heads, tls_seen) = (Arc::clone(&plain_heads), Arc::clone(&tls_requests));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, heads, tls_seen) =
                (acceptor.clone(), Arc::clone(&heads), Arc::clone(&tls_seen));
            tokio::spawn(async move {
                let mut first = [0_u8; 1];
                if stream.peek(&mut first).await.unwrap_or(0) == 0 {
                    return;
                }
                if first[0] == 0x16 {
                    let Ok(mut tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    let head = read_head(&mut tls).await;
                    tls_seen.fetch_add(1, Ordering::SeqCst);
                    let location = format!("http://127.0.0.1:{port}{}", path_of(&head));
                    redirect_to(&mut tls, &location).await;
                } else {
                    let mut stream = stream;
                    let head = read_head(&mut stream).await;
                    heads.lock().unwrap().push(head);
                    let body = r#"{"detail":"plain http"}"#;
                    let answer = format!(
                        "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(answer.as_bytes()).await;
                    let _ = stream.shutdown().await;
                }
            });
        }
    });
    Downgrader {
        port,
        plain_heads,
        tls_requests,
    }
}

/// Plain HTTP on 127.0.0.1 that redirects every request, `/loop-a` ⇄ `/loop-b`, counting them.
async fn start_loop() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&requests);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let seen = Arc::clone(&seen);
            tokio::spawn(async move {
                let head = read_head(&mut stream).await;
                if head.is_empty() {
                    return;
                }
                seen.fetch_add(1, Ordering::SeqCst);
                let next = if path_of(&head) == "/loop-a" {
                    "/loop-b"
                } else {
                    "/loop-a"
                };
                redirect_to(&mut stream, &format!("http://127.0.0.1:{port}{next}")).await;
            });
        }
    });
    (port, requests)
}

// ---- the binary --------------------------------------------------------------------

/// Runs `convo ARGS` with no config of the user's and no key but the one given.
async fn convo(dir: &Path, args: &[&str], extra_env: &[(&str, &str)]) -> Output {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"));
    cmd.arg("--config")
        .arg(dir.join("none.toml"))
        .args(args)
        .env_remove("AGENTSIGHT_API_KEY")
        .env_remove("AGENTSIGHT_API_ENDPOINT")
        .env_remove("CHATDASH_API_KEY")
        .env_remove("CONVO_PROFILE")
        .env_remove("CONVO_CONFIG")
        .env_remove("HTTPS_PROXY")
        .env_remove("HTTP_PROXY")
        .env_remove("ALL_PROXY")
        .env_remove("https_proxy")
        .env_remove("http_proxy")
        .env_remove("all_proxy")
        .env("CONVO_TIMEOUT", "10");
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    cmd.output().await.expect("run convo")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

// ---- redirects -----------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_https_endpoint_redirecting_to_http_on_the_same_port_never_gets_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let ca = test_ca();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &ca.pem).unwrap();
    let server = start_downgrader(ca.acceptor).await;
    let endpoint = format!("https://127.0.0.1:{}", server.port);

    let out = convo(
        dir.path(),
        &["--endpoint", &endpoint, "list"],
        &[
            ("AGENTSIGHT_API_KEY", KEY),
            ("SSL_CERT_FILE", ca_file.to_str().unwrap()),
        ],
    )
    .await;

    assert!(
        server.tls_requests.load(Ordering::SeqCst) >= 1,
        "the client trusted the test CA and asked over TLS: {}",
        stderr(&out)
    );
    let plain = server.plain_heads.lock().unwrap().clone();
    assert!(
        plain.iter().all(|h| !h.contains(KEY_MIDDLE)),
        "the key went out in clear: {plain:?}"
    );
    assert!(plain.is_empty(), "nothing follows the downgrade: {plain:?}");
    assert_ne!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains(
            "the server redirected from https to http; convo will not send the key in clear"
        ),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        server.tls_requests.load(Ordering::SeqCst),
        1,
        "a refused redirect is not retried"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_loop_is_one_attempt_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (port, requests) = start_loop().await;
    let endpoint = format!("http://127.0.0.1:{port}");
    let out = convo(
        dir.path(),
        &["--endpoint", &endpoint, "list"],
        &[("AGENTSIGHT_API_KEY", KEY)],
    )
    .await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the server redirected in a loop"),
        "{}",
        stderr(&out)
    );
    // The first URL, /loop-a, /loop-b — then /loop-a again is the loop.
    assert_eq!(
        requests.load(Ordering::SeqCst),
        3,
        "one chain, not retried: {}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatdash_follows_the_same_redirect_rules() {
    let dir = tempfile::tempdir().unwrap();
    let (port, requests) = start_loop().await;
    let config = dir.path().join("chatdash.toml");
    std::fs::write(
        &config,
        format!(
            "default_profile = \"voice\"\n[profiles.voice]\nprovider = \"chatdash\"\nendpoint = \"http://127.0.0.1:{port}\"\nagent_id = \"65f0c0ffee\"\napi_key_env = \"VOICE_KEY\"\n"
        ),
    )
    .unwrap();
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
        .arg("--config")
        .arg(&config)
        .arg("list")
        .env_remove("CONVO_PROFILE")
        .env_remove("CHATDASH_API_KEY")
        .env("VOICE_KEY", "voice-key-0123456789")
        .env("CONVO_TIMEOUT", "10")
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the server redirected in a loop"),
        "{}",
        stderr(&out)
    );
    assert_eq!(requests.load(Ordering::SeqCst), 3, "one chain, not retried");
}

// ---- plain http off this machine --------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_another_host_is_refused_unless_the_user_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // TEST-NET-1 (RFC 5737): never routed, so an accepted endpoint fails fast
    // on the short timeout, and a refused one never gets that far.
    let args = ["--endpoint", "http://192.0.2.1:8080", "list"];
    let env = [("AGENTSIGHT_API_KEY", KEY), ("CONVO_TIMEOUT", "0.3")];
    let out = convo(dir.path(), &args, &env).await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("http://192.0.2.1:8080")
            && err.contains("in clear")
            && err.contains("--allow-insecure-http")
            && err.contains("allow_insecure_http = true"),
        "{err}"
    );

    let allowed = ["--allow-insecure-http", args[0], args[1], args[2]];
    let out = convo(dir.path(), &allowed, &env).await;
    let err = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "it tried, and could not reach it: {err}"
    );
    assert!(!err.contains("will not send it"), "{err}");
    assert!(
        err.contains("warning: the endpoint http://192.0.2.1:8080")
            && err.contains("travels in clear"),
        "allowed, but not without a word: {err}"
    );

    // Loopback needs no flag (every spelling of it: the unit tests of `cleartext`).
    let out = convo(
        dir.path(),
        &["--endpoint", "http://localhost:9", "list"],
        &env,
    )
    .await;
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "localhost is tried: {err}");
    assert!(!err.contains("in clear"), "{err}");
}

const LAN_PROFILES: &str = "default_profile = \"lan\"
[profiles.lan]
endpoint = \"http://10.1.2.3:8000\"
api_key_env = \"LAN_KEY\"

[profiles.trusted]
endpoint = \"http://10.1.2.4:8000\"
api_key_env = \"LAN_KEY\"
allow_insecure_http = true

[profiles.voice]
provider = \"chatdash\"
endpoint = \"http://chatdash.internal\"
agent_id = \"65f0c0ffee\"
api_key_env = \"LAN_KEY\"

[profiles.local]
endpoint = \"http://127.0.0.1:9\"
api_key_env = \"LAN_KEY\"
";

fn lan_file() -> convo::config::ConfigFile {
    convo::config::ConfigFile::parse(
        Path::new("/tmp/convo-keys/config.toml"),
        LAN_PROFILES,
        false,
    )
    .unwrap()
}

fn resolved(profile: &str, allow_flag: bool) -> Result<convo::config::Settings, String> {
    let flags = convo::config::Flags {
        profile: Some(profile.to_owned()),
        allow_insecure_http: allow_flag,
        ..convo::config::Flags::default()
    };
    let env = convo::config::Env::from_pairs([("LAN_KEY", KEY)]);
    convo::config::resolve(Some(&lan_file()), &env, &flags).map_err(|e| e.to_string())
}

#[test]
fn the_flag_or_the_profile_setting_allows_plain_http_and_nothing_else_does() {
    for profile in ["lan", "voice"] {
        let err = resolved(profile, false).expect_err("refused");
        assert!(
            err.contains(&format!("profile {profile} in /tmp/convo-keys/config.toml"))
                && err.contains("--allow-insecure-http")
                && err.contains("allow_insecure_http = true"),
            "{err}"
        );
        let s = resolved(profile, true).expect("allowed by the flag");
        assert_eq!(
            s.allow_insecure_http.source,
            Source::Flag("--allow-insecure-http")
        );
        assert!(
            s.warnings.iter().any(|w| w.contains("travels in clear")),
            "allowed, but said: {:?}",
            s.warnings
        );
    }
    let s = resolved("trusted", false).expect("allowed by the profile");
    assert!(s.allow_insecure_http.value && s.endpoint_in_clear());
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("allow_insecure_http = true in profile trusted"))
    );
    let s = resolved("local", false).expect("loopback needs nothing");
    assert!(
        !s.endpoint_in_clear() && s.warnings.is_empty(),
        "{:?}",
        s.warnings
    );

    let demo = convo::config::Flags {
        demo: true,
        endpoint: None,
        ..convo::config::Flags::default()
    };
    let env = convo::config::Env::from_pairs([("AGENTSIGHT_API_ENDPOINT", "http://10.9.9.9")]);
    assert!(
        convo::config::resolve(Some(&lan_file()), &env, &demo).is_ok(),
        "the demo never uses it"
    );
}

#[tokio::test]
async fn the_browser_refuses_a_profile_in_clear_and_the_start_flag_does_not_carry_over() {
    use convo::session::connect::ConfigProfiles;
    use convo::session::profiles::Profiles as _;

    let env = convo::config::Env::from_pairs([("LAN_KEY", KEY)]);
    let started_with = convo::config::Flags {
        profile: Some("lan".to_owned()),
        allow_insecure_http: true,
        ..convo::config::Flags::default()
    };
    let profiles = ConfigProfiles::new(lan_file(), env, &started_with);
    let entry = profiles
        .entries()
        .into_iter()
        .find(|e| e.name == "lan")
        .unwrap();
    assert!(entry.detail.contains("in clear"), "{}", entry.detail);
    let Err(err) = profiles.connect("lan").await else {
        panic!("switching to lan sent the key in clear");
    };
    assert!(err.contains("--allow-insecure-http"), "{err}");
    // Connecting builds the client; nothing is sent before the first page.
    assert!(profiles.connect("trusted").await.is_ok());
    assert!(profiles.connect("local").await.is_ok());
}

fn write_config(dir: &Path, text: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn config_show_flags_a_plain_http_endpoint_off_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let run = |path: PathBuf, format: &'static str| async move {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_convo"))
            .arg("--config")
            .arg(&path)
            .args(["config", "show", "--format", format])
            .env_remove("AGENTSIGHT_API_ENDPOINT")
            .env_remove("CONVO_PROFILE")
            .env("LAN_KEY", KEY)
            .output()
            .await
            .unwrap()
    };
    let allowed = "default_profile = \"lan\"\n[profiles.lan]\nendpoint = \"http://10.1.2.3:8000\"\napi_key_env = \"LAN_KEY\"\nallow_insecure_http = true\n";
    let out = run(write_config(dir.path(), allowed, 0o600), "text").await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = stdout(&out);
    let line = shown
        .lines()
        .find(|l| l.starts_with("endpoint"))
        .unwrap_or_default();
    assert!(
        line.contains("http://10.1.2.3:8000") && line.contains("plain http"),
        "{shown}"
    );
    assert!(shown.contains("allow_insecure_http"), "{shown}");
    let out = run(write_config(dir.path(), allowed, 0o600), "json").await;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["endpoint"]["insecure"], true, "{json}");

    // Not allowed: shown, flagged as refused, and the way out named.
    let refused = allowed.replace("allow_insecure_http = true\n", "");
    let out = run(write_config(dir.path(), &refused, 0o600), "text").await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(
        shown.contains("refused") && shown.contains("--allow-insecure-http"),
        "{shown}"
    );

    let safe = allowed
        .replace("http://10.1.2.3:8000", "https://10.1.2.3:8000")
        .replace("allow_insecure_http = true\n", "");
    let out = run(write_config(dir.path(), &safe, 0o600), "json").await;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["endpoint"]["insecure"], false, "{json}");
}

// ---- api_key_cmd ----------------------------------------------------------------------------

fn cmd_spec(cmd: &str) -> Sourced<KeySpec> {
    Sourced {
        value: KeySpec::Cmd(cmd.to_owned()),
        source: Source::Default,
    }
}

async fn key_from(cmd: &str, timeout: Duration) -> Result<String, String> {
    fetch_key(
        &cmd_spec(cmd),
        &convo::config::Env::from_pairs::<&str, &str>([]),
        timeout,
    )
    .await
    .map_err(|e| e.to_string())
}

/// Whether a process is still there (a zombie waiting to be reaped is not).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        !stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .trim_start()
            .starts_with('Z')
    })
}

fn read_pid(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap().trim().to_owned()
}

#[tokio::test]
async fn ten_megabytes_on_stdout_are_refused_not_taken_as_a_key() {
    let started = Instant::now();
    let err = key_from(
        "head -c 10000000 /dev/zero | tr '\\0' a",
        Duration::from_secs(30),
    )
    .await
    .expect_err("10 MB is no key");
    assert!(
        err.contains("more than") && err.contains("refused"),
        "{err}"
    );
    assert!(
        err.len() < 1000,
        "the output is not quoted: {} bytes",
        err.len()
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn on_timeout_the_whole_process_group_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let cmd = format!("sleep 100 & echo $! > {}; sleep 100", pids.display());
    let err = key_from(&cmd, Duration::from_millis(500))
        .await
        .expect_err("it never prints");
    assert!(err.contains("did not finish within"), "{err}");
    let background = read_pid(&pids);
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(&background) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let survived = alive(&background);
    if survived {
        let _ = std::process::Command::new("kill").arg(&background).status();
    }
    assert!(
        !survived,
        "the command's background child outlived the timeout"
    );
}

#[tokio::test]
async fn a_key_printed_before_exit_is_taken_though_a_background_child_holds_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    let cmd = format!("echo {KEY}; sleep 30 & echo $! > {}", pids.display());
    let started = Instant::now();
    let key = key_from(&cmd, Duration::from_secs(20)).await;
    let took = started.elapsed();
    let _ = std::process::Command::new("kill")
        .arg(read_pid(&pids))
        .status();
    assert_eq!(key.as_deref(), Ok(KEY));
    assert!(took < Duration::from_secs(5), "it took {took:?}");
}

#[test]
fn a_config_others_can_write_is_refused_when_it_sets_api_key_cmd() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "default_profile = \"prod\"\n[profiles.prod]\napi_key_cmd = \"pass show agentsight\"\n";
    for mode in [0o666, 0o620, 0o602] {
        let path = write_config(dir.path(), text, mode);
        let err = convo::config::load(&path)
            .expect_err("others could make convo run any command")
            .to_string();
        assert!(
            err.contains(&path.display().to_string())
                && err.contains("api_key_cmd")
                && err.contains("chmod 600")
                && err.contains("go-w"),
            "{mode:o}: {err}"
        );
    }
    let path = write_config(dir.path(), text, 0o600);
    assert!(convo::config::load(&path).unwrap().is_some());
    let path = write_config(dir.path(), text, 0o644);
    assert!(
        convo::config::load(&path).unwrap().is_some(),
        "readable is fine: the command is no secret"
    );
    let env_only = "[profiles.prod]\napi_key_env = \"K\"\n";
    let path = write_config(dir.path(), env_only, 0o666);
    assert!(
        convo::config::load(&path).unwrap().is_some(),
        "without api_key_cmd the file runs nothing"
    );
}
