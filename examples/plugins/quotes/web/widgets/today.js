/** The dashboard widget: the quote of the day, from `GET /api/x/quotes/today`. */
export function mount(element, bridge) {
  const { t } = bridge.i18n;
  const quote = document.createElement('blockquote');
  quote.id = `${bridge.idPrefix}today`;
  const text = document.createElement('p');
  const author = document.createElement('footer');
  quote.append(text, author);
  element.replaceChildren(quote);
  text.textContent = t('loading');
  return bridge.api.get('today').then(
    (today) => {
      text.textContent = `“${today.text}”`;
      author.textContent = `— ${today.author}`;
    },
    (error) => {
      text.textContent = t('failed', { message: error.message });
    },
  );
}
