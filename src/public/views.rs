//! The public pages: home and services.

use maud::{html, Markup};

use crate::views::components::card;
use crate::views::layout::CONTACT_EMAIL;
use crate::views::{layout, Page};

/// The four kinds of Prestation, as the policy defines the word.
const PRESTATIONS: &[(&str, &str)] = &[
    (
        "Maintenance",
        "Visites d'entretien régulières de vos ascenseurs, monte-charges et monte-personnes, \
         contrôles de sécurité réglementaires et dépannage, par un technicien attitré qui connaît vos appareils.",
    ),
    (
        "Installation",
        "Étude, fourniture et pose d'un nouvel appareil dans un bâtiment neuf ou existant, \
         du choix du modèle à la mise en service.",
    ),
    (
        "Réparation",
        "Diagnostic d'une panne, remplacement des pièces usées et remise en service, \
         avec un compte rendu clair de ce qui a été fait et pourquoi.",
    ),
    (
        "Travaux",
        "Modernisation et mise en conformité : portes, armoire de commande, éclairage de cabine, \
         accessibilité. Un devis détaillé avant tout engagement.",
    ),
];

/// What the Profile gives a client, as the policy describes the Services.
const PROFILE_TOOLS: &[(&str, &str)] = &[
    (
        "Vos bâtiments et appareils",
        "Tous vos immeubles au même endroit, avec la localisation et les caractéristiques de chaque appareil.",
    ),
    (
        "Demandes de maintenance",
        "Signalez une panne ou demandez une intervention en quelques clics, puis suivez son avancement.",
    ),
    (
        "Rapports d'intervention",
        "Retrouvez les comptes rendus de visite et d'intervention de chacun de vos appareils.",
    ),
    (
        "Signature du contrat en ligne",
        "Recevez une proposition commerciale, demandez une pré-visite et signez votre contrat de maintenance en ligne.",
    ),
];

pub fn home() -> Markup {
    let page = Page {
        title: "Maintenance d'ascenseurs pour gestionnaires d'immeubles",
        description: "WeMaintain entretient, installe, répare et modernise les ascenseurs, monte-charges et monte-personnes de vos immeubles, avec un suivi en ligne.",
        path: "/",
    };
    layout(
        &page,
        html! {
            section.hero {
                div.wrap {
                    h1 { "Des ascenseurs entretenus, un suivi transparent" }
                    p.lead {
                        "Syndics, gestionnaires de patrimoine, bailleurs : WeMaintain prend en charge la maintenance, "
                        "l'installation, la réparation et les travaux de vos appareils — ascenseurs, monte-charges "
                        "et monte-personnes — et vous montre en ligne tout ce qui est fait."
                    }
                    p.actions {
                        a.button href="/services" { "Découvrir nos services" }
                        a.button.secondary href={ "mailto:" (CONTACT_EMAIL) } { "Nous écrire" }
                    }
                }
            }
            section.section {
                div.wrap {
                    h2 { "Ce que nous faisons pour vos immeubles" }
                    ul.cards {
                        @for (title, text) in PRESTATIONS { (card(title, text)) }
                    }
                }
            }
            section.section.soft {
                div.wrap {
                    h2 { "Pourquoi les gestionnaires nous choisissent" }
                    ul.cards {
                        (card("Un technicien attitré", "Le même technicien suit vos appareils : il connaît leur historique et vos occupants."))
                        (card("Tout est écrit", "Chaque visite et chaque intervention donnent lieu à un rapport d'intervention consultable en ligne."))
                        (card("Des prix lisibles", "Une proposition commerciale détaillée, sans frais cachés, après une pré-visite si nécessaire."))
                    }
                }
            }
            section.section {
                div.wrap.prose {
                    h2 { "Votre espace client" }
                    p {
                        "Une fois votre compte validé par nos équipes, vous gérez vos bâtiments, vos demandes de maintenance "
                        "et vos rapports d'intervention depuis votre navigateur, sur ordinateur comme sur téléphone."
                    }
                    p { a href="/services" { "Voir les outils de l'espace client" } }
                }
            }
        },
    )
}

pub fn services() -> Markup {
    let page = Page {
        title: "Nos services",
        description: "Maintenance, installation, réparation et travaux d'ascenseurs, et un espace client pour suivre vos bâtiments, vos demandes et vos rapports.",
        path: "/services",
    };
    layout(
        &page,
        html! {
            section.hero {
                div.wrap {
                    h1 { "Nos services" }
                    p.lead {
                        "Quatre types de prestations sur vos appareils, et un espace client pour les suivre."
                    }
                }
            }
            section.section {
                div.wrap {
                    h2 { "Nos prestations" }
                    ul.cards {
                        @for (title, text) in PRESTATIONS { (card(title, text)) }
                    }
                }
            }
            section.section.soft {
                div.wrap {
                    h2 { "Les outils de votre espace client" }
                    p.prose {
                        "L'espace client est votre espace personnel sur le site. Il est ouvert après validation de votre "
                        "inscription par WeMaintain."
                    }
                    ul.cards {
                        @for (title, text) in PROFILE_TOOLS { (card(title, text)) }
                    }
                }
            }
            section.section {
                div.wrap.prose {
                    h2 { "Comment ça se passe" }
                    ol {
                        li { "Vous nous décrivez vos bâtiments et la localisation de vos appareils." }
                        li { "Nous organisons si besoin une pré-visite et vous adressons une proposition commerciale." }
                        li { "Vous signez le contrat de maintenance en ligne, puis suivez chaque intervention depuis votre espace client." }
                    }
                    p.actions {
                        a.button href={ "mailto:" (CONTACT_EMAIL) } { "Demander une proposition" }
                    }
                }
            }
        },
    )
}
