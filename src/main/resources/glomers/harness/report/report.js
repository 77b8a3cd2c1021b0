// Interactive parts of report.html: the operations timeline and the message-flow (Lamport) diagram, both showing
// one time window that the controls move. No dependencies, no network: the data is the JSON in #report-data.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var OUT = ['ok', 'fail', 'info', 'pending'];
  var OUT_COL = ['#2B7BE4', '#D6336C', '#F59F00', '#adb5bd'];
  var PALETTE = ['#1c7ed6', '#37b24d', '#f76707', '#ae3ec9', '#0ca678', '#e8590c', '#4263eb', '#d6336c', '#74b816',
    '#1098ad', '#f59f00', '#7048e8', '#495057', '#c2255c', '#099268', '#5f3dc4'];
  var end = Math.max(D.end || 1, 1);
  var start = Math.min(D.start || 0, 0); // setup traffic (init, topology) happens before the history's 0
  var state = { t0: 0, w: Math.min(D.defaultWindow || 2000, end), focus: -1, hideClients: false };
  var anomalyOf = {};
  Object.keys(D.anomalies || {}).forEach(function (name) {
    D.anomalies[name].forEach(function (i) { (anomalyOf[i] = anomalyOf[i] || []).push(name); });
  });
  var opAt = {};
  (D.ops || []).forEach(function (o) { opAt[o[5]] = o; if (o[7] >= 0) opAt[o[7]] = o; });

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function title(e, text) { el('title', {}, e).textContent = text; }
  function fmt(ms) { return (ms / 1000).toFixed(3) + ' s'; }

  function shadePeriods(svg, horizontal, scale, from, to, extent) {
    (D.periods || []).forEach(function (p) {
      var a = Math.max(p[0], from), b = Math.min(p[1], to);
      if (b <= a) return;
      var r = horizontal
        ? el('rect', { x: scale(a), y: extent[0], width: scale(b) - scale(a), height: extent[1] - extent[0], fill: '#868e96', 'fill-opacity': 0.15 }, svg)
        : el('rect', { y: scale(a), x: extent[0], height: scale(b) - scale(a), width: extent[1] - extent[0], fill: '#868e96', 'fill-opacity': 0.15 }, svg);
      title(r, 'network partition ' + fmt(p[0]) + ' – ' + fmt(p[1]) + (p[2] ? ': ' + p[2] : ''));
    });
  }

  function renderTimeline() {
    var box = document.getElementById('timeline');
    if (!box) return;
    box.innerHTML = '';
    var rows = D.rows || [];
    var W = Math.max(box.clientWidth - 2, 900), left = 56, right = 10, top = 22, rh = 14;
    var H = top + rows.length * rh + 24;
    var svg = el('svg', { width: W, height: H }, box);
    var t0 = state.t0, t1 = state.t0 + state.w;
    var x = function (t) { return left + (t - t0) / state.w * (W - left - right); };
    shadePeriods(svg, true, x, t0, t1, [top, top + rows.length * rh]);
    rows.forEach(function (r, i) {
      var t = el('text', { x: left - 6, y: top + i * rh + 10, 'text-anchor': 'end', 'font-size': 10, fill: '#495057' }, svg);
      t.textContent = r;
      if (i % 2 === 0) el('rect', { x: left, y: top + i * rh, width: W - left - right, height: rh, fill: '#f8f9fa' }, svg);
    });
    for (var k = 0; k <= 10; k++) {
      var tt = t0 + k * state.w / 10, xx = x(tt);
      el('line', { x1: xx, x2: xx, y1: top - 4, y2: top + rows.length * rh, stroke: '#e9ecef' }, svg);
      var lab = el('text', { x: xx, y: top - 8, 'text-anchor': 'middle', 'font-size': 10, fill: '#868e96' }, svg);
      lab.textContent = (tt / 1000).toFixed(2) + 's';
    }
    var drawn = 0, late = [];
    (D.ops || []).forEach(function (o) {
      var inv = o[0], comp = o[1] < 0 ? end : o[1];
      if (comp < t0 || inv > t1 || drawn > 6000) return;
      var an = anomalyOf[o[5]] || (o[7] >= 0 ? anomalyOf[o[7]] : null);
      var y = top + o[2] * rh + 2;
      var a = x(Math.max(inv, t0)), b = x(Math.min(comp, t1));
      var r = el('rect', { x: a, y: y, width: Math.max(b - a, 1.5), height: rh - 4, fill: OUT_COL[o[3]], 'fill-opacity': 0.75, rx: 1.5 }, svg);
      title(r, OUT[o[3]] + ' ' + D.fs[o[4]] + ' p' + o[8] + ' #' + o[5] + ' ' + fmt(inv) + ' +' + ((comp - inv)).toFixed(1) + ' ms\n' + o[6] + (an ? '\n⚠ ' + an.join(', ') : ''));
      if (an || o[5] === state.focus || o[7] === state.focus) late.push([r, an, o]);
      drawn++;
    });
    late.forEach(function (l) {
      var focus = l[2][5] === state.focus || l[2][7] === state.focus;
      l[0].setAttribute('stroke', focus ? '#000' : '#E03131');
      l[0].setAttribute('stroke-width', focus ? 3 : 2);
      if (focus) l[0].setAttribute('data-focus', 'true');
      svg.appendChild(l[0]);
    });
    if (drawn > 6000) {
      var w = el('text', { x: W - right, y: H - 6, 'text-anchor': 'end', 'font-size': 11, fill: '#E03131' }, svg);
      w.textContent = 'too many operations in this window: narrow it';
    }
  }

  var markerFor = {};
  function renderLamport() {
    var box = document.getElementById('lamport');
    if (!box) return;
    box.innerHTML = '';
    markerFor = {};
    var lanes = D.lanes || [];
    var W = Math.max(box.clientWidth - 2, 60 + lanes.length * 44), top = 36, H = 900, left = 46, right = 30;
    var svg = el('svg', { width: W, height: H + top + 10 }, box);
    var defs = el('defs', {}, svg);
    var t0 = state.t0, t1 = state.t0 + state.w;
    var y = function (t) { return top + (t - t0) / state.w * H; };
    var lx = function (i) { return lanes.length < 2 ? W / 2 : left + 20 + i * (W - left - right - 20) / (lanes.length - 1); };
    shadePeriods(svg, false, y, t0, t1, [left, W - right]);
    for (var k = 0; k <= 10; k++) {
      var tt = t0 + k * state.w / 10;
      el('line', { x1: left, x2: W - right, y1: y(tt), y2: y(tt), stroke: '#f1f3f5' }, svg);
      var lab = el('text', { x: 4, y: y(tt) + 3, 'font-size': 10, fill: '#868e96' }, svg);
      lab.textContent = (tt / 1000).toFixed(2) + 's';
    }
    lanes.forEach(function (name, i) {
      el('line', { x1: lx(i), x2: lx(i), y1: top - 6, y2: top + H, stroke: name === 'clients' ? '#adb5bd' : '#495057', 'stroke-width': 1 }, svg);
      var t = el('text', { x: lx(i), y: top - 12, 'text-anchor': 'middle', 'font-size': lanes.length > 20 ? 10 : 12, 'font-weight': 600, fill: '#212529' }, svg);
      t.textContent = name;
    });
    function marker(col) {
      if (markerFor[col]) return markerFor[col];
      var id = 'm' + Object.keys(markerFor).length;
      var m = el('marker', { id: id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
      el('path', { d: 'M0,0 L10,5 L0,10 z', fill: col }, m);
      markerFor[col] = 'url(#' + id + ')';
      return markerFor[col];
    }
    var shown = 0, inWindow = 0, cap = 5000;
    var msgs = D.msgs || [];
    for (var i = 0; i < msgs.length; i++) {
      var m = msgs[i];
      var s = m[0], r = m[1];
      if (s > t1) break;
      var stop = r !== null ? r : s + state.w * 0.03;
      if (stop < t0) continue;
      if (state.hideClients && (lanes[m[2]] === 'clients' || lanes[m[3]] === 'clients')) continue;
      inWindow++;
      if (shown >= cap) continue;
      shown++;
      var col = PALETTE[m[4] % PALETTE.length];
      var x1 = lx(m[2]), x2 = lx(m[3]);
      if (r === null) {
        var xe = x1 + (x2 - x1) * 0.25, ye = y(stop);
        var ln = el('line', { x1: x1, y1: y(s), x2: xe, y2: ye, stroke: '#E03131', 'stroke-width': 1.2, 'stroke-dasharray': '3,2' }, svg);
        el('path', { d: 'M' + (xe - 3) + ',' + (ye - 3) + 'l6,6m0,-6l-6,6', stroke: '#E03131', 'stroke-width': 1.5 }, svg);
        title(ln, D.types[m[4]] + ' ' + lanes[m[2]] + '→' + lanes[m[3]] + ' sent ' + fmt(s) + ', never delivered (id ' + m[5] + ')');
      } else {
        var ln2 = el('line', { x1: x1, y1: y(s), x2: x1 === x2 ? x2 + 12 : x2, y2: y(r), stroke: col, 'stroke-width': 1.1, 'stroke-opacity': 0.85, 'marker-end': marker(col) }, svg);
        title(ln2, D.types[m[4]] + ' ' + lanes[m[2]] + '→' + lanes[m[3]] + ' sent ' + fmt(s) + ', delivered after ' + (r - s).toFixed(1) + ' ms (id ' + m[5] + ')');
      }
    }
    var info = document.getElementById('lamport-info');
    if (info) info.textContent = inWindow + ' messages in this window' + (inWindow > shown ? ' (drawing the first ' + shown + ': narrow the window)' : '') +
      (D.msgsOmitted ? '; the report embeds the first ' + msgs.length + ' messages of ' + (msgs.length + D.msgsOmitted) : '');
  }

  function legend() {
    var lg = document.getElementById('lamport-legend');
    if (!lg) return;
    (D.types || []).forEach(function (t, i) {
      var s = document.createElement('span');
      s.innerHTML = '<i style="background:' + PALETTE[i % PALETTE.length] + '"></i>';
      s.appendChild(document.createTextNode(t));
      lg.appendChild(s);
    });
    var d = document.createElement('span');
    d.innerHTML = '<i style="background:#E03131"></i>never delivered (dashed, ×)';
    lg.appendChild(d);
  }

  function render() {
    var range = document.getElementById('win-start');
    if (range) range.value = state.t0;
    var lab = document.getElementById('win-label');
    if (lab) lab.textContent = fmt(state.t0) + ' – ' + fmt(state.t0 + state.w) + ' of ' + fmt(end);
    renderTimeline();
    renderLamport();
  }

  function setStart(t) { state.t0 = Math.max(start, Math.min(t, Math.max(start, end - state.w))); render(); }

  function setup() {
    var range = document.getElementById('win-start');
    if (range) {
      range.min = start;
      range.max = Math.max(0, end);
      range.step = Math.max(1, Math.round((end - start) / 1000));
      range.addEventListener('input', function () { setStart(+range.value); });
    }
    var width = document.getElementById('win-width');
    if (width) {
      width.value = String(state.w);
      if (width.value !== String(state.w)) {
        var o = document.createElement('option'); o.value = String(state.w); o.textContent = (state.w / 1000) + ' s';
        width.appendChild(o); width.value = String(state.w);
      }
      width.addEventListener('change', function () { state.w = +width.value; setStart(state.t0); });
    }
    var prev = document.getElementById('win-prev'), next = document.getElementById('win-next');
    if (prev) prev.addEventListener('click', function () { setStart(state.t0 - state.w); });
    if (next) next.addEventListener('click', function () { setStart(state.t0 + state.w); });
    var hc = document.getElementById('hide-clients');
    if (hc) hc.addEventListener('change', function () { state.hideClients = hc.checked; renderLamport(); });
    document.querySelectorAll('[data-index]').forEach(function (e) {
      e.addEventListener('click', function () {
        var i = +e.getAttribute('data-index');
        var o = opAt[i];
        state.focus = i;
        setStart(o ? o[0] - state.w / 4 : state.t0);
        var tl = document.getElementById('window-section');
        if (tl) tl.scrollIntoView({ behavior: 'smooth' });
      });
    });
    legend();
    // report.html#op=123 opens with history entry 123 in view and outlined (links from issues, the browser test)
    var m = /^#op=(\d+)$/.exec(window.location.hash || '');
    if (m && opAt[+m[1]]) {
      state.focus = +m[1];
      state.t0 = Math.max(start, Math.min(opAt[+m[1]][0] - state.w / 4, Math.max(start, end - state.w)));
    }
    render();
  }

  setup();
  document.body.setAttribute('data-js-ok', 'true');
})();
