"""Saved answers survive restarts, never half-written, and a damaged file never loses them."""

import json

from course_lib.store import ANSWERS_FILE, ResponseStore


def test_an_answer_saved_comes_back_in_a_new_session(tmp_path):
    ResponseStore(tmp_path / ANSWERS_FILE, "L1").save("questions/q", "b")
    again = ResponseStore(tmp_path / ANSWERS_FILE, "L1")
    assert again.get("questions/q") == "b"
    assert again.saved_at("questions/q")


def test_saving_leaves_no_temporary_files(tmp_path):
    store = ResponseStore(tmp_path / ANSWERS_FILE, "L1")
    for i in range(5):
        store.save(f"questions/q{i}", "a")
    assert sorted(p.name for p in tmp_path.iterdir()) == [ANSWERS_FILE]


def test_two_open_copies_of_a_lesson_do_not_erase_each_others_answers(tmp_path):
    first = ResponseStore(tmp_path / ANSWERS_FILE, "L1")
    second = ResponseStore(tmp_path / ANSWERS_FILE, "L1")
    first.save("questions/a", "x")
    second.save("questions/b", "y")
    assert ResponseStore(tmp_path / ANSWERS_FILE, "L1").keys() == ["questions/a", "questions/b"]


def test_a_damaged_file_is_copied_aside_with_a_clear_message(tmp_path):
    path = tmp_path / ANSWERS_FILE
    path.write_text('{"answers": {"questions/q": {"value": "b"', encoding="utf-8")
    store = ResponseStore(path, "L1")
    assert "damaged" in store.problem and "copy" in store.problem
    copies = list(tmp_path.glob("my-answers.damaged-*.json"))
    assert len(copies) == 1 and copies[0].read_text().startswith('{"answers"')
    store.save("questions/q", "c")  # the learner can carry on
    assert ResponseStore(path, "L1").get("questions/q") == "c"
    assert copies[0].exists()


def test_a_file_damaged_while_the_lesson_is_open_is_copied_before_it_is_replaced(tmp_path):
    path = tmp_path / ANSWERS_FILE
    store = ResponseStore(path, "L1")
    store.save("questions/a", "x")
    path.write_text("not json", encoding="utf-8")
    store.save("questions/b", "y")
    assert [p.read_text() for p in tmp_path.glob("my-answers.damaged-*.json")] == ["not json"]
    assert ResponseStore(path, "L1").keys() == ["questions/a", "questions/b"]


def test_answers_of_another_lesson_are_not_mixed_in(tmp_path):
    ResponseStore(tmp_path / ANSWERS_FILE, "L1").save("questions/q", "a")
    other = ResponseStore(tmp_path / ANSWERS_FILE, "L2")
    assert other.get("questions/q") is None
    assert "belongs to another lesson" in other.problem


def test_read_only_store_never_writes_even_a_damaged_copy(tmp_path):
    path = tmp_path / ANSWERS_FILE
    path.write_text("garbage", encoding="utf-8")
    store = ResponseStore(path, "L1", writable=False)
    assert "damaged" in store.problem
    store.save("questions/q", "a")
    assert store.get("questions/q") == "a"  # remembered on the page only
    assert sorted(p.name for p in tmp_path.iterdir()) == [ANSWERS_FILE]
    assert path.read_text() == "garbage"


def test_the_file_is_plain_readable_json(tmp_path):
    ResponseStore(tmp_path / ANSWERS_FILE, "L1").save("reflections/r", "Zoë’s idea, with “quotes”")
    data = json.loads((tmp_path / ANSWERS_FILE).read_text(encoding="utf-8"))
    assert data["lesson"] == "L1" and data["answers"]["reflections/r"]["value"].startswith("Zoë")
