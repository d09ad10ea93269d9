import { readFile } from 'node:fs/promises';

/** The host's CPU time so far, in clock ticks, from the first line of /proc/stat (Linux). */
export interface HostCpu {
  total: number;
  /** Time the hypervisor gave this VM's CPUs to someone else while they had work ("steal"). */
  steal: number;
  idle: number;
}

/** Undefined where /proc/stat is not there (not Linux): the figures are then left out. */
export async function hostCpu(): Promise<HostCpu | undefined> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0]!;
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    // guest time is already counted in user time.
    const total = ticks.slice(0, 8).reduce((sum, n) => sum + n, 0);
    return { total, steal: ticks[7] ?? 0, idle: (ticks[3] ?? 0) + (ticks[4] ?? 0) };
  } catch {
    return undefined;
  }
}

/** The share (0..1) of the host's CPU time between two readings that was stolen, or idle. */
export function hostShares(before: HostCpu, after: HostCpu): { steal: number; idle: number } {
  const total = after.total - before.total;
  return total > 0 ? { steal: (after.steal - before.steal) / total, idle: (after.idle - before.idle) / total } : { steal: 0, idle: 0 };
}
