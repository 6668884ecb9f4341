//! `POST /admin/messages/questions/{id}/reponse`: staff answer a question
//! from `/contact` by e-mail.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::audit::AuditEvent;
use crate::auth::{CsrfToken, Viewer};
use crate::http::{html, redirect, staff_audit, PageError};
use crate::inbox::answers::{self, parse_answer, Answered};
use crate::notifications;
use crate::staff::answer_views::AnswerDraft;
use crate::staff::views as view;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default, rename = "reponse")]
    answer: String,
}

/// Kept with the question, e-mailed to the asker through the site's
/// mailer, the question marked handled; audited.
pub async fn answer(
    req: HttpRequest,
    path: web::Path<i64>,
    form: web::Form<AnswerForm>,
    state: web::Data<AppState>,
    viewer: Viewer,
    token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let text = match parse_answer(&form.answer) {
        Ok(text) => text,
        Err(error) => {
            let draft = AnswerDraft {
                question: id,
                text: &form.answer,
                error: &error.to_string(),
            };
            return refused(&state, &token, &draft).await;
        }
    };
    let audit = staff_audit(&state, &req, &viewer, AuditEvent::QuestionAnswered).pending(&state);
    let outcome = answers::answer(&state.db, &state.register, id, viewer.id, &text, audit).await?;
    let Answered::Done(asked) = outcome else {
        return Ok(redirect("/admin/messages?fait=deja-repondu"));
    };
    let mail =
        notifications::question_answered(&asked.email, &asked.first_name, &asked.message, &text);
    state.mailer.send_later(mail);
    Ok(redirect("/admin/messages?fait=repondu"))
}

/// The messages again, the answer typed kept under its question with why
/// it was refused.
async fn refused(
    state: &AppState,
    token: &CsrfToken,
    draft: &AnswerDraft<'_>,
) -> Result<HttpResponse, PageError> {
    let questions = crate::inbox::questions(&state.db).await?;
    let applications = crate::inbox::applications(&state.db).await?;
    let page = view::messages_page(token, &questions, &applications, None, Some(draft));
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page))
}
