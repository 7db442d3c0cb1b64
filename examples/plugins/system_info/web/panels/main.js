import { meterCard } from './meter.js';
import { startPolling, stopPolling } from './polling.js';
import { sparkline } from './sparkline.js';

const EVERY_MS = 2000;
const HISTORY = 60; // two minutes

const duration = (seconds) => {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
};

/** The live panel: CPU and memory now and over two minutes, and what machine this is. */
export function mount(element, bridge) {
  const { t } = bridge.i18n;
  const id = (name) => `${bridge.idPrefix}${name}`;
  const style = document.createElement('link');
  style.rel = 'stylesheet';
  style.href = new URL('./main.css', import.meta.url).href;

  const cpu = meterCard(id('cpu'), t('cpu'));
  const memory = meterCard(id('memory'), t('memory'));
  const cpuLine = sparkline(HISTORY, t('cpu_history'));
  const memoryLine = sparkline(HISTORY, t('memory_history'));
  cpu.card.append(cpuLine.element);
  memory.card.append(memoryLine.element);
  const facts = document.createElement('dl');
  facts.className = 'si-facts';
  facts.id = id('facts');
  const status = document.createElement('p');
  status.className = 'si-status';
  status.setAttribute('role', 'status');
  const grid = document.createElement('div');
  grid.className = 'si-grid';
  grid.append(cpu.card, memory.card);
  element.replaceChildren(style, grid, facts, status);

  const fact = (term, value) => {
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = value;
    return [dt, dd];
  };
  let failing = false;
  const refresh = async () => {
    try {
      const now = await bridge.api.panel('main');
      const used = (100 * now.memory.used_mib) / now.memory.total_mib;
      cpu.show(`${now.cpu_percent.toFixed(1)} %`, now.cpu_percent);
      memory.show(
        t('memory_used', { used: now.memory.used_mib, total: now.memory.total_mib }),
        Math.round(used),
      );
      cpuLine.push(now.cpu_percent);
      memoryLine.push(used);
      facts.replaceChildren(
        ...fact(t('host'), now.os.hostname),
        ...fact(t('system'), `${now.os.platform} ${now.os.release} (${now.os.arch})`),
        ...fact(t('processor'), t('cores', { model: now.cpu_model, cores: now.cores })),
        ...fact(t('load'), now.load.join(' · ')),
        ...fact(t('uptime'), duration(now.uptime_s)),
      );
      status.textContent = t('updated', { time: new Date(now.at).toLocaleTimeString() });
      if (failing) bridge.notify(t('back'), { level: 'success' });
      failing = false;
    } catch (error) {
      status.textContent = t('failed', { message: error.message });
      if (!failing) bridge.notify(t('failed', { message: error.message }), { level: 'error' });
      failing = true;
    }
  };
  startPolling(element, refresh, EVERY_MS);
}

export function unmount(element) {
  stopPolling(element);
}
