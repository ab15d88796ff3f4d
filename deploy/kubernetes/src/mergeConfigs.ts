// Combines collector config files the way `otelcol --config a.yaml --config b.yaml` does: maps
// merge key by key, anything else (lists, scalars) is replaced by the later file, and a null
// removes the key. The Helm values embed the result, so the pods run exactly the configs that
// the local tests run.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type ConfigMap = { [key: string]: ConfigValue };
export type ConfigValue = ConfigMap | ConfigValue[] | string | number | boolean | null;

const isMap = (value: unknown): value is ConfigMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function mergeConfig(base: ConfigMap, overlay: ConfigMap): ConfigMap {
  const merged: ConfigMap = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = merged[key];
    if (value === null) delete merged[key];
    else if (isMap(current) && isMap(value)) merged[key] = mergeConfig(current, value);
    else merged[key] = value;
  }
  return merged;
}

export function mergeConfigFiles(paths: readonly string[]): ConfigMap {
  return paths
    .map((path) => parse(readFileSync(path, 'utf8')) as ConfigMap)
    .reduce((merged, next) => mergeConfig(merged, next), {});
}
