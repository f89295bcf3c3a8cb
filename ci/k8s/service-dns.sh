#!/usr/bin/env bash
# A stand-in for CoreDNS (no image of it here): dnsmasq on the node's address
# answering Services' cluster IPs, headless Services' endpoints and
# StatefulSet pods' names, from `kubectl get` once a second. Run by
# cluster-up.sh inside the cluster's network namespace, for at most two hours.
# dnsmasq stays root: STATE_DIR may be readable by root alone.
#
#   service-dns.sh STATE_DIR NODE_IP
set -uo pipefail
state=$1
node_ip=$2
export KUBECONFIG="$state/kubeconfig"
kubectl=/var/cache/flink-cpp/tools/kubectl
hosts="$state/service.hosts"
touch "$hosts"
dnsmasq --keep-in-foreground --no-resolv --no-hosts --addn-hosts="$hosts" --user=root \
  --listen-address="$node_ip" --bind-interfaces --pid-file="$state/dnsmasq.pid" &
dnsmasq_pid=$!
trap 'kill $dnsmasq_pid; exit 0' TERM INT
for _ in $(seq 7200); do
  {
    "$kubectl" get svc -A -o jsonpath='{range .items[?(@.spec.clusterIP!="None")]}{.spec.clusterIP} {.metadata.name}.{.metadata.namespace}.svc.cluster.local{"\n"}{end}'
    "$kubectl" get pods -A -o jsonpath='{range .items[?(@.spec.subdomain)]}{.status.podIP} {.spec.hostname}.{.spec.subdomain}.{.metadata.namespace}.svc.cluster.local{"\n"}{end}'
    for s in $("$kubectl" get svc -A -o jsonpath='{range .items[?(@.spec.clusterIP=="None")]}{.metadata.namespace}/{.metadata.name} {end}'); do
      for ip in $("$kubectl" -n "${s%/*}" get endpoints "${s#*/}" -o jsonpath='{.subsets[*].addresses[*].ip}'); do
        echo "$ip ${s#*/}.${s%/*}.svc.cluster.local"
      done
    done
  } 2> /dev/null | grep -v '^ ' > "$hosts.new"
  if ! cmp -s "$hosts.new" "$hosts"; then
    mv "$hosts.new" "$hosts"
    kill -HUP "$(cat "$state/dnsmasq.pid")" 2> /dev/null
  fi
  sleep 1
done
kill $dnsmasq_pid
