#!/bin/bash
# 50 000 samples of a checkpoint, sampled and evaluated in 8 parts by a Slurm job array.
# Each task reads SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN) and SLURM_ARRAY_TASK_COUNT
# through --shard auto. Submit, then merge once every task has finished:
#
#   jobid=$(sbatch --parsable examples/cluster/slurm-array.sh)
#   sbatch --dependency=afterok:$jobid --wrap "npx --yes @pixelrepa/cli merge $WORK/shards/shard-*.npz --reference $WORK/jit_in256_stats.npz --output $WORK/result.json"
#
# A task that fails can be resubmitted alone (sbatch --array=3 …): it skips nothing it has not
# finished, and the merge refuses to run while a part is missing.
#SBATCH --job-name=pixelrepa-eval
#SBATCH --array=0-7
#SBATCH --cpus-per-task=8
#SBATCH --mem=16G
#SBATCH --gres=gpu:1
#SBATCH --time=12:00:00
#SBATCH --output=logs/eval-%A_%a.out

set -euo pipefail
WORK=${WORK:-$PWD}
export PIXELREPA_CACHE=$WORK/cache
mkdir -p "$WORK/shards"
npx --yes @pixelrepa/cli eval --checkpoint "$WORK/checkpoints/PixelREPA-B-16.pth" \
  --num_images 50000 --num_sampling_steps 50 --cfg 3.1 --batch_size 64 \
  --metrics fid,is --shard auto --backend auto \
  --save_statistics "$WORK/shards/shard-${SLURM_ARRAY_TASK_ID}.npz"
