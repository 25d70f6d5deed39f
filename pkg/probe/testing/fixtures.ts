// Raw host-script outputs used by several tests.
import type { RawHostOutput } from '../../probe/host-facts.js';

const sha = (c: string) => c.repeat(64);

export const PROVISIONED_CP: RawHostOutput = {
  hostname: 'CP-1',
  osId: 'debian',
  osVersionId: '12',
  osPrettyName: 'Debian GNU/Linux 12 (bookworm)',
  kernel: '6.1.0-18-amd64',
  arch: 'x86_64',
  cpus: '2',
  memTotalKiB: '4030000',
  swapDevices: '0',
  fstabSwap: '0',
  modules: 'overlay br_netfilter ',
  ipForward: '1',
  bridgeNfCallIptables: '1',
  units: 'Id=containerd.service\nLoadState=loaded\nActiveState=active\nSubState=running\nUnitFileState=enabled\n\nId=kubelet.service\nLoadState=loaded\nActiveState=failed\nSubState=failed\nUnitFileState=disabled',
  kubeletConf: 'yes',
  adminConf: 'yes',
  binariesRecord: '{"origin":"bundle","version":"1.35.1"}',
  dpkgKubelet: '',
  lock: '{"id":"r1","owner":"me@laptop","pid":42,"startedAt":"2026-01-01T00:00:00Z","command":"apply"}',
  inflight: '',
  files: { '/etc/containerd/config.toml': sha('a'), '/var/lib/kubelet/config.yaml': sha('b'), '/etc/containerd/certs.d/docker.io/hosts.toml': sha('c') },
  staticPods: { 'kube-apiserver': 'registry.k8s.io/kube-apiserver:v1.35.1', etcd: 'registry.k8s.io/etcd:3.6.4-0' },
  certs: { 'apiserver.crt': 'Nov 25 06:00:00 2027 GMT', 'ca.crt': 'Nov 23 06:00:00 2036 GMT' },
  containerd: 'containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+deb12u3',
  kubelet: 'Kubernetes v1.35.1',
  kubeadm: 'v1.35.1',
  kubectl: 'Client Version: v1.35.1\nKustomize Version: v5.5.0',
  healthz: 'ok',
  etcdMembers: '{"header":{},"members":[{"ID":"12345678901234567890","name":"cp-1","peerURLs":["https://10.5.0.11:2380"],"clientURLs":["https://10.5.0.11:2379"]}]}',
  etcdHealth: '{"health":"true","reason":""}',
};
