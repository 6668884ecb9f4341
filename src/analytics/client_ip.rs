//! Who is asking: the client IP, and its truncated form for audience rows.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// The proxies (load balancers) whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client address of a request that arrived from `peer` with these
    /// `X-Forwarded-For` values (every header, in order).
    ///
    /// The header is only read when the peer is a trusted proxy. It is then
    /// walked from the right, each trusted hop passing the question on to
    /// the hop before it; the first untrusted address is the client, since
    /// anything left of it was written by the client and can be forged. An
    /// entry that does not parse ends the walk at the last hop we trust.
    pub fn client_ip<'a>(
        &self,
        peer: IpAddr,
        forwarded_for: impl Iterator<Item = &'a str>,
    ) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.contains(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded_for.flat_map(|value| value.split(',')).collect();
        let mut client = peer;
        for hop in hops.iter().rev() {
            let Some(ip) = parse_hop(hop) else {
                return client;
            };
            client = ip;
            if !self.contains(ip) {
                return ip;
            }
        }
        client
    }
}

/// `203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`, `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if hop.is_empty() || hop.len() > 64 {
        return None;
    }
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip.to_canonical());
    }
    hop.parse::<std::net::SocketAddr>()
        .ok()
        .map(|addr| addr.ip().to_canonical())
}

/// An address with its host part erased: IPv4 to its /24, IPv6 to its /48.
/// IPv4-mapped IPv6 addresses are treated as the IPv4 address they carry.
///
/// Some IPv6 prefixes carry an IPv4 address, where the /48 rule would keep
/// too much or keep it by accident; each is cut so that at most the /24 of
/// an IPv4 is kept, as for an IPv4 visitor:
/// - 6to4 (`2002::/16`): the /48 *is* the site's whole IPv4; keep its /24.
/// - Teredo (`2001:0::/32`): the /48 keeps half of the relay server's IPv4
///   (the client's, obfuscated, is in the last 32 bits and already gone).
///   A relay tells nothing about the audience: keep the Teredo prefix only.
/// - NAT64 well-known prefix (`64:ff9b::/96`): the IPv4 is the last 32 bits
///   (RFC 6052), which the /48 erased entirely; keep its /24 behind the
///   prefix, so the row says the visitor came through NAT64 like any other
///   IPv4 visitor. The local-use prefix (`64:ff9b:1::/48`) places the IPv4
///   where its operator chose: the /48 rule, which keeps none of it, stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TruncatedIp(IpAddr);

impl TruncatedIp {
    pub const IPV4_PREFIX: u8 = 24;
    pub const IPV6_PREFIX: u8 = 48;

    pub fn new(ip: IpAddr) -> Self {
        let truncated = match ip.to_canonical() {
            IpAddr::V4(v4) => IpAddr::V4(truncate_v4(v4)),
            IpAddr::V6(v6) => IpAddr::V6(truncate_v6(v6)),
        };
        Self(truncated)
    }

    pub fn addr(self) -> IpAddr {
        self.0
    }
}

fn truncate_v4(v4: Ipv4Addr) -> Ipv4Addr {
    Ipv4Net::new(v4, TruncatedIp::IPV4_PREFIX)
        .map(|net| net.network())
        .unwrap_or(Ipv4Addr::UNSPECIFIED)
}

fn keep_prefix(v6: Ipv6Addr, prefix: u8) -> Ipv6Addr {
    Ipv6Net::new(v6, prefix)
        .map(|net| net.network())
        .unwrap_or(Ipv6Addr::UNSPECIFIED)
}

fn truncate_v6(v6: Ipv6Addr) -> Ipv6Addr {
    match v6.segments() {
        // 6to4: 16 bits of prefix, then the IPv4; keep its first 24 bits.
        [0x2002, ..] => keep_prefix(v6, 16 + TruncatedIp::IPV4_PREFIX),
        [0x2001, 0, ..] => keep_prefix(v6, 32),
        [0x64, 0xff9b, 0, 0, 0, 0, ..] => keep_prefix(v6, 96 + TruncatedIp::IPV4_PREFIX),
        _ => keep_prefix(v6, TruncatedIp::IPV6_PREFIX),
    }
}

impl std::fmt::Display for TruncatedIp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(list: &[&str]) -> TrustedProxies {
        TrustedProxies::new(list.iter().map(|n| n.parse().unwrap()).collect())
    }

    #[test]
    fn truncation_keeps_the_network_only() {
        assert_eq!(
            TruncatedIp::new(ip("203.0.113.77")).to_string(),
            "203.0.113.0"
        );
        assert_eq!(
            TruncatedIp::new(ip("2001:db8:abcd:12:3456::1")).to_string(),
            "2001:db8:abcd::"
        );
        assert_eq!(
            TruncatedIp::new(ip("::ffff:198.51.100.200")).to_string(),
            "198.51.100.0"
        );
    }

    #[test]
    fn tunnelled_ipv4_keeps_only_its_slash_24() {
        // 6to4: 2002:WWXX:YYZZ::/48 is the site's whole IPv4 192.0.2.4.
        assert_eq!(
            TruncatedIp::new(ip("2002:c000:0204:7:8::1")).to_string(),
            "2002:c000:200::"
        );
        // Teredo: 2001:0:SERVER:SERVER:flags:port:CLIENT:CLIENT; nothing of
        // either address is kept.
        assert_eq!(
            TruncatedIp::new(ip("2001:0:4136:e378:8000:63bf:3fff:fdd2")).to_string(),
            "2001::"
        );
        // NAT64, well-known prefix: the IPv4 192.0.2.33 in the last 32 bits.
        assert_eq!(
            TruncatedIp::new(ip("64:ff9b::c000:221")).to_string(),
            "64:ff9b::c000:200"
        );
        // NAT64, local-use prefix: where the IPv4 sits is the operator's
        // choice, so nothing after the /48 is kept.
        assert_eq!(
            TruncatedIp::new(ip("64:ff9b:1:c000:221::")).to_string(),
            "64:ff9b:1::"
        );
        for tunnelled in [
            "2002:c000:0204::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "64:ff9b::c000:204",
        ] {
            let kept = TruncatedIp::new(ip(tunnelled)).addr();
            let IpAddr::V6(kept) = kept else {
                panic!("{tunnelled} kept as {kept}")
            };
            let octets = kept.octets();
            for ipv4 in [[192u8, 0, 2, 4], [0x3f, 0xff, 0xfd, 0xd2]] {
                assert!(
                    !octets.windows(4).any(|w| w == ipv4),
                    "{tunnelled} keeps a whole IPv4: {kept}"
                );
            }
        }
    }

    #[test]
    fn forwarded_for_is_ignored_from_an_untrusted_peer() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let client = trusted.client_ip(ip("198.51.100.9"), ["1.2.3.4"].into_iter());
        assert_eq!(client, ip("198.51.100.9"));
    }

    #[test]
    fn the_right_most_untrusted_address_wins() {
        let trusted = proxies(&["10.0.0.0/8"]);
        let client = trusted.client_ip(
            ip("10.0.0.2"),
            ["6.6.6.6, 203.0.113.5", "10.0.0.7"].into_iter(),
        );
        assert_eq!(client, ip("203.0.113.5"));
    }

    #[test]
    fn malformed_entries_never_fail_and_never_let_a_forgery_through() {
        let trusted = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            trusted.client_ip(ip("10.0.0.2"), ["6.6.6.6, garbage"].into_iter()),
            ip("10.0.0.2")
        );
        assert_eq!(
            trusted.client_ip(ip("10.0.0.2"), ["", " , "].into_iter()),
            ip("10.0.0.2")
        );
        assert_eq!(
            trusted.client_ip(ip("10.0.0.2"), ["[2001:db8::5]:443"].into_iter()),
            ip("2001:db8::5")
        );
        assert_eq!(
            trusted.client_ip(ip("::ffff:10.0.0.2"), ["203.0.113.9:5000"].into_iter()),
            ip("203.0.113.9")
        );
        // Only trusted hops: the left-most of them is as far as we can see.
        assert_eq!(
            trusted.client_ip(ip("10.0.0.2"), ["10.1.1.1"].into_iter()),
            ip("10.1.1.1")
        );
    }
}
