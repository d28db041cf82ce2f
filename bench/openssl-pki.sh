#!/bin/sh
# The reference for `kube-pki gen pki`: the same certificates made the way the seeds do, with openssl.
set -e
out=$1/etc/kubernetes/pki; type=${2:-RSA-2048}; mkdir -p "$out/etcd"; cd "$out"
key() { if [ "$type" = "RSA-2048" ]; then openssl genrsa -traditional -out "$1" 2048 2>/dev/null; else openssl ecparam -name prime256v1 -genkey -noout -out "$1"; fi; }
ca() { key "$1.key"; openssl req -x509 -new -key "$1.key" -subj "/CN=$2" -days 3650 -out "$1.crt" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign"; }
leaf() { key "$1.key"; openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"; printf "extendedKeyUsage=%s\n%s\n" "$4" "${5:+subjectAltName=$5}" > "$1.ext"; openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial -days 365 -extfile "$1.ext" -out "$1.crt" 2>/dev/null; rm -f "$1.csr" "$1.ext"; }
ca ca kubernetes; ca front-proxy-ca front-proxy-ca; ca etcd/ca etcd-ca
leaf apiserver /CN=kube-apiserver ca serverAuth "DNS:cp,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1,IP:192.168.0.10"
leaf apiserver-kubelet-client "/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client" ca clientAuth
leaf front-proxy-client /CN=front-proxy-client front-proxy-ca clientAuth
leaf etcd/server /CN=cp etcd/ca serverAuth,clientAuth "DNS:cp,DNS:localhost,IP:192.168.0.10,IP:127.0.0.1"
leaf etcd/peer /CN=cp etcd/ca serverAuth,clientAuth "DNS:cp,DNS:localhost,IP:192.168.0.10,IP:127.0.0.1"
leaf etcd/healthcheck-client /CN=kube-etcd-healthcheck-client etcd/ca clientAuth
leaf apiserver-etcd-client /CN=kube-apiserver-etcd-client etcd/ca clientAuth
key sa.key; openssl pkey -in sa.key -pubout -out sa.pub
for u in kubernetes-admin kubernetes-super-admin system:kube-controller-manager system:kube-scheduler system:node:cp; do leaf "user-$u" "/CN=$u" ca clientAuth; done
