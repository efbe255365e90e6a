export { preprocessForEncoder, imagenetMean, imagenetStd, type PreprocessOptions } from './preprocess.js';
