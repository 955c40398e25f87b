import { describe, expect, it } from 'vitest';
import { initBackend, tf, describeBackend, parseBackendName } from '../src/tensor/index.js';

describe('backend choice', () => {
  it('initialises a backend and says which', async () => {
    const info = await initBackend();
    expect(['tensorflow', 'wasm', 'cpu']).toContain(info.name);
    expect(tf.getBackend()).toBe(info.name);
    expect(describeBackend(info)).toContain(info.name);
  });

  it('can be forced to cpu and rejects unknown names', async () => {
    const info = await initBackend('cpu');
    expect(info.name).toBe('cpu');
    expect(() => parseBackendName('gpu', 'MIXWELL_BACKEND')).toThrow(/unknown backend "gpu"/);
  });
});
