//! What the traffic is made of: the devices, networks, pages and
//! campaigns of the synthetic visitors, and where a visit goes next.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use super::random::{mix, SplitMix64, Weighted};
use crate::analytics::user_agent::{classify, Device, DeviceType};
use crate::analytics::TruncatedIp;

/// Real User-Agent strings (late 2024 releases), with their share of views
/// in ‰ and the device type the site's classifier must find for them
/// (checked by a test): desktop 550, phone 380, tablet 70.
const USER_AGENTS: &[(u64, DeviceType, &str)] = &[
    // Desktop: Windows first, as on a B2B site visited from the office.
    (160, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
    (60, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"),
    (90, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86"),
    (30, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.80"),
    (40, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"),
    (10, DeviceType::Pc, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0"),
    (50, DeviceType::Pc, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
    (45, DeviceType::Pc, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Safari/605.1.15"),
    (20, DeviceType::Pc, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15"),
    (12, DeviceType::Pc, "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0"),
    (13, DeviceType::Pc, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
    (12, DeviceType::Pc, "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"),
    (8, DeviceType::Pc, "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"),
    // Phones.
    (90, DeviceType::Smartphone, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1"),
    (70, DeviceType::Smartphone, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"),
    (20, DeviceType::Smartphone, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1"),
    (50, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"),
    (40, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36"),
    (30, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Mobile Safari/537.36"),
    (30, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 13; Redmi Note 12) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.107 Mobile Safari/537.36"),
    (20, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 10; ELE-L29) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36"),
    (15, DeviceType::Smartphone, "Mozilla/5.0 (Linux; Android 13; CPH2449) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36"),
    (15, DeviceType::Smartphone, "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"),
    // Tablets.
    (35, DeviceType::Tablet, "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.7 Mobile/15E148 Safari/604.1"),
    (15, DeviceType::Tablet, "Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"),
    (12, DeviceType::Tablet, "Mozilla/5.0 (Linux; Android 14; SM-X110) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.81 Safari/537.36"),
    (8, DeviceType::Tablet, "Mozilla/5.0 (Linux; Android 12; Lenovo TB-X606F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"),
];

/// Public IPv4 blocks (base, prefix length, weight) of French consumer
/// networks, approximately as their operators announce them. Neither
/// private, nor documentation, nor test ranges.
const FIXED_NETWORKS: &[([u8; 4], u8, u64)] = &[
    ([90, 0, 0, 0], 9, 20),    // Orange
    ([86, 192, 0, 0], 10, 12), // Orange
    ([81, 248, 0, 0], 14, 8),  // Orange
    ([2, 0, 0, 0], 12, 8),     // Orange
    ([78, 192, 0, 0], 10, 10), // Free
    ([82, 64, 0, 0], 14, 8),   // Free
    ([88, 160, 0, 0], 11, 6),  // Free
    ([84, 96, 0, 0], 12, 9),   // SFR
    ([176, 160, 0, 0], 12, 7), // Bouygues Telecom
];

const MOBILE_NETWORKS: &[([u8; 4], u8, u64)] = &[
    ([92, 184, 0, 0], 14, 30),  // Orange
    ([37, 160, 0, 0], 12, 30),  // Free Mobile
    ([176, 128, 0, 0], 12, 25), // Bouygues Telecom
    ([80, 214, 0, 0], 15, 15),  // SFR
];

/// How many of the phone visitors browse over the mobile network.
const PHONES_ON_MOBILE_NETWORK: f64 = 0.5;

/// The site's pages that answer an audience row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Page {
    Home,
    Services,
    Contact,
    ContactSent,
    Technicians,
    TechniciansSent,
    Registration,
    RegistrationSent,
    Login,
    ForgottenPassword,
    Profile,
    Privacy,
    OptOut,
}

impl Page {
    fn path(self) -> &'static str {
        match self {
            Page::Home => "/",
            Page::Services => "/services",
            Page::Contact => "/contact",
            Page::ContactSent => "/contact/envoye",
            Page::Technicians => "/techniciens",
            Page::TechniciansSent => "/techniciens/envoye",
            Page::Registration => "/inscription",
            Page::RegistrationSent => "/inscription/envoyee",
            Page::Login => "/connexion",
            Page::ForgottenPassword => "/mot-de-passe-oublie",
            Page::Profile => "/profil",
            Page::Privacy => "/politique-de-confidentialite",
            Page::OptOut => "/confidentialite/opposition",
        }
    }

    /// Where the funnel leads from this page, with its probability.
    fn funnel(self) -> &'static [(f64, Page)] {
        match self {
            Page::Contact => &[(0.10, Page::ContactSent)],
            Page::Technicians => &[(0.12, Page::TechniciansSent)],
            Page::Registration => &[(0.10, Page::RegistrationSent)],
            Page::Login => &[(0.55, Page::Profile), (0.05, Page::ForgottenPassword)],
            _ => &[],
        }
    }
}

/// The first page of a visit that comes from no campaign.
const LANDINGS: &[(u64, Page)] = &[
    (46, Page::Home),
    (20, Page::Services),
    (12, Page::Login),
    (9, Page::Technicians),
    (6, Page::Contact),
    (3, Page::Registration),
    (3, Page::Privacy),
    (1, Page::OptOut),
];

/// The next page of a visit, away from the funnels.
const NEXT_PAGES: &[(u64, Page)] = &[
    (28, Page::Services),
    (16, Page::Contact),
    (14, Page::Home),
    (9, Page::Technicians),
    (9, Page::Login),
    (8, Page::Registration),
    (5, Page::Privacy),
    (2, Page::OptOut),
];

/// Campaign landings: (weight, page, query as the site logs it).
const CAMPAIGNS: &[(u64, Page, &str)] = &[
    (
        15,
        Page::Home,
        "utm_source=newsletter&utm_medium=email&utm_campaign=hiver-2026",
    ),
    (
        15,
        Page::Services,
        "utm_source=newsletter&utm_medium=email&utm_campaign=hiver-2026",
    ),
    (
        20,
        Page::Services,
        "utm_source=linkedin&utm_medium=social&utm_campaign=syndics",
    ),
    (
        15,
        Page::Services,
        "utm_source=google&utm_medium=cpc&utm_campaign=maintenance-ascenseur",
    ),
    (
        10,
        Page::Home,
        "utm_source=google&utm_medium=cpc&utm_campaign=maintenance-ascenseur",
    ),
    (
        8,
        Page::Services,
        "utm_source=bing&utm_medium=cpc&utm_campaign=maintenance-ascenseur",
    ),
    (
        10,
        Page::Technicians,
        "utm_source=linkedin&utm_medium=social&utm_campaign=recrutement-techniciens",
    ),
    (
        4,
        Page::Technicians,
        "utm_source=indeed&utm_medium=jobboard&utm_campaign=techniciens-idf",
    ),
    (
        3,
        Page::Home,
        "utm_source=facebook&utm_medium=social&utm_campaign=coproprietes",
    ),
];

/// Page views per visit, and how often.
pub(super) const VISIT_LENGTHS: &[(u64, u64)] = &[
    (30, 1),
    (22, 2),
    (17, 3),
    (12, 4),
    (8, 5),
    (5, 6),
    (3, 7),
    (3, 8),
];

/// The share of page views that are campaign landings.
const CAMPAIGN_VIEW_SHARE: f64 = 0.15;

/// Built once per run: every User-Agent classified once, by the site's own
/// classifier (the generator hands out clones of these `Arc`s).
pub(super) struct Catalog {
    pub(super) devices: Vec<Arc<Device>>,
    pub(super) user_agents: Weighted<usize>,
    pub(super) fixed_networks: Weighted<([u8; 4], u8)>,
    pub(super) mobile_networks: Weighted<([u8; 4], u8)>,
    pub(super) landings: Weighted<Page>,
    pub(super) next_pages: Weighted<Page>,
    pub(super) campaigns: Weighted<String>,
    pub(super) visit_lengths: Weighted<u64>,
    /// The chance that a visit lands from a campaign.
    pub(super) campaign_visit: f64,
}

impl Catalog {
    pub(super) fn new() -> Self {
        let visit_lengths = Weighted::new(VISIT_LENGTHS.iter().copied());
        let mean_length = VISIT_LENGTHS.iter().map(|(w, n)| w * n).sum::<u64>() as f64
            / visit_lengths.total() as f64;
        let networks = |list: &[([u8; 4], u8, u64)]| {
            Weighted::new(list.iter().map(|&(base, prefix, w)| (w, (base, prefix))))
        };
        Self {
            devices: USER_AGENTS
                .iter()
                .map(|(_, _, ua)| Arc::new(classify(ua)))
                .collect(),
            user_agents: Weighted::new(
                USER_AGENTS.iter().enumerate().map(|(i, (w, _, _))| (*w, i)),
            ),
            fixed_networks: networks(FIXED_NETWORKS),
            mobile_networks: networks(MOBILE_NETWORKS),
            landings: Weighted::new(LANDINGS.iter().copied()),
            next_pages: Weighted::new(NEXT_PAGES.iter().copied()),
            campaigns: Weighted::new(
                CAMPAIGNS
                    .iter()
                    .map(|(w, page, query)| (*w, format!("{}?{query}", page.path()))),
            ),
            visit_lengths,
            campaign_visit: (CAMPAIGN_VIEW_SHARE * mean_length).min(1.0),
        }
    }

    /// Visitor `index` of the pool: always the same User-Agent (its index
    /// in [`USER_AGENTS`]) and truncated IPv4 address.
    pub(super) fn visitor(&self, seed: u64, index: u64) -> (usize, Ipv4Addr) {
        let mut rng = SplitMix64(mix(seed ^ 0x7669_7369_746F_7273) ^ index);
        let ua = *self.user_agents.pick(&mut rng);
        let on_mobile_network =
            USER_AGENTS[ua].1 == DeviceType::Smartphone && rng.chance(PHONES_ON_MOBILE_NETWORK);
        let networks = if on_mobile_network {
            &self.mobile_networks
        } else {
            &self.fixed_networks
        };
        let &(base, prefix) = networks.pick(&mut rng);
        let subnets = 1u64 << (24 - prefix);
        let host = rng.below(254) as u32 + 1;
        let address = u32::from_be_bytes(base) | ((rng.below(subnets) as u32) << 8) | host;
        // Truncated as the site truncates audience rows.
        match TruncatedIp::new(IpAddr::V4(Ipv4Addr::from(address))).addr() {
            IpAddr::V4(truncated) => (ua, truncated),
            IpAddr::V6(_) => unreachable!("an IPv4 address stays IPv4"),
        }
    }
}

/// The page a campaign URL lands on.
fn landing_page(url: &str) -> Page {
    let path = url.split_once('?').map_or(url, |(path, _)| path);
    LANDINGS
        .iter()
        .map(|&(_, page)| page)
        .find(|page| page.path() == path)
        .unwrap_or(Page::Home)
}

fn next_page(previous: Page, catalog: &Catalog, rng: &mut SplitMix64) -> Page {
    let mut roll = rng.unit();
    for &(probability, page) in previous.funnel() {
        if roll < probability {
            return page;
        }
        roll -= probability;
    }
    *catalog.next_pages.pick(rng)
}

impl Catalog {
    /// The URL of a visit's next view after `page` (none yet: its first
    /// view, a campaign landing when `campaign`); `page` moves on to it.
    pub(super) fn next_url(
        &self,
        page: &mut Option<Page>,
        campaign: bool,
        rng: &mut SplitMix64,
    ) -> String {
        match *page {
            None if campaign => {
                let url = self.campaigns.pick(rng);
                *page = Some(landing_page(url));
                url.clone()
            }
            None => {
                let first = *self.landings.pick(rng);
                *page = Some(first);
                first.path().to_owned()
            }
            Some(previous) => {
                let next = next_page(previous, self, rng);
                *page = Some(next);
                next.path().to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::QueryAllowlist;
    use crate::config::Settings;

    #[test]
    fn the_site_classifies_each_user_agent_as_its_share_says() {
        let mut shares = [0u64; 3];
        for (weight, expected, ua) in USER_AGENTS {
            let device = classify(ua);
            assert_eq!(device.device_type, *expected, "{ua}");
            assert!(
                device.browser.is_some() && device.os.is_some(),
                "{ua}: {device:?}"
            );
            match expected {
                DeviceType::Pc => shares[0] += weight,
                DeviceType::Smartphone => shares[1] += weight,
                _ => shares[2] += weight,
            }
        }
        assert_eq!(shares, [550, 380, 70]);
        // No two User-Agents give the same device fields, so the rows tell
        // every (IP, User-Agent) visitor apart.
        let devices: std::collections::HashSet<String> = USER_AGENTS
            .iter()
            .map(|(_, _, ua)| format!("{:?}", classify(ua)))
            .collect();
        assert_eq!(devices.len(), USER_AGENTS.len());
        assert!(USER_AGENTS.len() >= 20);
        let makers: Vec<Option<String>> = USER_AGENTS
            .iter()
            .map(|(_, _, ua)| classify(ua).manufacturer)
            .collect();
        for maker in ["Apple", "Samsung", "Google", "Xiaomi", "Huawei"] {
            assert!(
                makers.contains(&Some(maker.to_owned())),
                "no {maker} device"
            );
        }
    }

    #[test]
    fn campaign_urls_pass_the_sites_allowlist_unchanged() {
        let allowlist = QueryAllowlist::new(Settings::defaults("data".into()).query_allowlist);
        for (_, page, query) in CAMPAIGNS {
            let url = format!("{}?{query}", page.path());
            assert_eq!(allowlist.logged_url(page.path(), query), url);
            assert_eq!(landing_page(&url), *page);
        }
    }

    #[test]
    fn networks_are_public_and_truncation_keeps_the_network() {
        for &(base, prefix, _) in FIXED_NETWORKS.iter().chain(MOBILE_NETWORKS) {
            let ip = Ipv4Addr::from(base);
            assert!(
                !(ip.is_private()
                    || ip.is_loopback()
                    || ip.is_documentation()
                    || ip.is_link_local()),
                "{ip}"
            );
            assert!((8..=24).contains(&prefix));
            assert_eq!(
                u32::from(ip) & ((1u32 << (32 - prefix)) - 1),
                0,
                "{ip}/{prefix}"
            );
        }
        let catalog = Catalog::new();
        for index in 0..1000 {
            let (_, ip) = catalog.visitor(42, index);
            assert!(ip.to_string().ends_with(".0"), "{ip}");
            assert_eq!(catalog.visitor(42, index).1, ip);
        }
    }
}
