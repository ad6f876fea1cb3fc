"""What the course teaches, checked as a whole: the rules a parent acts on are all there, graded
questions measure understanding, the cast is consistent, and citations sit where a reader expects.

* ``notebooks/topics.yaml``: each rule's lessons must cite and say what it lists, and never what
  it forbids; a lesson that says "check your state" must say where to get help (F66). What a
  lesson's pictures say (their alt text and the words drawn in them) counts as the lesson's text.
* Graded questions declare ``skill: apply`` (a case to decide) or ``skill: recall``: at least 60%
  across the course must apply a rule to a case, and no two lessons ask the same question.
* ``notebooks/characters.yaml``: a name is one person, with one age and one role.
* A citation is never inside a character's speech, and in a lesson's prose it stands in a
  *Source:* line at the end of its paragraph.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from pathlib import Path

import yaml

from ..content import LessonContent
from ..files import parse_yaml
from ..layout import ALT_TEXT_FILE, CourseLayout, in_language
from .citations import texts

TOPICS_FILE = "topics.yaml"
CHARACTERS_FILE = "characters.yaml"
MIN_APPLIED_SHARE = 0.6
SAME_QUESTION = 0.85  # prompts this alike (0..1) in two lessons are the same question asked twice
HELP = "Parent Training and Information Center"
CITATION = re.compile(r"\b(?:\d+ )?(?:CFR|U\.S\.C\.)\s*(?:§\s*)?\d|\b(?:300|303|104|99)\.\d+\(")
QUOTED = re.compile(r"[\"“]([^\"“”]{3,}?)[\"”]")


def _lesson_text(layout: CourseLayout, lid: str) -> str:
    parts = [*texts(layout.lesson(lid)), *picture_texts(layout, lid)]
    return " ".join(" ".join(t.split()) for t in parts)


def picture_texts(layout: CourseLayout, lid: str, language: str | None = None):
    """The alt text and the drawn words of each picture a lesson shows (in ``language``: its picture
    ``x.es.svg`` and alt text in ``alt-text.es.yaml``): a learner reads them as part of the lesson, so a
    rule the lesson teaches must hold there too, in every language."""
    import nbformat

    from .notebooks import element_calls

    path = layout.lesson_notebook(lid)
    try:
        calls, _problems = element_calls(nbformat.read(path, as_version=4))
        alt = parse_yaml((layout.assets / in_language(ALT_TEXT_FILE, language)).read_text(encoding="utf-8")) or {}
    except Exception:  # noqa: BLE001 - an unreadable notebook or alt text is reported by the other checks
        return
    for call in calls:
        if call.method == "picture" and call.arg:
            shown = in_language(call.arg, language)
            yield str(alt.get(shown, ""))
            image = layout.assets / shown
            if image.suffix == ".svg" and image.is_file():
                yield " ".join(re.findall(r">([^<>]+)<", image.read_text(encoding="utf-8")))


def _by_number(layout: CourseLayout) -> dict[str, str]:
    return {lid.split("-")[0]: lid for lid in layout.lesson_ids}


def topic_problems(layout: CourseLayout) -> list[str]:
    path = layout.notebooks / TOPICS_FILE
    if not path.is_file():
        return [f"{path} is missing: it lists the rules the course must teach, and where"]
    topics = parse_yaml(path.read_text(encoding="utf-8")) or {}
    lessons, problems, cache = _by_number(layout), [], {}

    def text_of(lid: str) -> str:  # each lesson read once (setdefault would read it for every topic)
        if lid not in cache:
            cache[lid] = _lesson_text(layout, lid)
        return cache[lid]

    for name, topic in topics.items():
        for number in topic.get("lessons", []):
            lid = lessons.get(str(number))
            if lid is None:
                problems.append(f"{TOPICS_FILE}: {name} names lesson {number}, which does not exist")
                continue
            text = text_of(lid)
            low = text.lower()
            problems += [f"{lid}: must cite {c} ({name}, {', '.join(topic.get('facts', []))})"
                         for c in topic.get("cite", []) if c not in text]
            problems += [f"{lid}: must say \"{s}\" ({name}, {', '.join(topic.get('facts', []))})"
                         for s in topic.get("say", []) if s.lower() not in low]
            problems += [f"{lid}: must not say \"{s}\" ({name}: it is wrong or incomplete)"
                         for s in topic.get("never", []) if s.lower() in low]
    for lid in layout.lesson_ids:
        text = text_of(lid).lower()
        if "check your state" in text and HELP.lower() not in text:
            problems.append(f"{lid}: says \"check your state\" but not where to get help: name the {HELP} (F66)")
    return problems


def question_problems(lessons: dict[str, LessonContent]) -> list[str]:
    problems = []
    graded = [(lid, q) for lid, c in lessons.items() for q in c.questions.values()]
    applied = sum(q.skill == "apply" for _lid, q in graded)
    if graded and applied / len(graded) < MIN_APPLIED_SHARE:
        problems.append(f"only {applied} of {len(graded)} graded questions ({applied / len(graded):.0%}) apply a "
                        f"rule to a case (skill: apply); at least {MIN_APPLIED_SHARE:.0%} should")
    for i, (lid_a, a) in enumerate(graded):
        for lid_b, b in graded[i + 1:]:
            if lid_a != lid_b and SequenceMatcher(None, a.prompt.lower(), b.prompt.lower()).ratio() >= SAME_QUESTION:
                problems.append(f"{lid_a} {a.id} and {lid_b} {b.id} ask the same question: make one of them new")
    return problems


def character_problems(layout: CourseLayout) -> list[str]:
    path = layout.notebooks / CHARACTERS_FILE
    if not path.is_file():
        return [f"{path} is missing: it lists the course's characters"]
    cast = parse_yaml(path.read_text(encoding="utf-8")) or {}
    students = cast.get("students") or {}
    adults = {**(cast.get("staff") or {}), **(cast.get("families") or {})}
    problems = []
    for lid in layout.lesson_ids:
        text = _lesson_text(layout, lid)
        for title, surname in set(re.findall(r"\b(Mr|Ms|Mrs|Dr)\. ([A-Z][a-z]+)", text)):
            if f"{title}. {surname}" not in adults:
                problems.append(f"{lid}: {title}. {surname} is not in {CHARACTERS_FILE}: add them there or use "
                                "a character the course already has")
        for name, person in students.items():
            for age in re.findall(rf"\b{name} is (\d+)\b", text):
                if int(age) != person.get("age"):
                    problems.append(f"{lid}: {name} is {age} here but {person.get('age')} in {CHARACTERS_FILE}")
        for name, roles in (cast.get("staff") or {}).items():
            for said in re.findall(rf"{re.escape(name)}, (?:the|a|your|{name.split()[-1]}'s) ([^,.;:)]+)", text):
                if not any(said.lower().startswith(r.lower()) or r.lower() in said.lower() for r in roles):
                    problems.append(f"{lid}: {name} is called \"{said}\" but is the {roles[0]} ({CHARACTERS_FILE})")
    return problems


def citation_place_problems(layout: CourseLayout) -> list[str]:
    problems = []
    for lid in layout.lesson_ids:
        folder = layout.lesson(lid)
        for text in _speech_texts(folder):
            for said in QUOTED.findall(text):
                if CITATION.search(said):
                    problems.append(f"{lid}: a citation inside a character's words: \"{said[:70]}…\"; put it in a "
                                    "Source: line after the story step instead")
        for para in _prose_paragraphs(folder / f"{lid}.ipynb"):
            first = CITATION.search(para)
            if first and not re.search(r"\bSources?:", para[:first.start()]):
                near = para[max(0, first.start() - 50):first.end() + 10]
                problems.append(f"{lid}: a citation in the middle of a paragraph: \"…{near}…\"; "
                                "end the paragraph with a *Source:* line instead")
    return problems


def _speech_texts(folder: Path):
    try:
        data = parse_yaml((folder / "lesson.yaml").read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        return  # reported by the data checks
    for scenario in (data.get("scenarios") or {}).values():
        for step in (scenario.get("steps") or {}).values():
            yield str(step.get("text", ""))
            for choice in step.get("choices") or ():
                yield str(choice.get("feedback", ""))


def _prose_paragraphs(path: Path):
    import json

    if not path.is_file():
        return
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for para in re.split(r"\n\s*\n", source):
            # each item of a list is a paragraph of its own
            yield from (item for item in re.split(r"\n(?=\s*(?:[-*]|\d+\.)\s)", para) if item.strip())
