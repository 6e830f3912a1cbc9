#!/usr/bin/env node
// Read one relcoord network file with parsers that are not relcoord's, and print what they
// saw as JSON on standard output: tests/formats/test_network_files_js.py compares it with
// what relcoord wrote.
//
//   node read_network.js graphml FILE     graphology-graphml (+ yEd fills read with xmldom)
//   node read_network.js gexf FILE        graphology-gexf
//   node read_network.js cytoscape DIR    headless Cytoscape.js with DIR/elements.json and
//                                         DIR/style.json: each element's computed style
'use strict';

const fs = require('fs');
const path = require('path');

function graphologyJson(kind, graph) {
  const out = {kind, order: graph.order, size: graph.size, type: graph.type,
               graph: graph.getAttributes(), nodes: {}, edges: []};
  graph.forEachNode((node, attributes) => { out.nodes[node] = attributes; });
  graph.forEachEdge((edge, attributes, source, target) => {
    out.edges.push({source, target, attributes});
  });
  return out;
}

function yedFills(text) {
  // yEd's graphics are an extension graphology leaves as text: read the fills with xmldom
  const {DOMParser} = require('@xmldom/xmldom');
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const Y = 'http://www.yworks.com/xml/graphml';
  const fills = {};
  const nodes = doc.getElementsByTagName('node');
  for (let i = 0; i < nodes.length; i++) {
    const fill = nodes[i].getElementsByTagNameNS(Y, 'Fill')[0];
    const border = nodes[i].getElementsByTagNameNS(Y, 'BorderStyle')[0];
    if (fill) fills[nodes[i].getAttribute('id')] = {
      fill: fill.getAttribute('color'), border: border && border.getAttribute('color'),
    };
  }
  const lines = [];
  const edges = doc.getElementsByTagName('edge');
  for (let i = 0; i < edges.length; i++) {
    const line = edges[i].getElementsByTagNameNS(Y, 'LineStyle')[0];
    const label = edges[i].getElementsByTagNameNS(Y, 'EdgeLabel')[0];
    if (line) lines.push({source: edges[i].getAttribute('source'),
                          target: edges[i].getAttribute('target'),
                          colour: line.getAttribute('color'),
                          label: label ? label.textContent : null});
  }
  return {fills, lines};
}

function cytoscapeJson(folder) {
  const cytoscape = require('cytoscape');
  const document = JSON.parse(fs.readFileSync(path.join(folder, 'elements.json'), 'utf8'));
  const style = JSON.parse(fs.readFileSync(path.join(folder, 'style.json'), 'utf8'));
  const warnings = [];
  const warn = console.warn;
  console.warn = (...args) => warnings.push(args.join(' '));
  const cy = cytoscape({headless: true, styleEnabled: true, elements: document.elements,
                        style, layout: {name: 'preset'}});
  const out = {kind: 'cytoscape', data: cy.data(), nodes: {}, edges: [], warnings};
  cy.nodes().forEach((node) => {
    out.nodes[node.id()] = {
      position: node.position(), data: node.data(),
      style: {'background-color': node.style('background-color'),
              'width': node.style('width'), 'border-style': node.style('border-style'),
              'label': node.style('label')},
    };
  });
  cy.edges().forEach((edge) => {
    out.edges.push({
      source: edge.source().id(), target: edge.target().id(), data: edge.data(),
      style: {'line-color': edge.style('line-color'), 'line-style': edge.style('line-style'),
              'width': edge.style('width'), 'curve-style': edge.style('curve-style')},
    });
  });
  console.warn = warn;
  cy.destroy();
  return out;
}

function main() {
  const [kind, file] = process.argv.slice(2);
  let out;
  if (kind === 'cytoscape') {
    out = cytoscapeJson(file);
  } else {
    const {Graph} = require('graphology');
    const text = fs.readFileSync(file, 'utf8');
    if (kind === 'gexf') {
      out = graphologyJson(kind, require('graphology-gexf').parse(Graph, text));
    } else if (kind === 'graphml') {
      out = graphologyJson(kind, require('graphology-graphml').parse(Graph, text));
      out.yed = yedFills(text);
    } else {
      throw new Error(`unknown kind ${kind}: expected graphml, gexf or cytoscape`);
    }
  }
  // Cytoscape.js keeps a render loop timer even when headless: exit once the output is out
  process.stdout.write(JSON.stringify(out) + '\n', () => process.exit(0));
}

main();
