import pkg from '../../package.json' with { type: 'json' };
import type { CommandFactory } from '../shared/context.js';

/** `kubeone version`: JSON, shaped like KubeOne's (kubeone build info first). */
export const versionCommand: CommandFactory = (ctx) => ({
  command: 'version',
  describe: 'Print the version as JSON',
  handler: ctx.run(() => {
    const [major = '0', minor = '0'] = pkg.version.split('.');
    ctx.print(
      JSON.stringify(
        {
          kubeone: {
            major,
            minor,
            gitVersion: `v${pkg.version}`,
            nodeVersion: process.version,
            platform: `${process.platform}/${process.arch}`,
          },
          kubernetes: { minimumSupported: '1.34', maximumSupported: '1.36' },
        },
        null,
        2,
      ),
    );
  }),
});
