/**
 * Reading the structure of an ONNX graph: its one real input, its constants (initializers), and
 * its nodes in topological order (Kahn's algorithm; a cycle or a dangling input is refused).
 */
import { ConfigError, describe } from '../../errors.js';
import type { Graph, Node } from './schema.js';
import { readTensor, type ConstTensor } from './tensor.js';

/** How a node is named in messages: its op type and name, or its index when it has no name. */
export function nodeLabel(node: Node, index: number): string {
  return `${node.opType} node ${node.name ? describe(node.name) : `#${index}`}`;
}

/** A graph's constants by name: its initializers (Constant nodes are added while walking). */
export function graphConstants(graph: Graph): Map<string, ConstTensor> {
  const constants = new Map<string, ConstTensor>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? '', readTensor(t, `initializer ${describe(t.name)}`));
  return constants;
}

/** The graph's one non-constant input (older exporters also list initializers as inputs). Throws ConfigError for none or several. */
export function dataInput(graph: Graph, constants: Map<string, ConstTensor>): Graph['input'][number] {
  const inputs = (graph.input ?? []).filter((v) => !constants.has(v.name));
  if (inputs.length !== 1)
    throw new ConfigError(`onnx: an MLP has exactly one input, this graph has ${inputs.length} (${inputs.map((v) => v.name).join(', ')})`);
  return inputs[0];
}

/**
 * The nodes in an order where every node comes after the nodes producing its inputs (ties kept
 * in file order). Throws ConfigError naming the nodes on a cycle, or a node reading a value
 * nothing produces.
 */
export function topologicalOrder(graph: Graph, known: Set<string>): { node: Node; index: number }[] {
  const nodes = graph.node ?? [];
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => n.output.forEach((o) => producer.set(o, i)));
  const waiting = nodes.map(() => 0);
  const consumers: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    for (const name of n.input) {
      if (name === '' || known.has(name)) continue;
      const p = producer.get(name);
      if (p === undefined) throw new ConfigError(`onnx: ${nodeLabel(n, i)} reads ${describe(name)}, which no node, input or initializer provides`);
      waiting[i]++;
      consumers[p].push(i);
    }
  });
  const ready = nodes.map((_, i) => i).filter((i) => waiting[i] === 0);
  const order: { node: Node; index: number }[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a - b);
    const i = ready.shift()!;
    order.push({ node: nodes[i], index: i });
    for (const c of consumers[i]) if (--waiting[c] === 0) ready.push(c);
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.map((n, i) => (waiting[i] > 0 ? nodeLabel(n, i) : '')).filter(Boolean);
    throw new ConfigError(`onnx: the graph has a cycle through ${stuck.join(', ')}`);
  }
  return order;
}
