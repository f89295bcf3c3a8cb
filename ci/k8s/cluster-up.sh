#!/usr/bin/env bash
# Starts a real single-node Kubernetes 1.20 (etcd, kube-apiserver,
# controller-manager, scheduler, containerd, kubelet, kube-proxy, a DNS
# stand-in) inside a network namespace of its own, so that its bridge, pod
# addresses and iptables rules never touch the machine's network. Imports the
# given image archives into its containerd.
#
#   ci/k8s/cluster-up.sh STATE_DIR [IMAGE_ARCHIVE...]
#
# Run kubectl and helm with `nsenter --net=/run/netns/"$(cat STATE_DIR/netns)"`
# and KUBECONFIG=STATE_DIR/kubeconfig (nsenter, not `ip netns exec`: that one
# mounts a /sys of its own, hiding the cgroup folders kubelet and runc need). ci/k8s/cluster-down.sh STATE_DIR stops
# every process by its PID and removes what this made. Needs root, the
# binaries of ci/k8s/build-kubernetes.sh and the packages of ci/install-deps.sh.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
state="$(realpath -m "$1")"
shift
bin="$("$here/build-kubernetes.sh")"
kubectl=/var/cache/flink-cpp/tools/kubectl
netns="flinkcpp-k8s-$$"
node_ip=10.245.0.1

mkdir -p "$state"/{certs,etcd,cni,kubelet,logs}
echo "$netns" > "$state/netns"
: > "$state/pids"
in_ns() { nsenter --net="/run/netns/$netns" "$@"; }
start() {
  local name=$1
  shift
  setsid nsenter --net="/run/netns/$netns" "$@" > "$state/logs/$name.log" 2>&1 < /dev/null &
  echo "$! $name" >> "$state/pids"
}
# Waits (bounded) for a command to succeed.
wait_for() {
  local what=$1 i
  shift
  for i in $(seq 120); do
    if "$@" > /dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "cluster-up: $what did not come up; see $state/logs" >&2
  return 1
}

# The namespace's network: loopback, and a bridge for the pods whose gateway
# is the node's address (and the DNS stand-in's).
ip netns add "$netns"
in_ns ip link set lo up
in_ns ip link add fck8s0 type bridge
in_ns ip addr add "$node_ip/24" dev fck8s0
in_ns ip link set fck8s0 up
in_ns sysctl -q -w net.ipv4.ip_forward=1
in_ns sysctl -q -w net.bridge.bridge-nf-call-iptables=1 2> /dev/null || true

# Control plane.
openssl genrsa -out "$state/certs/sa.key" 2048 2> /dev/null
openssl rsa -in "$state/certs/sa.key" -pubout -out "$state/certs/sa.pub" 2> /dev/null
echo "flinkcpp-admin-token,admin,admin,system:masters" > "$state/certs/tokens.csv"
start etcd etcd --name flinkcpp --data-dir "$state/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster flinkcpp=http://127.0.0.1:2380
wait_for etcd in_ns env ETCDCTL_API=3 etcdctl --endpoints http://127.0.0.1:2379 endpoint health
start kube-apiserver "$bin/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=127.0.0.1 --secure-port=6443 --advertise-address=127.0.0.1 \
  --endpoint-reconciler-type=none --cert-dir="$state/certs" \
  --token-auth-file="$state/certs/tokens.csv" --authorization-mode=Node,RBAC \
  --service-cluster-ip-range=10.96.0.0/16 --insecure-port=0 --allow-privileged=false \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$state/certs/sa.pub" \
  --service-account-signing-key-file="$state/certs/sa.key" \
  --kubelet-preferred-address-types=InternalIP
wait_for "the API server's certificate" test -f "$state/certs/apiserver.crt"
export KUBECONFIG="$state/kubeconfig"
"$kubectl" config set-cluster local --server=https://127.0.0.1:6443 \
  --certificate-authority="$state/certs/apiserver.crt" > /dev/null
"$kubectl" config set-credentials admin --token=flinkcpp-admin-token > /dev/null
"$kubectl" config set-context local --cluster=local --user=admin > /dev/null
"$kubectl" config use-context local > /dev/null
wait_for "the API server" in_ns "$kubectl" get --raw /readyz
start kube-controller-manager "$bin/kube-controller-manager" --kubeconfig="$KUBECONFIG" \
  --bind-address=127.0.0.1 --port=0 --leader-elect=false \
  --service-account-private-key-file="$state/certs/sa.key" \
  --root-ca-file="$state/certs/apiserver.crt" --controllers='*,-nodeipam'
start kube-scheduler "$bin/kube-scheduler" --kubeconfig="$KUBECONFIG" --bind-address=127.0.0.1 \
  --port=0 --leader-elect=false

# Container runtime: Debian's containerd and runc, images from archives only.
containerd config default |
  sed -e "s#^root = .*#root = \"$state/containerd-root\"#" \
      -e "s#^state = .*#state = \"$state/containerd-state\"#" \
      -e "s#address = \"/run/containerd/containerd.sock\"#address = \"$state/containerd.sock\"#" \
      -e 's#bin_dir = "/opt/cni/bin"#bin_dir = "/usr/lib/cni"#' \
      -e "s#conf_dir = \"/etc/cni/net.d\"#conf_dir = \"$state/cni\"#" \
      -e 's#restrict_oom_score_adj = false#restrict_oom_score_adj = true#' \
      -e 's#netns_mounts_under_state_dir = false#netns_mounts_under_state_dir = true#' \
      > "$state/containerd.toml"
cat > "$state/cni/10-flinkcpp.conflist" <<JSON
{"cniVersion": "0.4.0", "name": "flinkcpp", "plugins": [
  {"type": "bridge", "bridge": "fck8s0", "isGateway": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.245.0.0/24"}]],
            "routes": [{"dst": "10.96.0.0/16"}], "dataDir": "$state/cni-ipam"}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]}
JSON
start containerd containerd --config "$state/containerd.toml"
wait_for containerd ctr --address "$state/containerd.sock" version

# The pause image, built from the Kubernetes source (containerd's default
# sandbox image name, so that it never pulls one), and the given images.
images="$state/images"
mkdir -p "$images"
gcc -Os -static -DVERSION=3.6-flinkcpp -o "$images/pause" "$(dirname "$bin")/pause.c"
buildah=(buildah --storage-driver vfs --root "$images/storage" --runroot "$images/run")
container="$("${buildah[@]}" from scratch)"
"${buildah[@]}" copy "$container" "$images/pause" /pause > /dev/null
"${buildah[@]}" config --entrypoint '["/pause"]' "$container"
"${buildah[@]}" commit -q "$container" localhost/pause:3.6 > /dev/null
"${buildah[@]}" push -q localhost/pause:3.6 "docker-archive:$images/pause.tar:k8s.gcr.io/pause:3.6"
"${buildah[@]}" rm "$container" > /dev/null
sandbox="$(containerd config default | sed -n 's/.*sandbox_image = "\(.*\)"/\1/p')"
ctr --address "$state/containerd.sock" -n k8s.io images import "$images/pause.tar" > /dev/null
ctr --address "$state/containerd.sock" -n k8s.io images tag k8s.gcr.io/pause:3.6 "$sandbox" > /dev/null 2>&1 || true
for archive in "$@"; do
  ctr --address "$state/containerd.sock" -n k8s.io images import "$archive" > /dev/null
done

# Kubelet, kube-proxy, and a DNS stand-in (no CoreDNS image here).
cat > "$state/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
failSwapOn: false
cgroupsPerQOS: false
enforceNodeAllocatable: []
authentication: {anonymous: {enabled: true}, webhook: {enabled: false}}
authorization: {mode: AlwaysAllow}
address: $node_ip
readOnlyPort: 0
clusterDomain: cluster.local
clusterDNS: [$node_ip]
resolvConf: $state/upstream-resolv.conf
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
# No image garbage collection: the images come from archives and cannot be
# pulled again (on a disk over 85% full the kubelet removed the pause image).
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
YAML
echo "nameserver 127.0.0.1" > "$state/upstream-resolv.conf"
start kubelet "$bin/kubelet" --config="$state/kubelet.yaml" --kubeconfig="$KUBECONFIG" \
  --hostname-override=node1 --node-ip="$node_ip" --root-dir="$state/kubelet" \
  --container-runtime=remote --container-runtime-endpoint="unix://$state/containerd.sock"
start kube-proxy "$bin/kube-proxy" --kubeconfig="$KUBECONFIG" --hostname-override=node1 \
  --proxy-mode=iptables --cluster-cidr=10.245.0.0/16 --conntrack-max-per-core=0 \
  --metrics-bind-address=127.0.0.1:10249 --healthz-bind-address=127.0.0.1:10256
start dns "$here/service-dns.sh" "$state" "$node_ip"
wait_for "node1 Ready" sh -c "nsenter --net=/run/netns/$netns $kubectl get node node1 | grep -q ' Ready'"
echo "cluster-up: Kubernetes is up in network namespace $netns (state in $state)"
