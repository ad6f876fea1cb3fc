/* Screen readers, in the web view and in the learner's JupyterLab alike (one file, two users:
 * the web view's template loads it from here; `course start` has the learner's JupyterLab serve
 * this folder as static/, and the course-learner extension loads it from there).
 *
 * 1. Feedback areas (class "course-live", set by course_lib/views.py) become polite live regions,
 *    whenever they appear or get the class, unless they already chose an aria-live of their own.
 * 2. After a story choice, focus goes to the new step's text (or, after a choice, to Continue):
 *    the button pressed is replaced by the next step, and focus would otherwise fall to the top.
 */
(function () {
  "use strict";
  if (window.courseA11y) return; // loaded once per page
  window.courseA11y = true;

  function makeLive(element) {
    if (!element.hasAttribute("aria-live")) element.setAttribute("aria-live", "polite");
  }

  function findLive(node) {
    if (node.nodeType !== 1) return;
    if (node.classList.contains("course-live")) makeLive(node);
    node.querySelectorAll(".course-live:not([aria-live])").forEach(makeLive);
  }

  var story = null, since = 0, stepChanged = false;
  ["click", "keydown"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var found = event.target.closest && event.target.closest(".course-scenario");
      if (found) { story = found; since = Date.now(); stepChanged = false; }
    }, true);
  });

  function refocus(changes) {
    if (!story || Date.now() - since > 5000) return;
    changes.forEach(function (change) {
      var target = change.target;
      if (story.contains(target) && target.closest && target.closest(".course-step")) stepChanged = true;
    });
    var active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return; // focus is still somewhere
    var next = stepChanged ? story.querySelector(".course-step-text")
                           : story.querySelector(".course-choice, .widget-button");
    if (next) { next.focus(); story = null; }
  }

  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      if (change.type === "attributes") findLive(change.target);
      else change.addedNodes.forEach(findLive);
    });
    refocus(changes);
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true, attributeFilter: ["class"]});

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { findLive(document.body); });
  } else {
    findLive(document.body);
  }
})();
