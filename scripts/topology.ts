/**
 * Draws a synthesized stack: resources, what references what, and the load
 * balancers Magnum (Heat) and the cloud provider create outside Terraform.
 *   node dist/scripts/topology.js cdktf.out/stacks/all-in-one docs/topology-all-in-one.svg
 */
import * as fs from 'fs';
import * as path from 'path';

/** One resource's body in synthesized Terraform JSON. */
type Json = Record<string, unknown>;
/** A synthesized stack: resources by type, then name. */
interface StackJson {
  readonly resource?: Record<string, Record<string, Json>>;
}

/** How each resource type is drawn. */
const KINDS: Record<string, { label: string; color: string; shape?: string }> = {
  openstack_networking_network_v2: { label: 'Network', color: '#cfe2ff' },
  openstack_networking_subnet_v2: { label: 'Subnet', color: '#cfe2ff' },
  openstack_networking_router_v2: { label: 'Router', color: '#cfe2ff', shape: 'hexagon' },
  openstack_networking_router_interface_v2: { label: 'Router interface', color: '#cfe2ff', shape: 'hexagon' },
  openstack_images_image_v2: { label: 'Image', color: '#e2d9f3', shape: 'note' },
  openstack_blockstorage_volume_type_v3: { label: 'Volume type', color: '#fff3cd', shape: 'cylinder' },
  openstack_blockstorage_volume_type_access_v3: { label: 'Volume type access', color: '#fff3cd' },
  openstack_containerinfra_clustertemplate_v1: { label: 'Cluster template', color: '#d1e7dd', shape: 'component' },
  openstack_containerinfra_cluster_v1: { label: 'Magnum cluster', color: '#a3cfbb', shape: 'box3d' },
  openstack_containerinfra_nodegroup_v1: { label: 'Node group', color: '#a3cfbb', shape: 'box3d' },
  null_resource: { label: 'Teardown (destroy-time)', color: '#f8d7da', shape: 'octagon' },
};

const quote = (s: string) => `"${s.replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

/** The DOT graph of one synthesized stack. */
export function topologyDot(stackJson: StackJson, title: string): string {
  const nodes: string[] = [];
  const edges = new Set<string>();
  const addresses: string[] = [];
  for (const [type, byName] of Object.entries(stackJson.resource ?? {})) {
    if (!(type in KINDS)) continue;
    for (const [name, body] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      addresses.push(address);
      const kind = body.external === true ? { ...KINDS[type], label: 'External network', color: '#9ec5fe' } : KINDS[type];
      const label = typeof body.name === 'string' ? `${kind.label}\n${body.name}` : kind.label;
      nodes.push(`  ${quote(address)} [label=${quote(label)}, fillcolor=${quote(kind.color)}, shape=${kind.shape ?? 'box'}];`);
    }
  }
  for (const [type, byName] of Object.entries(stackJson.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const from = `${type}.${name}`;
      if (!addresses.includes(from)) continue;
      const text = JSON.stringify({ ...body, '//': undefined });
      for (const to of addresses) {
        if (to !== from && (text.includes(`\${${to}.`) || text.includes(`"${to}"`))) {
          edges.add(`  ${quote(to)} -> ${quote(from)};`);
        }
      }
    }
  }
  // What Terraform does not own, but the picture must show: it is why teardown exists.
  const extra: string[] = [];
  for (const [name, body] of Object.entries(stackJson.resource?.openstack_containerinfra_clustertemplate_v1 ?? {})) {
    if (body.master_lb_enabled) {
      const lb = `heat-lb.${name}`;
      extra.push(`  ${quote(lb)} [label="Octavia LBs: API, etcd\\n(Magnum's Heat stack)", shape=box, style="dashed,filled", fillcolor="#eeeeee"];`);
      for (const cluster of Object.keys(stackJson.resource?.openstack_containerinfra_cluster_v1 ?? {})) {
        extra.push(`  ${quote(`openstack_containerinfra_cluster_v1.${cluster}`)} -> ${quote(lb)} [style=dashed];`);
      }
    }
  }
  for (const name of Object.keys(stackJson.resource?.null_resource ?? {})) {
    const leftovers = `cloud-provider.${name}`;
    extra.push(
      `  ${quote(leftovers)} [label="Service/Ingress LBs, floating IPs,\\nsecurity groups, volumes\\n(Kubernetes' cloud provider)", shape=box, style="dashed,filled", fillcolor="#f8d7da"];`,
    );
    extra.push(`  ${quote(`null_resource.${name}`)} -> ${quote(leftovers)} [style=dashed, label="deletes at destroy", color="#b02a37", fontcolor="#b02a37"];`);
  }
  return [
    'digraph topology {',
    `  label=${quote(title)}; labelloc=t; fontname="Helvetica"; rankdir=LR;`,
    '  node [style=filled, fontname="Helvetica", fontsize=11]; edge [color="#555555", fontname="Helvetica", fontsize=9];',
    ...nodes.sort(),
    ...[...edges].sort(),
    ...extra,
    '}',
  ].join('\n');
}

/** The SVG picture of a synthesized stack directory (Graphviz compiled to WebAssembly: no system package). */
export async function topologySvg(stackDir: string): Promise<string> {
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const { Graphviz } = await import('@hpcc-js/wasm-graphviz');
  return (await Graphviz.load()).dot(topologyDot(json, `magnum-cdktf: ${path.basename(stackDir)}`));
}

async function main(stackDir: string, out: string): Promise<void> {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, await topologySvg(stackDir));
  console.log(`wrote ${out}`);
}

if (require.main === module) {
  const [stackDir, out] = process.argv.slice(2);
  if (!stackDir || !out) {
    console.error('usage: node dist/scripts/topology.js STACK_DIR OUT.svg');
    process.exit(2);
  }
  main(stackDir, out).catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
