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

fn described_by(name: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{name}-aide"));
    }
    if error {
        ids.push(format!("{name}-erreur"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn label(name: &str, text: &str, required: bool) -> Markup {
    html! {
        label for=(name) {
            (text)
            @if !required { span.optional { " (facultatif)" } }
        }
    }
}

fn hint_and_error(name: &str, hint: Option<&str>, error: Option<&str>) -> Markup {
    html! {
        @if let Some(hint) = hint { p.hint id={ (name) "-aide" } { (hint) } }
        @if let Some(error) = error { p.field-error id={ (name) "-erreur" } { (error) } }
    }
}

/// What every field shares around its control: the label, the hint and
/// the error, on a block marked when the field is wrong.
fn framed(
    name: &str,
    text: &str,
    required: bool,
    hint: Option<&str>,
    error: Option<&str>,
    control: Markup,
) -> Markup {
    html! {
        div.field.has-error[error.is_some()] {
            (label(name, text, required))
            (hint_and_error(name, hint, error))
            (control)
        }
    }
}

pub fn field(f: Field, errors: &FormErrors) -> Markup {
    let error = errors.get(f.name);
    // A password is never sent back to the browser.
    let value = if f.kind == "password" { "" } else { f.value };
    let input = html! {
        input id=(f.name) name=(f.name) type=(f.kind) value=(value)
            autocomplete=(f.autocomplete) required[f.required]
            aria-invalid=[error.map(|_| "true")]
            aria-describedby=[described_by(f.name, f.hint.is_some(), error.is_some())];
    };
    framed(f.name, f.label, f.required, f.hint, error, input)
}

/// A drop-down list; `options` are (value, label) pairs.
pub fn select(
    name: &'static str,
    text: &str,
    options: &[(&str, &str)],
    selected: &str,
    errors: &FormErrors,
) -> Markup {
    let error = errors.get(name);
    let list = html! {
        select id=(name) name=(name) required
            aria-invalid=[error.map(|_| "true")]
            aria-describedby=[described_by(name, false, error.is_some())] {
            option value="" selected[selected.is_empty()] { "Choisir…" }
            @for (value, label) in options {
                option value=(value) selected[*value == selected] { (label) }
            }
        }
    };
    framed(name, text, true, None, error, list)
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

/// A multi-line text.
pub fn textarea(
    name: &'static str,
    text: &str,
    value: &str,
    hint: Option<&str>,
    errors: &FormErrors,
) -> Markup {
    let error = errors.get(name);
    let area = html! {
        textarea id=(name) name=(name) rows="6" required
            aria-invalid=[error.map(|_| "true")]
            aria-describedby=[described_by(name, hint.is_some(), error.is_some())] { (value) }
    };
    framed(name, text, true, hint, error, area)
}

/// At the top of a form sent back with errors: how many, with links to each.
pub fn error_summary(errors: &FormErrors, labels: &[(&str, &str)]) -> Markup {
    if errors.is_empty() {
        return html! {};
    }
    let count = errors.len();
    html! {
        div.error-summary role="alert" tabindex="-1" {
            h2 {
                @if count == 1 { "Le formulaire contient une erreur" }
                @else { "Le formulaire contient " (count) " erreurs" }
            }
            ul {
                @for (name, message) in errors.iter() {
                    @let label = labels.iter().find(|(n, _)| *n == name).map(|(_, l)| *l).unwrap_or(name);
                    li { a href={ "#" (name) } { (label) " : " (message) } }
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
    fn dates_are_shown_in_french_time() {
        // 2026-07-01 10:00 UTC is noon in Paris (summer time).
        assert_eq!(french_datetime(1_782_900_000_000), "01/07/2026 à 12 h 00");
    }
}
