//! Build script: links the napi addon when the `napi` feature is on; the pure core needs nothing.
fn main() {
    #[cfg(feature = "napi")]
    napi_build::setup();
}
