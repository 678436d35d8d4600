// Liaison dashboard: live heat-map refresh, KPI charts (ECharts), liaison actions on the task API.
(function () {
  'use strict';
  var body = document.body;
  var policy = body.dataset.policy;
  var period = body.dataset.period;
  var taskApi = body.dataset.taskApi || '';
  var refresh = parseInt(body.dataset.refresh || '0', 10);
  var i18n = (document.getElementById('i18n') || {dataset: {}}).dataset;
  // labels of the codes the live refresh writes (statuses, ratings), in the page's language
  var codeLabels = JSON.parse((document.getElementById('code-labels') || {}).textContent || '{}');
  function label(kind, code) {
    return ((codeLabels[kind] || {})[code]) || code || '';
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return 'k-' + Date.now() + '-' + Math.random().toString(16).slice(2);
  }

  function setResult(text) {
    var el = document.getElementById('action-result');
    if (el) { el.textContent = text; }
  }

  // ---- liaison actions: POST to the task API (through the gateway: same origin by default)
  function act(action, taskId, requestId) {
    var path, payload;
    switch (action) {
      case 'dispatch': path = '/dispatch'; payload = {}; break;
      case 'accept': path = '/accept'; payload = {}; break;
      case 'urge': path = '/urge'; payload = {level: 1}; break;
      case 'return':
        var reason = (document.getElementById('return-reason') || {}).value || '';
        if (!reason.trim()) { setResult(i18n.reason || 'reason?'); return; }
        path = '/return'; payload = {reason: reason.trim()}; break;
      case 'extension-approve': path = '/extension-requests/' + encodeURIComponent(requestId) + '/decision'; payload = {decision: 'APPROVED'}; break;
      case 'extension-reject': path = '/extension-requests/' + encodeURIComponent(requestId) + '/decision'; payload = {decision: 'REJECTED'}; break;
      default: return;
    }
    var url = taskApi + '/api/v1/tasks/' + encodeURIComponent(taskId) + path;
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'Idempotency-Key': uuid(), 'Accept': 'application/json'},
      body: JSON.stringify(payload)
    }).then(function (r) {
      setResult((r.ok ? (i18n.done || 'OK ') : (i18n.failed || 'failed ')) + action + ' ' + taskId + ' (' + r.status + ')');
    }).catch(function (e) {
      setResult((i18n.failed || 'failed ') + action + ' ' + taskId + ': ' + e);
    });
  }

  document.addEventListener('click', function (ev) {
    var b = ev.target.closest('button.act');
    if (!b) { return; }
    var taskId = b.dataset.taskId || (b.closest('[data-task-id]') || {dataset: {}}).dataset.taskId;
    act(b.dataset.action, taskId, b.dataset.requestId);
  });

  // ---- live refresh of the heat map
  function refreshHeatmap() {
    fetch('/api/v1/reports/measures?policy=' + encodeURIComponent(policy) + '&period=' + encodeURIComponent(period),
      {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        rows.forEach(function (m) {
          (m.cells || []).forEach(function (c) {
            var td = document.getElementById('cell-' + m.measureNo + '-' + c.unitCode);
            if (!td) { return; }
            var cls = 'cell ' + (c.rating || 'GREY') + (c.role === 'LEAD' ? ' lead' : '');
            var pct = (c.percentComplete == null ? 0 : c.percentComplete) + '%';
            if (td.dataset.percent !== String(c.percentComplete) || td.dataset.status !== c.status) {
              cls += ' changed';
            }
            td.className = cls;
            td.dataset.status = c.status;
            td.dataset.percent = String(c.percentComplete);
            td.title = label('status', c.status) + ' ' + pct + ' · ' + label('rating', c.rating || 'GREY');
            var a = td.querySelector('a');
            if (a) { a.textContent = pct; }
          });
        });
      }).catch(function () { /* next round */ });
  }
  if (refresh > 0 && document.getElementById('heatmap')) {
    setInterval(refreshHeatmap, refresh * 1000);
  }

  // ---- KPI charts against targets
  var data = document.getElementById('kpi-data');
  var holder = document.getElementById('kpi-charts');
  if (data && holder && window.echarts) {
    var kpis = JSON.parse(data.textContent || '[]');
    var en = body.dataset.lang === 'en';
    kpis.forEach(function (k) {
      var div = document.createElement('div');
      div.className = 'chart';
      div.id = 'kpi-' + k.kpiCode;
      holder.appendChild(div);
      var chart = echarts.init(div);
      // district names in the page's language (English: the register's English names)
      var names = (k.districts || []).map(function (d) { return en && d.districtNameEn ? d.districtNameEn : d.districtName; });
      var vals = (k.districts || []).map(function (d) { return d.value; });
      names.push(i18n.city || 'city');
      vals.push(k.cityValue);
      var title = (en && k.descriptionEn ? k.descriptionEn : k.description);
      var series = {type: 'bar', data: vals, itemStyle: {color: '#9f1239'}, label: {show: true, position: 'top', fontSize: 9}};
      var ref = null;
      if (k.target != null && !k.tracked) {
        // school-level KPIs roll up as the share of schools meeting the target: the line is 100 %
        ref = (k.level === 'SCHOOL') ? 100 : k.target;
        series.markLine = {symbol: 'none', data: [{yAxis: ref, name: i18n.target}], label: {position: 'insideEndTop', fontSize: 9, formatter: (i18n.target || 'target') + ' ' + ref}, lineStyle: {color: '#2563eb'}};
      }
      chart.setOption({
        title: {text: title + (k.tracked ? ' · ' + (i18n.tracked || '')
            : (k.level === 'SCHOOL' ? ' · ' + (i18n.share || '') : '')), textStyle: {fontSize: 11}, left: 0, top: 0},
        grid: {left: 34, right: 8, top: 26, bottom: 20},
        xAxis: {type: 'category', data: names, axisLabel: {fontSize: 9, interval: 0}},
        yAxis: {type: 'value', axisLabel: {fontSize: 9},
          max: function (v) { var m = Math.max(v.max || 0, ref || 0); return m > 0 ? Math.ceil(m * 1.15) : 1; }},
        tooltip: {trigger: 'axis'},
        series: [series],
        animation: false
      });
    });
  }
})();
