import { arch, cpus, freemem, hostname, loadavg, platform, release, totalmem, uptime } from 'node:os';
import { definePlugin } from 'jovian/sdk';
import { CpuMeter } from './cpu-meter.js';

interface Input {
  readonly include_load?: boolean;
}

const MIB = 1024 * 1024;
const round2 = (n: number) => Math.round(n * 100) / 100;

/** What the panel, the dashboard widget and `GET /api/x/system_info/stats` show, sampled now. */
function sample(meter: CpuMeter) {
  const total = totalmem();
  const free = freemem();
  return {
    at: Date.now(),
    cpu_percent: meter.percent(),
    cores: cpus().length,
    memory: { total_mib: Math.round(total / MIB), used_mib: Math.round((total - free) / MIB) },
    load: loadavg().map(round2),
  };
}

const meter = new CpuMeter();

/**
 * `jovian run system_info`: OS, CPU and RAM of this machine. In the WebUI: a live panel (CPU and
 * memory over the last two minutes), a dashboard widget, and metrics on its page.
 */
export default definePlugin<object, Input>({
  async activate(ctx) {
    await ctx.contributions.registerPanel('main', () => ({
      ...sample(meter),
      os: { platform: platform(), release: release(), arch: arch(), hostname: hostname() },
      cpu_model: cpus()[0]?.model.trim() ?? 'unknown',
      uptime_s: Math.round(uptime()),
    }));
    await ctx.contributions.registerRoute('GET', '/stats', () => sample(meter));
  },
  metrics() {
    const now = sample(meter);
    return { cpu_percent: now.cpu_percent, memory_used_mib: now.memory.used_mib, load_1m: now.load[0] ?? 0 };
  },
  run(input) {
    const processors = cpus();
    return {
      os: {
        platform: platform(),
        release: release(),
        arch: arch(),
        hostname: hostname(),
        uptime_s: Math.round(uptime()),
      },
      cpu: { model: processors[0]?.model.trim() ?? 'unknown', cores: processors.length },
      memory: { total_mib: Math.round(totalmem() / MIB), free_mib: Math.round(freemem() / MIB) },
      ...(input.include_load === false ? {} : { load: loadavg().map(round2) }),
    };
  },
});
