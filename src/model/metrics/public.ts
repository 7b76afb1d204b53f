/**
 * The metric functions as the public `metrics` namespace: regression (mae, mse, rmse, r2) on
 * values, classification (precision, recall, f1, topKAccuracy, confusionMatrix) on labels.
 */
export { mae, mse, rmse, r2, type Values } from './regression.js';
export { precision, recall, f1, topKAccuracy, confusionMatrix, type AverageOptions } from './classification.js';
