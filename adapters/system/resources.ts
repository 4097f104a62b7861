/** Reads this instance's resources for the health report, from node:os and the data folder's file system. */
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { cpus, freemem, loadavg, tmpdir, totalmem, uptime } from 'node:os';
import { localDataDir } from '../../app/project.ts';
import type { SystemResources } from '../../domain/health.ts';

/**
 * The folder whose disk health reports: the local data folder when there is one (`npm start`),
 * else the OS's scratch space, where a function writes its temporary files (Lambda's /tmp).
 */
export function dataFolder(): string {
  const local = localDataDir();
  return existsSync(local) ? local : tmpdir();
}

export async function readSystemResources(folder: string = dataFolder()): Promise<SystemResources> {
  const [one = 0, five = 0, fifteen = 0] = loadavg();
  const { rss, heapUsed } = process.memoryUsage();
  return {
    cpu: { cores: cpus().length, loadAverage: [round(one), round(five), round(fifteen)] },
    memory: { totalBytes: totalmem(), freeBytes: freemem(), processRssBytes: rss, heapUsedBytes: heapUsed },
    disk: await diskOf(folder),
    uptimeSeconds: { process: Math.round(process.uptime()), system: Math.round(uptime()) },
  };
}

async function diskOf(path: string): Promise<SystemResources['disk']> {
  try {
    const stats = await statfs(path);
    // bavail: what an unprivileged process may still write.
    return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  } catch {
    return { error: 'unreadable' };
  }
}

const round = (value: number) => Math.round(value * 100) / 100;
