/**
 * YAML for generated config (serverless.yml), written by the `yaml` library. A string is written
 * plain only when it reads back as the same string under YAML 1.1 (anything still reading
 * `yes`/`on` as booleans) and under YAML 1.2 core (`0o17` is a number there; osls reads
 * serverless.yml with js-yaml 4, which follows 1.2); otherwise it is double-quoted. `.inf`, `.nan` and `.5` are numbers
 * to both, so they are quoted (the hand-written writer left them plain; issue 11). Serverless
 * variables (`${env:X, ''}`) are always double-quoted, as they always were: serverless resolves
 * them after parsing, and the quotes keep whatever they expand to a string.
 */
import { Document, parse, Scalar, visit } from 'yaml';

type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

/** Whether `text`, written plain, reads back as the same string under YAML 1.2 (the 1.1 writer already checked 1.1). */
function plainUnder12(text: string): boolean {
  try {
    return parse(text, { version: '1.2', logLevel: 'silent' }) === text;
  } catch {
    return false;
  }
}

export function toYaml(value: Value): string {
  const doc = new Document(value, { version: '1.1' });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && (node.value.includes('${') || !plainUnder12(node.value))) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  // No folding: a long ARN or expression stays on one line, as it was written.
  return doc.toString({ lineWidth: 0, minContentWidth: 0, directives: false });
}

export type { Value as YamlValue };
