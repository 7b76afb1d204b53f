/**
 * The playground's teaching views in Chromium: hovering a neuron (its heatmap in the large view
 * and its numbers; leaving restores the output), clicking a link to read and edit its weight in
 * the live model (refusing bad input; the URL replays the edit), and the step panel after each
 * single step, whose ΔW is the step's real change. Screenshots go to PLAYGROUND_SHOTS or a temp directory.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { diagramPoint, playgroundSession, stepTo } from './bundlers/playground.js';

const { shots, open } = playgroundSession('teach', { width: 1400, height: 1000 });

type Values = { first: number[]; size: number; norm: number };
type Run = {
  epoch: number;
  steps: number;
  frames: number;
  firstWeights: number[];
  refused: number;
  state: { edits: unknown[] };
  history: { train: number[] };
  neuron: { ref: { column: number; unit: number }; z: number; a: number; delta: number; bias: number; scale: number; incoming: { size: number } } | null;
  edge: { ref: { layer: number; i: number; j: number }; weight: number; gradient: number } | null;
  steps_reported: number;
  step: { step: number; rows: number; firstRow: number; layers: { z: Values; a: Values; dWUpdate: Values; shape: number[] }[] } | null;
};
const run = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __playground: unknown }).__playground)) as Run);
const text = (page: Page, sel: string) => page.textContent(sel).then((t) => t ?? '');
const framesAfter = async (page: Page, n: number) =>
  page.waitForFunction((k) => (window as unknown as { __playground: { frames: number } }).__playground.frames > k, n);

describe('the playground teaches backprop', () => {
  it('hovering a neuron shows its heatmap in the large view and its numbers; leaving restores the output', async () => {
    const { page, errors } = await open('#data=xor&net=6.tanh-4.tanh&seed=2');
    await stepTo(page, 1);
    const output = await page.locator('#boundary').screenshot();
    const p = await diagramPoint(page, { column: 1, unit: 2 });
    let frames = (await run(page)).frames;
    await page.mouse.move(p.x, p.y);
    await page.waitForFunction(() => (window as unknown as { __playground: Run }).__playground.neuron !== null);
    await framesAfter(page, frames);
    const r = await run(page);
    expect(r.neuron!.ref).toEqual({ column: 1, unit: 2 });
    // a = tanh(z) for this tanh unit; δ, b and its 2 incoming weights are there.
    expect(r.neuron!.a).toBeCloseTo(Math.tanh(r.neuron!.z), 6);
    expect(Number.isFinite(r.neuron!.delta) && Number.isFinite(r.neuron!.bias)).toBe(true);
    expect(r.neuron!.incoming.size).toBe(2);
    expect(await page.isVisible('#neuron-panel')).toBe(true);
    expect(await text(page, '#neuron-panel')).toContain('δ⁽¹⁾');
    expect(await text(page, '#view-caption')).toContain('Neuron');
    expect(await page.isVisible('#heat-legend')).toBe(true);
    const hovered = await page.locator('#boundary').screenshot();
    expect(hovered.equals(output)).toBe(false);
    await page.screenshot({ path: join(shots, 'hover.png'), clip: { x: 230, y: 120, width: 1170, height: 780 } });
    // Leaving the diagram: the panel goes and the large view shows the output again, pixel for pixel.
    frames = (await run(page)).frames;
    await page.mouse.move(5, 990);
    await framesAfter(page, frames);
    expect(await page.isVisible('#neuron-panel')).toBe(false);
    expect(await text(page, '#view-caption')).toContain('Output');
    expect((await page.locator('#boundary').screenshot()).equals(output)).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('clicking a link reads its weight and gradient; Enter sets it in the live model, bad input is refused, the URL replays it', async () => {
    const { page, errors } = await open('#data=moons&net=4.tanh&batch=20&seed=6');
    await stepTo(page, 1);
    const p = await diagramPoint(page, { layer: 0, i: 1, j: 3 });
    await page.mouse.click(p.x, p.y);
    await page.waitForFunction(() => (window as unknown as { __playground: Run }).__playground.edge !== null);
    let r = await run(page);
    expect(r.edge!.ref).toEqual({ layer: 0, i: 1, j: 3 });
    // W is [in][out] row-major: W[1][3] of a 2×4 layer.
    expect(r.edge!.weight).toBe(r.firstWeights[1 * 4 + 3]);
    expect(Number(await page.inputValue('#edge-weight'))).toBe(r.edge!.weight);
    expect(Number.isFinite(r.edge!.gradient)).toBe(true);
    const hash = await page.evaluate(() => location.hash);
    for (const [bad, why] of [
      ['', 'not a number'],
      ['1e9', 'out of range'],
      ['abc', 'not a number'],
    ]) {
      await page.fill('#edge-weight', bad);
      await page.press('#edge-weight', 'Enter');
      expect(await page.getAttribute('#edge-weight', 'aria-invalid')).toBe('true');
      expect(await text(page, '#edge-error')).toContain(why);
    }
    expect((await run(page)).refused).toBe(3);
    expect(await page.evaluate(() => location.hash)).toBe(hash);
    await page.screenshot({ path: join(shots, 'edge-refused.png'), clip: { x: 230, y: 120, width: 760, height: 750 } });
    await page.fill('#edge-weight', '2.5');
    await page.press('#edge-weight', 'Enter');
    await page.waitForFunction(() => location.hash.includes('edits='));
    await page.waitForFunction(() => (window as unknown as { __playground: Run }).__playground.firstWeights[7] === 2.5);
    expect(await page.getAttribute('#edge-weight', 'aria-invalid')).toBe('false');
    r = await run(page);
    expect(r.state.edits).toEqual([{ step: 10, layer: 0, i: 1, j: 3, value: 2.5 }]);
    expect(r.epoch).toBe(1);
    await page.screenshot({ path: join(shots, 'edge.png'), clip: { x: 230, y: 120, width: 760, height: 750 } });
    // The run continues from the edited weight.
    await stepTo(page, 2);
    await stepTo(page, 3);
    const edited = await run(page);
    expect(edited.history.train).toHaveLength(3);
    // The run's link replays the edit at its step: the same losses, the same weights.
    const { page: b, errors: errorsB } = await open(await page.evaluate(() => location.hash));
    for (let e = 1; e <= 3; e++) await stepTo(b, e);
    const replay = await run(b);
    expect(replay.history.train).toEqual(edited.history.train);
    expect(replay.firstWeights).toEqual(edited.firstWeights);
    expect([...errors, ...errorsB]).toEqual([]);
    await page.close();
    await b.close();
  });

  it('after each single step the step panel shows its z, a, δ, dW, db and ΔW from trace; ΔW is the change the step made', async () => {
    // 200 training rows in batches of 50: the fifth step starts the second epoch's shuffled order.
    const { page, errors } = await open('#data=moons&n=400&train=0.5&batch=50&net=5.tanh&opt=sgd&lr=0.3&seed=4');
    for (let s = 1; s <= 5; s++) {
      const before = (await run(page)).firstWeights;
      const frames = (await run(page)).frames;
      await page.click('#step-batch');
      await page.waitForFunction((n) => (window as unknown as { __playground: Run }).__playground.steps_reported >= n, s);
      await framesAfter(page, frames);
      const r = await run(page);
      expect(r.step!.step).toBe(s);
      expect(r.step!.rows).toBe(50);
      const [hidden, out] = r.step!.layers;
      expect(hidden.shape).toEqual([2, 5]);
      expect(out.shape).toEqual([5, 2]);
      hidden.a.first.forEach((a, k) => expect(a).toBeCloseTo(Math.tanh(hidden.z.first[k]), 9));
      // The weights moved by the traced ΔW (f32 weights: within a few ulps).
      hidden.dWUpdate.first.forEach((d, k) => expect(r.firstWeights[k] - before[k]).toBeCloseTo(d, 5));
      expect(hidden.dWUpdate.norm).toBeGreaterThan(0);
    }
    expect(await page.isVisible('#step-panel')).toBe(true);
    expect(await page.locator('#step-table tr').count()).toBe(3);
    expect(await text(page, '#step-table')).toContain('δ⁽ˡ⁾');
    expect(await text(page, '#step-summary')).toContain('step 5 (epoch 1)');
    await page.locator('#step-panel').screenshot({ path: join(shots, 'step.png') });
    // Playing hides nothing, but a reset clears the panel.
    await page.click('#reset');
    await page.waitForFunction(() => (window as unknown as { __playground: Run }).__playground.epoch === 0);
    expect(await page.isVisible('#step-panel')).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
