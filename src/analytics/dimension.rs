//! What the audience aggregates are broken down by.

/// What the aggregates are broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// The whole site (value "").
    Total,
    /// The Paris hour, "00" to "23".
    Hour,
    /// The path, without its query string.
    Page,
    /// The allow-listed `utm_*` values, "source / medium / campaign".
    Campaign,
    Browser,
    Os,
    Device,
    Manufacturer,
    /// The browser and its major version, « Firefox 121 ».
    BrowserVersion,
    /// The OS and its major version, « Android 14 ».
    OsVersion,
    /// The first page of a visit (path).
    Entry,
    /// The last page of a visit (path).
    Exit,
    /// A goal reached (its path pattern); views 0, visits the conversions.
    Goal,
    /// A goal and the converting visit's campaign, "goal\tcampaign".
    GoalCampaign,
    /// A goal and the converting visit's entry page, "goal\tentry".
    GoalEntry,
    /// A goal and the converting visit's device type, "goal\tdevice".
    GoalDevice,
    /// A funnel's steps up to one ("/, /services > /contact"): the visits
    /// that reached them in that order.
    Funnel,
}

impl Dimension {
    pub const BREAKDOWNS: [Dimension; 6] = [
        Dimension::Page,
        Dimension::Campaign,
        Dimension::Browser,
        Dimension::Os,
        Dimension::Device,
        Dimension::Manufacturer,
    ];

    /// The versions, listed under their family rather than on their own.
    pub const VERSIONS: [Dimension; 2] = [Dimension::BrowserVersion, Dimension::OsVersion];

    /// The family a version dimension breaks down.
    pub fn family(self) -> Option<Dimension> {
        match self {
            Dimension::BrowserVersion => Some(Dimension::Browser),
            Dimension::OsVersion => Some(Dimension::Os),
            _ => None,
        }
    }

    /// The dimensions only visits have: their pages tables are built from
    /// visits, not from page views.
    pub const VISITS: [Dimension; 7] = [
        Dimension::Entry,
        Dimension::Exit,
        Dimension::Goal,
        Dimension::GoalCampaign,
        Dimension::GoalEntry,
        Dimension::GoalDevice,
        Dimension::Funnel,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Dimension::Total => "total",
            Dimension::Hour => "hour",
            Dimension::Page => "page",
            Dimension::Campaign => "campaign",
            Dimension::Browser => "browser",
            Dimension::Os => "os",
            Dimension::Device => "device",
            Dimension::Manufacturer => "manufacturer",
            Dimension::BrowserVersion => "browser_version",
            Dimension::OsVersion => "os_version",
            Dimension::Entry => "entry",
            Dimension::Exit => "exit",
            Dimension::Goal => "goal",
            Dimension::GoalCampaign => "goal_campaign",
            Dimension::GoalEntry => "goal_entry",
            Dimension::GoalDevice => "goal_device",
            Dimension::Funnel => "funnel",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        [Dimension::Total, Dimension::Hour]
            .into_iter()
            .chain(Dimension::BREAKDOWNS)
            .chain(Dimension::VERSIONS)
            .chain(Dimension::VISITS)
            .find(|d| d.key() == key)
    }
}
