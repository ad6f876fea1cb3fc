"""The web view holds against strangers: checked hosts, kernels only for real page views and
within caps, each kernel reachable only from the page that opened it, no traceback sent, a page
that lost its kernel says so, strict security headers, the course's own error pages (real
standalone Voila on 127.0.0.1, raw HTTP and websocket clients, real Chromium)."""

from __future__ import annotations

import http.server
import json
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import free_port, start_voila, stop
from playwright.sync_api import expect
from tornado.httpclient import HTTPClientError
from webtools import (
    NAVIGATION,
    OTHER_PAGE,
    PAGE,
    READY,
    Jar,
    comm_msg,
    fetch,
    kernel_id,
    kernels,
    read_message,
    talk_to_kernel,
    wait_for,
    widget_ids,
)

from course_lib.web import SETTINGS, voila_command
from course_lib.web.channels import frame, withheld

pytestmark = [pytest.mark.slow]

PUBLIC_NAME = "course.example.org"
LEAKS = ("Traceback", "/work/", "/tmp/", "site-packages", ".py\"", "Voilà")


@contextmanager
def server(released_course, tmp_path, **options):
    """A Voila of the test's own (its kernel count is the test's alone); Voila's defaults unless told."""
    options.setdefault("tuned", False)
    proc, url = start_voila(released_course.self_paced, tmp_path / "voila.log", **options)
    try:
        yield proc, url
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def shared(released_course, tmp_path_factory):
    """One server for the checks that leave no kernel behind; also answers to a public name."""
    with server(released_course, tmp_path_factory.mktemp("shared"), allowed_hosts=(PUBLIC_NAME,)) as running:
        yield running


def spare(layout) -> int:
    """How many kernels the tuned settings start ahead of visitors: the pool size of each page served,
    and the warm kernels any page can take."""
    from course_lib.web import TUNED_CONFIG

    config = json.loads((TUNED_CONFIG / "voila.json").read_text())["VoilaConfiguration"]
    pools = config.get("kernel_pools_config", {})
    default = pools.get("default", {}).get("pool_size", config.get("default_pool_size", 1))
    pages = [p.relative_to(layout.self_paced).as_posix() for p in layout.self_paced.rglob("*.ipynb")
             if ".ipynb_checkpoints" not in p.parts]
    return sum(pools.get(page, {}).get("pool_size", default) for page in pages) + SETTINGS["warm_kernels"].default


def visit(url: str, path: str = PAGE, cookie: str | None = None, **headers):
    """A browser's page view, as the server sees it (Fetch Metadata of a typed or same-site navigation)."""
    headers = {**NAVIGATION, **headers, **({"Cookie": cookie} if cookie else {})}
    return fetch(url + path, headers)


def close(url: str, page) -> int:
    """The page's owner shuts its kernel down (what closing the tab does)."""
    xsrf = re.search(r"_xsrf=([^;]*)", page.cookie_header()).group(1)
    return fetch(f"{url}/api/kernels/{kernel_id(page.body)}", {"Cookie": page.cookie_header(), "X-XSRFToken": xsrf},
                 "DELETE").status


# -- 1. hosts and origins -------------------------------------------------------------------------

def test_a_foreign_host_name_gets_a_plain_refusal_and_no_kernel(shared):
    proc, url = shared
    port = url.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", "127.0.0.1"):
        reply = visit(url, Host=host)
        assert reply.status == 400, host
        assert "<" not in reply.body and "kernelId" not in reply.body
    assert kernels(proc) == 0
    # The names it serves: itself and the public name it was given (`course view --host ...`).
    for host in (f"localhost:{port}", PUBLIC_NAME):
        page = visit(url, Host=host)
        assert page.status == 200 and kernel_id(page.body), host
        assert close(url, page) == 204
    assert wait_for(lambda: kernels(proc) == 0, 30)


def test_another_site_cannot_open_a_kernels_websocket_or_end_it(shared):
    proc, url = shared
    page = visit(url)
    with pytest.raises(HTTPClientError) as refused:
        talk_to_kernel(url, kernel_id(page.body), cookie=page.cookie_header(), origin="http://evil.example")
    assert refused.value.code == 403
    xsrf = re.search(r"_xsrf=([^;]*)", page.cookie_header()).group(1)
    ending = fetch(f"{url}/voila/api/shutdown/{kernel_id(page.body)}",
                   {"Cookie": page.cookie_header(), "Origin": "http://evil.example"}, "POST", f"_xsrf={xsrf}".encode())
    assert ending.status == 403 and kernels(proc) == 1
    # The same requests from the course's own origin go through.
    assert talk_to_kernel(url, kernel_id(page.body), cookie=page.cookie_header(), origin=url, listen=1)
    assert close(url, page) == 204
    assert wait_for(lambda: kernels(proc) == 0, 30)


# -- 2. a kernel only for a real page view, within caps --------------------------------------------

def test_requests_that_are_not_a_page_view_get_a_small_page_and_start_no_kernel(shared):
    proc, url = shared
    not_page_views = [
        {},  # curl
        {"User-Agent": "Slackbot-LinkExpanding 1.0", "Accept": "text/html"},  # a link preview
        {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "empty"},  # fetch(no-cors)
        {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"},  # a frame
        {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors", "Sec-Fetch-Dest": "empty"},  # a script's fetch
        {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"},  # a link
    ]
    for headers in not_page_views:
        reply = fetch(url + PAGE, headers)
        assert reply.status == 200 and "Opening the lesson" in reply.body and "kernelId" not in reply.body, headers
    assert kernels(proc) == 0
    page = visit(url)  # the same server does start one for a page view
    assert kernels(proc) == 1
    assert close(url, page) == 204
    assert wait_for(lambda: kernels(proc) == 0, 30)


def test_a_browser_too_old_for_fetch_metadata_gets_in_through_the_opening_page(shared):
    proc, url = shared
    opening = fetch(url + PAGE)
    link = re.search(r'url=([^"]+)"', opening.body).group(1)
    assert link.startswith(PAGE + "?visit=")
    assert "kernelId" not in fetch(url + PAGE + "?visit=0123456789abcdef01234567").body  # a made-up token
    page = fetch(url + link)  # no Fetch Metadata, as an old browser would send
    assert page.status == 200 and kernel_id(page.body)
    assert close(url, page) == 204
    assert wait_for(lambda: kernels(proc) == 0, 30)


def test_thirty_bare_requests_start_no_kernel_spare_ones_serve_and_the_excess_is_told_to_come_back(
        released_course, tmp_path, browser):
    # The tuned settings start kernels ahead of visitors (a preheated one per page, a few warm ones);
    # the cap counts them, one above them here.
    ahead = spare(released_course)
    with server(released_course, tmp_path, tuned=True, max_kernels=ahead + 1) as (proc, url):
        assert wait_for(lambda: kernels(proc) == ahead, 180)
        for _ in range(30):
            assert fetch(url + PAGE).status == 200
        assert kernels(proc) == ahead
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(url + PAGE)
            page.wait_for_selector(READY, timeout=90_000)
            page.locator(".course-question").first.get_by_role("button", name="Check my answer").click()
            expect(page.locator(".course-question").first).to_contain_text("Please choose an answer first")
            assert wait_for(lambda: kernels(proc) == ahead + 1, 60)  # the visitor's, and the spares refilled
            # Full now: each next visitor gets a spare kernel while there is one, then the busy page.
            replies = [visit(url, OTHER_PAGE) for _ in range(ahead + 2)]
            statuses = [r.status for r in replies]
            assert set(statuses) == {200, 503} and statuses.index(503) >= 1, statuses
            busy = replies[statuses.index(503)]
            assert busy.headers.get("Retry-After") == "60"
            assert "The course is busy, please try again in a minute" in busy.body
            assert not any(leak in busy.body for leak in LEAKS)
            assert kernels(proc) <= ahead + 1  # never past the cap
        finally:
            context.close()


def test_over_the_cap_the_next_visitor_is_told_to_come_back_until_a_kernel_ends(released_course, tmp_path):
    with server(released_course, tmp_path, max_kernels=2) as (proc, url):
        first, second = visit(url), visit(url)
        assert first.status == second.status == 200
        busy = visit(url)
        assert busy.status == 503 and "please try again in a minute" in busy.body and kernels(proc) == 2
        assert close(url, first) == 204
        assert wait_for(lambda: kernels(proc) == 1, 30)
        assert visit(url).status == 200


def test_one_visitor_holds_a_few_kernels_and_a_new_page_ends_their_oldest(released_course, tmp_path):
    with server(released_course, tmp_path, max_kernels_per_visitor=2) as (proc, url):
        browser = Jar()
        first = browser.keep(visit(url))
        browser.keep(visit(url, OTHER_PAGE, cookie=browser.header(OTHER_PAGE)))
        third = browser.keep(visit(url, cookie=browser.header(PAGE)))
        assert third.status == 200
        assert wait_for(lambda: kernels(proc) == 2, 30)
        with pytest.raises(HTTPClientError):  # the oldest page's kernel is the one that ended
            talk_to_kernel(url, kernel_id(first.body), cookie=browser.for_kernel(kernel_id(first.body)), listen=0.5)
        assert talk_to_kernel(url, kernel_id(third.body), cookie=browser.for_kernel(kernel_id(third.body)), listen=1)
        assert visit(url).status == 200  # another visitor is not affected
        assert kernels(proc) == 3


def test_one_network_address_behind_the_proxy_holds_a_bounded_number_of_kernels(released_course, tmp_path):
    with server(released_course, tmp_path, max_kernels_per_address=2) as (proc, url):
        school = {"X-Forwarded-For": "203.0.113.9"}
        assert visit(url, **school).status == visit(url, **school).status == 200
        crowded = visit(url, **school)
        assert crowded.status == 429 and "Many lessons are open from your network" in crowded.body
        assert visit(url, **{"X-Forwarded-For": "198.51.100.4"}).status == 200
        assert kernels(proc) == 3


def test_a_kernel_no_page_ever_connects_to_is_shut_down(released_course, tmp_path, browser):
    with server(released_course, tmp_path, unclaimed_kernel_seconds=4) as (proc, url):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(url + PAGE)
            page.wait_for_selector(READY, timeout=90_000)
            visit(url)  # a script that sends a browser's headers, but never opens the page's websocket
            assert kernels(proc) == 2
            assert wait_for(lambda: kernels(proc) == 1, 30)  # the script's kernel ended...
            box = page.locator(".course-question").first
            box.get_by_role("button", name="Check my answer", exact=True).click()
            expect(box).to_contain_text("Please choose an answer first", timeout=10_000)  # ...the page's did not
        finally:
            context.close()


# -- 3. a kernel answers only the page that opened it ---------------------------------------------

def test_a_cookieless_or_foreign_client_cannot_reach_another_visitors_kernel(shared):
    proc, url = shared
    mine, theirs = visit(url), visit(url)
    kernel = kernel_id(mine.body)
    for cookie in (None, theirs.cookie_header(), "course_visitor=" + "A" * 43):
        with pytest.raises(HTTPClientError) as refused:
            talk_to_kernel(url, kernel, cookie=cookie, listen=0.5)
        assert refused.value.code == 403
        assert fetch(f"{url}/api/kernels/{kernel}", {"Cookie": cookie} if cookie else {}).status == 403
    heard = [read_message(m)[1] for m in talk_to_kernel(url, kernel, cookie=mine.cookie_header(), listen=1.5)]
    assert "status" in heard  # the owner's page is connected and hears its kernel
    assert close(url, mine) == close(url, theirs) == 204
    assert wait_for(lambda: kernels(proc) == 0, 30)


def test_another_visitors_xsrf_token_is_not_enough_to_end_a_kernel(shared):
    proc, url = shared
    mine, theirs = visit(url), visit(url)
    kernel = kernel_id(mine.body)
    their_xsrf = re.search(r"_xsrf=([^;]*)", theirs.cookie_header()).group(1)
    their_cookies = {"Cookie": theirs.cookie_header()}
    beacon = f"_xsrf={their_xsrf}".encode()  # what a closing tab sends
    assert fetch(f"{url}/voila/api/shutdown/{kernel}", their_cookies, "POST", beacon).status == 403
    assert fetch(f"{url}/api/kernels/{kernel}", {**their_cookies, "X-XSRFToken": their_xsrf}, "DELETE").status == 403
    assert kernels(proc) == 2
    assert close(url, mine) == 204  # its owner can
    assert close(url, theirs) == 204
    assert wait_for(lambda: kernels(proc) == 0, 30)


# -- 4. no traceback leaves the server -------------------------------------------------------------

def test_malformed_widget_messages_bring_back_no_traceback_or_server_path(shared):
    proc, url = shared
    page = visit(url)
    widgets = widget_ids(page.body)
    malformed = [
        {"method": "update", "state": "not a dict", "buffer_paths": []},  # bad JSON state
        {"method": "update", "state": {"index": "abc", "layout": 5}, "buffer_paths": []},  # wrong types
        {"method": "update", "state": {"description": 7}, "buffer_paths": [["no", "such"]]},  # bad buffers
        "just a string",
    ]
    sent = [comm_msg(widgets[n], data, "s") for n, data in enumerate(malformed)]
    sent += [comm_msg("no-such-widget", {"method": "update", "state": {}}, "s"), comm_msg(12, None, "s")]
    heard = [read_message(m) for m in talk_to_kernel(url, kernel_id(page.body), sent, listen=5,
                                                      cookie=page.cookie_header())]
    kinds = [kind for _, kind, _ in heard]
    assert kinds.count("status") >= 2 * len(sent) - 2  # the kernel did handle them (busy, idle each)
    assert "error" not in kinds
    assert not [c for _, kind, c in heard if kind == "stream" and c.get("name") == "stderr"]
    text = repr(heard)
    assert not any(leak in text for leak in LEAKS), text[:2000]
    assert close(url, page) == 204
    assert wait_for(lambda: kernels(proc) == 0, 30)


def _message(channel: str, kind: str, content: dict) -> bytes:
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    return serialize_msg_to_ws_v1([json.dumps(p).encode() for p in ({"msg_type": kind}, {}, {}, content)], channel)


def test_only_errors_and_the_kernels_stderr_are_withheld_from_the_page():
    assert withheld(_message("iopub", "error", {"ename": "TraitError", "traceback": ["/srv/x.py"]}))
    assert withheld(_message("iopub", "stream", {"name": "stderr", "text": "No such comm"}))
    assert withheld(_message("shell", "comm_info_reply", {"status": "error", "traceback": ["x"]}))
    assert withheld(b"not a message")
    assert not withheld(_message("iopub", "stream", {"name": "stdout", "text": "hello"}))
    assert not withheld(_message("iopub", "comm_msg", {"comm_id": "a", "data": {"method": "update"}}))
    assert not withheld(_message("iopub", "status", {"execution_state": "idle"}))
    assert not withheld(_message("shell", "kernel_info_reply", {"status": "ok"}))


def test_a_forged_websocket_frame_is_refused_before_jupyter_server_reads_it():
    # jupyter_server builds a list as long as a frame's first 8 bytes say: 2**62 would take the
    # server's memory. The channels handler drops any frame that is not a well-formed v1 message.
    good = _message("shell", "comm_msg", {"comm_id": "a", "data": {}})
    assert frame(good) == ("shell", [b'{"msg_type": "comm_msg"}', b"{}", b"{}", b'{"comm_id": "a", "data": {}}'])
    for forged in ((2**62).to_bytes(8, "little") + good[8:], good[:-3], good[:8] + bytes(8) + good[16:],
                   (6).to_bytes(8, "little") + b"\xff" * 48, b"\x00" * 7, "a text message"):
        assert frame(forged) is None


# -- 5. a page that lost its kernel says so --------------------------------------------------------

def test_a_page_whose_kernel_was_ended_says_so_and_reloads_into_a_working_page(released_course, tmp_path, browser):
    # The idle cull, shortened: it ends the kernel from the server's side with the tab open.
    with server(released_course, tmp_path, cull_idle_timeout=10, cull_interval=1) as (proc, url):
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(url + PAGE)
            page.wait_for_selector(READY, timeout=90_000)
            expect(page.locator("#course-lost")).to_have_count(0)
            lost = page.get_by_role("alert")
            expect(lost).to_contain_text("lost its connection to the course, so its buttons no longer work. It was "
                                         "ended because it was not used for an hour",
                                         timeout=60_000)  # the real reason, in words
            assert wait_for(lambda: kernels(proc) == 0, 10)
            lost.get_by_role("button", name="Reload the page").click()
            page.wait_for_selector(READY, timeout=90_000)
            box = page.locator(".course-question").first
            box.get_by_role("button", name="Check my answer", exact=True).click()
            expect(box).to_contain_text("Please choose an answer first", timeout=10_000)  # it works again
            expect(page.locator("#course-lost")).to_have_count(0)
        finally:
            context.close()


# -- 6. the idle cull fits a lesson ---------------------------------------------------------------

def test_an_idle_kernel_lives_through_a_whole_forty_minute_lesson(tmp_path):
    cmd, _ = voila_command(tmp_path)
    idle = SETTINGS["cull_idle_timeout"].default
    assert f"--MappingKernelManager.cull_idle_timeout={idle}" in cmd
    assert idle >= 45 * 60
    assert "--MappingKernelManager.cull_connected=True" in cmd


# -- 7. headers and cookies ------------------------------------------------------------------------

def test_every_response_carries_the_security_headers_and_cookies_are_strict(shared):
    proc, url = shared
    page = visit(url)
    replies = {
        "page": page,
        "opening page": fetch(url + PAGE),
        "home": fetch(url + "/"),
        "script": fetch(url + "/voila/static/voila.js"),
        "not found": fetch(url + "/no/such/page"),
        "refused": fetch(f"{url}/api/kernels/{kernel_id(page.body)}"),
        "foreign host": fetch(url + "/", {"Host": "evil.example"}),
    }
    for name, reply in replies.items():
        policy = reply.headers.get("Content-Security-Policy") or ""
        scripts = re.search(r"script-src ([^;]*)", policy)
        assert scripts and "unsafe" not in scripts.group(1), name
        assert "frame-ancestors 'none'" in policy, name
        assert "img-src 'self' data:" in policy, name
        assert reply.headers.get("Referrer-Policy") == "no-referrer", name
        assert reply.headers.get("X-Content-Type-Options") == "nosniff", name
        assert reply.headers.get("Server") is None, name
    cookies = page.cookies()
    assert {"course_visitor", "_xsrf"} <= set(cookies)
    for name, line in cookies.items():
        assert "SameSite=Strict" in line, line
        assert ("HttpOnly" in line) == (name != "_xsrf"), line  # the page's script sends _xsrf when it closes
    assert close(url, page) == 204
    assert wait_for(lambda: kernels(proc) == 0, 30)


def _other_site(html: str):
    """Another website, on a name the browser treats as another site (localhost vs 127.0.0.1)."""

    class Site(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args):
            pass

    site = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Site)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    return site, f"http://localhost:{site.server_port}/"


@pytest.mark.browser
def test_another_sites_page_starts_no_kernel_but_its_link_opens_the_lesson(shared, browser):
    proc, url = shared
    site, address = _other_site(f'<a href="{url}{PAGE}">An OT lesson for parents</a>')
    context = browser.new_context()
    try:
        page = context.new_page()
        failures = []
        page.on("requestfailed", lambda r: failures.append(r.failure))
        page.goto(address)
        outcome = page.evaluate("u => fetch(u, {mode: 'no-cors'}).then(() => 'read', () => 'refused')", url + PAGE)
        # The server answered (with its small page), and the browser kept the answer from the other site.
        assert outcome == "refused" and failures == ["net::ERR_BLOCKED_BY_RESPONSE.NotSameOrigin"]
        assert kernels(proc) == 0
        page.get_by_role("link", name="An OT lesson for parents").click()
        page.wait_for_selector(READY, timeout=90_000)
        box = page.locator(".course-question").first
        box.get_by_role("button", name="Check my answer", exact=True).click()
        expect(box).to_contain_text("Please choose an answer first", timeout=10_000)  # its kernel answers
        kernel = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
        xsrf = next(c["value"] for c in context.cookies() if c["name"] == "_xsrf")
        assert fetch(f"{url}/api/kernels/{kernel}", {"Cookie": cookie, "X-XSRFToken": xsrf}, "DELETE").status == 204
    finally:
        context.close()
        site.shutdown()
    assert wait_for(lambda: kernels(proc) == 0, 30)


WATCH_CSP = """document.addEventListener('securitypolicyviolation',
    e => (window.__violations = window.__violations || []).push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.mark.browser
@pytest.mark.parametrize("path", [PAGE, "/"])
def test_pages_work_under_the_strict_policy_without_a_single_violation(shared, browser, path):
    proc, url = shared
    context = browser.new_context(accept_downloads=True)
    try:
        page = context.new_page()
        page.add_init_script(WATCH_CSP)
        page.goto(url + path)
        page.wait_for_selector(".course-question button" if path == PAGE else "#rendered_cells ol a",
                               state="visible", timeout=90_000)
        page.wait_for_selector("#loading", state="detached", timeout=30_000)
        if path == PAGE:
            box = page.locator(".course-question").first
            box.get_by_role("button", name="Check my answer", exact=True).click()
            expect(box).to_contain_text("Please choose an answer first", timeout=10_000)  # widgets work
            pictures = page.locator("img[src^='data:']")
            assert pictures.count() and pictures.first.evaluate("img => img.complete && img.naturalWidth > 0")
        # A data: download link, as lessons will offer, still downloads.
        page.evaluate("""() => { const a = document.createElement('a'); a.id = 'dl'; a.download = 'notes.txt';
            a.href = 'data:text/plain;charset=utf-8,My%20notes'; a.textContent = 'Download';
            document.body.append(a); }""")
        with page.expect_download() as download:
            page.click("#dl")
        assert Path(download.value.path()).read_text() == "My notes"
        assert page.evaluate("window.__violations || []") == []
        # The watch does see a violation, and the policy does stop an inline script.
        page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                      " document.body.append(s); }")
        page.wait_for_timeout(300)
        assert page.evaluate("window.__ran") is None
        assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
        page.close(run_before_unload=True)  # the tab's goodbye ends its kernel
    finally:
        context.close()
    assert wait_for(lambda: kernels(proc) == 0, 30)


# -- 8. the course's own pages ---------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/no/such/page", "/voila/render/no-such-lesson.ipynb", "/voila/files/nothing.png"])
def test_a_missing_page_is_the_courses_own_with_a_way_home(shared, path):
    proc, url = shared
    reply = visit(url, path)
    assert reply.status == 404
    assert "<title>Page not found</title>" in reply.body
    assert 'href="/voila/render/index.ipynb"' in reply.body and "Go to the course home" in reply.body
    assert not any(leak in reply.body for leak in LEAKS)
    assert kernels(proc) == 0


def test_the_lesson_page_has_plain_loading_words_and_no_inline_script(shared):
    proc, url = shared
    page = visit(url)
    assert "Opening the lesson…" in page.body
    assert "Executing" not in page.body and "Voilà" not in page.body
    inline = [tag for tag in re.findall(r"<script[^>]*>", page.body) if "src=" not in tag and "json" not in tag]
    assert inline == []
    assert close(url, page) == 204
    assert wait_for(lambda: kernels(proc) == 0, 30)


# -- 9. screen readers ----------------------------------------------------------------------------

@pytest.mark.browser
def test_feedback_areas_become_polite_live_regions_when_they_appear(shared, browser):
    proc, url = shared
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + PAGE)
        page.wait_for_selector(READY, timeout=90_000)
        page.evaluate("""() => {
            const added = document.createElement('div'); added.className = 'course-live'; added.id = 'added';
            const later = document.createElement('div'); later.id = 'later';
            document.querySelector('.course-question').append(added, later);
            later.classList.add('course-box', 'course-live');
            const own = document.createElement('div'); own.className = 'course-live'; own.id = 'own';
            own.setAttribute('aria-live', 'assertive'); document.body.append(own); }""")
        expect(page.locator("#added")).to_have_attribute("aria-live", "polite")
        expect(page.locator("#later")).to_have_attribute("aria-live", "polite")
        expect(page.locator("#own")).to_have_attribute("aria-live", "assertive")  # a chosen setting is kept
        kernel = page.evaluate("JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        page.close(run_before_unload=True)  # the tab's goodbye ends its kernel
    finally:
        context.close()
    assert wait_for(lambda: kernels(proc) == 0, 30), kernel

