/**
 * The media input laid out for the kernel, computed once in float64: scaled media per channel
 * [C, N] (N = G T, geo-major rows n = g T + t), its lags [C, L, N] (media[c, n - l] within the
 * same geo, 0 before its first period; only kinds without a recursion read them), and the mask of
 * cells whose whole adstock window has zero media ([C, N], 0 there: h = 0 for every parameter).
 */
import { designDims, type MmmDesign } from '../design.js';

export interface MediaData {
  readonly media: Float64Array;
  readonly laggedMedia: Float64Array;
  readonly active: Uint8Array;
  /** Per channel: whether any cell is masked. */
  readonly maskedCells: readonly boolean[];
}

export function mediaData(design: MmmDesign, maxLag: number): MediaData {
  const { geos: G, periods: T, channels: C } = designDims(design);
  const L = maxLag;
  const N = G * T;
  const media = new Float64Array(C * N);
  const laggedMedia = new Float64Array(C * L * N);
  const active = new Uint8Array(C * N);
  for (let c = 0; c < C; c++) {
    for (let n = 0; n < N; n++) media[c * N + n] = design.media[n * C + c];
    for (let g = 0; g < G; g++) {
      for (let t = 0; t < T; t++) {
        const n = g * T + t;
        for (let l = 0; l < L && l <= t; l++) {
          const x = media[c * N + n - l];
          laggedMedia[(c * L + l) * N + n] = x;
          if (x !== 0) active[c * N + n] = 1;
        }
      }
    }
  }
  const maskedCells = Array.from({ length: C }, (_, c) => active.subarray(c * N, (c + 1) * N).includes(0));
  return { media, laggedMedia, active, maskedCells };
}
