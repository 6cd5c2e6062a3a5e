"""The page's words in French and German, chosen by the browser's Accept-Language."""

from __future__ import annotations

LANGUAGES = ("fr", "de")
DEFAULT = "fr"

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Recherche dans les archives",
        "search": "Rechercher",
        "placeholder": "base militaire, Militärbasis, tag:Kirghizstan…",
        "query_label": "Votre recherche",
        "results": "{total} articles pour « {query} »",
        "result": "1 article pour « {query} »",
        "showing": "résultats {first} à {last}",
        "none": "Aucun article trouvé pour « {query} ».",
        "did_you_mean": "Vouliez-vous dire",
        "language": "Langue",
        "tag": "Mot-clé",
        "author": "Auteur",
        "year": "Année",
        "since": "Du",
        "until": "au",
        "dates": "Période",
        "apply": "Appliquer",
        "sort": "Trier par",
        "relevance": "pertinence",
        "date": "date",
        "previous": "Page précédente",
        "next": "Page suivante",
        "page": "Page {page} sur {pages}",
        "via": "via la traduction",
        "also_in": "Aussi en {lang}",
        "lang_fr": "français",
        "lang_de": "allemand",
        "filters": "Filtres",
        "remove": "retirer le filtre",
        "more": "et {n} autres",
        "similar": "Articles proches",
        "related": "À lire aussi",
        "twin": "Le même sujet en {lang}",
        "source": "Source",
        "back": "Retour à la recherche",
        "hint": "Mots en français ou en allemand ; « guillemets » pour une expression, "
        "AND, OR, NOT, préfixe*, tag:, author:, date:2019.",
        "error": "Erreur",
        "no_translate": "Sans traduction",
        "shortcut": "Raccourci : / pour chercher",
        "colon": "\u202f:",
    },
    "de": {
        "title": "Archivsuche",
        "search": "Suchen",
        "placeholder": "Militärbasis, base militaire, tag:Kirgistan…",
        "query_label": "Ihre Suche",
        "results": "{total} Artikel für „{query}“",
        "result": "1 Artikel für „{query}“",
        "showing": "Treffer {first} bis {last}",
        "none": "Keine Artikel für „{query}“ gefunden.",
        "did_you_mean": "Meinten Sie",
        "language": "Sprache",
        "tag": "Schlagwort",
        "author": "Autor",
        "year": "Jahr",
        "since": "Vom",
        "until": "bis",
        "dates": "Zeitraum",
        "apply": "Anwenden",
        "sort": "Sortieren nach",
        "relevance": "Relevanz",
        "date": "Datum",
        "previous": "Vorherige Seite",
        "next": "Nächste Seite",
        "page": "Seite {page} von {pages}",
        "via": "über die Übersetzung",
        "also_in": "Auch auf {lang}",
        "lang_fr": "Französisch",
        "lang_de": "Deutsch",
        "filters": "Filter",
        "remove": "Filter entfernen",
        "more": "und {n} weitere",
        "similar": "Ähnliche Artikel",
        "related": "Lesen Sie auch",
        "twin": "Dieselbe Geschichte auf {lang}",
        "source": "Quelle",
        "back": "Zurück zur Suche",
        "hint": "Wörter auf Deutsch oder Französisch; „Anführungszeichen“ für eine "
        "Wortgruppe, AND, OR, NOT, Präfix*, tag:, author:, date:2019.",
        "error": "Fehler",
        "no_translate": "Ohne Übersetzung",
        "shortcut": "Tastenkürzel: / zum Suchen",
        "colon": ":",
    },
}

MONTHS = {
    "fr": [
        "janv.",
        "févr.",
        "mars",
        "avr.",
        "mai",
        "juin",
        "juil.",
        "août",
        "sept.",
        "oct.",
        "nov.",
        "déc.",
    ],
    "de": [
        "Jan.",
        "Feb.",
        "März",
        "Apr.",
        "Mai",
        "Juni",
        "Juli",
        "Aug.",
        "Sept.",
        "Okt.",
        "Nov.",
        "Dez.",
    ],
}


def negotiate(accept_language: str) -> str:
    """``fr`` or ``de``: the one of the two the browser prefers (by q-value, then order);
    French when it names neither."""
    best, best_q = DEFAULT, 0.0
    for position, item in enumerate(accept_language.split(",")):
        tag, _, params = item.strip().partition(";")
        lang = tag.strip().lower()[:2]
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        quality -= position * 1e-6  # earlier wins a tie
        if lang in LANGUAGES and quality > best_q:
            best, best_q = lang, quality
    return best


def long_date(iso: str, lang: str) -> str:
    """``2022-07-04T09:30:00+06:00`` as ``4 juil. 2022`` (fr) or ``4. Juli 2022`` (de);
    the text unchanged when it is not an ISO date."""
    try:
        year, month, day = int(iso[0:4]), int(iso[5:7]), int(iso[8:10])
        name = MONTHS[lang][month - 1]
    except (ValueError, IndexError):
        return iso
    return f"{day} {name} {year}" if lang == "fr" else f"{day}. {name} {year}"
