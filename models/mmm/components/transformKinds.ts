/**
 * Which adstock kind, saturation kind and transform order each channel uses (the global
 * `model.adstock` / `model.saturation` / `model.order`, with their `byChannel` overrides; as
 * Meridian's per-channel media transforms), and the layout of the transform parameters over the
 * channels: each parameter is one row of the parameter table, named by the parameter, covering the
 * channels (in data order) whose kind has a parameter of that name (the union over kinds: geometric,
 * delayed and binomial adstock share `alpha`; Hill and Michaelis-Menten share `k`). Kinds sharing a
 * name must agree on its support and default prior (so one row with one prior is well defined);
 * otherwise the combination is refused, as is a name used both by an adstock and a saturation kind.
 * With no overrides every row covers every channel: the table of the single-kind model.
 *
 * Reach and frequency channels (`config.rfChannels`, Meridian's adstock_hill_rf) are always
 * saturation then adstock with Hill on the frequency (saturation/hillFrequency.ts: rows `k_rf`,
 * `s_rf` over the rf channels) and the per-period multiplier r = the scaled reach; their adstock kind
 * is configured as any channel's. A `byChannel` saturation or order override naming one is refused.
 */
import { byChannel, type AdstockSpec, type MmmModelConfig, type SaturationSpec, type TransformOrder } from '../config.js';
import { adstockKind, type AdstockKind } from './adstock/index.js';
import { saturationKind, type SaturationKind, type SaturationOptions } from './saturation/index.js';
import { hillFrequency } from './saturation/hillFrequency.js';
import type { TransformParameter } from './types.js';

export interface ChannelTransformKinds {
  readonly channel: string;
  readonly adstock: AdstockKind;
  readonly saturation: SaturationKind;
  readonly saturationOptions: SaturationOptions;
  readonly order: TransformOrder;
  /** A reach and frequency channel: h of the frequency times the reach, then adstocked (module comment). */
  readonly rf: boolean;
}

/** One transform parameter row: its declaration and the channels it covers, in data order. */
export interface TransformRow {
  readonly component: 'adstock' | 'saturation';
  readonly parameter: TransformParameter;
  readonly channels: readonly string[];
}

function saturationOptionsOf(spec: SaturationSpec): SaturationOptions {
  return spec.fixedSlope === undefined ? {} : { fixedSlope: spec.fixedSlope };
}

/** Every channel's kinds and order (`channels` in data order). Unknown names in byChannel are ignored here (parseConfig checks them against the data). */
export function channelTransformKinds(config: MmmModelConfig, channels: readonly string[]): ChannelTransformKinds[] {
  return channels.map((channel) => {
    const adstock: AdstockSpec = byChannel(config.adstock.byChannel, channel) ?? config.adstock;
    if (config.rfChannels?.includes(channel)) {
      return { channel, adstock: adstockKind(adstock.type), saturation: hillFrequency, saturationOptions: {}, order: 'saturationThenAdstock', rf: true };
    }
    const saturation: SaturationSpec = byChannel(config.saturation.byChannel, channel) ?? config.saturation;
    return {
      channel,
      adstock: adstockKind(adstock.type),
      saturation: saturationKind(saturation.type),
      saturationOptions: saturationOptionsOf(saturation),
      order: byChannel(config.order?.byChannel, channel) ?? config.order?.type ?? 'adstockThenSaturation',
      rf: false,
    };
  });
}

/**
 * The reason a config cannot take the reach and frequency channels (a saturation or order override
 * naming one), or undefined.
 */
export function rfConfigProblem(config: MmmModelConfig): { key: string; message: string } | undefined {
  for (const channel of config.rfChannels ?? []) {
    if (byChannel(config.saturation.byChannel, channel) !== undefined) {
      return { key: `model.saturation.byChannel.${channel}`, message: `"${channel}" is a reach and frequency channel: its saturation is Hill on the frequency (k_rf, s_rf), times the reach, then adstocked (Meridian's); remove the override` };
    }
    if (byChannel(config.order?.byChannel, channel) !== undefined) {
      return { key: `model.order.byChannel.${channel}`, message: `"${channel}" is a reach and frequency channel: it is always saturation (of the frequency) then adstock; remove the override` };
    }
  }
  return undefined;
}

/** The config with the reach and frequency channels of the data (channel kinds 'rf'); the same object when they agree. */
export function withRfChannels(config: MmmModelConfig, channelNames: readonly string[], channelKinds: readonly string[] | undefined): MmmModelConfig {
  const rf = channelNames.filter((_, c) => channelKinds?.[c] === 'rf' || channelKinds?.[c] === 'organicRf');
  const current = config.rfChannels ?? [];
  if (rf.length === current.length && rf.every((name, i) => current[i] === name)) return config;
  if (rf.length === 0) {
    const { rfChannels: _dropped, ...rest } = config;
    return rest;
  }
  return { ...config, rfChannels: rf };
}

/** Throws when the config's reach and frequency channels are not the design's (a config not passed through withRfChannels). */
export function checkRfChannels(config: MmmModelConfig, channelNames: readonly string[], channelKinds: readonly string[] | undefined): void {
  if (withRfChannels(config, channelNames, channelKinds) !== config) {
    const rf = channelNames.filter((_, c) => channelKinds?.[c] === 'rf' || channelKinds?.[c] === 'organicRf');
    throw new Error(`model config: the reach and frequency channels (${(config.rfChannels ?? []).join(', ') || 'none'}) are not the data's (${rf.join(', ') || 'none'}): build the config with withRfChannels(config, design.channelNames, design.channelKinds)`);
  }
}

/**
 * The transform parameter rows in table order (adstock parameters in order of first use, then
 * saturation's). Throws when kinds sharing a name disagree on support or default prior, or a name is
 * both an adstock and a saturation parameter (the message names the channels and kinds).
 */
export function transformRows(config: MmmModelConfig, channels: readonly string[]): TransformRow[] {
  const kinds = channelTransformKinds(config, channels);
  const maxLag = config.adstock.maxLag;
  const rows: { component: 'adstock' | 'saturation'; parameter: TransformParameter; channels: string[]; kind: string }[] = [];
  const add = (component: 'adstock' | 'saturation', kind: string, parameter: TransformParameter, channel: string) => {
    const row = rows.find((r) => r.parameter.name === parameter.name);
    if (!row) {
      rows.push({ component, parameter, channels: [channel], kind });
      return;
    }
    if (row.component !== component) {
      throw new Error(`parameter "${parameter.name}" is both an adstock and a saturation parameter (${row.kind} and ${kind}): these kinds cannot be combined`);
    }
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (!same(row.parameter.support(maxLag), parameter.support(maxLag)) || !same(row.parameter.defaultPrior(maxLag), parameter.defaultPrior(maxLag))) {
      throw new Error(
        `parameter "${parameter.name}" of ${component} "${kind}" (channel ${channel}) and of "${row.kind}" (channels ${row.channels.join(', ')}) ` +
          'differ in support or default prior: they cannot share one parameter row, use one kind for these channels',
      );
    }
    row.channels.push(channel);
  };
  for (const k of kinds) for (const p of k.adstock.parameters) add('adstock', k.adstock.type, p, k.channel);
  for (const k of kinds) for (const p of k.saturation.parameters(k.saturationOptions)) add('saturation', k.saturation.type, p, k.channel);
  return rows.map(({ component, parameter, channels: covered }) => ({ component, parameter, channels: covered }));
}

/** Element index of `channel` in the row of parameter `name` (-1 when the row does not cover it). */
export function transformElement(rows: readonly TransformRow[], name: string, channel: string): number {
  const row = rows.find((r) => r.parameter.name === name);
  return row ? row.channels.indexOf(channel) : -1;
}
