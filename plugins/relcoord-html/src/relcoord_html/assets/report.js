/* relcoord-html: the report page's script (inlined into every page; no dependency).
 * The page is complete without it; this adds the language switch, the map's tooltips,
 * selection, filters, zoom and pan, the heat map's tooltips and sortable tables. */
(function () {
  'use strict';

  var tip = document.createElement('div');
  tip.className = 'rc-tip';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  document.body.appendChild(tip);

  function showTip(text, x, y) {
    tip.textContent = text;
    tip.hidden = false;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    var left = Math.min(x + 14, window.innerWidth - w - 8);
    var top = y + 16 + h > window.innerHeight ? y - h - 10 : y + 16;
    tip.style.left = Math.max(4, left) + 'px';
    tip.style.top = Math.max(4, top) + 'px';
  }
  function tipAt(text, element) {
    var box = element.getBoundingClientRect();
    showTip(text, box.right, box.top + box.height / 2);
  }
  function hideTip() { tip.hidden = true; }

  function fill(phrase, fields) {
    return phrase.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(fields, key) ? String(fields[key]) : all;
    });
  }

  /* --- the language switch ------------------------------------------------------------ */
  var roots = Array.prototype.slice.call(document.querySelectorAll('.rc-lang'));
  var switches = Array.prototype.slice.call(document.querySelectorAll('.rc-lang-to'));
  switches.forEach(function (button) {
    button.addEventListener('click', function () {
      roots.forEach(function (root) { root.hidden = root.dataset.lang !== button.dataset.to; });
      switches.forEach(function (b) { b.setAttribute('aria-pressed', String(b === button)); });
      document.documentElement.lang = button.getAttribute('lang');
      hideTip();
    });
  });

  roots.forEach(function (root) {
    var words = JSON.parse(root.querySelector('script.rc-words').textContent);
    var number = new Intl.NumberFormat(words.tag, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    var context = { words: words, number: number, root: root };
    Array.prototype.forEach.call(root.querySelectorAll('figure.rc-map'), function (figure) {
      setupMap(figure, context);
    });
    Array.prototype.forEach.call(root.querySelectorAll('svg.rc-heat-svg'), function (svg) {
      setupHeat(svg, context);
    });
    Array.prototype.forEach.call(root.querySelectorAll('table[data-sortable]'), function (table) {
      setupSort(table, root.getAttribute('lang'));
    });
  });

  /* --- the network map ----------------------------------------------------------------- */
  function setupMap(figure, context) {
    var words = context.words;
    var svg = figure.querySelector('svg.rc-map-svg');
    var nodes = Array.prototype.slice.call(svg.querySelectorAll('.rc-node'));
    var arrows = Array.prototype.slice.call(svg.querySelectorAll('.rc-arrow'));
    var names = nodes.map(function (node) { return node.dataset.name; });
    var count = figure.querySelector('.rc-count');
    var pick = figure.querySelector('.rc-pick');
    var body = figure.querySelector('.rc-panel-body');
    var chosen = null;

    function arrowText(arrow) {
      var d = arrow.dataset;
      var lines = [names[+d.s] + ' \u2192 ' + names[+d.t]];
      if (d.rc !== undefined) {
        lines.push(words.rc + ' ' + context.number.format(+d.rc) + ' \u2013 ' + words.bands[d.band]);
      } else {
        lines.push(words.bands[d.band]);
      }
      if (d.n !== undefined) { lines.push(fill(words.rated_by, { n: d.n })); }
      if (d.named !== undefined) { lines.push(words.named); }
      if (d.band === 'withheld') { lines.push(words.withheld); }
      return lines.join('\n');
    }

    /* filters */
    function checked(selector) {
      return Array.prototype.filter.call(figure.querySelectorAll(selector), function (box) {
        return box.checked;
      }).map(function (box) { return box.value; });
    }
    function apply() {
      var bands = checked('.rc-f-band');
      var hasOrgs = figure.querySelector('.rc-f-org') !== null;
      var orgs = checked('.rc-f-org');
      var waveBox = figure.querySelector('.rc-f-wave');
      var wave = waveBox ? waveBox.value : '';
      var kindBox = figure.querySelector('.rc-f-kind:checked');
      var kind = kindBox ? kindBox.value : 'all';
      var selBox = figure.querySelector('.rc-f-sel');
      var onlySelected = selBox ? selBox.checked : false;
      var nodeOn = nodes.map(function (node) {
        return !hasOrgs || orgs.indexOf(node.dataset.org) >= 0;
      });
      nodes.forEach(function (node, i) { node.classList.toggle('rc-off', !nodeOn[i]); });
      var shown = 0;
      arrows.forEach(function (arrow) {
        var d = arrow.dataset;
        var on = bands.indexOf(d.band) >= 0 && nodeOn[+d.s] && nodeOn[+d.t] &&
          (!wave || (d.waves || '').split(' ').indexOf(wave) >= 0) &&
          (kind === 'all' || (kind === 'named' ? d.named !== undefined : d.rated !== undefined)) &&
          (!onlySelected || d.sel !== undefined);
        arrow.classList.toggle('rc-off', !on);
        if (on) { shown += 1; }
      });
      count.textContent = fill(words.shown, { shown: shown, total: arrows.length });
      select(chosen, true);
    }
    Array.prototype.forEach.call(figure.querySelectorAll('.rc-controls input, .rc-controls select'),
      function (control) { control.addEventListener('change', apply); });

    /* selection */
    function select(i, keep) {
      if (!keep && i !== null && i === chosen) { i = null; }
      chosen = i;
      svg.classList.toggle('rc-dim', i !== null);
      nodes.forEach(function (node, k) {
        node.classList.toggle('rc-chosen', k === i);
        node.classList.remove('rc-near');
        node.setAttribute('aria-pressed', String(k === i));
      });
      var out = [], into = [];
      arrows.forEach(function (arrow) {
        var s = +arrow.dataset.s, t = +arrow.dataset.t;
        arrow.classList.toggle('rc-out', s === i);
        arrow.classList.toggle('rc-in', t === i);
        if (i !== null && (s === i || t === i) && !arrow.classList.contains('rc-off')) {
          nodes[s === i ? t : s].classList.add('rc-near');
          (s === i ? out : into).push(arrow);
        }
      });
      showPanel(i, out, into);
    }

    function arrowList(title, list, end) {
      var part = document.createDocumentFragment();
      var heading = document.createElement('p');
      heading.innerHTML = '';
      var strong = document.createElement('strong');
      strong.textContent = title + ' (' + list.length + ')';
      heading.appendChild(strong);
      part.appendChild(heading);
      if (!list.length) { return part; }
      list.sort(function (a, b) {
        var x = a.dataset.rc === undefined ? 9 : +a.dataset.rc;
        var y = b.dataset.rc === undefined ? 9 : +b.dataset.rc;
        return x - y;
      });
      var ul = document.createElement('ul');
      list.forEach(function (arrow) {
        var li = document.createElement('li');
        var d = arrow.dataset;
        var text = names[+d[end]];
        text += ': ' + (d.rc !== undefined ? words.rc + ' ' + context.number.format(+d.rc) : words.bands[d.band]);
        li.textContent = text;
        ul.appendChild(li);
      });
      part.appendChild(ul);
      return part;
    }

    function showPanel(i, out, into) {
      body.textContent = '';
      pick.hidden = i !== null;
      if (i === null) { return; }
      var node = nodes[i];
      var heading = document.createElement('h4');
      heading.textContent = node.dataset.name;
      body.appendChild(heading);
      var summary = document.createElement('p');
      summary.textContent = node.getAttribute('aria-label');
      body.appendChild(summary);
      body.appendChild(arrowList(words.out, out, 't'));
      body.appendChild(arrowList(words['in'], into, 's'));
      var page = Array.prototype.filter.call(context.root.querySelectorAll('[data-section]'), function (s) {
        return s.dataset.section === 'group-' + node.dataset.role;
      })[0];
      var clear = document.createElement('button');
      clear.type = 'button';
      clear.textContent = words.clear;
      clear.addEventListener('click', function () { select(null); node.focus(); });
      body.appendChild(clear);
      if (page) {
        var link = document.createElement('a');
        link.href = '#' + page.id;
        link.textContent = words.go;
        link.className = 'rc-go';
        link.addEventListener('click', function () { if (page.tagName === 'DETAILS') { page.open = true; } });
        var p = document.createElement('p');
        p.appendChild(link);
        body.appendChild(p);
        var copy = page.cloneNode(true);
        copy.removeAttribute('id');
        copy.removeAttribute('data-section');
        Array.prototype.forEach.call(copy.querySelectorAll('[id],[data-section]'), function (e) {
          e.removeAttribute('id');
          e.removeAttribute('data-section');
        });
        if (copy.tagName === 'DETAILS') { copy.open = true; }
        var holder = document.createElement('div');
        holder.className = 'rc-page';
        holder.appendChild(copy);
        body.appendChild(holder);
        Array.prototype.forEach.call(holder.querySelectorAll('table[data-sortable]'), function (table) {
          setupSort(table, context.root.getAttribute('lang'));
        });
      }
    }

    nodes.forEach(function (node, i) {
      node.addEventListener('click', function (event) {
        if (moved) { return; }
        event.stopPropagation();
        select(i);
      });
      node.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select(i);
        }
      });
      node.addEventListener('mouseenter', function (event) {
        showTip(node.getAttribute('aria-label'), event.clientX, event.clientY);
      });
      node.addEventListener('mouseleave', hideTip);
      node.addEventListener('focus', function () { tipAt(node.getAttribute('aria-label'), node); });
      node.addEventListener('blur', hideTip);
    });
    arrows.forEach(function (arrow) {
      arrow.addEventListener('mousemove', function (event) {
        showTip(arrowText(arrow), event.clientX, event.clientY);
      });
      arrow.addEventListener('mouseleave', hideTip);
    });
    figure.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && chosen !== null) { select(null); }
    });

    /* zoom and pan: the view box */
    var base = svg.getAttribute('viewBox').split(' ').map(Number);
    var view = base.slice();
    function setView(v) {
      var w = Math.min(base[2], Math.max(base[2] / 10, v[2]));
      var h = w * base[3] / base[2];
      var cx = v[0] + v[2] / 2, cy = v[1] + v[3] / 2;
      view = [cx - w / 2, cy - h / 2, w, h];
      svg.setAttribute('viewBox', view.map(function (x) { return x.toFixed(2); }).join(' '));
    }
    function zoomAt(factor, cx, cy) {
      var w = Math.min(base[2], Math.max(base[2] / 10, view[2] / factor));
      var k = w / view[2];
      setView([cx - (cx - view[0]) * k, cy - (cy - view[1]) * k, w, view[3] * k]);
    }
    function toSvg(event) {
      var box = svg.getBoundingClientRect();
      return [view[0] + (event.clientX - box.left) / box.width * view[2],
              view[1] + (event.clientY - box.top) / box.height * view[3]];
    }
    svg.addEventListener('wheel', function (event) {
      event.preventDefault();
      var at = toSvg(event);
      zoomAt(event.deltaY < 0 ? 1.2 : 1 / 1.2, at[0], at[1]);
    }, { passive: false });
    var drag = null, moved = false;
    svg.addEventListener('pointerdown', function (event) {
      moved = false;
      if (event.button !== 0) { return; }
      drag = { x: event.clientX, y: event.clientY, view: view.slice() };
    });
    svg.addEventListener('pointermove', function (event) {
      if (!drag) { return; }
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 4) { return; }
      if (!moved) { svg.setPointerCapture(event.pointerId); }
      moved = true;
      svg.classList.add('rc-panning');
      var box = svg.getBoundingClientRect();
      var v = drag.view;
      setView([v[0] - dx / box.width * v[2], v[1] - dy / box.height * v[3], v[2], v[3]]);
    });
    function endDrag() { drag = null; svg.classList.remove('rc-panning'); }
    svg.addEventListener('pointerup', endDrag);
    svg.addEventListener('pointercancel', endDrag);
    svg.addEventListener('click', function (event) {
      if (!moved && event.target === svg) { select(null); }
    });
    function centre() { return [view[0] + view[2] / 2, view[1] + view[3] / 2]; }
    figure.querySelector('.rc-zoom-in').addEventListener('click', function () {
      var c = centre(); zoomAt(1.3, c[0], c[1]);
    });
    figure.querySelector('.rc-zoom-out').addEventListener('click', function () {
      var c = centre(); zoomAt(1 / 1.3, c[0], c[1]);
    });
    figure.querySelector('.rc-zoom-fit').addEventListener('click', function () {
      setView(base.slice());
    });

    apply();
  }

  /* --- the heat map -------------------------------------------------------------------- */
  function setupHeat(svg, context) {
    var words = context.words;
    function names(selector) {
      return Array.prototype.map.call(svg.querySelectorAll(selector), function (t) {
        return t.dataset.name || t.textContent;
      });
    }
    var rows = names('.rc-row'), cols = names('.rc-col');
    var top = +svg.dataset.top, size = +svg.dataset.cell;
    svg.addEventListener('mousemove', function (event) {
      var cell = event.target;
      if (cell.tagName !== 'rect') { hideTip(); return; }
      var r = Math.round((+cell.getAttribute('y') - top) / size);
      var c = Math.round((+cell.getAttribute('x') - top) / size);
      var v = cell.dataset.v;
      var value = v !== undefined ? words.rc + ' ' + context.number.format(+v) : words.withheld;
      showTip(words.rater + ': ' + rows[r] + '\n' + words.target + ': ' + cols[c] + '\n' + value,
              event.clientX, event.clientY);
    });
    svg.addEventListener('mouseleave', hideTip);
  }

  /* --- sortable tables ----------------------------------------------------------------- */
  function setupSort(table, lang) {
    var collator = new Intl.Collator(lang || undefined, { numeric: true });
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    heads.forEach(function (head, j) {
      var button = head.querySelector('button.rc-sort');
      if (!button) { return; }
      button.addEventListener('click', function () {
        var order = head.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
        head.setAttribute('aria-sort', order);
        var numeric = head.classList.contains('rc-num');
        var sign = order === 'ascending' ? 1 : -1;
        var tbody = table.tBodies[0];
        var rows = Array.prototype.slice.call(tbody.rows);
        rows.sort(function (a, b) {
          var x = a.cells[j], y = b.cells[j];
          if (numeric) {
            var u = x.dataset.v, v = y.dataset.v;
            if (u === undefined || v === undefined) {  /* missing values last, either way */
              return (u === undefined ? 1 : 0) - (v === undefined ? 1 : 0);
            }
            return sign * (+u - +v);
          }
          return sign * collator.compare(x.textContent, y.textContent);
        });
        rows.forEach(function (row) { tbody.appendChild(row); });
      });
    });
  }
}());
