"""Every image has alt text, in assets/ and in every lesson."""

import base64
import json
import re

import yaml
from conftest import ROOT

IMAGE = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.I)
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]+)\)")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
IN_LANGUAGE = re.compile(r"^.+\.([a-z]{2})\.\w+$")  # a picture with its words in a language: iep-cycle.es.svg


def test_every_image_in_assets_has_real_alt_text_in_its_language():
    """iep-cycle.svg in alt-text.yaml; iep-cycle.es.svg, its words in Spanish, in alt-text.es.yaml."""
    for image in (p for p in (ROOT / "assets").rglob("*") if IMAGE.search(p.name)):
        language = IN_LANGUAGE.match(image.name)
        alt_file = f"alt-text.{language.group(1)}.yaml" if language else "alt-text.yaml"
        text = (yaml.safe_load((ROOT / "assets" / alt_file).read_text(encoding="utf-8")) or {}).get(image.name, "")
        assert len(text.split()) >= 3 and image.stem not in text, f"{image.name} needs alt text in {alt_file}"


def test_a_spanish_lesson_shows_its_spanish_picture_with_its_spanish_alt_text(tmp_path):
    import shutil

    import course_lib

    folder = shutil.copytree(ROOT / "notebooks" / "04-ot-in-the-iep", tmp_path / "04-ot-in-the-iep")
    shutil.copytree(ROOT / "assets", folder / "assets")  # as an edition has them, beside the lesson
    english = course_lib.open_lesson(folder, "view").picture("iep-cycle.svg").value
    spanish = course_lib.open_lesson(folder, "view", "es").picture("iep-cycle.svg").value
    assert 'alt="The IEP cycle in six steps' in english and 'alt="El ciclo del IEP en seis pasos' in spanish
    drawn = base64.b64decode(re.search(r'base64,([^"]+)"', spanish).group(1)).decode("utf-8")
    assert "Pida una evaluación" in drawn and "Ask for an evaluation" not in drawn and 'xml:lang="es"' in drawn


def test_every_picture_a_lesson_shows_has_alt_text_and_reaches_the_page_with_it(sample):
    import course_lib

    lesson = course_lib.open_lesson(sample)
    (sample / "assets").mkdir()
    (sample / "assets" / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (sample / "assets" / "alt-text.yaml").write_text("dot.svg: A single dot on a white page.\n")
    html = lesson.picture("dot.svg").value
    assert 'alt="A single dot on a white page."' in html and 'src="data:image/svg+xml;base64,' in html


def test_every_image_in_a_lesson_has_alt_text():
    for nb_path in (ROOT / "notebooks").rglob("*.ipynb"):
        for cell in json.loads(nb_path.read_text(encoding="utf-8"))["cells"]:
            src = "".join(cell["source"])
            for alt, target in MD_IMAGE.findall(src):
                assert len(alt.split()) >= 3, f"{nb_path.name}: image {target} needs alt text"
            for tag in HTML_IMG.findall(src):
                assert re.search(r'alt="[^"]{10,}"', tag), f"{nb_path.name}: {tag} needs alt text"
