//! Who the client is, for sign-in limits and lockout (S17). Behind a
//! reverse proxy every connection comes from the proxy, so one attacker
//! would share a limit with everyone; `Forwarded` (RFC 7239) or
//! `X-Forwarded-For` names the real client, but anyone can send those
//! headers. They are believed only when the TCP peer is a configured
//! trusted proxy (`server.trusted_proxies`), and only as far back as the
//! chain of trusted proxies goes. When a request carries `Forwarded`, it is
//! the one read (the standard header; a proxy that writes it is newer than
//! one that writes only `X-Forwarded-For`).

use std::net::{IpAddr, Ipv6Addr};

use actix_web::HttpRequest;

use crate::config::ProxyRange;

/// The client's address: the peer, or — when the peer is a trusted proxy —
/// the right-most address in `X-Forwarded-For` that is not itself a
/// trusted proxy (the proxies append; entries further left are the
/// client's own claims).
pub fn address(req: &HttpRequest, trusted: &[ProxyRange]) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let chain = match forwarded(req) {
        Some(chain) => chain,
        None => x_forwarded_for(req),
    };
    Some(resolve(peer, chain, trusted))
}

/// The `for=` of each element of `Forwarded` (RFC 7239 §4), oldest first,
/// or `None` when the header is absent. An element without `for=`, or with
/// `unknown` or an obfuscated identifier (§6.2, §6.3), is kept as a
/// garbled hop, so resolution stops there instead of skipping it.
fn forwarded(req: &HttpRequest) -> Option<Vec<String>> {
    let values: Vec<&str> = req
        .headers()
        .get_all("forwarded")
        .filter_map(|v| v.to_str().ok())
        .collect();
    if values.is_empty() {
        return None;
    }
    Some(
        values
            .iter()
            .flat_map(|v| v.split(','))
            .map(|element| for_of(element).unwrap_or_default())
            .collect(),
    )
}

/// The node of one `Forwarded` element's `for=` pair, unquoted:
/// `for=192.0.2.60`, `for="[2001:db8:cafe::17]:4711"`.
fn for_of(element: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| value.trim().trim_matches('"').to_string())
    })
}

fn x_forwarded_for(req: &HttpRequest) -> Vec<String> {
    req.headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|s| s.trim().to_string())
        .collect()
}

fn resolve(peer: IpAddr, chain: Vec<String>, trusted: &[ProxyRange]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|r| r.contains(ip));
    let mut client = peer;
    if !is_trusted(client) {
        return client;
    }
    for hop in chain.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            // A garbled entry: stop at the last address a trusted proxy
            // vouched for rather than guess.
            return client;
        };
        client = ip;
        if !is_trusted(ip) {
            break;
        }
    }
    client
}

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1`, `[2001:db8::1]` or
/// `[2001:db8::1]:5678`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(ip) = hop.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return ip.parse().ok();
    }
    if let Ok(sock) = hop.parse::<std::net::SocketAddr>() {
        return Some(sock.ip());
    }
    None
}

/// The key failures and rate limits are counted under: an IPv4 address, or
/// an IPv6 /64 (one household or server gets a whole /64, so counting single
/// IPv6 addresses would give an attacker billions of fresh counters).
pub fn key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let bits = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(bits))
            }
        },
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(s: &str) -> ProxyRange {
        ProxyRange::try_from(s.to_string()).unwrap()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn chain(s: &str) -> Vec<String> {
        s.split(',').map(|h| h.trim().to_string()).collect()
    }

    #[test]
    fn the_header_is_ignored_from_untrusted_peers() {
        let r = resolve(
            ip("203.0.113.9"),
            chain("198.51.100.1"),
            &[range("10.0.0.0/8")],
        );
        assert_eq!(r, ip("203.0.113.9"));
        assert_eq!(
            resolve(ip("10.0.0.1"), chain("198.51.100.1"), &[]),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn trusted_hops_are_skipped_from_the_right() {
        let trusted = [range("10.0.0.0/8")];
        // The client claims 1.1.1.1; the real client is what the proxy saw.
        let r = resolve(
            ip("10.0.0.1"),
            chain("1.1.1.1, 198.51.100.1, 10.0.0.7"),
            &trusted,
        );
        assert_eq!(r, ip("198.51.100.1"));
        assert_eq!(
            resolve(ip("10.0.0.1"), chain("garbage"), &trusted),
            ip("10.0.0.1")
        );
        assert_eq!(
            resolve(ip("10.0.0.1"), chain("[2001:db8::1]:443"), &trusted),
            ip("2001:db8::1")
        );
    }

    fn with_headers(headers: &[(&str, &str)]) -> HttpRequest {
        let mut req =
            actix_web::test::TestRequest::default().peer_addr("10.0.0.1:5000".parse().unwrap());
        for (name, value) in headers {
            req = req.insert_header((*name, *value));
        }
        req.to_http_request()
    }

    /// RFC 7239: `Forwarded` is read like `X-Forwarded-For`, and wins
    /// when both are sent; `unknown` and obfuscated nodes stop the walk.
    #[test]
    fn the_standard_forwarded_header_is_read() {
        let trusted = [range("10.0.0.0/8")];
        let req = with_headers(&[(
            "forwarded",
            "for=1.1.1.1, for=\"[2001:db8:cafe::17]:4711\";proto=https, for=10.0.0.7",
        )]);
        assert_eq!(address(&req, &trusted), Some(ip("2001:db8:cafe::17")));
        let req = with_headers(&[
            ("forwarded", "For=198.51.100.4;by=10.0.0.1"),
            ("x-forwarded-for", "203.0.113.50"),
        ]);
        assert_eq!(address(&req, &trusted), Some(ip("198.51.100.4")));
        let req = with_headers(&[("forwarded", "for=198.51.100.4, for=_hidden")]);
        assert_eq!(address(&req, &trusted), Some(ip("10.0.0.1")));
        let req = with_headers(&[("forwarded", "for=\"[2001:db8::9]\"")]);
        assert_eq!(address(&req, &trusted), Some(ip("2001:db8::9")));
        // From an untrusted peer, the header is nobody's word.
        assert_eq!(address(&req, &[]), Some(ip("10.0.0.1")));
    }

    #[test]
    fn ipv6_clients_are_counted_by_slash_64() {
        assert_eq!(
            key(ip("2001:db8:1:2:aaaa::1")),
            key(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(key(ip("2001:db8:1:2::1")), key(ip("2001:db8:1:3::1")));
        assert_eq!(key(ip("::ffff:192.0.2.1")), ip("192.0.2.1"));
    }
}
