// From the data flags to data/node's openDataset, and its errors to usage errors that name the flag to change.
import { DatasetMismatchError, FashionMnistFileError, openDataset, type DatasetSpec, type OpenedDataset } from '@pixelrepa/data/node';
import { UsageError } from './errors.js';

export interface TrainingDataOptions {
  /** --data_path: an image folder (`root/<class>/<image>`), a packed cache folder, or Fashion-MNIST's files. */
  dataPath?: string;
  /** --data: `procedural` or `fashion-mnist`. */
  data?: string;
  /** Fashion-MNIST: which official split. Default 'train'. */
  split?: 'train' | 'test';
  imageSize: number;
  numClasses: number;
  /** --data_length: procedural images (default 1000 per class). */
  length?: number;
  /** --num_workers: decoding threads for an image folder. */
  workers?: number;
  warn: (line: string) => void;
}

/** Opens the dataset the flags name; a dataset that does not fit the model is a usage error naming the flag to change. */
export async function openTrainingData(options: TrainingDataOptions): Promise<OpenedDataset> {
  const { imageSize, numClasses, warn } = options;
  const spec = datasetSpec(options);
  try {
    return await openDataset(spec, { imageSize, numClasses, warn });
  } catch (error) {
    if (error instanceof FashionMnistFileError) throw new UsageError(error.message);
    if (error instanceof DatasetMismatchError) throw new UsageError(`${flagMessage(error, spec)}${advice(error, spec)}`);
    throw error;
  }
}

function datasetSpec({ data, dataPath, split, length, workers }: TrainingDataOptions): DatasetSpec {
  if (data === 'fashion-mnist') return { kind: 'fashion-mnist', root: dataPath, split, hint: 'or pass --data_path <folder with the official files>' };
  if (data !== undefined && dataPath !== undefined) throw new UsageError('give either --data procedural or --data_path <folder>, not both');
  if (data === 'procedural') return { kind: 'procedural', length };
  if (data !== undefined)
    throw new UsageError(`--data ${data} is not a built-in dataset; they are "procedural" and "fashion-mnist" (for your images use --data_path <folder>)`);
  if (dataPath === undefined)
    throw new UsageError('no training data: pass --data_path <image folder or packed cache>, --data fashion-mnist or --data procedural');
  return { kind: 'folder', path: dataPath, workers };
}

function flagMessage(error: DatasetMismatchError, spec: DatasetSpec): string {
  return error.what === 'not-a-folder' && spec.kind === 'folder'
    ? `--data_path ${error.message.replace(/ made by prepare$/, ' made by pixelrepa prepare')}`
    : error.message;
}

function advice({ what, dataset, model }: DatasetMismatchError, spec: DatasetSpec): string {
  if (what === 'classes') return `: pass --class_num ${dataset}`;
  if (what !== 'image-size') return '';
  return spec.kind === 'fashion-mnist' ? ': use --img_size 32' : `: prepare it again with --img_size ${model}, or train at --img_size ${dataset}`;
}
