// Draws each port's hourly congestion timeline on a VM's congestion page with uPlot: TxWait as a share of the time
// (left axis) and frames lost, credit-zero counts and link errors (right axis). A chart marks how many points it drew
// (data-points), so tests and people can tell an empty chart from a missing one.
(function () {
  var TIME = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', hourCycle: 'h23' });

  function draw(el) {
    var s = JSON.parse(el.getAttribute('data-chart'));
    var series = [
      { key: 'txWaitPercent', label: 'TxWait (% of the time)', color: '#dc3545', scale: '%' },
      { key: 'framesLost', label: 'frames lost', color: '#6f42c1', scale: 'n' },
      { key: 'creditZero', label: 'credit zero', color: '#fd7e14', scale: 'n' },
      { key: 'linkErrors', label: 'link errors', color: '#6c757d', scale: 'n' }
    ].filter(function (d) { return s[d.key].some(function (v) { return v !== null; }); });
    var opts = {
      title: el.getAttribute('data-title'), width: Math.max(360, el.clientWidth - 10), height: 200,
      series: [{ label: 'hour', value: function (u, v) { return v == null ? '—' : TIME.format(new Date(v * 1000)); } }]
        .concat(series.map(function (d) {
          return { label: d.label, stroke: d.color, width: 1.5, scale: d.scale, spanGaps: false };
        })),
      scales: { '%': { range: [0, 100] } },
      axes: [{ space: 60 }, { scale: '%', label: '% of the time', size: 60 },
             { scale: 'n', side: 1, label: 'count', size: 70, grid: { show: false } }]
    };
    new uPlot(opts, [s.x].concat(series.map(function (d) { return s[d.key]; })), el);
    var points = series.reduce(function (n, d) {
      return n + s[d.key].filter(function (v) { return v !== null; }).length;
    }, 0);
    el.setAttribute('data-points', String(points));
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('.congestion-chart[data-chart]').forEach(draw);
  });
})();
