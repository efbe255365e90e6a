// @pixelrepa/cli — the `pixelrepa` command. The executable is dist/main.js; this entry exposes the
// commands as functions (for tests, scripts and other tools) and the benchmark registry.
export { runCli, commands, type CommandName } from './cli.js';
export { trainCommand } from './commands/train.js';
export { planTrainRun, type TrainPlan } from './commands/train-plan.js';
export { sampleCommand } from './commands/sample.js';
export { evalCommand } from './commands/eval.js';
export { convertCommand } from './commands/convert.js';
export { prepareCommand } from './commands/prepare.js';
export { benchCommand } from './commands/bench.js';
export { infoCommand, presetTables } from './commands/info.js';
export { processContext, defineCommand, type Command, type WordsCommand, type CommandContext, type OutputStream } from './context.js';
export {
  parseCommandLine,
  helpText,
  defineFlags,
  type FlagSpec,
  type FlagTable,
  type FlagType,
  type FlagValues,
  type CommandSpec,
  type ParsedCommandLine,
} from './flags.js';
export { UsageError } from './errors.js';
export { createProgress, formatSeconds, type Progress, type ProgressOptions } from './progress.js';
export { loadJiTForSampling, type LoadedJiT, type LoadJiTOptions, type SamplingHints } from '@pixelrepa/train/node';
export { loadTargetEncoder, loadSmallViT } from './load-encoder.js';
export { dinov2ParameterCount, dinov2ForwardMacs } from '@pixelrepa/encoders';
export { mtaForwardMacs } from '@pixelrepa/adapter';
export { benchmarks } from './bench/registry.js';
export { kindOf as workKindOf, workKinds, type WorkKind } from './bench/profile-step.js';
export { defineBenchmark, type Benchmark } from './bench/benchmark.js';
export {
  measurePerBackend,
  backendTargets,
  backendListFlags,
  jobsPerTarget,
  benchNote,
  type BackendTarget,
  type BenchJob,
  type PerBackendTask,
  type TargetResult,
  type TargetHeader,
} from './bench/per-backend.js';
export { machineInfo } from './bench/machine.js';
export { writeGrid, writePng, type GridOptions } from '@pixelrepa/data/node';
