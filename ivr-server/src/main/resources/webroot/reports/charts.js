// Charts of the reports page, drawn as inline SVG from the report's rows (no library, nothing fetched from outside):
// a bar per interval (containment, service level, contact rate) and the per-flow drop-off funnel (per node, calls
// that reached it and callers who hung up there). Each bar carries its figure in data-value and a text label.
const NS = 'http://www.w3.org/2000/svg';

function svgEl(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function when(iso, interval) {
  const d = new Date(iso);
  if (['day', 'week', 'month', 'all'].includes(interval)) return d.toLocaleDateString();
  return d.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', hour12: false});
}

// points: [{label, value (0..1 or null), text, count}]; one bar per point, labelled with its percentage
export function rateBars(title, cls, points) {
  const barW = 52, gap = 14, left = 40, top = 24, h = 160, bottom = 40;
  const w = left + Math.max(1, points.length) * (barW + gap) + gap;
  const svg = svgEl('svg', {viewBox: `0 0 ${w} ${top + h + bottom}`, width: w, height: top + h + bottom,
    class: 'chart ' + cls, role: 'img', 'aria-label': title + ', ' + points.map(p => p.label + ' ' + p.text).join('; ')});
  for (const g of [0, 0.5, 1]) {
    const y = top + h - g * h;
    svg.append(svgEl('line', {x1: left - 4, x2: w, y1: y, y2: y, class: 'grid'}));
    svg.append(svgEl('text', {x: left - 8, y: y + 4, class: 'axis', 'text-anchor': 'end'}, (g * 100) + '%'));
  }
  points.forEach((p, i) => {
    const x = left + gap + i * (barW + gap);
    const v = p.value === null || p.value === undefined ? 0 : p.value;
    const bh = Math.max(0, v * h);
    const g = svgEl('g', {class: 'bar-group', 'data-label': p.label});
    const rect = svgEl('rect', {x, y: top + h - bh, width: barW, height: bh, class: 'chart-bar',
      'data-value': p.value === null || p.value === undefined ? '' : (p.value * 100).toFixed(1)});
    rect.append(svgEl('title', {}, p.label + ': ' + p.text));
    g.append(rect);
    g.append(svgEl('text', {x: x + barW / 2, y: top + h - bh - 5, class: 'value-label', 'text-anchor': 'middle'}, p.text));
    g.append(svgEl('text', {x: x + barW / 2, y: top + h + 16, class: 'axis', 'text-anchor': 'middle'}, p.label));
    if (p.count !== undefined) {
      g.append(svgEl('text', {x: x + barW / 2, y: top + h + 30, class: 'axis', 'text-anchor': 'middle'}, p.count));
    }
    svg.append(g);
  });
  return svg;
}

// rows grouped by interval, summed with sum(rows) -> {value, text, count}
function perInterval(rows, interval, sum) {
  const groups = new Map();
  for (const r of rows) {
    if (!groups.has(r.interval_start)) groups.set(r.interval_start, []);
    groups.get(r.interval_start).push(r);
  }
  return [...groups.entries()].map(([start, list]) => ({label: when(start, interval), ...sum(list)}));
}

const pctText = x => x === null || x === undefined ? '–' : (x * 100).toFixed(1) + '%';

// the containment chart: per interval, self-served ÷ entered of the rows (every flow shown, or the one chosen)
export function containment(rows, interval) {
  const points = perInterval(rows, interval, list => {
    const entered = list.reduce((a, r) => a + r.entered, 0);
    const self = list.reduce((a, r) => a + r.self_served, 0);
    const value = entered === 0 ? null : self / entered;
    return {value, text: pctText(value), count: self + '/' + entered};
  });
  return rateBars('IVR containment per interval (self-served share)', 'containment-chart', points);
}

// a rate per interval from the rows of one name (queue "*" for the center, campaign "*" for every campaign)
export function rateOf(rows, interval, column, name, title, cls, key) {
  const own = rows.filter(r => r[key] === name);
  const points = perInterval(own, interval, list => {
    const v = list[0][column];
    const value = v === null || v === undefined || v === '' ? null : v / 100;
    return {value, text: pctText(value)};
  });
  return rateBars(title, cls, points);
}

// the drop-off funnel of one flow: per node, a bar of the calls that reached it and one of those who hung up there
export function funnel(flow, steps) {
  const labelW = 150, barMax = 420, rowH = 34, top = 8, textW = 250;
  const w = labelW + barMax + textW;
  const h = top + steps.length * rowH + 8;
  const max = Math.max(1, ...steps.map(s => s.reached));
  const svg = svgEl('svg', {viewBox: `0 0 ${w} ${h}`, width: w, height: h, class: 'chart funnel-chart',
    'data-flow': flow, role: 'img',
    'aria-label': 'Drop-off funnel of ' + flow + ': ' + steps.map(s => s.node + ' reached ' + s.reached
      + ', hung up ' + s.hung_up).join('; ')});
  steps.forEach((s, i) => {
    const y = top + i * rowH;
    const g = svgEl('g', {class: 'funnel-step', 'data-node': s.node});
    g.append(svgEl('text', {x: labelW - 8, y: y + 15, class: 'axis', 'text-anchor': 'end'}, s.node));
    const reached = svgEl('rect', {x: labelW, y, width: Math.max(1, s.reached / max * barMax), height: 13,
      class: 'chart-bar reached', 'data-value': s.reached});
    reached.append(svgEl('title', {}, s.node + ': ' + s.reached + ' reached'));
    const hung = svgEl('rect', {x: labelW, y: y + 15, width: s.hung_up / max * barMax, height: 9,
      class: 'chart-bar hung-up', 'data-value': s.hung_up});
    hung.append(svgEl('title', {}, s.node + ': ' + s.hung_up + ' hung up here'));
    g.append(reached, hung);
    g.append(svgEl('text', {x: labelW + barMax + 8, y: y + 15, class: 'value-label'},
      s.reached + ' reached · ' + s.hung_up + ' hung up'));
    svg.append(g);
  });
  return svg;
}

// the charts of a report, or none
export function chartsOf(kind, r) {
  if (kind === 'flows') return {title: 'IVR containment', charts: r.rows.length ? [containment(r.rows, r.interval)] : []};
  if (kind === 'funnel') {
    const flows = new Map();
    for (const row of r.rows) {
      if (!flows.has(row.flow)) flows.set(row.flow, []);
      flows.get(row.flow).push(row);
    }
    return {title: 'Drop-off funnel', charts: [...flows.entries()].map(([f, steps]) => {
      const fig = document.createElement('figure');
      fig.className = 'chart-figure';
      const cap = document.createElement('figcaption');
      cap.textContent = f;
      fig.append(cap, funnel(f, steps));
      return fig;
    })};
  }
  if (kind === 'queues') {
    const name = r.rows.some(x => x.queue === '*') ? '*' : (r.rows[0] || {}).queue;
    return {title: 'Service level' + (name && name !== '*' ? ' of ' + name : ''), charts: r.rows.length
      ? [rateOf(r.rows, r.interval, 'service_level_pct', name, 'Service level per interval', 'service-level-chart', 'queue')] : []};
  }
  if (kind === 'campaigns') {
    const name = r.rows.some(x => x.campaign === '*') ? '*' : (r.rows[0] || {}).campaign;
    return {title: 'Contact rate' + (name && name !== '*' ? ' of ' + name : ''), charts: r.rows.length
      ? [rateOf(r.rows, r.interval, 'contact_rate_pct', name, 'Contact rate per interval', 'contact-rate-chart', 'campaign')] : []};
  }
  return {title: '', charts: []};
}
