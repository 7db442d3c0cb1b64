const SVG = 'http://www.w3.org/2000/svg';

/**
 * A line of the last `capacity` values (0–100) in an SVG; `push(value)` adds one and redraws.
 * Drawn with attributes only: the WebUI's content policy allows no inline style.
 */
export function sparkline(capacity, label) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${capacity - 1} 100`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.classList.add('si-sparkline');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  svg.append(line);
  const values = [];
  return {
    element: svg,
    push(value) {
      values.push(Math.max(0, Math.min(100, value)));
      if (values.length > capacity) values.shift();
      const offset = capacity - values.length;
      line.setAttribute('points', values.map((v, i) => `${offset + i},${100 - v}`).join(' '));
    },
  };
}
