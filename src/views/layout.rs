//! The page frame every HTML page shares: header, navigation, footer.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::forms::{csrf_field, page_title};
use super::frame::{self, Person};
use super::space::Space;
use super::typography;
use crate::assets;
use crate::domain::EmergencyPhone;

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

/// The public site's menu; the person's own link (their space, or the
/// login page) comes after it.
const NAVIGATION: &[(&str, &str)] = &[
    ("/", "Accueil"),
    ("/services", "Services"),
    ("/contact", "Contact"),
    (POLICY_PATH, "Confidentialité"),
];

/// A public page: the site's menu and its footer.
pub fn layout(page: &Page, content: Markup) -> Markup {
    framed(page, None, content)
}

/// A page of `space` (client or staff): the space's menu instead of the
/// site's, and a footer without the site's marketing links.
pub fn space_layout(page: &Page, space: &Space, content: Markup) -> Markup {
    framed(page, Some(space), content)
}

/// Every page goes through here, so every page gets French typography in
/// its text (never in its attributes or form values).
fn framed(page: &Page, space: Option<&Space>, content: Markup) -> Markup {
    PreEscaped(typography::page(
        &frame_markup(page, space, content).into_string(),
    ))
}

fn frame_markup(page: &Page, space: Option<&Space>, content: Markup) -> Markup {
    let frame = frame::current();
    html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (page_title(page.title, &content)) " — WeMaintain" }
                meta name="description" content=(page.description);
                link rel="stylesheet" href=(assets::url("site.css"));
                link rel="icon" type="image/svg+xml" href=(assets::url("favicon.svg"));
            }
            body {
                a.skip-link href="#contenu" { "Aller au contenu" }
                header.site-header {
                    div.wrap.header-bar {
                        a.brand href="/" {
                            img src=(assets::url("logo.svg")) alt="" width="32" height="32";
                            span { "WeMaintain" }
                        }
                        @if let Some(on_call) = &frame.on_call { (on_call_link(on_call)) }
                        (person_links(frame.person.as_ref(), space.is_some()))
                    }
                    @match space {
                        Some(space) => (space_menu(space, page.path)),
                        None => (site_menu(page.path)),
                    }
                }
                main #contenu { (content) }
                @match space {
                    Some(_) => (space_footer()),
                    None => (footer()),
                }
            }
        }
    }
}

/// The on-call number, one tap away on a phone.
fn on_call_link(on_call: &EmergencyPhone) -> Markup {
    html! {
        a.header-on-call href=(on_call.tel_uri()) {
            "Astreinte" span.on-call-detail { ", personne bloquée" } "\u{a0}: " strong { (on_call.display()) }
        }
    }
}

/// Who is logged in, with a link to their space and the logout button; for
/// a visitor, the way to log in.
fn person_links(person: Option<&Person>, in_space: bool) -> Markup {
    let Some(person) = person else {
        return html! { a.person-link href="/connexion" { "Espace client" } };
    };
    let space = Space::of_role(person.role);
    html! {
        div.person {
            a.person-link href=(person.role.home()) {
                // On a phone the first name alone (the stylesheet hides the rest).
                span.person-name { (person.first_name) span.person-last { " " (person.last_name) } }
                " "
                span.person-space { (space.menu) }
            }
            @if in_space {
                a.person-link href="/compte/mot-de-passe" { "Mot de passe" }
            }
            form.inline-form method="post" action="/deconnexion" {
                (csrf_field(&person.token))
                button.button.small.on-dark type="submit" { "Se déconnecter" }
            }
        }
    }
}

fn site_menu(path: &str) -> Markup {
    html! {
        nav.site-nav aria-label="Navigation principale" {
            div.wrap {
                ul {
                    @for (href, label) in NAVIGATION {
                        li {
                            a href=(href) aria-current=[(path == *href).then_some("page")] {
                                (label)
                            }
                        }
                    }
                }
            }
        }
    }
}

fn space_menu(space: &Space, path: &str) -> Markup {
    let current = space.current_entry(path);
    html! {
        nav.space-nav aria-label=(space.menu) {
            div.wrap {
                ul {
                    @for (i, entry) in space.links.iter().enumerate() {
                        li {
                            a href=(entry.href) aria-current=[(current == Some(i)).then_some("page")] {
                                (entry.label)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The footer of the client's and the staff's pages: the policy and the
/// way to reach WeMaintain, without the site's marketing links.
fn space_footer() -> Markup {
    html! {
        footer.site-footer.space-footer {
            div.wrap {
                ul {
                    li { "WeMaintain, " (POSTAL_ADDRESS[0]) ", " (POSTAL_ADDRESS[1]) }
                    li { a href=(POLICY_PATH) { "Politique de confidentialité" } }
                    li { a href="/contact" { "Nous écrire" } }
                }
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
                        li { a href="/services" { "Nos prestations" } }
                    }
                }
                p.legal {
                    "Ce site ne dépose aucun cookie publicitaire et n'utilise aucun service tiers de mesure d'audience."
                }
            }
        }
    }
}
