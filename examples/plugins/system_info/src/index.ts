import { arch, cpus, freemem, hostname, loadavg, platform, release, totalmem, uptime } from 'node:os';
import { definePlugin } from 'jovian/sdk';

interface Input {
  readonly include_load?: boolean;
}

const MIB = 1024 * 1024;

/** `jovian run system_info`: OS, CPU and RAM of this machine. */
export default definePlugin<object, Input>({
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
      ...(input.include_load === false ? {} : { load: loadavg().map((n) => Math.round(n * 100) / 100) }),
    };
  },
});
