"""The outlet's plain-text format: parts, boilerplate rules, variants and robustness."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchkit.articles import SourceFile, load_file
from searchkit.articles.boilerplate import classify, parse_rules, rules
from searchkit.articles.textfile import (
    looks_like_keywords,
    looks_like_lead,
    looks_like_name,
    parse_text,
    sentence_count,
    split_paragraphs,
)
from searchkit.models import Article, Problem

DATA = Path(__file__).resolve().parents[1] / "data" / "articles"
NB = "\u00a0"


def source(rel: str) -> SourceFile:
    path = DATA / rel
    return SourceFile(path, str(path.resolve()), rel)


def load_one(rel: str) -> Article:
    result = load_file(source(rel))
    assert result.problems == []
    [article] = result.articles
    return article


FRENCH_BODY = "\n\n".join(
    [
        f"Au bord de la route qui mène à At-Bachy, Bolot compte ses moutons. «{NB}Il en manque"
        f" onze depuis juillet{NB}», dit-il en montrant les pentes jaunies. Cette année, l’herbe"
        " des jailoos, les pâturages d’été, n’a pas repoussé après la fonte des neiges.",
        "Les services vétérinaires estiment que la surface de pâturage utilisable a diminué"
        " d’un quart par rapport à la moyenne des dix dernières années. Les bergers doivent"
        " acheter du foin dès la fin de l’été, à un prix qui a doublé.",
        "Des glaciers qui reculent",
        "Les rivières de Naryn dépendent des glaciers du Tian Shan. Selon les hydrologues de"
        " Bichkek, leur débit d’été baisse depuis une quinzaine d’années.",
        "Une aide de l’État jugée insuffisante",
        "Le gouvernement a promis des semences fourragères à prix réduit. Mais dans les"
        " villages, beaucoup doutent qu’elles arrivent avant l’hiver.",
        f"«{NB}Nous avons toujours vécu avec la montagne, il faut maintenant apprendre"
        f" autrement{NB}», conclut Bolot.",
    ]
)

FRENCH = Article(
    id="fr/bergers-naryn",
    title="Au Kirghizstan, les bergers de Naryn face aux étés sans pluie",
    body=FRENCH_BODY,
    lang="fr",
    lead="Dans la région de Naryn, la sécheresse a réduit les pâturages d’altitude. Les"
    " éleveurs redescendent leurs troupeaux plus tôt que prévu.",
    tags=("Kirghizstan", "Naryn", "Élevage", "Climat", "Eau"),
    author="Claire Martin",
    caption="Un troupeau de moutons sur un pâturage d’altitude près d’At-Bachy.",
    credit="Aibek Tokonov",
    related=(
        "Au Kirghizstan, les glaciers du Tian Shan fondent plus vite que prévu",
        f"Élevage{NB}: le prix de la viande s’envole à Bichkek",
    ),
    path=str(DATA / "fr/bergers-naryn.txt"),
)

GERMAN = Article(
    id="de/ferghana-bewaesserung",
    title="Im Ferghanatal setzen Bauern auf Tröpfchenbewässerung",
    body="\n\n".join(
        [
            "Auf dem Feld von Dilnoza Rahimova ziehen sich schwarze Schläuche durch die Reihen"
            " der Tomatenpflanzen. Noch vor drei Jahren flutete sie ihre Felder, wie es schon"
            " ihre Großeltern getan hatten. „Heute brauche ich weniger als die Hälfte des"
            " Wassers“, sagt sie.",
            "Nach Angaben des Landwirtschaftsministeriums wurden im vergangenen Jahr mehr als"
            " hunderttausend Hektar umgestellt. Das Programm soll bis zum Ende des Jahrzehnts"
            " weiterlaufen.",
            "Teure Technik, knappe Kredite",
            "Für kleine Betriebe bleibt die Umstellung trotzdem ein Wagnis. Die Anlagen müssen"
            " vorfinanziert werden, und Kredite sind teuer.",
            "Dilnoza Rahimova will im nächsten Jahr auch ihren Obstgarten umstellen. „Das"
            " Wasser wird nicht mehr“, sagt sie.",
        ]
    ),
    lang="de",
    lead="Weil die Kanäle im Sommer immer weniger Wasser führen, stellen usbekische Landwirte"
    " auf sparsame Technik um. Der Staat übernimmt einen Teil der Kosten.",
    tags=("Usbekistan", "Ferghanatal", "Landwirtschaft", "Wasser", "Bewässerung"),
    author="Jan Becker",
    caption="Schläuche für die Tröpfchenbewässerung auf einem Feld bei Fergana.",
    credit="Sardor Aliyev",
    related=("Usbekistan: Der Aralsee und das Erbe der Baumwolle",),
    path=str(DATA / "de/ferghana-bewaesserung.txt"),
)

FIELDS = ("id", "title", "lead", "body", "lang", "tags", "author", "caption", "credit")


@pytest.mark.parametrize(
    "rel, expected", [("fr/bergers-naryn.txt", FRENCH), ("de/ferghana-bewaesserung.txt", GERMAN)]
)
def test_every_part_of_a_complete_article(rel: str, expected: Article) -> None:
    article = load_one(rel)
    for name in (*FIELDS, "related", "path", "date", "url"):
        assert getattr(article, name) == getattr(expected, name), name
    assert article == expected


def test_no_keywords_no_lead_no_author_no_caption() -> None:
    article = load_one("fr/issyk-koul-sans-mots-cles.txt")
    assert article.title == "Pourquoi le lac Issyk-Koul perd-il de l'eau ?"
    assert (article.tags, article.lead, article.author) == ((), "", "")
    assert (article.caption, article.credit) == ("", "")
    assert article.related == ("Le tourisme d'été reprend sur les rives du lac",)
    assert article.lang == "fr"
    assert article.body == (
        "Depuis le début des années 2000, le niveau du lac Issyk-Koul varie de quelques"
        " centimètres par an. Les scientifiques de Karakol suivent ces mesures de près. Ils"
        " rappellent que le lac n'a pas d'exutoire et dépend des rivières qui l'alimentent."
        "\n\nLes pêcheurs de Tchong-Sary-Oy racontent que les pontons construits il y a vingt"
        " ans sont aujourd'hui à sec."
    )


def test_without_signoff_a_name_sentence_name_ending_is_author_caption_credit() -> None:
    article = load_one("de/rahmon-peking-ohne-abspann.txt")
    assert article.title == "Tadschikistans Präsident Rahmon besucht Peking"
    assert article.tags == ()  # capitalised like keywords, but a lead follows: a title
    assert article.lead == (
        "Bei seinem Staatsbesuch in China hat der tadschikische Präsident neue Verträge"
        " unterzeichnet. Es geht um Straßen, Zement und Strom."
    )
    assert (article.author, article.credit) == ("Miriam Schulz", "Farrukh Nazarov")
    assert article.caption == "Der Präsidentenpalast in Duschanbe am Abend."
    assert article.related == ("Tadschikistan und China: Eine Straße über den Pamir",)
    assert article.lang == "de"
    assert article.body.endswith("dass weitere Abkommen im Herbst folgen.")
    assert "Novastan" not in article.body and "Kommentar" not in article.body


def test_title_only_is_a_failure_not_an_article() -> None:
    result = load_file(source("fr/titre-seul.txt"))
    assert result.articles == []
    assert result.problems == [
        Problem(
            str(DATA / "fr/titre-seul.txt"),
            "only a title ('Un titre sans article'), no article text: not indexed; "
            "add the text below the title, after a blank line",
        )
    ]


def french_text() -> str:
    return (DATA / "fr/bergers-naryn.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r"), id="old-mac-cr"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.replace("\n", "  \t\n"), id="trailing-whitespace"),
        pytest.param(lambda t: t.replace("\n\n", "\n\n\n\n"), id="extra-blank-lines"),
        pytest.param(lambda t: "\n\n" + t + "\n\n\n", id="blank-lines-around"),
    ],
)
def test_layout_variants_give_the_same_article(variant) -> None:  # type: ignore[no-untyped-def]
    article, problems = parse_text(variant(french_text()), FRENCH.id, FRENCH.path)
    assert problems == []
    assert article == FRENCH


def test_straight_apostrophes_in_cues_are_removed_too() -> None:
    text = french_text().replace("Envie d’Asie", "Envie d'Asie").replace("n’hésitez", "n'hésitez")
    article, _ = parse_text(text, FRENCH.id)
    assert article is not None
    assert (article.body, article.author, article.caption) == (
        FRENCH.body,
        FRENCH.author,
        FRENCH.caption,
    )


@pytest.mark.parametrize(
    "cue", ["Lire aussi sur Novastan :", f"Lire aussi sur Novastan{NB}:", "Lest auch auf Novastan:"]
)
def test_a_read_also_title_on_its_own_line_is_taken_with_its_cue(cue: str) -> None:
    text = f"Titre\n\nUn texte.\n\n{cue}\nUn autre article\n\nLa suite.\n\nEt la fin."
    article, _ = parse_text(text, "x")
    assert article is not None
    assert article.related == ("Un autre article",)
    assert (article.lead, article.body) == ("Un texte.", "La suite.\n\nEt la fin.")


def test_hard_wrapped_lines_are_joined_into_one_paragraph() -> None:
    text = "Titre\n\nUne phrase coupée\nen deux lignes.\n\nUne autre\nphrase, plus loin.\n"
    assert split_paragraphs(text) == [
        "Titre",
        "Une phrase coupée en deux lignes.",
        "Une autre phrase, plus loin.",
    ]


@pytest.mark.parametrize(
    "text, reason",
    [
        ("\n \n\t\n", "empty file (only blank lines)"),
        ("Partager avec\nAucun commentaire\n\nCaptcha *\n", "only boilerplate, no article"),
    ],
)
def test_nothing_to_index(text: str, reason: str) -> None:
    assert parse_text(text, "x", "x.txt") == (None, [Problem("x.txt", reason)])


@pytest.mark.parametrize(
    "text, tags, title",
    [
        (
            "Kazakhstan Astana Politique\n\nUn titre\n\nUn texte.",
            ("Kazakhstan", "Astana", "Politique"),
            "Un titre",
        ),
        (
            "Asie centrale Covid-19 2020\n\nUn titre\n\nUn texte.",
            ("Asie", "centrale", "Covid-19", "2020"),
            "Un titre",
        ),
        ("Kasachstan Wahlen 2024\n\nEin einziger Satz als Text.", (), "Kasachstan Wahlen 2024"),
        ("Un titre sans mots-clés\n\nUn texte.", (), "Un titre sans mots-clés"),
        ("Kirghizstan : un titre\n\nUn texte.", (), "Kirghizstan : un titre"),
    ],
)
def test_keywords_line_or_title(text: str, tags: tuple[str, ...], title: str) -> None:
    article, _ = parse_text(text, "x")
    assert article is not None
    assert (article.tags, article.title) == (tags, title)


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Kirghizstan Russie Militaire Base Kant Sécurité", True),
        ("Kasachstan Uran Kasatomprom Wirtschaft", True),
        ("La Russie n’envisage pas de déployer une nouvelle base", False),
        ("Moskau plant vorerst keine zweite Militärbasis in Kirgistan", False),
        ("Rogun-Staudamm: Tadschikistan setzt auf sein Jahrhundertprojekt", False),
        ("Quel avenir pour Kant ?", False),
    ],
)
def test_looks_like_keywords(line: str, expected: bool) -> None:
    assert looks_like_keywords(line) is expected


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Roxane Poulain", True),
        ("Élise Fournier", True),
        ("Anna von der Heide", True),
        ("Valéry d’Estaing", True),
        ("Claire Martin et Jan Becker", True),
        ("Pas de réponse claire à Moscou", False),
        ("Instabilité en Afghanistan.", False),
        ("Sechs Turbinen, 3600 Megawatt", False),
    ],
)
def test_looks_like_name(line: str, expected: bool) -> None:
    assert looks_like_name(line) is expected


@pytest.mark.parametrize(
    "text, count",
    [
        ("Une phrase.", 1),
        ("Une phrase. Une autre ! Et une troisième ?", 3),
        ("M. Poutine a parlé. Puis il est parti.", 2),
        ("Eine der größten Katastrophen des 20. Jahrhunderts. Im Norden füllt sich der See.", 2),
        ("Il a dit : « Non. » Puis il est parti.", 2),
        ("Pas de rupture... mais une suite.", 1),
        ("Il vit là depuis un an. Les voisins le savent.", 2),
        ("Sie baut z. B. Weizen an. Und Mais.", 2),
    ],
)
def test_sentence_count(text: str, count: int) -> None:
    assert sentence_count(text) == count


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "La Russie n’a pas l’intention d’ouvrir une base, mais reste ouverte au « dialogue ».",
            True,
        ),
        ("Une phrase. Une deuxième. Une troisième.", False),
        ("Un sous-titre sans point", False),
        ("Une très longue phrase " * 20 + ".", False),
    ],
)
def test_looks_like_lead(text: str, expected: bool) -> None:
    assert looks_like_lead(text) is expected


# One row per cue and per variant: a new pattern in data/boilerplate_*.txt gets a row here.
BOILERPLATE = [
    (
        "Novastan est le seul média en français et en allemand spécialisé sur l'Asie centrale.",
        "appeal",
        "",
    ),
    ("Novastan est le seul media francophone sur la région.", "appeal", ""),
    ("Novastan est un média associatif : pour le rester, il faut nous soutenir.", "appeal", ""),
    (
        "Novastan ist das einzige deutsch- und französischsprachige Nachrichtenportal über"
        " Zentralasien.",
        "appeal",
        "",
    ),
    (
        "Novastan ist das einzige deutschsprachige Nachrichtenportal über Zentralasien.",
        "appeal",
        "",
    ),
    ("NOVASTAN IST DAS EINZIGE deutschsprachige Medium zu Zentralasien.", "appeal", ""),
    (f"Lire aussi sur Novastan :{NB} Un titre", "related", "Un titre"),
    (
        "Lire aussi sur Novastan: Un titre : avec deux-points",
        "related",
        "Un titre : avec deux-points",
    ),
    (f"Lire aussi{NB}: Un titre", "related", "Un titre"),
    ("À lire aussi : Un titre", "related", "Un titre"),
    ("Lire également sur Novastan : Un titre", "related", "Un titre"),
    ("Lest auch auf Novastan: Ein Titel", "related", "Ein Titel"),
    ("Lest auch bei Novastan : Ein Titel", "related", "Ein Titel"),
    ("Lies auch auf Novastan: Ein Titel", "related", "Ein Titel"),
    ("Lesen Sie auch: Ein Titel", "related", "Ein Titel"),
    ("Lire aussi sur Novastan :", "related", ""),  # the title follows on its own line
    ("Lest auch auf Novastan:", "related", ""),
    ("Envie d'Asie centrale dans votre boîte mail ? Inscrivez-vous.", "newsletter", ""),
    ("Envie d’Asie centrale dans ta boite mail ?", "newsletter", ""),
    ("Inscrivez-vous gratuitement à notre newsletter hebdomadaire.", "newsletter", ""),
    ("Zentralasien direkt in dein Postfach? Abonniere unseren Newsletter.", "newsletter", ""),
    ("Zentralasien direkt in euer E-Mail-Postfach ?", "newsletter", ""),
    ("Abonniere kostenlos unseren wöchentlichen Newsletter.", "newsletter", ""),
    ("Si vous avez aimé cet article, n'hésitez pas à nous suivre sur Twitter.", "signoff", ""),
    ("Si vous avez aimé cet article, n’hésitez pas à nous suivre !", "signoff", ""),
    ("Si cet article vous a plu, suivez-nous.", "signoff", ""),
    ("Wenn dir dieser Artikel gefallen hat, folge uns auf Facebook!", "signoff", ""),
    ("Wenn euch dieser Artikel gefallen hat, folgt uns auf Telegram.", "signoff", ""),
    ("Wenn Ihnen der Artikel gefallen hat, folgen Sie uns.", "signoff", ""),
    ("Partager avec", "widget", ""),
    ("Partager :", "widget", ""),
    ("Aucun commentaire", "widget", ""),
    ("1 commentaire", "widget", ""),
    ("12 commentaires", "widget", ""),
    ("Ecrire un commentaire", "widget", ""),
    ("Écrire un commentaire", "widget", ""),
    ("Laisser un commentaire", "widget", ""),
    ("Captcha *", "widget", ""),
    ("Captcha", "widget", ""),
    ("Teilen mit", "widget", ""),
    ("Keine Kommentare", "widget", ""),
    ("Kein Kommentar", "widget", ""),
    ("3 Kommentare", "widget", ""),
    ("1 Kommentar", "widget", ""),
    ("Kommentar schreiben", "widget", ""),
    ("Schreibe einen Kommentar", "widget", ""),
]


@pytest.mark.parametrize("paragraph, kind, title", BOILERPLATE)
def test_boilerplate_is_recognised(paragraph: str, kind: str, title: str) -> None:
    match = classify(paragraph)
    assert match is not None
    assert (match.kind, match.title) == (kind, title)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Partager avec ses voisins l’eau du canal est une obligation.",
        "„Kein Kommentar“, sagte der Sprecher.",
        "Aucun commentaire n’a été fait par le ministère.",
        "Lire aussi les rapports de l’ONU ne suffit pas.",
        "Novastan a interrogé trois experts.",
        "Wenn dir kalt ist, zieh dich warm an.",
        "Teilen mit Nachbarn ist hier Tradition.",
        "Captcha est un mot que personne n’emploie ici.",
    ],
)
def test_article_text_is_not_boilerplate(paragraph: str) -> None:
    assert classify(paragraph) is None


@pytest.mark.parametrize(
    "paragraph, langs",
    [
        ("Aucun commentaire", {"fr"}),
        ("Keine Kommentare", {"de"}),
        ("Captcha *", {"fr", "de"}),
    ],
)
def test_match_tells_the_languages_of_the_cue(paragraph: str, langs: set[str]) -> None:
    match = classify(paragraph)
    assert match is not None and match.langs == langs


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Titre\n\nUn texte.\n\nAucun commentaire", "fr"),
        ("Titel\n\nEin Text.\n\nKeine Kommentare", "de"),
        ("Titre\n\nUn texte.\n\nCaptcha *", ""),  # a cue shared by both editions
        ("Titre\n\nUn texte.", ""),
        ("Titre\n\nUn texte.\n\nAucun commentaire\n\nKeine Kommentare", ""),
    ],
)
def test_language_inferred_from_edition_cues(text: str, lang: str) -> None:
    article, _ = parse_text(text, "x")
    assert article is not None and article.lang == lang


def test_rule_files_load_with_every_kind_for_both_languages() -> None:
    kinds = {(rule.lang, rule.kind) for rule in rules()}
    for lang in ("fr", "de"):
        for kind in ("appeal", "related", "newsletter", "signoff", "widget"):
            assert (lang, kind) in kinds


@pytest.mark.parametrize(
    "line, message",
    [
        ("advert Abonnez-vous", "boilerplate_xx.txt:2: unknown kind 'advert'"),
        ("widget (unclosed$", "boilerplate_xx.txt:2: bad regex"),
    ],
)
def test_bad_rule_lines_are_named(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_rules(f"# comment\n{line}\n", "xx")
