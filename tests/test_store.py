"""Saved answers survive restarts, never half-written, and a damaged file never loses them."""

import json

from course_lib.store import ACTIVITY, ANSWERS_FILE, ResponseStore


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
    assert ResponseStore(tmp_path / ANSWERS_FILE, "L1").keys() == [ACTIVITY, "questions/a", "questions/b"]


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
    assert ResponseStore(path, "L1").keys() == [ACTIVITY, "questions/a", "questions/b"]


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


def test_the_time_spent_counts_the_learners_own_actions_and_not_a_long_pause(tmp_path, monkeypatch):
    """Opened at 10:00, answers at 10:04 and 10:10, away for lunch, back at 11:30 and done at 11:33:
    13 minutes, not an hour and a half; the clock going back counts nothing."""
    import datetime as dt

    from course_lib import store as store_module

    moments = iter(dt.datetime(2026, 11, 2, h, m, tzinfo=dt.UTC) for h, m in
                   ((10, 0), (10, 4), (10, 10), (11, 30), (11, 33), (11, 20)))

    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return next(moments)

    monkeypatch.setattr(store_module, "datetime", Clock)
    store = ResponseStore(tmp_path / ANSWERS_FILE, "L1")
    assert store.seconds_active() is None
    store.note_activity()
    store.save("questions/a", "x")
    store.save("questions/b", "y")
    store.note_activity()
    store.save("checked/lesson", {"score": 1})
    assert ResponseStore(tmp_path / ANSWERS_FILE, "L1").seconds_active() == 13 * 60
    store.save("questions/a", "z")  # the clock went back
    assert ResponseStore(tmp_path / ANSWERS_FILE, "L1").seconds_active() == 13 * 60
