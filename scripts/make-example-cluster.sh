#!/usr/bin/env bash
# Makes examples/cluster: a kubeadm-shaped control-plane node (node cp-1,
# advertise address 192.168.10.10, service CIDR 10.96.0.0/12) with openssl,
# the way the seed articles do it by hand. Run once; the output is committed
# so that `npm start` has a cluster to look at. Leaves get 10 years here
# (kubeadm uses 1) so the bundled example does not expire under CI.
set -euo pipefail
out=${1:-examples/cluster}/etc/kubernetes/pki
mkdir -p "$out/etcd"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
days=3650

ca() { # name cn
  openssl genrsa -traditional -out "$out/$1.key" 2048 2>/dev/null
  openssl req -x509 -new -key "$out/$1.key" -subj "/CN=$2" -days $days -out "$out/$1.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
    -addext "subjectAltName=DNS:$2"
}
leaf() { # name subject ca eku [san]
  openssl genrsa -traditional -out "$out/$1.key" 2048 2>/dev/null
  openssl req -new -key "$out/$1.key" -subj "$2" -out "$tmp/req.csr"
  {
    echo "basicConstraints=critical,CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$4"
    echo "authorityKeyIdentifier=keyid"
    [ -n "${5:-}" ] && echo "subjectAltName=$5"
  } > "$tmp/ext.cnf"
  openssl x509 -req -in "$tmp/req.csr" -CA "$out/$3.crt" -CAkey "$out/$3.key" -CAcreateserial \
    -days $days -extfile "$tmp/ext.cnf" -out "$out/$1.crt" 2>/dev/null
}

ca ca kubernetes
ca front-proxy-ca front-proxy-ca
ca etcd/ca etcd-ca
leaf apiserver /CN=kube-apiserver ca serverAuth \
  "DNS:cp-1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:192.168.10.10"
leaf apiserver-kubelet-client "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" ca clientAuth
leaf front-proxy-client /CN=front-proxy-client front-proxy-ca clientAuth
leaf etcd/server /CN=cp-1 etcd/ca serverAuth,clientAuth "DNS:cp-1,DNS:localhost,IP:192.168.10.10,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1"
leaf etcd/peer /CN=cp-1 etcd/ca serverAuth,clientAuth "DNS:cp-1,DNS:localhost,IP:192.168.10.10,IP:127.0.0.1,IP:0:0:0:0:0:0:0:1"
leaf etcd/healthcheck-client /CN=kube-etcd-healthcheck-client etcd/ca clientAuth
leaf apiserver-etcd-client /CN=kube-apiserver-etcd-client etcd/ca clientAuth
openssl genrsa -traditional -out "$out/sa.key" 2048 2>/dev/null
openssl rsa -in "$out/sa.key" -pubout -out "$out/sa.pub" 2>/dev/null
rm -f "$out"/*.srl "$out"/etcd/*.srl
chmod 600 "$out"/*.key "$out"/etcd/*.key
echo "wrote $(find "$out" -type f | wc -l) files under $out"
