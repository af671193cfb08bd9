import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { NullProvider } from '@cdktf/provider-null/lib/provider';
import { MagnumPlatform, OpenstackProvider } from '../lib';
import { configureBackend } from './backend';

/** What every example stack shares: state, providers and the platform's outputs. */
export abstract class ExampleStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    configureBackend(this);
    // Credentials come from clouds.yaml / OS_CLOUD / OS_* at plan time, never from here.
    new OpenstackProvider(this, 'openstack', {});
    new NullProvider(this, 'null', {});
  }

  /** Publishes what an operator needs from a platform; the kubeconfig only as sensitive. */
  protected addPlatformOutputs(platform: MagnumPlatform): void {
    new TerraformOutput(this, 'cluster_id', { value: platform.cluster.clusterId });
    new TerraformOutput(this, 'api_address', { value: platform.cluster.apiAddress });
    new TerraformOutput(this, 'kubeconfig', { value: platform.cluster.kubeconfig, sensitive: true });
    new TerraformOutput(this, 'external_network_id', { value: platform.externalNetwork.networkId });
  }
}
