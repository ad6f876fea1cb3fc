/* The course's page script for the web view (loaded in <head>, before Voila's own script).
 *
 * 1. Voila's page helpers, which its template defines in inline scripts: here in a file, so
 *    the Content-Security-Policy can forbid inline script. The loading text stays plain words.
 * 2. A page that has lost its kernel (shut down when idle, the server restarted) says so and
 *    offers to reload, instead of leaving buttons that do nothing.
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
})();
