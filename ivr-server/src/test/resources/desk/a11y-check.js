// Accessibility basics of the page as shown: the document has a language, every form control a
// label, every button a name, every table header a scope, and every visible text at least the WCAG
// AA contrast against its (composited) background: 4.5:1, or 3:1 for large text. Disabled
// controls are exempt (as in WCAG). Returns the problems found, as text.
const problems = [];
if (!document.documentElement.lang) problems.push('html has no lang');
for (const c of document.querySelectorAll('input, select, textarea')) {
  if (c.type === 'hidden' || c.offsetParent === null) continue;
  if (!(c.labels && c.labels.length) && !c.getAttribute('aria-label')) problems.push('no label: ' + (c.id || c.name));
}
for (const b of document.querySelectorAll('button')) {
  if (b.offsetParent !== null && !(b.textContent.trim() || b.getAttribute('aria-label'))) problems.push('button without a name: ' + b.id);
}
for (const th of document.querySelectorAll('thead th')) {
  if (!th.getAttribute('scope')) problems.push('table header without scope: ' + th.textContent.trim());
}

function rgba(s) {
  const m = s.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[ ,/]+/).filter(x => x).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function over(top, bottom) { // composite a colour with alpha over an opaque one
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
}
function background(el) {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let bg = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
  return bg;
}
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const seen = new Set();
for (const el of document.querySelectorAll('body *')) {
  const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
  if (!text || el.offsetParent === null || el.closest('[hidden], .visually-hidden, :disabled')) continue;
  const style = getComputedStyle(el);
  const bg = background(el);
  const fg = over(rgba(style.color), bg);
  const l1 = luminance(fg), l2 = luminance(bg);
  const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
  if (ratio < (large ? 3 : 4.5)) {
    const what = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + text.slice(0, 30) + '" ' + ratio.toFixed(2) + ':1';
    if (!seen.has(what)) problems.push('contrast ' + what);
    seen.add(what);
  }
}
return problems;
