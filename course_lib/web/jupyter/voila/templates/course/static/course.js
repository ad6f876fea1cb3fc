/* The course's page script for the web view (loaded in <head>, before Voila's own script).
 *
 * 1. Voila's page helpers, which its template defines in inline scripts: here in a file, so
 *    the Content-Security-Policy can forbid inline script. The loading text stays plain words.
 * 2. A page that has lost its kernel (shut down when idle, for another tab, the server restarted)
 *    or never reached it says so, and why, and offers to reload, instead of leaving buttons that
 *    do nothing or raw text where the widgets should be; in the page's language (its words are
 *    in the page, #course-words, from the course's message catalogs).
 * Screen readers' live regions and the focus after a story choice are in course-a11y.js, which
 * the learner's JupyterLab loads too.
 */
(function () {
  "use strict";

  // -- 1. Voila's helpers --------------------------------------------------------------------
  window.voila_heartbeat = function () {};
  window.update_loading_text = function () {};
  window.voila_process = function () {};
  window.display_cells = function () {
    if (!window.themeLoaded) {
      window.cellLoaded = true; // Voila's script calls voila_finish again once the theme is in
      return;
    }
    var loading = document.getElementById("loading");
    if (loading) loading.parentNode.removeChild(loading);
    var cells = document.getElementById("rendered_cells");
    if (cells) cells.style.display = "";
  };
  window.voila_finish = window.display_cells;
  document.addEventListener("DOMContentLoaded", function () { window.voila_finish(); });

  // -- 2. A page that lost its kernel, and why ------------------------------------------------
  // The server closes a kernel's websockets with a code that says why it ended
  // (course_lib/web/kernels.py, ENDINGS), and answers a page whose kernel has ended with the
  // reason; a page that never reached its kernel says so too, instead of showing raw text.
  var CHANNELS = /\/api\/kernels\/[^/?]+\/channels/;
  var MODEL = /\/api\/kernels\/[^/?]+(\?|$)/;
  var GRACE_MS = 4000; // Jupyter reconnects by itself after a blip; give it the time to
  var REASONS = {replaced: 1, idle: 1, stopping: 1, failed: 1, unclaimed: 1}; // #course-words: lost_<reason>
  var CODES = {4001: "replaced", 4002: "idle", 4003: "stopping", 4004: "failed", 4005: "unclaimed"};
  var openSockets = 0, check = null, lastReason = null;
  var NativeWebSocket = window.WebSocket, nativeFetch = window.fetch;

  function say(words, name) {
    return (words && words.getAttribute("data-" + name)) || "";
  }

  function lostConnection(reason, never) {
    if (never) document.body.classList.add("course-never-connected");
    if (document.getElementById("course-lost")) return;
    var box = document.createElement("div");
    box.id = "course-lost";
    box.setAttribute("role", "alert");
    var words = document.getElementById("course-words");
    var text = document.createElement("p");
    text.textContent = [say(words, "lost"), say(words, "lost_" + (Object.prototype.hasOwnProperty.call(REASONS, reason) ? reason : "unknown")),
                        say(words, "lost_again")].filter(Boolean).join(" ");
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = (words && words.getAttribute("data-reload")) || "\u21bb";
    button.addEventListener("click", function () { window.location.reload(); });
    box.appendChild(text);
    box.appendChild(button);
    document.body.insertBefore(box, document.body.firstChild);
    button.focus();
  }

  function connectionBack() {
    var box = document.getElementById("course-lost");
    if (box && !document.body.classList.contains("course-never-connected")) box.parentNode.removeChild(box);
  }

  function watch(socket) {
    var opened = false;
    socket.addEventListener("open", function () {
      opened = true;
      openSockets += 1;
      connectionBack();
    });
    socket.addEventListener("close", function (event) {
      if (opened) openSockets = Math.max(0, openSockets - 1);
      if (CODES[event.code]) lastReason = CODES[event.code];
      opened = false;
      clearTimeout(check);
      check = setTimeout(function () {
        if (openSockets === 0) lostConnection(lastReason, false);
      }, GRACE_MS);
    });
  }

  function CourseWebSocket(url, protocols) {
    var socket = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    if (CHANNELS.test(String(url))) watch(socket);
    return socket;
  }
  CourseWebSocket.prototype = NativeWebSocket.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
    CourseWebSocket[name] = NativeWebSocket[name];
  });
  window.WebSocket = CourseWebSocket;

  // The widget manager asks for its kernel first: if that fails, no widget will ever show.
  window.fetch = function (input, init) {
    var result = nativeFetch.apply(this, arguments);
    var url = String((input && input.url) || input), method = (init && init.method) || (input && input.method) || "GET";
    if (method === "GET" && MODEL.test(url) && !CHANNELS.test(url)) {
      result.then(function (response) {
        if (response.status === 200) return;
        response.clone().json().then(function (body) { lostConnection(body && body.reason, true); },
                                     function () { lostConnection(null, true); });
      }, function () {});
    }
    return result;
  };
})();
