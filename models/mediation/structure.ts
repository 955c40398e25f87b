/**
 * The mediation graph resolved against the data's channels: which channels are mediators, which
 * channels drive each of them (the path edges), and an order of the mediators in which every
 * mediator comes after the mediators that drive it (a topological order of the directed acyclic
 * graph; Kahn 1962). Cycles, unknown channels, self-loops and repeated drivers are errors naming
 * the config key.
 */
import { ConfigError } from '../../src/config/index.js';
import type { MediationModelConfig } from './config.js';

export interface PathEdge {
  /** Index of the mediator in `MediationStructure.mediators`. */
  readonly mediator: number;
  /** Channel index of the driving channel. */
  readonly driver: number;
  /** "driver->mediator". */
  readonly name: string;
}

export interface MediationStructure {
  readonly channelNames: readonly string[];
  /** Channel index of each mediator, in topological order. */
  readonly mediators: readonly number[];
  readonly mediatorNames: readonly string[];
  /** Path edges grouped by mediator (in mediator order), drivers in config order. */
  readonly edges: readonly PathEdge[];
}

export function resolveStructure(config: MediationModelConfig, channelNames: readonly string[], file = 'config'): MediationStructure {
  const entries = Object.entries(config.mediators);
  if (entries.length === 0) throw new ConfigError(file, 'mediators', 'at least one mediator is needed');
  const channelIndex = (name: string, path: string): number => {
    const index = channelNames.indexOf(name);
    if (index < 0) throw new ConfigError(file, path, `unknown channel "${name}" (channels: ${channelNames.join(', ')})`);
    return index;
  };
  const drivers = new Map<string, readonly string[]>();
  for (const [mediator, spec] of entries) {
    channelIndex(mediator, `mediators.${mediator}`);
    const seen = new Set<string>();
    spec.drivenBy.forEach((driver, i) => {
      const path = `mediators.${mediator}.drivenBy[${i}]`;
      channelIndex(driver, path);
      if (driver === mediator) throw new ConfigError(file, path, `a channel cannot drive itself ("${mediator}")`);
      if (seen.has(driver)) throw new ConfigError(file, path, `"${driver}" is listed twice`);
      seen.add(driver);
    });
    drivers.set(mediator, spec.drivenBy);
  }
  // Kahn's algorithm over the mediators (drivers that are not mediators are exogenous).
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < entries.length) {
    const ready = entries.map(([name]) => name).filter((name) => !placed.has(name) && drivers.get(name)!.every((d) => !drivers.has(d) || placed.has(d)));
    if (ready.length === 0) {
      const left = entries.map(([name]) => name).filter((name) => !placed.has(name));
      throw new ConfigError(file, 'mediators', `the mediators form a cycle (${left.join(', ')}): the drivenBy links must form a directed acyclic graph`);
    }
    for (const name of ready) {
      order.push(name);
      placed.add(name);
    }
  }
  const edges: PathEdge[] = [];
  order.forEach((mediator, m) => {
    for (const driver of drivers.get(mediator)!) edges.push({ mediator: m, driver: channelNames.indexOf(driver), name: `${driver}->${mediator}` });
  });
  return { channelNames, mediators: order.map((name) => channelNames.indexOf(name)), mediatorNames: order, edges };
}
