import { describeContext, KubeNode, KubeObject, KubePersistentVolume, KubernetesClient, NamespacedKind, readKubeconfigs } from '../kubernetes';
import { AbortedError, backoffDelayMs, BackoffPolicy, sleep } from '../openstack';
import { ClusterFacts } from './cluster-facts';
import { ProvenVolume } from './plan';

/** The CSI driver of Cinder volumes (cloud-provider-openstack's cinder-csi-plugin). */
export const CINDER_CSI_DRIVER = 'cinder.csi.openstack.org';

/** The Ingress class octavia-ingress-controller serves (its default `ingress-class`). */
export const OCTAVIA_INGRESS_CLASS = 'openstack';

/** Options of {@link runKubernetesStep}. */
export interface KubernetesStepOptions {
  /** Kubeconfig files; every context of every one is tried, in order, until one is proven the cluster's API. */
  readonly kubeconfigPaths: readonly string[];
  /** Also delete the cluster's Cinder CSI PersistentVolumeClaims, and return their volumes as proven. THIS DESTROYS THEIR DATA. @default false */
  readonly includeVolumes?: boolean;
  /** Say what would be deleted; delete nothing. @default false */
  readonly dryRun?: boolean;
  /** Seconds to wait for what was deleted to be gone, at most 120; then the step carries on. @default 120 */
  readonly timeoutSeconds?: number;
  /** Waits between polls. @default - 1 s doubling to 5 s, with jitter */
  readonly backoff?: BackoffPolicy;
  /** Per-request timeout in ms: an unreachable context must not hold the teardown. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** Stops the requests and the wait. @default - never */
  readonly signal?: AbortSignal;
  /** One line per step. @default - none */
  readonly onLine?: (line: string) => void;
}

/** A Kubernetes object the step deleted, would delete, or waited for. */
export interface KubernetesObjectRef {
  readonly kind: NamespacedKind | 'PersistentVolume';
  /** Empty for a PersistentVolume. */
  readonly namespace: string;
  readonly name: string;
}

/** What the Kubernetes step did. Plain data: safe to print as JSON. */
export interface KubernetesStepResult {
  /** The context proven the cluster's API, as `context "<name>" of <file> (<server>)`; undefined when none was. */
  readonly context?: string;
  readonly dryRun: boolean;
  /** Each file or context left alone, and why. */
  readonly notes: string[];
  /** Deleted through the cluster's API (a dry run: what would be). */
  readonly deleted: KubernetesObjectRef[];
  /** Deletes the API refused, with its error. */
  readonly failed: { readonly object: KubernetesObjectRef; readonly error: string }[];
  /** Gone once deleted: their controllers removed what they held in OpenStack (and, for a claim, its volume). */
  readonly gone: KubernetesObjectRef[];
  /** Still there when the wait ended: the OpenStack sweep takes what they hold. */
  readonly remaining: KubernetesObjectRef[];
  /** The Cinder volumes of the cluster's Cinder CSI PersistentVolumes (only with includeVolumes). */
  readonly provenVolumes: ProvenVolume[];
}

/** The Nova server a Node's `spec.providerID` names (`openstack:///<id>`, `openstack://<region>/<id>`); undefined for any other. */
export function serverOfProviderId(providerId: string | undefined): string | undefined {
  return /^openstack:\/\/[^/]*\/([^/]+)$/.exec(providerId ?? '')?.[1].toLowerCase();
}

/**
 * Why a context's Nodes do not prove it the cluster's API; undefined when they do: at least one Node,
 * and every Node's providerID a server of the cluster's Heat stacks. A context whose Nodes are partly
 * another cluster's is not this cluster's either.
 */
export function identityRefusal(nodes: readonly KubeNode[], servers: ReadonlySet<string>, clusterId: string): string | undefined {
  if (nodes.length === 0) return `lists no Node, so nothing proves it is cluster ${clusterId}'s API`;
  const foreign = nodes.filter((n) => !servers.has(serverOfProviderId(n.providerId) ?? ''));
  if (foreign.length === 0) return undefined;
  const which = foreign.length === nodes.length ? 'its Nodes are' : `${foreign.length} of its ${nodes.length} Nodes are`;
  const example = `Node ${foreign[0].name}: ${foreign[0].providerId ? `providerID ${foreign[0].providerId}` : 'no providerID'}`;
  return `${which} not cluster ${clusterId}'s servers (${example})`;
}

const show = (o: KubernetesObjectRef) => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
const refOf = (kind: KubernetesObjectRef['kind'], o: KubeObject): KubernetesObjectRef => ({ kind, namespace: o.namespace, name: o.name });

/**
 * The teardown's Kubernetes step: through the cluster's own API, once a context is proven to be it
 * (see {@link identityRefusal}), deletes what makes the cloud provider hold OpenStack resources (Services
 * of type LoadBalancer, Ingresses of class `openstack`, and with `includeVolumes` the claims of Cinder CSI
 * volumes) and waits, bounded, until their controllers have removed them. Never throws for a context
 * or an object: every failure is a line, and the OpenStack sweep that follows is the safety net.
 */
export async function runKubernetesStep(facts: ClusterFacts, options: KubernetesStepOptions): Promise<KubernetesStepResult> {
  const say = (line: string) => options.onLine?.(`kubernetes: ${line}`);
  const notes: string[] = [];
  const note = (line: string) => {
    notes.push(line);
    say(line);
  };
  const nothing: KubernetesStepResult = { dryRun: options.dryRun ?? false, notes, deleted: [], failed: [], gone: [], remaining: [], provenVolumes: [] };
  const { contexts, problems } = readKubeconfigs(options.kubeconfigPaths);
  problems.forEach(note);
  if (contexts.length === 0) {
    note(`no context in ${options.kubeconfigPaths.join(', ')}: nothing done through Kubernetes`);
    return nothing;
  }
  const servers = await clusterServers(facts, note);
  if (!servers) return nothing;
  for (const context of contexts) {
    const client = new KubernetesClient(context, { timeoutMs: options.requestTimeoutMs, signal: options.signal });
    const proof = await proveIdentity(client, servers, facts.clusterId);
    if (proof.refusal) {
      note(`${proof.refusal}: left alone`);
      continue;
    }
    say(`${describeContext(context)}: its ${proof.nodes} Node(s) are cluster ${facts.clusterId}'s servers: cleaning up through it`);
    return { ...nothing, context: describeContext(context), ...(await cleanUp(client, options, say, note)) };
  }
  note(`no context is cluster ${facts.clusterId}'s API: nothing done through Kubernetes`);
  return nothing;
}

/** The cluster's Nova servers, from its Heat stacks; undefined (with a note) when they cannot be known. */
async function clusterServers(facts: ClusterFacts, note: (line: string) => void): Promise<ReadonlySet<string> | undefined> {
  try {
    const { unseen } = await facts.show();
    if (unseen) {
      note(`${unseen}: its servers are unknown, so no context can be proven its API: nothing done through Kubernetes`);
      return undefined;
    }
    return new Set([...(await facts.heatOwnership()).servers].map((s) => s.toLowerCase()));
  } catch (error) {
    note(`the cluster's servers could not be read (${(error as Error).message}): nothing done through Kubernetes`);
    return undefined;
  }
}

/** Lists a context's Nodes and judges them; the refusal is the whole line (an unreachable API's error names the context). */
async function proveIdentity(client: KubernetesClient, servers: ReadonlySet<string>, clusterId: string): Promise<{ refusal?: string; nodes?: number }> {
  let nodes: KubeNode[];
  try {
    nodes = await client.list('Node');
  } catch (error) {
    return { refusal: (error as Error).message };
  }
  const refusal = identityRefusal(nodes, servers, clusterId);
  return refusal ? { refusal: `${describeContext(client.context)}: ${refusal}` } : { nodes: nodes.length };
}

/** One object to delete, and the PersistentVolume to wait for after it (a claim's, when its reclaim policy deletes it). */
interface Target {
  readonly kind: NamespacedKind;
  readonly object: KubeObject;
  readonly why: string;
  readonly volume?: KubePersistentVolume;
}

type CleanUp = Pick<KubernetesStepResult, 'deleted' | 'failed' | 'gone' | 'remaining' | 'provenVolumes'>;

/** The deletes and the wait in the proven context. */
async function cleanUp(client: KubernetesClient, options: KubernetesStepOptions, say: (line: string) => void, note: (line: string) => void): Promise<CleanUp> {
  const listed = async <T>(what: string, list: () => Promise<T[]>): Promise<T[]> =>
    list().catch((error) => {
      note(`${what} could not be listed (${(error as Error).message}): none deleted`);
      return [];
    });
  const [services, ingresses, claims, volumes] = await Promise.all([
    listed('Services', () => client.list('Service')),
    listed('Ingresses', () => client.list('Ingress')),
    options.includeVolumes ? listed('PersistentVolumeClaims', () => client.list('PersistentVolumeClaim')) : [],
    options.includeVolumes ? listed('PersistentVolumes', () => client.list('PersistentVolume')) : [],
  ]);
  const cinder = new Map(volumes.filter((v) => v.csiDriver === CINDER_CSI_DRIVER && v.volumeHandle).map((v) => [v.name, v]));
  const targets: Target[] = [
    ...services.filter((s) => s.type === 'LoadBalancer').map((object) => ({ kind: 'Service' as const, object, why: 'type LoadBalancer' })),
    ...ingresses
      .filter((i) => i.className === OCTAVIA_INGRESS_CLASS || i.classAnnotation === OCTAVIA_INGRESS_CLASS)
      .map((object) => ({ kind: 'Ingress' as const, object, why: `class ${OCTAVIA_INGRESS_CLASS}` })),
    ...claims
      .filter((c) => c.volumeName !== undefined && cinder.has(c.volumeName))
      .map((object) => {
        const volume = cinder.get(object.volumeName!)!;
        return { kind: 'PersistentVolumeClaim' as const, object, volume, why: `bound to ${CINDER_CSI_DRIVER} volume ${volume.volumeHandle}` };
      }),
  ];
  // Proof only for what Cinder CSI made for a claim of this cluster and will delete with it: a PV written by hand may
  // name any volume id (another project's, another cluster's), and Retain says keep it.
  const provenVolumes = [...cinder.values()]
    .filter((v) => v.provisionedBy === CINDER_CSI_DRIVER && v.reclaimPolicy !== 'Retain')
    .map((v) => ({
      id: v.volumeHandle!,
      name: v.name,
      evidence: `volume of PersistentVolume ${v.name} in the cluster's Kubernetes API (its Nodes are the cluster's servers)`,
    }));
  const result: CleanUp = { deleted: [], failed: [], gone: [], remaining: [], provenVolumes };
  if (targets.length === 0) {
    say(
      `nothing to delete: no Service of type LoadBalancer, no Ingress of class ${OCTAVIA_INGRESS_CLASS}${options.includeVolumes ? ', no Cinder CSI claim' : ''}`,
    );
    return result;
  }
  if (options.dryRun) {
    for (const t of targets) say(`would delete ${show(refOf(t.kind, t.object))} (${t.why})`);
    return { ...result, deleted: targets.map((t) => refOf(t.kind, t.object)) };
  }
  const waiting: Waited[] = [];
  for (const t of targets) {
    const ref = refOf(t.kind, t.object);
    try {
      if (await client.delete(t.kind, t.object)) {
        say(`deleting ${show(ref)} (${t.why})`);
        result.deleted.push(ref);
        waiting.push({ kind: t.kind, object: t.object });
      } else {
        say(`${show(ref)} is already gone`);
        result.gone.push(ref);
      }
    } catch (error) {
      // The client's message names the context and server, secrets removed.
      say(`FAILED to delete ${show(ref)}: ${(error as Error).message}`);
      result.failed.push({ object: ref, error: (error as Error).message });
      continue;
    }
    if (!t.volume) continue;
    if (t.volume.reclaimPolicy === 'Retain') {
      say(`PersistentVolume ${t.volume.name} stays (reclaimPolicy Retain), and so does its Cinder volume ${t.volume.volumeHandle}`);
    } else {
      waiting.push({ kind: 'PersistentVolume', object: t.volume });
    }
  }
  const { gone, remaining } = await waitGone(client, waiting, options, say);
  return { ...result, gone: [...result.gone, ...gone], remaining };
}

/** An object deleted (or a claim's volume), waited for until no object with its uid is listed. */
interface Waited {
  readonly kind: KubernetesObjectRef['kind'];
  readonly object: KubeObject;
}

/** Lists, per kind, what is still there; a list that fails counts as everything still there. */
async function stillThere(client: KubernetesClient, kinds: Set<Waited['kind']>): Promise<Map<string, KubeObject> | undefined> {
  try {
    const all: KubeObject[][] = await Promise.all([...kinds].map((k) => client.list(k)));
    return new Map(all.flat().map((o) => [o.uid, o]));
  } catch {
    return undefined;
  }
}

/**
 * How long the controllers get to clean up after the deletes. A claim a running Pod still mounts stays until the
 * Pod goes, which a cluster being destroyed may never do: what is left by then, the OpenStack sweep removes (load
 * balancers by description, the claims' volumes as proven here).
 */
const CONTROLLERS_WAIT_SECONDS = 120;

/** Polls until every waited object is gone, the wait's bound passes, or the run is interrupted. */
async function waitGone(
  client: KubernetesClient,
  waiting: Waited[],
  options: KubernetesStepOptions,
  say: (line: string) => void,
): Promise<{ gone: KubernetesObjectRef[]; remaining: KubernetesObjectRef[] }> {
  if (waiting.length === 0) return { gone: [], remaining: [] };
  const timeoutSeconds = Math.min(options.timeoutSeconds ?? CONTROLLERS_WAIT_SECONDS, CONTROLLERS_WAIT_SECONDS);
  const deadline = Date.now() + timeoutSeconds * 1000;
  const started = Date.now();
  let left = [...waiting];
  const gone: KubernetesObjectRef[] = [];
  const seen = new Map<string, KubeObject>();
  for (let attempt = 0; left.length > 0; attempt++) {
    const listed = await stillThere(client, new Set(left.map((w) => w.kind)));
    if (listed) {
      for (const w of left.filter((w) => !listed.has(w.object.uid))) {
        say(`${show(refOf(w.kind, w.object))} is gone`);
        gone.push(refOf(w.kind, w.object));
      }
      left = left.filter((w) => listed.has(w.object.uid));
      left.forEach((w) => seen.set(w.object.uid, listed.get(w.object.uid)!));
    }
    if (left.length === 0 || Date.now() > deadline) break;
    try {
      await sleep(
        Math.min(backoffDelayMs(attempt, options.backoff ?? { baseMs: 1_000, maxMs: 5_000 }), Math.max(0, deadline - Date.now()) + 1),
        options.signal,
      );
    } catch (error) {
      if (!(error instanceof AbortedError)) throw error;
      break;
    }
  }
  const remaining = left.map((w) => refOf(w.kind, w.object));
  const holding = (w: Waited) => {
    const finalizers = seen.get(w.object.uid)?.finalizers ?? [];
    return `${show(refOf(w.kind, w.object))}${finalizers.length ? ` (finalizers: ${finalizers.join(', ')})` : ''}`;
  };
  const elapsed = ((Date.now() - started) / 1000).toFixed(1);
  if (left.length === 0) say(`all ${waiting.length} gone (${elapsed} s)`);
  else say(`still there after ${elapsed} s: ${left.map(holding).join(', ')}; the OpenStack sweep follows`);
  return { gone, remaining };
}
