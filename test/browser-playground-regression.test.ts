/**
 * The playground's regression problems in Chromium: the plane and the mixture of Gaussians train
 * (test MSE below a bound), MAE and Huber losses, a CSV with a real-valued target; the large view
 * is a continuous heatmap with a legend of the value range, and the classification-only widgets
 * (accuracy, classes, the softmax losses) are hidden.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { playgroundSession, stepTo, waitReady } from './bundlers/playground.js';

const { shots, open } = playgroundSession('regression', { width: 1400, height: 900 });

type Run = { epoch: number; task: string; gridValues: number; gridDistinct: number; history: { train: number[]; test: number[] }; state: { loss: string } };
const run = (page: Page) => page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __playground: unknown }).__playground)) as Run);
const text = (page: Page, sel: string) => page.textContent(sel).then((t) => t ?? '');

/** Plays until the shown test loss is below `bound`, then pauses. */
async function playUntil(page: Page, bound: number): Promise<void> {
  await page.click('#play');
  await page.waitForFunction((b) => Number(document.querySelector('#test-loss')?.textContent) < b, bound, { timeout: 90_000, polling: 100 });
  await page.click('#play');
}

describe('playground regression', () => {
  it('the plane trains to test MSE < 0.01 with a continuous heatmap, a value legend and no classification widgets', async () => {
    const { page, errors } = await open('#data=plane&n=400&noise=0&net=8.tanh&loss=cross_entropy&opt=adam&lr=0.03&seed=1');
    let r = await run(page);
    expect(r.task).toBe('regression');
    // cross_entropy has no meaning here: the loss falls back to MSE, and the menu offers the regression losses only.
    expect(r.state.loss).toBe('mse');
    expect(await page.$$eval('#loss option', (o) => o.map((e) => (e as HTMLOptionElement).value))).toEqual(['mse', 'mae', 'huber']);
    expect(await page.isVisible('#test-accuracy')).toBe(false);
    expect(await page.isVisible('#classes-label')).toBe(false);
    expect(await page.isVisible('#heat-legend')).toBe(true);
    expect(await text(page, '#heat-max')).toMatch(/^\+\d/);
    expect(await text(page, '#layer-controls')).toContain('1 output (linear)');
    await playUntil(page, 0.01);
    r = await run(page);
    // One real value per cell of the 100×100 grid, thousands of them distinct: a continuous map.
    expect(r.gridValues).toBe(100 * 100);
    expect(r.gridDistinct).toBeGreaterThan(5000);
    expect(r.history.test.at(-1)!).toBeLessThan(0.01);
    expect(r.history.test[0]).toBeGreaterThan(r.history.test.at(-1)!);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the mixture of Gaussians trains with MSE, MAE and Huber', async () => {
    const { page, errors } = await open('#data=gaussians&n=600&noise=0&net=16.tanh-16.tanh&opt=adam&lr=0.03&batch=20&seed=2');
    expect((await run(page)).task).toBe('regression');
    await stepTo(page, 1);
    const first = (await run(page)).history.test[0];
    await playUntil(page, Math.min(0.02, first / 4));
    await page.screenshot({ path: join(shots, 'regression.png'), clip: { x: 230, y: 120, width: 1170, height: 560 } });
    for (const loss of ['mae', 'huber']) {
      await page.selectOption('#loss', loss);
      await page.waitForFunction((l) => location.hash.includes(`loss=${l}`), loss);
      await page.waitForFunction(() => (window as unknown as { __playground: Run }).__playground.epoch === 0);
      await stepTo(page, 1);
      const start = (await run(page)).history.test[0];
      // Half the first epoch's test loss: the loss trains, whatever its scale.
      await playUntil(page, start / 2);
      expect((await run(page)).state.loss).toBe(loss);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a CSV with a real-valued target is a regression; one with class labels stays a classification', async () => {
    const { page, errors } = await open('#data=moons&net=8.tanh&seed=3');
    const rows = Array.from({ length: 300 }, (_, i) => {
      const a = Math.sin(i * 1.7) * 3;
      const b = Math.cos(i * 2.3) * 3;
      return `${a.toFixed(4)},${b.toFixed(4)},${(0.5 * a - 0.25 * b + 0.1 * a * b).toFixed(4)}`;
    });
    await page.selectOption('#dataset', 'csv');
    await page.setInputFiles('#csv', { name: 'real.csv', mimeType: 'text/csv', buffer: Buffer.from(`x1,x2,y\n${rows.join('\n')}\n`) });
    await page.waitForFunction(() => (window as unknown as { __playground: Run }).__playground.task === 'regression');
    await waitReady(page);
    for (let e = 1; e <= 3; e++) await stepTo(page, e);
    const r = await run(page);
    expect(r.history.test).toHaveLength(3);
    expect(Number(await text(page, '#test-loss'))).toBeGreaterThan(0);
    expect(await page.isVisible('#test-accuracy')).toBe(false);
    const labels = Array.from({ length: 100 }, (_, i) => `${Math.sin(i)},${Math.cos(i)},${i % 3}`).join('\n');
    await page.setInputFiles('#csv', { name: 'classes.csv', mimeType: 'text/csv', buffer: Buffer.from(`x1,x2,label\n${labels}\n`) });
    await page.waitForFunction(() => (window as unknown as { __playground: Run }).__playground.task === 'classification');
    expect(await page.isVisible('#test-accuracy')).toBe(true);
    expect(await page.isVisible('#heat-legend')).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
