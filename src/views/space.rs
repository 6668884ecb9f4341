//! The logged-in spaces (the client's Profile, the staff's pages, the
//! marketing team's statistics): each has its menu, drawn by the layout
//! under the header instead of the public site's.

use maud::Markup;

use super::layout::space_layout;
use super::Page;
use crate::auth::Role;

/// A space: what search engines read of it and its menu.
pub struct Space {
    pub description: &'static str,
    /// The menu's accessible name, also shown beside the person's name
    /// (« Espace client », « Administration »).
    pub menu: &'static str,
    pub links: &'static [MenuEntry],
}

/// An entry of a space's menu.
pub struct MenuEntry {
    pub href: &'static str,
    pub label: &'static str,
    /// Other addresses whose pages belong to this entry (a device's page
    /// belongs to « Bâtiments »).
    pub also: &'static [&'static str],
}

const fn entry(href: &'static str, label: &'static str) -> MenuEntry {
    MenuEntry {
        href,
        label,
        also: &[],
    }
}

/// The client's Profile.
pub const PROFILE: Space = Space {
    description: "Votre espace client WeMaintain.",
    menu: "Espace client",
    links: &[
        entry("/profil", "Tableau de bord"),
        MenuEntry {
            href: "/profil/batiments",
            label: "Bâtiments",
            also: &["/profil/appareils"],
        },
        entry("/profil/demandes", "Demandes"),
        entry("/profil/propositions", "Propositions"),
        entry("/profil/rapports", "Rapports"),
        entry("/profil/contrat", "Contrat"),
        entry("/profil/donnees", "Mes données"),
    ],
};

/// The staff's pages.
pub const ADMINISTRATION: Space = Space {
    description: "Espace de l'équipe WeMaintain.",
    menu: "Administration",
    links: &[
        entry("/admin", "Tableau de bord"),
        entry("/admin/demandes", "Demandes"),
        entry("/admin/rapports", "Rapports"),
        entry("/admin/propositions", "Propositions"),
        entry("/admin/messages", "Messages"),
        entry("/admin/inscriptions", "Inscriptions"),
        entry("/admin/comptes", "Comptes"),
        entry("/admin/societes", "Sociétés"),
        entry("/admin/contrats", "Contrats"),
        entry("/admin/droits", "Droits"),
        entry("/admin/journal", "Journal"),
        entry("/admin/registre", "Registre"),
        entry("/statistiques", "Statistiques"),
    ],
};

/// The marketing team's pages.
pub const MARKETING: Space = Space {
    description: "Statistiques de fréquentation du site WeMaintain.",
    menu: "Espace marketing",
    links: &[entry("/statistiques", "Statistiques")],
};

impl Space {
    /// The space of a person with `role`.
    pub fn of_role(role: Role) -> &'static Space {
        match role {
            Role::Client => &PROFILE,
            Role::Marketing => &MARKETING,
            Role::Admin => &ADMINISTRATION,
        }
    }

    /// The menu entry `path` belongs to: the longest entry address that is
    /// `path` or one of its parents.
    pub fn current_entry(&self, path: &str) -> Option<usize> {
        let under = |base: &str| {
            path == base
                || path
                    .strip_prefix(base)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        self.links
            .iter()
            .enumerate()
            .flat_map(|(i, entry)| {
                std::iter::once(entry.href)
                    .chain(entry.also.iter().copied())
                    .filter(|base| under(base))
                    .map(move |base| (base.len(), i))
            })
            .max()
            .map(|(_, i)| i)
    }

    /// A page of this space, under the header and the space's menu.
    pub fn page(&self, title: &str, path: &str, content: Markup) -> Markup {
        let page = Page {
            title,
            description: self.description,
            path,
        };
        space_layout(
            &page,
            self,
            maud::html! { section.section { div.wrap { (content) } } },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_entry_is_the_closest_parent() {
        let label = |path| PROFILE.current_entry(path).map(|i| PROFILE.links[i].label);
        assert_eq!(label("/profil"), Some("Tableau de bord"));
        assert_eq!(label("/profil/batiments/3"), Some("Bâtiments"));
        assert_eq!(label("/profil/appareils/3/modifier"), Some("Bâtiments"));
        assert_eq!(label("/profil/donnees/modifier"), Some("Mes données"));
        assert_eq!(label("/profil-autre"), None);
        assert_eq!(label("/compte/mot-de-passe"), None);
        let admin = |path| {
            ADMINISTRATION
                .current_entry(path)
                .map(|i| ADMINISTRATION.links[i].label)
        };
        assert_eq!(admin("/admin/droits/visites"), Some("Droits"));
        assert_eq!(admin("/admin"), Some("Tableau de bord"));
        assert_eq!(admin("/statistiques"), Some("Statistiques"));
    }
}
