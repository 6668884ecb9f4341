//! Goals and funnels of the statistics: what a visit reaching a page means
//! to marketing. A goal is a page reached (a confirmation page); a funnel
//! is an ordered list of steps, each one page or a choice of pages.
//!
//! Settings (`WM_ANALYTICS_GOALS`, `WM_ANALYTICS_FUNNELS`) add to the
//! defaults. Goals are stored under their path and funnels under their
//! steps (see `visits.rs`), never under their names: renaming one keeps its
//! history, changing its pages starts a new one.

/// One goal: a visit converts when it views a page matching `path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub name: String,
    /// A path; a segment `{id}` matches any number (`/profil/propositions/{id}`).
    pub path: String,
}

/// One funnel: its steps in order, each a choice of paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Funnel {
    pub name: String,
    pub steps: Vec<Vec<String>>,
}

/// The goals and funnels counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goals {
    pub goals: Vec<Goal>,
    pub funnels: Vec<Funnel>,
}

/// The site's own confirmation pages; a proposal request ends on its page
/// once sent (`/profil/propositions/{id}/envoyee`).
const DEFAULT_GOALS: [(&str, &str); 4] = [
    ("Message envoyé", "/contact/envoye"),
    ("Inscription envoyée", "/inscription/envoyee"),
    ("Candidature de technicien", "/techniciens/envoye"),
    (
        "Demande de proposition",
        "/profil/propositions/{id}/envoyee",
    ),
];

/// The default funnel, as the settings write it.
pub const DEFAULT_FUNNEL: &str = "Contact=/, /services > /contact > /contact/envoye";

impl Default for Goals {
    fn default() -> Self {
        Self {
            goals: DEFAULT_GOALS
                .iter()
                .map(|(name, path)| Goal {
                    name: (*name).to_owned(),
                    path: (*path).to_owned(),
                })
                .collect(),
            funnels: parse_funnels(DEFAULT_FUNNEL).expect("the default funnel parses"),
        }
    }
}

/// Whether a logged path matches a goal or step pattern.
pub fn matches(pattern: &str, path: &str) -> bool {
    if !pattern.contains("{id}") {
        return pattern == path;
    }
    let (mut want, mut got) = (pattern.split('/'), path.split('/'));
    loop {
        match (want.next(), got.next()) {
            (None, None) => return true,
            (Some("{id}"), Some(segment)) => {
                if segment.is_empty() || !segment.bytes().all(|b| b.is_ascii_digit()) {
                    return false;
                }
            }
            (Some(a), Some(b)) if a == b => {}
            _ => return false,
        }
    }
}

fn path(text: &str) -> Result<String, String> {
    let text = text.trim();
    let valid = text.starts_with('/')
        && !text.contains(['?', '#', ' ', ',', ';', '>', '|', '='])
        && text
            .split('/')
            .all(|s| s == "{id}" || !s.contains(['{', '}']));
    if valid {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "« {text} » n'est pas un chemin de page : il commence par « / », sans espace, « ? » ni « , » (par exemple « /contact/envoye »)"
        ))
    }
}

/// `WM_ANALYTICS_GOALS`: `Nom=/chemin` or `/chemin`, separated by commas;
/// the named goals come after the defaults.
pub fn parse_goals(value: &str) -> Result<Vec<Goal>, String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (name, page) = match item.split_once('=') {
                Some((name, page)) if !name.trim().is_empty() => (name.trim().to_owned(), page),
                Some(_) => return Err(format!("l'objectif « {item} » n'a pas de nom avant « = »")),
                None => (item.to_owned(), item),
            };
            Ok(Goal {
                name,
                path: path(page)?,
            })
        })
        .collect()
}

/// `WM_ANALYTICS_FUNNELS`: funnels separated by `;`, each
/// `Nom=étape > étape > …`, a step being one path or several separated by
/// `,` (any of them counts). At least two steps.
pub fn parse_funnels(value: &str) -> Result<Vec<Funnel>, String> {
    value
        .split(';')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            let Some((name, steps)) = item.split_once('=') else {
                return Err(format!(
                    "le tunnel « {item} » n'a pas de nom : écrivez « Nom=/page > /page2 »"
                ));
            };
            let steps = steps
                .split('>')
                .map(|step| step.split(',').map(path).collect::<Result<Vec<_>, _>>())
                .collect::<Result<Vec<_>, _>>()?;
            if name.trim().is_empty() || steps.len() < 2 {
                return Err(format!(
                    "le tunnel « {item} » doit avoir un nom et au moins deux étapes séparées par « > »"
                ));
            }
            Ok(Funnel {
                name: name.trim().to_owned(),
                steps,
            })
        })
        .collect()
}

impl Goals {
    /// The defaults and the goals of the setting.
    pub fn with_goals(mut self, value: &str) -> Result<Self, String> {
        let extra = parse_goals(value)?;
        self.goals
            .retain(|g| !extra.iter().any(|e| e.path == g.path));
        self.goals.extend(extra);
        Ok(self)
    }

    /// The defaults and the funnels of the setting.
    pub fn with_funnels(mut self, value: &str) -> Result<Self, String> {
        self.funnels.extend(parse_funnels(value)?);
        Ok(self)
    }
}

impl Funnel {
    /// The key a step is stored under: the steps up to it, as written.
    pub fn key(&self, last_step: usize) -> String {
        self.steps[..=last_step]
            .iter()
            .map(|step| step.join(", "))
            .collect::<Vec<_>>()
            .join(" > ")
    }

    /// How many steps a visit's pages reach in order (any pages between).
    pub fn reached<'a>(&self, pages: impl IntoIterator<Item = &'a str>) -> usize {
        let mut reached = 0;
        for page in pages {
            if reached < self.steps.len() && self.steps[reached].iter().any(|p| matches(p, page)) {
                reached += 1;
            }
        }
        reached
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_and_bad_ones_are_explained() {
        let goals = Goals::default()
            .with_goals("Devis=/devis/merci, /merci")
            .unwrap();
        assert_eq!(goals.goals.len(), 6);
        assert_eq!(goals.goals[5].name, "/merci");
        assert!(parse_goals("devis").unwrap_err().contains("chemin"));
        let funnels = parse_funnels("A=/ > /b, /c ; B=/x>/y").unwrap();
        assert_eq!(funnels[0].steps, vec![vec!["/"], vec!["/b", "/c"]]);
        assert_eq!(funnels[0].key(1), "/ > /b, /c");
        assert!(parse_funnels("A=/").unwrap_err().contains("deux étapes"));
        assert!(parse_funnels("/a > /b").unwrap_err().contains("nom"));
    }

    #[test]
    fn steps_are_reached_in_order_and_ids_match_numbers() {
        let funnel = &Goals::default().funnels[0];
        assert_eq!(funnel.reached(["/contact", "/", "/contact"]), 2);
        assert_eq!(
            funnel.reached(["/services", "/a", "/contact", "/contact/envoye"]),
            3
        );
        assert!(matches(
            "/profil/propositions/{id}",
            "/profil/propositions/12"
        ));
        assert!(!matches(
            "/profil/propositions/{id}",
            "/profil/propositions/nouvelle"
        ));
        // The proposal goal is the page once sent, not every look at it.
        let proposal = &Goals::default().goals[3].path;
        assert!(matches(proposal, "/profil/propositions/12/envoyee"));
        assert!(!matches(proposal, "/profil/propositions/12"));
    }
}
