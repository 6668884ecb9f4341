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

    fn contains(&self, ip: IpAddr) -> bool {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TruncatedIp(IpAddr);

impl TruncatedIp {
    pub const IPV4_PREFIX: u8 = 24;
    pub const IPV6_PREFIX: u8 = 48;

    pub fn new(ip: IpAddr) -> Self {
        let truncated = match ip.to_canonical() {
            IpAddr::V4(v4) => IpAddr::V4(
                Ipv4Net::new(v4, Self::IPV4_PREFIX)
                    .map(|net| net.network())
                    .unwrap_or(Ipv4Addr::UNSPECIFIED),
            ),
            IpAddr::V6(v6) => IpAddr::V6(
                Ipv6Net::new(v6, Self::IPV6_PREFIX)
                    .map(|net| net.network())
                    .unwrap_or(Ipv6Addr::UNSPECIFIED),
            ),
        };
        Self(truncated)
    }

    pub fn addr(self) -> IpAddr {
        self.0
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
