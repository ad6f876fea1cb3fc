"""The take-away tools: what a parent or aide gets from each, whatever they type.

A parent acts on these letters, so each one is checked for what it must say (the date, the names
typed, the rule it relies on, where the state may differ and where to get help), and every
output (plain text, RTF, HTML) is checked against hostile input: very long text, markup,
RTF control words, and names in other scripts. Widgets are driven from Python, which fires the
same callbacks a browser message does; the last tests use a real Voila and Chromium.
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from course_lib import modes, tools, views
from course_lib.documents import download_links, files, to_html, to_html_page, to_rtf, to_text
from course_lib.layout import CourseLayout
from course_lib.publish.citations import _CFR, _USC, _covered, allowed_citations
from course_lib.store import ANSWERS_FILE
from course_lib.tools.content import EntryError, clean, clean_all, load_tools
from course_lib.tools.letters import IN_MY_LANGUAGE, NOTE_TITLE, compose_bilingual_letter, compose_letter

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "notebooks" / "tools"
TODAY = date(2027, 3, 4)
NAMES = {"parent_name": "Zoë O'Brien", "child_name": "李小龍", "school": "محمد Academy"}
HOSTILE = '<script>alert(1)</script></textarea>{\\rtf1\\par}\\ \\\\ {}'


@pytest.fixture(scope="module")
def content():
    return load_tools(TOOLS)


@pytest.fixture
def folder(tmp_path):
    """A learner's copy of the tools folder (JupyterLab, mode "learn")."""
    return Path(shutil.copytree(TOOLS, tmp_path / "tools"))


def required_values(letter, content, **extra):
    """The boxes a parent must fill in, filled; and a step that must come first (the date a due
    process complaint was filed), taken."""
    values = {f: "" for f in letter.fields}
    values.update({f: (False if content.fields[f].kind == "tick" else "") for f in letter.fields})
    needed = {box for box, _why in letter.needs}
    for fid in letter.fields:
        field = content.fields[fid]
        if field.required or fid in needed:
            values[fid] = NAMES.get(fid, f"the {fid.replace('_', ' ')} typed")
    values.update(extra)
    return values


def letter_part(text: str) -> str:
    return text.split(NOTE_TITLE)[0]


def rtf_to_text(rtf: str) -> str:
    """Just enough of an RTF reader to get the words back: escapes, \\uN? and \\line."""
    out, i = [], 0
    while i < len(rtf):
        ch = rtf[i]
        if ch == "\\":
            nxt = rtf[i + 1]
            if nxt in "\\{}":
                out.append(nxt)
                i += 2
                continue
            m = re.match(r"\\u(-?\d+)\?", rtf[i:])
            if m:
                n = int(m.group(1)) % 65536
                out.append(chr(n))
                i += m.end()
                continue
            m = re.match(r"\\([a-z]+)(-?\d+)? ?", rtf[i:])
            out.append({"line": "\n", "par": "\n", "tab": "\t", "cell": "\t"}.get(m.group(1), ""))
            i += m.end()
            continue
        if ch not in "{}\n":
            out.append(ch)
        i += 1
    text = "".join(out)
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")  # pair up surrogates


def braces_balance(rtf: str) -> bool:
    depth, i = 0, 0
    while i < len(rtf):
        if rtf[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(rtf[i], 0)
        if depth < 0:
            return False
        i += 1
    return depth == 0


def data_files(downloads_html: str) -> dict[str, bytes]:
    """File name -> bytes, read back from the download links shown to the visitor."""
    found = re.findall(r'<a download="([^"]+)" href="data:([^"]+)">', downloads_html)
    return {name: base64.b64decode(url.split(";base64,", 1)[1]) for name, url in found}


# -- the data: texts, citations, notebooks ------------------------------------------------------


def test_there_are_at_least_eight_letters_each_asking_for_the_names_and_the_date(content):
    assert len(content.letters) >= 8
    for letter in content.letters.values():
        assert {"parent_name", "child_name", "school", "date"} <= set(letter.fields)
        assert letter.cites and letter.note


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_every_rule_the_tools_cite_is_on_the_checked_list():
    cfr, usc = allowed_citations(CourseLayout(ROOT))
    texts = list(_strings(yaml.safe_load((TOOLS / "tools.yaml").read_text(encoding="utf-8"))))
    for nb in TOOLS.glob("*.ipynb"):
        texts += ["".join(c["source"]) for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]]
    cited = {m.group(1) + m.group(2) for t in texts for m in _CFR.finditer(t)}
    unknown = {c for c in cited if not _covered(c, cfr)}
    unknown |= {f"{m.group(1)} U.S.C. {m.group(2)}{m.group(3)}" for t in texts for m in _USC.finditer(t)
                if not _covered(f"{m.group(1)} U.S.C. {m.group(2)}{m.group(3)}", usc)}
    assert len(cited) > 30 and unknown == set()


def test_the_words_facts_md_keeps_exact_are_kept(content):
    stay_put = content.letters["stay-put"]
    said = " ".join([p.text for p in stay_put.body] + list(stay_put.note))
    assert "Only a due process complaint" in said and "state complaint" in said
    assert "I am filing" not in said and "only after you have filed" in said  # a letter is not a filing (F81)
    due_process = " ".join(content.letters["due-process"].note)
    assert "is not a filing" in due_process and "model form" in due_process and "at the same time" in due_process
    state = " ".join(content.letters["state-complaint"].note)
    assert "within one year" in state and "within 60 days" in state and "pay you back" in state
    records = " ".join(p.text for p in content.letters["records"].body)
    assert "before any IEP meeting" in records and "45" in records
    assert "our advice, not a rule" in " ".join(content.help)


def test_the_tools_notebooks_are_thin_hidden_code_and_committed_clean():
    for name in ("letters", "iep-meeting-sheet", "aide-sheets"):
        nb = json.loads((TOOLS / f"{name}.ipynb").read_text(encoding="utf-8"))
        assert nb["metadata"]["course"] == {"page": f"tools/{name}"}
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert code and nb["cells"][0]["cell_type"] == "markdown"
        for cell in code:
            assert cell["metadata"]["jupyter"]["source_hidden"] is True
            assert cell["outputs"] == [] and cell["execution_count"] is None
            assert len("".join(cell["source"]).splitlines()) <= 3


def test_the_tools_import_nothing_of_the_grading_side():
    import subprocess
    import sys

    code = ("import sys, course_lib.tools; "
            "print([m for m in sys.modules if m.split('.')[0] in ('nbgrader', 'nbformat', 'nbclient')])")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "[]\n"


# -- what each letter says ------------------------------------------------------------------------


@pytest.mark.parametrize("letter_id", list(load_tools(TOOLS).letters))  # every letter tools.yaml has
def test_each_letter_has_the_date_the_names_the_rule_and_where_to_get_help(content, letter_id):
    letter = content.letters[letter_id]
    doc = compose_letter(content, letter, required_values(letter, content), TODAY)
    text, preview, rtf = to_text(doc), to_html(doc), rtf_to_text(to_rtf(doc))
    for out in (text, rtf):
        body = letter_part(out)
        assert "March 4, 2027" in body
        assert all(name in body for name in NAMES.values())
        for cite in letter.cites:
            assert cite in body, f"{letter_id}: {cite} missing"
        assert "our state may have its own rules" in body
        assert "Parent Training and Information Center" in out and "not legal advice" in out
    assert "<bdi>李小龍</bdi>" in preview and "March 4, 2027" in preview


def test_a_typed_date_is_used_and_an_empty_one_becomes_today(content):
    letter = content.letters["evaluation"]
    typed = compose_letter(content, letter, required_values(letter, content, date="2027-04-01"), TODAY)
    assert "April 1, 2027" in to_text(typed) and "March 4, 2027" not in to_text(typed)
    assert "March 4, 2027" in to_text(compose_letter(content, letter, required_values(letter, content), TODAY))


def test_optional_sentences_appear_only_when_their_box_is_filled(content):
    meeting = content.letters["meeting"]
    with_ot = to_text(compose_letter(content, meeting, required_values(meeting, content, ask_ot=True), TODAY))
    without = to_text(compose_letter(content, meeting, required_values(meeting, content, ask_ot=False), TODAY))
    assert "Please invite" in with_ot and "300.321(a)(6)" in with_ot
    assert "Please invite" not in without
    records = content.letters["records"]
    dated = to_text(compose_letter(content, records, required_values(records, content, meeting_date="2027-05-02"),
                                   TODAY))
    assert "IEP meeting is on May 2, 2027" in dated and "before the meeting" in dated
    stay = content.letters["stay-put"]
    filed = to_text(compose_letter(content, stay, required_values(stay, content, filed_date="2027-03-01"), TODAY))
    assert "On March 1, 2027, I filed a due process complaint about this change" in filed
    due = content.letters["due-process"]
    kept = to_text(compose_letter(content, due, required_values(due, content, keep_services="OT twice a week"), TODAY))
    assert "Please keep providing OT twice a week" in kept and "300.518(a)" in letter_part(kept)
    assert "Please keep providing" not in to_text(compose_letter(content, due, required_values(due, content), TODAY))


def test_the_stay_put_letter_is_never_made_before_the_complaint_is_filed(content):
    """A parent who sends it to the principal, believing that is the filing, loses the services (F81)."""
    stay = content.letters["stay-put"]
    with pytest.raises(EntryError, match="First file your due process complaint"):
        compose_letter(content, stay, required_values(stay, content, filed_date=""), TODAY)
    assert "only after you have filed" in stay.use_when


def complaint(letter_id, content):
    """The complaint a parent in lesson 08 writes for Leo, before his OT is cut on March 24."""
    letter = content.letters[letter_id]
    values = required_values(letter, content, child_name="Leo Park", child_address="12 Elm Street, Lincoln",
                             school="Lincoln Elementary", district="Lincoln County School District",
                             state_agency="the State Department of Education", to_title="Director of Special "
                             "Education", problem="The school will cut Leo's OT from twice a week to 30 minutes a "
                             "week in class.", facts="On March 3 the school sent prior written notice. The cut "
                             "starts on March 24. In class Leo often does not finish his written work.",
                             proposed_fix="Keep OT twice a week, and add a goal for written work in class.",
                             broken_rule="It did not give the OT sessions in Leo's IEP for six weeks.",
                             when_it_happened="from September 8 to October 17, 2026")
    return letter, to_text(compose_letter(content, letter, values, TODAY))


def test_the_due_process_complaint_has_every_part_the_rule_requires_and_says_where_it_goes(content):
    """F81: the child's name and address, the school, the problem with its facts and a proposed fix;
    sent to the district with a copy to the state education agency at the same time."""
    letter, text = complaint("due-process", content)
    sent, note = letter_part(text), text.split(NOTE_TITLE)[1]
    head = sent.split("Re:")[0]
    assert "Lincoln County School District" in head and "Dear Director of Special Education," in sent
    assert "the State Department of Education" not in head  # the district gets the complaint; the state, a copy
    for part in ("I am the parent of Leo Park.", "Leo lives at 12 Elm Street, Lincoln and goes to Lincoln Elementary",
                 "The problem: The school will cut Leo's OT", "The facts: On March 3",
                 "What would fix it, as far as I know now: Keep OT twice a week",
                 "copy of this complaint to the State Department of Education, at the same time",
                 "Copy sent on the same day to: the State Department of Education", "I will take part"):
        assert part in sent, part
    assert sent.index("Sincerely") < sent.index("Copy sent on the same day")
    for part in ("is not a filing", "model form", "2 years", "15 days", "must take part", "dismiss",
                 "[ ] The school's prior written notice", "[ ] The current IEP", "[ ] Send it to the school district"):
        assert part in note, part
    assert note.count("[ ]") == len(letter.attach) >= 5


def test_the_state_complaint_goes_to_the_state_with_a_copy_to_the_district(content):
    """F83: written and signed, the rule broken and the facts, the child's details and a fix; within
    one year; a copy to the district at the same time; the state decides within 60 days."""
    letter, text = complaint("state-complaint", content)
    sent, note = letter_part(text), text.split(NOTE_TITLE)[1]
    head = sent.split("Re:")[0]
    assert "the State Department of Education" in head and "Lincoln County School District" not in head
    for part in ("signed, written complaint", "Lincoln County School District broke a rule",
                 "The rule I believe was broken: It did not give the OT sessions",
                 "When it happened: from September 8 to October 17, 2026. This is within one year",
                 "Copy sent on the same day to: Lincoln County School District", "within 60 days"):
        assert part in sent, part
    for part in ("make up services", "pay you back", "does not keep services in place", "[ ] Bills, receipts"):
        assert part in note, part


@pytest.mark.parametrize("letter_id", ["evaluation", "records", "iee", "meeting", "notice", "due-process", "stay-put",
                                       "state-complaint"])
def test_every_letter_comes_out_whole_from_the_longest_hostile_entries(content, letter_id):
    """Every box at its limit, full of markup and RTF control words: the text, the RTF and the page
    carry it as text, in full."""
    letter = content.letters[letter_id]
    values = required_values(letter, content)
    for fid in letter.fields:
        field = content.fields[fid]
        if field.kind != "tick" and fid != "date":
            values[fid] = (HOSTILE + " " + "x" * field.max)[:field.max]
    doc = compose_letter(content, letter, values, TODAY)
    text, rtf, page = to_text(doc), to_rtf(doc), to_html_page(doc)
    assert braces_balance(rtf) and rtf.isascii()
    back = rtf_to_text(rtf)
    for fid in letter.fields:
        if content.fields[fid].kind != "tick" and fid != "date":
            assert values[fid] in text and values[fid] in back, fid
    assert "<script" not in page and page.count("<article") == page.count("</article>") == 1
    assert all(cite in letter_part(text) for cite in letter.cites)


# -- letters as a parent writes them: realistic, and awkward ---------------------------------------

# What a parent would type for each letter (every letter tools.yaml has must have an entry here).
PARENT = {"parent_name": "Ana Torres", "child_name": "Leo Park", "school": "Lincoln Elementary",
          "to_name": "Ms. Rivera", "to_title": "Principal", "contact": "ana.torres@example.org",
          "child_birth": "2018-06-14", "date": "2027-03-04"}
REALISTIC = {
    "evaluation": {"grade": "2nd grade", "concerns_letter": "Leo tires after writing two lines\nHe cannot open "
                   "his lunch box"},
    "records": {"meeting_date": "2027-03-25", "records_wanted": "the OT's notes and data sheets from this year"},
    "iee": {"evaluation": "the OT evaluation of February 2", "reasons": "It did not look at handwriting in class."},
    "meeting": {"reason": "Leo's handwriting goal and how often he sees the OT", "ask_ot": True,
                "bring_people": "my sister, who helps Leo with homework", "times": "Tuesdays after 3 pm",
                "interpreter": "Spanish"},
    "notice": {"asked_for": "evaluate Leo's motor skills with an OT", "asked_date": "2027-01-12",
               "school_answer": "They said he is doing fine", "language": "Spanish"},
    "due-process": {"child_address": "12 Elm Street, Lincoln", "district": "Lincoln County School District",
                    "state_agency": "the State Department of Education", "to_name": "Dr. Chen",
                    "to_title": "Director of Special Education",
                    "problem": "The school will cut Leo's OT from twice a week to 30 minutes a week",
                    "facts": "On March 1 the school sent prior written notice. The cut starts on March 24",
                    "proposed_fix": "Keep OT twice a week", "keep_services": "OT twice a week",
                    "open_to_mediation": True},
    "stay-put": {"change": "cut OT from 60 to 30 minutes a week", "notice_date": "2027-03-01",
                 "current_services": "60 minutes of OT a week", "filed_date": "2027-03-03", "open_to_mediation": True},
    "state-complaint": {"child_address": "12 Elm Street, Lincoln", "district": "Lincoln County School District",
                        "state_agency": "the State Department of Education", "to_name": "", "to_title":
                        "the director of special education",
                        "broken_rule": "It did not give the OT sessions in Leo's IEP for six weeks",
                        "when_it_happened": "from September 8 to October 17, 2026.",
                        "facts": "Six sessions were missed. I have my notes of each day",
                        "proposed_fix": "Six make-up sessions before June"},
}
# The same, as a parent in a hurry types it: "Dear" and the job in the name box, full stops and a
# capital "To" where the letter goes on, extra spaces, a name in another script.
AWKWARD = {"to_name": "Dear ms. Rivera, the principal,", "to_title": "", "child_name": "  María José   García ",
           "child_called": "María José", "parent_name": "محمد Haddad"}


def _letter_of(content, letter_id, values):
    letter = content.letters[letter_id]
    fields = {f: (False if content.fields[f].kind == "tick" else "") for f in letter.fields}
    cleaned, problems = clean_all([content.fields[f] for f in letter.fields], {**fields, **values})
    assert problems == [], problems
    return letter, to_text(compose_letter(content, letter, cleaned, TODAY))


def _body(text):
    """The paragraphs the letter's reader reads: from "Dear" to "Sincerely"."""
    sent = letter_part(text)
    return [p for p in sent[sent.index("Dear "):sent.index("Sincerely,")].split("\n\n") if p.strip()]


def test_every_letter_has_a_realistic_example_here(content):
    assert set(REALISTIC) == set(content.letters)


@pytest.mark.parametrize("letter_id", list(load_tools(TOOLS).letters))
def test_each_letter_reads_as_a_person_writes_from_what_a_parent_types(content, letter_id):
    """Issue 21, item 5: "Dear Ms. Rivera," (not the whole "who it is to" box), a date as a date, the
    child's full name once and then the name they go by, every sentence ended once."""
    letter, text = _letter_of(content, letter_id, {**PARENT, **REALISTIC[letter_id]})
    sent = letter_part(text)
    name = REALISTIC[letter_id].get("to_name", PARENT["to_name"])
    assert (f"Dear {name}," if name else "Dear Director of special education,") in sent
    head = sent[:sent.index("Re:")]
    title = REALISTIC[letter_id].get("to_title", PARENT["to_title"])
    assert f"\n{title}\n" in head  # the job on its own line of the address
    body = _body(text)
    assert body[0].startswith("Dear ") and body[0].count(",") == 1  # "Dear <name>," and nothing more
    for paragraph in body[1:]:
        assert paragraph.rstrip().endswith((".", "?", ":")), paragraph
        assert ".." not in paragraph and ". ." not in paragraph and " ," not in paragraph, paragraph
    letter_text = "\n".join(body[1:])
    assert letter_text.count("Leo Park") <= 1 and "Leo" in letter_text
    assert sent.count("Leo Park") <= 2  # the subject line, and the first sentence
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", sent)  # dates written out, never as 2027-03-04
    assert "March 4, 2027" in head and "(date of birth: June 14, 2018)" in sent
    assert "do not agree to it" not in sent and "On at" not in sent


@pytest.mark.parametrize("letter_id", list(load_tools(TOOLS).letters))
def test_each_letter_comes_out_well_from_awkward_typing(content, letter_id):
    _letter, text = _letter_of(content, letter_id, {**PARENT, **REALISTIC[letter_id], **AWKWARD})
    sent, body = letter_part(text), _body(text)
    assert body[0] == "Dear ms. Rivera,"  # no second "Dear", no job in the greeting
    assert "Dear Dear" not in sent and "\nms. Rivera, the principal\n" in sent  # the address keeps what was typed
    rest = "\n".join(body[1:])
    assert rest.count("María José García") == 1 and not re.search(r"María(?! José)", rest)
    assert "محمد Haddad" in sent and "  " not in rest
    for paragraph in body[1:]:
        assert ".." not in paragraph and paragraph.rstrip().endswith((".", "?", ":")), paragraph


def test_a_box_that_goes_on_with_the_letters_sentence_fits_into_it(content):
    _letter, text = _letter_of(content, "notice", {**PARENT, **REALISTIC["notice"],
                                                   "asked_for": "To Evaluate Leo's motor skills with an OT."})
    assert "I asked the school to evaluate Leo's motor skills with an OT." in text
    _letter, text = _letter_of(content, "stay-put", {**PARENT, **REALISTIC["stay-put"], "change": "Cut OT in half"})
    assert "the school proposed to cut OT in half." in text
    _letter, text = _letter_of(content, "notice", {**PARENT, **REALISTIC["notice"], "asked_for": "OT evaluation"})
    assert "to OT evaluation." in text  # a word in capitals stays as typed


def test_without_a_name_the_letter_greets_the_job_and_without_either_sir_or_madam(content):
    _l, text = _letter_of(content, "evaluation", {**PARENT, "to_name": "", "to_title": "the principal"})
    assert "Dear Principal," in text and "\nthe principal\n" in text
    _l, text = _letter_of(content, "evaluation", {**PARENT, "to_name": "", "to_title": ""})
    assert "Dear Sir or Madam," in text


def test_a_name_of_one_word_or_without_spaces_is_used_whole(content):
    for child in ("Leo", "李小龍"):
        _l, text = _letter_of(content, "evaluation", {**PARENT, "child_name": child})
        assert f"full initial evaluation of {child}." in text


@pytest.mark.parametrize("raw, said", [
    ("2026-13-45", "could not be read"), ("next Tuesday", "could not be read"), (12345, "could not be read"),
    (["2026-01-01"], "could not be read"), ("1066-10-14", "check the year"), ({"year": 2026}, "could not be read"),
    (HOSTILE, "could not be read"), ("2026-01-01" * 5000, "could not be read")])
def test_a_date_that_cannot_be_a_date_is_refused_kindly(content, raw, said):
    with pytest.raises(EntryError, match=said):
        clean(content.fields["asked_date"], raw)


def test_dates_come_back_whatever_the_browser_sends_that_is_a_date(content):
    from datetime import datetime as moment

    field = content.fields["asked_date"]
    assert clean(field, date(2027, 1, 12)) == clean(field, "2027-01-12") == clean(field, moment(2027, 1, 12, 9, 30))
    assert clean(field, None) == clean(field, "") == ""


def test_a_date_after_the_letters_own_is_refused_with_a_word(folder):
    view = tools.letter_builder(folder, mode="learn", today=TODAY)
    view.chooser.value = "notice"
    fill(view, **NAMES, asked_for="evaluate Sam", asked_date=date(2027, 5, 1), child_birth=date(2030, 1, 1))
    assert view.make() is False
    status = html.unescape(view.status.value)
    assert "“The date you asked (optional)” is after the date of this letter (March 4, 2027)" in status
    assert "date of birth" in status and view.preview.value == ""
    fill(view, asked_date=date(2027, 2, 1), child_birth=date(2019, 1, 1))
    assert view.make() is True and "On February 1, 2027, I asked the school to evaluate Sam." in html.unescape(
        view.preview.value).replace("<bdi>", "").replace("</bdi>", "")


def test_forged_dates_from_a_browser_get_a_friendly_message(folder, monkeypatch):
    view = tools.letter_builder(folder, mode="view", today=TODAY)
    fill(view, **NAMES)
    monkeypatch.setattr(view, "raw_values", lambda: {**{f.id: view.box(f.id).value for f in view.fields()},
                                                     "date": "<script>", "child_birth": 7})
    assert view.make() is False
    assert "“Date of this letter” could not be read" in html.unescape(view.status.value)
    assert "Traceback" not in view.status.value and "<script>" not in view.status.value


def test_the_note_for_the_parent_is_on_its_own_page_when_printed(content):
    letter = content.letters["iee"]
    doc = compose_letter(content, letter, required_values(letter, content), TODAY)
    assert "\\page" in to_rtf(doc)
    assert '<section class="course-note">' in to_html(doc) and "break-before: page" in to_html_page(doc)


# -- the files, and hostile input ------------------------------------------------------------------


def test_the_rtf_is_valid_rtf_with_every_name_intact(content):
    letter = content.letters["evaluation"]
    doc = compose_letter(content, letter, required_values(letter, content, concerns_letter=HOSTILE,
                                                          to_name="😀 Ms. Núñez"), TODAY)
    rtf = to_rtf(doc)
    assert rtf.startswith("{\\rtf1") and rtf.rstrip().endswith("}")
    assert rtf.isascii() and braces_balance(rtf)
    assert "\\u235?" in rtf  # ë, as RTF writes characters outside ASCII
    back = rtf_to_text(rtf)
    for name in [*NAMES.values(), HOSTILE, "😀 Ms. Núñez"]:
        assert name in back


def test_markup_and_control_words_come_out_as_text_in_every_format(content):
    letter = content.letters["notice"]
    values = required_values(letter, content, asked_for=HOSTILE, school_answer="</p></article><img src=x onerror=1>")
    doc = compose_letter(content, letter, values, TODAY)
    for out in (to_html(doc), to_html_page(doc)):
        assert "<script" not in out and "</textarea>" not in out and "<img" not in out
        assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/textarea&gt;{\\rtf1\\par}" in out
        assert out.count("<article") == out.count("</article>") == 1
    assert HOSTILE in to_text(doc)
    assert HOSTILE in rtf_to_text(to_rtf(doc)) and braces_balance(to_rtf(doc))


def test_names_in_any_script_come_out_intact_in_every_download(content):
    letter = content.letters["records"]
    doc = compose_letter(content, letter, required_values(letter, content), TODAY)
    made = files(doc)
    text = made[f"{doc.slug}.txt"][0].encode("utf-8").decode("utf-8-sig")
    rtf = rtf_to_text(made[f"{doc.slug}.rtf"][0])
    page = made[f"{doc.slug}.html"][0]
    assert '<meta charset="utf-8">' in page
    for name in NAMES.values():
        assert name in text and name in rtf and name in html.unescape(page)
    assert all(re.fullmatch(r"[a-z0-9-]+\.(txt|rtf|html)", name) for name in made)


def test_typed_text_is_cleaned_of_invisible_control_characters(content):
    field = content.fields["concerns_letter"]
    assert clean(field, "a\x00b\u202ec\r\nd\ud800") == "abc\nd"
    assert clean(content.fields["parent_name"], "  Zoë \n O'Brien ") == "Zoë O'Brien"


# -- the letter builder on screen -------------------------------------------------------------------


def fill(view, **values):
    for fid, value in values.items():
        view.box(fid).value = value


def test_a_parent_makes_a_letter_and_gets_the_preview_and_three_downloads(folder):
    view = tools.letter_builder(folder, mode="learn", today=TODAY)
    fill(view, **NAMES)
    assert view.make() is True
    assert "ready below" in view.status.value
    got = data_files(view.downloads.value)
    assert sorted(got) == ["letter-evaluation-2027-03-04.html", "letter-evaluation-2027-03-04.rtf",
                           "letter-evaluation-2027-03-04.txt"]
    text = got["letter-evaluation-2027-03-04.txt"].decode("utf-8-sig")
    assert "李小龍" in text and "34 CFR 300.301(b)" in text and "March 4, 2027" in text
    assert got["letter-evaluation-2027-03-04.rtf"].startswith(b"{\\rtf1")
    assert "course-print" in view.preview.value and "Zoë O&#x27;Brien" in view.preview.value


def test_choosing_another_letter_keeps_the_names_and_shows_its_own_boxes(folder):
    view = tools.letter_builder(folder, mode="learn", today=TODAY)
    fill(view, **NAMES)
    view.chooser.value = "stay-put"
    labels = [b.description for b in view.fields_box.children]
    assert "The change the school proposed" in labels and view.box("child_name").value == "李小龍"
    assert view.make() is False and "Please fill in" in view.status.value
    fill(view, change="cut OT to 30 minutes", current_services="60 minutes of OT a week")
    assert view.make() is False and "First file your due process complaint" in view.status.value
    assert "Please fill in" not in view.status.value and view.preview.value == "" and view.downloads.value == ""
    fill(view, filed_date=date(2027, 3, 12))  # after the letter's date: a slip
    assert view.make() is False and "is after the date of this letter (March 4, 2027)" in view.status.value
    fill(view, filed_date=date(2027, 3, 2))
    assert view.make() is True
    assert "34 CFR 300.518(a)" in view.preview.value and "<bdi>March 2, 2027</bdi>, I filed" in view.preview.value


@pytest.mark.parametrize("letter_id", ["due-process", "state-complaint"])
def test_a_parent_files_each_complaint_and_gets_its_three_downloads(folder, letter_id):
    view = tools.letter_builder(folder, mode="learn", today=TODAY)
    view.chooser.value = letter_id
    fill(view, **NAMES)
    assert view.make() is False and "Please fill in" in view.status.value
    status = html.unescape(view.status.value)
    assert "Your child's home address" in status and "Your state education agency" in status
    fill(view, child_address="12 Elm Street", district="Lincoln County Schools", state_agency="State Dept. of Ed.",
         problem="OT cut", facts="Notice of March 3", proposed_fix="Keep OT", broken_rule="Sessions missed",
         when_it_happened="September 2026")
    assert view.make() is True, view.status.value
    got = data_files(view.downloads.value)
    stem = f"letter-{letter_id}-2027-03-04"
    assert sorted(got) == [f"{stem}.html", f"{stem}.rtf", f"{stem}.txt"]
    text = got[f"{stem}.txt"].decode("utf-8-sig")
    assert "李小龍" in text and "Copy sent on the same day to:" in text and "[ ]" in text
    assert "李小龍" in rtf_to_text(got[f"{stem}.rtf"].decode("ascii"))
    assert "<bdi>李小龍</bdi>" in got[f"{stem}.html"].decode("utf-8")
    saved = json.loads((folder / ANSWERS_FILE).read_text(encoding="utf-8"))["answers"]["letters/entries"]["value"]
    assert saved["letter"] == letter_id and saved["child_address"] == "12 Elm Street"


def test_twenty_thousand_characters_are_refused_kindly_and_nothing_is_made_or_saved(folder):
    view = tools.letter_builder(folder, mode="learn", today=TODAY)
    fill(view, **{**NAMES, "parent_name": "x" * 20_000, "concerns_letter": "Tired. " * 3000})
    assert view.make() is False
    assert "Your name" in view.status.value and "20,000 characters" in view.status.value
    assert "100 characters or fewer" in view.status.value and "1,500 characters or fewer" in view.status.value
    assert view.preview.value == "" and view.downloads.value == ""
    assert not (folder / ANSWERS_FILE).exists()


def test_forged_values_from_a_browser_get_a_friendly_message_not_a_traceback(folder, monkeypatch):
    view = tools.letter_builder(folder, mode="view", today=TODAY)
    fill(view, **NAMES)
    forged = {"parent_name": 5, "child_name": ["a"], "school": "ok", "date": None, "concerns_letter": {"x": 1}}
    monkeypatch.setattr(view, "raw_values", lambda: forged)
    assert view.make() is False
    assert "“Your name” could not be read" in view.status.value and "Traceback" not in view.status.value
    assert view.preview.value == ""
    sheet = tools.data_sheet(folder, mode="view")
    monkeypatch.setattr(sheet, "raw_values", lambda: {"measure_count": "yes"})
    assert sheet.make() is False and "could not be read" in sheet.status.value


def test_changing_a_box_after_making_takes_the_old_downloads_away(folder):
    view = tools.letter_builder(folder, mode="learn", today=TODAY)
    fill(view, **NAMES)
    view.make()
    view.box("school").value = "Another School"
    assert view.downloads.value == "" and view.preview.value == ""
    assert "Press “Make my letter” again" in view.status.value


def test_in_the_web_view_nothing_is_written_anywhere(folder):
    before = sorted(p.name for p in folder.rglob("*"))
    for make in (tools.letter_builder, tools.meeting_sheet, tools.data_sheet, tools.strategy_card,
                 tools.first_week_checklist):
        view = make(folder, mode="view")
        if make is tools.letter_builder:
            fill(view, **NAMES)
        assert view.make() is True, view.status.value
        assert "not saved on the server" in view.widget.children[0].value or "Nothing you" in view.status.value
    assert sorted(p.name for p in folder.rglob("*")) == before


def test_the_course_source_folder_is_an_instructors_preview_that_writes_nothing():
    assert modes.for_folder(TOOLS, "learn") is modes.PREVIEW
    view = tools.letter_builder(TOOLS, mode="learn", today=TODAY)
    fill(view, **NAMES)
    assert view.make() is True
    assert not (TOOLS / ANSWERS_FILE).exists()


def test_entries_come_back_after_a_restart_but_the_date_is_today(folder):
    view = tools.letter_builder(folder, mode="learn", today=TODAY)
    view.chooser.value = "iee"
    fill(view, **NAMES, evaluation="the OT evaluation of March 3", date=date(2027, 2, 1),
         child_birth=date(2019, 5, 6))
    assert view.make() is True and "saved" in view.status.value
    again = tools.letter_builder(folder, mode="learn", today=date(2027, 4, 1))
    assert again.chooser.value == "iee"
    assert again.box("child_name").value == "李小龍" and again.box("evaluation").value == "the OT evaluation of March 3"
    assert again.box("date").value == date(2027, 4, 1) and again.box("child_birth").value == date(2019, 5, 6)
    assert "from last time" in again.status.value


def test_a_damaged_entries_file_gives_a_clear_message_and_is_kept(folder):
    (folder / ANSWERS_FILE).write_text("{not json", encoding="utf-8")
    view = tools.letter_builder(folder, mode="learn", today=TODAY)
    intro = view.widget.children[0].value
    assert "damaged" in intro and "copy" in intro
    assert list(folder.glob("my-answers.damaged-*.json"))
    fill(view, **NAMES)
    assert view.make() is True  # the parent can carry on


def test_a_saved_entry_that_no_longer_reads_well_is_left_out_with_a_word(folder):
    (folder / ANSWERS_FILE).write_text(json.dumps({"format": 1, "lesson": "tools", "answers": {
        "letters/entries": {"value": {"parent_name": "x" * 5000, "child_name": "Sam", "letter": "bogus"},
                            "saved": "2027-01-01T00:00:00+00:00"}}}), encoding="utf-8")
    view = tools.letter_builder(folder, mode="learn", today=TODAY)
    assert view.box("child_name").value == "Sam" and view.box("parent_name").value == ""
    assert "could not be read" in view.status.value and view.chooser.value == "evaluation"


# -- the IEP meeting sheet -------------------------------------------------------------------------


def test_the_meeting_sheet_is_built_from_the_parents_entries(folder, content):
    view = tools.meeting_sheet(folder, mode="learn")
    fill(view, sheet_child="Zoë", concerns="Tired after writing.", wish="Writes a note alone.",
         own_questions="Can he use a keyboard?\n\nHow long is each session?", own_invite="My sister")
    first, third = content.meeting_sheet["ot_questions"][0], content.meeting_sheet["ot_questions"][2]
    view.questions[first].value = view.questions[third].value = True
    view.bring[content.meeting_sheet["bring"][0]].value = True
    assert view.make() is True
    text = data_files(view.downloads.value)["iep-meeting-sheet.txt"].decode("utf-8-sig")
    for part in ("Zoë", "Tired after writing.", "Writes a note alone.", f"1. {first}", f"2. {third}",
                 "3. Can he use a keyboard?", "4. How long is each session?", "[ ] My sister",
                 "34 CFR 300.613(a)", "Parent Training and Information Center"):
        assert part in text, part
    again = tools.meeting_sheet(folder, mode="learn")
    assert again.questions[third].value is True and again.box("wish").value == "Writes a note alone."


def test_too_many_questions_are_refused_so_the_sheet_fits_one_page(folder):
    view = tools.meeting_sheet(folder, mode="view")
    for box in view.questions.values():
        box.value = True
    assert view.make() is False and "fits on one page" in view.status.value


def test_the_lesson_answer_the_sheet_starts_from_is_still_in_that_lesson(content):
    source = content.meeting_sheet["from_lesson"]
    lesson = yaml.safe_load((ROOT / "notebooks" / source["lesson"] / "lesson.yaml").read_text(encoding="utf-8"))
    section, rid = source["answer"].split("/")
    assert rid in lesson[section]


def test_the_sheet_shows_what_the_learner_wrote_in_lesson_08(tmp_path, content):
    folder = Path(shutil.copytree(TOOLS, tmp_path / "tools"))
    source = content.meeting_sheet["from_lesson"]
    lesson = tmp_path / source["lesson"]
    lesson.mkdir()
    (lesson / ANSWERS_FILE).write_text(json.dumps({"format": 1, "lesson": source["lesson"], "answers": {
        source["answer"]: {"value": "Worry: <b>handwriting</b>", "saved": "2027-01-01T00:00:00+00:00"}}}))
    intro = tools.meeting_sheet(folder, mode="learn").widget.children[0].value
    assert "In lesson 08 you wrote" in intro and "&lt;b&gt;handwriting&lt;/b&gt;" in intro
    assert "In lesson 08" not in tools.meeting_sheet(folder, mode="view").widget.children[0].value


# -- the aides' sheets -----------------------------------------------------------------------------


def test_the_data_sheet_has_a_column_for_each_thing_the_ot_asked_for(folder, content):
    view = tools.data_sheet(folder, mode="learn")
    fill(view, student="L. M.", goal="Copies 20 words with the grip", measure_time=True, measure_trials=False)
    view.rows.value = "5"
    assert view.make() is True
    table = re.search(r"<thead>(.*?)</thead><tbody>(.*?)</tbody>", view.preview.value)
    headers = re.findall(r"<th[^>]*>(.*?)</th>", table.group(1))
    assert headers == ["Date", "Count", "Prompt level", "Minutes", "Note: what I saw and heard", "Initials"]
    assert table.group(2).count("<tr>") == 5
    text = to_text(tools.compose_data_sheet(content, {"student": "L. M.", "measure_prompt": True, "rows": 8}))
    assert "A = did it alone" in text and "Use only the prompts the plan lists" in text
    assert "34 CFR 99.3" in text and "not opinions" in text


def test_the_strategy_card_keeps_the_ot_in_charge_of_the_plan(content):
    doc = tools.compose_strategy_card(content, {"strategy": "Pencil grip", "steps": "Slide grip on\nRemind once",
                                                "ot_name": "Ms. Patel"})
    text = to_text(doc)
    assert "Strategy card: Pencil grip" in text and "1. Slide grip on" in text and "2. Remind once" in text
    assert "the same day" in text and "take it to the OT first" in text and "AOTA supervision guidelines" in text


def test_the_first_week_checklist_covers_the_iep_privacy_reporting_and_whom_to_ask(content):
    text = to_text(tools.compose_first_week(content, {"contact_ot": "Ms. Patel, room 12"}))
    for part in ("34 CFR 300.323(d)", "34 CFR 300.320(a)(4)", "34 CFR 300.623", "34 CFR 99.31(a)(1)",
                 "34 CFR 99.3", "42 U.S.C. 5106a(b)(2)(B)(i)", "child protective services", "Ms. Patel, room 12",
                 "Who to go to about suspected abuse or neglect"):
        assert part in text, part
    assert text.count("[ ]") == len(content.first_week["checklist"])


# -- whole notebooks, in a fresh kernel --------------------------------------------------------------


@pytest.mark.slow
def test_each_tools_notebook_runs_top_to_bottom_and_a_letter_can_be_made_there(folder):
    from learners import run_notebook

    for name in ("iep-meeting-sheet", "aide-sheets"):
        nb = run_notebook(folder / f"{name}.ipynb")
        outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
        assert outputs and all(o.output_type == "display_data" for o in outputs), outputs
    driver = ("import gc\nfrom course_lib.tools.letters import LetterBuilder\n"
              "view = next(o for o in gc.get_objects() if isinstance(o, LetterBuilder))\n"
              "view.box('parent_name').value = 'Zoë'\nview.box('child_name').value = 'محمد'\n"
              "view.box('school').value = 'Lincoln'\nassert view.make(), view.status.value\n")
    nb = run_notebook(folder / "letters.ipynb", driver)
    assert not [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    saved = json.loads((folder / ANSWERS_FILE).read_text(encoding="utf-8"))
    assert saved["lesson"] == "tools" and saved["answers"]["letters/entries"]["value"]["child_name"] == "محمد"


# -- a real browser ----------------------------------------------------------------------------------


def _files_under(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if ".ipynb_checkpoints" not in p.parts}


@pytest.fixture(scope="module")
def tools_site(tmp_path_factory):
    """A real standalone Voila serving only the tools folder as a build writes it, in English and Spanish
    (letters.es.ipynb ...), read-only, on 127.0.0.1."""
    from conftest import start_voila, stop

    from course_lib.publish.editions import write_tools
    from course_lib.publish.pages import SELF_PACED_PLACES

    root = tmp_path_factory.mktemp("site")
    write_tools(CourseLayout(ROOT), root, SELF_PACED_PLACES, ("en", "es"))
    proc, url = start_voila(root, root.parent / "voila-tools.log")
    yield root, url
    stop(proc)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_a_visitor_on_a_phone_fills_a_letter_downloads_it_and_nothing_is_kept(tools_site, phone, tmp_path):
    from playwright.sync_api import expect

    root, url = tools_site
    before = _files_under(root)
    phone.goto(f"{url}/voila/render/tools/letters.ipynb", timeout=90_000)
    phone.get_by_role("button", name="Make my letter").wait_for(timeout=90_000)
    phone.get_by_label("Which letter?").select_option(label="4. Ask for an IEP meeting with the OT")
    phone.get_by_label("Your name").fill("Zoë O'Brien")
    phone.get_by_label("Your child's full name").fill("محمد")
    phone.get_by_label("Your child's school").fill("Lincoln </textarea><script>alert(1)</script>")
    phone.get_by_label("What you want to talk about at the meeting").fill("Handwriting {\\rtf1 \\par} goals")
    phone.get_by_role("button", name="Make my letter").click()
    letter = phone.locator(".course-doc")
    expect(letter).to_contain_text("Please invite محمد's occupational therapist", timeout=20_000)
    expect(letter).to_contain_text("Lincoln </textarea><script>alert(1)</script>")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.set_viewport_size({"width": 375, "height": 4200})  # the whole page at phone width, to look at
    phone.screenshot(path=str(tmp_path / "letter-375.png"))
    phone.set_viewport_size({"width": 375, "height": 812})

    with phone.expect_download() as got:
        phone.get_by_role("link", name="Plain text (.txt)").click()
    text = Path(got.value.path()).read_text(encoding="utf-8-sig")
    assert got.value.suggested_filename.startswith("letter-meeting-") and got.value.suggested_filename.endswith(".txt")
    assert "Zoë O'Brien" in text and "محمد" in text and "34 CFR 300.321(a)(6)" in text
    assert "Handwriting {\\rtf1 \\par} goals" in text
    with phone.expect_download() as got:
        phone.get_by_role("link", name="Document (.rtf)").click()
    rtf = Path(got.value.path()).read_text(encoding="ascii")
    assert rtf.startswith("{\\rtf1") and braces_balance(rtf) and "محمد" in rtf_to_text(rtf)

    phone.emulate_media(media="print")  # what Ctrl+P prints: the letter, not the boxes around it
    expect(phone.get_by_label("Your name")).to_be_hidden()
    expect(letter).to_be_visible()
    phone.emulate_media(media="screen")
    assert _files_under(root) == before


@pytest.mark.browser
@pytest.mark.slow
def test_the_tools_pages_pass_an_accessibility_check_at_phone_width(tools_site, phone):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    _root, url = tools_site
    found = {}
    widest = ("Math.max(...[...document.querySelectorAll('.course-tool, .course-doc')]"
              ".map(e => e.getBoundingClientRect().right))")
    for name, buttons in (("letters", []), ("iep-meeting-sheet", ["Make my sheet"]),
                          ("aide-sheets", ["Make the data sheet", "Make the strategy card", "Make the checklist"])):
        phone.goto(f"{url}/voila/render/tools/{name}.ipynb", timeout=90_000)
        phone.get_by_role("button", name=(buttons or ["Make my letter"])[0]).wait_for(timeout=90_000)
        for button in buttons:
            phone.get_by_role("button", name=button).click()
        expect(phone.locator(".course-doc")).to_have_count(len(buttons), timeout=20_000)
        bad = [v for v in Axe().run(phone).response["violations"] if v["impact"] in ("critical", "serious")]
        if bad:
            found[name] = [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in bad]
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, name
        assert phone.evaluate(widest) <= 375, f"{name}: something is wider than the phone"
    assert found == {}, json.dumps(found, indent=1)


@pytest.mark.browser
@pytest.mark.slow
def test_a_spanish_parent_on_a_phone_fills_the_form_in_spanish_and_gets_the_letter_in_english_and_spanish(
        tools_site, phone):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    _root, url = tools_site
    phone.goto(f"{url}/voila/render/tools/letters.es.ipynb", timeout=90_000)
    make = phone.get_by_role("button", name="Hacer mi carta")
    make.wait_for(timeout=90_000)
    assert phone.evaluate("document.documentElement.lang") == "es"
    phone.get_by_label("¿Qué carta?").select_option(label="5. Pedir un aviso previo por escrito")
    ask = phone.get_by_label("Pedir los avisos de la escuela en español, y un intérprete en las reuniones del IEP")
    expect(ask).to_be_checked()
    expect(phone.get_by_label("Idioma en que quiere el aviso (opcional)")).to_have_count(0)  # the tick asks for it
    ask.uncheck()
    expect(phone.get_by_label("Idioma en que quiere el aviso (opcional)")).to_be_visible()
    ask.check()
    expect(phone.get_by_label("Idioma en que quiere el aviso (opcional)")).to_have_count(0)
    phone.get_by_label("Su nombre").fill("Ana Torres")
    phone.get_by_label("Nombre completo de su hijo").fill("Leo Núñez")
    phone.get_by_label("Escuela de su hijo").fill("Lincoln Elementary")
    phone.get_by_label("Lo que le pidió a la escuela").fill("Evaluar a Leo con un terapeuta ocupacional")
    make.click()
    letter = phone.locator(".course-doc")
    expect(letter).to_contain_text("I asked the school to evaluar a Leo", timeout=20_000)
    for said in ("My native language is Spanish", "Sincerely,", "La misma carta en español, para usted",
                 "Le pedí esto a la escuela: evaluar a Leo con un terapeuta ocupacional.",
                 "Mi lengua materna es el español", "Atentamente,", "Una nota para usted (no envíe esta parte)"):
        expect(letter).to_contain_text(said)
    assert phone.evaluate("document.querySelector('.course-doc [lang=en]').textContent").startswith("Ana Torres")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    with phone.expect_download() as got:
        phone.get_by_role("link", name="Texto simple (.txt)").click()
    text = Path(got.value.path()).read_text(encoding="utf-8-sig")
    assert text.index("Dear Sir or Madam,") < text.index("A quien corresponda:") and "Leo Núñez" in text
    with phone.expect_download() as got:
        phone.get_by_role("link", name="Documento (.rtf)").click()
    rtf = rtf_to_text(Path(got.value.path()).read_text(encoding="ascii"))
    assert "I asked the school to" in rtf and "Le pedí esto a la escuela" in rtf and "Leo Núñez" in rtf

    phone.emulate_media(media="print")
    expect(phone.get_by_label("Su nombre")).to_be_hidden()
    expect(letter).to_be_visible()
    phone.emulate_media(media="screen")
    bad = [(v["id"], v["help"]) for v in Axe().run(phone).response["violations"]
           if v["impact"] in ("critical", "serious")]
    assert bad == []


def longest(field) -> str:
    """The most a box takes, in wide words: as many lines as it allows, each as long as it can be (a
    date box: the longest date it writes)."""
    if field.kind == "date":
        return "2026-09-30"  # September 30, 2026
    lines = field.lines or 1
    per_line = (field.max - (lines - 1)) // lines
    line = ("Wide words " * field.max)[:per_line].strip()
    return "\n".join([line] * lines)


@pytest.mark.browser
@pytest.mark.slow
def test_the_printable_pages_fit_the_pages_they_promise(browser, content, spanish):
    """The meeting sheet at its longest fits one page; so do the aides' sheets; a letter is two
    pages, the letter and then the note for the parent; in Spanish three, the letter to send, the parent's
    copy, the note (Chromium's own print to PDF)."""
    def full(field_ids):
        return {f: longest(content.fields[f]) for f in field_ids}

    spec = content.meeting_sheet
    sheet = full([*spec["fields"], "own_questions", "own_invite", "own_bring"]) | {
        "questions": spec["ot_questions"][-spec["most_questions"]:], "invite": spec["invite"], "bring": spec["bring"]}
    letter = content.letters["stay-put"]
    long_letter = full(letter.fields) | {"open_to_mediation": True}
    cases = {
        "meeting sheet": (tools.compose_meeting_sheet(content, sheet), 1),
        "data sheet": (tools.compose_data_sheet(content, full(content.data_sheet["fields"]) | {
            f: True for f in content.data_sheet["measures"]} | {"rows": max(content.data_sheet["row_choices"])}), 1),
        "strategy card": (tools.compose_strategy_card(content, full(content.strategy_card["fields"])), 1),
        "first week": (tools.compose_first_week(content, full(content.first_week["contacts"])), 1),
        "letter": (compose_letter(content, letter, long_letter, TODAY), 2),
        "letter in Spanish": (compose_bilingual_letter(content, spanish, "stay-put", {
            **PARENT, **REALISTIC["stay-put"], IN_MY_LANGUAGE: True}, TODAY), 3),
    }
    page = browser.new_page()
    pages = {}
    for name, (doc, _want) in cases.items():
        page.set_content(to_html_page(doc))
        pages[name] = len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="Letter")))
    page.close()
    assert pages == {name: want for name, (_doc, want) in cases.items()}


def test_data_links_carry_the_whole_file(content):
    letter = content.letters["notice"]
    doc = compose_letter(content, letter, required_values(letter, content), TODAY)
    got = data_files(download_links(doc, "your letter"))
    assert got[f"{doc.slug}.txt"].decode("utf-8-sig") == to_text(doc)
    assert got[f"{doc.slug}.rtf"].decode("ascii") == to_rtf(doc)


def test_the_tools_read_at_about_8th_grade():
    """Notes, help and sheets at grade 8 or easier; the letters themselves, which must use the law's
    own words (independent educational evaluation, prior written notice), at grade 9 or easier."""
    textstat = pytest.importorskip("textstat")
    data = yaml.safe_load((TOOLS / "tools.yaml").read_text(encoding="utf-8"))

    def grade(texts):
        text = re.sub(r"\([^()]*(CFR|U\.S\.C\.|AOTA|\d{4})[^()]*\)", "", " ".join(texts))
        return textstat.flesch_kincaid_grade(re.sub(r"\{[a-z_]+\}", "Sam", text))

    grades = {f"{lid} letter": (grade([p if isinstance(p, str) else p["text"] for p in spec["body"]]), 9.0)
              for lid, spec in data["letters"].items()}
    grades |= {f"{lid} note": (grade(spec["note"] + spec.get("attach", {}).get("items", [])), 8.0)
               for lid, spec in data["letters"].items()}
    grades["help"] = (grade(data["help"]["paragraphs"]), 8.0)
    sheet = data["meeting_sheet"]
    grades["meeting sheet"] = (grade(sheet["ot_questions"] + sheet["good_to_know"]), 8.0)
    grades["aides' sheets"] = (grade(data["data_sheet"]["rules"] + data["first_week"]["checklist"]
                                     + data["strategy_card"]["stop_and_tell"]), 8.0)
    for nb in TOOLS.glob("*.ipynb"):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        grades[nb.name] = (grade(["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]), 8.0)
    assert {name: round(g, 1) for name, (g, most) in grades.items() if g > most} == {}


# -- in Spanish: the form in Spanish, the letter to send in English with the same letter in Spanish --------------

SPANISH_AWKWARD = {"to_name": "Estimada Sra. Rivera,", "to_title": "", "child_name": "  María José   García ",
                   "child_called": "María José", "parent_name": "محمد Haddad"}


@pytest.fixture(scope="module")
def spanish():
    return load_tools(TOOLS, "es")


def _spanish_letter(content, spanish, letter_id, values, asks=True):
    """The bilingual letter made from what a parent types on the Spanish form (cleaned by that form's boxes)."""
    letter = spanish.letters[letter_id]
    fields = {f: (False if spanish.fields[f].kind == "tick" else "") for f in letter.fields}
    cleaned, problems = clean_all([spanish.fields[f] for f in letter.fields], {**fields, **values})
    assert problems == [], problems
    return compose_bilingual_letter(content, spanish, letter_id, {**cleaned, IN_MY_LANGUAGE: asks}, TODAY)


def _parts(doc):
    """The English letter to send, the parent's copy in Spanish and the note for them, each as its blocks."""
    kinds = [b.kind for b in doc.blocks]
    start, end = kinds.index("language-start"), kinds.index("language-end")
    notes = [i for i, k in enumerate(kinds) if k == "note"]
    return doc.blocks[start + 1:end], doc.blocks[notes[0] + 1:notes[1]], doc.blocks[notes[1]:]


def _text_of(blocks):
    return "\n".join(line for b in blocks for line in b.text())


def _own_words(blocks):
    """What the course wrote in ``blocks``, without what the parent typed."""
    return "\n".join("".join(text for text, typed in item if not typed) for b in blocks for item in b.items)


def test_the_tools_in_spanish_have_every_word_of_the_english_over_the_same_structure(content, spanish):
    from course_lib.tools.content import translation_problems

    assert translation_problems(TOOLS, "es") == []
    assert list(spanish.letters) == list(content.letters) and list(spanish.fields) == list(content.fields)
    for lid, letter in spanish.letters.items():
        english = content.letters[lid]
        assert (letter.fields, letter.cites, letter.address) == (english.fields, english.cites, english.address)
        assert [(p.only_if, p.unless) for p in letter.body] == [(p.only_if, p.unless) for p in english.body]
    assert [(f.kind, f.max, f.required) for f in spanish.fields.values()] == \
        [(f.kind, f.max, f.required) for f in content.fields.values()]


@pytest.mark.parametrize("letter_id", list(load_tools(TOOLS).letters))
def test_each_spanish_letter_is_the_english_letter_to_send_then_the_same_in_spanish_for_the_parent(
        content, spanish, letter_id):
    from course_lib.publish.languages import english_sentences

    values = {**PARENT, **REALISTIC[letter_id]}
    doc = _spanish_letter(content, spanish, letter_id, values)
    sent, copy, note = (_text_of(part) for part in _parts(doc))
    own = "\n".join(_own_words(part) for part in _parts(doc)[1:])
    name = REALISTIC[letter_id].get("to_name", PARENT["to_name"]) or "Director of special education"
    assert f"Dear {name}," in sent and "March 4, 2027" in sent and "(date of birth: June 14, 2018)" in sent
    assert f"Apreciable {name}:" in copy and "4 de marzo de 2027" in copy and "14 de junio de 2018" in copy
    assert "Sincerely," in sent and "Atentamente," in copy and "A note for you" not in _text_of(doc.blocks)
    for cite in content.letters[letter_id].cites:
        assert cite in sent and cite in copy, cite
    assert "My native language is Spanish. Please send me the school's written notices about Leo in Spanish" in sent
    assert "Mi lengua materna es el español" in copy and "300.322(e)" in sent and "300.322(e)" in copy
    assert "Una nota para usted (no envíe esta parte)" in note and "Dónde recibir ayuda" in note
    assert english_sentences(own, "es") == [], letter_id
    assert doc.language == "es" and doc.blocks[0].kind == "language-start" and doc.blocks[0].texts == ["en"]


@pytest.mark.parametrize("asks", [True, False])
@pytest.mark.parametrize("letter_id", list(load_tools(TOOLS).letters))
def test_a_spanish_letters_english_part_is_the_english_letter_for_the_same_entries(content, spanish, letter_id, asks):
    values = {**PARENT, **REALISTIC[letter_id]}
    sent, _copy, _note = _parts(_spanish_letter(content, spanish, letter_id, values, asks))
    letter = content.letters[letter_id]
    fields = {f: (False if content.fields[f].kind == "tick" else "") for f in letter.fields}
    cleaned, _problems = clean_all([content.fields[f] for f in letter.fields], {**fields, **values})
    english = compose_letter(content, letter, {**cleaned, IN_MY_LANGUAGE: asks}, TODAY, native="es").blocks
    assert list(sent) == english[:[b.kind for b in english].index("note")]
    said = _text_of(sent)
    assert ("My native language is Spanish" in said) is asks


@pytest.mark.parametrize("letter_id", list(load_tools(TOOLS).letters))
def test_each_spanish_letter_comes_out_well_from_awkward_typing(content, spanish, letter_id):
    sent, copy, _note = (_text_of(part) for part in _parts(
        _spanish_letter(content, spanish, letter_id, {**PARENT, **REALISTIC[letter_id], **SPANISH_AWKWARD})))
    assert "Dear Sra. Rivera,\n" in sent and "Apreciable Sra. Rivera:\n" in copy  # "Estimada" taken off, once
    assert "Estimada" not in sent and "Estimada" not in copy
    for part, greeting in ((sent, "Dear "), (copy, "Apreciable ")):
        body = part[part.index(greeting):]
        assert body.count("María José García") == 1 and "محمد Haddad" in part and ".." not in body


def test_asking_for_spanish_covers_the_letters_own_boxes_for_a_language(content, spanish):
    """The notice in Spanish and an interpreter at the meeting are asked for once, by the sentence the tick adds."""
    values = {**PARENT, **REALISTIC["notice"]}
    asked = _text_of(_parts(_spanish_letter(content, spanish, "notice", values))[0])
    assert "Please write the notice in" not in asked and asked.count("(34 CFR 300.503(c))") == 1
    not_asked = _text_of(_parts(_spanish_letter(content, spanish, "notice", values, asks=False))[0])
    assert "Please write the notice in Spanish." in not_asked and "My native language" not in not_asked


def test_a_parent_makes_a_spanish_letter_and_gets_both_in_every_download(folder):
    from course_lib.publish.languages import english_sentences

    view = tools.letter_builder(folder, mode="learn", today=TODAY, language="es")
    assert view.chooser.description == "¿Qué carta?" and view.make_button.description == "Hacer mi carta"
    labels = [b.description for b in view.fields_box.children]
    assert "Su nombre" in labels and labels[-1].startswith("Pedir los avisos de la escuela en español")
    assert view.box(IN_MY_LANGUAGE).value is True
    assert "La carta para enviar" not in view.widget.children[0].value and "en inglés" in view.widget.children[0].value
    assert view.make() is False and "Por favor, llene: Su nombre" in html.unescape(view.status.value)
    fill(view, **NAMES)
    assert view.make() is True, view.status.value
    assert "Abajo puede ver su carta." in view.status.value
    got = data_files(view.downloads.value)
    text = got["letter-evaluation-2027-03-04.txt"].decode("utf-8-sig")
    rtf = rtf_to_text(got["letter-evaluation-2027-03-04.rtf"].decode("ascii"))
    page = got["letter-evaluation-2027-03-04.html"].decode("utf-8")
    for made in (text, rtf, html.unescape(page)):
        assert "I am asking the school to do a full initial evaluation" in made  # the letter to send
        assert "Pido que la escuela haga una evaluación inicial completa" in made  # the same, for the parent
        assert "李小龍" in made and "March 4, 2027" in made and "4 de marzo de 2027" in made
        assert made.index("Sincerely,") < made.index("La misma carta en español") < made.index("Atentamente,")
    assert '<html lang="es">' in page and '<div lang="en">' in page and "Para imprimir esta página" in page
    assert html.unescape(view.downloads.value).count("Descargar su carta") == 1
    assert english_sentences(views.text_of(view.status.value + view.downloads.value), "es") == []
    saved = json.loads((folder / ANSWERS_FILE).read_text(encoding="utf-8"))
    assert saved["language"] == "es" and saved["answers"]["letters/entries"]["value"][IN_MY_LANGUAGE] is True
    english = tools.letter_builder(folder, mode="learn", today=TODAY)  # the same entries, on the English page
    assert english.box("child_name").value == "李小龍" and IN_MY_LANGUAGE not in english.boxes


def test_on_the_spanish_form_the_tick_hides_the_boxes_it_covers_and_refusals_are_in_spanish(folder):
    view = tools.letter_builder(folder, mode="view", today=TODAY, language="es")
    view.chooser.value = "meeting"
    interpreter = "Idioma para el que necesita un intérprete (opcional)"
    assert interpreter not in [b.description for b in view.fields_box.children]
    view.box(IN_MY_LANGUAGE).value = False
    assert interpreter in [b.description for b in view.fields_box.children]
    fill(view, **{**NAMES, "parent_name": "x" * 200, "reason": "Su escritura"}, asked_date=None)
    assert view.make() is False
    said = html.unescape(view.status.value)
    assert "La casilla “Su nombre” tiene 200 caracteres. Por favor, acórtela a 100 caracteres o menos." in said
    view.chooser.value = "stay-put"
    fill(view, parent_name="Ana", change="bajar la terapia", current_services="60 minutos")
    assert view.make() is False and "Primero presente su queja de debido proceso" in html.unescape(view.status.value)
    fill(view, filed_date=date(2027, 3, 12))
    assert "es después de la fecha de esta carta (4 de marzo de 2027)" in html.unescape(
        (view.make(), view.status.value)[1])


def test_the_spanish_meeting_and_aides_sheets_are_in_spanish_and_keep_ticks_across_languages(folder, content, spanish):
    from course_lib.publish.languages import english_sentences

    english = tools.meeting_sheet(folder, mode="learn")
    first = content.meeting_sheet["ot_questions"][0]
    english.questions[first].value = True
    assert english.make() is True
    view = tools.meeting_sheet(folder, mode="learn", language="es")
    assert view.questions[spanish.meeting_sheet["ot_questions"][0]].value is True  # the same question, in Spanish
    assert view.make() is True
    sheet = data_files(view.downloads.value)["iep-meeting-sheet.txt"].decode("utf-8-sig")
    assert "Mi hoja para la reunión del IEP" in sheet and "1. ¿Qué mostró su evaluación" in sheet
    assert "Mis preguntas para el terapeuta ocupacional" in sheet and english_sentences(sheet, "es") == []
    for compose in (tools.compose_data_sheet, tools.compose_strategy_card, tools.compose_first_week):
        doc = compose(spanish, {"student": "L. M.", "measure_prompt": True, "strategy": "agarrador para lápiz"})
        said = to_text(doc)
        assert doc.language == "es" and english_sentences(said, "es") == [], said
    assert "Niveles de ayuda: S = lo hizo solo" in to_text(tools.compose_data_sheet(spanish, {"measure_prompt": True}))


def test_the_spanish_tools_read_easily():
    """Fernández-Huerta reading ease 70 or more for every letter, note, the help, the sheets and the pages
    (the lessons' floor: docs/authoring.md)."""
    textstat = pytest.importorskip("textstat")
    data = yaml.safe_load((TOOLS / "tools.es.yaml").read_text(encoding="utf-8"))

    def ease(texts):
        text = re.sub(r"\([^()]*(CFR|U\.S\.C\.|AOTA|\d{4})[^()]*\)", "", " ".join(texts))
        textstat.set_lang("es")
        try:
            return textstat.fernandez_huerta(re.sub(r"[#*]", "", re.sub(r"\{[a-z_]+\}", "Sam", text)))
        finally:
            textstat.set_lang("en_US")

    figures = {f"{lid} letter": ease([p if isinstance(p, str) else p["text"] for p in spec["body"]])
               for lid, spec in data["letters"].items()}
    figures |= {f"{lid} note": ease(spec["note"] + spec.get("attach", {}).get("items", []))
                for lid, spec in data["letters"].items()}
    figures |= {"help": ease(data["help"]["paragraphs"]), "pages": ease(list(data["cells"].values())),
                "meeting sheet": ease(data["meeting_sheet"]["ot_questions"] + data["meeting_sheet"]["good_to_know"]),
                "aides' sheets": ease(data["data_sheet"]["rules"] + data["first_week"]["checklist"]
                                      + data["strategy_card"]["stop_and_tell"])}
    assert {name: round(e) for name, e in figures.items() if e < 70} == {}
