import type { Finding, Fix } from '../model/finding';
import { RULES_BY_ID } from './catalog';
import type { Rule, RuleContext } from './types';
import { PL001, PL002, PL003, PL021, PL022, PL024, PL025 } from './pathRules';
import { PL005, PL006 } from './endpointRules';
import { PL004, PL007, PL008, PL009, PL010, PL011, PL012, PL033 } from './endpointServiceRules';
import { PL013, PL014, PL015, PL016, PL017 } from './serviceRules';
import { PL020, PL023 } from './nlbRules';
import { PL031, PL035 } from './hygieneRules';
import { PL018, PL019, PL026, PL027, PL028, PL029, PL030, PL032, PL034 } from './lbTargetRules';

export type { RuleContext, Rule } from './types';

/** Every implemented rule. catalog.ts says which ids are implemented; a test keeps the two in step. */
export const RULE_CHECKS: readonly Rule[] = [PL001, PL002, PL003, PL005, PL006, PL013, PL014, PL015, PL016, PL017, PL020, PL021, PL022, PL023, PL024, PL025, PL031, PL035, PL018, PL019, PL026, PL027, PL028, PL029, PL030, PL032, PL034, PL004, PL007, PL008, PL009, PL010, PL011, PL012, PL033];

/** Runs every implemented rule over the graph and the evaluated paths. */
export function runRules(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of RULE_CHECKS) {
    const meta = RULES_BY_ID.get(rule.id);
    try {
      rule.check(ctx, (f) =>
        out.push({
          ruleId: rule.id,
          severity: f.severity ?? meta?.severity ?? 'info',
          message: f.message,
          location: f.location,
          related: f.related ?? [],
          fixes: (f.fixes ?? []).filter((x): x is Fix => !!x),
          unnecessary: f.unnecessary,
        }),
      );
    } catch (e) {
      // One broken rule must not take the others (or the server) down; it is reported where it can be seen.
      out.push({ ruleId: rule.id, severity: 'info', message: `internal error in rule ${rule.id}: ${(e as Error).message}`, location: { file: '', span: { start: 0, end: 0 } }, related: [], fixes: [] });
    }
  }
  return out;
}
