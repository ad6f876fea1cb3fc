/*
 * course-learner: the learner's JupyterLab as a course, not an editor.
 *
 * Loaded only by the learner's JupyterLab (course_lib/learner/lab.py puts this folder on LabApp's
 * extra_labextensions_path, for `course start` and for a learner's server on the course's hub);
 * the instructor's JupyterLab and Voila never see it. Its companions: the settings overrides in
 * course_lib/learner/jupyter/labconfig/ (the simple interface, four menus hidden, no status bar),
 * the plugins that page config turns off, and the server's read-only course notebooks
 * (course_lib/learner/saving.py).
 *
 * A course page is a notebook whose metadata has a "course" object and that the course put in the
 * learner's folder (the page config's "courseNotebooks" list, so a notebook from elsewhere never
 * runs by itself). For each course page this extension:
 *   - gets it ready: forgets saved outputs (stale widget views show "model not found"), then runs
 *     the code cells one by one with CodeCell.execute, which touches neither the scroll position
 *     nor the active cell (Run All does both); again after a kernel restart; code, prompts and error
 *     output hidden, a small plain-words notice meanwhile;
 *   - keeps it from being changed: it is never "dirty" (so never autosaved, and nobody is asked
 *     "Save changes?"), and the keys, double clicks, drops and context menu that change cells never
 *     reach JupyterLab (`d` `d` once deleted a lesson's key points); a radio's arrow keys move between
 *     its options, not to another cell; Ctrl+S says that answers are saved by the page's buttons;
 *   - keeps one lesson on one screen: a second browser tab or window that opens it says the lesson
 *     is open elsewhere, with a button to bring it here (both would share one kernel and disagree);
 *   - cannot be renamed from the title box of the simple interface; My progress is made again
 *     whenever it is shown.
 * In the course view (the default; "Show the full JupyterLab" in the View menu turns it off, through
 * JupyterLab's own settings) a course page opened replaces the one before it, as on a web site,
 * and the notebook toolbar of course pages is hidden. Everywhere: the browser's Back button opens
 * the page it goes back to, a widget button's click reaches the kernel only after the values typed
 * or ticked just before it (ipywidgets sends each widget's changes one at a time, so a click could
 * overtake them: "You changed something" on the first press), and on a phone-sized screen the side
 * panels are folded away.
 *
 * Why hand-written, with no build step: JupyterLab 4 loads a federated extension by running
 * this script, then calling init(shareScope) and get('./extension') on the container it
 * defines (see bootstrap.js and index.out.js in JupyterLab's static folder). That contract is
 * all this file needs, so nobody needs node, CI builds nothing, and the file that runs is
 * the file you read. It borrows JupyterLab's own copies of its packages from the share scope,
 * so its tokens are the application's. The cost: if a JupyterLab release changed that contract,
 * tests/test_learner_lab.py (a real JupyterLab in Chromium) would fail; pyproject.toml pins
 * jupyterlab to 4.6.x.
 */
var _JUPYTERLAB;
(_JUPYTERLAB = typeof _JUPYTERLAB === 'undefined' ? {} : _JUPYTERLAB)['course-learner'] = (function () {
  'use strict';

  var shareScope = null;

  // English, for a course page made before its metadata carried its own words ("words", in the page's
  // language: course_lib/publish/notebooks.py, LAB_WORDS, from the course's message catalogs).
  var WORDS = {
    ready: 'Getting this page ready\u2026',
    problem: 'Part of this page did not load. Choose File \u25b8 Close and Shut Down Notebook, then open it ' +
      'again from the course home.',
    noKernel: 'This page cannot get ready: the Python it needs was not found. Stop the course ' +
      '(Ctrl+C where you started it), then start it again.',
    nothingToSave: 'There is nothing to save here: what you answer or type is saved when you press the ' +
      'page\'s own buttons, such as Save my answer, Check my lesson or Make my letter.',
    elsewhere: 'This page is open in another browser tab or window. To use it here instead, press ' +
      'the button.',
    movedAway: 'You opened this page in another browser tab or window, so it is not in use here. To use ' +
      'it here again, press the button.',
    useHere: 'Use it here',
    bringBack: 'Bring it back here',
    hide: 'Hide this message',
    fullLab: 'Show the full JupyterLab (every menu and tool)',
    courseView: 'Back to the course view'
  };

  /** The words of a course page, in its language (its metadata's "words"), else English. */
  function wordsOf(meta) {
    var own = meta && meta.words && typeof meta.words === 'object' ? meta.words : {};
    return function (key) { return typeof own[key] === 'string' && own[key] ? own[key] : WORDS[key]; };
  }

  var STYLE = [
    '.course-lesson .jp-CodeCell .jp-Cell-inputWrapper,',
    '.course-lesson .jp-CodeCell.jp-mod-noOutputs,',
    '.course-lesson .jp-InputPrompt,',
    '.course-lesson .jp-OutputPrompt,',
    '.course-lesson .jp-OutputArea-promptOverlay,',
    '.course-lesson .jp-Collapser,',
    '.course-lesson .jp-Notebook-footer,',
    '.course-lesson .jp-OutputArea-child:has(> [data-mime-type="application/vnd.jupyter.stderr"])',
    '  { display: none !important; }',
    '.course-lesson .jp-Cell, .course-lesson .jp-Cell-inputWrapper, .course-lesson .jp-InputArea,',
    '.course-lesson .jp-MarkdownOutput, .course-lesson .jp-Cell-outputWrapper { box-shadow: none !important; }',
    '.course-lesson .jp-MarkdownOutput { border-color: transparent !important; }', // no box round the cell clicked
    '.course-lesson .jp-Cell.jp-mod-active, .course-lesson .jp-Cell.jp-mod-selected { background: none; }',
    '.course-notice { position: absolute; z-index: 10; left: 50%; transform: translateX(-50%);',
    '  max-width: calc(100% - 32px); box-sizing: border-box; margin-top: 8px; padding: 6px 14px;',
    '  border-radius: 16px; font-size: var(--jp-ui-font-size1); line-height: 1.4;',
    '  color: var(--jp-ui-font-color1); background: var(--jp-info-color3);',
    '  border: 1px solid var(--jp-info-color1); box-shadow: var(--jp-elevation-z2); }',
    '.course-notice.course-problem { background: var(--jp-warn-color3); border-color: var(--jp-warn-color1); }',
    '.course-notice-close { margin-left: 10px; padding: 0 6px; border: none; background: none; cursor: pointer;',
    '  font-size: var(--jp-ui-font-size2); color: inherit; }',
    '.course-notice[hidden], .course-cover[hidden] { display: none; }',
    '.course-cover { position: absolute; z-index: 20; inset: 0; display: flex; align-items: flex-start;',
    '  justify-content: center; padding: 48px 16px; box-sizing: border-box; background: var(--jp-layout-color0); }',
    '.course-cover-box { max-width: 32rem; font-size: var(--jp-content-font-size2, 15px); line-height: 1.5;',
    '  color: var(--jp-ui-font-color0); }',
    '.course-cover-box button { margin-top: 12px; padding: 8px 16px; font-size: inherit; cursor: pointer;',
    '  color: #fff; background: #1565c0; border: 1px solid #0d47a1; border-radius: 4px; }'
  ].join('\n');

  // -- JupyterLab's own packages -------------------------------------------------------------------

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

  /** The workspace paths of the notebooks the course put there (from the page config). */
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

  /** Screen readers: live regions for feedback, and focus after a story choice. The web view's
   *  own file (course_lib/page_scripts/js/course-a11y.js), which the learner's
   *  JupyterLab serves under static/. */
  function pageHelpers() {
    if (document.getElementById('course-a11y')) { return; }
    var script = document.createElement('script');
    script.id = 'course-a11y';
    script.src = pageConfig('baseUrl', '/') + 'static/course-a11y.js';
    document.head.appendChild(script);
  }

  // -- what floats over a page ---------------------------------------------------------------------

  /** A small message floating over the top of the page, so the page never moves for it.
   *  A problem stays until the learner hides it; a hint goes by itself. */
  function Notice(panel, say) {
    var node = document.createElement('div');
    var text = document.createElement('span');
    var close = document.createElement('button');
    var timer = null;
    node.className = 'course-notice';
    node.setAttribute('role', 'status');
    node.hidden = true;
    close.className = 'course-notice-close';
    close.textContent = '\u00d7';
    close.title = say('hide');
    close.setAttribute('aria-label', say('hide'));
    close.addEventListener('click', function () { node.hidden = true; });
    node.appendChild(text);
    node.appendChild(close);
    panel.node.appendChild(node);
    this.show = function (message, problem, seconds) {
      clearTimeout(timer);
      node.style.top = panel.toolbar.node.offsetHeight + 'px';
      text.textContent = message;
      close.hidden = !problem && !seconds;
      node.classList.toggle('course-problem', !!problem);
      node.hidden = false;
      if (seconds) { timer = setTimeout(function () { node.hidden = true; }, seconds * 1000); }
    };
    this.hide = function () { node.hidden = true; };
  }

  /** A message over the whole page, with one button: the page is in use in another tab. */
  function Cover(panel) {
    var node = document.createElement('div');
    var box = document.createElement('div');
    var text = document.createElement('p');
    var button = document.createElement('button');
    var action = null;
    node.className = 'course-cover';
    node.hidden = true;
    box.className = 'course-cover-box';
    box.setAttribute('role', 'alert');
    button.className = 'course-cover-button';
    button.addEventListener('click', function () {
      node.hidden = true;
      if (action) { action(); }
    });
    box.appendChild(text);
    box.appendChild(button);
    node.appendChild(box);
    panel.node.appendChild(node);
    this.show = function (message, label, then) {
      text.textContent = message;
      button.textContent = label;
      action = then;
      node.style.top = panel.toolbar.node.offsetHeight + 'px';
      node.hidden = false;
    };
    this.hide = function () { node.hidden = true; };
  }

  // -- one lesson, one screen ----------------------------------------------------------------------

  /** Which browser tab or window holds each course page. A page asks the others before it gets
   *  ready; the one that holds it answers, and gives it up when another tab takes it. When two tabs
   *  ask at the same moment, the one with the smaller id keeps it. */
  function Screens() {
    var me = Date.now().toString(36) + Math.random().toString(36).slice(2);
    var held = {}, asking = {};
    var channel = typeof BroadcastChannel === 'function' ?
      new BroadcastChannel('course-learner:' + pageConfig('baseUrl', '/')) : null;

    function post(message) {
      message.from = me;
      channel.postMessage(message);
    }

    if (channel) {
      channel.onmessage = function (event) {
        var m = event.data || {};
        if (m.from === me || typeof m.path !== 'string') { return; }
        if (m.type === 'who' && (held[m.path] || (asking[m.path] && me < m.from))) {
          post({ type: 'here', path: m.path, to: m.from });
        } else if (m.type === 'here' && m.to === me && asking[m.path]) {
          asking[m.path].elsewhere = true;
        } else if (m.type === 'take' && held[m.path]) {
          var page = held[m.path];
          delete held[m.path];
          page.movedAway();
        }
      };
    }

    /** Resolves true if this tab may use the page (nobody else has it), else false. */
    this.claim = function (path, page) {
      if (!channel) {
        held[path] = page;
        return Promise.resolve(true);
      }
      var ask = asking[path] = { elsewhere: false };
      post({ type: 'who', path: path });
      return new Promise(function (resolve) { setTimeout(resolve, 400); }).then(function () {
        delete asking[path];
        if (ask.elsewhere) { return false; }
        held[path] = page;
        return true;
      });
    };

    /** Use the page here: the tab that had it shows its cover. */
    this.take = function (path, page) {
      held[path] = page;
      if (channel) { post({ type: 'take', path: path }); }
    };

    this.release = function (path, page) {
      if (held[path] === page) { delete held[path]; }
    };
  }

  // -- keeping a course page as the course made it -------------------------------------------------

  /** Keys that change cells even with Ctrl or Alt (run, split, move, undo, paste, run and insert). */
  var CHANGING = /^(Enter|-|_|z|Z|y|Y|x|X|v|V|ArrowUp|ArrowDown)$/;

  function guard(panel, notice, say) {
    var node = panel.node;
    node.addEventListener('keydown', function (event) {
      var accel = event.ctrlKey || event.metaKey;
      if (accel && !event.altKey && (event.key === 's' || event.key === 'S')) {
        event.preventDefault(); // not the browser's "Save page as" either
        event.stopPropagation();
        notice.show(say('nothingToSave'), false, 8);
      } else if ((!accel && !event.altKey) || (event.altKey && event.key === 'Enter') ||
                 (accel && CHANGING.test(event.key))) {
        event.stopPropagation(); // the page's own boxes still get their keys; JupyterLab's shortcuts do not
      }
    });
    ['dblclick', 'lm-dragenter', 'lm-dragover', 'lm-drop'].forEach(function (type) {
      node.addEventListener(type, function (event) {
        if (!(event.target.closest && event.target.closest('.jp-OutputArea'))) { event.stopPropagation(); }
      }, true);
    });
    node.addEventListener('contextmenu', function (event) { event.stopPropagation(); }); // the browser's own menu
    var model = panel.model;
    model.dirty = false;
    model.stateChanged.connect(function (_, change) {
      if (change.name === 'dirty' && change.newValue) { model.dirty = false; }
    });
  }

  function codeCells(panel) {
    return panel.content.widgets.filter(function (cell) { return cell.model.type === 'code'; });
  }

  /** Drop outputs saved in the file: their widgets belonged to a kernel that is gone. */
  function forgetOutputs(panel) {
    codeCells(panel).forEach(function (cell) {
      cell.model.sharedModel.transact(function () { cell.model.clearExecution(); }, false);
    });
  }

  // -- a course page ---------------------------------------------------------------------------------

  function CoursePage(app, panel, cells, course) {
    var self = this;
    var path = panel.context.path;
    var meta = panel.model.getMetadata('course') || {};
    var say = wordsOf(meta);
    var notice = new Notice(panel, say);
    var cover = new Cover(panel);
    var session = panel.sessionContext;
    var generation = 0, restarting = false, holding = false, running = null, lastReady = 0, preparedKernel = null;
    var hasCode = codeCells(panel).length > 0;

    panel.addClass('course-lesson');
    guard(panel, notice, say);
    forgetOutputs(panel);
    panel.model.dirty = false;
    if (course.view.isCourse()) { panel.toolbar.setHidden(true); }

    function prepare() {
      var mine = ++generation;
      var kernel = session.session && session.session.kernel;
      if (!kernel) {
        notice.show(say('noKernel'), true);
        return Promise.resolve();
      }
      notice.show(say('ready'));
      preparedKernel = kernel.id;
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
      running = run.then(function () {
        if (mine !== generation || panel.isDisposed) { return; }
        panel.model.dirty = false;
        lastReady = Date.now();
        if (failed) { notice.show(say('problem'), true); } else { notice.hide(); }
      }, function (err) {
        console.warn('course-learner: the page did not get ready', err);
        if (mine === generation) { notice.show(say('problem'), true); }
      });
      return running;
    }

    this.movedAway = function () {
      holding = false;
      generation++; // stop a preparation under way
      notice.hide();
      cover.show(say('movedAway'), say('bringBack'), useHere);
    };

    function useHere() {
      holding = true;
      course.screens.take(path, self);
      prepare();
    }

    if (!hasCode) {
      // Nothing to run (the course home, the glossary): no kernel kept waiting for nothing.
      session.ready.then(function () {
        if (!panel.isDisposed && session.session) { session.shutdown(); }
      });
      return;
    }

    notice.show(say('ready'));
    Promise.all([session.ready, course.screens.claim(path, self)]).then(function (results) {
      holding = results[1];
      if (panel.isDisposed) { return; }
      if (holding) { prepare(); } else { notice.hide(); cover.show(say('elsewhere'), say('useHere'), useHere); }
      session.kernelChanged.connect(function (_, change) {
        if (change.newValue && change.newValue.id !== preparedKernel && holding) { prepare(); }
      });
      session.statusChanged.connect(function (_, status) {
        if (status === 'restarting' || status === 'autorestarting') {
          restarting = true;
        } else if (restarting && status === 'idle') {
          restarting = false;
          if (holding) { prepare(); }
        }
      });
    });

    if (meta.page === 'progress') {
      // My progress is made again whenever it comes back into view, so it is never stale.
      var again = function () {
        if (holding && lastReady && Date.now() - lastReady > 2000 && app.shell.currentWidget === panel &&
            document.visibilityState === 'visible') {
          running.then(prepare);
        }
      };
      app.shell.currentChanged.connect(again);
      document.addEventListener('visibilitychange', again);
      panel.disposed.connect(function () {
        app.shell.currentChanged.disconnect(again);
        document.removeEventListener('visibilitychange', again);
      });
    }
    panel.disposed.connect(function () { course.screens.release(path, self); });
  }

  // -- the course view, or the full JupyterLab -------------------------------------------------------

  var SHELL = '@jupyterlab/application-extension:shell';
  var MENUS = '@jupyterlab/mainmenu-extension:plugin';
  var STATUS_BAR = '@jupyterlab/statusbar-extension:plugin';
  var HIDDEN_MENUS = ['jp-mainmenu-edit', 'jp-mainmenu-run', 'jp-mainmenu-kernel', 'jp-mainmenu-tabs'];

  /** The course view is the settings overrides' defaults (simple interface, four menus hidden, no
   *  status bar); the full JupyterLab is the learner's own settings over them, so either stays
   *  chosen from one start to the next, and the settings editor shows it. */
  function CourseView(app, registry, mainMenu, say) {
    var full = false;
    this.ready = registry ? registry.load(SHELL).then(function (settings) {
      full = settings.user.startMode === 'multiple';
      document.body.classList.toggle('course-view', !full);
    }).catch(function () { return undefined; }) : Promise.resolve();
    document.body.classList.add('course-view');
    this.isCourse = function () { return !full; };

    function choose(settings) {
      return Promise.all(settings).then(function () { window.location.reload(); });
    }

    app.commands.addCommand('course-learner:full-lab', {
      label: function () { return say(full ? 'courseView' : 'fullLab'); },
      isVisible: function () { return !!registry; },
      execute: function () {
        if (full) {
          app.shell.mode = 'single-document';
          return choose([registry.remove(SHELL, 'startMode'), registry.remove(MENUS, 'menus'),
                         registry.remove(STATUS_BAR, 'visible')]);
        }
        app.shell.mode = 'multiple-document';
        return choose([registry.set(SHELL, 'startMode', 'multiple'),
                       registry.set(MENUS, 'menus', HIDDEN_MENUS.map(function (id) {
                         return { id: id, disabled: false };
                       })),
                       registry.set(STATUS_BAR, 'visible', true)]);
      }
    });
    if (mainMenu) { mainMenu.viewMenu.addGroup([{ command: 'course-learner:full-lab' }], 1000); }
  }

  /** In the course view, a course page opened replaces the course page before it (its kernel is
   *  shut down a minute later, unless the page is open again, here or in another tab), as following
   *  a link on a web site: one tab per page, and not a kernel for every page ever opened. */
  function onePageAtATime(app, tracker, course, panel) {
    if (!course.view.isCourse()) { return; }
    tracker.forEach(function (other) {
      if (other === panel || !other.hasClass('course-lesson') || other.context.path === panel.context.path) {
        return;
      }
      var path = other.context.path;
      var session = other.sessionContext.session;
      var ids = session && session.kernel ? { session: session.id, kernel: session.kernel.id } : null;
      other.close();
      if (ids) { setTimeout(function () { shutDownIfUnused(app, tracker, path, ids); }, 60000); }
    });
  }

  function shutDownIfUnused(app, tracker, path, ids) {
    var open = false;
    tracker.forEach(function (p) { open = open || p.context.path === path; });
    if (open) { return; }
    var kernels = app.serviceManager.kernels;
    Promise.resolve(kernels.refreshRunning()).then(function () {
      return kernels.findById(ids.kernel);
    }).then(function (model) {
      if (model && model.connections) { return; } // another tab uses it
      return app.serviceManager.sessions.shutdown(ids.session);
    }).catch(function () { return undefined; });
  }

  /** The browser's Back and Forward buttons open the page they lead to (JupyterLab only changes
   *  the address). */
  function backButton(app, tracker) {
    var base = pageConfig('baseUrl', '/');
    // JupyterLab adds the page it shows to the history even when the address is already that
    // page's (as after Back): that would cut off Forward, and make the next Back seem to do nothing.
    var push = window.history.pushState;
    window.history.pushState = function (state, title, url) {
      try {
        if (url && new URL(url, window.location.href).pathname === window.location.pathname) { return; }
      } catch (e) { /* an address we cannot read: leave it to the browser */ }
      return push.apply(window.history, arguments);
    };
    window.addEventListener('popstate', function () {
      var here = window.location.pathname;
      here = here.indexOf(base) === 0 ? here.slice(base.length) : here;
      var m = /^(?:lab\/)?(?:doc\/)?(?:workspaces\/[^/]+\/)?tree\/(.+\.ipynb)$/.exec(here);
      if (!m) { return; }
      var path = decodeURIComponent(m[1]);
      var current = tracker.currentWidget;
      if (current && current.context.path === path && app.shell.currentWidget === current) { return; }
      app.commands.execute('docmanager:open', { path: path });
    });
  }

  /** A widget button's click is sent to the kernel only once every value changed before it has
   *  reached the kernel. ipywidgets sends one change of a widget at a time and holds the next until
   *  the kernel has handled it, but a click on another widget goes at once, so the click could
   *  overtake what the learner typed or ticked just before it (most often while the kernel is still
   *  busy getting the page ready, or rebuilding a form). */
  function orderClicks(base) {
    var proto = base && base.WidgetModel && base.WidgetModel.prototype;
    if (!proto || proto.__courseOrdered) { return; }
    proto.__courseOrdered = true;
    var busy = new Set();
    var sendSync = proto.send_sync_message;
    var send = proto.send;
    proto.send_sync_message = function () {
      busy.add(this);
      return sendSync.apply(this, arguments);
    };
    proto.send = function (content) {
      var self = this, args = arguments;
      if (!content || content.event !== 'click') { return send.apply(this, args); }
      var deadline = Date.now() + 15000;
      (function attempt() {
        busy.forEach(function (m) {
          if (!m.comm || (m._pending_msgs < 1 && m._msg_buffer === null)) { busy.delete(m); }
        });
        if (!busy.size || Date.now() > deadline) { send.apply(self, args); } else { setTimeout(attempt, 25); }
      })();
    };
  }

  /** The simple interface's title box renames the page it shows: not a course page (the server
   *  refuses it too, but a learner should not be offered it). */
  function titleBox(app) {
    function update() {
      var input = document.querySelector('#jp-title-panel-title input');
      var current = app.shell.currentWidget;
      if (input) { input.readOnly = !!(current && current.hasClass('course-lesson')); }
    }
    app.shell.currentChanged.connect(update);
    return update;
  }

  function plugin(notebook, cells, settingregistry, mainmenu) {
    return {
      id: 'course-learner:lessons',
      description: 'The learner\'s JupyterLab as a course: course pages open ready, cannot be changed, ' +
        'and live on one screen.',
      autoStart: true,
      requires: [notebook.INotebookTracker],
      optional: [settingregistry.ISettingRegistry, mainmenu.IMainMenu],
      activate: function (app, tracker, registry, mainMenu) {
        addStyle();
        pageHelpers();
        var allowed = courseNotebooks();
        // the View menu's words: those of the course page opened last, in its language
        var course = { say: wordsOf(null), screens: new Screens(), title: titleBox(app) };
        course.view = new CourseView(app, registry, mainMenu, function (key) { return course.say(key); });
        shared('@jupyter-widgets/base').then(orderClicks, function (err) {
          console.warn('course-learner: clicks are not ordered', err);
        });

        function watch(panel) {
          Promise.all([panel.context.ready, course.view.ready]).then(function () {
            var meta = panel.model && panel.model.getMetadata('course');
            var isCourse = meta && typeof meta === 'object' && !Array.isArray(meta);
            if (panel.isDisposed || !isCourse || !allowed.has(panel.context.path)) { return; }
            onePageAtATime(app, tracker, course, panel);
            course.say = wordsOf(meta);
            new CoursePage(app, panel, cells, course);
            course.title();
          });
        }

        tracker.forEach(watch);
        tracker.widgetAdded.connect(function (_, panel) { watch(panel); });
        backButton(app, tracker);
        // On a phone-sized screen, side panels restored from a wider one would leave the page no room.
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
      return Promise.all([shared('@jupyterlab/notebook'), shared('@jupyterlab/cells'),
                          shared('@jupyterlab/settingregistry'), shared('@jupyterlab/mainmenu')]).then(function (libs) {
        var extension = { __esModule: true, default: plugin(libs[0], libs[1], libs[2], libs[3]) };
        return function () { return extension; };
      });
    }
  };
})();
