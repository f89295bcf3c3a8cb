#!/usr/bin/env bash
# Stops what ci/k8s/cluster-up.sh STATE_DIR started, every process by its
# PID (the pods' shims too), unmounts what the kubelet mounted below
# STATE_DIR and deletes the cluster's network namespace (its bridge and
# iptables rules with it). Safe to run twice.
#
#   ci/k8s/cluster-down.sh STATE_DIR
set -uo pipefail
state="$(realpath -m "$1")"
[ -f "$state/netns" ] || exit 0
netns="$(cat "$state/netns")"
export KUBECONFIG="$state/kubeconfig"
kubectl=/var/cache/flink-cpp/tools/kubectl
# Pods first, while the kubelet still runs: it tears their sandboxes down.
for ns in $(nsenter --net="/run/netns/$netns" "$kubectl" get ns -o name 2> /dev/null | sed 's#namespace/##'); do
  case "$ns" in kube-system|kube-public|kube-node-lease) continue ;; esac
  nsenter --net="/run/netns/$netns" timeout 60 "$kubectl" -n "$ns" delete pods --all --grace-period=1 --wait=true > /dev/null 2>&1
done
# The cluster's processes, newest first.
if [ -f "$state/pids" ]; then
  tac "$state/pids" | while read -r pid name; do
    if kill "$pid" 2> /dev/null; then
      for _ in $(seq 20); do kill -0 "$pid" 2> /dev/null || break; sleep 0.5; done
      kill -9 "$pid" 2> /dev/null
      echo "cluster-down: stopped $name ($pid)"
    fi
  done
fi
# Shims of containers still running, and their processes, by the socket they serve.
for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $state/containerd.sock"); do
  pkill -9 -P "$pid" 2> /dev/null
  kill -9 "$pid" 2> /dev/null
done
# What the kubelet and containerd mounted below STATE_DIR.
for m in $(awk -v s="$state" '$2 ~ "^"s {print $2}' /proc/mounts | sort -r); do
  umount -l "$m" 2> /dev/null
done
ip netns delete "$netns" 2> /dev/null
rm -f "$state/netns"
true
