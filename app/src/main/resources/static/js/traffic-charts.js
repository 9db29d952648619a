// Draws traffic charts with uPlot from the JSON series vfzone serves. A chart marks how many points it drew
// (data-points) so tests and people can tell an empty chart from a missing one.
(function () {
  var COLORS = { read: '#0d6efd', write: '#fd7e14', errors: '#dc3545' };

  function chart(container, title, x, series, height) {
    var el = document.createElement('div');
    el.className = 'vfz-chart mb-3';
    container.appendChild(el);
    var data = [x].concat(series.map(function (s) { return s.values; }));
    var opts = {
      title: title, width: Math.max(360, container.clientWidth - 10), height: height || 220,
      series: [{}].concat(series.map(function (s) {
        return { label: s.label, stroke: s.color, width: 1.5, spanGaps: false };
      })),
      axes: [{}, { size: 60 }]
    };
    new uPlot(opts, data, el);
    var points = series.reduce(function (n, s) {
      return n + s.values.filter(function (v) { return v !== null; }).length;
    }, 0);
    el.setAttribute('data-points', String(points));
    el.setAttribute('data-series', String(series.length));
    return el;
  }

  function draw(container, name, s) {
    chart(container, name + ' · IOPS', s.x, [
      { label: 'read IOPS', color: COLORS.read, values: s.values.read_iops },
      { label: 'write IOPS', color: COLORS.write, values: s.values.write_iops }]);
    chart(container, name + ' · MB/s', s.x, [
      { label: 'read MB/s', color: COLORS.read, values: s.values.read_mbps },
      { label: 'write MB/s', color: COLORS.write, values: s.values.write_mbps }]);
    chart(container, name + ' · frames/s', s.x, [
      { label: 'received frames/s', color: COLORS.read, values: s.values.rx_fps },
      { label: 'sent frames/s', color: COLORS.write, values: s.values.tx_fps }], 160);
    chart(container, name + ' · errors', s.x, [
      { label: 'error counter increments', color: COLORS.errors, values: s.values.errors }], 140);
    var note = document.createElement('p');
    note.className = 'small text-muted';
    note.textContent = 'Tier ' + s.tier + ', one point per ' + s.stepSeconds + ' s.';
    container.appendChild(note);
  }

  window.vfzTraffic = {
    // url answers one series, or an object of series by fabric
    render: function (container, url, refreshSeconds) {
      function load() {
        fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
          .then(function (r) { return r.json(); })
          .then(function (json) {
            container.innerHTML = '';
            if (json.x) {
              draw(container, container.getAttribute('data-title') || '', json);
            } else {
              Object.keys(json).forEach(function (fabric) { draw(container, 'Fabric ' + fabric, json[fabric]); });
            }
            container.setAttribute('data-loaded', 'true');
          })
          .catch(function (e) { container.textContent = 'Could not load the chart: ' + e; });
      }
      load();
      if (refreshSeconds) { setInterval(load, refreshSeconds * 1000); }
    }
  };

  // chart containers declare themselves (no inline script: the Content-Security-Policy allows none)
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-traffic-charts]').forEach(function (el) {
      window.vfzTraffic.render(el, el.getAttribute('data-url'), Number(el.getAttribute('data-refresh')) || 0);
    });
  });
})();
