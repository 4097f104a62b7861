/** Health is the worst of its dependencies: any dependency down makes the service unavailable. */
export type DependencyStatus = 'up' | 'down';

export interface DependencyReport {
  status: DependencyStatus;
  latencyMs: number;
  /** A short, non-sensitive reason when down (e.g. "timeout"). */
  error?: string;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  version: string;
  dependencies: Record<string, DependencyReport>;
}

export function summarizeHealth(version: string, dependencies: Record<string, DependencyReport>): HealthReport {
  const healthy = Object.values(dependencies).every((dependency) => dependency.status === 'up');
  return { status: healthy ? 'healthy' : 'unhealthy', version, dependencies };
}

export function downDependencies(report: HealthReport): string[] {
  return Object.entries(report.dependencies)
    .filter(([, dependency]) => dependency.status === 'down')
    .map(([name]) => name);
}

/** This instance's resources, as the seed's health asks: CPU load, memory, disk free on the data folder, uptime. */
export interface SystemResources {
  cpu: { cores: number; /** 1, 5 and 15 minute load averages (0 where the OS has none, e.g. Windows). */ loadAverage: [number, number, number] };
  memory: { totalBytes: number; freeBytes: number; processRssBytes: number; heapUsedBytes: number };
  /** The data folder's file system (its path is not shown: health is public); `error` when it cannot be read. */
  disk: { freeBytes: number; totalBytes: number } | { error: string };
  uptimeSeconds: { process: number; system: number };
}

/** A queue's depth (messages waiting, visible or not), or why it could not be read. */
export type QueueDepth = { depth: number } | { error: 'timeout' | 'unavailable' };
