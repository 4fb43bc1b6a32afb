/* hamfoot slides: the rendered lesson (Voilà, live widgets) cut into slides for a projector.
 *
 * Cells carry data-slide-type from their slideshow metadata (template index.html.j2):
 * "slide"/"subslide" start a slide, "fragment" starts a step revealed by the next key press,
 * "notes" become the slide's speaker notes (key N), "skip" is left out, "-" continues.
 * Text that does not fit one screen continues on the next slide ("… continued"): whole blocks
 * move, tables and lists split between rows. A slide holding a widget is never split.
 * Keys: → ↓ Space PageDown next; ← ↑ PageUp back; Home/End; N notes. A key pressed inside a
 * widget (slider, menu, text box) stays with the widget; Esc leaves the widget.
 */
(function () {
  'use strict';
  const deck = { slides: [], index: 0, step: 0 };
  window.hamfootSlides = deck;

  const WIDGET = '.jupyter-widgets, .widget-area, script[type="application/vnd.jupyter.widget-view+json"]';

  function cellsOf(root) {
    return Array.from(root.querySelectorAll('.hf-cell'));
  }

  function isEmpty(cell) {
    // A code cell with no visible output (e.g. the import cell) takes no room on a slide.
    if (cell.dataset.cellType !== 'code') return !cell.textContent.trim() && !cell.querySelector('img');
    return !cell.querySelector('.jp-OutputArea-output');
  }

  // ------------------------------------------------------------------ grouping
  function group(cells) {
    const slides = [];
    let cur = null;
    for (const cell of cells) {
      const t = cell.dataset.slideType || '-';
      if (t === 'skip') { cell.remove(); continue; }
      if (t === 'notes') {
        if (cur) cur.notes.push(cell); else cell.remove();
        continue;
      }
      if (!cur || t === 'slide' || t === 'subslide') {
        cur = { blocks: [], notes: [], fragments: 0 };
        slides.push(cur);
      }
      if (isEmpty(cell)) { cell.classList.add('hf-empty'); }
      if (t === 'fragment') cur.fragments += 1;
      cell.dataset.step = String(cur.fragments);
      cur.blocks.push(cell);
    }
    return slides.filter(s => s.blocks.some(b => !b.classList.contains('hf-empty')) || s.notes.length);
  }

  // ------------------------------------------------------------------ building and fitting
  function newSection(parent) {
    const s = document.createElement('section');
    s.className = 'hf-slide';
    s.setAttribute('role', 'region');
    s.setAttribute('aria-roledescription', 'slide');
    const body = document.createElement('div');
    body.className = 'hf-body';
    s.appendChild(body);
    parent.appendChild(s);
    return s;
  }

  function overflows(section) {
    return section.scrollHeight > section.clientHeight + 1;
  }

  function headingOf(slide) {
    for (const b of slide.blocks) {
      const h = b.querySelector('h1, h2, h3');
      if (h) return h.textContent.replace(/¶\s*$/, '').trim();
    }
    return '';
  }

  function continuedHeading(text) {
    const h = document.createElement('h2');
    h.className = 'hf-continued';
    h.textContent = text ? `${text} (continued)` : '(continued)';
    return h;
  }

  // Split an element with rows (table body, list) so that the first part fits `section`.
  // Returns the remainder element (or null when nothing could be moved).
  function splitRows(el, section) {
    const table = el.matches('table') ? el : el.querySelector('table');
    const list = !table && (el.matches('ul, ol') ? el : el.querySelector('ul, ol'));
    const holder = table ? (table.tBodies[0] || table) : list;
    if (!holder) return null;
    const rows = Array.from(holder.children).filter(r => r.tagName !== 'THEAD');
    if (rows.length < 2) return null;
    const rest = el.cloneNode(true);
    const restHolder = table
      ? (rest.querySelector('table').tBodies[0] || rest.querySelector('table'))
      : (rest.matches('ul, ol') ? rest : rest.querySelector('ul, ol'));
    Array.from(restHolder.children).filter(r => r.tagName !== 'THEAD').forEach(r => r.remove());
    // Move rows from the end to the remainder until the first part fits (keep at least one).
    let moved = 0;
    while (overflows(section) && rows.length - moved > 1) {
      const r = rows[rows.length - 1 - moved];
      restHolder.insertBefore(r, restHolder.firstChild ? restHolder.firstChild : null);
      moved += 1;
    }
    if (!moved) return null;
    if (list && list.tagName === 'OL') {
      const start = parseInt(list.getAttribute('start') || '1', 10);
      restHolder.setAttribute('start', String(start + rows.length - moved));
    }
    return rest;
  }

  // The blocks of a text cell that can move to the next slide one by one.
  function pieces(cell) {
    const md = cell.querySelector('.jp-RenderedMarkdown, .jp-RenderedHTMLCommon');
    if (cell.dataset.cellType === 'markdown' && md && md.children.length > 1) {
      return Array.from(md.children).map(child => {
        const w = cell.cloneNode(false);
        const inner = md.cloneNode(false);
        inner.appendChild(child);
        w.appendChild(inner);
        return w;
      });
    }
    return [cell];
  }

  function build(slide, container, number) {
    const hasWidget = slide.blocks.some(b => b.querySelector(WIDGET));
    const heading = headingOf(slide);
    let section = newSection(container);
    const made = [section];
    const place = (s) => {
      s.dataset.source = String(number);
      s.dataset.fragments = String(slide.fragments);
      if (hasWidget) s.classList.add('hf-widget-slide');
    };
    place(section);
    if (hasWidget) {
      slide.blocks.forEach(b => section.firstChild.appendChild(b));
    } else {
      const queue = slide.blocks.flatMap(pieces);
      while (queue.length) {
        const block = queue.shift();
        const body = section.firstChild;
        body.appendChild(block);
        if (!overflows(section)) continue;
        const alone = body.children.length === 1 || (body.children.length === 2 && body.firstChild.classList.contains('hf-continued'));
        if (!alone) {
          block.remove();
        } else {
          const rest = splitRows(block, section);
          if (!rest) continue; // cannot split: the slide overflows (the browser test reports it)
          queue.unshift(rest);
        }
        section = newSection(container);
        place(section);
        section.firstChild.appendChild(continuedHeading(heading));
        made.push(section);
        if (alone) continue;
        queue.unshift(block);
      }
    }
    // Speaker notes go with the first part of the slide.
    const notes = document.createElement('aside');
    notes.className = 'hf-notes';
    notes.setAttribute('aria-label', 'Speaker notes');
    slide.notes.forEach(n => notes.appendChild(n));
    made[0].appendChild(notes);
    made.forEach((s, i) => {
      s.dataset.part = String(i + 1);
      s.dataset.parts = String(made.length);
      const f = Math.max(0, ...Array.from(s.querySelectorAll('.hf-cell')).map(c => +c.dataset.step || 0));
      s.dataset.fragments = String(f);
    });
    return made;
  }

  // ------------------------------------------------------------------ navigation
  function show(index, step) {
    const n = deck.slides.length;
    deck.index = Math.max(0, Math.min(n - 1, index));
    const cur = deck.slides[deck.index];
    const max = +cur.dataset.fragments || 0;
    const first = +(cur.querySelector('.hf-cell') || { dataset: { step: 0 } }).dataset.step || 0;
    deck.step = Math.max(first, Math.min(max, step === Infinity ? max : step));
    deck.slides.forEach((s, i) => {
      const on = i === deck.index;
      s.classList.toggle('hf-present', on);
      s.setAttribute('aria-hidden', on ? 'false' : 'true');
      if (!on) s.setAttribute('inert', ''); else s.removeAttribute('inert');
    });
    cur.querySelectorAll('.hf-cell').forEach(c => {
      c.classList.toggle('hf-hidden-step', (+c.dataset.step || 0) > deck.step);
    });
    const counter = document.getElementById('hf-counter');
    if (counter) counter.textContent = `${deck.index + 1} / ${n}`;
    const notes = document.getElementById('hf-notes-panel');
    if (notes) {
      const aside = cur.querySelector('.hf-notes') || deck.slides.slice(0, deck.index).reverse()
        .map(s => s.querySelector('.hf-notes')).find(Boolean);
      notes.innerHTML = aside && aside.textContent.trim() ? aside.innerHTML : '<p>No speaker notes for this slide.</p>';
    }
    if (location.hash !== `#${deck.index + 1}`) history.replaceState(null, '', `#${deck.index + 1}`);
  }

  function next() {
    const cur = deck.slides[deck.index];
    if (deck.step < (+cur.dataset.fragments || 0)) show(deck.index, deck.step + 1);
    else if (deck.index < deck.slides.length - 1) show(deck.index + 1, 0);
  }

  function prev() {
    const cur = deck.slides[deck.index];
    const first = +(cur.querySelector('.hf-cell') || { dataset: { step: 0 } }).dataset.step || 0;
    if (deck.step > first) show(deck.index, deck.step - 1);
    else if (deck.index > 0) show(deck.index - 1, Infinity);
  }

  function inWidget(el) {
    return !!(el && el.closest && el.closest('.jupyter-widgets, input, textarea, select, [contenteditable="true"]'));
  }

  function onKey(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (inWidget(e.target)) {
      if (e.key === 'Escape') { e.target.blur(); document.getElementById('hf-deck').focus(); e.preventDefault(); }
      return; // the widget's own key
    }
    const k = e.key;
    if (['ArrowRight', 'ArrowDown', ' ', 'PageDown', 'Enter'].includes(k)) next();
    else if (['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].includes(k)) prev();
    else if (k === 'Home') show(0, 0);
    else if (k === 'End') show(deck.slides.length - 1, Infinity);
    else if (k === 'n' || k === 'N') document.body.classList.toggle('hf-show-notes');
    else return;
    e.preventDefault();
  }

  // ------------------------------------------------------------------ start
  function start() {
    const source = document.getElementById('rendered_cells') || document.body;
    const cells = cellsOf(source);
    if (!cells.length || document.getElementById('hf-deck')) return;
    const slides = group(cells);
    const container = document.createElement('main');
    container.id = 'hf-deck';
    container.tabIndex = -1;
    container.setAttribute('aria-label', document.title || 'Slides');
    document.body.appendChild(container);
    document.body.classList.add('hf-presenting', 'hf-measuring');
    deck.slides = slides.flatMap((s, i) => build(s, container, i));
    document.body.classList.remove('hf-measuring');
    source.style.display = 'none';
    const bar = document.createElement('div');
    bar.id = 'hf-bar';
    bar.innerHTML = '<span id="hf-counter" aria-live="polite"></span>'
      + '<span class="hf-keys">→ next · ← back · N notes · Esc leaves a widget</span>';
    document.body.appendChild(bar);
    const panel = document.createElement('aside');
    panel.id = 'hf-notes-panel';
    panel.setAttribute('aria-label', 'Speaker notes');
    document.body.appendChild(panel);
    document.addEventListener('keydown', onKey);
    const fromHash = parseInt((location.hash || '#1').slice(1), 10);
    show(Number.isFinite(fromHash) ? fromHash - 1 : 0, 0);
    container.focus();
    deck.ready = true;
    document.body.dataset.hfReady = 'true';
  }
  deck.start = start;
  deck.next = next;
  deck.prev = prev;
  deck.show = show;

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
