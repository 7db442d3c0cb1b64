/** A labelled figure with a bar under it (a <meter>, so screen readers read the value). */
export function meterCard(id, title) {
  const card = document.createElement('section');
  card.className = 'si-card';
  card.id = id;
  const heading = document.createElement('h3');
  heading.textContent = title;
  const figure = document.createElement('p');
  figure.className = 'si-figure';
  const bar = document.createElement('meter');
  bar.min = 0;
  bar.max = 100;
  bar.low = 70;
  bar.high = 90;
  bar.optimum = 0;
  bar.setAttribute('aria-label', title);
  card.append(heading, figure, bar);
  return {
    card,
    show(text, percent) {
      figure.textContent = text;
      bar.value = percent;
    },
  };
}
