//! Kerberos through the system's GSSAPI library, as Chromium's HttpAuthGSSAPI does it on
//! Linux and macOS: the library is loaded at run time (`libgssapi_krb5.so.2`, or
//! `GSS.framework` on macOS; nothing to link at build time, nothing to install for users
//! without Kerberos), and a Negotiate token is made with the SPNEGO mechanism from the
//! default credentials (the ticket cache `kinit` fills) for the service `HTTP@host`. No
//! library, no ticket, or no service ticket: `None`, and the caller goes on without it.
//!
//! `gss_init_sec_context` may ask the KDC for a service ticket over the network: callers run
//! it off the async runtime's threads (`spawn_blocking`).

use std::ffi::c_void;
use std::ptr;
use std::sync::OnceLock;

use libloading::Library;

type OmUint32 = u32;

#[repr(C)]
struct BufferDesc {
    length: usize,
    value: *mut c_void,
}

#[repr(C)]
struct OidDesc {
    length: OmUint32,
    elements: *mut c_void,
}

/// GSS_C_NT_HOSTBASED_SERVICE, 1.2.840.113554.1.2.1.4.
const HOSTBASED_SERVICE: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x01, 0x04];
/// SPNEGO, 1.3.6.1.5.5.2.
const SPNEGO: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x02];
/// GSS_S_CONTINUE_NEEDED.
const CONTINUE_NEEDED: OmUint32 = 1;
/// The calling and routine error bits of a major status.
const ERROR_MASK: OmUint32 = 0xffff_0000;

type ImportName = unsafe extern "C" fn(
    *mut OmUint32,
    *mut BufferDesc,
    *mut OidDesc,
    *mut *mut c_void,
) -> OmUint32;
type InitSecContext = unsafe extern "C" fn(
    *mut OmUint32,
    *mut c_void,
    *mut *mut c_void,
    *mut c_void,
    *mut OidDesc,
    OmUint32,
    OmUint32,
    *mut c_void,
    *mut BufferDesc,
    *mut *mut OidDesc,
    *mut BufferDesc,
    *mut OmUint32,
    *mut OmUint32,
) -> OmUint32;
type ReleaseBuffer = unsafe extern "C" fn(*mut OmUint32, *mut BufferDesc) -> OmUint32;
type ReleaseName = unsafe extern "C" fn(*mut OmUint32, *mut *mut c_void) -> OmUint32;
type DeleteSecContext =
    unsafe extern "C" fn(*mut OmUint32, *mut *mut c_void, *mut BufferDesc) -> OmUint32;

/// The library's entry points we use.
struct Gss {
    import_name: ImportName,
    init_sec_context: InitSecContext,
    release_buffer: ReleaseBuffer,
    release_name: ReleaseName,
    delete_sec_context: DeleteSecContext,
    _library: Library,
}

/// Where the system's GSSAPI library is (Chromium's defaults).
const LIBRARY_NAMES: &[&str] = if cfg!(target_os = "macos") {
    &["/System/Library/Frameworks/GSS.framework/GSS"]
} else {
    &[
        "libgssapi_krb5.so.2",
        "libgssapi.so.4",
        "libgssapi.so.2",
        "libgssapi.so.1",
    ]
};

fn gss() -> Option<&'static Gss> {
    static GSS: OnceLock<Option<Gss>> = OnceLock::new();
    GSS.get_or_init(|| LIBRARY_NAMES.iter().find_map(|name| load(name)))
        .as_ref()
}

fn load(name: &str) -> Option<Gss> {
    // SAFETY: the GSSAPI libraries named above have no initialisers that could misbehave on
    // load, and each symbol is read with its RFC 2744 signature.
    unsafe {
        let library = Library::new(name).ok()?;
        let import_name = *library.get::<ImportName>(b"gss_import_name\0").ok()?;
        let init_sec_context = *library
            .get::<InitSecContext>(b"gss_init_sec_context\0")
            .ok()?;
        let release_buffer = *library.get::<ReleaseBuffer>(b"gss_release_buffer\0").ok()?;
        let release_name = *library.get::<ReleaseName>(b"gss_release_name\0").ok()?;
        let delete_sec_context = *library
            .get::<DeleteSecContext>(b"gss_delete_sec_context\0")
            .ok()?;
        Some(Gss {
            import_name,
            init_sec_context,
            release_buffer,
            release_name,
            delete_sec_context,
            _library: library,
        })
    }
}

/// One Negotiate handshake with a server.
pub struct Context {
    gss: &'static Gss,
    name: *mut c_void,
    context: *mut c_void,
}

// SAFETY: a GSSAPI context and name may be used from any one thread at a time; `Context`
// is never shared, only moved between the runtime's threads.
unsafe impl Send for Context {}

impl Context {
    /// A handshake with the service `HTTP@host`, or `None` without a GSSAPI library.
    pub fn new(host: &str) -> Option<Self> {
        let gss = gss()?;
        let mut service = format!("HTTP@{host}").into_bytes();
        let mut buffer = BufferDesc {
            length: service.len(),
            value: service.as_mut_ptr().cast(),
        };
        let mut oid = oid(HOSTBASED_SERVICE);
        let mut minor = 0;
        let mut name = ptr::null_mut();
        // SAFETY: every pointer refers to a live local for the duration of the call.
        let major = unsafe { (gss.import_name)(&mut minor, &mut buffer, &mut oid, &mut name) };
        if major & ERROR_MASK != 0 {
            return None;
        }
        Some(Self {
            gss,
            name,
            context: ptr::null_mut(),
        })
    }

    /// The next token: the first one without `input`, later ones answering the server's.
    /// `None` when the library refuses (no ticket cache, no service ticket, a bad token).
    pub fn step(&mut self, input: Option<&[u8]>) -> Option<Vec<u8>> {
        let mut input_copy = input.map(<[u8]>::to_vec).unwrap_or_default();
        let mut input_buffer = BufferDesc {
            length: input_copy.len(),
            value: input_copy.as_mut_ptr().cast(),
        };
        let mut output = BufferDesc {
            length: 0,
            value: ptr::null_mut(),
        };
        let mut mech = oid(SPNEGO);
        let mut minor = 0;
        // SAFETY: pointers refer to live locals or to the context and name this value owns;
        // null credentials mean the default ones.
        let major = unsafe {
            (self.gss.init_sec_context)(
                &mut minor,
                ptr::null_mut(),
                &mut self.context,
                self.name,
                &mut mech,
                0,
                0,
                ptr::null_mut(),
                if input.is_some() {
                    &mut input_buffer
                } else {
                    ptr::null_mut()
                },
                ptr::null_mut(),
                &mut output,
                ptr::null_mut(),
                ptr::null_mut(),
            )
        };
        let token = if output.value.is_null() || output.length == 0 {
            Vec::new()
        } else {
            // SAFETY: the library returned `length` bytes at `value`, released below.
            unsafe { std::slice::from_raw_parts(output.value.cast::<u8>(), output.length) }.to_vec()
        };
        // SAFETY: `output` was filled by the library (or is empty, which it accepts).
        unsafe { (self.gss.release_buffer)(&mut minor, &mut output) };
        let failed = major & ERROR_MASK != 0 || (token.is_empty() && major == CONTINUE_NEEDED);
        (!failed && !token.is_empty()).then_some(token)
    }
}

impl Drop for Context {
    fn drop(&mut self) {
        let mut minor = 0;
        // SAFETY: the context and name were made by this library and are released once.
        unsafe {
            if !self.context.is_null() {
                (self.gss.delete_sec_context)(&mut minor, &mut self.context, ptr::null_mut());
            }
            (self.gss.release_name)(&mut minor, &mut self.name);
        }
    }
}

/// `Negotiate <token>` from the system's Kerberos ticket for the service `HTTP@host`, or
/// `None` (no GSSAPI library, no ticket, no service ticket). GSSAPI may ask the KDC over the
/// network, so it runs on the blocking pool; each call makes a fresh token (a Kerberos
/// authenticator is good for one use).
pub async fn negotiate_header(host: String) -> Option<String> {
    use base64::Engine;
    let token = tokio::task::spawn_blocking(move || Context::new(&host)?.step(None))
        .await
        .ok()??;
    Some(format!(
        "Negotiate {}",
        base64::engine::general_purpose::STANDARD.encode(token)
    ))
}

/// An OID descriptor over static bytes (the library only reads it).
fn oid(bytes: &'static [u8]) -> OidDesc {
    OidDesc {
        length: bytes.len() as OmUint32,
        elements: bytes.as_ptr().cast_mut().cast(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_ticket_there_is_no_token() {
        // Point the library at an empty ticket cache: whether or not GSSAPI is installed,
        // no token comes out and nothing panics.
        let dir = tempfile::tempdir().unwrap();
        std::env::set_var(
            "KRB5CCNAME",
            format!("FILE:{}", dir.path().join("none").display()),
        );
        if let Some(mut context) = Context::new("www.example.test") {
            assert!(context.step(None).is_none());
        }
    }
}
