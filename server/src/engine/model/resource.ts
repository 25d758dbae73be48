import type { Span } from './span';
import type { Value } from './value';

export type Language = 'terraform' | 'cloudformation';

/**
 * One resource (or data source) instance, from either language, with its attributes evaluated.
 * Terraform nested blocks appear in `attrs` as lists of objects (`ingress` -> [{from_port, ...}]), so
 * rules read one shape whatever the syntax. CloudFormation resources keep their property names
 * (`SecurityGroupIngress`, `VpcId`).
 */
export interface Resource {
  /**
   * Unique in the workspace. Terraform: `tf:<module dir>:<address>` where the address includes module
   * instances and `count`/`for_each` keys (`tf:envs/prod:module.net.aws_security_group.this["a"]`).
   * CloudFormation: `cfn:<file>:<LogicalId>`.
   */
  key: string;
  lang: Language;
  /** `aws_vpc_endpoint`, `AWS::EC2::VPCEndpoint`, ... */
  type: string;
  mode: 'managed' | 'data';
  /** What a person calls it: `aws_vpc_endpoint.this["a"]` or the logical id. */
  address: string;
  /** The file that declares it (as given to the engine). */
  file: string;
  /** The whole block / the logical id's mapping entry. */
  span: Span;
  /** The block labels / the logical id. */
  nameSpan: Span;
  attrs: Record<string, Value>;
  /** Spans of the top-level attributes / properties as written (absent when defaulted). */
  attrSpans: Record<string, Span>;
  /**
   * Terraform: the provider configuration (`aws`, `aws.account2`), standing for an account and Region.
   * CloudFormation: undefined (a stack's account is not in the template).
   */
  provider?: string;
  /** The module instance path (`module.net`, empty for a root module) / undefined for CloudFormation. */
  modulePath?: string;
  /** Terraform: the root module directory the instance belongs to. CloudFormation: the template file. */
  root: string;
  /**
   * Declarations written in comments on the resource: `privatelink-lens: service = <target>` links and
   * `privatelink-lens-ignore PL0xx` ids. Collected by the reader so rules need no syntax.
   */
  annotations: Annotation[];
}

export interface Annotation {
  kind: 'link' | 'ignore' | 'cidr';
  /** link: the declared target; ignore: the rule id; cidr: the CIDR. */
  value: string;
  reason?: string;
  span: Span;
}
