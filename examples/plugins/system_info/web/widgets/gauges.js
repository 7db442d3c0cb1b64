import { meterCard } from '../panels/meter.js';
import { startPolling, stopPolling } from '../panels/polling.js';

const EVERY_MS = 5000;

/** The dashboard widget: CPU and memory use now, from `GET /api/x/system_info/stats`. */
export function mount(element, bridge) {
  const { t } = bridge.i18n;
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = new URL('../panels/main.css', import.meta.url).href;
  const cpu = meterCard(`${bridge.idPrefix}widget-cpu`, t('cpu'));
  const memory = meterCard(`${bridge.idPrefix}widget-memory`, t('memory'));
  const root = document.createElement('div');
  root.className = 'si-widget';
  const more = document.createElement('a');
  more.href = '/plugins/system_info';
  more.textContent = t('open_panel');
  root.append(cpu.card, memory.card, more);
  element.replaceChildren(style, root);
  const refresh = async () => {
    try {
      const now = await bridge.api.get('stats');
      cpu.show(`${now.cpu_percent.toFixed(1)} %`, now.cpu_percent);
      memory.show(
        t('memory_used', { used: now.memory.used_mib, total: now.memory.total_mib }),
        Math.round((100 * now.memory.used_mib) / now.memory.total_mib),
      );
    } catch (error) {
      cpu.show(t('failed', { message: error.message }), 0);
    }
  };
  startPolling(element, refresh, EVERY_MS);
}

export function unmount(element) {
  stopPolling(element);
}
