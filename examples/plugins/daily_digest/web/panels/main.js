const subscriptions = new WeakMap();

/** Today's digest as the current settings make it, refreshed when they change; builds one on request. */
export function mount(element, bridge) {
  const { t } = bridge.i18n;
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = new URL('./main.css', import.meta.url).href;
  const preview = document.createElement('pre');
  preview.className = 'dd-preview';
  preview.id = `${bridge.idPrefix}preview`;
  preview.setAttribute('aria-label', t('preview'));
  const count = document.createElement('p');
  count.className = 'dd-count';
  const button = document.createElement('button');
  button.type = 'button';
  button.id = `${bridge.idPrefix}build`;
  button.textContent = t('build');
  const bar = document.createElement('div');
  bar.className = 'dd-bar';
  bar.append(button, count);
  element.replaceChildren(style, preview, bar);

  const show = ({ text, built }) => {
    preview.textContent = text;
    count.textContent = t('built', { count: built });
  };
  const refresh = () =>
    bridge.api.panel('main').then(show, (error) => {
      preview.textContent = t('failed', { message: error.message });
    });
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const answer = await bridge.api.panel('main', { build: true });
      show(answer);
      bridge.notify(t('done', { count: answer.built }), { level: 'success' });
    } catch (error) {
      bridge.notify(t('failed', { message: error.message }), { level: 'error' });
    } finally {
      button.disabled = false;
    }
  });
  subscriptions.set(element, [
    bridge.events.subscribe('daily_digest.settings_changed', refresh),
    bridge.events.subscribe('daily_digest.built', (payload) => {
      count.textContent = t('built', { count: payload.number });
    }),
  ]);
  refresh();
}

export function unmount(element) {
  for (const unsubscribe of subscriptions.get(element) ?? []) unsubscribe();
  subscriptions.delete(element);
  element.replaceChildren();
}
