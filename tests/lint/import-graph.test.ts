/**
 * No import cycles: the static import graph of every non-test source (adapters, app, kernel, jobs, domain,
 * handlers, middleware, scripts, bench; never tests/, node_modules or dist) has no circle.
 *
 * Edges are read by TypeScript's pre-processor (tests/support/import-graph.ts). Type-only imports count,
 * and so do dynamic `import('./literal.ts')` calls: a lazy import defers loading, not the dependency,
 * and one was used to hide a circle before. A computed `import(path)` cannot be followed.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildImportGraph, findCycles, formatCycle, importKindsOf, sourceFiles, specifiersOf, type ImportGraph } from '../support/import-graph.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));
const plain = (cycle: string[]) => formatCycle(cycle);

describe('the cycle finder', () => {
  it('reports a cycle, as a path from its first module back to it', () => {
    const graph = graphOf({ a: ['b'], b: ['c'], c: ['a', 'd'], d: [], e: ['a'] });
    expect(findCycles(graph).map(plain)).toEqual(['a -> b -> c -> a']);
  });

  it('reports a module importing itself', () => {
    expect(findCycles(graphOf({ a: ['a', 'b'], b: [] })).map(plain)).toEqual(['a -> a']);
  });

  it('reports every circle of a tangle, each module on one at least', () => {
    const graph = graphOf({ a: ['b'], b: ['a', 'c'], c: ['b'], x: ['y'], y: ['x'] });
    expect(findCycles(graph).map(plain)).toEqual(['a -> b -> a', 'b -> c -> b', 'x -> y -> x']);
  });

  it('reports nothing for a graph without a cycle (a diamond is not a cycle)', () => {
    expect(findCycles(graphOf({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }))).toEqual([]);
  });
});

describe('the graph builder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };

  it('reads static, type-only, re-exported and literal dynamic imports, not comments or strings', () => {
    const text = [
      "import { a } from './a.ts';",
      "import type { B } from '../b.ts';",
      "export * from './c.ts';",
      "export { d } from './d.ts';",
      "const e = () => import('./e.ts');",
      "type F = import('./f.ts').F;",
      "// import { g } from './g.ts';",
      "const h = \"import('./h.ts')\";",
      'const i = (name: string) => import(`./${name}.ts`);',
    ].join('\n');
    expect(specifiersOf(text)).toEqual(['./a.ts', '../b.ts', './c.ts', './d.ts', './e.ts', './f.ts']);
    expect(Object.fromEntries([...importKindsOf(text)].map(([specifier, kinds]) => [specifier, [...kinds]]))).toEqual({
      './a.ts': ['value'],
      '../b.ts': ['type'],
      './c.ts': ['value'],
      './d.ts': ['value'],
      './e.ts': ['import()'],
      './f.ts': ['type'],
    });
  });

  it('finds a cycle hidden behind a lazy import() and a type-only import', () => {
    write({
      'hidden/app/app.ts': "import { route } from '../handlers/route.ts';\nexport const app = { route };\n",
      'hidden/handlers/route.ts': "export const route = async () => (await import('../app/app.ts')).app;\n",
      'hidden/kernel/a.ts': "import type { B } from './b.ts';\nexport type A = { b?: B };\n",
      'hidden/kernel/b.ts': "import type { A } from './a.ts';\nexport type B = { a?: A };\n",
      'hidden/tests/x.test.ts': "import '../app/app.ts';\n",
    });
    const files = sourceFiles(join(dir, 'hidden'), ['app', 'handlers', 'kernel', 'tests']);
    expect(files).toEqual(['app/app.ts', 'handlers/route.ts', 'kernel/a.ts', 'kernel/b.ts']);
    const { graph, labels, unresolved } = buildImportGraph(join(dir, 'hidden'), files);
    expect(unresolved).toEqual([]);
    expect(findCycles(graph).map((cycle) => formatCycle(cycle, labels))).toEqual([
      'app/app.ts -> handlers/route.ts -[import()]-> app/app.ts',
      'kernel/a.ts -[type]-> kernel/b.ts -[type]-> kernel/a.ts',
    ]);
  });

  it('finds no cycle where the arrows point one way', () => {
    write({
      'layered/app/app.ts': "import { route } from '../handlers/route.ts';\nexport const app = () => import('../handlers/lazy.ts');\nexport { route };\n",
      'layered/handlers/route.ts': "import { AppError } from '../domain/errors.ts';\nexport const route = AppError;\n",
      'layered/handlers/lazy.ts': "import type { AppError } from '../domain/errors.ts';\nexport type Lazy = AppError;\n",
      'layered/domain/errors.ts': 'export class AppError extends Error {}\n',
    });
    const { graph, unresolved } = buildImportGraph(join(dir, 'layered'), sourceFiles(join(dir, 'layered'), ['app', 'handlers', 'domain']));
    expect(unresolved).toEqual([]);
    expect(graph.get('app/app.ts')).toEqual(['handlers/lazy.ts', 'handlers/route.ts']);
    expect(findCycles(graph)).toEqual([]);
  });

  it('reports a relative import that names no file', () => {
    write({ 'broken/app/app.ts': "import { gone } from './gone.ts';\nexport const app = gone;\n" });
    expect(buildImportGraph(join(dir, 'broken'), ['app/app.ts']).unresolved).toEqual(['app/app.ts: ./gone.ts']);
  });
});

describe('the repository', () => {
  const { graph, labels, unresolved } = buildImportGraph(root);

  it('has sources in every layer', () => {
    const layers = new Set([...graph.keys()].map((file) => file.split('/')[0]));
    for (const layer of ['adapters', 'app', 'kernel', 'jobs', 'domain', 'handlers', 'middleware']) expect(layers).toContain(layer);
  });

  it('has no import cycle (an arrow labelled [import()] or [type] still counts)', () => {
    expect(findCycles(graph).map((cycle) => formatCycle(cycle, labels))).toEqual([]);
  });

  it('has every relative import resolving to a file (an import the graph cannot follow could hide a cycle)', () => {
    expect(unresolved).toEqual([]);
  });
});
