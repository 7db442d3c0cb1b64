const SVG = 'http://www.w3.org/2000/svg';

/**
 * A line of the last `capacity` values (0–100) in an SVG, across its whole width; `push(value)` adds one
 * and redraws.
 * Drawn with attributes only: the WebUI's content policy allows no inline style.
 */
export function sparkline(capacity, label) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${capacity - 1} 100`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.classList.add('si-sparkline');
  const area = document.createElementNS(SVG, 'polygon');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('vector-effect', 'non-scaling-stroke');
  svg.append(area, line);
  const values = [];
  return {
    element: svg,
    push(value) {
      values.push(Math.max(0, Math.min(100, value)));
      if (values.length > capacity) values.shift();
      // Spread over the whole width until `capacity` values are known: the line grows from the left.
      const step = values.length > 1 ? (capacity - 1) / (values.length - 1) : 0;
      const points = values.map((v, i) => `${i * step},${100 - v}`).join(' ');
      line.setAttribute('points', points);
      area.setAttribute('points', `0,100 ${points} ${(values.length - 1) * step},100`);
    },
  };
}
