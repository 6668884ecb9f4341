//! The audit log of sensitive actions (purpose `security`): logins, logouts,
//! password changes, staff decisions, and every time staff open a person's
//! record. Written once, never edited, purged with the security purpose.

use chrono::{DateTime, Utc};

use crate::auth::digest;
use crate::db::pagination::{fetch_page, ListSql, PageRequest, Paged};
use crate::db::{millis, Db, DbError, Sql, Tx};
use crate::domain::Email;
use crate::privacy::{Purpose, Register};

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditEvent {
    LoginSucceeded,
    LoginFailed,
    LoginThrottled,
    Logout,
    PasswordReconfirmFailed,
    PasswordReconfirmThrottled,
    PasswordChanged,
    PasswordResetRequested,
    PasswordReset,
    RegistrationValidated,
    RegistrationRejected,
    AccountCreated,
    RoleChanged,
    StatusChanged,
    CompanyAttached,
    CompanyDetached,
    RecordViewed,
    MessageHandled,
    DataExported,
    ProfileRectified,
    EmailChangeRequested,
    EmailChanged,
    NewsObjectionChanged,
    AccountErased,
    RightsRequestConfirmed,
    RightsRequestExtended,
    RightsRequestInformationAsked,
    RightsRequestClosed,
    VisitLogSearched,
    RequestDeviceAttached,
    ReportPublished,
    ReportCorrected,
    RequestResolved,
    QuestionAnswered,
    StatisticsReportsChanged,
    StatisticsReportStopped,
    StatisticsReportSent,
}

impl AuditEvent {
    /// Every event, in the order of the enum (the journal's filter lists them).
    pub const ALL: &'static [AuditEvent] = &[
        AuditEvent::LoginSucceeded,
        AuditEvent::LoginFailed,
        AuditEvent::LoginThrottled,
        AuditEvent::Logout,
        AuditEvent::PasswordReconfirmFailed,
        AuditEvent::PasswordReconfirmThrottled,
        AuditEvent::PasswordChanged,
        AuditEvent::PasswordResetRequested,
        AuditEvent::PasswordReset,
        AuditEvent::RegistrationValidated,
        AuditEvent::RegistrationRejected,
        AuditEvent::AccountCreated,
        AuditEvent::RoleChanged,
        AuditEvent::StatusChanged,
        AuditEvent::RecordViewed,
        AuditEvent::MessageHandled,
        AuditEvent::DataExported,
        AuditEvent::ProfileRectified,
        AuditEvent::EmailChangeRequested,
        AuditEvent::EmailChanged,
        AuditEvent::NewsObjectionChanged,
        AuditEvent::AccountErased,
        AuditEvent::RightsRequestConfirmed,
        AuditEvent::RightsRequestExtended,
        AuditEvent::RightsRequestInformationAsked,
        AuditEvent::RightsRequestClosed,
        AuditEvent::VisitLogSearched,
        AuditEvent::ReportPublished,
        AuditEvent::ReportCorrected,
        AuditEvent::RequestResolved,
        AuditEvent::QuestionAnswered,
        AuditEvent::StatisticsReportsChanged,
        AuditEvent::StatisticsReportStopped,
        AuditEvent::StatisticsReportSent,
    ];

    /// The event of a stored key.
    pub fn parse(key: &str) -> Option<AuditEvent> {
        AuditEvent::ALL.iter().copied().find(|e| e.key() == key)
    }

    pub fn key(self) -> &'static str {
        match self {
            AuditEvent::LoginSucceeded => "login_succeeded",
            AuditEvent::LoginFailed => "login_failed",
            AuditEvent::LoginThrottled => "login_throttled",
            AuditEvent::Logout => "logout",
            AuditEvent::PasswordReconfirmFailed => "password_reconfirm_failed",
            AuditEvent::PasswordReconfirmThrottled => "password_reconfirm_throttled",
            AuditEvent::PasswordChanged => "password_changed",
            AuditEvent::PasswordResetRequested => "password_reset_requested",
            AuditEvent::PasswordReset => "password_reset",
            AuditEvent::RegistrationValidated => "registration_validated",
            AuditEvent::RegistrationRejected => "registration_rejected",
            AuditEvent::AccountCreated => "account_created",
            AuditEvent::RoleChanged => "role_changed",
            AuditEvent::StatusChanged => "status_changed",
            AuditEvent::CompanyAttached => "company_attached",
            AuditEvent::CompanyDetached => "company_detached",
            AuditEvent::RecordViewed => "record_viewed",
            AuditEvent::MessageHandled => "message_handled",
            AuditEvent::DataExported => "data_exported",
            AuditEvent::ProfileRectified => "profile_rectified",
            AuditEvent::EmailChangeRequested => "email_change_requested",
            AuditEvent::EmailChanged => "email_changed",
            AuditEvent::NewsObjectionChanged => "news_objection_changed",
            AuditEvent::AccountErased => "account_erased",
            AuditEvent::RightsRequestConfirmed => "rights_request_confirmed",
            AuditEvent::RightsRequestExtended => "rights_request_extended",
            AuditEvent::RightsRequestInformationAsked => "rights_request_information_asked",
            AuditEvent::RightsRequestClosed => "rights_request_closed",
            AuditEvent::VisitLogSearched => "visit_log_searched",
            AuditEvent::RequestDeviceAttached => "request_device_attached",
            AuditEvent::ReportPublished => "report_published",
            AuditEvent::ReportCorrected => "report_corrected",
            AuditEvent::RequestResolved => "request_resolved",
            AuditEvent::QuestionAnswered => "question_answered",
            AuditEvent::StatisticsReportsChanged => "statistics_reports_changed",
            AuditEvent::StatisticsReportStopped => "statistics_report_stopped",
            AuditEvent::StatisticsReportSent => "statistics_report_sent",
        }
    }
}

/// What an event key means, in French, for the staff page.
pub fn event_in_french(key: &str) -> &'static str {
    match key {
        "login_succeeded" => "Connexion réussie",
        "login_failed" => "Connexion refusée",
        "login_throttled" => "Connexion bloquée (trop de tentatives)",
        "logout" => "Déconnexion",
        "password_reconfirm_failed" => "Mot de passe redemandé : erreur",
        "password_reconfirm_throttled" => "Mot de passe redemandé : bloqué (trop de tentatives)",
        "password_changed" => "Mot de passe changé",
        "password_reset_requested" => "Lien de nouveau mot de passe demandé",
        "password_reset" => "Mot de passe réinitialisé",
        "registration_validated" => "Demande de compte validée",
        "registration_rejected" => "Demande de compte refusée",
        "account_created" => "Compte créé",
        "role_changed" => "Rôle changé",
        "status_changed" => "État du compte changé",
        "company_attached" => "Compte rattaché à une société",
        "company_detached" => "Compte détaché de sa société",
        "record_viewed" => "Dossier consulté",
        "message_handled" => "Message traité",
        "data_exported" => "Copie des données téléchargée",
        "profile_rectified" => "Profil rectifié",
        "email_change_requested" => "Changement d'adresse e-mail demandé",
        "email_changed" => "Adresse e-mail changée",
        "news_objection_changed" => "Choix sur les e-mails d'actualité",
        "account_erased" => "Compte effacé à la demande de la personne",
        "rights_request_confirmed" => "Demande d'exercice de droits reçue",
        "rights_request_extended" => "Délai de réponse prolongé",
        "rights_request_information_asked" => "Informations demandées au demandeur",
        "rights_request_closed" => "Demande d'exercice de droits close",
        "visit_log_searched" => "Recherche dans le journal des visites",
        "request_device_attached" => "Appareil rattaché à une demande de maintenance",
        "report_published" => "Rapport d'intervention publié",
        "report_corrected" => "Rapport d'intervention corrigé",
        "request_resolved" => "Demande de maintenance résolue",
        "question_answered" => "Réponse envoyée à une question",
        "statistics_reports_changed" => "Rapports de statistiques par e-mail choisis",
        "statistics_report_stopped" => "Rapport de statistiques arrêté par le lien de l'e-mail",
        "statistics_report_sent" => "Rapport de statistiques envoyé par e-mail",
        _ => "Autre action",
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    /// The account that acted, if logged in.
    pub actor: Option<i64>,
    /// The account acted upon.
    pub subject_user: Option<i64>,
    /// Another record acted upon, as `kind:id` (`registration:12`), or the
    /// address typed in a failed login (see [`typed_address`]).
    pub subject: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

/// What the audit log keeps of an address typed in a form: the address
/// when it is one, else a short fingerprint, never the text itself (it can
/// be 60 KB long, or a password typed in the wrong field).
pub fn typed_address(typed: &str) -> String {
    match Email::parse(typed) {
        Ok(email) => email.as_str().to_owned(),
        Err(_) => format!("empreinte:{}", &digest(typed)[..16]),
    }
}

pub async fn record(
    db: &Db,
    register: &Register,
    now: DateTime<Utc>,
    event: AuditEvent,
    entry: AuditEntry,
) -> Result<(), DbError> {
    insert(register, now, event, &entry).execute(db).await?;
    Ok(())
}

/// The statement that writes one line, on a pool ([`record`]) or inside a
/// transaction ([`Audit::record_in`]).
fn insert(register: &Register, now: DateTime<Utc>, event: AuditEvent, entry: &AuditEntry) -> Sql {
    let expires_at = register.retention(Purpose::Security).period.after(now);
    Sql::new(
        "INSERT INTO audit_log (occurred_at, expires_at, event, actor_user_id, subject_user_id, \
           subject, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(millis(now))
    .bind(millis(expires_at))
    .bind(event.key())
    .bind(entry.actor)
    .bind(entry.subject_user)
    .bind(&entry.subject)
    .bind(&entry.ip)
    .bind(&entry.detail)
}

/// An audit line being written, named part by part:
/// `Audit::new(AuditEvent::AccountRoleChanged).actor(admin).user(id).detail("admin").record(..)`.
#[must_use = "an audit line is written only by `record`"]
pub struct Audit {
    event: AuditEvent,
    entry: AuditEntry,
}

impl Audit {
    pub fn new(event: AuditEvent) -> Audit {
        Audit {
            event,
            entry: AuditEntry::default(),
        }
    }

    /// The account that acted.
    pub fn actor(mut self, user_id: i64) -> Audit {
        self.entry.actor = Some(user_id);
        self
    }

    /// The account acted upon, if any.
    pub fn user(mut self, user_id: impl Into<Option<i64>>) -> Audit {
        self.entry.subject_user = user_id.into();
        self
    }

    /// Another record acted upon, as `kind:id`.
    pub fn subject(mut self, subject: impl Into<String>) -> Audit {
        self.entry.subject = Some(subject.into());
        self
    }

    pub fn ip(mut self, ip: impl Into<String>) -> Audit {
        self.entry.ip = Some(ip.into());
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Audit {
        self.entry.detail = Some(detail.into());
        self
    }

    pub fn maybe_detail(mut self, detail: Option<String>) -> Audit {
        self.entry.detail = detail;
        self
    }

    pub async fn record(
        self,
        db: &Db,
        register: &Register,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        record(db, register, now, self.event, self.entry).await
    }

    /// Writes the line inside `tx`: it is kept if, and only if, the change
    /// it records is committed with it.
    pub async fn record_in(
        self,
        tx: &mut Tx,
        register: &Register,
        now: DateTime<Utc>,
    ) -> Result<(), sqlx::Error> {
        insert(register, now, self.event, &self.entry)
            .execute(tx)
            .await?;
        Ok(())
    }

    /// The line, to be written later in the transaction of the change it
    /// records ([`PendingAudit::record_in`]), with the site's register and clock.
    pub fn pending(self, state: &crate::state::AppState) -> PendingAudit<'_> {
        PendingAudit {
            now: state.clock.now(),
            register: &state.register,
            audit: self,
        }
    }

    /// Writes the line with the site's database, register and clock.
    pub async fn record_with(self, state: &crate::state::AppState) -> Result<(), DbError> {
        self.record(&state.db, &state.register, state.clock.now())
            .await
    }
}

/// An audit line handed to the function that makes the change it records,
/// which writes it in the same transaction.
#[must_use = "an audit line is written only by `record_in`"]
pub struct PendingAudit<'a> {
    pub audit: Audit,
    pub register: &'a Register,
    /// When the change is made.
    pub now: DateTime<Utc>,
}

impl PendingAudit<'_> {
    /// Names the account acted upon, once the change has found it.
    pub fn user(mut self, user_id: impl Into<Option<i64>>) -> Self {
        self.audit = self.audit.user(user_id);
        self
    }

    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.audit = self.audit.subject(subject);
        self
    }

    pub fn maybe_detail(mut self, detail: Option<String>) -> Self {
        self.audit = self.audit.maybe_detail(detail);
        self
    }

    pub async fn record_in(self, tx: &mut Tx) -> Result<(), sqlx::Error> {
        self.audit.record_in(tx, self.register, self.now).await
    }
}

/// A line as staff read it, with the names of the accounts it names
/// (`None` when the account is gone, or was never named).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditLine {
    pub occurred_at: i64,
    pub event: String,
    pub actor_user_id: Option<i64>,
    pub actor_name: Option<String>,
    pub subject_user_id: Option<i64>,
    pub subject_name: Option<String>,
    pub subject: Option<String>,
    pub ip: Option<String>,
    pub detail: Option<String>,
}

/// What the staff's view of the log is narrowed to; `None` is any.
#[derive(Debug, Clone, Copy, Default)]
pub struct AuditFilter {
    /// The account that acted.
    pub actor: Option<i64>,
    pub event: Option<AuditEvent>,
    /// From this instant (included) to that one (excluded).
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// One page of the lines `filter` keeps, newest first.
pub async fn lines(
    db: &Db,
    filter: &AuditFilter,
    page: PageRequest,
) -> Result<Paged<AuditLine>, DbError> {
    // The event is one of the enum's own keys, never text from the request.
    let event = match filter.event {
        Some(event) => format!(" AND l.event = '{}'", event.key()),
        None => String::new(),
    };
    let from = format!(
        "FROM audit_log l LEFT JOIN users a ON a.id = l.actor_user_id \
         LEFT JOIN users s ON s.id = l.subject_user_id \
         WHERE ($1 IS NULL OR l.actor_user_id = $1) AND ($2 IS NULL OR l.occurred_at >= $2) \
         AND ($3 IS NULL OR l.occurred_at < $3){event}"
    );
    let list = ListSql {
        columns: "l.occurred_at, l.event, l.actor_user_id, \
            a.first_name || ' ' || a.last_name AS actor_name, l.subject_user_id, \
            s.first_name || ' ' || s.last_name AS subject_name, l.subject, l.ip, l.detail",
        from: &from,
        order_by: "l.occurred_at DESC, l.id DESC",
        args: &[
            filter.actor,
            filter.from.map(millis),
            filter.until.map(millis),
        ],
    };
    fetch_page(db, list, page).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_listed_has_a_french_name_and_reads_back() {
        for event in AuditEvent::ALL {
            assert_ne!(event_in_french(event.key()), "Autre action", "{event:?}");
            assert_eq!(AuditEvent::parse(event.key()), Some(*event));
        }
        assert_eq!(AuditEvent::parse("tout_casser"), None);
    }

    #[test]
    fn only_an_address_is_kept_as_typed() {
        assert_eq!(
            typed_address(" Camille@Example.com "),
            "camille@example.com"
        );
        let long = "x".repeat(60_000);
        let kept = typed_address(&long);
        assert!(kept.starts_with("empreinte:") && kept.len() == 26, "{kept}");
        assert_ne!(typed_address("Mon-mot-de-passe"), typed_address(&long));
    }
}
