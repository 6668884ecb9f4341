//! The privacy policy as a page. It follows the sections of the client's
//! policy document; the table of data and retention periods is generated
//! from the register in force, so it changes when the configuration does.

use maud::{html, Markup};

use crate::privacy::Register;
use crate::views::components::{bullet_list, table};
use crate::views::layout::{CONTACT_EMAIL, OPT_OUT_PATH, POLICY_PATH, POSTAL_ADDRESS};
use crate::views::{layout, Page};

const DEFINITIONS: &[(&str, &str)] = &[
    ("Appareil", "toute installation telle qu'un ascenseur, un monte-charge ou un monte-personne au sein d'un Bâtiment."),
    ("Données", "toute donnée collectée par WeMaintain sur le Site."),
    ("Politique", "la présente Politique de confidentialité et de protection des Données."),
    ("Prestation", "toute activité de maintenance, d'installation, de réparation ou de travaux sur un Appareil."),
    ("Profil", "l'espace numérique personnel de l'Utilisateur sur le Site, qui permet notamment de gérer ses Bâtiments et ses Demandes de Maintenance et de consulter les Rapports d'Information."),
    ("Services", "l'ensemble des services proposés par WeMaintain sur le Site : le Profil, la signature en ligne du Contrat de Maintenance, les outils de suivi et d'information sur les Prestations."),
    ("Site", "le site internet de WeMaintain, accessible à l'adresse www.wemaintain.com."),
    ("Utilisateur", "toute personne dont le Profil a été validé par WeMaintain et qui peut donc se connecter au Site."),
    ("Visiteur", "toute personne qui se rend sur le Site sans être Utilisateur."),
];

/// The policy's sections: the id of each heading and its title, listed
/// in the « Sommaire » at the top of the page.
const SECTIONS: &[(&str, &str)] = &[
    ("objet", "Objet et périmètre"),
    ("donnees", "Les Données que WeMaintain collecte"),
    (
        "finalites",
        "Pourquoi WeMaintain collecte et traite ces Données",
    ),
    ("securite", "Sécurité des Données"),
    ("prestataires", "Prestataires de services externes"),
    ("droits", "Vos droits"),
    ("contact", "Contacter WeMaintain"),
];

/// How long a login lasts, as the policy page states it.
pub struct SessionLifetimes {
    pub idle: std::time::Duration,
    pub absolute: std::time::Duration,
}

/// "2 heures", "30 minutes", "1 jour".
fn duration_in_french(d: std::time::Duration) -> String {
    let minutes = d.as_secs() / 60;
    let plural = |n: u64, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
    if minutes > 0 && minutes.is_multiple_of(24 * 60) {
        plural(minutes / (24 * 60), "jour", "jours")
    } else if minutes > 0 && minutes.is_multiple_of(60) {
        plural(minutes / 60, "heure", "heures")
    } else {
        plural(minutes.max(1), "minute", "minutes")
    }
}

pub fn privacy_policy(register: &Register, sessions: &SessionLifetimes) -> Markup {
    let page = Page {
        title: "Politique de confidentialité",
        description: "Quelles données WeMaintain collecte sur son site, pourquoi, combien de temps elle les garde et comment exercer vos droits.",
        path: POLICY_PATH,
    };
    layout(
        &page,
        html! {
            section.section {
                div.wrap.prose {
                    h1 { "Politique de confidentialité et de protection des Données" }
                    (table_of_contents())
                    (scope())
                    (data_collected())
                    (purposes())
                    (security(sessions))
                }
                div.wrap {
                    (retention_table(register))
                }
                div.wrap.prose {
                    (providers())
                    (your_rights())
                    (contact())
                }
            }
        },
    )
}

/// Links to each section, so that a phone need not scroll through it all.
fn table_of_contents() -> Markup {
    html! {
        nav.toc aria-label="Sommaire" {
            h2.toc-title { "Sommaire" }
            ol { @for (id, title) in SECTIONS { li { a href={ "#" (id) } { (title) } } } }
        }
    }
}

/// A section's heading, with the id the « Sommaire » links to.
fn heading(id: &str) -> Markup {
    let title = SECTIONS
        .iter()
        .find(|(section, _)| *section == id)
        .map_or(id, |(_, title)| title);
    html! { h2 id=(id) { (title) } }
}

fn scope() -> Markup {
    html! {
        (heading("objet"))
        p {
            "Cette Politique applique le Règlement général sur la protection des données (RGPD), "
            "entré en vigueur le 25 mai 2018. Elle vous dit clairement quelles Données WeMaintain "
            "collecte et pourquoi, et comment exercer vos droits. Elle complète les Conditions "
            "générales d'utilisation et le Contrat de Maintenance."
        }
        p { "WeMaintain ne vend pas les Données à des tiers et veille en permanence à leur sécurité." }
        p { "Dans cette Politique, les mots suivants ont le sens indiqué :" }
        dl.definitions {
            @for (term, meaning) in DEFINITIONS {
                dt { "« " (term) " »" }
                dd { (meaning) }
            }
        }
    }
}

/// What the Site collects, visit by visit and form by form.
fn data_collected() -> Markup {
    html! {
        (heading("donnees"))
        h3 { "a. Lorsque vous consultez le Site" }
        p { "Pour chaque page consultée, WeMaintain enregistre :" }
        (bullet_list(&[
            "l'adresse IP de votre appareil ;",
            "le navigateur utilisé ;",
            "le contenu et les adresses (URL) des pages consultées ;",
            "la date et l'heure d'accès ;",
            "sur un mobile : le type d'appareil, son fabricant et son système d'exploitation (iOS, Android…).",
        ]))
        p {
            "Rien d'autre : ni cookie de mesure, ni identifiant, ni empreinte de votre navigateur. "
            "Les paramètres ajoutés aux adresses des pages sont effacés avant l'enregistrement, "
            "sauf ceux qui indiquent la campagne d'origine (utm_source, utm_medium, utm_campaign). "
            "Pour la mesure d'audience, l'adresse IP est tronquée avant d'être enregistrée ; "
            "elle n'est conservée entière que pour la sécurité du Site."
        }
        h3 { "b. Lorsque vous nous écrivez" }
        p {
            "Les formulaires du Site sont hébergés par WeMaintain elle-même, sans service tiers. "
            "Un technicien de maintenance qui souhaite rejoindre WeMaintain indique ses nom et prénom, "
            "son numéro de téléphone, son adresse e-mail et son expérience dans le monde de l'ascenseur "
            "(années d'expérience, entreprise actuelle). Tout Visiteur qui pose une question à l'équipe "
            "indique ses coordonnées professionnelles : nom et prénom, numéro de téléphone et adresse e-mail."
        }
        p { "Ces informations servent uniquement à vous recontacter." }
        h3 { "c. Lors de votre inscription" }
        p {
            "Pour bénéficier des Services, un Visiteur doit devenir Utilisateur, c'est-à-dire être autorisé "
            "par WeMaintain à se connecter. L'inscription demande :"
        }
        (bullet_list(&[
            "prénom, nom et sexe ;",
            "rôle dans la société ;",
            "adresse e-mail et numéro de téléphone ;",
            "l'identification de l'entreprise : nom de la société, type (Agence ou Siège), adresse, informations complémentaires utiles, ville et code postal, pays.",
        ]))
        h3 { "d. Les Données des Appareils" }
        p {
            "Pour recevoir une proposition commerciale ou des Prestations de maintenance, vous indiquez "
            "obligatoirement la localisation des Appareils concernés."
        }
    }
}

fn purposes() -> Markup {
    html! {
        (heading("finalites"))
        h3 { "a. Pour fournir les Services" }
        p { "WeMaintain traite ces Données pour fournir les Prestations et les pré-visites, en particulier pour :" }
        (bullet_list(&[
            "vérifier l'identité de l'Utilisateur ;",
            "permettre la communication avec les autres parties ;",
            "envoyer les messages nécessaires aux Prestations ou aux pré-visites ;",
            "fournir une vue d'ensemble des Services sur le Site ;",
            "offrir un Site sans erreur technique, et détecter et corriger les erreurs ;",
            "informer des évolutions des Prestations que WeMaintain peut proposer ;",
            "mesurer l'audience du Site pour mieux cibler ses campagnes, à partir de statistiques agrégées uniquement.",
        ]))
        h3 { "b. Pour protéger ses intérêts légitimes" }
        (bullet_list(&[
            "le règlement des différends, des revendications et des réclamations ;",
            "la prévention des activités illégales, notamment de la fraude, les enquêtes et les poursuites ;",
            "la sécurité du Site et des Données qu'il conserve, et la détection des cyberattaques.",
        ]))
    }
}

/// Storage, third parties, cookies and the retention principle.
fn security(sessions: &SessionLifetimes) -> Markup {
    html! {
        (heading("securite"))
        h3 { "a. Stockage" }
        p {
            "Les Données sont stockées sur les serveurs du prestataire d'hébergement de WeMaintain, "
            "Amazon Web Services, qui garantit un haut niveau de sécurité. WeMaintain prend les mesures "
            "techniques et organisationnelles nécessaires pour les protéger contre la perte, l'accès, "
            "l'altération, la divulgation et la destruction non autorisés."
        }
        h3 { "b. Transmission à des tiers" }
        p {
            "Pour les besoins des Prestations, WeMaintain peut transmettre certaines Données à des "
            "sous-traitants tenus à la confidentialité. Seules les personnes qui en ont absolument "
            "besoin pour les finalités de cette Politique y ont accès, et elles respectent la loi "
            "applicable à la protection des Données."
        }
        h3 #cookies { "c. Cookies techniques" }
        p {
            "Le Site ne dépose que des cookies strictement nécessaires, qui ne servent à aucune mesure "
            "ni à aucune publicité : un jeton de sécurité lorsqu'une page affiche un formulaire, qui "
            "protège vos envois contre la falsification de requêtes ; un cookie de session, chiffré, "
            "lorsque vous vous connectez à votre espace client, qui prend fin à la déconnexion, après "
            (duration_in_french(sessions.idle)) " d'inactivité ou au plus tard "
            (duration_in_french(sessions.absolute)) " après la connexion ; et, si vous "
            "l'exprimez, le cookie qui mémorise votre opposition à la mesure d'audience."
        }
        h3 #conservation { "d. Durée de conservation" }
        p {
            "WeMaintain ne conserve les Données que le temps nécessaire à la finalité pour laquelle "
            "elles ont été collectées. Passé ce délai, elles sont supprimées automatiquement."
        }
    }
}

fn providers() -> Markup {
    html! {
        (heading("prestataires"))
        p {
            "WeMaintain peut confier certains traitements à des prestataires informatiques, choisis avec "
            "le plus grand soin. Ils n'agissent que pour le compte de WeMaintain et sur ses instructions, "
            "et ne peuvent utiliser les Données à aucune autre fin."
        }
        p {
            "Certains de ces prestataires peuvent être situés hors de l'Union européenne, dans des pays "
            "dont le niveau de protection n'est pas reconnu comme équivalent. WeMaintain contrôle alors "
            "le respect de ses instructions et des garanties contractuelles de protection des Données."
        }
    }
}

/// The rights the policy lists, but the objection to audience measurement,
/// which links to its page.
const RIGHTS: &[(&str, &str)] = &[
    ("Droit d'accès", "recevoir une copie de toutes les données personnelles que WeMaintain détient sur vous."),
    ("Droit à la portabilité", "recevoir vos données dans un format lisible par une machine, pour les transmettre à un tiers."),
    ("Droit de rectification", "faire corriger des données incomplètes ou erronées."),
    ("Droit à l'effacement", "faire supprimer vos données lorsque WeMaintain n'a plus d'intérêt légitime à les conserver."),
];

fn your_rights() -> Markup {
    html! {
        (heading("droits"))
        p { "La réglementation vous donne des droits sur vos données personnelles :" }
        dl.definitions {
            @for (right, meaning) in RIGHTS {
                dt { (right) }
                dd { (meaning) }
            }
            dt { "Droit d'opposition à la mesure d'audience" }
            dd {
                "refuser que vos visites soient comptées, depuis la page "
                a href=(OPT_OUT_PATH) { "Mesure d'audience : s'opposer" }
                ". Le réglage « Global Privacy Control » ou « Do Not Track » de votre navigateur est respecté de la même façon."
            }
        }
        h3 { "Exercer vos droits" }
        p {
            "Remplissez le formulaire "
            a href="/confidentialite/demande" { "Exercer vos droits" }
            " (vous avez un compte client : tout se fait depuis votre espace, rubrique « Mes données »), "
            "ou écrivez à " a href={ "mailto:" (CONTACT_EMAIL) } { (CONTACT_EMAIL) }
            " en précisant votre demande. WeMaintain peut vous demander de justifier de votre identité. "
            "Votre demande est traitée dans un délai d'un mois ; ce délai peut être prolongé de deux mois "
            "si la demande est complexe, et vous en êtes alors informé avec le motif."
        }
        p {
            "Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation "
            "à la CNIL (www.cnil.fr)."
        }
    }
}

fn contact() -> Markup {
    html! {
        (heading("contact"))
        p { "Pour mettre à jour vos informations ou poser une question sur cette Politique :" }
        address {
            "WeMaintain" br;
            @for line in POSTAL_ADDRESS { (line) br; }
            a href={ "mailto:" (CONTACT_EMAIL) } { (CONTACT_EMAIL) }
        }
    }
}

/// The register as the reader needs it: what, why, on which basis, who
/// reads it and for how long.
/// The register as a table: purpose, data, legal basis, readers, retention.
pub fn retention_table(register: &Register) -> Markup {
    let rows: Vec<Vec<Markup>> = register
        .activities()
        .iter()
        .map(|activity| {
            vec![
                html! { (activity.name) },
                bullet_list(activity.data_categories),
                html! { (activity.legal_basis.in_french()) },
                bullet_list(
                    &activity
                        .readers
                        .iter()
                        .map(|r| r.in_french())
                        .collect::<Vec<_>>(),
                ),
                html! { strong { (activity.retention.in_french()) } },
            ]
        })
        .collect();
    table(
        "Données conservées et durées de conservation",
        &[
            "Finalité",
            "Données",
            "Base légale",
            "Qui y a accès",
            "Durée de conservation",
        ],
        &rows,
    )
}
