import { expect } from 'chai';
import { FlagError, optionsFromFlags, parseFlags } from './flags.js';

// The command section of a kubeadm-generated kube-apiserver static pod manifest.
const KUBEADM_COMMAND = [
  'kube-apiserver',
  '--advertise-address=172.18.0.2',
  '--allow-privileged=true',
  '--authorization-mode=Node,RBAC',
  '--client-ca-file=/etc/kubernetes/pki/ca.crt',
  '--enable-admission-plugins=NodeRestriction',
  '--enable-bootstrap-token-auth=true',
  '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
  '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
  '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
  '--etcd-servers=https://127.0.0.1:2379,https://172.18.0.3:2379',
  '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
  '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
  '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
  '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
  '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key',
  '--requestheader-allowed-names=front-proxy-client',
  '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
  '--requestheader-extra-headers-prefix=X-Remote-Extra-',
  '--requestheader-group-headers=X-Remote-Group',
  '--requestheader-username-headers=X-Remote-User',
  '--secure-port=6443',
  '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
  '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
  '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
  '--service-cluster-ip-range=10.96.0.0/12',
  '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
  '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  '--endpoint-reconciler-type=lease',
  '--profiling=false',
  '--service-node-port-range=30000-32767',
];

describe('kube-apiserver flags', () => {
  it('accepts the flags kubeadm writes and maps them to options', () => {
    const opts = optionsFromFlags(parseFlags(KUBEADM_COMMAND), { KUBESIM_VERSION: '1.35.1' });
    expect(opts.port).to.equal(6443);
    expect(opts.advertiseAddress).to.equal('172.18.0.2');
    expect(opts.version).to.equal('v1.35.1');
    expect(opts.etcd.endpoints).to.deep.equal(['https://127.0.0.1:2379', 'https://172.18.0.3:2379']);
    expect(opts.etcd.certFile).to.equal('/etc/kubernetes/pki/apiserver-etcd-client.crt');
    expect(opts.tls).to.deep.equal({
      certFile: '/etc/kubernetes/pki/apiserver.crt',
      keyFile: '/etc/kubernetes/pki/apiserver.key',
      clientCAFile: '/etc/kubernetes/pki/ca.crt',
    });
    expect(opts.enableBootstrapTokenAuth).to.equal(true);
    expect(opts.serviceClusterIPRange).to.equal('10.96.0.0/12');
  });

  it('takes the version from --sim-version before the environment', () => {
    const opts = optionsFromFlags(parseFlags([...KUBEADM_COMMAND, '--sim-version', 'v1.36.0']), { KUBESIM_VERSION: '1.35.1' });
    expect(opts.version).to.equal('v1.36.0');
    expect(() => optionsFromFlags(parseFlags(KUBEADM_COMMAND), {})).to.throw(FlagError, /sim-version/);
  });

  it('parses separate values and bare booleans like pflag', () => {
    const flags = parseFlags(['--secure-port', '7443', '--anonymous-auth', '--v=2']);
    expect(flags.get('secure-port')).to.equal('7443');
    expect(flags.get('anonymous-auth')).to.equal('true');
  });

  it('rejects flags the real kube-apiserver does not have', () => {
    expect(() => parseFlags(['--etcd-server=https://x:2379'])).to.throw(FlagError, 'unknown flag: --etcd-server');
    expect(() => parseFlags(['--insecure-port=8080'])).to.throw(FlagError, /insecure-port/);
    expect(() => parseFlags(['--secure-port'])).to.throw(FlagError, /needs an argument/);
  });
});
