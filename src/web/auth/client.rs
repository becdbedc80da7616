//! Who the client is, for sign-in limits and lockout (S17). Behind a
//! reverse proxy every connection comes from the proxy, so one attacker
//! would share a limit with everyone; `X-Forwarded-For` names the real
//! client, but anyone can send that header. It is believed only when the
//! TCP peer is a configured trusted proxy (`server.trusted_proxies`), and
//! only as far back as the chain of trusted proxies goes.

use std::net::{IpAddr, Ipv6Addr};

use actix_web::HttpRequest;

use crate::config::ProxyRange;

/// The client's address: the peer, or — when the peer is a trusted proxy —
/// the right-most address in `X-Forwarded-For` that is not itself a
/// trusted proxy (the proxies append; entries further left are the
/// client's own claims).
pub fn address(req: &HttpRequest, trusted: &[ProxyRange]) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    Some(resolve(peer, forwarded_for(req), trusted))
}

fn forwarded_for(req: &HttpRequest) -> Vec<String> {
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

/// `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:5678`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
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
