/**
 * The planning-window options `optimize` and `scenario` share: --periods N, or --future FILE
 * (with --future-follows), src/optimize/window.ts and future.ts. Import-free (spec.ts).
 */

export const FUTURE = {
  name: 'future',
  kind: 'string',
  placeholder: 'FILE',
  description:
    "Plan over the periods of FILE instead of the data's last ones: the fitted data's layout " +
    'without the KPI, starting one period after the fitted data; the current plan is its spend.',
  default: "none (the fitted data's last --periods)",
} as const;

export const FUTURE_FOLLOWS = {
  name: 'future-follows',
  kind: 'flag',
  description: "Take FILE's periods, in their order, as the ones right after the fitted data, whatever their dates (a warning names them).",
  default: "off (FILE's first date must be one period after the fitted data's last)",
} as const;

export const GEO_LEVEL = {
  name: 'geo-level',
  kind: 'flag',
  description: 'Plan per geo x channel instead of per channel.',
  default: 'off',
} as const;

export const FUTURE_RULES = [
  { oneOf: ['periods', 'future'], message: "--periods goes without --future (the future file's periods are the planning window)" },
  { options: ['future-follows'], requires: 'future', message: '--future-follows goes with --future FILE' },
] as const;
