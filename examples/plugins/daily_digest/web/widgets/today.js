const subscriptions = new WeakMap();

/** The dashboard widget: today's digest as the settings make it, kept up to date as they change. */
export function mount(element, bridge) {
  const { t } = bridge.i18n;
  const text = document.createElement('pre');
  text.className = 'dd-preview';
  text.id = `${bridge.idPrefix}widget-preview`;
  const link = document.createElement('a');
  link.href = '/plugins/daily_digest';
  link.textContent = t('open_panel');
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = new URL('../panels/main.css', import.meta.url).href;
  element.replaceChildren(style, text, link);
  const refresh = () =>
    bridge.api.panel('main').then(
      (answer) => {
        text.textContent = answer.text;
      },
      (error) => {
        text.textContent = t('failed', { message: error.message });
      },
    );
  subscriptions.set(element, bridge.events.subscribe('daily_digest.settings_changed', refresh));
  return refresh();
}

export function unmount(element) {
  subscriptions.get(element)?.();
  subscriptions.delete(element);
  element.replaceChildren();
}
