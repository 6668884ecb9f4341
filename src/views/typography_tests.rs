use super::*;

fn twice_is_once(input: &str) -> String {
    let once = page(input);
    assert_eq!(page(&once), once, "a second pass changes nothing");
    once
}

#[test]
fn a_narrow_no_break_space_goes_before_double_punctuation() {
    assert_eq!(twice_is_once("Erreur : nom"), "Erreur\u{202f}: nom");
    assert_eq!(twice_is_once("Erreur\u{a0}: nom"), "Erreur\u{202f}: nom");
    assert_eq!(twice_is_once("Note: ici"), "Note\u{202f}: ici");
    assert_eq!(
        twice_is_once("Vraiment ? Oui !"),
        "Vraiment\u{202f}? Oui\u{202f}!"
    );
    assert_eq!(twice_is_once("Déjà?"), "Déjà\u{202f}?");
    assert_eq!(twice_is_once("un ; deux"), "un\u{202f}; deux");
    assert_eq!(
        twice_is_once("des réclamations ; éé;"),
        "des réclamations\u{202f}; éé\u{202f};"
    );
    assert_eq!(twice_is_once("50 % et 20%"), "50\u{202f}% et 20\u{202f}%");
}

#[test]
fn guillemets_hold_their_words_with_narrow_spaces() {
    assert_eq!(
        twice_is_once("« Personne bloquée »"),
        "«\u{202f}Personne bloquée\u{202f}»"
    );
    assert_eq!(twice_is_once("«Résolue»"), "«\u{202f}Résolue\u{202f}»");
    assert_eq!(
        twice_is_once("<p>« <strong>x</strong> »</p>"),
        "<p>«\u{202f}<strong>x</strong>\u{202f}»</p>"
    );
}

#[test]
fn hours_numbers_and_units_stay_on_one_line() {
    assert_eq!(twice_is_once("à 17 h 25."), "à 17\u{a0}h\u{a0}25.");
    assert_eq!(
        twice_is_once("5 ans, 30 jours, 12 €, 64 Kio"),
        "5\u{a0}ans, 30\u{a0}jours, 12\u{a0}€, 64\u{a0}Kio"
    );
    assert_eq!(twice_is_once("n° 12"), "n°\u{a0}12");
    assert_eq!(
        twice_is_once("1 234 567 visites"),
        "1\u{202f}234\u{202f}567 visites"
    );
    // Not a unit: a word that only starts like one, and dates.
    assert_eq!(
        twice_is_once("3 anses, le 4 décembre 2026 à"),
        "3 anses, le 4 décembre 2026 à"
    );
    assert_eq!(twice_is_once("01 23 45 67 89"), "01 23 45 67 89");
}

#[test]
fn apostrophes_between_letters_become_typographic() {
    assert_eq!(
        twice_is_once("l'équipe d'aujourd'hui"),
        "l’équipe d’aujourd’hui"
    );
    assert_eq!(twice_is_once("'cité' et l'"), "'cité' et l'");
}

#[test]
fn times_urls_addresses_and_code_like_words_are_left_alone() {
    for untouched in [
        "à 9:30 précises",
        "https://www.wemaintain.com/contact?sujet=a",
        "écrivez à o'brien@exemple.fr",
        "WM_EMERGENCY_PHONE=01 23",
        "2001:db8::1",
        "/profil/demandes?statut=ouverte",
        "AT&amp;T &#39;x&#39;",
    ] {
        assert_eq!(twice_is_once(untouched), untouched);
    }
    assert_eq!(
        twice_is_once("Écrivez à contact@wemaintain.com ?"),
        "Écrivez à contact@wemaintain.com\u{202f}?"
    );
}

#[test]
fn tags_attributes_and_raw_elements_are_copied_byte_for_byte() {
    let raw = concat!(
        "<a href=\"/x?a=1&amp;b=l'un : 2\" title='Nom : x'>",
        "<input name=\"nom\" value=\"l'été : 50 % ?\">",
        "<textarea name=\"m\">l'été : 50 % ?</textarea>",
        "<pre>l'été : ?</pre><code>a : b</code>",
        "<select><option>l'un : deux</option></select>",
        "<script>if (a) { b: 1 }</script><style>a{x:1 !important}</style>",
        "<!-- l'été : -->",
    );
    assert_eq!(page(raw), raw);
    assert_eq!(
        page("<p>l'été : <br/>oui</p>"),
        "<p>l’été\u{202f}: <br/>oui</p>"
    );
}

#[test]
fn a_colon_after_an_inline_element_is_seen_with_its_word() {
    assert_eq!(
        twice_is_once("<dt><strong>Nom</strong>: x</dt>"),
        "<dt><strong>Nom</strong>\u{202f}: x</dt>"
    );
}

#[test]
fn plain_text_has_the_same_rules_without_entities() {
    assert_eq!(text("Bonjour,\n\nVotre demande n° 3 : l'équipe arrive à 17 h 25 !\nhttps://x.fr/a?b=c"),
        "Bonjour,\n\nVotre demande n°\u{a0}3\u{202f}: l’équipe arrive à 17\u{a0}h\u{a0}25\u{202f}!\nhttps://x.fr/a?b=c");
    assert_eq!(text("A&B; c"), "A&B\u{202f}; c");
}

#[test]
fn plurals_put_zero_and_one_in_the_singular() {
    assert_eq!(plural(0, "demande", "demandes"), "0 demande");
    assert_eq!(plural(1, "an", "ans"), "1 an");
    assert_eq!(plural(2, "demande", "demandes"), "2 demandes");
    assert_eq!(plural_word(12, "rapport", "rapports"), "rapports");
}
