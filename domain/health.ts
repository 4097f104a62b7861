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
