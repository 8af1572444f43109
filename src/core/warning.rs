//! Warnings the core gives whoever embeds it (a damaged store set aside and replaced, ...):
//! one process-wide sink, which the binding points at Node's `process.emitWarning`. Without
//! a sink (the core's own tests, a Rust embedder that set none) they go to stderr.

use std::sync::OnceLock;

type Sink = Box<dyn Fn(String) + Send + Sync>;

fn sink() -> &'static OnceLock<Sink> {
    static SINK: OnceLock<Sink> = OnceLock::new();
    &SINK
}

/// Sets where warnings go (the first call wins).
pub fn set_sink(sink_fn: impl Fn(String) + Send + Sync + 'static) {
    let _ = sink().set(Box::new(sink_fn));
}

/// Gives a warning: one sentence, never a credential or a secret value.
pub fn emit(message: String) {
    match sink().get() {
        Some(sink_fn) => sink_fn(message),
        None => eprintln!("headless-session: {message}"),
    }
}
