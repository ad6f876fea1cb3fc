/*
 * course-learner: a course lesson opens ready in the learner's JupyterLab.
 *
 * Loaded only by `course start` (course_lib/learner/lab.py puts this folder on LabApp's
 * extra_labextensions_path); the instructor's JupyterLab and Voila never see it.
 *
 * What it does, for a notebook whose metadata has a "course" object and that `course start`
 * put in the workspace (the page config's "courseNotebooks" list, so a notebook from
 * elsewhere never runs by itself):
 *   - forgets any outputs saved in the file (stale widget views show "model not found");
 *   - once the kernel is up, runs the code cells one by one, in order, with CodeCell.execute,
 *     which touches neither the scroll position nor the active cell (Run All does both);
 *   - runs them again after a kernel restart;
 *   - hides code, prompts and error output; shows a small plain-words notice meanwhile.
 * And on a phone-sized screen it folds the side panels away, so the lesson has the width.
 *
 * Why hand-written, with no build step: JupyterLab 4 loads a federated extension by running
 * this script, then calling init(shareScope) and get('./extension') on the container it
 * defines (see bootstrap.js and index.out.js in JupyterLab's static folder). That contract is
 * all this file needs, so nobody needs node, CI builds nothing, and the file that runs is
 * the file you read. It borrows JupyterLab's own copies of @jupyterlab/notebook and
 * @jupyterlab/cells from the share scope, so its INotebookTracker token is the application's.
 * The cost: if a JupyterLab release changed that contract, tests/test_learner_lab.py (a real
 * JupyterLab in Chromium) would fail; pyproject.toml pins jupyterlab to 4.6.x.
 */
var _JUPYTERLAB;
(_JUPYTERLAB = typeof _JUPYTERLAB === 'undefined' ? {} : _JUPYTERLAB)['course-learner'] = (function () {
  'use strict';

  var shareScope = null;

  var READY = 'Getting this lesson ready\u2026';
  var PROBLEM = 'Part of this lesson did not load. Choose File \u25b8 Close and Shut Down Notebook, ' +
    'then open the lesson again from the course home.';
  var NO_KERNEL = 'This lesson cannot get ready without Python. Choose Kernel \u25b8 Change Kernel\u2026 ' +
    'and pick Python 3.';

  var STYLE = [
    '.course-lesson .jp-CodeCell .jp-Cell-inputWrapper,',
    '.course-lesson .jp-CodeCell.jp-mod-noOutputs,',
    '.course-lesson .jp-InputPrompt,',
    '.course-lesson .jp-OutputPrompt,',
    '.course-lesson .jp-OutputArea-promptOverlay,',
    '.course-lesson .jp-Notebook-footer,',
    '.course-lesson .jp-OutputArea-child:has(> [data-mime-type="application/vnd.jupyter.stderr"])',
    '  { display: none !important; }',
    '.course-notice { position: absolute; z-index: 10; left: 50%; transform: translateX(-50%);',
    '  max-width: calc(100% - 32px); box-sizing: border-box; margin-top: 8px; padding: 6px 14px;',
    '  border-radius: 16px; font-size: var(--jp-ui-font-size1); line-height: 1.4;',
    '  color: var(--jp-ui-font-color1); background: var(--jp-info-color3);',
    '  border: 1px solid var(--jp-info-color1); box-shadow: var(--jp-elevation-z2); }',
    '.course-notice.course-problem { background: var(--jp-warn-color3); border-color: var(--jp-warn-color1); }',
    '.course-notice-close { margin-left: 10px; padding: 0 6px; border: none; background: none; cursor: pointer;',
    '  font-size: var(--jp-ui-font-size2); color: inherit; }',
    '.course-notice[hidden] { display: none; }'
  ].join('\n');

  /** JupyterLab's own copy of a shared package (the highest version, as a singleton gets). */
  function shared(name) {
    var versions = shareScope && shareScope[name];
    if (!versions) {
      return Promise.reject(new Error('course-learner: JupyterLab does not share ' + name));
    }
    var best = Object.keys(versions).sort(compareVersions).pop();
    var entry = versions[best];
    entry.loaded = 1;
    return Promise.resolve(entry.get()).then(function (factory) { return factory(); });
  }

  function compareVersions(a, b) {
    var x = a.split(/[.-]/), y = b.split(/[.-]/);
    for (var i = 0; i < Math.max(x.length, y.length); i++) {
      var p = parseInt(x[i], 10) || 0, q = parseInt(y[i], 10) || 0;
      if (p !== q) { return p - q; }
    }
    return 0;
  }

  /** One value of JupyterLab's page config (the JSON in the page), or a default. */
  function pageConfig(name, otherwise) {
    try {
      var value = JSON.parse(document.getElementById('jupyter-config-data').textContent)[name];
      return value === undefined ? otherwise : value;
    } catch (e) {
      return otherwise;
    }
  }

  /** The workspace paths of the notebooks `course start` put there (from the page config). */
  function courseNotebooks() {
    var paths = pageConfig('courseNotebooks', []);
    return new Set(Array.isArray(paths) ? paths : []);
  }

  function addStyle() {
    if (document.getElementById('course-learner-style')) { return; }
    var style = document.createElement('style');
    style.id = 'course-learner-style';
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  /** A small message floating over the top of the lesson, so the page never moves for it.
   *  A problem stays until the learner hides it. */
  function Notice(panel) {
    var node = document.createElement('div');
    var text = document.createElement('span');
    var close = document.createElement('button');
    node.className = 'course-notice';
    node.setAttribute('role', 'status');
    node.hidden = true;
    close.className = 'course-notice-close';
    close.textContent = '\u00d7';
    close.title = 'Hide this message';
    close.setAttribute('aria-label', 'Hide this message');
    close.addEventListener('click', function () { node.hidden = true; });
    node.appendChild(text);
    node.appendChild(close);
    panel.node.appendChild(node);
    this.show = function (message, problem) {
      node.style.top = panel.toolbar.node.offsetHeight + 'px';
      text.textContent = message;
      close.hidden = !problem;
      node.classList.toggle('course-problem', !!problem);
      node.hidden = false;
    };
    this.hide = function () { node.hidden = true; };
  }

  function codeCells(panel) {
    return panel.content.widgets.filter(function (cell) { return cell.model.type === 'code'; });
  }

  /** What the learner could change in a lesson: its cells' types and sources (as the workspace
   *  update compares them); outputs, counts and the kernel's language_info are not their work. */
  function substance(panel) {
    return JSON.stringify(panel.content.widgets.map(function (cell) {
      return [cell.model.type, cell.model.sharedModel.getSource()];
    }));
  }

  /** Drop outputs saved in the file: their widgets belonged to a kernel that is gone. */
  function forgetOutputs(panel) {
    codeCells(panel).forEach(function (cell) {
      cell.model.sharedModel.transact(function () { cell.model.clearExecution(); }, false);
    });
  }

  function watch(panel, cells, allowed) {
    panel.context.ready.then(function () {
      var course = panel.model && panel.model.getMetadata('course');
      var isCourse = course && typeof course === 'object' && !Array.isArray(course);
      if (panel.isDisposed || !isCourse || !allowed.has(panel.context.path)) { return; }
      panel.addClass('course-lesson');
      var saved = substance(panel);
      panel.context.saveState.connect(function (_, state) {
        if (state === 'completed') { saved = substance(panel); }
      });
      // Nothing but outputs and metadata changed since the file was read or saved: nothing to save, nothing to ask.
      function forgetUnsavedOutputs() {
        if (substance(panel) === saved) { panel.model.dirty = false; }
      }
      forgetOutputs(panel);
      forgetUnsavedOutputs();
      var notice = new Notice(panel);
      var session = panel.sessionContext;
      var generation = 0;
      var restarting = false;

      function prepare() {
        var mine = ++generation;
        var kernel = session.session && session.session.kernel;
        if (!kernel) {
          notice.show(NO_KERNEL, true);
          return Promise.resolve();
        }
        notice.show(READY);
        var failed = false;
        var run = Promise.resolve(kernel.info);
        codeCells(panel).forEach(function (cell) {
          run = run.then(function () {
            if (mine !== generation || panel.isDisposed) { return; }
            return cells.CodeCell.execute(cell, session).then(function (reply) {
              if (reply && reply.content.status !== 'ok') {
                failed = true;
                console.warn('course-learner: a cell failed:', reply.content.ename, reply.content.evalue);
              }
            }, function (err) {
              failed = true;
              console.warn('course-learner: a cell did not run', err);
            });
          });
        });
        return run.then(function () {
          if (mine !== generation || panel.isDisposed) { return; }
          forgetUnsavedOutputs();
          if (failed) { notice.show(PROBLEM, true); } else { notice.hide(); }
        }, function (err) {
          console.warn('course-learner: the lesson did not get ready', err);
          if (mine === generation) { notice.show(PROBLEM, true); }
        });
      }

      notice.show(READY);
      session.ready.then(function () {
        if (panel.isDisposed) { return; }
        prepare();
        session.kernelChanged.connect(function (_, change) {
          if (change.newValue) { prepare(); }
        });
        session.statusChanged.connect(function (_, status) {
          if (status === 'restarting' || status === 'autorestarting') {
            restarting = true;
          } else if (restarting && status === 'idle') {
            restarting = false;
            prepare();
          }
        });
      });
    });
  }

  /** Screen readers: live regions for feedback, and focus after a story choice. The web view's
   *  own file (course_lib/page_scripts/js/course-a11y.js), which `course start`
   *  has the server serve under static/. */
  function pageHelpers() {
    if (document.getElementById('course-a11y')) { return; }
    var script = document.createElement('script');
    script.id = 'course-a11y';
    script.src = pageConfig('baseUrl', '/') + 'static/course-a11y.js';
    document.head.appendChild(script);
  }

  function plugin(notebook, cells) {
    return {
      id: 'course-learner:lessons',
      description: 'A course lesson opens ready: its code runs by itself, out of sight, without moving the page.',
      autoStart: true,
      requires: [notebook.INotebookTracker],
      activate: function (app, tracker) {
        addStyle();
        pageHelpers();
        var allowed = courseNotebooks();
        tracker.forEach(function (panel) { watch(panel, cells, allowed); });
        tracker.widgetAdded.connect(function (_, panel) { watch(panel, cells, allowed); });
        // On a phone-sized screen, side panels restored from a wider one would leave the lesson no room.
        if (window.matchMedia('(max-width: 760px)').matches && app.shell.collapseLeft) {
          app.restored.then(function () {
            app.shell.collapseLeft();
            app.shell.collapseRight();
          });
        }
      }
    };
  }

  return {
    init: function (scope) { shareScope = scope; },
    get: function (module) {
      if (module !== './extension') {
        return Promise.reject(new Error('course-learner has no module ' + module));
      }
      return Promise.all([shared('@jupyterlab/notebook'), shared('@jupyterlab/cells')]).then(function (libs) {
        var extension = { __esModule: true, default: plugin(libs[0], libs[1]) };
        return function () { return extension; };
      });
    }
  };
})();
