/** A minimal YAML writer for generated config: maps, lists and scalars, strings quoted when needed. */
type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

const PLAIN = /^[A-Za-z_/.][A-Za-z0-9_ ./-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|~)$/i;

function scalar(value: string | number | boolean | null): string {
  if (typeof value !== 'string') return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ') ? value : JSON.stringify(value);
}

function lines(value: Value, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const inner = lines(item, `${indent}  `);
      if (typeof item !== 'object' || item === null) return [`${indent}- ${scalar(item as string)}`];
      return [`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1)];
    });
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .flatMap(([key, item]) => {
        const name = scalar(key);
        if (typeof item === 'object' && item !== null) {
          if (Array.isArray(item) && item.length === 0) return [`${indent}${name}: []`];
          if (!Array.isArray(item) && Object.keys(item).length === 0) return [`${indent}${name}: {}`];
          return [`${indent}${name}:`, ...lines(item, `${indent}  `)];
        }
        return [`${indent}${name}: ${scalar(item as string)}`];
      });
  }
  return [`${indent}${scalar(value as string)}`];
}

export function toYaml(value: Value): string {
  return `${lines(value, '').join('\n')}\n`;
}

export type { Value as YamlValue };
