//! The page frame every HTML page shares: header, navigation, footer.

use maud::{html, Markup, DOCTYPE};

use crate::assets;

/// What the layout needs to know about the page it frames.
pub struct Page<'a> {
    /// The page title, without the site name.
    pub title: &'a str,
    /// One sentence for search engines and link previews.
    pub description: &'a str,
    /// The request path, to mark the current navigation entry.
    pub path: &'a str,
}

/// Public contact details, as the privacy policy states them.
pub const POSTAL_ADDRESS: [&str; 2] = ["20 bis, rue Louis Philippe", "92200 Neuilly-sur-Seine"];
pub const CONTACT_EMAIL: &str = "contact@wemaintain.com";
pub const OPT_OUT_PATH: &str = "/confidentialite/opposition";
pub const POLICY_PATH: &str = "/politique-de-confidentialite";

const NAVIGATION: &[(&str, &str)] = &[
    ("/", "Accueil"),
    ("/services", "Services"),
    ("/contact", "Contact"),
    (POLICY_PATH, "Confidentialité"),
    ("/connexion", "Espace client"),
];

pub fn layout(page: &Page, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page.title) " — WeMaintain" }
                meta name="description" content=(page.description);
                link rel="stylesheet" href=(assets::url("site.css"));
                link rel="icon" type="image/svg+xml" href=(assets::url("favicon.svg"));
            }
            body {
                a.skip-link href="#contenu" { "Aller au contenu" }
                header.site-header {
                    div.wrap {
                        a.brand href="/" {
                            img src=(assets::url("logo.svg")) alt="" width="32" height="32";
                            span { "WeMaintain" }
                        }
                        nav.site-nav aria-label="Navigation principale" {
                            ul {
                                @for (href, label) in NAVIGATION {
                                    li {
                                        a href=(href)
                                          aria-current=[(page.path == *href).then_some("page")] {
                                            (label)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                main #contenu { (content) }
                (footer())
            }
        }
    }
}

fn footer() -> Markup {
    html! {
        footer.site-footer {
            div.wrap {
                section {
                    h2 { "WeMaintain" }
                    address {
                        @for line in POSTAL_ADDRESS { (line) br; }
                        a href={ "mailto:" (CONTACT_EMAIL) } { (CONTACT_EMAIL) }
                    }
                }
                section {
                    h2 { "Vos données" }
                    ul {
                        li { a href=(POLICY_PATH) { "Politique de confidentialité" } }
                        li { a href=(OPT_OUT_PATH) { "Mesure d'audience : s'opposer" } }
                    }
                }
                section {
                    h2 { "Nous contacter" }
                    ul {
                        li { a href="/contact" { "Poser une question à l'équipe WeMaintain" } }
                        li { a href="/techniciens" { "Technicien ascensoriste ? Rejoignez-nous" } }
                        li { a href="/inscription" { "Demander un compte client" } }
                        li { a href="/services" { "Nos Prestations" } }
                    }
                }
                p.legal {
                    "Ce site ne dépose aucun cookie publicitaire et n'utilise aucun service tiers de mesure d'audience."
                }
            }
        }
    }
}
