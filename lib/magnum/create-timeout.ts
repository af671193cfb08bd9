/**
 * How long a cluster's create may take, written once for the construct that sets it and for the deploy step that
 * waits for a create the provider lost (scripts/lib/lost-create.ts). No imports: that step loads no construct.
 */

/** Default of {@link MagnumClusterOptions.createTimeoutMinutes}: Magnum's (`create_timeout` of the cluster API). */
export const DEFAULT_CREATE_TIMEOUT_MINUTES: number = 60;

/** Minutes Terraform waits beyond Magnum's own create timeout, so that Magnum's timeout is what reports. */
export const TERRAFORM_TIMEOUT_MARGIN_MINUTES: number = 5;
