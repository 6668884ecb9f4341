//! The settings as `wemaintain --help` tells them, in French (the README's
//! table keeps the English `help` of [`SETTINGS`](super::SETTINGS)). A
//! setting missing here is shown with its English help, and a test says so.

/// The French help of a setting's variable.
pub fn help(var: &str) -> Option<&'static str> {
    Some(match var {
        "WM_CONFIG" => "chemin d'un fichier de réglages TOML",
        "WM_BIND" => "adresse d'écoute (`hôte:port`)",
        "WM_DATA_DIR" => "dossier du fichier SQLite par défaut, créé s'il manque",
        "WM_DATABASE_URL" => "`sqlite://FICHIER` ou `postgres://UTILISATEUR:MOT_DE_PASSE@HÔTE:PORT/BASE`",
        "WM_DB_MAX_CONNECTIONS" => "connexions à la base par instance (1 à 1000)",
        "WM_LOG" => "filtre des journaux (tracing), par exemple `wemaintain=debug,info`",
        "WM_LOG_FORMAT" => "`pretty` ou `json` (un objet JSON par ligne)",
        "WM_HTTPS" => "le site est servi en TLS (par un proxy) : les cookies sont `Secure` et l'en-tête HSTS est envoyé. Mettez `false` pour ouvrir le site en http simple depuis une autre machine, ou depuis un navigateur qui refuse les cookies `Secure` en http (certaines versions de Safari) ; Chrome et Firefox les acceptent de `http://127.0.0.1`, la valeur par défaut convient donc en local",
        "WM_WORKERS" => "processus HTTP",
        "WM_ANALYTICS" => "l'enregistrement des visites ; `off` seulement pour des mesures comparatives",
        "WM_TRUSTED_PROXIES" => "réseaux CIDR (ou adresses), séparés par des virgules, des proxys dont l'en-tête `X-Forwarded-For` est cru",
        "WM_ANALYTICS_QUERY_ALLOWLIST" => "paramètres d'adresse gardés dans les adresses enregistrées ; tous les autres sont retirés",
        "WM_ANALYTICS_QUEUE" => "visites en attente d'écriture, au plus ; au-delà, elles sont abandonnées et comptées",
        "WM_PURGE_INTERVAL" => "temps entre deux purges du serveur (`30m`, `1h`, `1d` ; la première au démarrage)",
        "WM_PURGE_BATCH" => "lignes supprimées par instruction lors de la purge",
        "WM_METRICS_TOKEN" => "s'il est défini (16 caractères au moins), `/metrics` demande `Authorization: Bearer <jeton>`, d'où que vienne la demande. Sinon, `/metrics` ne répond qu'à un collecteur sur la machine même (connexion en boucle locale, sans `X-Forwarded-For`/`Forwarded`/`X-Real-IP`, pair hors de `WM_TRUSTED_PROXIES`) et répond 404 aux autres : derrière un proxy sur la même machine, définissez un jeton",
        "WM_SECRET_KEY" => "32 caractères au moins : chiffre le cookie de session, signe les jetons CSRF. Sinon, une clé aléatoire est créée une fois dans `WM_DATA_DIR/secret.key` (mode 600), pour que les sessions survivent aux redémarrages ; les instances qui partagent une base doivent partager cette clé",
        "WM_PUBLIC_URL" => "l'adresse du site telle que les gens l'ouvrent : liens des e-mails, et seule origine dont les formulaires sont acceptés. Obligatoire quand `WM_BIND` écoute sur toutes les adresses (`0.0.0.0`, `::`), et derrière un proxy TLS (`https://www.wemaintain.com`)",
        "WM_SMTP_URL" => "`smtps://utilisateur:mot-de-passe@hôte` ou `smtp://hôte:587?tls=required` ; sinon, les e-mails sont écrits dans `WM_DATA_DIR/outbox/*.eml`",
        "WM_MAIL_FROM" => "expéditeur des e-mails du site",
        "WM_STAFF_EMAIL" => "adresses, séparées par des virgules, prévenues des nouvelles inscriptions, questions et candidatures",
        "WM_EMERGENCY_PHONE" => "le numéro d'astreinte qu'un client appelle quand une personne est bloquée dans un ascenseur (`01 23 45 67 89`, ou `+32 2 555 12 12` à l'étranger) : lien `tel:` dans l'en-tête de chaque page, sur le formulaire de demande à côté de « Personne bloquée » et dans les e-mails des demandes urgentes. Sans numéro, le démarrage le signale et aucune page ne promet de ligne d'astreinte",
        "WM_ANALYTICS_MIN_GROUP" => "les lignes de statistiques (et points des graphiques) de moins de visiteurs sont regroupées dans « Autres » (ou pas montrées), pour que personne ne puisse être isolé",
        "WM_ANALYTICS_GOALS" => "objectifs des statistiques en plus des pages de confirmation du site (`/contact/envoye`, `/inscription/envoyee`, `/techniciens/envoye`, `/profil/propositions/{id}/envoyee`) : `Nom=/chemin` ou `/chemin`, séparés par des virgules ; un segment `{id}` vaut n'importe quel numéro",
        "WM_ANALYTICS_FUNNELS" => "tunnels des statistiques en plus de celui par défaut : `Nom=étape > étape > …` séparés par `;`, deux étapes au moins, une étape étant un chemin ou plusieurs séparés par `,` (l'un d'eux suffit)",
        "WM_SESSION_IDLE" => "une session inutilisée aussi longtemps prend fin",
        "WM_SESSION_LIFETIME" => "une session prend fin aussi longtemps après la connexion, utilisée ou non",
        "WM_BODY_TIMEOUT" => "le corps d'une requête (un formulaire) doit arriver en entier dans ce délai après son en-tête, sinon 408 « Envoi trop lent »",
        "WM_RETENTION_<PURPOSE>" => "remplace la durée de conservation d'une finalité : `90 jours`, `13 mois`, `3 ans` (ou `days`, `months`, `years`)",
        _ => return None,
    })
}

/// A default described in words, in French.
pub fn default(described: &'static str) -> &'static str {
    match described {
        "none" => "aucun",
        "number of cores" => "nombre de cœurs",
        "generated" => "générée",
        "`http://` + the address bound" => "`http://` + l'adresse d'écoute",
        "the active `admin` accounts" => "les comptes `admin` actifs",
        "see below" => "voir ci-dessous",
        "the site's confirmation pages" => "les pages de confirmation du site",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_setting_has_its_french_help() {
        for setting in super::super::SETTINGS {
            assert!(
                super::help(setting.var).is_some(),
                "{} has no French help in src/config/french.rs",
                setting.var
            );
        }
    }
}
