"""Page scripts for the keyboard, layout and latency tests: find a widget's controls, snapshot the
notebook's cells, and time a key press to the widget's updated output.

Kept apart from _helpers.py (the suite's server and pages) because these scripts are about what a
learner's keyboard meets inside one widget.
"""

from __future__ import annotations

# Every focusable control inside one cell's widget outputs, tagged data-hf-control="<cell>-<k>".
# One record per radio group (Tab stops once in a group). `kind` is the control type hamfoot uses.
CONTROLS_JS = r"""
(cellIndex) => {
  const nb = window.jupyterapp.shell.currentWidget;
  const cell = nb.content.widgets[cellIndex].node;
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const kindOf = el => {
    if (el.matches('input[type=radio]')) return 'radio';
    if (el.matches('select')) return 'dropdown';
    if (el.matches('input[type=number]')) return 'number';
    if (el.matches('input[type=checkbox]')) return 'checkbox';
    if (el.matches('input[list]')) return 'combobox';
    if (el.matches('input, textarea')) return 'text';
    if (el.matches('.noUi-handle')) return 'slider';
    if (el.matches('.widget-toggle-buttons button')) return 'toggle';
    if (el.matches('button')) return 'button';
    if (el.matches('.widget-readout')) return 'readout';
    return 'other';
  };
  const label = el => {
    const aria = el.getAttribute('aria-label'); if (aria) return aria;
    if (el.tagName === 'BUTTON') return el.innerText.trim() || el.title;
    const box = el.closest('.widget-inline-hbox, .widget-inline-vbox, .widget-checkbox, .widget-radio');
    const l = box && box.querySelector('.widget-label');
    return ((l && l.innerText) || (el.closest('label') || {}).innerText || '').trim();
  };
  cell.querySelectorAll('[data-hf-control]').forEach(e => e.removeAttribute('data-hf-control'));  // stale tags of rebuilt controls
  const out = []; const groups = new Set(); let k = 0;
  const sel = 'input:not([type=hidden]), select, textarea, button, .noUi-handle, .widget-readout[contenteditable=true]';
  cell.querySelectorAll('.jp-OutputArea-output').forEach(area => {
    area.querySelectorAll(sel).forEach(el => {
      if (!visible(el) || el.disabled) return;
      const kind = kindOf(el);
      if (kind === 'radio') { const g = el.closest('.widget-radio-box'); if (groups.has(g)) return; groups.add(g); }
      const id = `${cellIndex}-${k++}`; el.setAttribute('data-hf-control', id);
      const root = el.closest('[data-lm-suppress-shortcuts]');
      out.push({id, kind, label: label(el).slice(0, 60), guarded: !!root,
                toggleActive: kind === 'toggle' ? el.classList.contains('mod-active') : null});
    });
  });
  return out;
}
"""

# What a shortcut could change: each cell's type, source and execution count, the active cell,
# the notebook's mode, and how many times it was saved since the page opened.
SNAPSHOT_JS = r"""
() => {
  const nb = window.jupyterapp.shell.currentWidget;
  if (!window.__hfSaveHook) {
    window.__hfSaves = 0; window.__hfSaveHook = true;
    nb.context.saveState.connect((_, s) => { if (s === 'completed') window.__hfSaves++; });
  }
  return {
    cells: nb.content.widgets.map(c => [c.model.type, c.model.sharedModel.getSource(),
                                        c.model.type === 'code' ? c.model.executionCount : null]),
    active: nb.content.activeCellIndex, mode: nb.content.mode, saves: window.__hfSaves,
  };
}
"""

# The observable state of one control (what "the widget responded" compares).
STATE_JS = r"""
(el) => {
  const g = el.closest('.widget-radio-box');
  return {
    value: el.value === undefined ? null : String(el.value),
    checked: el.checked === undefined ? null : el.checked,
    radio: g ? Array.from(g.querySelectorAll('input')).findIndex(i => i.checked) : null,
    now: el.getAttribute('aria-valuenow'),
    active: el.classList.contains('mod-active'),
    clicks: el.__hfClicks || 0,
    connected: el.isConnected,
    usable: el.isConnected && !el.disabled && !!el.getClientRects().length,
    focused: document.activeElement === el,
  };
}
"""

COUNT_CLICKS_JS = (
    "(el) => { el.__hfClicks = 0; el.addEventListener('click', () => el.__hfClicks++); }"
)

# Time a key press to the widget's updated output: a capture listener stamps the key, a
# MutationObserver stamps every change to an output (HTML, figure) inside the widget's box.
# Changes inside the control itself (its own value, a linked box) are not output.
ARM_JS = r"""
([el, key]) => {
  const root = el.closest('.jp-OutputArea-output');
  if (window.__hfObs) window.__hfObs.disconnect();
  window.__hfT = {key: null, first: null, last: null, n: 0};
  const isOutput = node => {
    const e = node.nodeType === 1 ? node : node.parentElement;
    return e && e.closest('.widget-html, .widget-htmlmath, .widget-output, .widget-image') && !e.contains(el);
  };
  window.__hfObs = new MutationObserver(muts => {
    const t = performance.now();
    if (window.__hfT.key === null) return;
    if (muts.some(m => isOutput(m.target))) {
      if (window.__hfT.first === null) window.__hfT.first = t;
      window.__hfT.last = t; window.__hfT.n++;
    }
  });
  window.__hfObs.observe(root, {subtree: true, childList: true, attributes: true, characterData: true});
  const stamp = e => { if (e.key === key) { window.__hfT.key = performance.now(); window.removeEventListener('keydown', stamp, true); } };
  window.addEventListener('keydown', stamp, true);
}
"""

# Kernel idle and no output change for `quiet` ms after the last one (or none within `none` ms).
SETTLED_JS = r"""
([quiet, none]) => {
  const nb = window.jupyterapp.shell.currentWidget;
  const k = nb.sessionContext.session && nb.sessionContext.session.kernel;
  const t = window.__hfT, now = performance.now();
  if (!k || k.status !== 'idle' || t.key === null) return false;
  return t.last === null ? now - t.key > none : now - t.last > quiet;
}
"""

# Settling after a burst of keys: a capture listener and a MutationObserver on the control's cell
# stamp the last key and the last change; settled = kernel idle and nothing new for `quiet` ms.
# Why: a button's press goes to the kernel and comes back as a rebuilt widget (e.g. "Check answer"
# becomes "Try again"); checking focus while that is still on its way races the kernel.
ARM_QUIET_JS = r"""
(el) => {
  const cell = el.closest('.jp-Cell') || document.body;
  if (window.__hfQuietObs) window.__hfQuietObs.disconnect();
  window.__hfLast = performance.now();
  window.__hfQuietObs = new MutationObserver(muts => {
    window.__hfLast = performance.now();
    const m = muts[muts.length - 1], t = m.target.nodeType === 1 ? m.target : m.target.parentElement;
    window.__hfLastWhat = `${m.type} ${m.attributeName || ''} on ${t && t.tagName}.${t && String(t.className).slice(0, 50)}`;
  });
  window.__hfQuietObs.observe(cell, {subtree: true, childList: true, attributes: true, characterData: true});
  if (!window.__hfKeyStamp) { window.__hfKeyStamp = true; window.addEventListener('keydown', () => { window.__hfLast = performance.now(); }, true); }
}
"""
QUIET_JS = r"""
(quiet) => {
  const nb = window.jupyterapp.shell.currentWidget;
  const k = nb.sessionContext.session && nb.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && performance.now() - window.__hfLast > quiet;
}
"""

# Layout: inside every widget output, elements whose content is cut or scrolls sideways, and
# raw Python reprs or content ids shown as text.
OVERFLOW_JS = r"""
(cellIndex) => {
  const nb = window.jupyterapp.shell.currentWidget;
  const cell = nb.content.widgets[cellIndex].node;
  const bad = [];
  cell.querySelectorAll('.jp-OutputArea-output .jupyter-widgets *').forEach(el => {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.visibility === 'hidden' || !el.getClientRects().length) return;
    // a text box scrolls what was typed into it by design; a select's popup is not the page
    if (el.matches('.noUi-target, .noUi-base, .noUi-connects, .noUi-origin, .noUi-handle, .noUi-touch-area, option, select, input, textarea, svg *')) return;
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
      bad.push({tag: el.tagName.toLowerCase(), cls: el.className && String(el.className).slice(0, 60),
                text: (el.innerText || el.value || '').trim().slice(0, 60), scroll: el.scrollWidth, client: el.clientWidth});
    }
  });
  return bad;
}
"""
