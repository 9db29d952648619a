// Draws traffic charts with uPlot from the JSON series vfzone serves. A chart marks how many points it drew
// (data-points) so tests and people can tell an empty chart from a missing one.
(function () {
  var COLORS = { read: '#0d6efd', write: '#fd7e14', errors: '#dc3545' };

  // 24-hour clock, with the date where a tick starts a new day (the admin's own time zone)
  var TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  var DAY = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

  function timeTicks(u, splits) {
    var lastDay = null;
    return splits.map(function (ts) {
      var d = new Date(ts * 1000);
      var day = DAY.format(d);
      var text = TIME.format(d) + (day !== lastDay ? '\n' + day : '');
      lastDay = day;
      return text;
    });
  }

  function chart(container, title, x, series, unit, yMax, height) {
    var el = document.createElement('div');
    el.className = 'vfz-chart mb-3';
    container.appendChild(el);
    var data = [x].concat(series.map(function (s) { return s.values; }));
    var opts = {
      title: title, width: Math.max(360, container.clientWidth - 10), height: height || 220,
      series: [{ label: 'time' }].concat(series.map(function (s) {
        return { label: s.label + ' (' + unit + ')', stroke: s.color, width: 1.5, spanGaps: false,
                 value: function (u, v) { return v == null ? '—' : v.toFixed(v < 10 ? 2 : 0); } };
      })),
      // the same y range for one metric on every fabric, so two fabrics' charts compare at a glance
      scales: { y: { range: function () { return [0, yMax > 0 ? yMax : 1]; } } },
      axes: [{ values: timeTicks, space: 60 }, { label: unit, size: 70, labelSize: 20 }]
    };
    new uPlot(opts, data, el);
    var points = series.reduce(function (n, s) {
      return n + s.values.filter(function (v) { return v !== null; }).length;
    }, 0);
    el.setAttribute('data-points', String(points));
    el.setAttribute('data-series', String(series.length));
    el.setAttribute('data-y-unit', unit);
    el.setAttribute('data-y-max', String(yMax));
    return el;
  }

  function max(values) {
    return values.reduce(function (m, v) { return v !== null && v > m ? v : m; }, 0);
  }

  // the largest value of each metric over every series shown (every fabric of a VM)
  function scalesOf(all) {
    var m = { iops: 0, mbps: 0, fps: 0, errors: 0 };
    all.forEach(function (s) {
      m.iops = Math.max(m.iops, max(s.values.read_iops), max(s.values.write_iops));
      m.mbps = Math.max(m.mbps, max(s.values.read_mbps), max(s.values.write_mbps));
      m.fps = Math.max(m.fps, max(s.values.rx_fps), max(s.values.tx_fps));
      m.errors = Math.max(m.errors, max(s.values.errors));
    });
    Object.keys(m).forEach(function (k) { m[k] = Math.ceil(m[k] * 1.1); });
    return m;
  }

  function draw(container, name, s, scale) {
    chart(container, name + ' · I/O operations per second', s.x, [
      { label: 'read', color: COLORS.read, values: s.values.read_iops },
      { label: 'write', color: COLORS.write, values: s.values.write_iops }], 'IOPS', scale.iops);
    chart(container, name + ' · throughput', s.x, [
      { label: 'read', color: COLORS.read, values: s.values.read_mbps },
      { label: 'write', color: COLORS.write, values: s.values.write_mbps }], 'MB/s', scale.mbps);
    if (s.tier === 'vcenter') {
      // vCenter reports the VM's disk IO, not its Fibre Channel frames or link errors
      note(container, s);
      return;
    }
    chart(container, name + ' · Fibre Channel frames per second', s.x, [
      { label: 'received', color: COLORS.read, values: s.values.rx_fps },
      { label: 'sent', color: COLORS.write, values: s.values.tx_fps }], 'frames/s', scale.fps, 160);
    chart(container, name + ' · link and frame errors', s.x, [
      { label: 'errors', color: COLORS.errors, values: s.values.errors }], 'errors', scale.errors, 140);
    note(container, s);
  }

  function note(container, s) {
    var tier = document.createElement('p');
    tier.className = 'small text-muted';
    tier.textContent = s.tier === 'vcenter'
      ? 'vCenter\'s samples of all the VM\'s virtual disks together, not per fabric; one point per ' + s.stepSeconds
        + ' s; times on a 24-hour clock.'
      : 'Tier ' + s.tier + ', one point per ' + s.stepSeconds + ' s; times on a 24-hour clock.';
    container.appendChild(tier);
    var spans = s.sources || [];
    if (spans.length > 0) {
      // which source the figures come from: one at a time per initiator, never summed
      var source = document.createElement('p');
      source.className = 'small vfz-source';
      source.setAttribute('data-sources', spans.map(function (p) { return p.source; }).join(' '));
      var whole = spans.every(function (p) { return p.from === spans[0].from && p.to === spans[0].to; });
      source.textContent = (spans.length > 1 ? 'Sources: ' : 'Source: ') + spans.map(function (p) {
        return whole ? p.label : p.label + ' ' + TIME.format(new Date(p.from)) + '–' + TIME.format(new Date(p.to));
      }).join(', ') + '.';
      container.appendChild(source);
    }
  }

  window.vfzTraffic = {
    // url answers one series, or an object of series by fabric
    render: function (container, url, refreshSeconds) {
      function load() {
        fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
          .then(function (r) { return r.json(); })
          .then(function (json) {
            container.innerHTML = '';
            var all = json.x ? [json] : Object.keys(json).map(function (f) { return json[f]; });
            var points = all.reduce(function (n, s) {
              return n + Object.keys(s.values || {}).reduce(function (m, k) {
                return m + s.values[k].filter(function (v) { return v !== null; }).length;
              }, 0);
            }, 0);
            if (points === 0) {
              var none = document.createElement('p');
              none.className = 'text-muted';
              none.setAttribute('data-empty', 'true');
              none.textContent = 'No data in this range.';
              container.appendChild(none);
            }
            if (json.x) {
              draw(container, container.getAttribute('data-title') || '', json, scalesOf([json]));
            } else {
              var scale = scalesOf(Object.keys(json).map(function (f) { return json[f]; }));
              Object.keys(json).forEach(function (fabric) {
                draw(container, json[fabric].tier === 'vcenter' ? fabric : 'Fabric ' + fabric, json[fabric], scale);
              });
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
