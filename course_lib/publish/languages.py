"""The course in its other languages, checked: parity with the English, no English left, easy reading.

* **Parity** (a build needs it): every translated lesson holds every text of the English one and no
  more, with the same citations and links (:func:`course_lib.translation.problems`); a track offered
  in a language (``languages: [es]`` in ``course.yaml``) has every one of its lessons in it; the
  course's own words are in ``course.<language>.yaml``; the language has a message catalog.
* **No English sentence left** (``course check``): a sentence of a translation, or of a catalog's
  translations, that reads as English. The test is a list of English function words, the small words
  every English sentence is made of and names and citations are not ("the", "your", "with", ...):
  three or more of them, and more than the language's own, make a sentence English. Text in
  parentheses or quotes is left out (the English term beside the Spanish one, a document's title),
  and so is what is marked ``lang="en"``. A word list is deterministic and needs no model; a language
  detector misreads short sentences full of names and acronyms ("IEP", "OT", "Jordan").
* **Easy reading** (``course check``): each lesson's prose in Spanish, and the tools', at Fernández-Huerta
  reading ease 70 or more (``textstat``, the test extra), the figures printed by ``course report``.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .. import i18n, translation
from ..files import parse_yaml
from ..layout import ALT_TEXT_FILE, COURSE_FILE, LESSON_FILE, CourseLayout, in_language
from ..outline import course_languages, read_course
from ..reader import LessonError
from .curriculum import picture_texts

MIN_EASE = {"es": 70.0}  # Fernández-Huerta reading ease, the scale for Spanish (Flesch's, adapted)
ENGLISH_WORDS = frozenset({
    "the", "and", "of", "to", "is", "are", "was", "were", "be", "been", "with", "your", "you", "for", "that", "this",
    "these", "those", "what", "when", "where", "which", "who", "will", "would", "can", "could", "should", "has",
    "have", "had", "it", "its", "from", "at", "on", "by", "an", "or", "not", "but", "if", "then", "than", "there",
    "their", "they", "them", "our", "we", "he", "she", "his", "her", "how", "why", "do", "does", "did", "about",
    "after", "before", "into", "only", "also", "just", "because", "all", "any", "each",
})
OWN_WORDS = {  # the same small words in each language: a sentence with more of these is not English
    "es": frozenset({
        "el", "la", "los", "las", "de", "del", "y", "que", "en", "un", "una", "unos", "unas", "es", "son", "para",
        "por", "con", "su", "sus", "al", "lo", "le", "les", "se", "no", "si", "más", "como", "pero", "porque",
        "cuando", "donde", "qué", "quién", "este", "esta", "estos", "estas", "ese", "esa", "hay", "ya", "o", "u",
        "muy", "también", "sobre", "entre", "sin",
    }),
}
_SKIP = re.compile(r'<span lang="en">.*?</span>|\([^()]*\)|“[^”]*”|"[^"]*"|\[[^\]]*\]\([^)]*\)|`[^`]*`|<[^>]+>'
                   r"|https?://\S+", re.S)
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+")
_WORD = re.compile(r"[a-záéíóúüñ']+", re.I)


# -- parity ----------------------------------------------------------------------------------------------
def parity_problems(layout: CourseLayout) -> list[str]:
    """What keeps a build from writing the course in each of its languages (see the module's doc)."""
    try:
        languages = course_languages(layout.notebooks)
    except LessonError as exc:
        return [str(exc)]
    problems = [f"{COURSE_FILE}: a track is offered in {code!r}, which has no message catalog "
                f"({i18n.catalog_file(code)})" for code in languages if code not in i18n.languages()]
    raw = read_course(layout.notebooks)
    for code in languages[1:]:
        path = layout.notebooks / f"course.{code}.yaml"
        problems += _file_problems(lambda p=path, c=code: translation.problems(
            raw, {}, translation.load_translation(p.parent, c, p.name), p.name))
        for tid, track in raw["tracks"].items():
            if code in (track.get("languages") or ()):
                problems += [f"{COURSE_FILE}: track {tid!r} is offered in {code!r}, but {lid} has no "
                             f"{translation.translation_file(lid, code).as_posix()}"
                             for lid in track.get("lessons") or () if isinstance(lid, str)
                             and not translation.translation_file(layout.lesson(lid), code).is_file()]
    for lid in layout.lesson_ids:
        for path in sorted(layout.lesson(lid).glob("lesson.*.yaml")):
            code = path.name.split(".")[1]
            if code not in i18n.languages():
                problems.append(f"{lid}/{path.name}: {code!r} is not one of the course's languages (no message "
                                f"catalog {i18n.catalog_file(code)})")
                continue
            problems += _file_problems(lambda lid=lid, code=code, path=path: _lesson_parity(layout, lid, code, path))
            problems += _file_problems(lambda lid=lid, code=code: _picture_parity(layout, lid, code))
    problems += _file_problems(lambda: _tools_parity(layout, languages))
    return problems


def _picture_parity(layout: CourseLayout, lid: str, code: str) -> list[str]:
    """Each picture a translated lesson shows has its own file in the language (its drawn words are
    words too: ``x.es.svg``) and alt text in ``alt-text.<language>.yaml``, citing what the English cites."""
    import nbformat

    from .notebooks import element_calls

    calls, _problems = element_calls(nbformat.read(layout.lesson_notebook(lid), as_version=4))
    alt_file = in_language(ALT_TEXT_FILE, code)
    path = layout.assets / alt_file
    alt = (parse_yaml(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}
    problems = []
    for name in [c.arg for c in calls if c.method == "picture" and c.arg]:
        shown = in_language(name, code)
        if not (layout.assets / shown).is_file():
            problems.append(f"{lid}: its {code!r} page shows assets/{shown}, which does not exist (the picture "
                            f"{name} with its words in that language)")
        elif len(str(alt.get(shown, "")).split()) < 3:
            problems.append(f"{lid}: the picture assets/{shown} needs its alt text in assets/{alt_file}")
    if problems:
        return problems
    english = sorted(set(translation.citations(" ".join(picture_texts(layout, lid)))))
    translated = sorted(set(translation.citations(" ".join(picture_texts(layout, lid, code)))))
    return [] if english == translated else [
        f"{lid}: its pictures in {code!r} (alt text and drawn words) cite {translated}; the English ones cite "
        f"{english} (citations are the same in every language)"]


def _tools_parity(layout: CourseLayout, languages: tuple[str, ...]) -> list[str]:
    """The tools (letters and sheets) in each language the course is offered in: their words and their
    notebooks' Markdown in ``tools.<language>.yaml``, whole, over the same structure."""
    if not (layout.tools / "tools.yaml").is_file():
        return []
    from ..tools.content import translation_problems

    return [f"tools: {problem}" for code in languages[1:] for problem in translation_problems(layout.tools, code)]


def _lesson_parity(layout: CourseLayout, lid: str, code: str, path: Path) -> list[str]:
    return translation.problems(parse_yaml((layout.lesson(lid) / LESSON_FILE).read_text(encoding="utf-8")),
                                translation.notebook_cells(layout.lesson_notebook(lid)),
                                translation.load_translation(layout.lesson(lid), code), f"{lid}/{path.name}")


def _file_problems(check) -> list[str]:
    try:
        return check()
    except LessonError as exc:
        return [str(exc)]
    except (OSError, yaml.YAMLError, KeyError, ValueError) as exc:
        return [f"could not be checked ({type(exc).__name__}: {exc})"]


# -- no English left ---------------------------------------------------------------------------------------
def english_sentences(text: str, code: str) -> list[str]:
    """The sentences of ``text`` (in language ``code``) that read as English."""
    own = OWN_WORDS.get(code, frozenset())
    found = []
    for sentence in _SENTENCE.split(_SKIP.sub(" ", text or "")):
        words = [w.lower() for w in _WORD.findall(sentence)]
        english = sum(w in ENGLISH_WORDS for w in words)
        if english >= 3 and english > sum(w in own for w in words):
            found.append(" ".join(sentence.split()))
    return found


def texts_in(layout: CourseLayout, code: str) -> dict[str, list[str]]:
    """Every text the course has in language ``code``, by where it is: each translated lesson, the
    course's own words and the message catalog."""
    out: dict[str, list[str]] = {}
    for lid in layout.lesson_ids:
        path = translation.translation_file(layout.lesson(lid), code)
        if path.is_file():
            out[f"{lid}/{path.name}"] = list(_translated(path))
        if path.is_file() and (pictures := [text for text in picture_texts(layout, lid, code) if text]):
            out[f"{lid}: pictures"] = pictures
    course = layout.notebooks / f"course.{code}.yaml"
    if course.is_file():
        out[course.name] = list(_translated(course))
    tools = layout.tools / f"tools.{code}.yaml"
    if tools.is_file():
        from ..tools.content import TOOLS_STRUCTURE

        out[f"tools/{tools.name}"] = list(_translated(tools, TOOLS_STRUCTURE))
    if code in i18n.languages() and code != i18n.DEFAULT:
        from babel.messages.pofile import read_po

        with i18n.catalog_file(code).open("rb") as f:
            catalog = read_po(f)
        out[f"course_lib/locale/{code}"] = [s for m in catalog if m.id for s in (
            m.string if isinstance(m.string, tuple) else (m.string,)) if s]
    return out


def _translated(path: Path, structure: frozenset = translation.STRUCTURE):
    try:
        data = parse_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return  # reported by the parity check
    yield from translation.translated_texts(data, structure).values()


def english_problems(layout: CourseLayout) -> list[str]:
    problems = []
    for code in course_languages(layout.notebooks)[1:]:
        for where, texts in texts_in(layout, code).items():
            for text in texts:
                problems += [f"{where}: an English sentence in the {code!r} text: \"{s[:80]}\"" for s in
                             english_sentences(text, code)]
    return problems


# -- easy reading -------------------------------------------------------------------------------------------
def prose(layout: CourseLayout, lid: str, code: str) -> str:
    """A translated lesson's reading text, as :func:`course_lib.publish.citations.learner_prose` takes the
    English: the notebook's prose and the lesson's words, without citations, links or Markdown marks."""
    from .citations import plain_prose

    tr = translation.load_translation(layout.lesson(lid), code)
    raw = parse_yaml((layout.lesson(lid) / LESSON_FILE).read_text(encoding="utf-8"))
    words, cells = translation.translate(raw, translation.notebook_cells(layout.lesson_notebook(lid)), tr, lid)
    return plain_prose(list(cells.values()), words)


def reading_ease(text: str, code: str) -> float:
    """Fernández-Huerta reading ease of ``text`` (``textstat``, a test extra: learners do not need it)."""
    try:
        import textstat
    except ImportError:
        raise RuntimeError("The reading-ease figures need textstat: pip install -e '.[test]'") from None
    textstat.set_lang(code)
    try:
        return float(textstat.fernandez_huerta(text))
    finally:
        textstat.set_lang("en_US")


def ease_by_lesson(layout: CourseLayout, code: str) -> dict[str, float]:
    return {lid: reading_ease(prose(layout, lid, code), code) for lid in layout.lesson_ids
            if translation.translation_file(layout.lesson(lid), code).is_file()}


def tools_ease(layout: CourseLayout, code: str) -> float | None:
    """Fernández-Huerta reading ease of the tools' prose in ``code`` (the letters, their notes, the help, the
    sheets and the tool pages; not the boxes' labels), or ``None`` without a translation of the tools."""
    import re

    from .citations import plain_prose

    path = layout.tools / f"tools.{code}.yaml"
    if not path.is_file():
        return None
    data = parse_yaml(path.read_text(encoding="utf-8")) or {}
    words = {k: v for k, v in data.items() if k not in ("cells", "fields", "letter_words", "in_my_language")}
    return reading_ease(re.sub(r"\{\w+\}", "Sam", plain_prose(list((data.get("cells") or {}).values()), words)), code)


def ease_problems(layout: CourseLayout) -> list[str]:
    """Translated lessons that read harder than the language's floor; nothing where ``textstat`` is not
    installed (``course check`` says so)."""
    problems = []
    for code in course_languages(layout.notebooks)[1:]:
        if code not in MIN_EASE:
            continue
        try:
            figures = ease_by_lesson(layout, code)
        except RuntimeError:
            return []
        except LessonError:
            continue  # reported by the parity check
        figures["tools"] = tools_ease(layout, code) or MIN_EASE[code]
        problems += [f"{lid}: its {code!r} prose reads at Fernández-Huerta ease {ease:.0f}, below "
                     f"{MIN_EASE[code]:.0f}: use shorter sentences and shorter words" for lid, ease in figures.items()
                     if ease < MIN_EASE[code]]
    return problems
