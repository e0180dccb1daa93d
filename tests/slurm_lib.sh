# shellcheck shell=bash
# A real single-node Slurm for the submit tests (sourced after lib.sh): Debian's slurm-wlm +
# munge started here as root with a config under $T (shared/notes/local-services.md §2), with
# MaxArraySize=$SLURM_MAX_ARRAY_SIZE (default 3); every daemon stops by pid on exit.
# Exits 77 (skip) without root or without slurmctld/slurmd/munged: scripts/setup.sh installs them.
# Sets SLURM_CONF; dump_logs prints the daemons' last log lines.
SLURM_MAX_ARRAY_SIZE=${SLURM_MAX_ARRAY_SIZE:-3}
if [[ $(id -u) != 0 ]]; then echo "skip: needs root to run slurmd"; exit 77; fi
for p in munged slurmctld slurmd sbatch squeue scontrol sinfo; do
  command -v "$p" >/dev/null || { echo "skip: $p missing (apt-get install slurm-wlm munge)"; exit 77; }
done

B="$T/slurm"
chmod 755 "$T"
mkdir -p "$B"/{etc,state,spool,run,log,munge}
chmod 755 "$B" "$B/munge"

stop_pidfile() {  # SIGTERM, then SIGKILL after 10 s; bounded
  local f=$1 pid i
  [[ -s $f ]] || return 0
  pid=$(cat "$f")
  kill "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
stop_slurm() {
  stop_pidfile "$B/run/slurmd.pid"
  stop_pidfile "$B/run/slurmctld.pid"
  stop_pidfile "$B/munge/munged.pid"
}
on_exit stop_slurm
dump_logs() { tail -n 20 "$B"/log/*.log "$B/munge/munged.log" 2>/dev/null >&2 || true; }

dd if=/dev/urandom of="$B/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$B/munge/munge.key"
munged --key-file="$B/munge/munge.key" --socket="$B/munge/munge.socket" \
  --pid-file="$B/munge/munged.pid" --log-file="$B/munge/munged.log" --seed-file="$B/munge/munged.seed" \
  || { dump_logs; fail "munged did not start"; }

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
H=$(hostname -s)
cat >"$B/etc/slurm.conf" <<CONF
ClusterName=sweeptest
SlurmctldHost=$H(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$B/munge/munge.socket
StateSaveLocation=$B/state
SlurmdSpoolDir=$B/spool
SlurmctldPidFile=$B/run/slurmctld.pid
SlurmdPidFile=$B/run/slurmd.pid
SlurmctldLogFile=$B/log/slurmctld.log
SlurmdLogFile=$B/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmdParameters=config_overrides
MinJobAge=5
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,sched_interval=1
ReturnToService=2
MailProg=/bin/true
MaxArraySize=$SLURM_MAX_ARRAY_SIZE
NodeName=$H NodeAddr=127.0.0.1 CPUs=4 State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$B/etc/slurm.conf"
slurmctld -f "$SLURM_CONF" || { dump_logs; fail "slurmctld did not start"; }
slurmd -f "$SLURM_CONF" || { dump_logs; fail "slurmd did not start"; }
for _ in $(seq 300); do
  sinfo -h -o %T 2>/dev/null | grep -qx idle && break
  sleep 0.1
done
sinfo -h -o %T | grep -qx idle || { dump_logs; fail "node not idle after 30 s"; }
pass "slurm up (MaxArraySize=$SLURM_MAX_ARRAY_SIZE)"
