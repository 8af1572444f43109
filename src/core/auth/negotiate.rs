//! Negotiate (RFC 4559): SPNEGO (RFC 4178) tokens carrying NTLM, which is what a Negotiate
//! client without a Kerberos ticket offers (Windows' SSPI and GSSAPI with gss-ntlmssp do
//! the same). The first token is a GSS-API InitialContextToken whose NegTokenInit offers
//! NTLMSSP with the Type 1 message; the server's NegTokenResp carries the Type 2, and ours
//! carries the Type 3. Only the few DER shapes these need are written and read here.

/// SPNEGO's OID, 1.3.6.1.5.5.2.
const SPNEGO_OID: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x02];
/// NTLMSSP's OID, 1.3.6.1.4.1.311.2.2.10.
const NTLMSSP_OID: &[u8] = &[0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0a];

/// DER: `tag`, its length, `content`.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// DER: splits the first element of `input` into its tag, content and what follows.
fn read_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// The first token: InitialContextToken { SPNEGO, NegTokenInit { mechTypes: [NTLMSSP],
/// mechToken: `ntlm_negotiate` } }.
pub fn init(ntlm_negotiate: &[u8]) -> Vec<u8> {
    let mech_types = tlv(0xa0, &tlv(0x30, &tlv(0x06, NTLMSSP_OID)));
    let mech_token = tlv(0xa2, &tlv(0x04, ntlm_negotiate));
    let neg_token_init = tlv(0xa0, &tlv(0x30, &[mech_types, mech_token].concat()));
    tlv(0x60, &[tlv(0x06, SPNEGO_OID), neg_token_init].concat())
}

/// Our later token: NegTokenResp { responseToken: `ntlm_message` }.
pub fn response(ntlm_message: &[u8]) -> Vec<u8> {
    tlv(0xa1, &tlv(0x30, &tlv(0xa2, &tlv(0x04, ntlm_message))))
}

/// The mechanism token inside a server's NegTokenResp (its `responseToken`); a bare NTLM
/// message, which some servers send under `Negotiate`, is taken as it is.
pub fn inner_token(token: &[u8]) -> Option<Vec<u8>> {
    if token.starts_with(b"NTLMSSP\0") {
        return Some(token.to_vec());
    }
    let (tag, body, _) = read_tlv(token)?;
    if tag != 0xa1 {
        return None;
    }
    let (tag, mut fields, _) = read_tlv(body)?;
    if tag != 0x30 {
        return None;
    }
    while !fields.is_empty() {
        let (tag, content, rest) = read_tlv(fields)?;
        if tag == 0xa2 {
            let (tag, octets, _) = read_tlv(content)?;
            return (tag == 0x04).then(|| octets.to_vec());
        }
        fields = rest;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        let first = init(b"NTLMSSP\0\x01rest");
        // What Windows sends for NTLM-only SPNEGO, byte for byte in structure.
        assert_eq!(first[0], 0x60);
        assert_eq!(
            &first[2..10],
            &[0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02]
        );
        assert!(first.ends_with(b"NTLMSSP\0\x01rest"));
        // accept-incomplete, supportedMech NTLMSSP, responseToken "NTLMSSP\0\x02...".
        let mut server = vec![0xa0, 0x03, 0x0a, 0x01, 0x01];
        server.extend(tlv(0xa1, &tlv(0x06, NTLMSSP_OID)));
        server.extend(tlv(0xa2, &tlv(0x04, b"NTLMSSP\0\x02challenge")));
        let server = tlv(0xa1, &tlv(0x30, &server));
        assert_eq!(inner_token(&server).unwrap(), b"NTLMSSP\0\x02challenge");
        assert_eq!(
            inner_token(b"NTLMSSP\0\x02raw").unwrap(),
            b"NTLMSSP\0\x02raw"
        );
        let ours = response(&[7u8; 300]);
        assert_eq!(&ours[..4], &[0xa1, 0x82, 0x01, 0x38]);
        assert_eq!(inner_token(&ours).unwrap(), vec![7u8; 300]);
        assert!(inner_token(&[0xa1, 0x05, 0x30]).is_none());
        assert!(inner_token(b"").is_none());
    }
}
