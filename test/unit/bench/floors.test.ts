import { ourLbTeardownRow, RATIO_BOUNDS, ratioViolations, rawL1Row, Row, shapeDifferences, shapeOf, synthRow } from '../../../bench/floors';

const boundOf = (name: string) => RATIO_BOUNDS.find((b) => b.row === name)!.max;

/** A measured row; only names and ratios matter to the checks. */
const row = (name: string, fields: Partial<Row> = {}): Row => ({ name, medianSeconds: 1, medianRssMiB: 0, runs: 3, ...fields });
const constructs = (n: number, floorRatio: number) => row(synthRow(n), { floor: rawL1Row(n), floorRatio });

describe('ratioViolations', () => {
  test('passes rows within their bounds, and a bound whose row was not measured', () => {
    // GIVEN the constructs at 1 and 10 platforms just within the bounds, and no row of 100 platforms
    const rows = [1, 10].map((n) => constructs(n, RATIO_BOUNDS.find((b) => b.row === synthRow(n))!.max));
    // WHEN checked THEN nothing is broken
    expect(ratioViolations(rows)).toEqual([]);
  });

  test('names the row, its ratio, what it is compared with and the bound, when the constructs cost 3x the raw L1 stack', () => {
    // GIVEN the constructs at 10 platforms three times as slow as the raw L1 stack
    const rows = [constructs(1, 1.1), constructs(10, 3)];
    // WHEN checked THEN the bound of 10 platforms is broken, and only it
    expect(ratioViolations(rows)).toEqual([
      `synth 10 platforms: 3.00x synth 10 platforms, raw L1 bindings (floor), above the bound of ${boundOf(synthRow(10))}x`,
    ]);
  });

  test('a measured row without the bounded ratio is a violation, not a pass', () => {
    // GIVEN a row of 10 platforms measured without its floor
    const rows = [row(synthRow(10), { baseline: synthRow(1), ratio: 1.2 })];
    // WHEN checked THEN it says what is missing
    expect(ratioViolations(rows)).toEqual([`synth 10 platforms: has no floorRatio to hold to ${boundOf(synthRow(10))}x`]);
  });

  test('checks the ratio against the baseline when a bound names it', () => {
    const rows = [row('b', { baseline: 'a', ratio: 2.5 })];
    expect(ratioViolations(rows, [{ row: 'b', ratio: 'ratio', max: 2 }])).toEqual(['b: 2.50x a, above the bound of 2x']);
    expect(ratioViolations(rows, [{ row: 'b', ratio: 'ratio', max: 3 }])).toEqual([]);
  });

  test('every stated bound holds a synth row to its raw L1 floor, or our teardown to the API floor, above 1 (neither can beat its floor)', () => {
    const synth = RATIO_BOUNDS.filter((b) => b.row.startsWith('synth'));
    const teardown = RATIO_BOUNDS.filter((b) => b.row.startsWith('teardown'));
    expect(synth.map((b) => b.row)).toEqual([1, 10, 100].map(synthRow));
    expect(synth.every((b) => b.ratio === 'floorRatio' && b.max > 1)).toBe(true);
    expect(teardown.map((b) => b.row)).toEqual([10, 50].map(ourLbTeardownRow));
    expect(teardown.every((b) => b.ratio === 'ratio' && b.max > 1)).toBe(true);
    expect(synth.length + teardown.length).toBe(RATIO_BOUNDS.length);
  });

  test('a teardown of load balancers at 2.5x the API floor breaks its bound', () => {
    const floor = row('teardown 50 LBs, API floor (all at once)');
    const rows = [floor, row(ourLbTeardownRow(50), { baseline: floor.name, ratio: 2.5 })];
    expect(ratioViolations(rows)).toEqual([`${ourLbTeardownRow(50)}: 2.50x ${floor.name}, above the bound of 2x`]);
  });
});

describe('shapeOf and shapeDifferences', () => {
  const network = { '//': { metadata: {} }, name: 'a', description: 'x' };
  const stack = {
    resource: { openstack_networking_network_v2: { a: network, b: { ...network, external: true } }, null_resource: { t: { triggers: {} } } },
    data: { openstack_images_image_v2: { i: { name: 'fcos' } } },
    locals: { x: 1, y: 2 },
  };

  test('counts resources and data sources by type, the arguments they set, locals and outputs; names and values do not count', () => {
    expect(shapeOf(stack)).toEqual({
      locals: 2,
      outputs: 0,
      'resource.openstack_networking_network_v2': 2,
      'resource.openstack_networking_network_v2.name': 2,
      'resource.openstack_networking_network_v2.description': 2,
      'resource.openstack_networking_network_v2.external': 1,
      'resource.null_resource': 1,
      'resource.null_resource.triggers': 1,
      'data.openstack_images_image_v2': 1,
      'data.openstack_images_image_v2.name': 1,
    });
    const renamed = { ...stack, resource: { ...stack.resource, null_resource: { other: { triggers: { id: 'y' } } } } };
    expect(shapeDifferences(shapeOf(stack), shapeOf(renamed))).toEqual([]);
  });

  test('names each difference, a resource type missing on one side included', () => {
    // GIVEN a floor that lost the null_resource and the description of a network
    const floor = {
      ...stack,
      resource: { openstack_networking_network_v2: { a: { name: 'a' }, b: { name: 'b', description: 'x', external: true } } },
    };
    // WHEN compared THEN each count that differs is named, constructs first
    expect(shapeDifferences(shapeOf(stack), shapeOf(floor))).toEqual([
      'resource.null_resource: 1 vs 0',
      'resource.null_resource.triggers: 1 vs 0',
      'resource.openstack_networking_network_v2.description: 2 vs 1',
    ]);
  });
});
