import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeHtml, html, joinHtml, safeHref } from './html.ts';

test('every value put into a template is escaped; markup made by html passes as it is', () => {
  const name = `<script>alert("x")</script> & 'friends'`;
  assert.equal(
    html`<p title="${name}">${name}</p>`.toString(),
    '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;friends&#39;</p>',
  );
  assert.equal(
    html`<ul>${['a<', 'b'].map((x) => html`<li>${x}</li>`)}</ul>`.toString(),
    '<ul><li>a&lt;</li><li>b</li></ul>',
  );
  assert.equal(html`${null}${undefined}${false}${0}`.toString(), '0');
  assert.equal(joinHtml(['a', html`<b>b</b>`, null, '<c>'], ', ').toString(), 'a, <b>b</b>, &lt;c&gt;');
  assert.equal(escapeHtml('"&'), '&quot;&amp;');
});

test('only web, mail and phone addresses become links', () => {
  assert.equal(safeHref('https://hearth-and-table.example'), 'https://hearth-and-table.example/');
  assert.equal(safeHref('mailto:hello@x.example'), 'mailto:hello@x.example');
  assert.equal(safeHref('tel:01614960100'), 'tel:01614960100');
  assert.equal(safeHref('javascript:alert(1)'), undefined);
  assert.equal(safeHref('data:text/html,hi'), undefined);
  assert.equal(safeHref('not a url'), undefined);
  assert.equal(safeHref(null), undefined);
});
