// Hostile values handed straight to the renderers (as if validation had been bypassed: a
// plan file, a future field, a bug): each is either refused by the renderer, or the rendered
// script, run by a real bash in a temporary directory, passes it on as one literal argument
// and never runs it. Every external command is replaced by a logger (bash's
// command_not_found_handle with an empty PATH of real tools), `sudo` runs its arguments, so
// the scripts take their "fresh host" branch and nothing outside the temp dir is touched.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { bundleRemotePath, renderBundleInstall, renderPackageInstall } from './binaries.js';
import { renderContainerdFiles } from './containerd-config.js';
import { fixtureCluster } from './testing/fixtures.js';
import { renderKubeadmInit, renderKubeadmJoin, renderReconfigureControlPlane, renderUpgradeApply, renderUpgradeNode } from './kubeadm-scripts.js';
import { renderKubeletFlags } from './kubelet-files.js';
import type { OsFamily } from './os-family.js';
import { renderPrerequisites } from './prerequisites.js';
import { renderProxyEnvFile } from './proxy.js';
import { ENSURE_FILE_FN, ensureFileLines, pathInside, renderScript, shq, systemdWord } from './shell.js';

const MARKER = 'pwned_marker';
/** Shell metacharacters in every position a value can take. */
const PAYLOADS = [
  `$(${MARKER})`,
  `\`${MARKER}\``,
  `;${MARKER};`,
  `a\n${MARKER}\nb`,
  `';${MARKER};'`,
  `";${MARKER};"`,
  `a b $(${MARKER}) c`,
  `x|${MARKER}&&${MARKER}`,
  `$((1+1))$HOME\${IFS}`,
];

/** Real tools the scripts may run without touching anything outside the temp dir. */
const SAFE_TOOLS = ['cat', 'mktemp', 'grep', 'cut', 'tr', 'head', 'tail', 'sort', 'env', 'dirname', 'basename'];

const PROBED_TOOLS = ['dnf', 'gpg', 'flock'];

interface Run {
  /** Each external command the script ran, as its argv. */
  calls: string[][];
  status: number | null;
  stderr: string;
}

let sandbox: string;
const BASH = spawnSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).stdout.trim();

function runScript(script: string): Run {
  const dir = mkdtempSync(join(sandbox, 'run-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of SAFE_TOOLS) {
    const real = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (real) symlinkSync(real, join(bin, tool));
  }
  const log = join(dir, 'calls.log');
  // Tools the scripts look for with `command -v`: present, and logging like every other command.
  for (const tool of PROBED_TOOLS) writeFileSync(join(bin, tool), `#!${BASH}\ncommand_not_found_handle ${tool} "$@"\n`, { mode: 0o755 });
  writeFileSync(join(dir, 'script.sh'), script);
  const res = spawnSync(BASH, [join(dir, 'script.sh')], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 20_000,
    env: {
      PATH: bin,
      HOME: dir,
      TMPDIR: dir,
      KUBEONE_CALL_LOG: log,
      // Records are separated by \x1e, arguments by \x1f: arguments may hold newlines.
      'BASH_FUNC_command_not_found_handle%%': `() { local a; for a in "$@"; do printf '%s\\x1f' "$a"; done >> "$KUBEONE_CALL_LOG"; printf '\\x1e' >> "$KUBEONE_CALL_LOG"; return 0; }`,
      'BASH_FUNC_sudo%%': '() { "$@"; }',
    },
  });
  const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
  const calls = text.split('\x1e').filter(Boolean).map((r) => r.split('\x1f').slice(0, -1));
  return { calls, status: res.status, stderr: res.stderr };
}

/** Renders with the payload; null when the renderer refuses it (which is a pass). */
function attempt(render: () => string): string | null {
  try {
    return render();
  } catch {
    return null;
  }
}

function expectInert(name: string, script: string, payload: string, expectArg?: string): void {
  const run = runScript(script);
  const ran = run.calls.filter((c) => c.some((a) => a === MARKER || a.startsWith(`${MARKER}`)) && c[0] === MARKER);
  expect(ran, `${name}: ${JSON.stringify(payload)} was executed; calls: ${JSON.stringify(run.calls)}; stderr: ${run.stderr}`).to.deep.equal([]);
  expect(run.calls.some((c) => c[0] === MARKER), `${name}: marker ran`).to.equal(false);
  if (expectArg !== undefined) {
    expect(run.calls.some((c) => c.includes(expectArg)), `${name}: ${JSON.stringify(expectArg)} did not arrive as one argument; calls: ${JSON.stringify(run.calls)}; stderr: ${run.stderr}`).to.equal(true);
  }
}

const FAMILIES: OsFamily[] = ['debian', 'rhel', 'flatcar'];

describe('pkg/scripts with hostile values: refused, or passed on literally by a real bash', function () {
  this.timeout(120_000);
  before(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'kubeone-hostile-'));
  });
  after(() => rmSync(sandbox, { recursive: true, force: true }));

  it('the harness catches an unquoted interpolation (control)', () => {
    const unsafe = renderScript([`echo ${PAYLOADS[0]}`]);
    expect(runScript(unsafe).calls.some((c) => c[0] === MARKER)).to.equal(true);
    const safe = renderScript([`sudo kubeadm init --config=${shq(`/x/${PAYLOADS[0]}`)}`]);
    expectInert('control', safe, PAYLOADS[0]!, `--config=/x/${PAYLOADS[0]}`);
  });

  it('kubeadm scripts: config and token paths are quoted', () => {
    let rendered = 0;
    for (const p of PAYLOADS) {
      const path = `/home/u/kubeone/cfg/${p}.yaml`;
      for (const [name, script, arg] of [
        ['init', attempt(() => renderKubeadmInit(path)), `--config=${path}`],
        ['join', attempt(() => renderKubeadmJoin(true, path)), `--config=${path}`],
        ['reconfigure', attempt(() => renderReconfigureControlPlane(path)), `--config=${path}`],
      ] as const) {
        if (script === null) continue;
        rendered++;
        expectInert(name, script, p, arg);
      }
    }
    expect(rendered, 'paths with shell characters are legitimately quoted, not refused').to.be.greaterThan(PAYLOADS.length);
  });

  it('versions: refused by every renderer that takes one', () => {
    for (const p of PAYLOADS) {
      const version = `1.35.1${p}`;
      expect(attempt(() => renderUpgradeApply(version)), p).to.equal(null);
      expect(attempt(() => renderUpgradeNode(version, true)), p).to.equal(null);
      expect(attempt(() => renderPackageInstall('debian', { version, arch: 'amd64', components: ['kubeadm'], repositoryUrl: 'https://pkgs.corp/' })), p).to.equal(null);
      expect(attempt(() => renderBundleInstall('debian', { version, arch: 'amd64', components: ['kubeadm'], remoteTarball: '/var/lib/kubeone/bundles/b.tgz' })), p).to.equal(null);
      expect(attempt(() => renderBundleInstall('debian', { version: '1.35.1', arch: `amd64${p}`, components: ['kubeadm'], remoteTarball: '/var/lib/kubeone/bundles/b.tgz' })), p).to.equal(null);
      expect(attempt(() => renderBundleInstall('debian', { version: '1.35.1', arch: 'amd64', components: [`kubeadm${p}` as 'kubeadm'], remoteTarball: '/var/lib/kubeone/bundles/b.tgz' })), p).to.equal(null);
    }
  });

  it('bundle URL and tarball path: quoted (download URLs may legally hold $ ; \' ( ))', () => {
    for (const family of FAMILIES) {
      for (const p of PAYLOADS) {
        const url = `https://mirror.corp/k8s/${p}/node.tar.gz`;
        const tarball = `/var/lib/kubeone/bundles/${p}.tgz`;
        const script = attempt(() => renderBundleInstall(family, { version: '1.35.1', arch: 'amd64', components: ['kubeadm', 'kubelet'], remoteTarball: tarball, url }));
        expect(script, `${family} ${p}`).to.not.equal(null);
        expectInert(`bundle ${family}`, script!, p, url);
        const local = renderBundleInstall(family, { version: '1.35.1', arch: 'amd64', components: ['kubeadm'], remoteTarball: tarball });
        expectInert(`bundle (uploaded) ${family}`, local, p);
        // `test` is a builtin: the literal path shows in the message of the missing-bundle branch.
        expect(runScript(local).stderr).to.contain(`kubeone: bundle ${tarball} missing on host`);
      }
    }
  });

  it('bundle file names on the hosts stay inside the bundle directory', () => {
    expect(bundleRemotePath({ url: 'https://m.corp/a/k8s-{version}.tgz?sig=x/../../y' }, '1.35.1', 'amd64')).to.equal('/var/lib/kubeone/bundles/k8s-1.35.1.tgz');
    for (const path of ['./b/..', '/x/`id`.tgz', '/x/a b.tgz', '/x/a"b.tgz', '/x/..']) {
      expect(() => bundleRemotePath({ path }, '1.35.1', 'amd64'), path).to.throw();
    }
  });

  it('package repository URL: quoted in commands, refused when it would add a line to the apt source', () => {
    for (const family of ['debian', 'rhel'] as const) {
      for (const p of PAYLOADS) {
        const repositoryUrl = `https://pkgs.corp/v{minor}/${p}/deb/`;
        const script = attempt(() => renderPackageInstall(family, { version: '1.35.1', arch: 'amd64', components: ['kubeadm', 'kubelet', 'kubectl'], repositoryUrl }));
        if (/\s/.test(p)) {
          expect(script, `${family} ${JSON.stringify(p)}`).to.equal(null);
          continue;
        }
        expect(script, `${family} ${p}`).to.not.equal(null);
        expectInert(`packages ${family}`, script!, p, family === 'debian' ? `https://pkgs.corp/v1.35/${p}/deb/Release.key` : undefined);
      }
      // The newline attack of the issue: a second `deb [trusted=yes]` line.
      expect(attempt(() => renderPackageInstall(family, { version: '1.35.1', arch: 'amd64', components: ['kubeadm'], repositoryUrl: 'https://pkgs.corp/deb/\ndeb [trusted=yes] http://evil/ /' }))).to.equal(null);
    }
  });

  it('proxy values: refused by every proxy renderer, or inert data', () => {
    let refused = 0;
    for (const family of FAMILIES) {
      for (const p of PAYLOADS) {
        for (const proxy of [{ http: `http://proxy:3128/${p}` }, { https: `http://${p}@proxy:3128` }, { http: 'http://proxy:3128', noProxy: `.corp,${p}` }]) {
          const script = attempt(() => renderPrerequisites(family, { proxy }));
          if (script === null) refused++;
          else expectInert(`prerequisites ${family}`, script, p);
          const env = attempt(() => renderProxyEnvFile(proxy) ?? '');
          // systemd EnvironmentFile: one line per variable, the value in double quotes with \ " $ ` escaped.
          if (env !== null) for (const line of env.trimEnd().split('\n')) expect(line).to.match(/^[A-Za-z_]+="([^"\\$`]|\\["\\$`])*"$/);
        }
      }
    }
    // `$`, backtick, `;`, quotes and whitespace: every payload but `x|y&&z` is refused outright.
    expect(refused).to.equal(FAMILIES.length * 3 * (PAYLOADS.length - 1));
  });

  it('prerequisites with a legitimate proxy: the scripts run, nothing is sourced or evaluated', () => {
    for (const family of FAMILIES) {
      const script = renderPrerequisites(family, { proxy: { http: 'http://user:p%24ss@proxy.corp:3128', https: 'http://proxy.corp:3129', noProxy: '.corp,10.0.0.0/8' } });
      expect(script).to.not.match(/(^|[;&|]\s*)(source|\.)\s/m);
      expect(script).to.not.match(/\beval\b/);
      const run = runScript(script);
      expect(run.status, `${family}: ${run.stderr}`).to.equal(0);
      // Credentials in the proxy: the files holding them are root-only.
      const installs = run.calls.filter((c) => c[0] === 'install' && c.includes('-m'));
      for (const c of installs.filter((x) => /proxy/.test(x[x.length - 1]!))) expect(c, JSON.stringify(c)).to.include('0600');
    }
  });

  it('containerd registry names cannot leave /etc/containerd/certs.d', () => {
    for (const key of ['../../../etc/evil.d', '..', '/etc/x']) {
      const loaded = fixtureCluster({ containerRuntime: { containerd: { registries: { [key]: { mirrors: ['m.corp'] } } } } });
      expect(() => renderContainerdFiles(loaded.cluster), key).to.throw(/would leave/);
    }
    // A path after the host never names a directory: containerd looks registries up by host only.
    for (const [key, dir] of [['docker.io/../../x', 'docker.io'], ['a//b', 'a']] as const) {
      const loaded = fixtureCluster({ containerRuntime: { containerd: { registries: { [key]: { mirrors: ['m.corp'] } } } } });
      const hostsFiles = renderContainerdFiles(loaded.cluster).map((f) => f.path).filter((p) => p.endsWith('/hosts.toml'));
      expect(hostsFiles, key).to.include(`/etc/containerd/certs.d/${dir}/hosts.toml`);
      for (const p of hostsFiles) expect(p, key).to.match(/^\/etc\/containerd\/certs\.d\/[^/.][^/]*\/hosts\.toml$/);
    }
    expect(pathInside('/etc/containerd/certs.d', 'registry.corp:5000/hosts.toml')).to.equal('/etc/containerd/certs.d/registry.corp:5000/hosts.toml');
  });

  it('kubelet flags: a value with spaces stays one systemd word, quotes and $ are refused', () => {
    const loaded = fixtureCluster();
    const host = { ...loaded.hosts[0]!, config: { ...loaded.hosts[0]!.config, hostname: 'node1 --anonymous-auth=true --authorization-mode=AlwaysAllow' } };
    expect(renderKubeletFlags(loaded.cluster, host)).to.contain(`'--hostname-override=node1 --anonymous-auth=true --authorization-mode=AlwaysAllow'`);
    for (const bad of ['a"b', "a'b", 'a$b', 'a\nb', 'a\\b', 'a`b']) {
      expect(() => renderKubeletFlags(loaded.cluster, { ...host, config: { ...host.config, hostname: bad } }), bad).to.throw(/systemd/);
    }
    expect(systemdWord('--node-ip=10.0.0.1,fd00::1')).to.equal('--node-ip=10.0.0.1,fd00::1');
  });

  it('file contents travel in quoted heredocs: nothing in them is expanded', () => {
    for (const p of PAYLOADS) {
      const script = renderScript(ENSURE_FILE_FN, ensureFileLines(`/etc/kubeone/${p}`, '0644', `content ${p}\nKUBEONE_EOF\n${p}`));
      expectInert('heredoc', script, p, `/etc/kubeone/${p}`);
    }
  });
});
