'use strict'
// The layering rule of DESIGN.md, checked: no import circle in src/ (Rust `use` paths and
// `crate::`/`super::` references, per module file) or in lib/ (every require, lazy ones
// inside functions included). A lower layer never reaches up.
const { describe, it } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')

const root = path.join(__dirname, '..')

function walk (dir, ext) {
  const out = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...walk(full, ext))
    else if (entry.name.endsWith(ext)) out.push(full)
  }
  return out
}

// Strongly connected components with more than one member (Tarjan).
function circles (edges) {
  let index = 0
  const idx = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const found = []
  const visit = (v) => {
    idx.set(v, index); low.set(v, index); index++
    stack.push(v); onStack.add(v)
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))) } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)))
    }
    if (low.get(v) === idx.get(v)) {
      const component = []
      let w
      do { w = stack.pop(); onStack.delete(w); component.push(w) } while (w !== v)
      if (component.length > 1) found.push(component.sort())
    }
  }
  for (const v of edges.keys()) if (!idx.has(v)) visit(v)
  return found
}

// Rust: module paths (`crate::core::client::route`) and the modules each one names.
function rustGraph () {
  const modules = new Map()
  for (const file of walk(path.join(root, 'src'), '.rs')) {
    const parts = path.relative(path.join(root, 'src'), file).slice(0, -3).split(path.sep)
    if (['mod', 'lib'].includes(parts.at(-1))) parts.pop()
    let text = fs.readFileSync(file, 'utf8')
    const tests = text.indexOf('#[cfg(test)]')
    if (tests >= 0) text = text.slice(0, tests)
    text = text.replace(/^\s*\/\/.*$/gm, '')
    modules.set(['crate', ...parts].join('::'), text)
  }
  const resolve = (current, pathText) => {
    const segments = pathText.split('::').map((s) => s.trim()).filter(Boolean)
    let base
    if (segments[0] === 'crate') { base = ['crate']; segments.shift() } else if (segments[0] === 'super' || segments[0] === 'self') {
      base = current.split('::')
      while (segments[0] === 'super') { base = base.slice(0, -1); segments.shift() }
      if (segments[0] === 'self') segments.shift()
    } else return null
    let best = modules.has(base.join('::')) ? base.join('::') : null
    for (const s of segments) {
      base = [...base, s]
      if (modules.has(base.join('::'))) best = base.join('::')
    }
    return best
  }
  const edges = new Map()
  for (const [name, text] of modules) {
    const targets = new Set()
    const add = (p) => {
      const target = resolve(name, p)
      if (target && target !== name && !name.startsWith(target + '::')) targets.add(target)
    }
    for (const [, use] of text.matchAll(/\buse\s+([^;]+);/g)) {
      const flat = use.replace(/\s+/g, '')
      const group = /^(.*?)::\{(.*)\}$/.exec(flat)
      if (!group) { add(flat.split(' as ')[0]); continue }
      let depth = 0
      let item = ''
      const items = []
      for (const ch of group[2]) {
        if (ch === '{') depth++
        if (ch === '}') depth--
        if (ch === ',' && depth === 0) { items.push(item); item = '' } else item += ch
      }
      items.push(item)
      for (const it of items) add(it === 'self' ? group[1] : `${group[1]}::${it.split('::{')[0]}`)
    }
    for (const [p] of text.matchAll(/\b(?:crate|super)(?:::\w+)+/g)) add(p)
    edges.set(name, targets)
  }
  return edges
}

// JS: lib/*.js and index.js, and the local files each requires.
function jsGraph () {
  const files = [path.join(root, 'index.js'), ...walk(path.join(root, 'lib'), '.js')]
  const edges = new Map()
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8')
    const targets = new Set()
    for (const [, spec] of text.matchAll(/require\(\s*'(\.[^']+)'\s*\)/g)) {
      let target = path.resolve(path.dirname(file), spec)
      if (!target.endsWith('.js')) target += '.js'
      targets.add(path.relative(root, target))
    }
    edges.set(path.relative(root, file), targets)
  }
  return edges
}

describe('layering', () => {
  it('no import circle among the Rust modules of src/', () => {
    assert.deepEqual(circles(rustGraph()), [])
  })

  it('no require circle in lib/, lazy requires included', () => {
    assert.deepEqual(circles(jsGraph()), [])
  })

  it('the checker finds a circle when there is one', () => {
    const edges = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]])
    assert.deepEqual(circles(edges), [['a', 'b', 'c']])
  })
})
