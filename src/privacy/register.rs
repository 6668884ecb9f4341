//! The purposes and their defaults, as listed in the design's register.

use super::retention::{Period, RetentionOverrides, RetentionStart, RetentionWindow};

/// Why a piece of data is kept. Every stored record carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Purpose {
    /// Page views of human visitors who did not object (visitor log, IP truncated).
    Audience,
    /// Daily audience counts, anonymous.
    AudienceAggregates,
    /// Requests to dynamic pages, with the full IP, and the audit log.
    Security,
    /// Questions asked from the contact form.
    Contact,
    /// Applications sent by maintenance technicians.
    Recruitment,
    /// The Utilisateur's profile and company.
    Account,
    /// Sign-ups that WeMaintain has not validated yet.
    PendingRegistrations,
    /// Signed maintenance contracts and their signature records.
    ContractEvidence,
    /// Requests to exercise a right (access, erasure…) and their outcome.
    RightsRequests,
}

impl Purpose {
    pub const ALL: [Purpose; 9] = [
        Purpose::Audience,
        Purpose::AudienceAggregates,
        Purpose::Security,
        Purpose::Contact,
        Purpose::Recruitment,
        Purpose::Account,
        Purpose::PendingRegistrations,
        Purpose::ContractEvidence,
        Purpose::RightsRequests,
    ];

    /// The name stored in `purpose` columns and used in configuration keys.
    pub fn key(self) -> &'static str {
        match self {
            Purpose::Audience => "audience",
            Purpose::AudienceAggregates => "audience_aggregates",
            Purpose::Security => "security",
            Purpose::Contact => "contact",
            Purpose::Recruitment => "recruitment",
            Purpose::Account => "account",
            Purpose::PendingRegistrations => "pending_registrations",
            Purpose::ContractEvidence => "contract_evidence",
            Purpose::RightsRequests => "rights_requests",
        }
    }

    pub fn parse(key: &str) -> Result<Self, String> {
        Purpose::ALL
            .into_iter()
            .find(|p| p.key() == key.trim())
            .ok_or_else(|| {
                let known: Vec<&str> = Purpose::ALL.iter().map(|p| p.key()).collect();
                format!(
                    "« {key} » n'est pas une finalité du registre (connues : {})",
                    known.join(", ")
                )
            })
    }
}

impl std::fmt::Display for Purpose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// The ground on which the processing is lawful (GDPR art. 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegalBasis {
    LegitimateInterest,
    PreContractual,
    Contract,
    LegalObligation,
    /// Anonymous data: no personal data, so no basis is needed.
    NotPersonalData,
}

impl LegalBasis {
    pub fn in_french(self) -> &'static str {
        match self {
            LegalBasis::LegitimateInterest => "Intérêt légitime",
            LegalBasis::PreContractual => "Mesures précontractuelles",
            LegalBasis::Contract => "Exécution du contrat",
            LegalBasis::LegalObligation => "Obligation légale",
            LegalBasis::NotPersonalData => "Aucune : données anonymes",
        }
    }
}

/// Who may read the data of a purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// WeMaintain staff (role `admin`).
    Staff,
    /// The marketing team (role `marketing`), through aggregates only.
    MarketingAggregatesOnly,
    /// The person the data is about.
    DataSubject,
}

impl Reader {
    pub fn in_french(self) -> &'static str {
        match self {
            Reader::Staff => "Équipe WeMaintain",
            Reader::MarketingAggregatesOnly => "Marketing (statistiques agrégées uniquement)",
            Reader::DataSubject => "La personne concernée",
        }
    }
}

/// A table holding records of a purpose. Its owner keeps an `expires_at`
/// column (milliseconds, UTC) up to date; the purge deletes what has expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredIn {
    pub table: &'static str,
    /// The table holds several purposes, told apart by a `purpose` column.
    pub shared_by_purpose: bool,
    /// The column holding the moment the window counts from (collection,
    /// last exchange…), so that a retention period shortened by
    /// configuration also applies to rows written before the change.
    pub window_starts_at: Option<&'static str>,
}

impl StoredIn {
    /// A table of one purpose whose rows carry their own `expires_at`.
    const fn own(table: &'static str) -> StoredIn {
        StoredIn {
            table,
            shared_by_purpose: false,
            window_starts_at: None,
        }
    }

    /// A table of one purpose whose window counts from `column`.
    const fn dated(table: &'static str, column: &'static str) -> StoredIn {
        StoredIn {
            table,
            shared_by_purpose: false,
            window_starts_at: Some(column),
        }
    }
}

/// The visitor log holds both the audience and the security rows.
const VISITOR_LOG: &[StoredIn] = &[StoredIn {
    table: "visitor_log",
    shared_by_purpose: true,
    window_starts_at: Some("occurred_at"),
}];

/// The security purpose: the visitor log's security rows, the audit log of
/// sensitive actions, and the counters of the login throttle and the form
/// limits.
const SECURITY_TABLES: &[StoredIn] = &[
    VISITOR_LOG[0],
    StoredIn::dated("audit_log", "occurred_at"),
    StoredIn::own("rate_limits"),
];

/// Accounts are kept while they last (`expires_at` is set at closure);
/// sessions and reset links carry their own, shorter, expiry. Children
/// come before their parents so that a purge never trips a foreign key.
const ACCOUNT_TABLES: &[StoredIn] = &[
    StoredIn::own("sessions"),
    StoredIn::own("password_resets"),
    StoredIn::own("email_changes"),
    StoredIn::own("proposal_devices"),
    StoredIn::own("proposal_requests"),
    StoredIn::own("reports"),
    StoredIn::own("request_messages"),
    StoredIn::own("maintenance_requests"),
    StoredIn::own("devices"),
    StoredIn::own("buildings"),
    // Each sent statistics report: 3 months, so that none goes twice and
    // its stop link works. The subscriptions go with their account.
    StoredIn::own("statistics_report_sends"),
    StoredIn::own("users"),
    StoredIn::own("companies"),
];

/// One line of the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessingActivity {
    pub purpose: Purpose,
    /// What the processing is for, as the policy page says it.
    pub name: &'static str,
    pub legal_basis: LegalBasis,
    pub data_categories: &'static [&'static str],
    pub readers: &'static [Reader],
    pub retention: RetentionWindow,
    /// Where its records live, for the purge. Adding a table to a purpose
    /// here is all it takes for the purge to enforce its retention.
    pub stored_in: &'static [StoredIn],
}

/// The register in force: the defaults below with the operator's overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Register {
    activities: Vec<ProcessingActivity>,
}

impl Default for Register {
    fn default() -> Self {
        Self::with_overrides(&RetentionOverrides::default())
    }
}

impl Register {
    pub fn with_overrides(overrides: &RetentionOverrides) -> Self {
        let activities = DEFAULT_ACTIVITIES
            .iter()
            .cloned()
            .map(|mut activity| {
                if let Some(period) = overrides.get(activity.purpose) {
                    activity.retention.period = period;
                }
                activity
            })
            .collect();
        Self { activities }
    }

    pub fn activities(&self) -> &[ProcessingActivity] {
        &self.activities
    }

    pub fn get(&self, purpose: Purpose) -> &ProcessingActivity {
        // Built from Purpose::ALL, which lists the variants in declaration
        // order, so the discriminant is the index (checked by a test).
        &self.activities[purpose as usize]
    }

    pub fn retention(&self, purpose: Purpose) -> RetentionWindow {
        self.get(purpose).retention
    }
}

/// The register's defaults, in the order of [`Purpose::ALL`].
const DEFAULT_ACTIVITIES: [ProcessingActivity; 9] = {
    use LegalBasis::*;
    use Period::*;
    use Reader::*;
    use RetentionStart::*;
    [
        ProcessingActivity {
            purpose: Purpose::Audience,
            name: "Mesure d'audience du Site",
            legal_basis: LegitimateInterest,
            data_categories: &[
                "Adresse IP tronquée (les derniers chiffres sont effacés)",
                "Navigateur et système d'exploitation",
                "Type et fabricant de l'appareil",
                "Pages consultées, date et heure",
            ],
            readers: &[MarketingAggregatesOnly],
            retention: RetentionWindow::new(Months(13), Collection),
            stored_in: VISITOR_LOG,
        },
        ProcessingActivity {
            purpose: Purpose::AudienceAggregates,
            name: "Statistiques de fréquentation quotidiennes",
            legal_basis: NotPersonalData,
            data_categories: &[
                "Nombres de pages vues, de visiteurs et de visites par jour, par page, par navigateur et par appareil",
                "Par jour : visites par page d'entrée et de sortie, rebonds, durée totale des visites, objectifs atteints et étapes des tunnels (des totaux, jamais une visite)",
                "Les mêmes nombres pour les seules visites d'un filtre (une page, un navigateur, un type d'appareil…), et leurs sommes par mois",
            ],
            readers: &[MarketingAggregatesOnly, Staff],
            retention: RetentionWindow::new(Months(25), Collection),
            stored_in: &[
                StoredIn::dated("audience_daily", "day_start"),
                StoredIn::dated("audience_monthly", "month_start"),
            ],
        },
        ProcessingActivity {
            purpose: Purpose::Security,
            name: "Sécurité du Site, détection des fraudes et des attaques",
            legal_basis: LegitimateInterest,
            data_categories: &[
                "Adresse IP complète",
                "Navigateur et système d'exploitation",
                "Type et fabricant de l'appareil",
                "Pages demandées, date et heure",
                "Journal des actions sensibles (connexions, changements de mot de passe, décisions de l'équipe)",
            ],
            readers: &[Staff],
            retention: RetentionWindow::new(Months(6), Collection),
            stored_in: SECURITY_TABLES,
        },
        ProcessingActivity {
            purpose: Purpose::Contact,
            name: "Réponse aux questions posées par les Visiteurs",
            legal_basis: LegitimateInterest,
            data_categories: &[
                "Nom et prénom",
                "Numéro de téléphone",
                "Adresse e-mail",
                "Question posée et échanges",
            ],
            readers: &[Staff, DataSubject],
            retention: RetentionWindow::new(Years(3), LastExchange),
            stored_in: &[StoredIn::dated("contact_messages", "last_exchange_at")],
        },
        ProcessingActivity {
            purpose: Purpose::Recruitment,
            name: "Candidatures des techniciens de maintenance",
            legal_basis: PreContractual,
            data_categories: &[
                "Nom et prénom",
                "Numéro de téléphone",
                "Adresse e-mail",
                "Expérience dans l'ascenseur (années d'expérience, entreprise actuelle)",
            ],
            readers: &[Staff, DataSubject],
            retention: RetentionWindow::new(Years(2), Collection),
            stored_in: &[StoredIn::dated("technician_applications", "received_at")],
        },
        ProcessingActivity {
            purpose: Purpose::Account,
            name: "Gestion du Profil et fourniture des Services",
            legal_basis: Contract,
            data_categories: &[
                "Prénom, nom, sexe, rôle dans la société",
                "Adresse e-mail et numéro de téléphone",
                "Identification de l'entreprise (nom, type, adresse, ville, code postal, pays)",
                "Bâtiments et localisation des Appareils",
                "Demandes de Maintenance et Rapports d'Information",
                "Sessions de connexion (le temps de la session)",
                "Équipe WeMaintain : rapports de statistiques demandés par e-mail, et les envois \
                 des 3 derniers mois",
            ],
            readers: &[Staff, DataSubject],
            retention: RetentionWindow::new(Days(0), AccountClosure),
            stored_in: ACCOUNT_TABLES,
        },
        ProcessingActivity {
            purpose: Purpose::PendingRegistrations,
            name: "Examen des demandes d'inscription",
            legal_basis: PreContractual,
            data_categories: &[
                "Données d'inscription (identité, coordonnées, entreprise)",
                "Une demande dont l'adresse e-mail n'a pas été confirmée par le lien envoyé est \
                 effacée après 7 jours",
            ],
            readers: &[Staff, DataSubject],
            retention: RetentionWindow::new(Days(90), Collection),
            stored_in: &[StoredIn::dated("registrations", "requested_at")],
        },
        ProcessingActivity {
            purpose: Purpose::ContractEvidence,
            name: "Preuve des Contrats de Maintenance signés en ligne",
            legal_basis: LegalObligation,
            data_categories: &[
                "Contrat signé",
                "Identité du signataire, date, heure et adresse IP de la signature",
            ],
            readers: &[Staff, DataSubject],
            retention: RetentionWindow::new(Years(5), ContractEnd),
            stored_in: &[StoredIn::own("contract_signatures")],
        },
        ProcessingActivity {
            purpose: Purpose::RightsRequests,
            name: "Traitement des demandes d'exercice de vos droits",
            legal_basis: LegalObligation,
            data_categories: &["Demande, identité du demandeur, réponse apportée"],
            readers: &[Staff, DataSubject],
            retention: RetentionWindow::new(Years(3), RequestClosure),
            stored_in: &[StoredIn::dated("rights_requests", "closed_at")],
        },
    ]
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_has_one_activity_in_order() {
        let register = Register::default();
        assert_eq!(register.activities().len(), Purpose::ALL.len());
        for purpose in Purpose::ALL {
            assert_eq!(register.get(purpose).purpose, purpose);
            assert_eq!(Purpose::parse(purpose.key()), Ok(purpose));
        }
    }

    #[test]
    fn defaults_follow_the_design() {
        let r = Register::default();
        assert_eq!(r.retention(Purpose::Audience).period, Period::Months(13));
        assert_eq!(
            r.retention(Purpose::AudienceAggregates).period,
            Period::Months(25)
        );
        assert_eq!(r.retention(Purpose::Security).period, Period::Months(6));
        assert_eq!(r.retention(Purpose::Contact).period, Period::Years(3));
        assert_eq!(r.retention(Purpose::Recruitment).period, Period::Years(2));
        assert_eq!(
            r.retention(Purpose::PendingRegistrations).period,
            Period::Days(90)
        );
        assert_eq!(
            r.retention(Purpose::ContractEvidence).period,
            Period::Years(5)
        );
        assert_eq!(
            r.retention(Purpose::RightsRequests).period,
            Period::Years(3)
        );
    }

    #[test]
    fn overrides_replace_the_period_but_not_the_start() {
        let mut overrides = RetentionOverrides::default();
        overrides.set(Purpose::Contact, Period::Months(18));
        let r = Register::with_overrides(&overrides);
        assert_eq!(
            r.retention(Purpose::Contact),
            RetentionWindow::new(Period::Months(18), RetentionStart::LastExchange)
        );
        assert_eq!(r.retention(Purpose::Audience).period, Period::Months(13));
    }
}
