/** Seeded toy datasets (more arrive with the seeds issue). */
export { moons, type Dataset2D } from './moons.js';
