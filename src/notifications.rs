//! The e-mails the site sends, in French: what each says, and to whom.

use crate::accounts::Registration;
use crate::domain::EmergencyPhone;
use crate::inbox::{NewApplication, NewQuestion};
use crate::mail::OutgoingMail;
use crate::views::typography::plural;

const SIGNATURE: &str =
    "\n\n--\nL'équipe WeMaintain\n20 bis, rue Louis Philippe, 92200 Neuilly-sur-Seine\n";

fn mail(to: Vec<String>, subject: &str, text: String) -> OutgoingMail {
    OutgoingMail {
        to,
        subject: subject.to_owned(),
        text: text + SIGNATURE,
    }
}

pub fn registration_to_staff(
    staff: Vec<String>,
    r: &Registration,
    public_url: &str,
) -> OutgoingMail {
    mail(
        staff,
        "Nouvelle demande de compte client",
        format!(
            "Une nouvelle demande de compte client attend votre examen.\n\n\
             Personne : {} {}\nSociété : {}\n\n\
             Pour la valider ou la refuser : {public_url}/admin/inscriptions/{}",
            r.first_name, r.last_name, r.company_name, r.id
        ),
    )
}

/// The link that proves a sign-up's address; staff hear of the request
/// only once it is opened.
pub fn registration_confirmation_link(email: &str, first_name: &str, link: &str) -> OutgoingMail {
    mail(
        vec![email.to_owned()],
        "Confirmez votre adresse e-mail",
        format!(
            "Bonjour {first_name},\n\n\
             Vous avez demandé un compte client WeMaintain avec cette adresse e-mail. \
             Pour la confirmer et transmettre votre demande à notre équipe, ouvrez ce lien \
             (valable 7 jours) :\n{link}\n\n\
             Si ce n'est pas vous, ignorez ce message : la demande sera effacée sans suite."
        ),
    )
}

/// Sent when someone asks for an account with an address already known,
/// instead of saying so on the page (which would tell anyone who has an
/// account).
pub fn registration_address_known(email: &str, public_url: &str) -> OutgoingMail {
    mail(
        vec![email.to_owned()],
        "Votre demande de compte WeMaintain",
        format!(
            "Bonjour,\n\n\
             Une demande de compte client vient d'être faite avec votre adresse e-mail, \
             qui a déjà un compte ou une demande en cours chez WeMaintain.\n\n\
             Si c'est vous : connectez-vous sur {public_url}/connexion, ou choisissez un nouveau \
             mot de passe sur {public_url}/mot-de-passe-oublie.\n\
             Si ce n'est pas vous, ignorez ce message : rien n'a été changé."
        ),
    )
}

pub fn registration_validated(r: &Registration, public_url: &str) -> OutgoingMail {
    mail(
        vec![r.email.clone()],
        "Votre compte WeMaintain est ouvert",
        format!(
            "Bonjour {},\n\n\
             Votre demande de compte a été validée par l'équipe WeMaintain. \
             Vous pouvez vous connecter à votre espace client avec votre adresse e-mail \
             et le mot de passe choisi lors de votre demande :\n{public_url}/connexion",
            r.first_name
        ),
    )
}

pub fn registration_rejected(r: &Registration, reason: &str, public_url: &str) -> OutgoingMail {
    mail(
        vec![r.email.clone()],
        "Votre demande de compte WeMaintain",
        format!(
            "Bonjour {},\n\n\
             Nous ne pouvons pas donner suite à votre demande de compte client.\n\n\
             Motif : {reason}\n\n\
             Pour toute question : {public_url}/contact",
            r.first_name
        ),
    )
}

pub fn password_reset_link(email: &str, first_name: &str, link: &str) -> OutgoingMail {
    mail(
        vec![email.to_owned()],
        "Choisir un nouveau mot de passe",
        format!(
            "Bonjour {first_name},\n\n\
             Pour choisir un nouveau mot de passe, ouvrez ce lien dans l'heure :\n{link}\n\n\
             Il ne sert qu'une fois. Si vous n'avez rien demandé, ignorez ce message : \
             votre mot de passe actuel reste valable."
        ),
    )
}

pub fn password_changed(email: &str, first_name: &str, public_url: &str) -> OutgoingMail {
    mail(
        vec![email.to_owned()],
        "Votre mot de passe a été changé",
        format!(
            "Bonjour {first_name},\n\n\
             Le mot de passe de votre compte WeMaintain vient d'être changé, et toutes vos \
             sessions ouvertes ont été fermées.\n\n\
             Si ce n'est pas vous, choisissez tout de suite un nouveau mot de passe sur \
             {public_url}/mot-de-passe-oublie et prévenez-nous sur {public_url}/contact."
        ),
    )
}

pub fn question_to_staff(staff: Vec<String>, q: &NewQuestion, public_url: &str) -> OutgoingMail {
    mail(
        staff,
        "Nouvelle question depuis le site",
        format!(
            "{} {} a posé une question depuis le formulaire de contact.\n\n\
             Pour la lire et y répondre : {public_url}/admin/messages",
            q.first_name, q.last_name
        ),
    )
}

pub fn application_to_staff(
    staff: Vec<String>,
    a: &NewApplication,
    public_url: &str,
) -> OutgoingMail {
    mail(
        staff,
        "Nouvelle candidature de technicien",
        format!(
            "{} {} ({} d'expérience) a envoyé une candidature de technicien.\n\n\
             Pour la lire : {public_url}/admin/messages",
            a.first_name,
            a.last_name,
            plural(a.years_experience.into(), "an", "ans")
        ),
    )
}

pub fn request_status_changed(
    to: &str,
    first_name: &str,
    request_id: i64,
    status: &str,
    public_url: &str,
    on_call: Option<&EmergencyPhone>,
) -> OutgoingMail {
    mail(
        vec![to.to_owned()],
        "Votre demande de maintenance a changé de statut",
        format!(
            "Bonjour {first_name},\n\n\
             Votre demande de maintenance n° {request_id} est maintenant : {status}.\n\n{}\
             Pour la suivre : {public_url}/profil/demandes/{request_id}",
            on_call_paragraph(on_call)
        ),
    )
}

pub fn request_staff_reply(
    to: &str,
    first_name: &str,
    request_id: i64,
    public_url: &str,
    on_call: Option<&EmergencyPhone>,
) -> OutgoingMail {
    mail(
        vec![to.to_owned()],
        "Nouveau message sur votre demande de maintenance",
        format!(
            "Bonjour {first_name},\n\n\
             L'équipe WeMaintain vous a écrit au sujet de votre demande de maintenance n° {request_id}.\n\n{}\
             Pour lire le message et répondre : {public_url}/profil/demandes/{request_id}",
            on_call_paragraph(on_call)
        ),
    )
}

/// To the client who filed a request « Personne bloquée dans l'appareil »:
/// it is received, and whom to call meanwhile.
pub fn urgent_request_received(
    to: &str,
    first_name: &str,
    request_id: i64,
    public_url: &str,
    on_call: Option<&EmergencyPhone>,
) -> OutgoingMail {
    mail(
        vec![to.to_owned()],
        "Demande urgente reçue : personne bloquée dans l'appareil",
        format!(
            "Bonjour {first_name},\n\n\
             Votre demande de maintenance n° {request_id} (personne bloquée dans l'appareil) \
             est reçue : l'équipe WeMaintain traite ces demandes en premier.\n\n{}\
             En cas de danger, appelez les secours au 112.\n\n\
             Pour suivre la demande : {public_url}/profil/demandes/{request_id}",
            on_call_paragraph(on_call)
        ),
    )
}

/// The on-call line, for the e-mails about an open urgent request; nothing
/// when there is no number to give (`WM_EMERGENCY_PHONE` unset).
fn on_call_paragraph(on_call: Option<&EmergencyPhone>) -> String {
    match on_call {
        Some(phone) => format!(
            "Si une personne est bloquée dans l'appareil, appelez sans attendre notre astreinte \
             au {} ({}).\n\n",
            phone.display(),
            phone.tel_uri()
        ),
        None => String::new(),
    }
}

/// What staff are told of a new maintenance request.
pub struct RequestAlert<'a> {
    pub id: i64,
    pub company: &'a str,
    /// The urgency as the client chose it (« Personne bloquée dans l'appareil »…).
    pub urgency: &'a str,
    /// A person is stuck: the subject says so first.
    pub person_stuck: bool,
    /// Where the problem is: the device, or the place as described.
    pub place: &'a str,
}

pub fn request_to_staff(
    staff: Vec<String>,
    request: RequestAlert<'_>,
    public_url: &str,
) -> OutgoingMail {
    let RequestAlert {
        id,
        company,
        urgency,
        place,
        ..
    } = request;
    let (subject, first_line) = if request.person_stuck {
        (
            "URGENT — Personne bloquée : nouvelle demande de maintenance",
            "URGENT : une personne est bloquée dans l'appareil.\n\n",
        )
    } else {
        ("Nouvelle demande de maintenance", "")
    };
    mail(
        staff,
        subject,
        format!(
            "{first_line}{company} a déposé une demande de maintenance (n° {id}).\n\n\
             Urgence : {urgency}\n\
             Lieu : {place}\n\n\
             Pour la traiter : {public_url}/admin/demandes/{id}"
        ),
    )
}

pub fn proposal_to_staff(
    staff: Vec<String>,
    id: i64,
    company: &str,
    previsit: bool,
    public_url: &str,
) -> OutgoingMail {
    let what = if previsit {
        "une proposition commerciale avec pré-visite"
    } else {
        "une proposition commerciale"
    };
    mail(
        staff,
        "Nouvelle demande de proposition commerciale",
        format!("{company} demande {what} (n° {id}).\n\nPour y répondre : {public_url}/admin/propositions/{id}"),
    )
}

pub fn proposal_answered(to: &str, first_name: &str, id: i64, public_url: &str) -> OutgoingMail {
    mail(
        vec![to.to_owned()],
        "Réponse à votre demande de proposition",
        format!(
            "Bonjour {first_name},\n\n\
             L'équipe WeMaintain a répondu à votre demande de proposition n° {id}.\n\n\
             Pour la lire : {public_url}/profil/propositions/{id}"
        ),
    )
}

/// The link that makes a visitor's rights request active.
pub fn rights_request_link(email: &str, kind: &str, link: &str) -> OutgoingMail {
    mail(
        vec![email.to_owned()],
        "Confirmez votre demande sur vos données personnelles",
        format!(
            "Bonjour,\n\n\
             Une demande d'exercice de droits sur vos données personnelles (« {kind} ») \
             a été faite sur le site WeMaintain avec cette adresse.\n\n\
             Pour la confirmer, ouvrez ce lien (valable 7 jours) :\n{link}\n\n\
             Nous vous répondrons au plus tard un mois après votre confirmation.\n\
             Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : \
             elle sera supprimée sans suite."
        ),
    )
}

pub fn rights_request_to_staff(
    staff: Vec<String>,
    id: i64,
    kind: &str,
    due: &str,
    public_url: &str,
) -> OutgoingMail {
    mail(
        staff,
        "Nouvelle demande d'exercice de droits",
        format!(
            "Une demande d'exercice de droits (« {kind} ») vient d'être confirmée.\n\n\
             Réponse due au plus tard le {due}.\n\n\
             Pour la traiter : {public_url}/admin/droits/{id}"
        ),
    )
}

pub fn rights_request_extended(email: &str, id: i64, due: &str, reason: &str) -> OutgoingMail {
    mail(
        vec![email.to_owned()],
        "Votre demande sur vos données personnelles : délai prolongé",
        format!(
            "Bonjour,\n\n\
             Le délai de réponse à votre demande n° {id} est prolongé jusqu'au {due}, \
             comme le permet l'article 12 du RGPD, pour la raison suivante :\n\n{reason}"
        ),
    )
}

pub fn rights_information_asked(email: &str, id: i64, question: &str) -> OutgoingMail {
    mail(
        vec![email.to_owned()],
        "Votre demande sur vos données personnelles : informations nécessaires",
        format!(
            "Bonjour,\n\n\
             Pour répondre à votre demande n° {id}, nous avons besoin des informations \
             suivantes :\n\n{question}\n\n\
             Vous pouvez nous les envoyer à {contact}, en rappelant le n° {id}.",
            contact = crate::views::layout::CONTACT_EMAIL
        ),
    )
}

pub fn rights_request_closed(email: &str, id: i64, outcome: &str) -> OutgoingMail {
    mail(
        vec![email.to_owned()],
        "Réponse à votre demande sur vos données personnelles",
        format!(
            "Bonjour,\n\n\
             Voici notre réponse à votre demande n° {id} :\n\n{outcome}\n\n\
             Si cette réponse ne vous satisfait pas, vous pouvez introduire une réclamation \
             auprès de la CNIL (www.cnil.fr)."
        ),
    )
}

pub fn email_change_link(new_email: &str, first_name: &str, link: &str) -> OutgoingMail {
    mail(
        vec![new_email.to_owned()],
        "Confirmez votre nouvelle adresse e-mail",
        format!(
            "Bonjour {first_name},\n\n\
             Pour que cette adresse devienne celle de votre compte WeMaintain, ouvrez ce lien \
             (valable 24 heures) :\n{link}\n\n\
             Tant que le lien n'est pas ouvert, votre ancienne adresse reste celle du compte. \
             Si vous n'avez rien demandé, ignorez ce message."
        ),
    )
}

/// The link that proves an account owns the address it already has.
pub fn address_confirmation_link(email: &str, first_name: &str, link: &str) -> OutgoingMail {
    mail(
        vec![email.to_owned()],
        "Confirmez votre adresse e-mail",
        format!(
            "Bonjour {first_name},\n\n\
             Pour confirmer que cette adresse est bien celle de votre compte WeMaintain, ouvrez \
             ce lien (valable 24 heures) :\n{link}\n\n\
             Si vous n'avez rien demandé, ignorez ce message : rien ne change."
        ),
    )
}

pub fn email_changed(old_email: &str, new_email: &str, public_url: &str) -> OutgoingMail {
    mail(
        vec![old_email.to_owned()],
        "L'adresse e-mail de votre compte WeMaintain a changé",
        format!(
            "Bonjour,\n\n\
             L'adresse e-mail de votre compte WeMaintain est désormais {new_email}.\n\n\
             Si vous n'êtes pas à l'origine de ce changement, écrivez-nous sans attendre : \
             {public_url}/contact"
        ),
    )
}

pub fn erasure_statement(email: &str, first_name: &str, statement: &str) -> OutgoingMail {
    mail(
        vec![email.to_owned()],
        "Votre compte WeMaintain est effacé",
        format!(
            "Bonjour {first_name},\n\n\
             Votre compte WeMaintain a été effacé à votre demande. Voici ce qu'il est advenu \
             de chaque catégorie de données :\n\n{statement}\n\n\
             Cette adresse n'est conservée par aucun de nos traitements après l'envoi de ce \
             message."
        ),
    )
}

/// Staff's answer to a question sent from `/contact`, with the question.
pub fn question_answered(to: &str, first_name: &str, question: &str, answer: &str) -> OutgoingMail {
    let quoted: String = question.lines().map(|line| format!("> {line}\n")).collect();
    mail(
        vec![to.to_owned()],
        "Réponse à votre question",
        format!(
            "Bonjour {first_name},\n\n\
             {answer}\n\n\
             Vous nous aviez écrit :\n{quoted}"
        ),
    )
}
