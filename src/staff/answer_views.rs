//! On `/admin/messages`: a question's answer once sent, or the form that
//! sends it (one per question, each with its own ids).

use maud::{html, Markup};

use crate::auth::CsrfToken;
use crate::inbox::Question;
use crate::views::forms::{csrf_field, french_datetime, summary_of, SummaryEntry};

/// An answer refused, shown again under its question with what was typed.
pub struct AnswerDraft<'a> {
    pub question: i64,
    pub text: &'a str,
    pub error: &'a str,
}

/// At the top of the page, a refused answer's error, linked to its field.
pub fn draft_summary(draft: Option<&AnswerDraft>) -> Markup {
    let entries: Vec<SummaryEntry> = draft
        .map(|d| SummaryEntry {
            field_id: answer_field_id(d.question),
            label: format!("Réponse à la question n° {}", d.question),
            message: d.error.to_owned(),
        })
        .into_iter()
        .collect();
    summary_of(&entries)
}

fn answer_field_id(question: i64) -> String {
    format!("reponse-{question}")
}

/// The answer kept with the question, under it.
pub fn answer_of(q: &Question) -> Markup {
    html! {
        @if let (Some(answer), Some(at)) = (&q.answer, q.answered_at) {
            div.answer {
                p.meta {
                    strong { "Réponse envoyée par e-mail" }
                    " le " (french_datetime(at))
                    @if let Some(by) = &q.answered_by { " par " (by) }
                }
                p.message-text { (answer) }
            }
        }
    }
}

/// « Répondre »: the form under an unanswered question.
pub fn answer_form(q: &Question, token: &CsrfToken, draft: Option<&AnswerDraft>) -> Markup {
    if q.answer.is_some() {
        return html! {};
    }
    let draft = draft.filter(|d| d.question == q.id);
    let id = answer_field_id(q.id);
    let error_id = format!("{id}-erreur");
    let error = draft.map(|d| d.error);
    html! {
        form.form.answer-form method="post" action={ "/admin/messages/questions/" (q.id) "/reponse" } novalidate {
            (csrf_field(token))
            div.field.has-error[error.is_some()] {
                label for=(id) { "Répondre à " (q.first_name) " " (q.last_name) " par e-mail" }
                @if let Some(error) = error { p.field-error id=(error_id) { (error) } }
                textarea id=(id) name="reponse" rows="5" required
                    aria-invalid=[error.map(|_| "true")]
                    aria-describedby=[error.map(|_| error_id.as_str())] { (draft.map(|d| d.text).unwrap_or("")) }
            }
            button.button.small type="submit" { "Répondre" }
        }
    }
}
