/* The course's page script for the web view (loaded in <head>, before Voila's own script).
 *
 * 1. Voila's page helpers, which its template defines in inline scripts: here in a file, so
 *    the Content-Security-Policy can forbid inline script. The loading text stays plain words.
 * 2. A page that has lost its kernel (shut down when idle, the server restarted) says so and
 *    offers to reload, instead of leaving buttons that do nothing.
 * 3. Feedback areas (class "course-live") are made polite live regions for screen readers.
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

  // -- 2. A page that lost its kernel --------------------------------------------------------
  var CHANNELS = /\/api\/kernels\/[^/]+\/channels/;
  var GRACE_MS = 4000; // Jupyter reconnects by itself after a blip; give it the time to
  var openSockets = 0, everOpened = false, check = null;
  var NativeWebSocket = window.WebSocket;

  function lostConnection() {
    if (document.getElementById("course-lost")) return;
    var box = document.createElement("div");
    box.id = "course-lost";
    box.setAttribute("role", "alert");
    var text = document.createElement("p");
    text.textContent = "This page has lost its connection to the course, so its buttons no longer " +
      "work. This happens when a page is left unused for a long time or the course server restarts. " +
      "Reload the page to go on (answers given on this page are not kept).";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Reload the page";
    button.addEventListener("click", function () { window.location.reload(); });
    box.appendChild(text);
    box.appendChild(button);
    document.body.insertBefore(box, document.body.firstChild);
    button.focus();
  }

  function connectionBack() {
    var box = document.getElementById("course-lost");
    if (box) box.parentNode.removeChild(box);
  }

  function watch(socket) {
    var opened = false;
    socket.addEventListener("open", function () {
      opened = true;
      everOpened = true;
      openSockets += 1;
      connectionBack();
    });
    socket.addEventListener("close", function () {
      if (opened) openSockets = Math.max(0, openSockets - 1);
      opened = false;
      clearTimeout(check);
      check = setTimeout(function () {
        if (everOpened && openSockets === 0) lostConnection();
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

  // -- 3. Live regions -----------------------------------------------------------------------
  function makeLive(element) {
    if (!element.hasAttribute("aria-live")) element.setAttribute("aria-live", "polite");
  }

  function findLive(node) {
    if (node.nodeType !== 1) return;
    if (node.classList.contains("course-live")) makeLive(node);
    node.querySelectorAll(".course-live:not([aria-live])").forEach(makeLive);
  }

  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.type === "attributes") findLive(change.target);
      else change.addedNodes.forEach(findLive);
    });
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true, attributeFilter: ["class"]});
  document.addEventListener("DOMContentLoaded", function () { findLive(document.body); });

  // -- 4. Focus after a story choice ---------------------------------------------------------
  // The button a learner pressed is replaced by the next step; without this, focus would fall to
  // the top of the page. It goes to the new step's text (or, after a choice, to Continue).
  var story = null, since = 0, stepChanged = false;
  ["click", "keydown"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var found = event.target.closest && event.target.closest(".course-scenario");
      if (found) { story = found; since = Date.now(); stepChanged = false; }
    }, true);
  });
  new MutationObserver(function (changes) {
    if (!story || Date.now() - since > 5000) return;
    changes.forEach(function (change) {
      if (story.contains(change.target) && change.target.closest(".course-step")) stepChanged = true;
    });
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;  // focus is still somewhere
    var target = stepChanged ? story.querySelector(".course-step-text")
                             : story.querySelector(".course-choice, .widget-button");
    if (target) { target.focus(); story = null; }
  }).observe(document.documentElement, {subtree: true, childList: true});
})();
