//! `/admin`: the work queues, each a count and a link to its list, the
//! people stuck in a lift first.

use maud::{html, Markup};

use crate::maintenance::Urgency;
use crate::staff::work_queue::{WorkQueues, RIGHTS_DUE_SOON_DAYS};
use crate::views::space::ADMINISTRATION;
use crate::views::typography::plural;

/// One queue: what it is, where its list is, how many wait.
struct Queue<'a> {
    title: &'a str,
    link: String,
    count: i64,
    singular: &'a str,
    plural: &'a str,
    urgent: bool,
}

fn queue(q: &Queue) -> Markup {
    html! {
        li.card.urgent[q.urgent && q.count > 0] {
            h3 { a href=(q.link) { (q.title) } }
            @if q.count == 0 { p { "Rien à traiter" } }
            @else { p { strong { (plural(q.count, q.singular, q.plural)) } } }
        }
    }
}

fn requests(w: &WorkQueues) -> Vec<Queue<'_>> {
    let mut queues: Vec<Queue> = w
        .requests_by_urgency
        .iter()
        .map(|(urgency, count)| Queue {
            title: urgency.label(),
            link: format!("/admin/demandes?urgence={}", urgency.key()),
            count: *count,
            singular: "demande en cours",
            plural: "demandes en cours",
            urgent: *urgency == Urgency::PersonneBloquee,
        })
        .collect();
    queues.push(Queue {
        title: "Le client attend notre réponse",
        link: "/admin/demandes?reponse=attendue".to_owned(),
        count: w.requests_awaiting_staff,
        singular: "demande",
        plural: "demandes",
        urgent: false,
    });
    queues
}

fn others(w: &WorkQueues) -> [(&'static str, Vec<Queue<'static>>); 3] {
    let q = |title, link: &str, count, singular, plural| Queue {
        title,
        link: link.to_owned(),
        count,
        singular,
        plural,
        urgent: false,
    };
    [
        (
            "Clients",
            vec![
                q(
                    "Demandes de compte",
                    "/admin/inscriptions",
                    w.sign_ups,
                    "demande à examiner",
                    "demandes à examiner",
                ),
                q(
                    "Demandes de proposition",
                    "/admin/propositions",
                    w.proposals,
                    "demande sans réponse",
                    "demandes sans réponse",
                ),
            ],
        ),
        (
            "Messages",
            vec![
                q(
                    "Questions non traitées",
                    "/admin/messages",
                    w.questions,
                    "question",
                    "questions",
                ),
                q(
                    "Candidatures non traitées",
                    "/admin/messages",
                    w.applications,
                    "candidature",
                    "candidatures",
                ),
            ],
        ),
        (
            "Droits des personnes",
            vec![
                q(
                    "Demandes en retard",
                    "/admin/droits",
                    w.rights_late,
                    "demande en retard",
                    "demandes en retard",
                ),
                q(
                    DUE_SOON,
                    "/admin/droits",
                    w.rights_due_soon,
                    "demande à rendre",
                    "demandes à rendre",
                ),
            ],
        ),
    ]
}

const DUE_SOON: &str = "Réponse due dans les 7 jours";
const _: () = assert!(RIGHTS_DUE_SOON_DAYS == 7, "DUE_SOON names the window");

/// The staff home page.
pub fn page(w: &WorkQueues) -> Markup {
    ADMINISTRATION.page(
        "Administration : à traiter",
        "/admin",
        html! {
            h1 { "À traiter" }
            section.queues aria-labelledby="file-demandes" {
                h2 id="file-demandes" { "Demandes de maintenance en cours" }
                ul.cards { @for q in requests(w) { (queue(&q)) } }
            }
            @for (index, (title, queues)) in others(w).iter().enumerate() {
                section.queues aria-labelledby={ "file-" (index) } {
                    h2 id={ "file-" (index) } { (title) }
                    ul.cards { @for q in queues { (queue(q)) } }
                }
            }
        },
    )
}
