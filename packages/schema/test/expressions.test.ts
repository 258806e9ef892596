import { describe, expect, it } from 'vitest';
import { DslCode, validateDefinition } from '../src/index.ts';
import { shopDefinition } from './fixtures.ts';

/** The problems of the shop definition with one mapping field set to `expr`. */
function mappingProblems(expr: string) {
  const doc = shopDefinition();
  doc['streams']['customers']['mapping']['fields']['tags'] = { expr };
  return validateDefinition(doc).errors;
}

describe('expression variables', () => {
  it('allows JSONata context ($) and root ($$) in mappings', () => {
    const doc = shopDefinition();
    doc['streams']['customers']['mapping']['fields']['tags'] = { expr: "[tags.{ 'tag': $, 'customer': $$.id }].tag" };
    expect(validateDefinition(doc).errors).toEqual([]);
  });

  it.each([
    // A path's context binding and positions, on a step, after its filters and after a sort.
    "tags@$tag.{ 'tag': $tag, 'customer': $$.id }",
    "tags#$i.{ 'tag': $, 'position': $i }",
    "tags#$i[$i < 3].name",
    "tags[active]#$i.{ 'position': $i }",
    "tags^(name)#$i.{ 'position': $i }",
    "tags@$tag#$i.{ 'tag': $tag.name, 'position': $i }",
    "tags@$tag[$tag.active].name",
    // Assignments, lambda parameters and the callbacks of higher-order functions.
    "($first := $split(tags, ',')[0]; $uppercase($first))",
    "$map(tags, function($tag, $i) { $tag & '#' & $i })",
    "$each(attributes, function($value, $key) { $key & '=' & $value })",
    '$reduce(tags, function($all, $tag) { $all & $tag })',
    "$sift(attributes, function($value) { $value != '' })",
    // Functions as values: built-in, and bound by the expression.
    '$map(tags, $string)',
    'name ~> $uppercase',
    '$exists($now)',
    "($shout := function($text) { $uppercase($text) }; name ~> $shout)",
    "($shout := function($text) { $uppercase($text) }; $map(tags, $shout))",
  ])('does not report the variables %s binds itself, nor functions used as values', (expr) => {
    expect(mappingProblems(expr)).toEqual([]);
  });

  it.each([
    ['$auth.token', 'auth'],
    ['tags.$tag', 'tag'],
    ['($auth)(name)', 'auth'],
    ["$map(tags, function($tag) { $tag & $state.cursor })", 'state'],
    ["tags@$tag.{ 'tag': $tag, 'secret': $auth }", 'auth'],
  ])('still reports a variable the context does not bind: %s', (expr, name) => {
    const problems = mappingProblems(expr);
    expect(problems).toEqual([expect.objectContaining({ code: DslCode.ForbiddenVariable, pointer: '/streams/customers/mapping/fields/tags/expr' })]);
    expect(problems[0]?.message).toContain(`$${name} is not available here`);
  });
});
