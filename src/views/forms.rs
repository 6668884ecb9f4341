//! Form components: a field with its label, hint and error, the CSRF field,
//! the summary of errors at the top of a form. Every form of the site is
//! built from these, so that each one keeps what was typed and puts a French
//! message next to each wrong field in the same way.

use maud::{html, Markup};

use crate::auth::csrf::CSRF_FIELD;
use crate::auth::CsrfToken;
pub use crate::forms::FormErrors;

/// The hidden field every form carries: the token masked anew for each
/// form, so that no two responses carry the same bytes.
pub fn csrf_field(token: &CsrfToken) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(token.masked()); }
}

/// A one-line input.
pub struct Field<'a> {
    pub name: &'static str,
    pub label: &'a str,
    /// `text`, `email`, `tel`, `password`, `number`.
    pub kind: &'a str,
    pub value: &'a str,
    pub autocomplete: &'a str,
    pub hint: Option<&'a str>,
    pub required: bool,
}

impl<'a> Field<'a> {
    pub fn text(name: &'static str, label: &'a str, value: &'a str) -> Self {
        Self {
            name,
            label,
            kind: "text",
            value,
            autocomplete: "off",
            hint: None,
            required: true,
        }
    }

    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }

    pub fn autocomplete(mut self, autocomplete: &'a str) -> Self {
        self.autocomplete = autocomplete;
        self
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }
}

/// The errors one form of a page shows, and the prefix of its ids. Every
/// component takes one, or a plain `&FormErrors` for a page with one form:
/// a page with several forms gives each its own with [`in_form`], so that
/// ids stay unique and an error shows only in the form that was sent.
#[derive(Clone, Copy)]
pub struct FormScope<'a> {
    errors: &'a FormErrors,
    form: Option<&'static str>,
}

impl<'a> From<&'a FormErrors> for FormScope<'a> {
    fn from(errors: &'a FormErrors) -> Self {
        Self { errors, form: None }
    }
}

impl<'a> From<&'a &'a FormErrors> for FormScope<'a> {
    fn from(errors: &'a &'a FormErrors) -> Self {
        Self { errors, form: None }
    }
}

/// The scope of the form named `form` on a page with several forms: its
/// ids start with `form-`, and it shows `errors` only when they are its own
/// (marked with [`FormErrors::in_form`]).
pub fn in_form<'a>(form: &'static str, errors: &'a FormErrors) -> FormScope<'a> {
    FormScope {
        errors,
        form: Some(form),
    }
}

impl FormScope<'_> {
    /// The `id` of a field: its name, after the form's name if any.
    fn id(&self, name: &str) -> String {
        field_id(self.form, name)
    }

    fn error(&self, name: &str) -> Option<&str> {
        (self.errors.form() == self.form)
            .then(|| self.errors.get(name))
            .flatten()
    }
}

fn field_id(form: Option<&str>, name: &str) -> String {
    match form {
        Some(form) => format!("{form}-{name}"),
        None => name.to_owned(),
    }
}

fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-aide"));
    }
    if error {
        ids.push(format!("{id}-erreur"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn label(id: &str, text: &str, required: bool) -> Markup {
    html! {
        label for=(id) {
            (text)
            // The input's `required` tells screen readers; the star is for the eyes.
            @if required { " " span.required-mark aria-hidden="true" { "*" } }
            @else { span.optional { " (facultatif)" } }
        }
    }
}

/// Once at the top of every form with a required field: what the star means.
pub fn required_note() -> Markup {
    html! {
        p.required-note {
            "Les champs marqués d'un astérisque ("
            span.required-mark { "*" } ") sont obligatoires."
        }
    }
}

fn hint_and_error(id: &str, hint: Option<&str>, error: Option<&str>) -> Markup {
    html! {
        @if let Some(hint) = hint { p.hint id={ (id) "-aide" } { (hint) } }
        @if let Some(error) = error { p.field-error id={ (id) "-erreur" } { (error) } }
    }
}

/// What every field shares around its control: the label, the hint and
/// the error, on a block marked when the field is wrong.
fn framed(
    id: &str,
    text: &str,
    required: bool,
    hint: Option<&str>,
    error: Option<&str>,
    control: Markup,
) -> Markup {
    html! {
        div.field.has-error[error.is_some()] {
            (label(id, text, required))
            (hint_and_error(id, hint, error))
            (control)
        }
    }
}

pub fn field<'a>(f: Field, errors: impl Into<FormScope<'a>>) -> Markup {
    let scope = errors.into();
    let (id, error) = (scope.id(f.name), scope.error(f.name));
    // A password is never sent back to the browser.
    let value = if f.kind == "password" { "" } else { f.value };
    let input = html! {
        input id=(id) name=(f.name) type=(f.kind) value=(value)
            autocomplete=(f.autocomplete) required[f.required]
            aria-invalid=[error.map(|_| "true")]
            aria-describedby=[described_by(&id, f.hint.is_some(), error.is_some())];
    };
    framed(&id, f.label, f.required, f.hint, error, input)
}

/// A drop-down list; `options` are (value, label) pairs.
pub fn select<'a>(
    name: &'static str,
    text: &str,
    options: &[(&str, &str)],
    selected: &str,
    errors: impl Into<FormScope<'a>>,
) -> Markup {
    let scope = errors.into();
    let (id, error) = (scope.id(name), scope.error(name));
    let list = html! {
        select id=(id) name=(name) required
            aria-invalid=[error.map(|_| "true")]
            aria-describedby=[described_by(&id, false, error.is_some())] {
            option value="" selected[selected.is_empty()] { "Choisir…" }
            @for (value, label) in options {
                option value=(value) selected[*value == selected] { (label) }
            }
        }
    };
    framed(&id, text, true, None, error, list)
}

/// A list where the empty value (`none`, e.g. « Aucun ») is an answer:
/// not required.
pub fn optional_select(
    name: &'static str,
    text: &str,
    none: &str,
    options: &[(&str, &str)],
    selected: &str,
    errors: &FormErrors,
) -> Markup {
    let error = errors.get(name);
    let list = html! {
        select id=(name) name=(name)
            aria-invalid=[error.map(|_| "true")]
            aria-describedby=[described_by(name, false, error.is_some())] {
            option value="" selected[selected.is_empty()] { (none) }
            @for (value, label) in options {
                option value=(value) selected[*value == selected] { (label) }
            }
        }
    };
    framed(name, text, false, None, error, list)
}

/// A multi-line text, required unless [`TextArea::optional`].
pub struct TextArea<'a> {
    pub name: &'static str,
    pub label: &'a str,
    pub value: &'a str,
    pub hint: Option<&'a str>,
    pub required: bool,
}

impl<'a> TextArea<'a> {
    pub fn new(name: &'static str, label: &'a str, value: &'a str) -> Self {
        Self {
            name,
            label,
            value,
            hint: None,
            required: true,
        }
    }

    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn optional(mut self) -> Self {
        self.required = false;
        self
    }
}

pub fn text_area<'a>(t: TextArea, errors: impl Into<FormScope<'a>>) -> Markup {
    let scope = errors.into();
    let (id, error) = (scope.id(t.name), scope.error(t.name));
    let area = html! {
        textarea id=(id) name=(t.name) rows="6" required[t.required]
            aria-invalid=[error.map(|_| "true")]
            aria-describedby=[described_by(&id, t.hint.is_some(), error.is_some())] { (t.value) }
    };
    framed(&id, t.label, t.required, t.hint, error, area)
}

/// A required multi-line text (see [`text_area`] for an optional one).
pub fn textarea<'a>(
    name: &'static str,
    text: &str,
    value: &str,
    hint: Option<&str>,
    errors: impl Into<FormScope<'a>>,
) -> Markup {
    let area = TextArea {
        name,
        label: text,
        value,
        hint,
        required: true,
    };
    text_area(area, errors)
}

/// The attribute that marks an error summary in a page, which the layout
/// reads to start the page title with « Erreur : ». Quoted, so that no text
/// typed by a user (always escaped) can carry it.
pub const ERROR_SUMMARY_MARK: &str = r#"data-erreurs="formulaire""#;

/// The page title as the `<title>` says it: « Erreur : » first when the
/// page shows a form sent back with errors. The one rule for every page:
/// the layout calls it with the page's content.
pub fn page_title(title: &str, content: &Markup) -> String {
    if content.0.contains(ERROR_SUMMARY_MARK) {
        format!("Erreur : {title}")
    } else {
        title.to_owned()
    }
}

/// At the top of a form sent back with errors: how many, each a link to
/// its field, in the order of `labels`, which lists the fields of the form
/// in the order the form shows them. The summary takes the focus when the
/// page loads (`autofocus` applies to any focusable element in HTML, which
/// `tabindex="-1"` makes it), so that a keyboard or screen-reader user
/// starts from it.
pub fn error_summary(errors: &FormErrors, labels: &[(&str, &str)]) -> Markup {
    if errors.is_empty() {
        return html! {};
    }
    let label_of = |name: &str| labels.iter().find(|(n, _)| *n == name).map(|(_, l)| *l);
    let entry = |name: &str, message: &str| SummaryEntry {
        field_id: field_id(errors.form(), name),
        label: label_of(name).unwrap_or(name).to_owned(),
        message: message.to_owned(),
    };
    let mut listed: Vec<SummaryEntry> = labels
        .iter()
        .filter_map(|&(name, _)| errors.get(name).map(|m| entry(name, m)))
        .collect();
    // A message for a field the labels forget still shows, last.
    for (name, message) in errors.iter() {
        if label_of(name).is_none() {
            listed.push(entry(name, message));
        }
    }
    summary_of(&listed)
}

/// A line of an error summary: the field it links to, its label, what is
/// wrong.
pub struct SummaryEntry {
    pub field_id: String,
    pub label: String,
    pub message: String,
}

/// The error summary of `entries`, in their order (see [`error_summary`];
/// for a form whose field ids are not a form's static name, such as one
/// form per question on a list).
pub fn summary_of(entries: &[SummaryEntry]) -> Markup {
    if entries.is_empty() {
        return html! {};
    }
    let count = entries.len();
    html! {
        div.error-summary data-erreurs="formulaire" role="alert" tabindex="-1" autofocus
            aria-labelledby="resume-erreurs" {
            h2 #resume-erreurs {
                @if count == 1 { "Le formulaire contient une erreur" }
                @else { "Le formulaire contient " (count) " erreurs" }
            }
            ul {
                @for e in entries {
                    li { a href={ "#" (e.field_id) } { (e.label) " : " (e.message) } }
                }
            }
        }
    }
}

/// A general message at the top of a form (wrong password, retry later…).
pub fn form_alert(message: &str) -> Markup {
    html! { div.error-summary role="alert" { p { (message) } } }
}

/// The options of a `select` from a choice's values: `(key, label)` pairs,
/// e.g. `options(&Civility::ALL, Civility::key, Civility::label)`.
pub fn options<T: Copy>(
    all: &[T],
    key: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter()
        .map(|&value| (key(value), label(value)))
        .collect()
}

pub use crate::paris::{date_text as french_date, date_time_text as french_datetime};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_keeps_its_value_and_shows_its_error() {
        let mut errors = FormErrors::default();
        errors.add("email", "Indiquez une adresse e-mail valide.");
        let html =
            field(Field::text("email", "E-mail", "a<b").kind("email"), &errors).into_string();
        assert!(html.contains(r#"value="a&lt;b""#), "{html}");
        assert!(
            html.contains("Indiquez une adresse e-mail valide."),
            "{html}"
        );
        assert!(html.contains(r#"aria-invalid="true""#), "{html}");
        let html = field(
            Field::text("pw", "Mot de passe", "secret").kind("password"),
            &errors,
        )
        .into_string();
        assert!(!html.contains("secret"), "{html}");
    }

    #[test]
    fn the_summary_follows_the_form_and_marks_the_title() {
        let mut errors = FormErrors::default();
        errors.add("ville", "Indiquez la ville.");
        errors.add("adresse", "Indiquez l'adresse.");
        errors.add("zz", "Un champ que la liste oublie.");
        let labels = [("ville", "Ville"), ("adresse", "Adresse")];
        let summary = error_summary(&errors, &labels);
        let html = summary.clone().into_string();
        let ville = html.find("href=\"#ville\"").expect("a link to the city");
        let adresse = html
            .find("href=\"#adresse\"")
            .expect("a link to the address");
        let other = html
            .find("href=\"#zz\"")
            .expect("a link to the forgotten field");
        assert!(ville < adresse && adresse < other, "{html}");
        assert!(html.contains("autofocus") && html.contains(r#"tabindex="-1""#));
        assert_eq!(page_title("Contact", &summary), "Erreur : Contact");
        assert_eq!(page_title("Contact", &html! { p { "Bonjour" } }), "Contact");
        // Typed text that quotes the mark is escaped, and marks nothing.
        let typed = html! { p { (ERROR_SUMMARY_MARK) } };
        assert_eq!(page_title("Contact", &typed), "Contact");
    }

    #[test]
    fn a_form_of_a_page_shows_only_its_own_errors_under_its_own_ids() {
        let mut errors = FormErrors::default().in_form("clore");
        errors.add("texte", "Indiquez la réponse.");
        let close = textarea("texte", "Réponse", "", None, in_form("clore", &errors)).into_string();
        let ask =
            textarea("texte", "Question", "", None, in_form("question", &errors)).into_string();
        assert!(close.contains(r#"id="clore-texte""#) && close.contains("Indiquez la réponse."));
        assert!(close.contains(r#"for="clore-texte""#), "{close}");
        assert!(
            ask.contains(r#"id="question-texte""#) && !ask.contains("Indiquez"),
            "{ask}"
        );
        let summary = error_summary(&errors, &[("texte", "Réponse")]).into_string();
        assert!(summary.contains(r##"href="#clore-texte""##), "{summary}");
    }

    #[test]
    fn an_optional_text_is_not_required_and_says_so() {
        let errors = FormErrors::default();
        let html =
            text_area(TextArea::new("pieces", "Pièces", "").optional(), &errors).into_string();
        assert!(!html.contains("required"), "{html}");
        assert!(html.contains("(facultatif)"));
        let html = textarea("travaux", "Travaux", "", None, &errors).into_string();
        assert!(
            html.contains("required") && html.contains("required-mark"),
            "{html}"
        );
    }

    #[test]
    fn dates_are_shown_in_french_time() {
        // 2026-07-01 10:00 UTC is noon in Paris (summer time).
        assert_eq!(french_datetime(1_782_900_000_000), "01/07/2026 à 12 h 00");
    }
}
