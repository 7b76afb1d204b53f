/**
 * Plots: decision boundaries, loss/accuracy curves, activation functions and digit grids, drawn
 * through one Surface interface onto PNG (built-in rasteriser + fast-png), SVG or a browser canvas.
 */
export type { Surface, TextStyle, StrokeStyle, TextAlign, TextBaseline } from './surface.js';
export { RasterSurface, encodePNG } from './raster-surface.js';
export { SvgSurface } from './svg-surface.js';
export { CanvasSurface, type CanvasContextLike } from './canvas-surface.js';
export { PALETTE, paletteColor } from './color.js';
export { toPNG, toSVG, savePlot, drawOnCanvas, type Chart, type RenderOptions } from './render.js';
export { decisionBoundary, type DecisionBoundaryOptions, type Prediction } from './decision-boundary.js';
export { lineChart, type LineChartOptions, type Series } from './line-chart.js';
export { barChart, type BarChartOptions, type BarSeries } from './bar-chart.js';
export { trainingCurves, type TrainingCurvesOptions } from './training-curves.js';
export { activationChart, activationFunctions, activationPlots, type ActivationChartOptions, type ActivationFunction } from './activation-chart.js';
export { digitGrid, type DigitGridOptions } from './digit-grid.js';
