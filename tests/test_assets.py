"""Every image has alt text, in assets/ and in every lesson."""

import json
import re

import yaml
from conftest import ROOT

IMAGE = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.I)
MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]+)\)")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)


def test_every_image_in_assets_has_real_alt_text():
    alt = yaml.safe_load((ROOT / "assets" / "alt-text.yaml").read_text()) or {}
    for image in (p for p in (ROOT / "assets").rglob("*") if IMAGE.search(p.name)):
        text = alt.get(image.name, "")
        assert len(text.split()) >= 3 and image.stem not in text, f"{image.name} needs alt text in alt-text.yaml"


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
