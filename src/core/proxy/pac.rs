//! PAC scripts: `FindProxyForURL` run by QuickJS (rquickjs) on a thread of its own, with the
//! Netscape helpers and Microsoft's *Ex variants, a time limit and a memory limit, so that
//! a PAC that loops or allocates without end fails its resolution and never blocks Node or
//! the network workers. Answers are cached per scheme, host and port.

use std::collections::HashMap;
use std::net::ToSocketAddrs;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use rquickjs::{Context, Function, Runtime};
use tokio::sync::oneshot;
use url::Url;

use super::server::{ProxyScheme, ProxyServer};

/// How long one `FindProxyForURL` call may run.
pub const TIME_LIMIT: Duration = Duration::from_millis(1000);
/// How much memory the script may hold.
pub const MEMORY_LIMIT: usize = 64 * 1024 * 1024;

const HELPERS: &str = include_str!("pac_helpers.js");

struct Job {
    url: String,
    host: String,
    reply: oneshot::Sender<Result<String, String>>,
}

/// How long the PAC thread keeps polling for the next job before it sleeps: a burst of
/// lookups (a page's worth of hosts) then skips the thread wake-up, which costs more here than
/// running the script.
const SPIN: Duration = Duration::from_micros(200);

fn next_job(rx: &mpsc::Receiver<Job>) -> Option<Job> {
    let started = Instant::now();
    loop {
        match rx.try_recv() {
            Ok(job) => return Some(job),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) if started.elapsed() < SPIN => std::hint::spin_loop(),
            Err(mpsc::TryRecvError::Empty) => return rx.recv().ok(),
        }
    }
}

/// A loaded PAC script.
pub struct PacEngine {
    jobs: Mutex<mpsc::Sender<Job>>,
    cache: Mutex<HashMap<String, Vec<ProxyServer>>>,
}

fn resolve_ipv4(host: &str) -> Option<String> {
    (host, 0)
        .to_socket_addrs()
        .ok()?
        .find(|a| a.is_ipv4())
        .map(|a| a.ip().to_string())
}

fn my_ip() -> String {
    // The address a connection to a public address would leave from (no packet is sent).
    std::net::UdpSocket::bind("0.0.0.0:0")
        .and_then(|s| s.connect("8.8.8.8:53").map(|_| s))
        .and_then(|s| s.local_addr())
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|_| "127.0.0.1".to_owned())
}

/// When the running call must stop, as nanoseconds after `Deadline::base` (0: none). An
/// atomic, because QuickJS asks the interrupt handler very often.
struct Deadline {
    base: Instant,
    at: AtomicU64,
}

impl Deadline {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            base: Instant::now(),
            at: AtomicU64::new(0),
        })
    }

    fn arm(&self, limit: Duration) {
        let at = (self.base.elapsed() + limit).as_nanos() as u64;
        self.at.store(at.max(1), Ordering::Relaxed);
    }

    fn disarm(&self) {
        self.at.store(0, Ordering::Relaxed);
    }

    fn passed(&self) -> bool {
        let at = self.at.load(Ordering::Relaxed);
        at != 0 && self.base.elapsed().as_nanos() as u64 > at
    }
}

/// A runtime and context with the helpers and the script evaluated.
fn instantiate(script: &str, deadline: Arc<Deadline>) -> Result<(Runtime, Context), String> {
    let runtime = Runtime::new().map_err(|e| e.to_string())?;
    runtime.set_memory_limit(MEMORY_LIMIT);
    runtime.set_max_stack_size(1024 * 1024);
    runtime.set_interrupt_handler(Some(Box::new(move || deadline.passed())));
    let context = Context::full(&runtime).map_err(|e| e.to_string())?;
    context.with(|ctx| -> Result<(), String> {
        let globals = ctx.globals();
        let text = |e: rquickjs::Error| e.to_string();
        let resolve =
            Function::new(ctx.clone(), |host: String| resolve_ipv4(&host)).map_err(text)?;
        globals.set("dnsResolve", resolve).map_err(text)?;
        let resolve_all = Function::new(ctx.clone(), |host: String| {
            (host.as_str(), 0)
                .to_socket_addrs()
                .map(|it| it.map(|a| a.ip().to_string()).collect::<Vec<_>>().join(";"))
                .unwrap_or_default()
        })
        .map_err(text)?;
        globals.set("dnsResolveEx", resolve_all).map_err(text)?;
        globals
            .set(
                "myIpAddress",
                Function::new(ctx.clone(), my_ip).map_err(text)?,
            )
            .map_err(text)?;
        globals
            .set(
                "myIpAddressEx",
                Function::new(ctx.clone(), my_ip).map_err(text)?,
            )
            .map_err(text)?;
        ctx.eval::<(), _>(HELPERS)
            .map_err(|e| format!("PAC helpers failed: {e}"))?;
        ctx.eval::<(), _>(script).map_err(|_| {
            let message = describe(&ctx);
            format!("PAC script failed to load: {message}")
        })?;
        let _: Function = globals
            .get("FindProxyForURL")
            .map_err(|_| "PAC script does not define FindProxyForURL".to_owned())?;
        Ok(())
    })?;
    Ok((runtime, context))
}

fn describe(ctx: &rquickjs::Ctx<'_>) -> String {
    let caught = ctx.catch();
    caught
        .as_exception()
        .and_then(|e| e.message())
        .or_else(|| caught.as_string().and_then(|s| s.to_string().ok()))
        .unwrap_or_else(|| "unknown error".to_owned())
}

impl PacEngine {
    /// Compiles `script` on a new thread; `Err` when it does not load.
    pub fn load(script: String) -> Result<Arc<Self>, String> {
        let (jobs, rx) = mpsc::channel::<Job>();
        let (ready_tx, ready_rx) = mpsc::channel();
        std::thread::Builder::new()
            .name("pac".to_owned())
            .spawn(move || {
                let deadline = Deadline::new();
                let mut engine = match instantiate(&script, deadline.clone()) {
                    Ok(engine) => {
                        let _ = ready_tx.send(Ok(()));
                        engine
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                while let Some(job) = next_job(&rx) {
                    deadline.arm(TIME_LIMIT);
                    let started = Instant::now();
                    let result = engine.1.with(|ctx| {
                        let find: Function = ctx
                            .globals()
                            .get("FindProxyForURL")
                            .map_err(|e| e.to_string())?;
                        find.call::<_, String>((job.url.as_str(), job.host.as_str()))
                            .map_err(|_| describe(&ctx))
                    });
                    deadline.disarm();
                    let result = result.map_err(|message| {
                        if started.elapsed() >= TIME_LIMIT {
                            format!(
                                "FindProxyForURL ran longer than {} ms",
                                TIME_LIMIT.as_millis()
                            )
                        } else if message.contains("out of memory") {
                            format!("FindProxyForURL used more than {} MiB", MEMORY_LIMIT >> 20)
                        } else {
                            format!("FindProxyForURL threw: {message}")
                        }
                    });
                    if result.is_err() {
                        // An interrupted or exhausted runtime is not trusted again.
                        match instantiate(&script, deadline.clone()) {
                            Ok(fresh) => engine = fresh,
                            Err(_) => {
                                let _ = job.reply.send(result);
                                return;
                            }
                        }
                    }
                    let _ = job.reply.send(result);
                }
            })
            .map_err(|e| e.to_string())?;
        ready_rx
            .recv()
            .map_err(|_| "PAC thread failed".to_owned())??;
        Ok(Arc::new(Self {
            jobs: Mutex::new(jobs),
            cache: Mutex::default(),
        }))
    }

    /// The proxies the script picks for `url` (cached per scheme, host and port). `Err`
    /// carries why the script failed; the caller goes direct, as Chromium does.
    pub async fn find(&self, url: &Url) -> Result<Vec<ProxyServer>, String> {
        let key = format!(
            "{}://{}:{}",
            url.scheme(),
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(0)
        );
        if let Some(hit) = self
            .cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
        {
            return Ok(hit.clone());
        }
        // Chromium strips https URLs to their origin before handing them to the script.
        let mut visible = url.clone();
        let _ = visible.set_username("");
        let _ = visible.set_password(None);
        visible.set_fragment(None);
        if matches!(url.scheme(), "https" | "wss") {
            visible.set_path("/");
            visible.set_query(None);
        }
        let host = url
            .host_str()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let (reply, answer) = oneshot::channel();
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .send(Job {
                url: visible.to_string(),
                host,
                reply,
            })
            .map_err(|_| "PAC thread is gone".to_owned())?;
        let text = answer
            .await
            .map_err(|_| "PAC thread is gone".to_owned())??;
        let list = parse_pac_result(&text);
        self.cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key, list.clone());
        Ok(list)
    }
}

/// A PAC result (`PROXY a:1; SOCKS5 b:2; DIRECT`) as a list; entries of a type Chromium
/// does not know (`HTTP a:1`) or that do not parse are skipped, and nothing valid means
/// DIRECT.
pub fn parse_pac_result(text: &str) -> Vec<ProxyServer> {
    let mut list = Vec::new();
    for entry in text.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        let mut words = entry.split_whitespace();
        let keyword = words.next().unwrap_or("").to_ascii_uppercase();
        let target = words.next().unwrap_or("");
        let scheme = match keyword.as_str() {
            "DIRECT" => {
                list.push(ProxyServer::direct());
                continue;
            }
            "PROXY" => ProxyScheme::Http,
            "HTTPS" => ProxyScheme::Https,
            "SOCKS" | "SOCKS4" => ProxyScheme::Socks4,
            "SOCKS5" => ProxyScheme::Socks5,
            _ => continue,
        };
        if let Some(server) = ProxyServer::parse_uri(target, scheme) {
            if !target.contains("://") {
                list.push(server);
            }
        }
    }
    if list.is_empty() {
        list.push(ProxyServer::direct());
    }
    list
}

#[cfg(test)]
#[path = "pac_tests.rs"]
mod tests;
