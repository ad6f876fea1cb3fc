// Problems a phone user would meet in the web view's question cards (run in the page by
// tests/test_web_layout.py): controls off their card or the screen, too small to tap,
// overlapping, or text cut off.
(() => {
  const problems = [];
  const W = window.innerWidth;
  const box = e => e.getBoundingClientRect();
  const visible = e => { const r = box(e); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
  const name = e => (e.innerText || e.value || e.getAttribute('aria-label') || e.tagName).trim().slice(0, 50);
  for (const card of document.querySelectorAll('.course-card')) {
    const c = box(card);
    if (c.left < -1 || c.right > W + 1) problems.push(`card wider than the screen: ${name(card)}`);
    // what a finger presses: a radio's or tick box's whole label, a dropdown, a button, a text box
    const targets = [...card.querySelectorAll(
      '.widget-radio-box label, .widget-checkbox label, select, button, textarea, input[type=text]')].filter(visible);
    for (const t of targets) {
      const r = box(t);
      if (r.left < c.left - 1 || r.right > c.right + 1) problems.push(`outside its card: ${name(t)}`);
      if (r.left < -1 || r.right > W + 1) problems.push(`off the screen: ${name(t)}`);
      if (r.height < 24 || r.width < 24) problems.push(`smaller than 24 px (${Math.round(r.width)}x${Math.round(r.height)}): ${name(t)}`);
    }
    for (let i = 0; i < targets.length; i++) for (let j = i + 1; j < targets.length; j++) {
      const a = box(targets[i]), b = box(targets[j]);
      if (targets[i].contains(targets[j]) || targets[j].contains(targets[i])) continue;
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left), y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 1 && y > 1) problems.push(`overlap: "${name(targets[i])}" and "${name(targets[j])}"`);
    }
    // text that does not fit its box (cut off, with or without an ellipsis)
    for (const t of card.querySelectorAll('label, button, span, .widget-label')) {
      if (!visible(t)) continue;
      const s = getComputedStyle(t);
      if (t.scrollWidth > t.clientWidth + 1 && (s.overflow === 'hidden' || s.overflowX === 'hidden' || s.textOverflow === 'ellipsis'))
        problems.push(`text cut off: ${name(t)}`);
    }
  }
  return problems;
})
