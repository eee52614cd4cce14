import { EMBED_CHARTS_JS } from '@unpool/report';

/**
 * The page's only script of our own (served as /assets/ui.js): sorting and filtering of the runs table,
 * picking runs to compare, and live updates over server-sent events. Plain ES5 so it needs no build;
 * every piece of markup it inserts was rendered (and escaped) by the server.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  'use strict';
  var UI = (window.UnpoolUI = { updates: 0 });
  var live = document.getElementById('live');
  var sort = { col: -1, dir: 1 };
  var picked = {};
  var filters = {};
  var lastHead = null;

  function value(tr, col) {
    var td = tr.children[col];
    return td ? td.getAttribute('data-v') || '' : '';
  }
  function compare(a, b) {
    var x = parseFloat(a), y = parseFloat(b);
    if (a !== '' && b !== '' && !isNaN(x) && !isNaN(y) && String(x) === a.trim() && String(y) === b.trim()) return x - y;
    if (a === '') return b === '' ? 0 : 1;
    if (b === '') return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function applyTable() {
    var body = document.getElementById('runs-body');
    if (!body) return;
    var rows = Array.prototype.slice.call(body.children);
    if (sort.col >= 0) {
      rows.sort(function (r1, r2) {
        var c = compare(value(r1, sort.col), value(r2, sort.col));
        return c === 0 ? 0 : sort.dir * (c < 0 ? -1 : 1);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    var shown = 0;
    rows.forEach(function (r) {
      var ok = Object.keys(filters).every(function (col) {
        var f = filters[col].toLowerCase();
        var td = r.children[+col];
        return !f || (td && td.textContent.toLowerCase().indexOf(f) >= 0);
      });
      r.hidden = !ok;
      if (ok) shown++;
      var box = r.querySelector('input.pick');
      if (box) box.checked = !!picked[box.value];
    });
    var heads = document.querySelectorAll('#runs thead tr.labels th');
    for (var i = 0; i < heads.length; i++) heads[i].setAttribute('aria-sort', i === sort.col ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
    var inputs = document.querySelectorAll('#runs thead input[data-col]');
    for (var j = 0; j < inputs.length; j++) inputs[j].value = filters[inputs[j].getAttribute('data-col')] || '';
    var count = document.getElementById('count');
    if (count) count.textContent = shown + ' of ' + rows.length + ' runs shown';
    var n = Object.keys(picked).length;
    var btn = document.getElementById('compare-btn');
    if (btn) { btn.disabled = n < 2; btn.textContent = 'Compare selected (' + n + ')'; }
  }
  UI.apply = applyTable;

  document.addEventListener('click', function (e) {
    var th = e.target.closest && e.target.closest('#runs thead tr.labels th');
    if (th && !th.hasAttribute('data-nosort')) {
      var col = Array.prototype.indexOf.call(th.parentNode.children, th);
      sort = { col: col, dir: sort.col === col ? -sort.dir : 1 };
      applyTable();
    }
    if (e.target.id === 'compare-btn') {
      location.href = '/compare?' + Object.keys(picked).map(function (k) { return 'run=' + encodeURIComponent(k); }).join('&');
    }
  });
  document.addEventListener('input', function (e) {
    if (e.target.matches && e.target.matches('#runs thead input[data-col]')) {
      filters[e.target.getAttribute('data-col')] = e.target.value;
      applyTable();
    }
  });
  document.addEventListener('change', function (e) {
    if (e.target.matches && e.target.matches('input.pick')) {
      if (e.target.checked) picked[e.target.value] = true;
      else delete picked[e.target.value];
      applyTable();
    }
    if (e.target.id === 'group-toggle') {
      document.getElementById('groups-wrap').hidden = !e.target.checked;
      document.getElementById('runs-wrap').hidden = e.target.checked;
    }
  });

  ${EMBED_CHARTS_JS}
  var embed = embedCharts;
  UI.charts = function (specs, key) {
    embed(specs);
    UI.runKey = key;
  };

  function onRuns(d) {
    UI.updates++;
    var head = document.querySelector('#runs thead');
    if (head && d.head !== lastHead) { head.innerHTML = d.head; lastHead = d.head; }
    var body = document.getElementById('runs-body');
    if (body) body.innerHTML = d.body;
    var groups = document.getElementById('groups');
    if (groups) groups.innerHTML = d.groups;
    applyTable();
    if (UI.runKey && d.changed.indexOf(UI.runKey) >= 0) {
      fetch('/api/run?key=' + encodeURIComponent(UI.runKey)).then(function (r) { return r.json(); }).then(function (run) {
        var step = document.getElementById('run-step');
        if (step) step.textContent = run.row.step === null ? '?' : String(run.row.step);
        embed(run.charts);
      });
    }
  }
  if (window.EventSource) {
    var es = new EventSource('/events');
    es.addEventListener('runs', function (e) { onRuns(JSON.parse(e.data)); });
    es.onopen = function () { if (live) { live.className = 'live on'; live.textContent = 'live'; } };
    es.onerror = function () { if (live) { live.className = 'live off'; live.textContent = 'disconnected, retrying'; } };
  }
  applyTable();
})();
`;
