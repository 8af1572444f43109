//! The forwarding HTTP proxy of bench/proxy.js (bench tooling, not part of the library):
//! reads a connection's first request head, connects to its absolute-form target (names
//! ending in `.bench` are on loopback), rewrites the head to origin-form and relays bytes
//! both ways with large buffers. Prints its port.
//! `cargo run --release --no-default-features --example bench_proxy`

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn serve(mut client: TcpStream) -> std::io::Result<()> {
    client.set_nodelay(true)?;
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    let end = loop {
        let n = client.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(i) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
    };
    let text = String::from_utf8_lossy(&head[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let first = lines.next().unwrap_or_default();
    let mut parts = first.split(' ');
    let (method, target, version) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let url = url::Url::parse(target).map_err(std::io::Error::other)?;
    let host = url.host_str().unwrap_or("");
    let host = if host.ends_with(".bench") {
        "127.0.0.1"
    } else {
        host
    };
    let mut upstream =
        TcpStream::connect((host, url.port_or_known_default().unwrap_or(80))).await?;
    upstream.set_nodelay(true)?;
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    let rest: Vec<&str> = lines
        .filter(|l| !l.to_ascii_lowercase().starts_with("proxy-"))
        .collect();
    let rewritten = format!("{method} {path} {version}\r\n{}\r\n\r\n", rest.join("\r\n"));
    upstream.write_all(rewritten.as_bytes()).await?;
    upstream.write_all(&head[end + 4..]).await?;
    tokio::io::copy_bidirectional_with_sizes(&mut client, &mut upstream, 256 * 1024, 256 * 1024)
        .await?;
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    println!("{}", listener.local_addr()?.port());
    loop {
        let (client, _) = listener.accept().await?;
        tokio::spawn(async move {
            let _ = serve(client).await;
        });
    }
}
