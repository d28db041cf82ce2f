import { objectLabel } from '../kube/kinds';
import { Rule } from './rule';

export const apiserviceInsecure: Rule = {
  meta: {
    code: 'apiservice-insecure',
    severity: 'warning',
    description: 'An APIService sets insecureSkipTLSVerify: true, so the API server sends requests to the aggregated API without checking its certificate.',
    docs: 'docs/rules/apiservice-insecure.md',
    fixable: false,
    options: [],
  },
  check(ctx, report) {
    for (const object of ctx.objects.objects) {
      if (object.kind !== 'APIService') continue;
      const flag = object.flags.find((f) => f.name === 'insecureSkipTLSVerify');
      if (flag?.value !== 'true') continue;
      report(
        { file: object.file, range: flag.range },
        `${objectLabel(object)} sets insecureSkipTLSVerify: true: the API server does not verify the serving certificate of ${object.clientConfigs[0]?.service?.name ?? 'its service'}, so anyone who can answer for that service sees and answers its requests`,
      );
    }
  },
};
