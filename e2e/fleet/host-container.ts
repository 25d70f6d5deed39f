// Starts one host container with testcontainers. systemd is PID 1, which needs
// CAP_SYS_ADMIN, tmpfs on /run and /run/lock and the host's cgroup tree
// read-only (`--privileged` fails on this machine). testcontainers has no API
// for a static address or a loopback-only port binding, so the subclass fills
// those into the create options it sends to Docker.
import net from 'node:net';

import { GenericContainer, type WaitStrategy } from 'testcontainers';

import { dockerRaw } from './docker.js';

// The ryuk reaper image cannot be pulled here; fleets clean up after themselves
// (teardown hooks, label sweep). Set before testcontainers starts anything.
process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';

export interface HostContainerSpec {
  image: string;
  containerName: string;
  hostname: string;
  networkName: string;
  address: string;
  /** Host port on 127.0.0.1 for sshd, or undefined for no published port. */
  sshHostPort?: number;
  authorizedKey: string;
  labels: Record<string, string>;
}

/** testcontainers waits with this; the fleet does its own SSH readiness check. */
const startedIsEnough: WaitStrategy = {
  waitUntilReady: async () => undefined,
  withStartupTimeout() {
    return this;
  },
  isStartupTimeoutSet: () => false,
  getStartupTimeout: () => 0,
};

class HostContainer extends GenericContainer {
  constructor(private readonly spec: HostContainerSpec) {
    super(spec.image);
    this.withName(spec.containerName)
      .withHostname(spec.hostname)
      .withLabels(spec.labels)
      .withAddedCapabilities('SYS_ADMIN')
      .withTmpFs({ '/run': 'rw,nosuid,nodev,mode=755', '/run/lock': 'rw,nosuid,nodev,noexec' })
      .withBindMounts([{ source: '/sys/fs/cgroup', target: '/sys/fs/cgroup', mode: 'ro' }])
      .withNetworkMode(spec.networkName)
      .withCopyContentToContainer([{ content: spec.authorizedKey, target: '/home/kubeone/.ssh/authorized_keys', mode: 0o644 }])
      .withWaitStrategy(startedIsEnough);
  }

  protected override async beforeContainerCreated(): Promise<void> {
    const { spec } = this;
    // systemd halts cleanly on SIGRTMIN+3; on SIGTERM it would re-execute itself.
    this.createOpts.StopSignal = 'SIGRTMIN+3';
    this.createOpts.NetworkingConfig = {
      EndpointsConfig: { [spec.networkName]: { IPAMConfig: { IPv4Address: spec.address }, Aliases: [spec.hostname] } },
    };
    if (spec.sshHostPort !== undefined) {
      this.createOpts.ExposedPorts = { '22/tcp': {} };
      this.hostConfig.PortBindings = { '22/tcp': [{ HostIp: '127.0.0.1', HostPort: String(spec.sshHostPort) }] };
    }
  }
}

/** Asks the kernel for a free TCP port on 127.0.0.1. */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isPortClash(error: unknown): boolean {
  return /port is already allocated|address already in use/i.test(String((error as Error)?.message ?? error));
}

/**
 * Creates and starts the container; returns its id and the SSH port used.
 * A published port is fixed (not Docker-assigned) so it stays the same across
 * stop/start and for a replacement; when another process grabbed it in the
 * meantime, a new free port is tried.
 */
export async function startHostContainer(spec: HostContainerSpec): Promise<{ id: string; sshHostPort?: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const started = await new HostContainer(spec).start();
      return { id: started.getId(), sshHostPort: spec.sshHostPort };
    } catch (error) {
      if (spec.sshHostPort === undefined || !isPortClash(error) || attempt >= 3) {
        throw new Error(`starting host container ${spec.containerName} failed: ${(error as Error).message}`, { cause: error });
      }
      await dockerRaw(['rm', '-f', spec.containerName]);
      spec = { ...spec, sshHostPort: await freeLocalPort() };
    }
  }
}
