//! The frame of a logged-in space (the client's Profile, the staff pages):
//! the layout, the account bar, the space's menu, then the page.

use maud::{html, Markup};

use super::forms::csrf_field;
use super::{layout, Page};
use crate::auth::{CsrfToken, Viewer};

/// A space: what search engines read of it and its menu.
pub struct Space {
    pub description: &'static str,
    /// The menu's accessible name (« Espace client », « Administration »).
    pub menu: &'static str,
    /// The menu's entries: address and label.
    pub links: &'static [(&'static str, &'static str)],
}

/// The client's Profile.
pub const PROFILE: Space = Space {
    description: "Votre espace client WeMaintain.",
    menu: "Espace client",
    links: &[
        ("/profil", "Mon espace"),
        ("/profil/batiments", "Bâtiments et appareils"),
        ("/profil/demandes", "Demandes de maintenance"),
        ("/profil/rapports", "Rapports d'intervention"),
        ("/profil/propositions", "Propositions commerciales"),
        ("/profil/contrat", "Contrat de maintenance"),
    ],
};

/// The staff's pages.
pub const ADMINISTRATION: Space = Space {
    description: "Espace de l'équipe WeMaintain.",
    menu: "Administration",
    links: &[
        ("/admin", "Tableau de bord"),
        ("/admin/inscriptions", "Demandes de compte"),
        ("/admin/comptes", "Comptes"),
        ("/admin/societes", "Sociétés"),
        ("/admin/messages", "Messages"),
        ("/admin/demandes", "Demandes de maintenance"),
        ("/admin/rapports", "Publier un rapport"),
        ("/admin/propositions", "Propositions"),
        ("/admin/contrats", "Contrats signés"),
        ("/admin/droits", "Droits des personnes"),
        ("/admin/journal", "Journal de sécurité"),
        ("/admin/registre", "Registre et purges"),
        ("/statistiques", "Statistiques"),
    ],
};

impl Space {
    /// A page of this space for `viewer`, under the account bar and menu.
    pub fn page(
        &self,
        title: &str,
        path: &str,
        viewer: &Viewer,
        token: &CsrfToken,
        content: Markup,
    ) -> Markup {
        space_page(self, title, path, account_bar(viewer, token), content)
    }
}

/// A page of `space` under its account bar and menu.
pub fn space_page(space: &Space, title: &str, path: &str, bar: Markup, content: Markup) -> Markup {
    let page = Page {
        title,
        description: space.description,
        path,
    };
    layout(
        &page,
        html! {
            section.section { div.wrap {
                (bar)
                nav aria-label=(space.menu) {
                    p {
                        @for (i, (href, label)) in space.links.iter().enumerate() {
                            @if i > 0 { " · " }
                            a href=(href) { (label) }
                        }
                    }
                }
                (content)
            } }
        },
    )
}

/// The logout button, for the pages of logged-in people.
pub fn account_bar(viewer: &Viewer, token: &CsrfToken) -> Markup {
    html! {
        div.account-bar {
            p { "Connecté : " strong { (viewer.first_name) " " (viewer.last_name) } " " span.badge { (viewer.role.label()) } }
            div {
                a href="/compte/mot-de-passe" { "Changer mon mot de passe" }
                " "
                form.inline-form method="post" action="/deconnexion" {
                    (csrf_field(token))
                    button.button.secondary.small type="submit" { "Se déconnecter" }
                }
            }
        }
    }
}
