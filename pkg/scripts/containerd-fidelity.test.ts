// KubeOne fidelity of the containerd configuration. Expected values are written from KubeOne
// 1.14's pkg/containerruntime/containerd_config.go and helpers.go (SandboxImage), and from
// containerd's registry host rules (remotes/docker/config/hosts.go: `_default` fallback
// directory, host[:port] directories, `server` without scheme gets https://), never from our
// output. Deliberate differences are marked DIFF (docs/kubeone-compatibility.md).
import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { applyDefaults } from '../api/defaults.js';
import type { KubeOneCluster } from '../api/types.js';
import { containerdMajorOf, renderContainerdFiles } from './containerd-config.js';

function cluster(overrides: Partial<KubeOneCluster> = {}): KubeOneCluster {
  return applyDefaults({
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name: 'demo',
    versions: { kubernetes: '1.35.1' },
    cloudProvider: { none: {} },
    controlPlane: { hosts: [{ publicAddress: '192.0.2.10', privateAddress: '10.0.0.10' }] },
    ...overrides,
  });
}

function files(c: KubeOneCluster, major: number): Record<string, { content: string; mode: string }> {
  return Object.fromEntries(renderContainerdFiles(c, major).map((f) => [f.path, { content: f.content, mode: f.mode }]));
}

const tomlPython = (() => {
  try {
    execFileSync('python3', ['-c', 'import tomllib'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Parsed with a real TOML parser (Python's tomllib) when the machine has one. */
function parseToml(text: string): unknown {
  return JSON.parse(execFileSync('python3', ['-c', 'import json,sys,tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: text }).toString());
}

const V3_DEFAULT = `version = 3

[metrics]
# metrics at http://127.0.0.1:1338/v1/metrics
address = "127.0.0.1:1338"

[plugins."io.containerd.cri.v1.images"]
discard_unpacked_layers = false

[plugins."io.containerd.cri.v1.images".pinned_images]
sandbox = "registry.k8s.io/pause:3.10.1"

[plugins."io.containerd.cri.v1.images".registry]
config_path = "/etc/containerd/certs.d"

[plugins."io.containerd.cri.v1.runtime"]
device_ownership_from_security_context = false

[plugins."io.containerd.cri.v1.runtime".cni]
bin_dirs = ["/opt/cni/bin"]
conf_dir = "/etc/cni/net.d"

[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
runtime_type = "io.containerd.runc.v2"

[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
SystemdCgroup = true
`;

/** The same settings in the layout containerd 1.6/1.7 reads (they cannot read version 3). */
const V2_DEFAULT = `version = 2

[metrics]
# metrics at http://127.0.0.1:1338/v1/metrics
address = "127.0.0.1:1338"

[plugins."io.containerd.grpc.v1.cri"]
device_ownership_from_security_context = false
sandbox_image = "registry.k8s.io/pause:3.10.1"

[plugins."io.containerd.grpc.v1.cri".cni]
bin_dir = "/opt/cni/bin"
conf_dir = "/etc/cni/net.d"

[plugins."io.containerd.grpc.v1.cri".containerd]
discard_unpacked_layers = false

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
runtime_type = "io.containerd.runc.v2"

[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
SystemdCgroup = true

[plugins."io.containerd.grpc.v1.cri".registry]
config_path = "/etc/containerd/certs.d"
`;

// buildRegistryHostConfigs always starts with docker.io -> registry-1.docker.io.
const DOCKER_IO_HOSTS = `server = "https://registry-1.docker.io"

[host."https://registry-1.docker.io"]
capabilities = ["pull", "resolve"]
`;

describe('KubeOne fidelity: containerd configuration', () => {
  it('the config format follows the installed containerd major (2.x: version 3, 1.x: version 2)', () => {
    expect(containerdMajorOf('1.6.20~ds1')).to.equal(1);
    expect(containerdMajorOf('containerd github.com/containerd/containerd 1.6.20~ds1 1.6.20~ds1-1+b1')).to.equal(1);
    expect(containerdMajorOf('containerd containerd.io v2.2.0 1c4457e0')).to.equal(2);
    // Nothing installed yet: KubeOne installs containerd.io 2.2.
    expect(containerdMajorOf('')).to.equal(2);
    expect(files(cluster(), 2)['/etc/containerd/config.toml']!.content).to.equal(V3_DEFAULT);
    expect(files(cluster(), 1)['/etc/containerd/config.toml']!.content).to.equal(V2_DEFAULT);
  });

  it('defaults: config.toml 0600, docker.io hosts.toml, crictl', () => {
    const f = files(cluster(), 2);
    expect(Object.keys(f).sort()).to.deep.equal(['/etc/containerd/certs.d/docker.io/hosts.toml', '/etc/containerd/config.toml', '/etc/crictl.yaml']);
    expect(f['/etc/containerd/config.toml']!.mode).to.equal('0600');
    expect(f['/etc/containerd/certs.d/docker.io/hosts.toml']).to.deep.equal({ content: DOCKER_IO_HOSTS, mode: '0600' });
    // DIFF: KubeOne writes the runtime endpoint only.
    expect(f['/etc/crictl.yaml']!.content).to.match(/^runtime-endpoint: unix:\/\/\/run\/containerd\/containerd\.sock\n/);
  });

  it('sandbox image: pause 3.10.1 before 1.36, 3.10.2 from 1.36, on the overwriteRegistry, or as given', () => {
    expect(files(cluster({ versions: { kubernetes: '1.34.3' } }), 1)['/etc/containerd/config.toml']!.content).to.contain('sandbox_image = "registry.k8s.io/pause:3.10.1"');
    expect(files(cluster({ versions: { kubernetes: '1.36.0' } }), 2)['/etc/containerd/config.toml']!.content).to.contain('sandbox = "registry.k8s.io/pause:3.10.2"');
    expect(files(cluster({ registryConfiguration: { overwriteRegistry: 'reg.example' } }), 2)['/etc/containerd/config.toml']!.content).to.contain('sandbox = "reg.example/pause:3.10.1"');
    expect(files(cluster({ containerRuntime: { containerd: { sandboxImage: 'my/pause:1' } } }), 1)['/etc/containerd/config.toml']!.content).to.contain('sandbox_image = "my/pause:1"');
  });

  it('deviceOwnershipFromSecurityContext', () => {
    const c = cluster({ containerRuntime: { containerd: { deviceOwnershipFromSecurityContext: true } } });
    expect(files(c, 2)['/etc/containerd/config.toml']!.content).to.contain('device_ownership_from_security_context = true');
    expect(files(c, 1)['/etc/containerd/config.toml']!.content).to.contain('device_ownership_from_security_context = true');
  });

  describe('registries: "*", path-scoped names, auth for mirror hosts, insecure overwriteRegistry', () => {
    const c = cluster({
      registryConfiguration: { overwriteRegistry: 'registry.internal:5000', insecureRegistry: true },
      containerRuntime: {
        containerd: {
          registries: {
            '*': { mirrors: ['https://mirror.internal', 'http://10.0.0.5:5000'], auth: { username: 'any', password: 'anypw' } },
            'docker.io': { mirrors: ['hub-mirror.internal/v2', 'https://hub2.internal:8443/dockerhub'], overridePath: true, auth: { username: 'u', password: 'p"w' } },
            'gitlab.com/org1': { mirrors: ['https://gitlab-mirror.internal/org1'], tlsConfig: { insecureSkipVerify: true }, auth: { identityToken: 'tok' } },
            'quay.io': { tlsConfig: { insecureSkipVerify: true } },
          },
        },
      },
    });
    const f = files(c, 2);

    it('one hosts.toml per registry host, "*" in _default (containerd\'s fallback directory)', () => {
      expect(Object.keys(f).filter((p) => p.endsWith('hosts.toml')).sort()).to.deep.equal([
        '/etc/containerd/certs.d/_default/hosts.toml',
        '/etc/containerd/certs.d/docker.io/hosts.toml',
        // DIFF: KubeOne also uses the host for the directory, but writes `server = "gitlab.com/org1"`.
        '/etc/containerd/certs.d/gitlab.com/hosts.toml',
        '/etc/containerd/certs.d/quay.io/hosts.toml',
        '/etc/containerd/certs.d/registry.internal:5000/hosts.toml',
      ]);
    });

    it('"*": mirrors only, no server (the image\'s own registry stays the fallback)', () => {
      // DIFF: mirrors in the manifest's order (KubeOne's TOML encoder sorts them, changing their priority).
      expect(f['/etc/containerd/certs.d/_default/hosts.toml']!.content).to.equal(
        `[host."https://mirror.internal"]\ncapabilities = ["pull", "resolve"]\n\n[host."http://10.0.0.5:5000"]\ncapabilities = ["pull", "resolve"]\n`,
      );
    });

    it('docker.io: its mirrors replace registry-1.docker.io; override_path', () => {
      expect(f['/etc/containerd/certs.d/docker.io/hosts.toml']!.content).to.equal(
        'server = "https://registry-1.docker.io"\n\n' +
          '[host."hub-mirror.internal/v2"]\ncapabilities = ["pull", "resolve"]\noverride_path = true\n\n' +
          '[host."https://hub2.internal:8443/dockerhub"]\ncapabilities = ["pull", "resolve"]\noverride_path = true\n',
      );
    });

    it('a path-scoped registry: host directory, host-only server, skip_verify from tlsConfig', () => {
      expect(f['/etc/containerd/certs.d/gitlab.com/hosts.toml']!.content).to.equal(
        'server = "gitlab.com"\n\n[host."https://gitlab-mirror.internal/org1"]\ncapabilities = ["pull", "resolve"]\nskip_verify = true\n',
      );
    });

    it('insecure without mirrors: the registry itself as host, skip_verify; the overwriteRegistry is insecure', () => {
      expect(f['/etc/containerd/certs.d/quay.io/hosts.toml']!.content).to.equal('server = "quay.io"\n\n[host."quay.io"]\ncapabilities = ["pull", "resolve"]\nskip_verify = true\n');
      expect(f['/etc/containerd/certs.d/registry.internal:5000/hosts.toml']!.content).to.equal(
        'server = "registry.internal:5000"\n\n[host."registry.internal:5000"]\ncapabilities = ["pull", "resolve"]\nskip_verify = true\n',
      );
    });

    it('auth for the registry and for each of its mirror hosts (containerd keys credentials by the host it talks to)', () => {
      const toml = f['/etc/containerd/config.toml']!.content;
      const tables = [...toml.matchAll(/^\[plugins\."io\.containerd\.cri\.v1\.images"\.registry\.configs\."([^"]+)"\.auth\]$/gm)].map((m) => m[1]);
      // DIFF: "*" keeps its auth for its mirrors (KubeOne drops it).
      expect(tables).to.deep.equal(['10.0.0.5:5000', 'docker.io', 'gitlab-mirror.internal', 'gitlab.com', 'hub-mirror.internal', 'hub2.internal:8443', 'mirror.internal']);
      expect(toml).to.contain('[plugins."io.containerd.cri.v1.images".registry.configs."docker.io".auth]\nusername = "u"\npassword = "p\\"w"\n');
      expect(toml).to.contain('[plugins."io.containerd.cri.v1.images".registry.configs."gitlab.com".auth]\nidentitytoken = "tok"\n');
      expect(files(c, 1)['/etc/containerd/config.toml']!.content).to.contain('[plugins."io.containerd.grpc.v1.cri".registry.configs."mirror.internal".auth]\nusername = "any"\npassword = "anypw"\n');
    });

    it('is valid TOML with KubeOne\'s structure (parsed by a real TOML parser)', function () {
      if (!tomlPython) this.skip();
      const v3 = parseToml(f['/etc/containerd/config.toml']!.content) as any;
      expect(v3.version).to.equal(3);
      expect(v3.plugins['io.containerd.cri.v1.images'].registry.configs['hub2.internal:8443'].auth).to.deep.equal({ username: 'u', password: 'p"w' });
      expect(v3.plugins['io.containerd.cri.v1.runtime'].cni).to.deep.equal({ bin_dirs: ['/opt/cni/bin'], conf_dir: '/etc/cni/net.d' });
      expect(v3.plugins['io.containerd.cri.v1.runtime'].containerd.runtimes.runc).to.deep.equal({ runtime_type: 'io.containerd.runc.v2', options: { SystemdCgroup: true } });
      const v2 = parseToml(files(c, 1)['/etc/containerd/config.toml']!.content) as any;
      expect(v2.plugins['io.containerd.grpc.v1.cri'].cni).to.deep.equal({ bin_dir: '/opt/cni/bin', conf_dir: '/etc/cni/net.d' });
      for (const [path, file] of Object.entries(f)) if (path.endsWith('.toml')) parseToml(file.content);
      expect(Object.keys((parseToml(f['/etc/containerd/certs.d/_default/hosts.toml']!.content) as any).host)).to.deep.equal(['https://mirror.internal', 'http://10.0.0.5:5000']);
    });
  });
});
