/* hamfoot slides: the rendered lesson (Voilà, live widgets) cut into slides for a projector.
 *
 * Cells carry data-slide-type from their slideshow metadata (template index.html.j2):
 * "slide"/"subslide" start a slide, "fragment" starts a step revealed by the next key press,
 * "notes" become the slide's speaker notes (key N), "skip" is left out, "-" continues.
 * Text that does not fit one screen continues on the next slide ("… continued"): whole blocks
 * move, tables and lists split between rows. A widget taller than the screen shows its rows in
 * parts; a text panel of a widget that outgrows the screen (it redraws as the class answers) is set
 * in columns, then shown a page at a time (→ turns its pages, "page 2 of 3" in the counter).
 * Keys: → ↓ Space PageDown next; ← ↑ PageUp back; Home/End; N notes. A key pressed inside a
 * widget (slider, menu, text box) stays with the widget; Esc leaves the widget.
 */
(function () {
  'use strict';
  const deck = { slides: [], index: 0, step: 0, page: 0 };
  window.hamfootSlides = deck;

  const WIDGET = '.jupyter-widgets';
  const PENDING = 'script[type="application/vnd.voila.cell-output+json"]';

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

  // The widget's own top-level box: its children are the rows the slide can show in parts.
  function widgetBox(section) {
    return section.querySelector('.jp-OutputArea-output .jupyter-widgets.widget-box, .jp-OutputArea-output .widget-box');
  }

  // Rows of a widget the slide can show in parts: the children of its box. (Not their inner
  // elements: a widget replaces those whenever it redraws.)
  // Rows of a widget the slide can show in parts: the children of its box. (Not their inner
  // elements: a widget may replace those whenever it redraws.)
  function widgetRows(section, box) {
    return Array.from(box.children);
  }

  // Parts of a widget are cut with room to spare: a widget grows a little when it redraws.
  function tooTall(section) {
    return section.scrollHeight > section.clientHeight * 0.94;
  }

  function showRows(rows, range) {
    rows.forEach((c, i) => c.classList.toggle('hf-part-hidden', !!range && (i < range[0] || i > range[1])));
    // Figure beside the controls only while the figure is on screen.
    const box = rows.length && rows[0].closest('.widget-box');
    if (box) {
      const fig = rows.find(r => r.querySelector('figure.hamfoot-figure'));
      box.classList.toggle('hf-no-grid', !!fig && fig.classList.contains('hf-part-hidden'));
    }
  }

  function aboveWidget(section) {
    return Array.from(section.firstChild.children).filter(c => !c.querySelector('.widget-box') && !c.classList.contains('hf-continued'));
  }

  // A widget too tall for one screen is shown in parts: consecutive rows per part, the same live
  // widget on each (nothing is copied, so every control keeps working).
  function widgetParts(section) {
    const box = widgetBox(section);
    if (!box || !overflows(section)) return [{ range: null }];
    const above = aboveWidget(section);
    const rows = widgetRows(section, box);
    const parts = [];
    let startAt = 0;
    while (startAt < rows.length && parts.length < 200) {
      above.forEach(c => c.classList.toggle('hf-part-hidden', parts.length > 0));
      let end = startAt;
      showRows(rows, [startAt, end]);
      while (end + 1 < rows.length) {
        showRows(rows, [startAt, end + 1]);
        if (tooTall(section)) break;
        end += 1;
      }
      showRows(rows, [startAt, end]);
      // A row taller than the screen on its own stays as it is: the browser test reports it
      // (CSS zoom does not shrink a widget's own layout reliably, so it is not tried).
      parts.push({ range: [startAt, end], rows });
      startAt = end + 1;
    }
    showRows(rows, null);
    above.forEach(c => c.classList.remove('hf-part-hidden'));
    return parts;
  }

  // A widget's text panel that grew past the screen after a redraw (more findings ticked, a
  // longer reading) is set in columns (two, then three); still too tall, it is shown a page at a
  // time: a window of the slide's height over the text laid out in two columns per page, and →
  // turns its pages before the next slide, like fragments. Nothing of the live widget is copied,
  // cut or scaled, so it keeps working; the fit is redone whenever the widget redraws.
  const COLS = ['hf-cols-2', 'hf-cols-3'];
  const PAGE_GAP = 24;
  function pagedRow(section) {
    return Array.from(section.querySelectorAll('.widget-html.hf-paged')).find(r => !r.closest('.hf-part-hidden')) || null;
  }
  function showPage(row, page) {
    const content = row.querySelector('.widget-html-content');
    const step = content.clientWidth + PAGE_GAP;
    const pages = Math.max(1, Math.round((content.scrollWidth + PAGE_GAP) / step));
    const p = Math.max(0, Math.min(pages - 1, page));
    row.dataset.hfPages = String(pages);
    row.dataset.hfPage = String(p);
    content.style.transform = `translateX(${-p * step}px)`;
    deck.page = p;
    const counter = document.getElementById('hf-counter');
    if (counter) counter.textContent = `${deck.index + 1} / ${deck.slides.length}` + (pages > 1 ? ` · page ${p + 1} of ${pages}` : '');
  }
  function fitWidget(section, page) {
    const box = widgetBox(section);
    if (!box) return;
    const keep = pagedRow(section);
    const wasPage = keep && !keep.closest('.hf-part-hidden') ? +keep.dataset.hfPage || 0 : 0;
    const all = Array.from(box.querySelectorAll('.widget-html'));
    const texts = all.filter(r => !r.querySelector('figure.hamfoot-figure') && !r.closest('.hf-part-hidden'));
    all.forEach(r => {
      r.classList.remove(...COLS, 'hf-paged');
      const c = r.querySelector('.widget-html-content');
      if (c) { c.style.height = ''; c.style.transform = ''; }
    });
    box.classList.remove('hf-stacked');
    deck.page = 0;
    if (!overflows(section)) return;
    // Beside a figure the text has a narrow column; under the figure it has the whole width.
    if (box.matches('.widget-vbox:has(figure.hamfoot-figure)') && !box.classList.contains('hf-no-grid')) {
      box.classList.add('hf-stacked');
    }
    const byHeight = texts.slice().sort((a, b) => b.offsetHeight - a.offsetHeight);
    for (const r of byHeight) {
      for (const c of COLS) {
        r.classList.remove(...COLS);
        r.classList.add(c);
        if (!overflows(section)) return;
      }
      r.classList.remove(...COLS);
    }
    const row = byHeight[0];
    const content = row && row.querySelector('.widget-html-content');
    if (!content) { box.classList.remove('hf-stacked'); return; }
    const extra = section.scrollHeight - section.clientHeight;
    row.classList.add('hf-paged');
    let h = Math.max(120, content.offsetHeight - extra - 12);
    content.style.height = `${h}px`;
    // The window's height is measured, not assumed: shrink it until the slide fits.
    for (let i = 0; i < 8 && overflows(section) && h > 120; i++) {
      h = Math.max(120, h - (section.scrollHeight - section.clientHeight) - 4);
      content.style.height = `${h}px`;
    }
    showPage(row, page === undefined ? wasPage : page);
  }

  // Refit the slide on screen whenever its widget redraws (Voilà replaces the panel's HTML).
  const refit = new MutationObserver(() => requestAnimationFrame(() => {
    if (deck.slides.length) fitWidget(current().el);
  }));

  function build(slide, container, number) {
    const heading = headingOf(slide);
    let section = newSection(container);
    const made = [section];
    const place = (s) => { s.dataset.source = String(number); };
    place(section);
    const fresh = () => {
      section = newSection(container);
      place(section);
      section.firstChild.appendChild(continuedHeading(heading));
      made.push(section);
    };
    const queue = slide.blocks.flatMap(b => (b.dataset.cellType === 'code' ? [b] : pieces(b)));
    let guard = 0;
    while (queue.length && guard++ < 2000) {
      const block = queue.shift();
      const body = section.firstChild;
      // A widget output (rendered, or still being drawn: no MIME type yet) is never cut or scaled.
      const isWidget = !!block.querySelector(`${WIDGET}, .jp-OutputArea-output:not([data-mime-type])`);
      body.appendChild(block);
      if (!overflows(section)) continue;
      const content = Array.from(body.children).filter(c => !c.classList.contains('hf-continued'));
      // A prediction prompt right before a widget moves on with it.
      const prev = block.previousElementSibling;
      const glued = isWidget && prev && !prev.classList.contains('hf-continued')
        && +prev.dataset.step > 0 && !prev.querySelector(WIDGET);
      const others = content.filter(c => c !== block && !(glued && c === prev));
      if (others.length) {
        block.remove();
        const carry = [block];
        if (glued) { prev.remove(); carry.unshift(prev); }
        fresh();
        queue.unshift(...carry);
        continue;
      }
      if (isWidget) continue; // alone and too tall: shown in parts below
      const rest = splitRows(block, section);
      if (!rest) {
        // One figure or paragraph taller than the screen: scale it down, to half size at most;
        // past that the slide overflows (and the browser test reports it).
        let zoom = 1;
        while (overflows(section) && zoom > 0.5) {
          zoom = Math.round((zoom - 0.05) * 100) / 100;
          block.style.zoom = String(zoom);
        }
        if (zoom < 1) block.dataset.hfZoom = String(zoom);
        continue;
      }
      fresh();
      queue.unshift(rest);
    }
    const notes = document.createElement('aside');
    notes.className = 'hf-notes';
    notes.setAttribute('aria-label', 'Speaker notes');
    slide.notes.forEach(n => notes.appendChild(n));
    made[0].appendChild(notes);
    const entries = [];
    made.forEach(s => {
      if (s.querySelector(WIDGET)) s.classList.add('hf-widget-slide');
      for (const p of widgetParts(s)) entries.push({ el: s, range: p.range, rows: p.rows });
    });
    entries.forEach((e, i) => {
      e.part = i + 1;
      e.parts = entries.length;
      e.fragments = Math.max(0, ...Array.from(e.el.querySelectorAll('.hf-cell')).map(c => +c.dataset.step || 0));
      e.first = Math.min(...Array.from(e.el.querySelectorAll('.hf-cell')).map(c => +c.dataset.step || 0), e.fragments);
      if (e.range && e.range[0] > 0) e.first = e.fragments; // later parts of a widget: all shown
    });
    return entries;
  }

  // ------------------------------------------------------------------ navigation
  function show(index, step, page) {
    const n = deck.slides.length;
    deck.index = Math.max(0, Math.min(n - 1, index));
    const cur = deck.slides[deck.index];
    deck.step = Math.max(cur.first, Math.min(cur.fragments, step === Infinity ? cur.fragments : step));
    deck.slides.forEach(e => {
      const on = e.el === cur.el;
      e.el.classList.toggle('hf-present', on);
      e.el.setAttribute('aria-hidden', on ? 'false' : 'true');
      if (on) e.el.removeAttribute('inert'); else e.el.setAttribute('inert', '');
    });
    deck.slides.filter(e => e.el === cur.el && e.rows).slice(0, 1).forEach(e => showRows(e.rows, cur.range));
    aboveWidget(cur.el).forEach(c => c.classList.toggle('hf-part-hidden', !!cur.range && cur.range[0] > 0));
    cur.el.querySelectorAll('.hf-cell').forEach(c => {
      c.classList.toggle('hf-hidden-step', (+c.dataset.step || 0) > deck.step);
    });
    cur.el.dataset.part = `${cur.part}/${cur.parts}`;
    const counter = document.getElementById('hf-counter');
    if (counter) counter.textContent = `${deck.index + 1} / ${n}`;
    const notes = document.getElementById('hf-notes-panel');
    if (notes) {
      const aside = cur.el.querySelector('.hf-notes');
      notes.innerHTML = aside && aside.textContent.trim() ? aside.innerHTML : '<p>No speaker notes for this slide.</p>';
    }
    refit.disconnect();
    fitWidget(cur.el, page || 0);
    const box = widgetBox(cur.el);
    if (box) refit.observe(box, { childList: true, subtree: true, characterData: true });
    if (location.hash !== `#${deck.index + 1}`) history.replaceState(null, '', `#${deck.index + 1}`);
  }

  function current() { return deck.slides[deck.index]; }

  function next() {
    const cur = current();
    const paged = pagedRow(cur.el);
    if (paged && deck.step >= cur.fragments && +paged.dataset.hfPage < +paged.dataset.hfPages - 1) {
      showPage(paged, +paged.dataset.hfPage + 1);
    } else if (deck.step < cur.fragments) show(deck.index, deck.step + 1);
    else if (deck.index < deck.slides.length - 1) show(deck.index + 1, 0);
  }

  function prev() {
    const cur = current();
    const paged = pagedRow(cur.el);
    if (paged && +paged.dataset.hfPage > 0) showPage(paged, +paged.dataset.hfPage - 1);
    else if (deck.step > cur.first) show(deck.index, deck.step - 1);
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
    const cells = cellsOf(source).filter(c => !c.parentElement.closest('.hf-cell'));
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
  deck.current = () => current().el;
  deck.widgetBox = widgetBox;

  // Voilà renders the outputs (and then the widgets) in the page after the HTML arrives: wait for
  // them, so each slide is measured with what it will show (at most 60 s, then build anyway and
  // mark the page incomplete: data-hf-complete="false").
  function outputsRendered() {
    const root = document.getElementById('rendered_cells') || document.body;
    if (root.querySelector(PENDING)) return false;
    return Array.from(root.querySelectorAll('.jp-OutputArea-output')).every(o =>
      o.dataset.mimeType || o.querySelector('.jupyter-widgets, .jupyter-widgets-error-widget')
      || /Error displaying widget|model not found/i.test(o.textContent));
  }

  function whenRendered() {
    const t0 = Date.now();
    (function poll() {
      const done = outputsRendered();
      if (done || Date.now() - t0 > 60000) {
        document.body.dataset.hfComplete = String(done);
        // one more frame so the widgets' layout has settled
        requestAnimationFrame(() => requestAnimationFrame(start));
      } else setTimeout(poll, 50);
    })();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', whenRendered);
  else whenRendered();
})();
