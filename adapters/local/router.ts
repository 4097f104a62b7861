/** Matches `/api/...` paths against the HTTP functions of the table, as the Functions host does. */
import type { FunctionDef, HttpTrigger } from '../../kernel/functions.ts';

interface CompiledRoute {
  def: FunctionDef<HttpTrigger>;
  pattern: RegExp;
  names: string[];
  /** Literal routes win over parameterized ones, and those over greedy ones. */
  rank: number;
}

export type RouteMatch =
  | { kind: 'found'; def: FunctionDef<HttpTrigger>; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(def: FunctionDef<HttpTrigger>, prefix: string): CompiledRoute {
  const names: string[] = [];
  let rank = 0;
  const source = def.trigger.route
    .split('/')
    .map((segment) => {
      const greedy = /^\{([A-Za-z0-9_]+)\+\}$/.exec(segment);
      if (greedy) {
        names.push(greedy[1]!);
        rank += 2;
        return '(.+)';
      }
      return escape(segment).replace(/\\\{([A-Za-z0-9_]+)\\\}/g, (_, name: string) => {
        names.push(name);
        rank += 1;
        return '([^/]+)';
      });
    })
    .join('/');
  return { def, names, rank, pattern: new RegExp(`^/${escape(prefix)}/${source}/?$`, 'i') };
}

export function createRouter(defs: readonly FunctionDef<HttpTrigger>[], prefix = 'api') {
  const routes = defs.map((def) => compile(def, prefix)).sort((a, b) => a.rank - b.rank);
  return (method: string, path: string): RouteMatch => {
    const allowed = new Set<string>();
    for (const route of routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      if (route.def.trigger.method !== method.toUpperCase()) {
        allowed.add(route.def.trigger.method);
        continue;
      }
      // Azure hands route parameters over decoded; the raw form stays in rawPath.
      const params = Object.fromEntries(route.names.map((name, index) => [name, safeDecode(match[index + 1]!)]));
      return { kind: 'found', def: route.def, params };
    }
    // The greedy preflight route matches every path; alone it does not make a path exist.
    const real = [...allowed].filter((method) => method !== 'OPTIONS');
    return real.length > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
