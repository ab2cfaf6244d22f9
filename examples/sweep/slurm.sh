#!/bin/bash
# The sweep of space.json as a SLURM job array: task I trains trial I. No coordinator: each task
# makes its own trial from (space, seed, I) with `hparams sample --trial`.
#SBATCH --job-name=fashion-sweep
#SBATCH --array=0-7%4
#SBATCH --cpus-per-task=2
#SBATCH --time=00:20:00
#SBATCH --output=runs/sweep/trial-%a.log
set -euo pipefail
i=$SLURM_ARRAY_TASK_ID
hparams sample examples/sweep/space.json --trial "$i" > "runs/sweep/trial-$i.config.json"
fashion_mnist "runs/sweep/trial-$i.config.json" --threads "$SLURM_CPUS_PER_TASK"
# afterwards, the best trials: grep -H '^accuracy=' runs/sweep/trial-*.log | sort -t= -k2 -gr
