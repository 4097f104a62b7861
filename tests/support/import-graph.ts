/**
 * The static import graph of the repository's sources, and the cycles in it (tests/lint/import-graph.test.ts).
 *
 * Edges are read with TypeScript's own pre-processor (ts.preProcessFile), not with regexes, so comments,
 * strings and template literals are never mistaken for imports. An edge is any of:
 *
 * - `import ... from './x.ts'`, `import './x.ts'`, `import type ... from './x.ts'` (type-only imports COUNT:
 *   a cycle of types is still a cycle between modules, and it turns into a run-time one the day a value
 *   is imported along the same arrow);
 * - `export ... from './x.ts'`, `export * from './x.ts'`;
 * - `import('./x.ts')` with a literal specifier, anywhere in the file (dynamic imports COUNT: a lazy
 *   `import()` defers loading but not the dependency, and one was used to hide a circle before), also
 *   `import('./x.ts').T` in a type position;
 * - `require('./x')` with a literal (detectJavaScriptImports), should any appear.
 *
 * Not edges: a computed `import(path)` (e.g. app/ binding a function-table reference such as
 * 'handlers/wardrobe/items/items.routes#createItem' by string), and package specifiers (only relative
 * specifiers between the repository's own files are followed).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** Module -> the modules it imports, all as repository-relative paths with '/' separators. */
export type ImportGraph = Map<string, string[]>;

export const SOURCE_DIRS = ['adapters', 'app', 'kernel', 'jobs', 'domain', 'handlers', 'middleware', 'scripts', 'bench'];
const SOURCE_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]s$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'tests', 'coverage', '.serverless', '.esbuild']);

const posix = (path: string) => path.split(sep).join('/');

/** Every non-test source file under `dirs` of `root` (tests/, node_modules, dist never). */
export function sourceFiles(root: string, dirs: readonly string[] = SOURCE_DIRS): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !TEST_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push(posix(relative(root, path)));
      }
    }
  };
  for (const dir of dirs) if (existsSync(join(root, dir))) walk(join(root, dir));
  return files.sort();
}

/** The module specifiers a source text imports (static, re-exports, literal dynamic imports, require). */
export function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName);
}

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();

/**
 * The file a relative `specifier` of `from` (absolute) names, or undefined when none exists. Specifiers
 * carry their `.ts` here; a `.js` one (TypeScript's older style) and an extensionless one are tried too.
 */
export function resolveSpecifier(from: string, specifier: string): string | undefined {
  const target = resolve(dirname(from), specifier);
  const candidates = [target, target.replace(/\.([cm]?)js$/, '.$1ts'), `${target}.ts`, join(target, 'index.ts')];
  return candidates.find(isFile);
}

/**
 * How each relative specifier of a source is imported, for labelling a reported cycle's arrows: 'value'
 * (an import or re-export that loads the module), 'type' (erased: `import type`, `import('./x.ts').T`)
 * or 'import()' (a literal dynamic import). Read with the full parser; the edges themselves come from
 * specifiersOf, and a specifier missing here is labelled 'value'.
 */
export function importKindsOf(text: string): Map<string, Set<string>> {
  const kinds = new Map<string, Set<string>>();
  const add = (node: ts.Node | undefined, kind: string) => {
    if (node && ts.isStringLiteralLike(node)) kinds.set(node.text, (kinds.get(node.text) ?? new Set()).add(kind));
  };
  const typeOnlyImport = (clause: ts.ImportClause | undefined) =>
    !!clause &&
    (clause.isTypeOnly ||
      (!clause.name && !!clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, typeOnlyImport(node.importClause) ? 'type' : 'value');
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, node.isTypeOnly ? 'type' : 'value');
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, 'type');
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0], 'import()');
    else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') add(node.arguments[0], 'value');
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('module.ts', text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  return kinds;
}

/** The label of an arrow imported in `kinds` ways: '' when any import loads the module, else e.g. 'type'. */
const labelOf = (kinds: ReadonlySet<string>): string => (kinds.has('value') || kinds.size === 0 ? '' : [...kinds].sort().join('+'));

export interface BuiltGraph {
  graph: ImportGraph;
  /** `${from} -> ${to}` -> how the arrow is imported when not (also) as a value: 'type', 'import()', 'import()+type'. */
  labels: Map<string, string>;
  /** Relative specifiers that name no file: `from: specifier` (an edge the graph cannot see). */
  unresolved: string[];
}

/** The import graph among `files` (repository-relative) of `root`; edges to other files are dropped. */
export function buildImportGraph(root: string, files: readonly string[] = sourceFiles(root)): BuiltGraph {
  const nodes = new Set(files);
  const graph: ImportGraph = new Map();
  const labels = new Map<string, string>();
  const unresolved: string[] = [];
  for (const file of files) {
    const absolute = join(root, file);
    const text = readFileSync(absolute, 'utf8');
    const kinds = importKindsOf(text);
    const targets = new Map<string, Set<string>>();
    for (const specifier of specifiersOf(text)) {
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
      const resolved = resolveSpecifier(absolute, specifier);
      if (!resolved) {
        unresolved.push(`${file}: ${specifier}`);
        continue;
      }
      const target = posix(relative(root, resolved));
      if (nodes.has(target)) targets.set(target, new Set([...(targets.get(target) ?? []), ...(kinds.get(specifier) ?? ['value'])]));
    }
    graph.set(file, [...targets.keys()].sort());
    for (const [target, how] of targets) if (labelOf(how)) labels.set(`${file} -> ${target}`, labelOf(how));
  }
  return { graph, labels, unresolved };
}

/** The strongly connected components of `graph` (Tarjan), each sorted, in a stable order. */
export function stronglyConnected(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      components.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/** The shortest path from `start` back to `start` inside `members` (BFS), as [start, ..., start]. */
function shortestCycleThrough(graph: ImportGraph, start: string, members: ReadonlySet<string>): string[] | undefined {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i += 1) {
    const node = queue[i]!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== start; at = parent.get(at!)) path.push(at!);
        return [start, ...path.slice(1).reverse(), start];
      }
      if (!parent.has(next)) {
        parent.set(next, node);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/**
 * The import cycles of `graph`: for every strongly connected component with more than one module (or a
 * module importing itself), the shortest cycle through each of its modules, without repeats. Each cycle
 * is a path [a, b, ..., a] starting at its alphabetically first module. Every module on a cycle appears
 * on at least one reported cycle, so fixing the reported ones fixes the graph.
 */
export function findCycles(graph: ImportGraph): string[][] {
  const cycles = new Map<string, string[]>();
  for (const component of stronglyConnected(graph)) {
    const members = new Set(component);
    const cyclic = component.length > 1 || (graph.get(component[0]!) ?? []).includes(component[0]!);
    if (!cyclic) continue;
    for (const start of component) {
      const cycle = shortestCycleThrough(graph, start, members);
      if (!cycle) continue;
      const loop = cycle.slice(0, -1);
      const first = loop.indexOf([...loop].sort()[0]!);
      const rotated = [...loop.slice(first), ...loop.slice(0, first)];
      cycles.set(rotated.join(' -> '), [...rotated, rotated[0]!]);
    }
  }
  return [...cycles.values()].sort((a, b) => (a.join() < b.join() ? -1 : 1));
}

/** 'a -> b -[import()]-> c -[type]-> a': a plain arrow loads the module, a labelled one is lazy or erased. */
export function formatCycle(cycle: readonly string[], labels: ReadonlyMap<string, string> = new Map()): string {
  return cycle.reduce((text, node, i) => {
    if (i === 0) return node;
    const label = labels.get(`${cycle[i - 1]} -> ${node}`);
    return `${text} ${label ? `-[${label}]->` : '->'} ${node}`;
  }, '');
}
