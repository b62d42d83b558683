#!/usr/bin/env bash
# End-to-end test of `bam stability slurm` on a real single-node Slurm
# cluster (Debian's slurm-wlm and munge, no systemd, no cgroups): install,
# configure, start the daemons as background processes, submit a study as a
# job array of 4 shards plus its merge job, wait for both, then run the same
# study on this machine and check that the merged result files equal the
# local ones apart from their metadata; then the same for a parameter sweep
# (bam sweep slurm), an internal-validity study (bam robustness slurm) and
# a calibration pipeline (bam calibrate pipeline slurm: one array per
# stage, each after the one before), whose merged results must equal the
# local ones byte for byte. The daemons this script starts are
# stopped by PID on exit, also on failure (when the logs are dumped too).
# A later run first stops daemons a killed earlier run left behind (by the
# PIDs it recorded) and starts afresh.
#
# Run as root on Debian 12: bash .ci/slurm.sh (CI calls it from .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

SLURM_RUN=${BAM_SLURM_RUN:-/tmp/bam-slurm-ci} # config, state, logs, work (wiped at start)
WAIT_LIMIT=300                                  # seconds to wait for the jobs
SHARDS=4
STUDY=(--scenario baseline,growth_plus --seeds 16 --periods 200 --gate 0)
PIDS=()                                         # daemons started by THIS run

now()   { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log()   { echo "[slurm-ci] $*"; }

stop_daemons() { # only what this run started, by PID, newest first
	local i
	for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
		kill "${PIDS[i]}" 2>/dev/null || true
		wait "${PIDS[i]}" 2>/dev/null || true
	done
	PIDS=()
	rm -f "$SLURM_RUN/daemons.pids"
}
dump_logs() {
	local f
	for f in "$SLURM_RUN"/*.log "$SLURM_RUN"/*.out "$SLURM_RUN"/work/slurm/slurm/logs/*.out; do
		[ -f "$f" ] && { echo "==== $f"; tail -n 40 "$f"; }
	done
	squeue 2>/dev/null || true
}
trap 'rc=$?; [ $rc -ne 0 ] && dump_logs; stop_daemons; exit $rc' EXIT

wait_for() { # wait_for SECONDS DESCRIPTION CMD...
	local limit=$1 what=$2
	shift 2
	local t=$SECONDS
	until "$@" >/dev/null 2>&1; do
		((SECONDS - t >= limit)) && { log "timeout waiting for $what"; return 1; }
		sleep 0.5
	done
}

started() { # record a daemon's PID, for this run's trap and for a later run
	PIDS+=("$1")
	echo "$1 $2" >>"$SLURM_RUN/daemons.pids"
}

T_ALL=$(now)

# ------------------------------------------------------- leftovers of an earlier run
# A run killed before its trap leaves its daemons running: stop those (and
# only those: the PID must still be the daemon that run recorded).
if [ -f "$SLURM_RUN/daemons.pids" ]; then
	while read -r pid name; do
		if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$name"; then
			log "stopping $name (pid $pid) left by an earlier run"
			kill "$pid" 2>/dev/null || true
			for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
		fi
	done <"$SLURM_RUN/daemons.pids"
fi

# ------------------------------------------------------- 1. install
T=$(now)
export DEBIAN_FRONTEND=noninteractive
APT=(apt-get -o DPkg::Lock::Timeout=600) # wait for another apt (an unattended upgrade) rather than fail
"${APT[@]}" update -q >/tmp/bam-slurm-apt.log 2>&1 || { cat /tmp/bam-slurm-apt.log; exit 1; }
"${APT[@]}" install -y -q --no-install-recommends slurm-wlm jq >>/tmp/bam-slurm-apt.log 2>&1 ||
	{ tail -n 40 /tmp/bam-slurm-apt.log; exit 1; }
log "install: $(since "$T") s ($(dpkg-query -W -f '${Version}' slurm-wlm))"

# ------------------------------------------------------- 2. config
rm -rf "$SLURM_RUN"
mkdir -p "$SLURM_RUN/state" "$SLURM_RUN/slurmd" "$SLURM_RUN/work"
NCPU=$(nproc)
MEM_MB=$(($(awk '/^MemTotal:/ { print $2 }' /proc/meminfo) / 1024 * 9 / 10)) # ≤ what slurmd detects
export SLURM_CONF=$SLURM_RUN/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=bamci
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$SLURM_RUN/jobcomp.txt
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$SLURM_RUN/state
SlurmdSpoolDir=$SLURM_RUN/slurmd
SlurmctldPidFile=$SLURM_RUN/slurmctld.pid
SlurmdPidFile=$SLURM_RUN/slurmd.pid
SlurmctldLogFile=$SLURM_RUN/slurmctld.log
SlurmdLogFile=$SLURM_RUN/slurmd.log
NodeName=localhost CPUs=$NCPU RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF

# ------------------------------------------------------- 3. start
T=$(now)
if scontrol ping >/dev/null 2>&1 || [ -n "$(ss -Hltn '( sport = :6817 or sport = :6818 )' 2>/dev/null)" ]; then
	log "another slurmctld/slurmd is running (ports 6817/6818 taken): not starting a second cluster"
	exit 1
fi
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
	log "munged already running; reusing it"
else
	[ -s /etc/munge/munge.key ] || setpriv --reuid=munge --regid=munge --init-groups mungekey --create
	install -d -o munge -g munge -m 0755 /run/munge
	setpriv --reuid=munge --regid=munge --init-groups /usr/sbin/munged -F --force >"$SLURM_RUN/munged.out" 2>&1 &
	started $! munged
	wait_for 10 munged sh -c 'munge -n | unmunge'
fi
slurmctld -D >"$SLURM_RUN/slurmctld.out" 2>&1 &
started $! slurmctld
wait_for 30 slurmctld scontrol ping
slurmd -D -N localhost >"$SLURM_RUN/slurmd.out" 2>&1 &
started $! slurmd
node_idle() { sinfo -h -n localhost -o %t | grep -qx idle; }
if ! wait_for 30 "node idle" node_idle; then
	sinfo -R || true
	scontrol update nodename=localhost state=resume || true
	wait_for 10 "node idle" node_idle
fi
log "daemons up: $(since "$T") s (pids ${PIDS[*]})"

# ------------------------------------------------------- 4. build and submit
T=$(now)
BAM=$SLURM_RUN/bam
go build -o "$BAM" ./cmd/bam
WORK=$SLURM_RUN/work
"$BAM" stability slurm "${STUDY[@]}" --shards "$SHARDS" --cpus 1 --out "$WORK/slurm" --submit | tee "$SLURM_RUN/submit.out"
ARRAY=$(awk '/^array job:/ { print $3 }' "$SLURM_RUN/submit.out")
MERGE=$(awk '/^merge job:/ { print $3 }' "$SLURM_RUN/submit.out")
[ -n "$ARRAY" ] && [ -n "$MERGE" ] || { log "no job ids in the output of bam stability slurm --submit"; exit 1; }
grep -q -- "--array=0-$((SHARDS - 1))" "$WORK/slurm/slurm/stability-array.sbatch"

# ------------------------------------------------------- 5. wait
# Poll squeue (sbatch --wait backs off); finished jobs stay in scontrol for MinJobAge.
jobs_done() { [ -z "$(squeue -h -j "$ARRAY,$MERGE" 2>/dev/null)" ]; }
wait_for "$WAIT_LIMIT" "jobs $ARRAY and $MERGE" jobs_done
log "array and merge finished: $(since "$T") s"

# ------------------------------------------------------- 6. verify
ntasks=$(scontrol -o show job "$ARRAY" | grep -c 'JobState=COMPLETED' || true)
[ "$ntasks" -eq "$SHARDS" ] || { scontrol -o show job "$ARRAY"; log "FAIL: $ntasks of $SHARDS array tasks COMPLETED"; exit 1; }
scontrol -o show job "$MERGE" | grep -q 'JobState=COMPLETED' || { scontrol -o show job "$MERGE"; log "FAIL: merge job not COMPLETED"; exit 1; }
ls "$WORK/slurm"

T=$(now)
"$BAM" stability "${STUDY[@]}" --out "$WORK/local"
log "local run: $(since "$T") s"
for s in baseline growth_plus; do
	"$BAM" stability compare --exact "$WORK/slurm/$s.json" "$WORK/local/$s.json"
	# The same check by another tool: everything but the metadata is equal.
	diff <(jq -S 'del(.metadata)' "$WORK/slurm/$s.json") <(jq -S 'del(.metadata)' "$WORK/local/$s.json") >/dev/null ||
		{ log "FAIL: jq finds $s differing"; exit 1; }
	[ "$(jq -r '.metadata.source, .metadata.shards, (.seeds | length)' "$WORK/slurm/$s.json" | tr '\n' ' ')" = "merge $SHARDS 16 " ] ||
		{ log "FAIL: $s.json is not the merge of $SHARDS shards of 16 seeds"; exit 1; }
done
log "OK: $SHARDS shards on Slurm, merged after them, equal the local run apart from metadata"

# ------------------------------------------------------- 7. a sweep as a job array
T=$(now)
SWEEP=(--firms 40 --households 200 --banks 4 --periods 120 --grid theta=4,8 --grid max_Z=2,3 --seeds 3 --score)
"$BAM" sweep slurm "${SWEEP[@]}" --shards 3 --cpus 1 --out "$WORK/sweep-slurm" --submit | tee "$SLURM_RUN/sweep-submit.out"
ARRAY=$(awk '/^array job:/ { print $3 }' "$SLURM_RUN/sweep-submit.out")
MERGE=$(awk '/^merge job:/ { print $3 }' "$SLURM_RUN/sweep-submit.out")
[ -n "$ARRAY" ] && [ -n "$MERGE" ] || { log "no job ids in the output of bam sweep slurm --submit"; exit 1; }
wait_for "$WAIT_LIMIT" "sweep jobs $ARRAY and $MERGE" jobs_done
scontrol -o show job "$MERGE" | grep -q 'JobState=COMPLETED' || { scontrol -o show job "$MERGE"; log "FAIL: sweep merge job not COMPLETED"; exit 1; }
"$BAM" sweep "${SWEEP[@]}" --out "$WORK/sweep-local" >/dev/null
for f in sweep.csv sweep.parquet aggregate.csv aggregate.parquet; do
	cmp "$WORK/sweep-slurm/$f" "$WORK/sweep-local/$f" || { log "FAIL: the Slurm sweep's $f differs from the local one"; exit 1; }
done
[ "$(jq -r '.metadata.source' "$WORK/sweep-slurm/sweep.json")" = merge ] || { log "FAIL: sweep.json is not a merge"; exit 1; }
log "OK: a sweep of 3 shards on Slurm, merged, equals the local run byte for byte ($(since "$T") s)"

# ------------------------------------------------------- 8. a robustness study as a job array
T=$(now)
ROB=(--firms 40 --households 200 --banks 4 --periods 300 --burn-in 150 --seeds 6)
"$BAM" robustness slurm "${ROB[@]}" --shards 3 --cpus 1 --out "$WORK/rob-slurm" --submit | tee "$SLURM_RUN/rob-submit.out"
ARRAY=$(awk '/^array job:/ { print $3 }' "$SLURM_RUN/rob-submit.out")
MERGE=$(awk '/^merge job:/ { print $3 }' "$SLURM_RUN/rob-submit.out")
[ -n "$ARRAY" ] && [ -n "$MERGE" ] || { log "no job ids in the output of bam robustness slurm --submit"; exit 1; }
wait_for "$WAIT_LIMIT" "robustness jobs $ARRAY and $MERGE" jobs_done
scontrol -o show job "$MERGE" | grep -q 'JobState=COMPLETED' || { scontrol -o show job "$MERGE"; log "FAIL: robustness merge job not COMPLETED"; exit 1; }
"$BAM" robustness "${ROB[@]}" --out "$WORK/rob-local" >/dev/null
cmp "$WORK/rob-slurm/internal.json" "$WORK/rob-local/internal.json" || { log "FAIL: the Slurm robustness study differs from the local one"; exit 1; }
log "OK: an internal-validity study of 3 shards on Slurm, merged, equals the local run byte for byte ($(since "$T") s)"

# ------------------------------------------------------- 9. a calibration pipeline as dependent job arrays
# Morris screening → focused grid → grid screening → two tiers → cross-evaluation:
# five stages, the array submitted once per stage (each afterok on the one
# before), then the unsharded run as the merge job.
T=$(now)
printf '{"beta": [1, 2.5, 5], "max_M": [2, 4], "max_leverage": [0, 10]}\n' >"$WORK/cal-grid.json"
CAL=(--firms 40 --households 200 --banks 4 --periods 200 --grid "$WORK/cal-grid.json" --trajectories 3 --seeds 2
	--tiers "6:3, 3:5" --scenarios baseline,growth_plus --cross-top 3 --cross-seeds 3)
"$BAM" calibrate pipeline slurm "${CAL[@]}" --shards 3 --cpus 1 --out "$WORK/cal-slurm" --submit | tee "$SLURM_RUN/cal-submit.out"
ARRAYS=$(sed -n 's/^array jobs: \([0-9, ]*\) (.*/\1/p' "$SLURM_RUN/cal-submit.out" | tr -d ' ')
MERGE=$(awk '/^merge job:/ { print $3 }' "$SLURM_RUN/cal-submit.out")
[ "$(echo "$ARRAYS" | tr ',' '\n' | grep -c .)" -eq 5 ] && [ -n "$MERGE" ] ||
	{ log "no 5 array job ids and a merge job id in the output of bam calibrate pipeline slurm --submit"; exit 1; }
cal_done() { [ -z "$(squeue -h -j "$ARRAYS,$MERGE" 2>/dev/null)" ]; }
wait_for "$WAIT_LIMIT" "calibration jobs $ARRAYS and $MERGE" cal_done
for a in ${ARRAYS//,/ }; do
	n=$(scontrol -o show job "$a" | grep -c 'JobState=COMPLETED' || true)
	[ "$n" -eq 3 ] || { scontrol -o show job "$a"; log "FAIL: $n of 3 tasks of array $a COMPLETED"; exit 1; }
done
scontrol -o show job "$MERGE" | grep -q 'JobState=COMPLETED' || { scontrol -o show job "$MERGE"; log "FAIL: calibration merge job not COMPLETED"; exit 1; }
"$BAM" calibrate pipeline "${CAL[@]}" --out "$WORK/cal-local" >/dev/null
for f in morris/morris.json morris/morris.txt search/search.json search/search.txt cross/cross.json cross/cross.txt winner.toml report.html; do
	cmp "$WORK/cal-slurm/$f" "$WORK/cal-local/$f" || { log "FAIL: the Slurm pipeline's $f differs from the local one"; exit 1; }
done
log "OK: a calibration pipeline of 5 stages × 3 shards on Slurm equals the local run byte for byte ($(since "$T") s)"

stop_daemons
log "total: $(since "$T_ALL") s"
