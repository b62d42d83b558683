package study_test

import (
	"fmt"
	"strings"

	"github.com/bam-abm/bam/study"
)

// The job array of a study cut into 10 shards of 2 CPUs each and its
// merge job.
func ExampleSlurmPlan() {
	p := &study.SlurmPlan{
		Program: "bam", Command: "stability", What: "a seed-stability study", JobName: "bam-stability",
		Out: "/shared/study", LogDir: "/shared/study/slurm/logs",
		ArrayPath: "/shared/study/slurm/stability-array.sbatch", MergePath: "/shared/study/slurm/stability-merge.sbatch",
		Shards: 10, CPUs: 2,
		Task:  []string{"/shared/bin/bam", "stability", "--seeds", "1000", "--out", "/shared/study"},
		Merge: []string{"/shared/bin/bam", "stability", "merge", "/shared/study", "--out", "/shared/study"},
	}
	script := p.ArrayScript()
	fmt.Println(script[strings.LastIndex(script, "exec"):])
	fmt.Print(p.SubmitCommands())
	// Output:
	// exec /shared/bin/bam stability --seeds 1000 --out /shared/study --workers "${SLURM_CPUS_PER_TASK:-2}" --shard "${SLURM_ARRAY_TASK_ID}/10"
	//
	// jid=$(sbatch --parsable /shared/study/slurm/stability-array.sbatch)
	// sbatch --dependency=afterok:${jid%%;*} /shared/study/slurm/stability-merge.sbatch
}

// A calibration search cut into 4 shards advances one stage (its
// screening, then each of its three tiers) per run of the array: the array
// is submitted four times, each after the one before, and the merge job
// after the last.
func ExampleSlurmPlan_stages() {
	p := &study.SlurmPlan{
		Program: "bam", Command: "calibrate search", What: "a calibration search", JobName: "bam-calibrate-search",
		Out: "/shared/se", LogDir: "/shared/se/slurm/logs",
		ArrayPath: "/shared/se/slurm/search-array.sbatch", MergePath: "/shared/se/slurm/search-merge.sbatch",
		Shards: 4, CPUs: 1, Stages: 4,
		Task:  []string{"/shared/bin/bam", "calibrate", "search", "--morris", "/shared/mo", "--out", "/shared/se"},
		Merge: []string{"/shared/bin/bam", "calibrate", "search", "--morris", "/shared/mo", "--out", "/shared/se"},
	}
	fmt.Print(p.SubmitCommands())
	// Output:
	// jid=$(sbatch --parsable /shared/se/slurm/search-array.sbatch)
	// jid=$(sbatch --parsable --dependency=afterok:${jid%%;*} /shared/se/slurm/search-array.sbatch)
	// jid=$(sbatch --parsable --dependency=afterok:${jid%%;*} /shared/se/slurm/search-array.sbatch)
	// jid=$(sbatch --parsable --dependency=afterok:${jid%%;*} /shared/se/slurm/search-array.sbatch)
	// sbatch --dependency=afterok:${jid%%;*} /shared/se/slurm/search-merge.sbatch
}
